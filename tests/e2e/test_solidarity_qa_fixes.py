"""The solidarity pool's defects found by a QA walk, each as its user met it. Every test failed on
the old code: a state only at risk recorded a need that shifted the adopted distribution, states not
bound by the pool were designated and pledged, the proposal's pool was not the fair shares', deductions
were unbounded and dated anyhow, the cycle's and the transfers' dates went backwards or into the future,
a stale pledge form lost what was typed, forms named fields by their internal names, the follow-up's
VSM figure counted the pool's transfers, the offsets panel contradicted itself, the Commission could not
act from a state's page, and a few smaller gaps (export link, matching's default cycle, a bad date)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from html import unescape

from fastapi.testclient import TestClient

from pactum.services import followup
from pactum.services.auth import SYSTEM
from pactum.services.bootstrap import Services
from pactum.services.indicators import compute
from pactum.solidarity import offsets as offs
from tests.e2e.test_solidarity_web_actions import ART_62_2, forms, into_2027, new_cycle, notice, send
from tests.problem_paths import problem_fields as _locs

API = "/api/v1/solidarity"
W = Callable[[str], TestClient]
H = Callable[[str], dict[str, str]]


def _action(client: TestClient, com: dict[str, str], year: int, action: str, on: str, **extra: object):
    version = client.get(f"{API}/cycles/{year}", headers=com).json()["version"]
    body = {"version": version, "on": on} | (
        {"council_act_reference": "Council Implementing Decision (EU) 2026/1"} if action == "adopt" else {}) | extra
    return client.post(f"{API}/cycles/{year}/actions/{action}", headers=com, json=body)


# ------------------------------------------------------------------ 1. needs: only a benefitting state


def test_a_state_only_at_risk_records_no_need_and_the_distribution_stays(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", IT="under_pressure", DE="at_risk")
    assert client.post(f"{API}/cycles/2027/pledges", headers=auth_headers("fr-admin"),
                       json={"relocations": 500}).status_code == 200
    assert client.post(f"{API}/cycles/2027/needs", headers=auth_headers("it-admin"),
                       json={"relocations": 4000}).status_code == 200
    _action(client, com, 2027, "adopt", "2026-11-01")
    _action(client, com, 2027, "start_implementation", "2026-11-02")
    before = client.get(f"{API}/cycles/2027/distribution", headers=com).json()

    r = client.post(f"{API}/cycles/2027/needs", headers=auth_headers("de-admin"), json={"relocations": 3000})
    assert r.status_code == 409 and "only a benefitting state" in r.json()["detail"]
    assert client.get(f"{API}/cycles/2027/distribution", headers=com).json() == before
    # a state neither designated: refused too; the benefitting state changes its own need
    assert client.post(f"{API}/cycles/2027/needs", headers=auth_headers("nl-admin"),
                       json={"relocations": 10}).status_code == 409
    assert client.post(f"{API}/cycles/2027/needs", headers=auth_headers("it-admin"),
                       json={"relocations": 4500}).status_code == 200
    # the Commission records a need after assessing a state's notification (Art 59)
    assert client.post(f"{API}/cycles/2027/needs", headers=com,
                       json={"member_state": "MT", "relocations": 100}).status_code == 200
    # DE's page offers no need form
    page = client.get(f"{API}/cycles/2027/pledges/DE", headers=auth_headers("de-admin")).json()
    assert page["receives"] is None


# ------------------------------------------------------------------ 2. states not bound by the pool


def test_states_not_bound_by_the_pool_are_not_designated_and_do_not_pledge(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    r = client.post(f"{API}/cycles", headers=com, json={"year": 2027, "proposal_on": "2026-10-15", "designations": [
        {"member_state": "NO", "status": "under_pressure"}, {"member_state": "DK", "status": "at_risk"},
        {"member_state": "IT", "status": "under_pressure"}]})
    assert r.status_code == 422
    assert _locs(r) == ["designations[0].member_state", "designations[1].member_state"]
    assert "not bound by the solidarity rules" in r.json()["detail"][0]["msg"]
    new_cycle(client, com, status="pledging", IT="under_pressure")
    r = client.post(f"{API}/cycles/2027/pledges", headers=com, json={"member_state": "CH", "relocations": 100})
    assert r.status_code == 422 and _locs(r) == ["member_state"]
    r = client.post(f"{API}/cycles/2027/pledges", headers=auth_headers("de-admin"),
                    json={"relocations": 100, "preferred_beneficiaries": ["NO", "IT"]})
    assert r.status_code == 422 and _locs(r) == ["preferred_beneficiaries[0]"]
    r = client.post(f"{API}/cycles/2027/needs", headers=com, json={"member_state": "IS", "relocations": 100})
    assert r.status_code == 422 and _locs(r) == ["member_state"]


# ------------------------------------------------------------------ 3. the proposal's pool


def test_indicative_fair_shares_follow_the_commissions_proposal(client: TestClient, auth_headers: H,
                                                                web_client: W) -> None:
    com = auth_headers("com-solidarity")
    assert client.post(f"{API}/cycles", headers=com, json={
        "year": 2027, "proposal_on": "2026-10-15", "pool_relocations": 40000,
        "pool_financial_eur": 800_000_000}).status_code == 201
    shares = client.get(f"{API}/fair-shares", params={"year": 2027}, headers=com).json()
    assert shares["pool"]["relocations"] == 40000 and shares["pool"]["financial_eur"] == 800_000_000
    assert sum(s["fair_share_relocations"] for s in shares["states"]) == 40000
    assert "Article 12" in shares["pool"]["legal_basis"][0]
    ov = client.get(f"{API}/cycles/2027/overview", headers=com).json()
    assert sum(s["fair_share_relocations"] for s in ov["accounts"]["states"]) == 40000
    html = unescape(web_client("com-solidarity").get("/solidarity?year=2027").text)
    assert "The Commission's proposal of 2026-10-15" in html and "No Council act recorded" not in html


# ------------------------------------------------------------------ 4. deductions


def test_deductions_are_bounded_dated_and_cite_their_own_article(client: TestClient, auth_headers: H,
                                                                  services: Services) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="implementation", AT="significant_migratory_situation", IT="under_pressure")
    at = auth_headers("at-admin")
    fs = next(s["fair_share_relocations"] for s in client.get(
        f"{API}/fair-shares", params={"year": 2027}, headers=at).json()["states"] if s["member_state"] == "AT")
    r = client.post(f"{API}/cycles/2027/deductions", headers=at, json={"relocations": 999_999, "on": "2026-11-20", "substantiation": ART_62_2})
    assert r.status_code == 422 and _locs(r) == ["relocations"]
    assert f"{fs:,} relocations" in r.json()["detail"][0]["msg"]
    r = client.post(f"{API}/cycles/2027/deductions", headers=at, json={"relocations": fs - 10, "on": "2026-11-20", "substantiation": ART_62_2})
    assert r.status_code == 201
    d = r.json()
    assert d["legal_basis"][0] == "Regulation (EU) 2024/1351, Article 62"
    # what was asked already counts: 11 more would pass the fair share
    r = client.post(f"{API}/cycles/2027/deductions", headers=at, json={"relocations": 11, "on": "2026-11-21", "substantiation": ART_62_2})
    assert r.status_code == 422 and _locs(r) == ["relocations"]
    it = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("it-admin"),
                     json={"relocations": 5, "on": "2026-11-20"}).json()
    assert it["legal_basis"][0] == "Regulation (EU) 2024/1351, Article 61"
    # the Commission's assessment: not before the request, not in the future
    for on, said in (("2026-11-19", "is before the request"), ("2026-06-01", "is before the request"),
                     ("2027-01-05", "future")):
        r = client.post(f"{API}/deductions/{d['id']}/assessment", headers=com,
                        json={"version": 1, "justified": True, "on": on})
        assert r.status_code == 422 and _locs(r) == ["on"] and said in r.json()["detail"][0]["msg"], on
    assert client.post(f"{API}/deductions/{d['id']}/assessment", headers=com,
                       json={"version": 1, "justified": True, "on": "2026-11-22"}).json()["status"] == "assessed"
    # the Council's act: not before the assessment, not in the future
    act = {"council_act_reference": "Council Implementing Decision (EU) 2026/7"}
    for on, said in (("2026-11-21", "is before the Commission's assessment"), ("2027-01-05", "future")):
        r = client.post(f"{API}/deductions/{d['id']}/decision", headers=com,
                        json={"version": 2, "granted": True, "on": on, **act})
        assert r.status_code == 422 and _locs(r) == ["on"] and said in r.json()["detail"][0]["msg"], on
    assert client.post(f"{API}/deductions/{d['id']}/decision", headers=com,
                       json={"version": 2, "granted": True, "on": "2026-11-25", **act}).json()["status"] == "granted"
    # the pledge page cites the request's own article
    rows = client.get(f"{API}/cycles/2027/pledges/AT", headers=at)
    assert rows.status_code == 200
    # a closed cycle takes no request: closed once 2027 is over
    services.clock.set(datetime(2028, 1, 3, 12, tzinfo=UTC))  # type: ignore[attr-defined]
    com, at = auth_headers("com-solidarity"), auth_headers("at-admin")
    assert _action(client, com, 2027, "close", "2028-01-02").status_code == 200
    r = client.post(f"{API}/cycles/2027/deductions", headers=at, json={"relocations": 1, "on": "2028-01-03"})
    assert r.status_code == 409


def test_the_pledge_page_cites_article_62_for_a_significant_migratory_situation(
        client: TestClient, auth_headers: H, web_client: W) -> None:
    new_cycle(client, auth_headers("com-solidarity"), status="implementation", PL="significant_migratory_situation")
    assert client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("pl-admin"),
                       json={"relocations": 10, "on": "2026-11-20", "substantiation": ART_62_2}).status_code == 201
    html = unescape(web_client("pl-admin").get("/solidarity/pledge?year=2027").text)
    row = re.search(r'<table id="deduction-requests">.*?</table>', html, re.S)[0]  # type: ignore[index]
    assert "Regulation (EU) 2024/1351, Article 62" in row


# ------------------------------------------------------------------ 5. the cycle's dates


def test_the_cycles_steps_are_dated_in_order_and_not_in_the_future(client: TestClient, auth_headers: H,
                                                                   web_client: W) -> None:
    com = auth_headers("com-solidarity")
    r = client.post(f"{API}/cycles", headers=com, json={"year": 2027, "proposal_on": "2026-12-01"})
    assert r.status_code == 422 and _locs(r) == ["proposal_on"]
    assert client.post(f"{API}/cycles", headers=com, json={"year": 2027, "proposal_on": "2026-10-20"}).status_code == 201
    refused = [("open_pledging", "2026-10-19", "before the previous step"),
               ("open_pledging", "2026-11-29", "future")]
    for action, on, said in refused:
        r = _action(client, com, 2027, action, on)
        assert r.status_code == 422 and _locs(r) == ["on"] and said in r.json()["detail"][0]["msg"], (action, on)
    assert _action(client, com, 2027, "open_pledging", "2026-10-28").status_code == 200
    for on, said in (("2026-10-27", "before the previous step"), ("2027-02-01", "future")):
        r = _action(client, com, 2027, "adopt", on)
        assert r.status_code == 422 and _locs(r) == ["on"] and said in r.json()["detail"][0]["msg"], on
    assert _action(client, com, 2027, "adopt", "2026-11-10").status_code == 200
    r = _action(client, com, 2027, "start_implementation", "2026-11-09")
    assert r.status_code == 422 and _locs(r) == ["on"]
    into_2027(client)  # the 2027 pool is implemented in 2027
    com = auth_headers("com-solidarity")
    assert _action(client, com, 2027, "start_implementation", "2027-01-04").status_code == 200
    # the pool's year is not over: the cycle is not closed before 2028 (pledges are implemented through 2027)
    r = _action(client, com, 2027, "close", "2027-01-04")
    assert r.status_code == 409 and "cannot be closed before 2028-01-01" in r.json()["detail"]
    assert client.get(f"{API}/cycles/2027", headers=com).json()["status"] == "implementation"

    # the legal due dates: the proposal by 15 October of the year before (here late), the Forum within
    # 15 days of it, the Council's act by 31 December
    due = {d["step"]: d for d in client.get(f"{API}/cycles/2027", headers=com).json()["due_dates"]}
    assert (due["create"]["due"], due["create"]["late"]) == ("2026-10-15", True)
    assert (due["open_pledging"]["due"], due["open_pledging"]["late"]) == ("2026-11-04", False)
    assert (due["adopt"]["due"], due["adopt"]["late"]) == ("2026-12-31", False)
    html = unescape(web_client("com-analyst").get("/solidarity?year=2027").text)
    table = re.search(r'<table id="due-dates">.*?</table>', html, re.S)[0]  # type: ignore[index]
    assert "2026-10-15" in table and "late" in table and "2026-12-31" in table
    assert "Regulation (EU) 2024/1351, Article 57" in table


# ------------------------------------------------------------------ 6. transfer stages


def test_a_transfer_stage_is_not_dated_before_the_previous_one(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="implementation", pledges={"DE": 10}, IT="under_pressure")
    assert client.post(f"{API}/transfers", params={"year": 2027}, headers=com, json={"transfers": [
        {"applicant_ref": "A1", "origin_member_state": "IT", "destination_member_state": "DE",
         "matched_on": "2027-01-01"}]}).status_code == 201
    t = client.get(f"{API}/transfers", headers=com).json()["transfers"][0]
    it, de = auth_headers("it-admin"), auth_headers("de-admin")
    ev = f"{API}/transfers/{t['id']}/events"
    r = client.post(ev, headers=it, json={"event": "security_cleared", "on": "2026-12-30", "version": 1})
    assert r.status_code == 422 and _locs(r) == ["on"] and "matched on 2027-01-01" in r.json()["detail"][0]["msg"]
    assert client.post(ev, headers=it, json={"event": "security_cleared", "on": "2027-01-02", "version": 1}).status_code == 200
    assert client.post(ev, headers=de, json={"event": "accepted", "on": "2027-01-03", "version": 2}).status_code == 200
    r = client.post(ev, headers=it, json={"event": "transfer_decided", "on": "2027-01-02", "version": 3})
    assert r.status_code == 422 and _locs(r) == ["on"]
    assert client.get(f"{API}/transfers", headers=com).json()["overdue"] == 0
    assert client.post(ev, headers=it, json={"event": "transfer_decided", "on": "2027-01-04", "version": 3}).status_code == 200
    r = client.post(ev, headers=de, json={"event": "arrived", "on": "2026-01-01", "version": 4})
    assert r.status_code == 422 and _locs(r) == ["on"]


# ------------------------------------------------------------------ 7, 8, 11. the pledge form


def test_a_stale_pledge_form_comes_back_with_the_figures_and_a_plain_message(
        client: TestClient, auth_headers: H, web_client: W) -> None:
    new_cycle(client, auth_headers("com-solidarity"), status="pledging", IT="under_pressure")
    de = web_client("de-admin")
    assert send(de, de.get("/solidarity/pledge?year=2027").text, "pledge-form", relocations="10")[0] == 303
    opened = de.get("/solidarity/pledge?year=2027").text
    # someone else saves meanwhile
    assert client.post(f"{API}/cycles/2027/pledges", headers=auth_headers("de-admin"),
                       json={"relocations": 20, "version": 1}).status_code == 200
    status, page = send(de, opened, "pledge-form", relocations="77", financial_eur="5000")
    assert status == 409
    text = unescape(page)
    assert "changed by someone else since this page was opened" in text
    assert "spl_" not in text and "version 1" not in text and "solidarity_pledges" not in text
    kept = forms(page)["pledge-form"][1]
    assert kept["relocations"] == "77" and kept["financial_eur"] == "5000" and kept["version"] == "2"
    assert send(de, page, "pledge-form")[0] == 303  # sent again as kept, it is saved
    assert client.get(f"{API}/cycles/2027/pledges/DE", headers=auth_headers("de-admin")).json()["pledge"][
        "relocations"] == 77


def test_pledge_and_take_over_problems_name_the_fields_by_their_labels(
        client: TestClient, auth_headers: H, web_client: W) -> None:
    new_cycle(client, auth_headers("com-solidarity"), status="pledging", IT="under_pressure")
    de = web_client("de-admin")
    status, page = send(de, de.get("/solidarity/pledge?year=2027").text, "pledge-form", relocations="5",
                        alternative_eur="100", alternative_description="", preferred_beneficiaries="ZZ")
    assert status == 422
    said = [unescape(s) for s in re.findall(r"<li[^>]*>(.*?)</li>", page.split("Please correct:", 1)[1].split("</ul>", 1)[0])]
    assert any(s.startswith("Preferred beneficiaries:") for s in said), said
    assert any(s.startswith("Alternative measure:") for s in said), said
    assert not any("preferred_beneficiaries" in s or "alternative_description" in s for s in said), said


def test_the_commission_pledges_for_a_state_from_its_page(client: TestClient, auth_headers: H, web_client: W) -> None:
    new_cycle(client, auth_headers("com-solidarity"), status="pledging", IT="under_pressure")
    com = web_client("com-solidarity")
    html = unescape(com.get("/solidarity/pledge?year=2027&member_state=DE").text)
    assert "DE’s pledge" in html and "Our pledge" not in html and "our fair share" not in html
    assert forms(html)["pledge-form"][1]["member_state"] == "DE"
    status, where = send(com, html, "pledge-form", relocations="300")
    assert status == 303 and "member_state=DE" in where and "saved=1" in where
    assert notice(com.get(where).text).startswith("Pledge saved")
    assert client.get(f"{API}/cycles/2027/pledges/DE", headers=auth_headers("de-admin")).json()["pledge"][
        "relocations"] == 300
    # refused, it comes back on DE's page
    status, page = send(com, html, "pledge-form", relocations="-1")
    assert status in (409, 422) and "DE’s pledge" in unescape(page)
    # the state's own coordinator reads "Our pledge"
    assert "Our pledge" in web_client("de-admin").get("/solidarity/pledge?year=2027").text


# ------------------------------------------------------------------ 9. the follow-up's VSM figure


def test_the_vsm_indicator_leaves_the_pools_transfers_out(client: TestClient, auth_headers: H,
                                                          services: Services) -> None:
    com = auth_headers("com-solidarity")
    assert client.post(f"{API}/transfers/import", headers=com, json={"transfers": [
        {"applicant_ref": "V1", "origin_member_state": "IT", "destination_member_state": "DE",
         "matched_on": "2023-01-10", "security_cleared_on": "2023-01-20", "accepted_on": "2023-02-01",
         "transfer_decided_on": "2023-02-05", "arrived_on": "2023-03-01"}]}).status_code in (200, 201)
    new_cycle(client, com, status="implementation", pledges={"FR": 10}, IT="under_pressure")
    assert client.post(f"{API}/transfers/import", params={"year": 2027}, headers=com, json={"transfers": [
        {"applicant_ref": "P1", "origin_member_state": "IT", "destination_member_state": "FR",
         "matched_on": "2027-01-01", "security_cleared_on": "2027-01-02", "accepted_on": "2027-01-02",
         "transfer_decided_on": "2027-01-03", "arrived_on": "2027-01-04"}]}).status_code in (200, 201)
    with services.engine.connect() as conn:
        assert compute(conn, "relocation_transfers_by_origin", date(2027, 1, 4)) == {"IT": 1}
        assert compute(conn, "relocation_transfers_total", date(2027, 1, 4)) == 2


# ------------------------------------------------------------------ 10. offsets


def test_a_take_over_cites_the_rule_applied() -> None:
    app = offs.Application(id="c1", reference="R1", present_in="DE", responsible="IT", registered_on=date(2026, 7, 1))
    on = date(2026, 11, 28)
    mandatory = offs.take_over_step(app, contributor="DE", mandatory=True, cycle_year=2026, on=on,
                                    requests_open=False)["legal_basis"]
    assert mandatory == ["Regulation (EU) 2024/1351, Article 63(3)(b)", "Regulation (EU) 2024/1351, Article 69"]
    asked = offs.take_over_step(app, contributor="DE", mandatory=False, cycle_year=2026, on=on,
                                requests_open=True)["legal_basis"]
    assert asked[0] == "Regulation (EU) 2024/1351, Article 63(1)"
    # a mandatory regime below the request threshold does not say "may not yet ask" beside "mandatory"
    reg = offs.regime(8000, 21000, on=on)
    assert reg.mandatory and not reg.requests_open
    assert "the mandatory rule below applies instead" in reg.trace[0]["outcome"]


def test_the_offsets_panel_waits_for_the_councils_act(client: TestClient, auth_headers: H, web_client: W) -> None:
    new_cycle(client, auth_headers("com-solidarity"), status="proposal", IT="under_pressure")
    html = web_client("com-solidarity").get("/solidarity?year=2027").text
    assert 'id="offsets-before-adoption"' in html
    assert 'id="offset-contributors"' not in html and "offsets not open to requests" not in html


# ------------------------------------------------------------------ 12. smaller


def test_the_follow_up_page_links_its_export(services: Services, web_client: W) -> None:
    followup.load(services, SYSTEM)
    c = web_client("com-analyst")
    html = c.get("/followup").text
    links = re.findall(r'href="(/api/v1/followup/export\?[^"]+)"', html)
    assert any("format=yaml" in h for h in links) and any("format=csv" in h for h in links)
    for h in links:
        r = c.get(unescape(h))
        assert r.status_code == 200 and r.text.strip()


def test_matching_opens_on_the_cycle_in_implementation_and_a_bad_as_of_is_named(
        client: TestClient, auth_headers: H, web_client: W) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="implementation", IT="under_pressure")
    assert client.post(f"{API}/cycles", headers=com, json={"year": 2026, "proposal_on": "2025-11-11"}).status_code == 201
    page = web_client("com-solidarity").get("/solidarity/matching").text
    assert re.search(r'<option value="2027"[^>]*selected', page), "the cycle in implementation is chosen"
    r = web_client("com-solidarity").get("/solidarity/transfers?as_of=2026-13-01")
    assert r.status_code == 422 and "Date: " in r.text  # the filter's label
    assert web_client("com-solidarity").get("/solidarity/transfers?as_of=2026-11-01").status_code == 200
