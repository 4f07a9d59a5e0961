"""Every page a user reaches meets WCAG 2.1 A and AA as axe-core checks them, in a real headless
Chromium: the public sector's websites and applications owe it under Directive (EU) 2016/2102
(EN 301 549), and a caseworker using a screen reader must be able to register, verify and decide.

axe-core (Deque, MPL-2.0) is a test asset vendored from npm (``tests/assets/vendor``,
``scripts/vendor-assets.sh``); nothing of it ships in the package. The crawl follows the links of
each role's pages from the home page, one page per kind of address, charts drawn first."""

from __future__ import annotations

import re
from collections import deque
from datetime import date
from pathlib import Path
from typing import Any

import pytest

try:
    from .test_browser import ARGS, CHROMIUM, login_page, server
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_browser import ARGS, CHROMIUM, login_page, server  # type: ignore[no-redef]  # noqa: F401

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "assets" / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ROLES = ("it-caseworker", "it-dublin", "it-return", "it-admin", "com-solidarity", "frontex-analyst",
         "eu-admin", "auditor")
PAGES_PER_ROLE = 12
#: Roles audited again on a phone (375 px): pages with wide tables in cards (pledges, awareness).
PHONE_ROLES = ("it-admin", "com-analyst")
PHONE = {"width": 375, "height": 800}
#: Addresses not crawled: files, the API and its Swagger page (not ours), logging out.
SKIP = re.compile(r"^/(static|api|docs|openapi\.json|logout)|\.(pdf|json|csv)$")
_RUN_AXE = """async tags => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return r.violations.map(v => ({rule: v.id, impact: v.impact, help: v.help,
    where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def _kind(path: str) -> str:
    """One page per kind of address: ids and numbers collapsed."""
    return re.sub(r"[A-Za-z]{2,4}_[0-9A-Z]{20,}|\d+", "#", path.split("?")[0])


def _audit_role(browser: Any, server: str, username: str, axe: str,
                viewport: dict[str, int] | None = None) -> dict[str, list[dict[str, Any]]]:
    """axe's violations on each kind of page the user reaches; on a narrow ``viewport``, also a page
    wider than the screen (WCAG 1.4.10 Reflow: only a table may scroll, in its own region)."""
    viewport = viewport or {"width": 1280, "height": 900}
    page = login_page(browser, server, username, "/", viewport=viewport)
    page.wait_for_load_state()
    queue, seen, kinds, found = deque(["/"]), set(), set(), {}
    while queue and len(kinds) < PAGES_PER_ROLE:
        path = queue.popleft()
        if path in seen or _kind(path) in kinds:
            continue
        seen.add(path)
        response = page.goto(server + path)
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        kinds.add(_kind(path))
        page.wait_for_function("[...document.querySelectorAll('.chart[data-spec]')]"
                               ".every(c => c.hasAttribute('data-chart-ready'))", timeout=20000)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            if href and href.startswith("/") and not href.startswith("//") and not SKIP.search(href.split("?")[0]):
                queue.append(href.split("#")[0])
        _inject_axe(page, axe)
        violations = page.evaluate(_RUN_AXE, WCAG_21_AA)
        if (width := page.evaluate("document.documentElement.scrollWidth")) > viewport["width"]:
            violations.append({"rule": "reflow", "help": f"the page is {width} px wide", "where": []})
        if violations:
            found[path] = violations
    page.close()
    assert len(kinds) >= 5, (username, kinds)  # the crawl reached the role's pages
    return found


def _inject_axe(page, axe: str) -> None:  # type: ignore[no-untyped-def]
    """Load axe-core into ``page``. The pages' content security policy refuses inline scripts (as
    ``add_script_tag`` would add) and allows evaluation (Vega needs it), so axe is evaluated: the
    audit runs under the policy the users get."""
    page.evaluate("source => { (0, eval)(source); }", axe)


@pytest.fixture
def small_world(demo_world):  # type: ignore[no-untyped-def]
    # open alerts, so the acknowledgement forms are on the pages
    return demo_world(scale="0.04", seed=3, end=date(2026, 11, 28), evaluate_alerts=True)


def test_every_page_of_every_role_meets_wcag_21_aa(small_world, server):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    axe = AXE.read_text(encoding="utf-8")
    report: dict[str, dict[str, list[dict[str, Any]]]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        login = browser.new_page()
        login.goto(f"{server}/login")
        _inject_axe(login, axe)
        report["(not logged in)"] = {"/login": v} if (v := login.evaluate(_RUN_AXE, WCAG_21_AA)) else {}
        for username in ROLES:
            report[username] = _audit_role(browser, server, username, axe)
        for username in PHONE_ROLES:
            report[f"{username} at 375 px"] = _audit_role(browser, server, username, axe, PHONE)
        browser.close()
    assert {user: pages for user, pages in report.items() if pages} == {}


def test_the_audit_finds_what_it_is_for(server):  # type: ignore[no-untyped-def]
    """axe as run here names a form field without a label and an image without a text: the test
    above can fail."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page()
        page.goto(f"{server}/login")
        page.evaluate("""() => { const field = document.createElement('input'); field.name = 'unlabelled';
            document.querySelector('form').appendChild(field);
            const img = document.createElement('img'); img.src = '/static/img/favicon.svg';
            document.body.appendChild(img); }""")
        _inject_axe(page, AXE.read_text(encoding="utf-8"))
        rules = {v["rule"] for v in page.evaluate(_RUN_AXE, WCAG_21_AA)}
        browser.close()
    assert {"label", "image-alt"} <= rules, rules
