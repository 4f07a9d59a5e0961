"""What a caseworker using a screen reader or the keyboard alone is promised (WCAG 2.1 AA, EN 301 549,
as Directive (EU) 2016/2102 asks of a public administration's applications), checked in a real
headless Chromium on a representative page of each area of a small world, and on forms refused.

Each page passes axe-core's WCAG 2.1 A and AA rules (the vendored test asset of
``test_accessibility_browser``) and the checks below that axe does not make, or makes only in
part: the page's structure (one <h1>, no heading level skipped, a skip link to <main>, the
landmarks), the name of every field, table, link, button and chart, each data table's header
scopes, the menu marking the page, a refused form's summary taking the focus with its fields marked
and described, a focus ring that is seen (2.4.7) and field edges that are (1.4.11).
See docs/accessibility.md."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from pactum.web.a11y import chart_name
from pactum.web.render import NavItem, Problem, current_nav, invalid, problems

try:
    from .test_accessibility_browser import _RUN_AXE, AXE, WCAG_21_AA, _inject_axe, small_world
    from .test_browser import ARGS, CHROMIUM, login_page, server
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_accessibility_browser import _RUN_AXE, AXE, WCAG_21_AA, _inject_axe, small_world  # type: ignore[no-redef]  # noqa: F401
    from test_browser import ARGS, CHROMIUM, login_page, server  # type: ignore[no-redef]  # noqa: F401

#: The checks made on every page, in the page: a list of what is wrong, empty when nothing is.
CHECKS = r"""() => {
  const found = [];
  const text = e => e ? (e.textContent || '').replace(/\s+/g, ' ').trim() : '';
  const byIds = ids => (ids || '').split(/\s+/).filter(Boolean).map(i => document.getElementById(i));
  const nameOf = el => (el.getAttribute('aria-label') || '').trim()
    || byIds(el.getAttribute('aria-labelledby')).map(text).join(' ').trim()
    || [...(el.labels || [])].map(text).join(' ').trim();
  const where = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.name ? '[name=' + el.name + ']' : '');

  if (!document.documentElement.lang) found.push('the page has no language (<html lang>)');
  if (!/\S · Pactum$/.test(document.title)) found.push('the title does not name the page: ' + document.title);
  const h1 = document.querySelectorAll('h1');
  if (h1.length !== 1) found.push(h1.length + ' <h1> headings');
  let level = 0;
  document.querySelectorAll('h1, h2, h3, h4, h5, h6').forEach(h => {
    const l = +h.tagName[1];
    if (level && l > level + 1) found.push('heading level skipped before "' + text(h).slice(0, 40) + '"');
    level = l;
  });
  const skip = document.querySelector('a[href^="#"]');
  const target = skip && document.getElementById(skip.getAttribute('href').slice(1));
  if (!skip || !/skip/i.test(text(skip)) || !target || target.tagName !== 'MAIN')
    found.push('the first link of the page does not skip to <main>');
  if (!document.querySelector('body > header')) found.push('no header landmark');
  if (!document.querySelector('header nav[aria-label]')) found.push('no named navigation landmark');
  if (document.querySelectorAll('main').length !== 1) found.push('not one <main>');
  if (!document.querySelector('body > footer')) found.push('no footer landmark');

  document.querySelectorAll('input:not([type=hidden]), select, textarea').forEach(el => {
    if (!nameOf(el)) found.push('field without a label: ' + where(el));
  });
  document.querySelectorAll('[aria-invalid=true]').forEach(el => {
    const said = byIds(el.getAttribute('aria-describedby')).filter(Boolean).map(text).join(' ');
    if (!said) found.push('field marked invalid without the message described: ' + where(el));
  });
  document.querySelectorAll('a[href], button, summary').forEach(el => {
    if (!text(el) && !nameOf(el) && !el.getAttribute('title')) found.push('link or button without a name: ' + el.outerHTML.slice(0, 80));
  });
  document.querySelectorAll('table').forEach((t, i) => {
    const named = text(t.caption) || nameOf(t);
    if (!named) found.push('table without a name: ' + (t.id || '#' + i));
    if (!t.querySelector('th')) found.push('table without header cells: ' + (t.id || '#' + i));
    t.querySelectorAll('th').forEach(th => {
      if (!['col', 'row', 'colgroup', 'rowgroup'].includes(th.getAttribute('scope')))
        found.push('header cell without a scope in ' + (t.id || named || '#' + i) + ': ' + text(th).slice(0, 30));
    });
  });
  const menu = [...document.querySelectorAll('header nav a')];
  const mine = menu.find(a => a.getAttribute('href') === location.pathname);
  if (mine && mine.getAttribute('aria-current') !== 'page') found.push('the menu does not mark the page: ' + location.pathname);
  if (menu.filter(a => a.getAttribute('aria-current')).length > 1) found.push('the menu marks several entries');
  document.querySelectorAll('[tabindex]').forEach(el => {
    if (+el.getAttribute('tabindex') > 0) found.push('positive tabindex: ' + where(el));
  });
  document.querySelectorAll('img').forEach(el => { if (!el.hasAttribute('alt')) found.push('image without alt: ' + el.src); });
  document.querySelectorAll('.chart').forEach(c => {
    if (c.getAttribute('role') !== 'img' || !(c.getAttribute('aria-label') || '').trim())
      found.push('chart without a text alternative: ' + c.id);
    if (!c.querySelector('svg')) found.push('chart not drawn: ' + c.id);
  });
  return found;
}"""

#: The pages, by user: the address, or how to reach the page from the one before (a link to follow).
PAGES: dict[str, list[tuple[str, str]]] = {
    "it-caseworker": [
        ("dashboard", "/"),
        ("screening", "{screening}"),  # an open one of Italy's: then refused, then the person it is of
        ("person", "link:main dl a[href^='/registry/persons/']"),
        ("registry search", "/registry/search"),
        ("procedures queue", "/procedures"),
        ("an asylum case", "link:#queue a[href^='/procedures/cases/']"),
        ("legal parameters", "/law/parameters?prefix=ammr"),
        ("time limits", "/law/time-limits"),
        ("follow-up", "/followup"),
        ("applicants' reception conditions", "/reception/conditions"),
    ],
    "{dublin}": [  # the Dublin unit of a state with a request in the small world (``dublin_request``)
        ("Dublin inbox", "/responsibility/inbox"),
        ("Dublin outbox", "/responsibility/outbox"),
        ("Dublin request", "{request}"),
        ("responsibility cases", "/responsibility/cases"),
    ],
    "com-solidarity": [
        ("solidarity pool", "/solidarity"),
        ("relocation transfers", "/solidarity/transfers"),
        ("resettlement", "/resettlement"),
    ],
    "eu-admin": [
        ("awareness dashboard", "/awareness"),
        ("weekly report", "/awareness/report"),  # its charts written by the report, named by their specs
        ("follow-up funding", "/followup/funding"),
        ("reception", "/reception"),
    ],
}

_CHARTS_DRAWN = ("[...document.querySelectorAll('.chart[data-spec]')]"
                 ".every(c => c.hasAttribute('data-chart-ready'))")


def _audit(page: Any, axe: str) -> list[str]:
    """What is wrong with the page open in ``page``: axe's WCAG 2.1 A and AA violations and the
    checks above."""
    page.wait_for_function(_CHARTS_DRAWN, timeout=20000)
    _inject_axe(page, axe)
    said = [f"axe {v['rule']}: {v['help']} at {v['where']}" for v in page.evaluate(_RUN_AXE, WCAG_21_AA)]
    return said + page.evaluate(CHECKS)


def _open(page: Any, server: str, how: str, found: dict[str, str]) -> None:
    how = how.format(**found)
    if how.startswith("link:"):
        href = page.get_attribute(how[5:] + " >> nth=0", "href")
        assert href, how
        how = href
    page.goto(server + how)


def _refuse(page: Any, form: str) -> None:
    """Send ``form`` as it stands without the browser's own checks of required fields, as a browser
    that makes none would: the server's refusal is what is looked at."""
    page.evaluate("f => { document.querySelector(f).noValidate = true; }", form)
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


