"""The Commission's solidarity coordinator's first day (FD-03, FD-25, FD-22): the tracker opens on the
pool's current cycle, so its arrivals are the pool page's "Relocated so far", and says which transfers
it counts; a step the Commission records in a Member State's name is recorded only once confirmed,
with the states and the note in the audit log; the matching's answer leads with plain words; no tab
repeats another; an overdue cycle is said in one sentence. Each test failed on the old code."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from pactum.scenario.world import build
from pactum.services.auth import SYSTEM
from pactum.services.bootstrap import Services
from pactum.store.tables.platform import audit_log
from tests.e2e.test_solidarity_matching_web import _data, form_fields

API = "/api/v1/solidarity"
W = Callable[[str], TestClient]
H = Callable[[str], dict[str, str]]


@pytest.fixture
def world(services: Services) -> Services:
    """The demo world's 2026 pool in implementation, with the VSM's transfers of 2022-2026."""
    build(services, scale="XS", seed=7, end=date(2026, 11, 28), show_progress=False, only=["registry", "solidarity"])
    return services


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _number(html: str, element_id: str) -> int:
    m = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert m is not None, element_id
    return int(re.sub(r"\D", "", _text(m[1])))


def test_the_tracker_opens_on_the_pools_current_cycle_and_says_so(world: Services, web_client: W,
                                                                  client: TestClient, auth_headers: H) -> None:
    com = web_client("com-solidarity")
    pool = com.get("/solidarity").text
    relocated = int(re.search(r'id="relocated-so-far">Relocated so far: <strong>([\d,]+)</strong>', pool)[1]  # type: ignore[index]
                    .replace(",", ""))
    assert relocated > 0
    page = com.get("/solidarity/transfers").text
    # the same arrivals as the pool page, of the pool only: the VSM's are not mixed in
    assert _number(page, "arrived-total") == relocated
    scope = _text(re.search(r'<p id="tracker-scope">(.*?)</p>', page, re.S)[1])  # type: ignore[index]
    assert scope.startswith("Showing: Solidarity Pool (AMMR), cycle 2026.")
    assert '<option value="ammr" selected>' in page and '<option value="2026" selected>' in page
    assert 'href="/solidarity/transfers.csv?era=ammr&amp;year=2026"' in page
    # the pool page's figure leads to the same transfers
    link = re.search(r'id="relocated-so-far">.*?<a href="([^"]+)"', pool, re.S)[1]  # type: ignore[index]
    assert _number(com.get(unescape(link)).text, "transfers-count") == relocated
    # one click shows every era and cycle, and says so; its CSV and pages keep "every era"
    switch = re.search(r'<a href="([^"]+)" id="tracker-scope-switch">', page)[1]  # type: ignore[index]
    everything = com.get(unescape(switch)).text
    api_all = client.get(f"{API}/transfers", headers=auth_headers("com-solidarity"), params={"limit": 1}).json()
    assert _number(everything, "arrived-total") == api_all["arrived_total"] > relocated  # the API's default: all
    assert "Showing: every era: the Voluntary Solidarity Mechanism (2022-2026) and the Solidarity Pool (AMMR)." \
        in _text(everything)
    assert '<option value="all" selected>' in everything
    csv = com.get("/solidarity/transfers.csv?era=all")
    assert csv.status_code == 200 and len(csv.text.strip().splitlines()) == api_all["total"] + 1
    assert 'href="?era=all&amp;offset=100"' in everything
    back = re.search(r'<a href="([^"]+)" id="tracker-scope-switch">', everything)[1]  # type: ignore[index]
    assert _number(com.get(unescape(back)).text, "arrived-total") == relocated
    # a state's Dublin unit, who may not list the cycles, also opens on the pool's current cycle
    it = web_client("it-dublin").get("/solidarity/transfers").text
    assert "Showing: Solidarity Pool (AMMR), cycle 2026." in _text(it)


def _open_row(html: str, button: str) -> tuple[str, str]:
    """A transfer's id and its row, the first with ``button``."""
    for tid, row in re.findall(r'<tr id="transfer-([^"]+)">(.*?)</tr>', html, re.S):
        if button in row:
            return tid, row
    raise AssertionError(f"no row with {button}")


