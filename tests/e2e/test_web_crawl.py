"""The web UI as its users meet it: a crawl of every page a role's links reach, and the fixes the
full crawl of the demo world called for.

The crawl follows, for a few roles, every same-site link of every page reached from the home page
(GET only, a few pages per address pattern) and checks what a user meets: no server error, no link
to a page that refuses the user, and on each page a title, one heading of level 1, a label for each
field, headers for each table, no empty table without a word, no Python value leaked into the text.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Callable
from datetime import date
from html import unescape
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from pactum.awareness.schemas import AlertOut
from pactum.responsibility.schemas import CaseCreate, RequestCreate
from pactum.services import awareness, responsibility
from pactum.services.auth import SYSTEM, Principal
from pactum.services.bootstrap import Services
from pactum.web.render import field_label
from tests.conftest import unlabelled_fields

Login = Callable[[str], TestClient]

# ------------------------------------------------------------------ the crawl

#: Python values that must never reach a page's text (outside a form's field or a <pre> of data)
LEAKS = re.compile(r"\bNone\b|datetime\.date\(|Decimal\(|\{'|\[\]|\bnan\b|<bound method|Traceback|object at 0x")
#: an enum member as Python prints it (Status.OPEN)
RAW_ENUM = re.compile(r"\b[A-Z][a-z]\w*\.[A-Z][A-Z_]+\b")
NOT_TEXT = {"script", "style", "textarea", "pre", "template"}
#: the API's own reference (Swagger UI, drawn by its script): not a page of the web UI
API_PAGES = {"/docs", "/openapi.json"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: str | None = None
        self.h1 = 0
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tables: list[dict[str, int]] = []
        self.open_tables: list[dict[str, int]] = []
        self.hidden = 0
        self.in_title = False
        self.text: list[str] = []
        self.images_without_alt = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag in NOT_TEXT:
            self.hidden += 1
        elif tag == "title":
            self.in_title, self.title = True, ""
        elif tag == "h1":
            self.h1 += 1
        elif tag == "a" and a.get("href") is not None:
            self.links.append(str(a["href"]))
        elif tag == "img" and "alt" not in a:
            self.images_without_alt += 1
        elif tag == "table":
            self.open_tables.append({"th": 0, "td": 0})
            self.tables.append(self.open_tables[-1])
        elif tag in ("th", "td") and self.open_tables:
            self.open_tables[-1][tag] += 1
        if a.get("data-spec"):  # a chart's marks link to pages too (the route map)
            self.links += re.findall(r'"href":\s*"([^"]+)"', unescape(str(a["data-spec"])))

    def handle_endtag(self, tag: str) -> None:
        if tag in NOT_TEXT and self.hidden:
            self.hidden -= 1
        elif tag == "title":
            self.in_title = False
        elif tag == "table" and self.open_tables:
            self.open_tables.pop()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title = (self.title or "") + data
        elif not self.hidden:
            self.text.append(data)


def _pattern(url: str) -> str:
    """An address with its ids collapsed: /registry/persons/per_01… -> /registry/persons/{}."""
    parts = urlsplit(url)
    segments = ["{}" if re.search(r"\d|%20| ", s) or len(s) >= 16 else s for s in parts.path.split("/")]
    keys = sorted({kv.split("=", 1)[0] for kv in parts.query.split("&") if kv})
    return "/".join(segments) + ("?" + "&".join(keys) if keys else "")


def page_problems(html: str) -> tuple[list[str], _Page]:
    """What a user meets on one page that they should not."""
    p = _Page()
    p.feed(html)
    found = []
    if not (p.title or "").strip():
        found.append("no <title>")
    if p.h1 != 1:
        found.append(f"{p.h1} <h1> headings")
    found += [f"unlabelled field {f}" for f in unlabelled_fields(html)]
    for i, t in enumerate(p.tables):
        if not t["th"]:
            found.append(f"table {i} has no header cells")
        if not t["td"]:
            found.append(f"table {i} is empty without a word why")
    text = " ".join(" ".join(p.text).split())
    found += [f"leaked {m.group(0)!r}: …{text[max(0, m.start() - 50):m.end() + 50]}…" for m in LEAKS.finditer(text)]
    found += [f"raw enum {m.group(0)}" for m in RAW_ENUM.finditer(text)]
    if p.images_without_alt:
        found.append(f"{p.images_without_alt} image(s) without alt")
    found += [f"link to missing anchor {h}" for h in p.links
              if h.startswith("#") and len(h) > 1 and unquote(h[1:]) not in p.ids]
    return found, p


def crawl(client: TestClient, *, per_pattern: int = 1, max_pages: int = 60) -> dict[str, object]:
    """Every page reached from the home page by following links (GET only): each page's status, the
    pages that link to each, and each HTML page's problems."""
    seen: set[str] = set()
    taken: Counter[str] = Counter()
    queue: deque[tuple[str, str]] = deque([("/", "")])
    status: dict[str, int] = {}
    linked_from: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    while queue and len(status) < max_pages:
        url, came_from = queue.popleft()
        pattern = _pattern(url)
        if url in seen or taken[pattern] >= per_pattern:
            continue
        seen.add(url)
        taken[pattern] += 1
        linked_from.setdefault(url, came_from)
        r = client.get(url, follow_redirects=False)
        status[url] = r.status_code
        if r.is_redirect:
            target = urlsplit(urljoin("http://testserver" + url, r.headers["location"]))
            queue.appendleft((target.path + (f"?{target.query}" if target.query else ""), url))
            continue
        if "text/html" not in r.headers.get("content-type", ""):
            continue
        found, page = page_problems(r.text)
        if found:
            problems[url] = found
        for href in page.links:
            target = urlsplit(urljoin("http://testserver" + url, href))
            if target.scheme not in ("http", "https") or target.netloc != "testserver" or target.path in API_PAGES:
                continue
            queue.append((target.path + (f"?{target.query}" if target.query else ""), url))
    return {"status": status, "linked_from": linked_from, "problems": problems}