@pytest.fixture
def open_screening(small_world) -> str:  # type: ignore[no-untyped-def]
    """The address of an open screening of Italy's (its form may be filled in, and refused): of an
    arrival registered the day before the world's last day."""
    from pactum.registry.model import RegisterArrival
    from pactum.services import registry, users

    officer = users.authenticate(small_world, "it-caseworker", "pactum-demo")
    at = small_world.clock.now() - timedelta(hours=20)
    registration = registry.register_arrival(small_world, officer, RegisterArrival.model_validate({
        "identity": {"given_names": "Amina", "surname": "Keita", "sex": "F", "date_of_birth": "1998-02-11",
                     "nationality": "MLI", "documents": []},
        "encounter": {"member_state": "IT", "occurred_at": at.isoformat(), "kind": "sar_disembarkation",
                      "place": "Lampedusa"}}))
    assert registration.screening is not None, registration
    return f"/registry/screenings/{registration.screening.id}"


@pytest.fixture
def dublin_request(small_world) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A Dublin unit with a request in the small world (a demo user of the requesting state) and
    the address of that request (which states the world's requests are between depends on its
    draws: Germany had one before its unaccompanied minors were given Eurostat's ages)."""
    from sqlalchemy import select

    from pactum.scenario.steps.registry import DEMO_USERS
    from pactum.store.tables.responsibility import dublin_requests as r

    units = {u for u, *_ in DEMO_USERS if u.endswith("-dublin")}
    with small_world.engine.connect() as conn:
        found = [(row.id, f"{row.requesting_member_state.lower()}-dublin")
                 for row in conn.execute(select(r.c.id, r.c.requesting_member_state).order_by(r.c.id))]
    mine = [(rid, unit) for rid, unit in found if unit in units]
    assert mine, "the small world has no Dublin request of a state with a demo Dublin unit"
    return mine[0][1], f"/responsibility/requests/{mine[0][0]}"


@pytest.mark.browser
def test_a_page_of_every_area_meets_wcag_21_aa(small_world, server, open_screening, dublin_request):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    axe = AXE.read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        unit, request = dublin_request
        for username, pages in PAGES.items():
            username = unit if username == "{dublin}" else username
            page = login_page(browser, server, username, "/")
            page.wait_for_load_state()
            for what, how in pages:
                _open(page, server, how, {"screening": open_screening, "request": request})
                titles.setdefault(page.title(), f"{username} {what}")
                assert titles[page.title()] == f"{username} {what}", f"two pages titled {page.title()!r}"
                if problems_found := _audit(page, axe):
                    found[f"{username} {what} {page.url}"] = problems_found
                if what == "screening":  # the form refused: an outcome the answers do not allow
                    page.select_option("select[name=applied_for_protection]", "yes")
                    page.select_option("select[name=outcome]", "return")
                    _refuse(page, "#screening-form")
                    assert page.locator(".error[role=alert]").count() == 1
                    if problems_found := _audit(page, axe):
                        found[f"{username} refused screening"] = problems_found
            page.close()
        browser.close()
    assert found == {}


@pytest.mark.browser
def test_a_refused_form_moves_the_focus_to_its_summary_and_marks_the_fields(small_world, server):  # type: ignore[no-untyped-def]
    """WCAG 2.1 3.3.1 and 4.1.3: the user hears at once why the application was not made, and
    reaching a field hears what is wrong with it."""
    from playwright.sync_api import sync_playwright

    axe = AXE.read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = login_page(browser, server, "it-caseworker", "/procedures/new")
        page.wait_for_url(f"{server}/procedures/new")
        page.fill("input[name=made_on]", "")
        _refuse(page, "form[action='/procedures/new']")
        focused = page.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('role'),"
                                " document.activeElement.textContent]")
        assert focused[:2] == ["error", "alert"] and "Made on: required" in focused[2], focused
        for name, said in (("made_on", "Made on: required"), ("person_id", "Person: required"),
                           ("context", "Context: required")):
            field = page.locator(f"[name={name}]")
            assert field.get_attribute("aria-invalid") == "true", name
            described = page.evaluate("ids => ids.split(' ').map(i => document.getElementById(i).textContent).join(' ')",
                                      field.get_attribute("aria-describedby"))
            assert described == said, (name, described)
        assert page.locator("[name=registered_on]").get_attribute("aria-invalid") is None  # not refused
        assert _audit(page, axe) == []

        page.goto(f"{server}/law/parameters?on=30.11.2026")  # a date the page cannot read
        date = page.locator("input[name=on]")
        assert date.get_attribute("aria-invalid") == "true"
        assert page.evaluate("() => document.activeElement.id") == "problems"
        assert "'30.11.2026' is not a date" in page.inner_text("#" + str(date.get_attribute("aria-describedby")))
        browser.close()