def test_the_commission_records_a_states_step_only_once_it_confirms_acting_for_it(
        world: Services, web_client: W, client: TestClient, auth_headers: H) -> None:
    com = web_client("com-solidarity")
    page = com.get("/solidarity/transfers", params={"era": "ammr", "year": 2026, "stage": "transfer_decided"}).text
    assert "you may record any state’s step" in unescape(page)
    tid, row = _open_row(page, "Arrived (")
    t = client.get(f"{API}/transfers", headers=auth_headers("com-solidarity"),
                   params={"year": 2026, "stage": "transfer_decided", "limit": 5000}).json()
    transfer = next(x for x in t["transfers"] if x["id"] == tid)
    dest = transfer["destination_member_state"]
    # the step says whose it is, behind a second step, with a required checkbox and a note
    form = re.search(r'<details class="on-behalf"><summary>Arrived \((\w\w)’s step\)</summary>(.*?)</details>',
                     unescape(row), re.S)
    assert form is not None and form[1] == dest
    assert f'<input type="checkbox" name="on_behalf" value="{dest}" required> I record this on behalf of {dest}' in form[2]
    assert f"<button type=\"submit\">Record for {dest}</button>" in form[2] and 'name="note"' in form[2]
    assert ">Arrived</button>" not in row
    # without the tick: refused next to the transfer, nothing recorded
    data = {"event": "arrived", "on": "2026-11-28", "version": str(transfer["version"]), "era": "ammr",
            "year": "2026", "stage": "transfer_decided", "note": "DE's liaison officer confirmed by phone"}
    refused = com.post(f"/solidarity/transfers/{tid}/events", data=data)
    assert refused.status_code == 422
    again = re.search(rf'<tr id="transfer-{tid}">(.*?)</tr>', refused.text, re.S)[1]  # type: ignore[index]
    assert f"tick “I record this on behalf of {dest}”" in unescape(again)
    assert '<details class="on-behalf" open>' in again and "DE&#39;s liaison officer" in again
    after = client.get(f"{API}/transfers", headers=auth_headers("com-solidarity"),
                       params={"year": 2026, "stage": "transfer_decided", "limit": 5000}).json()
    assert any(x["id"] == tid and x["version"] == transfer["version"] for x in after["transfers"])
    # ticked: recorded, said to be on the state's behalf, the states and the note in the audit entry
    ok = com.post(f"/solidarity/transfers/{tid}/events", data={**data, "on_behalf": dest}, follow_redirects=False)
    assert ok.status_code == 303, _text(ok.text)[:1000]
    assert f"on behalf of {dest}." in _text(com.get(ok.headers["location"]).text)
    with world.engine.connect() as conn:
        entry = conn.execute(select(audit_log.c.actor, audit_log.c.after).where(
            audit_log.c.entity_id == tid, audit_log.c.action == "solidarity.transfer.arrived")).one()
    assert entry.actor == "com-solidarity"
    assert entry.after == {"stage": "arrived", "on_behalf_of": [dest],
                           "note": "DE's liaison officer confirmed by phone"}
    # a cancellation is both states' step
    page = com.get("/solidarity/transfers", params={"era": "ammr", "year": 2026, "stage": "accepted"}).text
    _, row = _open_row(page, "Cancel the transfer (")
    assert re.search(r"Record for \w\w/\w\w</button>", row) and re.search(r"on behalf of \w\w and \w\w", row)


def test_a_states_own_step_stays_one_button(world: Services, web_client: W) -> None:
    page = web_client("de-admin").get("/solidarity/transfers", params={"era": "ammr", "year": 2026,
                                                                       "stage": "transfer_decided"}).text
    _, row = _open_row(page, ">Arrived</button>")
    assert "on_behalf" not in row and "Record for" not in row
    assert "the buttons are the steps that are yours now" in page and "any state’s step" not in unescape(page)


APPLICANTS = """id,family_id,links,excluded_member_states,status,protection_granted_on,consent_on,nationality
P1,,DE:family,,applicant,,,SYR
P2,,FR:language,,applicant,,,AFG
P3,,,,applicant,,,ERI
"""


def test_the_matching_result_leads_with_plain_words(world: Services, web_client: W) -> None:
    com = web_client("com-solidarity")
    page = com.get("/solidarity/matching", params={"year": 2026, "beneficiary": "IT"})
    fields = [(k, v) for k, v in form_fields(page.text, "matching-form")
              if not k.startswith("places_") and k != "applicants_csv"]
    r = com.post("/solidarity/matching", data=_data([*fields, ("places_DE", "2"), ("places_FR", "2"),
                                                     ("applicants_csv", APPLICANTS)]))
    assert r.status_code == 200
    html = unescape(r.text)
    assert re.search(r'<p id="plain-result"><strong>Best possible matching: all 3 applicants placed\.</strong></p>', html)
    # the solver's words stay, in a technical note that opens on demand
    note = re.search(r'<details id="proof-note">(.*?)</details>', html, re.S)
    assert note is not None and "Proven optimal by HiGHS" in note[1]
    assert "Proven optimal" not in html.replace(note[0], "")
    # fewer places than persons: how many of them, and that no better matching exists
    r = com.post("/solidarity/matching", data=_data([*fields, ("places_DE", "1"), ("places_FR", "1"),
                                                     ("applicants_csv", APPLICANTS)]))
    assert "Best possible matching: 2 of the 3 applicants placed, the most these places and rules allow." \
        in _text(r.text)


def test_the_pool_page_says_an_overdue_cycle_plainly_and_fills_its_first_row(services: Services, web_client: W) -> None:
    # the 2026 pool adopted and in implementation on 28 November 2026, the 2027 cycle not opened (the
    # demo world opens it on the day it is due)
    from pactum.services import solidarity
    from pactum.solidarity.schemas import CycleAction, CycleCreate

    solidarity.create_cycle(services, SYSTEM, CycleCreate(year=2026, proposal_on=date(2025, 11, 11)))
    for action, on in (("open_pledging", date(2025, 11, 24)), ("adopt", date(2025, 12, 19)),
                       ("start_implementation", date(2026, 6, 12))):
        version = solidarity.get_cycle(services, SYSTEM, 2026)["version"]
        solidarity.cycle_action(services, SYSTEM, 2026, action, CycleAction(
            version=version, on=on, council_act_reference="Council Implementing Decision (EU) 2025/2642"
            if action == "adopt" else None))
    html = web_client("com-solidarity").get("/solidarity").text
    said = unescape(re.sub(r"<[^>]+>", "", re.search(r'<p id="next-cycle-2027-said">(.*?)</p>', html, re.S)[1]))  # type: ignore[index]
    assert said.startswith("The 2027 cycle is overdue: it has not been opened, and the Commission's report")
    assert "opened overdue" not in _text(html)
    # the cycle's next step and the form that opens a cycle share the full width of the page
    actions = re.search(r'<div class="grid" id="pool-actions" style="grid-column: 1 / -1">(.*?)</div>\s*<section',
                        html, re.S)
    assert actions is not None and 'id="cycle-step"' in actions[1] and 'id="cycle-create"' in actions[1]