@pytest.fixture
def small_world(demo_world: Callable[..., Services]) -> Services:
    return demo_world(scale="0.04", seed=3, end=date(2026, 11, 28), evaluate_alerts=True)


def test_the_crawl_meets_no_error_no_refusing_link_and_no_page_fault(small_world: Services, web_client: Login) -> None:
    report = {}
    for username in ("it-dublin", "it-return", "it-analyst", "com-solidarity", "frontex-analyst"):
        result = crawl(web_client(username))
        status: dict[str, int] = result["status"]  # type: ignore[assignment]
        linked_from: dict[str, str] = result["linked_from"]  # type: ignore[assignment]
        assert len(status) > 10, (username, status)
        errors = {u: s for u, s in status.items() if s >= 500}
        refused = {u: (s, linked_from[u]) for u, s in status.items() if s in (401, 403, 404, 405, 422)}
        report[username] = (errors, refused, result["problems"])
    assert {u: r for u, r in report.items() if any(r)} == {}


def test_the_page_checks_catch_what_the_crawl_of_the_demo_world_found() -> None:
    """The checks themselves: each fault the demo world's crawl met is one they name."""
    base = "<html><head><title>T</title></head><body><h1>H</h1>{}</body></html>"
    assert page_problems(base.format("<p>ok</p>"))[0] == []
    assert "table 0 has no header cells" in page_problems(base.format("<table><tr><td>IT</td></tr></table>"))[0]
    assert "table 0 is empty without a word why" in page_problems(base.format("<table><tr><th>x</th></tr></table>"))[0]
    assert any("leaked" in p for p in page_problems(base.format("<p>to SAR: {'EL': 6}</p>"))[0])
    assert any("leaked 'None'" in p for p in page_problems(base.format("<ul><li>None.</li></ul>"))[0])
    assert page_problems(base.format("<textarea>{\"a\": []}</textarea>"))[0] == ["unlabelled field <textarea name=None>"]
    assert page_problems(base.format('<a href="#nowhere">x</a>'))[0] == ["link to missing anchor #nowhere"]


# ------------------------------------------------------------------ what the demo world's crawl found