def _contrast(a: list[float], b: list[float]) -> float:
    def lum(rgb: list[float]) -> float:
        c = [x / 255 for x in rgb[:3]]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


#: The colour of the element's outline and of its border, the background they are drawn on (the
#: first ancestor's that is not transparent: of the field for its border, of what is shown just
#: beside the element for its outline), and how its outline is drawn.
_STYLES = """el => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const bg = from => { for (let e = from; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || c[3] > 0) return c; }
    return [255, 255, 255]; };
  const r = el.getBoundingClientRect(), y = r.top + r.height / 2;
  const x = r.left >= 6 ? r.left - 4 : r.right + 4;
  const beside = document.elementsFromPoint(x, y).find(e => e !== el && !el.contains(e)) || el.parentElement;
  const s = getComputedStyle(el);
  return {what: el.tagName + (el.id ? '#' + el.id : '') + ' ' + (el.textContent || el.name || '').trim().slice(0, 30),
          outline: s.outlineStyle, width: parseFloat(s.outlineWidth), outlineColor: rgb(s.outlineColor),
          border: parseFloat(s.borderTopWidth), borderColor: rgb(s.borderTopColor),
          beside: bg(beside), around: bg(el.parentElement)};
}"""


@pytest.mark.browser
def test_the_keyboard_focus_is_seen_and_fields_show_their_edges(small_world, server):  # type: ignore[no-untyped-def]
    """WCAG 2.1 2.4.7: each stop of the keyboard shows a ring of at least 2 px, at 3:1 or more
    against what is around it (in the blue header as in the page); 1.4.11: the edge of a field to
    type in stands out at 3:1 from the page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = login_page(browser, server, "it-caseworker", "/procedures/new")
        page.wait_for_url(f"{server}/procedures/new")
        stops, weak = [], []
        for _ in range(30):
            page.keyboard.press("Tab")
            style = page.evaluate(f"() => document.activeElement === document.body ? null : ({_STYLES})(document.activeElement)")
            if style is None:
                continue
            stops.append(style["what"])
            if style["outline"] in ("none", "auto") or style["width"] < 2 \
                    or _contrast(style["outlineColor"], style["beside"]) < 3:
                weak.append(style)
        assert len(stops) >= 20 and any(w.startswith("A") for w in stops) and any(w.startswith("INPUT") for w in stops)
        assert weak == []
        fields = page.locator("main input:not([type=hidden]):not([type=checkbox]), main select, main textarea")
        edges = [fields.nth(i).evaluate(_STYLES) for i in range(fields.count())]
        assert len(edges) >= 5
        faint = [e["what"] for e in edges if e["border"] < 1 or _contrast(e["borderColor"], e["around"]) < 3]
        assert faint == []
        browser.close()


@pytest.mark.browser
def test_charts_are_images_named_by_what_they_show(small_world, server):  # type: ignore[no-untyped-def]
    """WCAG 2.1 1.1.1: a screen reader says what a chart shows (the map of routes, each route's
    detections over 24 months with its figures, the arrivals by route) instead of Vega's marks."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = login_page(browser, server, "eu-admin", "/awareness")
        page.wait_for_url(f"{server}/awareness")
        page.wait_for_function(_CHARTS_DRAWN, timeout=20000)
        charts = page.eval_on_selector_all(".chart", "cs => cs.map(c => [c.id, c.getAttribute('role'), c.getAttribute('aria-label')])")
        assert charts[0][:2] == ["route-map", "img"] and charts[0][2].startswith("Map of the migratory routes")
        sparks = [c for c in charts if c[0].startswith("spark-")]
        assert sparks and all(role == "img" and "in the last 24 months:" in label and "; highest " in label
                              for _, role, label in sparks), sparks
        page.goto(f"{server}/")
        label = page.get_attribute("#arrivals-chart", "aria-label")
        assert page.get_attribute("#arrivals-chart", "role") == "img"
        assert label is not None and label.startswith("Encounters registered by month, one line per route")
        browser.close()


