"""AMMR Art 63(5), read in the Official Journal text (Italian version): "Uno Stato membro contributore che
non abbia eseguito i suoi impegni o accettato ricollocazioni a norma dell'articolo 67, paragrafo 9, pari
alle sue ricollocazioni per le quali si è impegnato ... entro la fine dell'anno in questione, si assume, su
richiesta dello Stato membro beneficiario, la competenza per le domande ... fino al numero di
ricollocazioni per le quali si è impegnato ... quanto prima dopo la fine di un determinato anno."
Until 1 December 2026 nothing followed from relocations pledged and not accepted by 31 December: the
offsets view owed nothing for them, and once the cycle was closed no application could be taken over."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from pactum.common.clock import FixedClock
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

try:
    from .test_solidarity_offsets import API, VOLUNTARY, _adopted_pool, _case
except ImportError:  # tests/e2e is not a package
    from test_solidarity_offsets import API, VOLUNTARY, _adopted_pool, _case  # type: ignore[no-redef]

H = Callable[[str], dict[str, str]]
P = Callable[[str], Principal]
W = Callable[[str], TestClient]
ART_63_5 = "Regulation (EU) 2024/1351, Article 63(5)"


def _row(client: TestClient, auth_headers: H, ms: str) -> dict:
    view = client.get(f"{API}/cycles/2026/offsets", headers=auth_headers("com-solidarity")).json()
    return next(c for c in view["contributors"] if c["member_state"] == ms)


def test_after_the_year_a_state_takes_over_the_relocations_it_pledged_and_did_not_accept(
        client: TestClient, auth_headers: H, principal: P, services: Services, web_client: W) -> None:
    _adopted_pool(client, auth_headers, VOLUNTARY)
    com = auth_headers("com-solidarity")
    c = client.get(f"{API}/cycles/2026", headers=com).json()
    c = client.post(f"{API}/cycles/2026/actions/start_implementation", headers=com,
                    json={"version": c["version"], "on": "2026-06-12"}).json()
    de_cw = principal("de-caseworker")
    first = _case(services, de_cw, "DE-YE-1", "2026-11-20")
    _case(services, de_cw, "DE-YE-2", "2026-11-21")
    # during the year Germany owes nothing for its pledge: it still has until 31 December
    assert _row(client, auth_headers, "DE")["year_end_obligation"] == 0

    assert isinstance(services.clock, FixedClock)
    services.clock.set(datetime(2027, 1, 11, 9, tzinfo=UTC))
    de = _row(client, auth_headers, "DE")
    # it accepted none of the 4,555 relocations it pledged by 31 December 2026
    assert de["year_end_obligation"] == 4_555 and de["limit"] == 4_555
    step = next(s for s in de["trace"] if s["rule"] == "offset_unimplemented_pledges")
    assert step["legal_basis"] == [ART_63_5]
    assert step["outcome"].startswith("the pool's year is over: of the 4,555 relocations it was to implement it "
                                      "accepted 0 by 31 December, so it must take over up to 4,555 applications")
    # the Commission closes the cycle; the take-overs the Regulation asks after the year are still recorded
    c = client.post(f"{API}/cycles/2026/actions/close", headers=com, json={"version": c["version"], "on": "2027-01-04"})
    assert c.status_code == 200, c.text
    r = client.post(f"{API}/cycles/2026/offsets", headers=auth_headers("de-admin"),
                    json={"beneficiary_member_state": "IT", "count": 1, "on": "2027-01-11"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["mandatory"], body["after_year_end"]) == (True, True)
    assert body["legal_basis"] == [ART_63_5, "Regulation (EU) 2024/1351, Article 69"]
    assert [t["case_id"] for t in body["taken_over"]] == [first["id"]]
    assert _row(client, auth_headers, "DE")["remaining"] == 4_554
    # the pool page names the obligation beside the contributor
    html = web_client("com-solidarity").get("/solidarity?year=2026").text
    table = html.split('id="offset-contributors"', 1)[1].split("</table>", 1)[0]
    assert "Pledged relocations not accepted by 31 December (Article 63(5))" in table
    assert "4,555" in table


def test_a_closed_cycle_takes_no_other_offsets_and_none_dated_within_the_year(
        client: TestClient, auth_headers: H, principal: P, services: Services) -> None:
    # Austria pledged money only: it owes nothing under Art 63(5)
    _adopted_pool(client, auth_headers, VOLUNTARY)
    com = auth_headers("com-solidarity")
    c = client.get(f"{API}/cycles/2026", headers=com).json()
    c = client.post(f"{API}/cycles/2026/actions/start_implementation", headers=com,
                    json={"version": c["version"], "on": "2026-06-12"}).json()
    _case(services, principal("at-caseworker"), "AT-YE-1", "2026-11-20")
    _case(services, principal("de-caseworker"), "DE-YE-3", "2026-11-20")
    assert isinstance(services.clock, FixedClock)
    services.clock.set(datetime(2027, 1, 11, 9, tzinfo=UTC))
    assert client.post(f"{API}/cycles/2026/actions/close", headers=com,
                       json={"version": c["version"], "on": "2027-01-04"}).status_code == 200
    r = client.post(f"{API}/cycles/2026/offsets", headers=auth_headers("at-admin"),
                    json={"beneficiary_member_state": "IT", "count": 1, "on": "2027-01-11"})
    assert r.status_code == 409 and "the 2026 cycle is closed" in r.json()["detail"] and ART_63_5 in r.json()["detail"]
    r = client.post(f"{API}/cycles/2026/offsets", headers=auth_headers("de-admin"),
                    json={"beneficiary_member_state": "IT", "count": 1, "on": "2026-12-30"})
    assert r.status_code == 409 and "2026-12-30 is not after it" in r.json()["detail"]


def test_the_pledge_page_of_a_closed_cycle_offers_the_take_over_only_to_a_state_that_owes_one(
        client: TestClient, auth_headers: H, services: Services, web_client: W) -> None:
    _adopted_pool(client, auth_headers, VOLUNTARY)
    com = auth_headers("com-solidarity")
    c = client.get(f"{API}/cycles/2026", headers=com).json()
    c = client.post(f"{API}/cycles/2026/actions/start_implementation", headers=com,
                    json={"version": c["version"], "on": "2026-06-12"}).json()
    assert isinstance(services.clock, FixedClock)
    services.clock.set(datetime(2027, 1, 11, 9, tzinfo=UTC))
    assert client.post(f"{API}/cycles/2026/actions/close", headers=com,
                       json={"version": c["version"], "on": "2027-01-04"}).status_code == 200
    de = web_client("de-admin").get("/solidarity/pledge?year=2026").text
    at = web_client("at-admin").get("/solidarity/pledge?year=2026").text
    assert 'id="take-over"' in de  # the form, or why nothing can be taken over at present
    assert 'id="take-over"' not in at


def test_the_take_over_refusals_count_in_words_not_with_parentheses(
        client: TestClient, auth_headers: H, principal: P, services: Services) -> None:
    _adopted_pool(client, auth_headers, VOLUNTARY)
    _case(services, principal("de-caseworker"), "DE-PL-1", "2026-11-20")
    de = auth_headers("de-admin")
    r = client.post(f"{API}/cycles/2026/offsets", headers=de,
                    json={"beneficiary_member_state": "IT", "count": 2, "on": "2026-11-28"})
    assert r.status_code == 422
    msg = r.json()["detail"][0]["msg"]
    assert msg.startswith("only 1 application of persons in DE for which IT is responsible") and "(s)" not in msg
    r = client.post(f"{API}/cycles/2026/offsets", headers=de,
                    json={"beneficiary_member_state": "EL", "count": 1, "on": "2026-11-28"})
    assert r.status_code == 422 and r.json()["detail"][0]["msg"].startswith("only 0 applications of persons in DE")