def test_a_persons_documents_and_encounters_have_column_headers(web_client: Login) -> None:
    c = web_client("it-caseworker")
    r = c.post("/registry/register", data={
        "surname": "Diallo", "given_names": "Mamadou", "sex": "M", "date_of_birth": "2001", "nationality": "GIN",
        "kind": "irregular_crossing", "occurred_at": "2026-11-26T04:10", "place": "Lampedusa",
        "route": "Central Mediterranean Route", "document_type": "passport", "document_number": "GN1234567",
        "document_country": "GIN"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = c.get(r.headers["location"]).text
    assert page_problems(page)[0] == []
    assert "<th>When</th><th>Kind</th><th>Place</th><th>Route</th>" in page
    # the nationality as on the document, its name for whoever does not know the code
    assert '<abbr title="Guinea">GIN</abbr>' in page


def test_the_pledge_page_spells_out_the_distribution_and_its_rule(small_world: Services, web_client: Login) -> None:
    c = web_client("com-analyst")
    pool = c.get("/solidarity").text
    pledges = re.findall(r'href="(/solidarity/pledge\?year=\d+&(?:amp;)?member_state=[A-Z]{2})"', pool)
    assert pledges
    seen_distribution = False
    for href in pledges:
        page = c.get(unescape(href)).text
        assert page_problems(page)[0] == [], href
        if 'id="distribution"' in page:
            seen_distribution = True
            assert "<th>Beneficiary</th>" in page
            assert "{'" not in page.split("<h3>Rule applied</h3>", 1)[1]
    assert seen_distribution


def test_empty_lists_say_what_is_empty_not_none(web_client: Login) -> None:
    c = web_client("it-return")
    for url, said in (("/returns", "No notification."), ("/returns/hits", "No hit."),
                      ("/returns/operations", "No operations."),
                      ("/returns/operations", "No assisted voluntary return case.")):
        page = c.get(url).text
        assert said in page, url
        assert not LEAKS.search(" ".join(" ".join(page_problems(page)[1].text).split())), url


# ------------------------------------------------------------------ refused forms: the page they came from


def _alert(services: Services, route: str = "Central Mediterranean Route") -> AlertOut:
    return next(a for a in awareness.evaluate_alerts(services, SYSTEM) if a.route == route)


def _main(html: str) -> str:
    return re.split(r"<main[^>]*>", html, maxsplit=1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("where", ["/awareness", "/awareness/routes/Central Mediterranean Route"])
def test_an_acknowledgement_with_a_nul_in_its_note_comes_back_to_its_page_with_the_note_kept(
        services: Services, web_client: Login, where: str) -> None:
    alert = _alert(services)
    c = web_client("frontex-analyst")
    r = c.post(f"/awareness/alerts/{alert.id}/acknowledge",
               data={"version": str(alert.version), "note": "seen by\x00 the desk", "next": where})
    assert r.status_code == 422
    html = _main(r.text)
    assert "Please correct the input" not in html  # not the bare error page
    assert ("Situational awareness" if where == "/awareness" else "<h1>Central Mediterranean Route") in html
    field = re.search(rf'<input type="text" name="note" id="note-{alert.id}"[^>]*>\s*<span class="error"[^>]*>([^<]*)</span>',
                      html)
    assert field is not None, html
    assert 'value="seen by the desk"' in field.group(0) and 'aria-invalid="true"' in field.group(0)
    assert "must not contain the NUL character" in field.group(1)
    assert page_problems(r.text)[0] == []
    # nothing was written: the alert is still open, at its version
    again = next(a for a in awareness.list_alerts(services, SYSTEM) if a.id == alert.id)
    assert again.acknowledged_at is None and again.version == alert.version


def test_an_acknowledgement_refused_by_its_version_or_a_second_time_comes_back_to_its_page(
        services: Services, web_client: Login) -> None:
    alert = _alert(services)
    c = web_client("frontex-analyst")
    route = "/awareness/routes/Central Mediterranean Route"
    bad = c.post(f"/awareness/alerts/{alert.id}/acknowledge", data={"version": "one", "note": "seen", "next": route})
    assert bad.status_code == 422 and "<h1>Central Mediterranean Route" in bad.text
    assert "version: &#39;one&#39; is not a whole number" in bad.text and 'value="seen"' in bad.text
    ok = c.post(f"/awareness/alerts/{alert.id}/acknowledge",
                data={"version": str(alert.version), "note": "seen", "next": route}, follow_redirects=False)
    # back to the route's page, which says the alert was acknowledged
    assert ok.status_code == 303 and ok.headers["location"] == quote_route(route) + f"?acknowledged={alert.id}#acknowledged"
    twice = c.post(f"/awareness/alerts/{alert.id}/acknowledge",
                   data={"version": str(alert.version), "note": "seen", "next": "/awareness"})
    assert twice.status_code == 409 and "Situational awareness" in twice.text
    assert "was already acknowledged by frontex-analyst" in twice.text and "Conflict" not in _main(twice.text)


def quote_route(path: str) -> str:
    from urllib.parse import quote

    return quote(path)


def test_a_note_of_only_blanks_is_no_note(services: Services, web_client: Login) -> None:
    """The note is optional: blanks alone acknowledge without one (the audit keeps no blanks)."""
    alert = _alert(services)
    r = web_client("frontex-analyst").post(f"/awareness/alerts/{alert.id}/acknowledge",
                                           data={"version": str(alert.version), "note": "   ", "next": "/awareness"},
                                           follow_redirects=False)
    assert r.status_code == 303
    from sqlalchemy import select

    from pactum.store.tables.platform import audit_log

    with services.engine.connect() as conn:
        entry = conn.execute(select(audit_log.c.after).where(audit_log.c.action == "awareness.alert_acknowledged")).scalar_one()
    assert entry["note"] is None


def _register(c: TestClient) -> str:
    r = c.post("/registry/register", data={
        "surname": "Diallo", "given_names": "Mamadou", "sex": "M", "date_of_birth": "2001", "nationality": "GIN",
        "kind": "irregular_crossing", "occurred_at": "2026-11-26T04:10", "place": "Lampedusa"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return str(r.headers["location"])


def test_a_nul_in_any_form_comes_back_on_the_forms_own_page_with_the_text_kept(web_client: Login) -> None:
    it = web_client("it-caseworker")
    person = _register(it)
    screening = re.search(r'href="(/registry/screenings/[^"]+)"', it.get(person).text).group(1)  # type: ignore[union-attr]
    cases: list[tuple[TestClient, str, dict[str, str], str, str]] = [
        (it, "/registry/register", {"surname": "Dia\x00llo", "given_names": "Mamadou", "nationality": "GIN"},
         "surname", 'value="Diallo"'),
        (it, screening, {"version": "1", "languages": "Arabic\x00, French"}, "languages", 'value="Arabic, French"'),
        (it, "/procedures/routing", {"nationality": "SYR", "applied_on": "2026-11-20", "member_state": "IT",
                                     "context": "in\x00_territory"}, "context", ""),
        (it, "/law/time-limits", {"kind": "dublin.take_charge_request", "event_at": "2026-11-01",
                                  "member_state": "I\x00T"}, "member_state", 'value="2026-11-01"'),
        (web_client("it-admin"), "/admin/users", {"username": "it-new", "full_name": "New\x00 Officer",
                                                  "authority": "IT", "password": "longenough1", "roles": "caseworker"},
         "full_name", 'value="New Officer"'),
        (web_client("it-return"), "/returns/operations", {"destination_country": "TUN", "planned_date": "2026-12-20",
                                                          "capacity": "10", "escorts": "2\x00"}, "escorts", 'value="TUN"'),
    ]
    for c, url, data, field, kept in cases:
        r = c.post(url, data=data)
        assert r.status_code == 422, url
        main = _main(r.text)
        assert "Please correct the input" not in main, (url, main)  # the form's own page, not the error page
        assert f"{field_label(field)}: must not contain the NUL character" in main, (url, main)
        assert kept in main, (url, kept)
        assert "\x00" not in r.text
    # the login form says it too, and keeps the username
    anonymous = TestClient(it.app)
    r = anonymous.post("/login", data={"username": "it-case\x00worker", "password": "pactum-demo"})
    assert r.status_code == 422 and "<h1>Log in</h1>" in r.text and 'value="it-caseworker"' in r.text
    assert "Username: must not contain the NUL character" in r.text


def test_a_nul_in_a_form_whose_page_refuses_the_user_is_the_error_page(web_client: Login) -> None:
    """A user who may not see the page the form is on gets the error page, not that page."""
    r = web_client("it-caseworker").post("/admin/users", data={"username": "x\x00"})
    assert r.status_code == 422 and "Please correct the input" in r.text


def test_a_refused_dublin_reply_keeps_the_reasons_typed(services: Services, web_client: Login,
                                                        principal: Callable[[str], Principal]) -> None:
    case = responsibility.create_case(services, principal("de-caseworker"), CaseCreate.model_validate({
        "reference": "DE-W-9", "applicant_name": "Samir Haddad",
        "facts": {"application": {"registered_in": "DE", "registered_on": "2026-11-20"},
                  "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-10-01"}]}}))
    req = responsibility.send_request(services, principal("de-dublin"), case["id"], RequestCreate(kind="take_charge"))
    it = web_client("it-dublin")
    for data in ({"action": "refuse", "version": "x", "reasons": "Entry not proven by the hit"},
                 {"action": "refuse", "version": "1", "reasons": "Entry not proven\x00 by the hit"}):
        r = it.post(f"/responsibility/requests/{req['id']}", data=data)
        assert r.status_code == 422
        assert re.search(r'<textarea name="reasons" required[^>]*>Entry not proven by the hit</textarea>', r.text), r.text
        assert "Please correct the input" not in _main(r.text)


def test_a_statistics_form_sent_as_shown_is_answered_and_a_bad_year_said_next_to_its_field(web_client: Login) -> None:
    """The Dublin statistics' year field is blank when first shown: "Show" sent it blank and got
    the error page (year: Input should be a valid integer); so did a cleared year of the return
    statistics."""
    for who, url, heading in (("it-dublin", "/responsibility/statistics", "Dublin requests and transfers"),
                              ("it-return", "/returns/stats", "Ordered to leave and returned, 2026")):
        c = web_client(who)
        shown = c.get(url)
        assert shown.status_code == 200 and page_problems(shown.text)[0] == []
        blank = c.get(url + "?year=")
        assert blank.status_code == 200 and heading in blank.text, url
        bad = c.get(url + "?year=twenty")
        assert bad.status_code == 422 and heading in bad.text, url
        assert re.search(r'value="twenty"[^>]*aria-invalid="true"', bad.text), url
        assert "Year: &#39;twenty&#39; is not a whole number" in bad.text
        far = c.get(url + "?year=1999")
        assert far.status_code == 422 and heading in far.text and "Year:" in far.text, url