def test_a_chart_is_named_by_the_page_its_description_or_its_title_with_its_course():
    line = {"encoding": {"x": {"field": "month", "type": "temporal"}, "y": {"field": "value", "type": "quantitative"}},
            "data": {"values": [{"month": "2025-01", "value": 120}, {"month": "2025-02", "value": 4210.4},
                                {"month": "2025-03", "value": 980}]}}
    assert chart_name(line, "Detections on the Western Balkan Route") == \
        "Detections on the Western Balkan Route: 120 in 2025-01, 980 in 2025-03; highest 4,210 in 2025-02."
    assert chart_name({**line, "description": "Detections by month."}) == "Detections by month."
    assert chart_name({"title": {"text": "Funding by stage"}, "mark": "bar"}) == "Funding by stage"
    assert chart_name({**line, "encoding": {**line["encoding"], "color": {"field": "route"}}}, "Arrivals") == "Arrivals"
    assert chart_name(None) == "Chart"


def test_the_menu_marks_the_page_or_the_only_entry_of_its_area():
    nav = [NavItem("Dashboard", "/"), NavItem("Search", "/registry/search", sections=("/registry/persons/",)),
           NavItem("Identity links", "/identity/queue"), NavItem("Asylum cases", "/procedures"),
           NavItem("Decision statistics", "/procedures/statistics"), NavItem("Dublin inbox", "/responsibility/inbox"),
           NavItem("Dublin outbox", "/responsibility/outbox")]
    assert current_nav(nav, "/") == {"/": "page"}
    assert current_nav(nav, "/procedures/statistics") == {"/procedures/statistics": "page"}
    assert current_nav(nav, "/procedures/cases/pc_1") == {"/procedures": "page"}
    assert current_nav(nav, "/registry/persons/per_1") == {"/registry/search": "page"}  # declared by its entry
    assert current_nav(nav, "/identity/links/IDL_1") == {"/identity/queue": "true"}  # the area's one entry
    assert current_nav(nav, "/responsibility/requests/dbr_1") == {}  # inbox or outbox: not guessed
    assert current_nav(nav, "/account") == {}


