"""The Annual Solidarity Pool run from the web pages, as its users run it: the Commission's coordinator
opens a cycle, moves it through its stages and decides deduction requests on the pool page; a state's
coordinator records its need, asks for a deduction and records the money paid on its pledge page.

Each test fills in the form the page shows (its fields as the page pre-fills them, hidden ones
included) and sends it where the form says, then reads what the pages and the API answer. Refused
forms come back on their page with the field named and what was typed kept. Each test failed on the
old code: the pages had none of these forms and the routes they post to did not exist."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from html import unescape
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from pactum.services.bootstrap import Services
from tests.conftest import unlabelled_fields

API = "/api/v1/solidarity"
W = Callable[[str], TestClient]
H = Callable[[str], dict[str, str]]


class _Forms(HTMLParser):
    """Each form of a page: its action and the values it would send as shown (checkboxes when ticked)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, tuple[str, dict[str, str]]] = {}
        self.current: tuple[str, dict[str, str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method") == "post":
            self.current = (a["action"], {})
            self.forms[a.get("id", a["action"])] = self.current
        elif tag == "input" and self.current is not None and a.get("name"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.current[1][a["name"]] = a.get("value", "on")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None


def forms(html: str) -> dict[str, tuple[str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def send(c: TestClient, html: str, form_id: str, **typed: str) -> tuple[int, str]:
    """Fill in the page's form ``form_id`` with ``typed`` and send it; (status, where it led or the page)."""
    found = forms(html)
    assert form_id in found, f"no form {form_id} on the page: {sorted(found)}"
    action, values = found[form_id]
    r = c.post(action, data={**values, **typed}, follow_redirects=False)
    return r.status_code, r.headers["location"] if r.status_code == 303 else r.text


def notice(html: str) -> str:
    m = re.search(r'<p class="notice" role="status" id="notice">(.*?)</p>', html, re.S)
    assert m, "no notice on the page"
    return unescape(m[1])


def errors(html: str, block_id: str) -> list[str]:
    m = re.search(rf'id="{block_id}">.*?<ul>(.*?)</ul>', html, re.S)
    assert m, f"no {block_id} on the page"
    return [unescape(e) for e in re.findall(r"<li[^>]*>(.*?)</li>", m[1], re.S)]


#: The day the tests' 2027 pool starts its implementation: its year has begun (Arts 57, 60(3)).
IMPLEMENTATION_2027 = datetime(2027, 1, 4, 12, tzinfo=UTC)


def into_2027(client: TestClient) -> None:
    """Move the clock of ``client``'s services to :data:`IMPLEMENTATION_2027`, keeping the sessions
    opened before (tokens and web cookies) valid: the 2027 pool is implemented only once 2027 begins."""
    from sqlalchemy import update

    from pactum.store.tables.platform import sessions

    services = client.app.state.services  # type: ignore[attr-defined]
    services.clock.set(IMPLEMENTATION_2027)
    with services.engine.begin() as conn:
        conn.execute(update(sessions).values(expires_at=IMPLEMENTATION_2027 + timedelta(hours=12)))


#: What a state the Commission's decision identified as facing a significant migratory situation includes
#: in a deduction request (Regulation (EU) 2024/1351, Article 62(2), points (a) to (d)).
ART_62_2 = {
    "stabilisation": "Keeping the pledged places frees reception capacity for the winter arrivals.",
    "replacement": "The relocations could not be replaced by money without the same strain on reception.",
    "vulnerabilities": "Two reception centres open in February; registration staff doubled by March.",
    "capacity_reached": "Reception is at its maximum capacity in the east: no place is left for relocated persons.",
}


def new_cycle(client: TestClient, com: dict[str, str], *, status: str = "pledging",
              pledges: dict[str, int] | None = None, **designated: str) -> None:
    """The 2027 cycle through the API, with its designations (state: status), moved on to ``status``.
    ``pledges`` (state: relocations) are pledged once pledging is open, and each state under pressure
    then records a need of 1,000 relocations: the places of the pool a relocation transfer goes within.
    Implementation starts on 2027-01-04, the clock moved there (:func:`into_2027`)."""
    assert client.post(f"{API}/cycles", headers=com, json={
        "year": 2027, "proposal_on": "2026-10-15",
        "designations": [{"member_state": ms, "status": st} for ms, st in designated.items()]}).status_code == 201
    for action, reached in (("open_pledging", "pledging"), ("adopt", "adopted"),
                            ("start_implementation", "implementation")):
        if status == "proposal":
            break
        if action == "adopt" and pledges:
            for ms, n in pledges.items():
                assert client.post(f"{API}/cycles/2027/pledges", headers=com,
                                   json={"member_state": ms, "relocations": n}).status_code == 200
            for ms, st in designated.items():
                if st == "under_pressure":
                    assert client.post(f"{API}/cycles/2027/needs", headers=com,
                                       json={"member_state": ms, "relocations": 1000}).status_code == 200
        on = "2026-11-01"
        if action == "start_implementation":
            into_2027(client)
            on = "2027-01-04"
        version = client.get(f"{API}/cycles/2027", headers=com).json()["version"]
        body = {"version": version, "on": on} | (
            {"council_act_reference": "Council Implementing Decision (EU) 2026/1"} if action == "adopt" else {})
        assert client.post(f"{API}/cycles/2027/actions/{action}", headers=com, json=body).status_code == 200
        if reached == status:
            break


@pytest.fixture
def world(demo_world: Callable[..., Services]) -> Services:
    """The demo world's 2026 pool, in implementation, with its pledges."""
    return demo_world(scale="XS", only=["solidarity"], end=date(2026, 11, 28))


# ------------------------------------------------------------------ the Commission


def test_the_commission_opens_a_cycle_and_moves_it_through_its_stages(
        services: Services, web_client: W, client: TestClient, auth_headers: H) -> None:
    com = web_client("com-solidarity")
    headers = auth_headers("com-solidarity")
    html = com.get("/solidarity").text
    assert "No annual solidarity cycle has been opened yet." in html
    assert not unlabelled_fields(html)
    status, where = send(com, html, "cycle-create-form", year="2027", proposal_on="2026-10-15",
                         under_pressure="IT, EL", significant_migratory_situation="AT")
    assert status == 303, where
    html = com.get(where).text
    assert notice(html).startswith("The 2027 cycle is open at the proposal stage")
    assert "Annual Solidarity Pool 2027 <small>proposal</small>" in html
    assert "IT: under pressure" in html and "AT: significant migratory situation" in html
    assert "<strong>30,000</strong> relocations" in html  # the Art 12(2) minimum, proposed when left blank
    assert "Regulation (EU) 2024/1351, Article 11" in html  # the proposal's legal basis, from the law's data
    cycle = client.get(f"{API}/cycles/2027", headers=headers).json()
    assert cycle["status"] == "proposal" and cycle["proposal_on"] == "2026-10-15"
    assert {(d["member_state"], d["status"]) for d in cycle["designations"]} == {
        ("IT", "under_pressure"), ("EL", "under_pressure"), ("AT", "significant_migratory_situation")}

    # each stage offers its own next step only, with the dates (and, for the Council's act, the facts) it needs
    steps = [("open_pledging", "pledging", {"on": "2026-10-28"}, "Pledging is open"),
             ("adopt", "adopted", {"on": "2026-11-10", "council_act_reference": "Council Implementing Decision (EU) 2026/9",
                                   "pool_relocations": "31000", "sar_earmark": "40"}, "The Council's implementing act is recorded"),
             ("start_implementation", "implementation", {"on": "2027-01-04"}, "Implementation has started"),
             ("close", "closed", {"on": "2028-01-03"}, "The cycle is closed")]
    for action, reached, typed, said in steps:
        if action == "start_implementation":  # the 2027 pool is implemented once 2027 begins
            into_2027(client)
            html = com.get("/solidarity?year=2027").text
        if action == "close":
            # pledges are implemented through 2027: the cycle is closed once that year is over
            assert 'data-action="close"' not in html and "can be closed from 2028-01-01" in html
            services.clock.set(datetime(2028, 1, 3, 12, tzinfo=UTC))  # type: ignore[attr-defined]
            com, headers = web_client("com-solidarity"), auth_headers("com-solidarity")
            html = com.get("/solidarity?year=2027").text
        offered = re.findall(r'id="cycle-action-form" data-action="(\w+)"', html)
        assert offered == [action], (action, offered)
        status, where = send(com, html, "cycle-action-form", **typed)
        assert status == 303, where
        html = com.get(where).text
        assert notice(html).startswith(said)
        assert f"Annual Solidarity Pool 2027 <small>{reached}</small>" in html
        assert client.get(f"{API}/cycles/2027", headers=headers).json()["status"] == reached
    cycle = client.get(f"{API}/cycles/2027", headers=headers).json()
    assert cycle["forum_on"] == "2026-10-28" and cycle["council_act_on"] == "2026-11-10"
    assert cycle["council_act_reference"] == "Council Implementing Decision (EU) 2026/9"
    assert cycle["pool_relocations"] == 31000 and cycle["sar_earmark"] == 0.4
    # the euros follow the relocations changed on the form (EUR 20,000 each); the proposal is kept
    assert cycle["pool_financial_eur"] == 620_000_000
    assert (cycle["proposal_relocations"], cycle["proposal_financial_eur"]) == (30000, 600_000_000)
    assert cycle["implementation_from"] == "2027-01-04" and cycle["closed_on"] == "2028-01-03"
    assert 'id="cycle-action-form"' not in html and "The 2027 cycle is closed: it has no further step." in html


def test_refused_cycle_forms_come_back_with_the_field_named_and_what_was_typed(
        services: Services, web_client: W, client: TestClient, auth_headers: H) -> None:
    com = web_client("com-solidarity")
    headers = auth_headers("com-solidarity")
    html = com.get("/solidarity").text
    status, page = send(com, html, "cycle-create-form", year="2027", pool_relocations="-5", under_pressure="IT, XX")
    assert status == 422
    said = errors(page, "create-errors")
    assert any(e.startswith("Pool: relocations: the proposal is at least 30000 relocations") for e in said), said
    assert any(e.startswith("Under migratory pressure:") and "XX" in e for e in said), said
    typed = forms(page)["cycle-create-form"][1]
    assert typed["pool_relocations"] == "-5" and typed["under_pressure"] == "IT, XX" and typed["year"] == "2027"
    assert client.get(f"{API}/cycles", headers=headers).json() == []

    status, where = send(com, page, "cycle-create-form", pool_relocations="", under_pressure="IT",
                         proposal_on="2026-10-15")
    assert status == 303
    html = com.get(where).text
    status, page = send(com, html, "cycle-create-form", year="2027", at_risk="MT")
    assert status == 409 and "Year: a solidarity cycle for 2027 already exists" in errors(page, "create-errors")
    assert forms(page)["cycle-create-form"][1]["at_risk"] == "MT"

    # the Council's act needs its reference; a share beyond 100% is no earmark
    status, where = send(com, html, "cycle-action-form", on="2026-10-28")
    html = com.get(where).text
    status, page = send(com, html, "cycle-action-form", on="2026-11-10", council_act_reference="  ", sar_earmark="40")
    assert status == 422
    assert errors(page, "action-errors") == ["Council implementing act: name the Council implementing act"]
    assert forms(page)["cycle-action-form"][1]["sar_earmark"] == "40"
    status, page = send(com, html, "cycle-action-form", on="2026-11-10", council_act_reference="CID 2026/9",
                        sar_earmark="150")
    assert status == 422 and errors(page, "action-errors") == ["SAR earmark (%): must be at most 100"]
    status, page = send(com, html, "cycle-action-form", on="2026-11-10", council_act_reference="CID\x00 2026/9")
    assert status == 422 and errors(page, "action-errors")[0].startswith("Council implementing act:")
    assert forms(page)["cycle-action-form"][1]["council_act_reference"] == "CID 2026/9"
    assert forms(page)["cycle-action-form"][1]["council_act_reference"] == "CID 2026/9"
    assert client.get(f"{API}/cycles/2027", headers=headers).json()["status"] == "pledging"

    # a form of a stage the cycle has left (sent twice, or from a page opened before someone moved it on)
    old = html
    assert send(com, old, "cycle-action-form", on="2026-11-10", council_act_reference="CID 2026/9")[0] == 303
    status, page = send(com, old, "cycle-action-form", on="2026-11-11", council_act_reference="CID 2026/10")
    assert status == 409
    assert "Nothing was done: cannot adopt: the cycle is in 'adopted'" in errors(page, "refused-errors")[0]
    assert client.get(f"{API}/cycles/2027", headers=headers).json()["council_act_reference"] == "CID 2026/9"


def test_readers_see_the_cycle_without_the_commissions_forms(
        services: Services, web_client: W, client: TestClient, auth_headers: H) -> None:
    new_cycle(client, auth_headers("com-solidarity"), status="pledging", AT="significant_migratory_situation")
    at = web_client("at-admin")
    assert send(at, at.get("/solidarity/pledge?year=2027").text, "deduction-form",
                relocations="100", on="2026-11-20", **ART_62_2)[0] == 303
    analyst = web_client("com-analyst")
    html = analyst.get("/solidarity?year=2027").text
    assert "Annual Solidarity Pool 2027" in html and "AT: significant migratory situation" in html
    assert list(forms(html)) == ["/logout"]  # no cycle, step or decision form
    assert 'id="deductions"' in html and "requested" in html  # the request is read, not decided
    r = analyst.post("/solidarity/cycle-action", data={"year": "2027", "action": "adopt", "version": "2",
                                                       "on": "2026-11-10", "council_act_reference": "X"})
    assert r.status_code == 403
    assert analyst.post("/solidarity/cycles", data={"year": "2028", "proposal_on": "2026-11-01"}).status_code == 403
    assert [c["year"] for c in client.get(f"{API}/cycles", headers=auth_headers("com-analyst")).json()] == [2027]


# ------------------------------------------------------------------ a state's coordinator


def test_a_benefitting_state_records_its_need(services: Services, web_client: W, client: TestClient,
                                              auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", IT="under_pressure")
    it = web_client("it-admin")
    html = it.get("/solidarity/pledge?year=2027").text
    assert "No need recorded for 2027, although IT is under migratory pressure." in html
    assert "Record our need" in html and not unlabelled_fields(html)

    status, page = send(it, html, "need-form", relocations="-3", financial_eur="2000000", sar="1")
    assert status == 422
    assert errors(page, "need-errors") == ["Relocations: cannot be negative (got -3)"]
    kept = forms(page)["need-form"][1]
    assert kept["relocations"] == "-3" and kept["financial_eur"] == "2000000" and kept["sar"] == "1"

    # a NUL character is refused before the view reads the form: the same page, the same form
    status, page = send(it, html, "need-form", relocations="-3", financial_eur="20\x0000")
    assert status == 422 and 'id="need-errors"' in page
    assert forms(page)["need-form"][1]["financial_eur"] == "2000"

    status, where = send(it, page, "need-form", relocations="5000", financial_eur="2000000", sar="1")
    assert status == 303, where
    html = it.get(where).text
    assert notice(html).startswith("Need recorded")
    assert "Need recorded: <strong>5,000</strong> relocations and EUR 2,000,000" in html
    assert "under pressure from search-and-rescue disembarkations" in html
    assert "Change our need" in html and forms(html)["need-form"][1]["relocations"] == "5000"
    need = next(n for n in client.get(f"{API}/cycles/2027/overview", headers=com).json()["needs"]
                if n["member_state"] == "IT")
    assert (need["relocations"], need["financial_eur"], need["sar"]) == (5000, 2000000, True)

    # a state records its own need only; its analyst reads it; a contributing state has no need form
    status, page = send(it, html, "need-form", member_state="EL", relocations="9000")
    assert status == 403
    said = errors(page, "need-errors")
    assert said[0].startswith("State: nothing was recorded") and "act only for IT" in said[0]
    assert forms(page)["need-form"][1]["relocations"] == "9000"
    analyst = web_client("it-analyst")
    read = analyst.get("/solidarity/pledge?year=2027").text
    assert "Need recorded: <strong>5,000</strong>" in read and 'id="need-form"' not in read
    r = analyst.post("/solidarity/need", data={"year": "2027", "member_state": "IT", "relocations": "1"})
    assert r.status_code == 403 and "Nothing was recorded" in r.text
    assert 'id="need-form"' not in web_client("de-admin").get("/solidarity/pledge?year=2027").text
    needs = client.get(f"{API}/cycles/2027/overview", headers=com).json()["needs"]
    assert [(n["member_state"], n["relocations"]) for n in needs] == [("IT", 5000)]


def test_a_state_asks_for_a_deduction_and_the_commission_grants_it(
        services: Services, web_client: W, client: TestClient, auth_headers: H) -> None:
    com_h = auth_headers("com-solidarity")
    new_cycle(client, com_h, status="pledging", AT="significant_migratory_situation", PL="under_pressure")
    at = web_client("at-admin")
    html = at.get("/solidarity/pledge?year=2027").text
    assert "AT has not asked for a deduction in 2027." in html and "Regulation (EU) 2024/1351, Article 61" in html

    status, page = send(at, html, "deduction-form", relocations="0", on="2026-11-20", **ART_62_2)
    assert status == 422
    assert errors(page, "deduction-errors") == [
        "Relocations: a deduction is a positive number of relocation equivalents"]
    status, page = send(at, html, "deduction-form", relocations="250", on="2026-12-20", **ART_62_2)
    assert status == 422 and errors(page, "deduction-errors") == [
        "Requested on: a deduction cannot be requested on a future date (today is 2026-11-28 in AT)"]
    assert forms(page)["deduction-form"][1].items() >= {"relocations": "250", "on": "2026-12-20"}.items()

    status, where = send(at, html, "deduction-form", relocations="250", on="2026-11-20", **ART_62_2)
    assert status == 303, where
    html = at.get(where).text
    assert notice(html) == ("Deduction of 250 relocations requested: the Commission assesses it by 2026-12-18. "
                            "It is listed under \u201cDeductions\u201d below.")
    row = html.split('id="deduction-requests"', 1)[1].split("</tbody>", 1)[0]
    assert "2026-11-20" in row and "Article 62" in row and "requested" in row and "assesses it by 2026-12-18" in row
    pl = web_client("pl-admin")
    assert send(pl, pl.get("/solidarity/pledge?year=2027").text, "deduction-form",
                relocations="80", on="2026-11-21")[0] == 303

    com = web_client("com-solidarity")
    pool = com.get("/solidarity?year=2027").text
    pending = pool.split('id="deductions-pending"', 1)[1].split("</table>", 1)[0]
    assert "<th>State</th>" in pending and "AT" in pending and "PL" in pending and "Article 62" in pending
    requested = {d["member_state"]: d["id"] for d in
                 client.get(f"{API}/cycles/2027/overview", headers=com_h).json()["deductions"]}
    # the Commission assesses each request first (Art 61(3))
    for ms in ("AT", "PL"):
        status, where = send(com, pool, f"assessment-{requested[ms]}", on="2026-11-26", justified="yes")
        assert status == 303, where
        pool = com.get(where).text
    assert "No deduction request awaits the Commission's assessment." in pool
    # then the Council's implementing act grants or refuses (Art 61(4))
    act = "Council Implementing Decision (EU) 2026/21"
    at_form = f"decision-{requested['AT']}"
    status, page = send(com, pool, at_form, on="", council_act_reference=act)  # both problems, said at once
    assert status == 422 and errors(page, "decision-errors") == ["Decision: grant or refuse the request",
                                                                 "Council act adopted on: required"]
    status, page = send(com, pool, at_form, on="", granted="yes", council_act_reference=act)
    assert status == 422 and errors(page, "decision-errors") == ["Council act adopted on: required"]
    status, where = send(com, pool, at_form, on="2026-11-27", granted="yes", council_act_reference=act)
    assert status == 303, where
    after = com.get(where).text
    assert notice(after).startswith("AT's deduction request granted")
    # sent again (a second tab): it is decided already
    status, page = send(com, pool, at_form, on="2026-11-28", granted="no", council_act_reference=act)
    assert status == 409 and "Nothing was decided: the deduction was already granted" in errors(page, "refused-errors")[0]
    assert f"decision-{requested['AT']}" not in forms(after)
    status, where = send(com, after, f"decision-{requested['PL']}", on="2026-11-28", granted="no",
                         council_act_reference=act)
    assert status == 303 and notice(com.get(where).text) == (
        "PL's deduction request refused by the Council's implementing act.")
    html = com.get(where).text
    assert "No assessed request awaits the Council's decision." in html

    overview = client.get(f"{API}/cycles/2027/overview", headers=com_h).json()
    assert {(d["member_state"], d["status"], d["decided_on"]) for d in overview["deductions"]} == {
        ("AT", "granted", "2026-11-27"), ("PL", "refused", "2026-11-28")}
    account = next(s for s in overview["accounts"]["states"] if s["member_state"] == "AT")
    assert account["deduction_relocations"] == 250
    html = at.get("/solidarity/pledge?year=2027").text
    assert "Deduction granted: <strong>250</strong> relocations of the fair share." in html
    assert "decided 2026-11-27" in html.split('id="deduction-requests"', 1)[1].split("</tbody>", 1)[0]

    # a state the decision did not identify asks on its own assessment (Arts 61(1), 62(1)): its form asks
    # which situation it considers itself in; sent without it, the page says so by the form
    de = web_client("de-admin")
    page_de = de.get("/solidarity/pledge?year=2027").text
    assert 'id="deduction-form"' in page_de and 'name="grounds"' in page_de
    r = de.post("/solidarity/deduction", data={"year": "2027", "member_state": "DE", "relocations": "10",
                                              "on": "2026-11-20"})
    assert r.status_code == 422
    assert errors(r.text, "deduction-errors")[0].startswith("The situation the request rests on: the Commission's "
                                                            "decision of 2026-10-15 did not identify DE")


def test_a_contributing_state_records_the_money_paid(world: Services, web_client: W, client: TestClient,
                                                     auth_headers: H) -> None:
    # the Netherlands pledged money and alternative measures; Germany relocations only, whose
    # progress the relocation transfers count: its page has no progress form
    assert 'id="progress-form"' not in web_client("de-admin").get("/solidarity/pledge").text
    nl = web_client("nl-admin")
    api = auth_headers("nl-admin")
    before = client.get(f"{API}/cycles/2026/pledges/NL", headers=api).json()["pledge"]
    assert before["financial_eur"] > 0 and before["alternative_eur"] > 0
    html = nl.get("/solidarity/pledge").text
    assert not unlabelled_fields(html)
    shown = forms(html)["progress-form"][1]
    assert shown["paid_eur"] == str(before["paid_eur"]) and shown["version"] == str(before["version"])
    paid = before["paid_eur"] + 1_250_000

    status, page = send(nl, html, "progress-form", paid_eur="-1", alternative_done_eur="300000")
    assert status == 422 and errors(page, "progress-errors") == ["Paid so far (EUR): cannot be negative (got -1)"]
    assert forms(page)["progress-form"][1].items() >= {"paid_eur": "-1", "alternative_done_eur": "300000"}.items()

    status, where = send(nl, html, "progress-form", paid_eur=str(paid), alternative_done_eur="300000")
    assert status == 303, where
    after = nl.get(where).text
    assert notice(after).startswith("Progress recorded")
    assert f"EUR {paid:,} paid; EUR 300,000 alternative measures carried out." in after
    now = client.get(f"{API}/cycles/2026/pledges/NL", headers=api).json()["pledge"]
    assert (now["paid_eur"], now["alternative_done_eur"], now["version"]) == (paid, 300000, before["version"] + 1)
    assert f"EUR {paid:,} paid" in web_client("com-solidarity").get("/solidarity/pledge?member_state=NL").text
    accounts = client.get(f"{API}/cycles/2026/overview", headers=auth_headers("com-solidarity")).json()["accounts"]
    assert next(s for s in accounts["states"] if s["member_state"] == "NL")["progress"]["paid_eur"] == paid

    # the page opened before that record (a second tab) is stale: nothing is recorded, the typed figures kept
    status, page = send(nl, html, "progress-form", paid_eur=str(paid + 5), alternative_done_eur="1")
    assert status == 409
    said = errors(page, "progress-errors")[0]
    assert said.startswith("Nothing was recorded: the pledge was changed since this page was opened")
    kept = forms(page)["progress-form"][1]
    assert kept["paid_eur"] == str(paid + 5) and kept["version"] == str(before["version"] + 1)
    assert client.get(f"{API}/cycles/2026/pledges/NL", headers=api).json()["pledge"]["paid_eur"] == paid

    # its analyst reads the progress but records none
    analyst = web_client("nl-analyst")
    read = analyst.get("/solidarity/pledge").text
    assert f"EUR {paid:,} paid" in read and 'id="progress-form"' not in read
    r = analyst.post("/solidarity/progress", data={"year": "2026", "member_state": "NL",
                                                   "version": str(now["version"]), "paid_eur": "1"})
    assert r.status_code == 403 and "Nothing was recorded" in errors(r.text, "page-errors")[0]
    assert client.get(f"{API}/cycles/2026/pledges/NL", headers=api).json()["pledge"]["paid_eur"] == paid
