"""QA walk 17 of the web UI in a real headless Chromium: on a 375 px phone no page scrolls sideways
and each region that does scroll can be reached by keyboard (WCAG 2.1 1.4.10 Reflow, 2.1.1
Keyboard; F7, F8); the first Tab stop skips the menu (F16); the error page's Back link works under
the content security policy (F4)."""

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
PHONE = {"width": 375, "height": 800}
#: Pages with wide tables outside any card, cards side by side, and inline forms.
PAGES = ("/", "/law/parameters", "/followup/report?as_of=2026-11-28", "/procedures/statistics",
         "/returns/stats", "/identity/queue", "/responsibility/cases", "/procedures/new")
_SCROLLABLE_REGIONS = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}"""


@pytest.fixture
def with_followup(services):  # type: ignore[no-untyped-def]
    followup.load(services, SYSTEM)
    return services


def test_no_page_scrolls_sideways_on_a_phone_and_its_wide_tables_take_the_focus(with_followup, server):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    axe = AXE.read_text(encoding="utf-8")
    wide, violations, regions = {}, {}, {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = login_page(browser, server, "it-caseworker", "/", viewport=PHONE)
        page.wait_for_load_state()
        for path in PAGES:
            assert page.goto(server + path).status == 200, path
            page.wait_for_load_state("load")
            page.wait_for_timeout(100)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide[path] = width
            page.evaluate("source => { (0, eval)(source); }", axe)
            if found := page.evaluate(_SCROLLABLE_REGIONS):
                violations[path] = found
            regions[path] = page.evaluate("""() => [...document.querySelectorAll('main [data-scroll-region]')]
                .map(e => [e.getAttribute('tabindex'), e.getAttribute('role'), e.getAttribute('aria-label')])""")
        browser.close()
    assert wide == {} and violations == {}
    # the legal parameters' table is wider than a phone: it scrolls in a named region the Tab key reaches
    assert regions["/law/parameters"] and all(
        tabindex == "0" and role == "region" and label for tabindex, role, label in regions["/law/parameters"])


def test_the_first_tab_stop_skips_the_menu_to_the_form(server):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = login_page(browser, server, "it-caseworker", "/registry/register")
        page.wait_for_selector("#register-form")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "content"
        page.keyboard.press("Tab")  # the next stop is inside the page, not the menu's 18 links
        assert page.evaluate("!!document.activeElement.closest('main')")
        browser.close()


def test_the_back_link_of_an_error_page_goes_back(server):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = login_page(browser, server, "eu-admin", "/law/parameters")
        page.wait_for_url(f"{server}/law/parameters")
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        page.evaluate("() => { const a = document.createElement('a'); a.href = '/registry/search?name=ab';"
                      " a.id = 'go'; a.textContent = 'go'; document.querySelector('main').appendChild(a); }")
        page.click("#go")
        page.wait_for_selector("text=Not allowed")
        page.click("#back")
        page.wait_for_url(f"{server}/law/parameters")
        browser.close()
    assert blocked == []