def test_a_refused_field_is_marked_and_described_by_its_lines_of_the_summary():
    from pactum.common.errors import ValidationProblem

    said = problems(ValidationProblem([("made_on", "required"), ("reasons.0", "unknown reason"),
                                       ("body", "nothing changed")]))
    assert said == ["Made on: required", "Reasons: unknown reason", "Nothing changed"]
    assert [getattr(p, "field", None) for p in said] == ["made_on", "reasons.0", ""]
    assert str(invalid(said, "made_on")) == ' aria-invalid="true" aria-describedby="problem-1"'
    assert str(invalid(said, "reasons", "refusal_reason")) == ' aria-invalid="true" aria-describedby="problem-2"'
    assert str(invalid(said, "registered_on")) == ""
    assert str(invalid([Problem("Made on: required", "facts.made_on")] * 2, "made_on")) == \
        ' aria-invalid="true" aria-describedby="problem-1 problem-2"'
    assert str(invalid(["a line that names no field"], "made_on")) == ""


@pytest.mark.browser
def test_a_refused_login_says_why_first(server):  # type: ignore[no-untyped-def]
    """The focus is on the message (not back in the username field), so a screen reader says at once
    that the login failed, and the next Tab reaches the form."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page()
        page.goto(f"{server}/login")
        assert page.evaluate("() => document.activeElement.name") == "username"  # the form opens ready to type
        page.fill("input[name=username]", "it-caseworker")
        page.fill("input[name=password]", "not-the-password")
        page.click("button[type=submit]")
        page.wait_for_selector(".error[role=alert]")
        page.wait_for_load_state()
        assert page.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('role')]") \
            == ["error", "alert"]
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.name") == "username"
        browser.close()
