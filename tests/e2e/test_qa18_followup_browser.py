"""The follow-up pages QA walk 18 changed, in a real headless Chromium: the date and Member State
controls, a partner's milestones, the filters and the page before the first annex meet WCAG 2.1 A
and AA as axe-core checks them, at a desktop width and on a phone (no page wider than the screen)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pactum.services import followup
from pactum.services.auth import SYSTEM

try:
    from .test_browser import ARGS, CHROMIUM, login_page, server
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_browser import ARGS, CHROMIUM, login_page, server  # type: ignore[no-redef]  # noqa: F401

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "assets" / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = [
    "/followup?as_of=2024-01-15&status=overdue",
    "/followup?as_of=1500-06-01",
    "/followup/partners?as_of=2024-01-15",
    "/followup/partners/TUN?as_of=2024-01-15",
    "/followup/funding?as_of=2024-01-15&member_state=BG",
    "/followup/commitments/11?as_of=2024-01-15",
    "/followup/report?as_of=2024-01-15",
]
_RUN_AXE = """async tags => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return r.violations.map(v => ({rule: v.id, help: v.help,
    where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def test_the_changed_follow_up_pages_meet_wcag_21_aa(services, server):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    followup.load(services, SYSTEM)
    axe = AXE.read_text(encoding="utf-8")
    found: dict[str, object] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for viewport in ({"width": 1280, "height": 900}, {"width": 375, "height": 800}):
            page = login_page(browser, server, "com-analyst", "/", viewport=viewport)
            for path in PAGES:
                page.goto(server + path)
                assert "/login" not in page.url and page.locator("h1").count() == 1, path
                page.wait_for_function("[...document.querySelectorAll('.chart[data-spec]')]"
                                       ".every(c => c.hasAttribute('data-chart-ready'))", timeout=20000)
                page.evaluate("source => { (0, eval)(source); }", axe)
                violations = page.evaluate(_RUN_AXE, WCAG_21_AA)
                if (width := page.evaluate("document.documentElement.scrollWidth")) > viewport["width"]:
                    violations.append({"rule": "reflow", "help": f"the page is {width} px wide"})
                if violations:
                    found[f"{path} at {viewport['width']} px"] = violations
            page.close()
        browser.close()
    assert found == {}
