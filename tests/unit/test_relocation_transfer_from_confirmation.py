"""A relocation's time limits run from the relocation state's confirmation (AMMR Art 67(9) to (11)).

Regulation (EU) 2024/1351 Art 67(11): the transfer takes place within 4 weeks of the confirmation by
the Member State of relocation (Pactum's step ``accepted``), or of the final decision on an appeal or
review of the transfer decision with suspensive effect (Art 43(3)); Art 67(10): the benefitting
Member State takes the transfer decision within one week of that confirmation. Pactum counted the 4
weeks from the transfer decision and had no time limit for the decision. A decision taken after its
week is recorded and flagged late, not refused: the Regulation sets a time limit on the benefitting
state, not a condition of the decision's validity. Each test failed on the old code.

The tests' clock is 2026-11-28; the transfers are matched in August 2026 under the 2026 pool.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.law import param
from pactum.services.bootstrap import Services
from pactum.solidarity import transfers as tr
from pactum.store.tables.platform import audit_log
from tests.e2e.test_solidarity_api import _implementing
from tests.problem_paths import problem_fields as _locs

API = "/api/v1/solidarity"
H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]

CONFIRMED = "2026-08-12"  # a Wednesday; no public holiday in Italy or Greece near it or 4 weeks later


def _matched(client: TestClient, com: dict[str, str], *refs: tuple[str, str, str]) -> dict[str, dict]:
    """Transfers matched on 2026-08-01 under the 2026 pool (ref, origin, destination), by ref."""
    _implementing(client, com)
    r = client.post(f"{API}/transfers", params={"year": 2026}, headers=com, json={"transfers": [
        {"applicant_ref": ref, "origin_member_state": o, "destination_member_state": d, "matched_on": "2026-08-01"}
        for ref, o, d in refs]})
    assert r.status_code == 201, r.text
    return {x["applicant_ref"]: x for x in client.get(f"{API}/transfers", headers=com).json()["transfers"]}


def _step(client: TestClient, headers: dict[str, str], t: dict, event: str, on: str):
    r = client.post(f"{API}/transfers/{t['id']}/events", headers=headers,
                    json={"event": event, "on": on, "version": t["version"]})
    if r.status_code == 200:
        t.update(r.json())
    return r


def _confirmed(client: TestClient, auth_headers: H, t: dict, origin: str = "IT", dest: str = "DE") -> None:
    """Security cleared by the benefitting state on 2026-08-05, confirmed by the relocation state on
    :data:`CONFIRMED`."""
    assert _step(client, auth_headers(f"{origin.lower()}-admin"), t, "security_cleared", "2026-08-05").status_code == 200
    assert _step(client, auth_headers(f"{dest.lower()}-admin"), t, "accepted", CONFIRMED).status_code == 200


# ------------------------------------------------------------------ the law tree


def test_the_transfer_decision_has_one_week_from_the_confirmation_in_the_law_tree() -> None:
    p = param("solidarity.relocation.transfer_decision_period", on=date(2026, 8, 12))
    assert (p.value, p.unit) == (1, "weeks")
    assert p.reference.cite() == "Regulation (EU) 2024/1351, Article 67(10)"
    assert not p.unverified
    due, trace = tr.transfer_decision_due(date(2026, 8, 12), "IT")
    assert due == date(2026, 8, 19) and trace[0]["legal_basis"] == ["Regulation (EU) 2024/1351, Article 67(10)"]
    # the Voluntary Solidarity Mechanism had no such limit
    assert tr.transfer_decision_due(date(2023, 3, 1), "IT") == (None, [])


def test_the_transfer_period_runs_from_a_later_final_decision_on_a_suspensive_appeal() -> None:
    end, trace = tr.transfer_deadline(date(2026, 8, 12), "IT", date(2026, 9, 2))
    assert end == date(2026, 9, 30)
    assert trace[0]["facts"]["suspensive_appeal_decided_on"] == "2026-09-02"
    assert "final decision on the suspensive appeal" in trace[0]["outcome"]


# ------------------------------------------------------------------ the steps recorded one by one (API)


def test_a_decision_five_days_after_the_confirmation_leaves_the_four_weeks_from_the_confirmation(
        client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    t = _matched(client, com, ("A1", "IT", "DE"))["A1"]
    _confirmed(client, auth_headers, t)
    # the confirmation sets both time limits: one week for the decision, 4 weeks for the transfer
    assert (t["confirmed_on"], t["transfer_decision_due"], t["transfer_deadline"]) == (CONFIRMED, "2026-08-19",
                                                                                        "2026-09-09")
    r = _step(client, auth_headers("it-admin"), t, "transfer_decided", "2026-08-17")  # C + 5 days
    assert r.status_code == 200
    body = r.json()
    assert body["transfer_deadline"] == "2026-09-09"  # C + 4 weeks, not 2026-09-14 (C + 5 days + 4 weeks)
    assert body["transfer_decision_late"] is False
    period = [s for s in body["trace"] if s["rule"] == "relocation_transfer_period"]
    assert period[-1]["facts"]["confirmed_on"] == CONFIRMED
    assert period[-1]["legal_basis"] == ["Regulation (EU) 2024/1351, Article 67(11)"]
    # the tracker says the same
    assert client.get(f"{API}/transfers", headers=com).json()["transfers"][0]["transfer_deadline"] == "2026-09-09"


def test_a_decision_later_than_a_week_after_the_confirmation_is_recorded_and_flagged_late(
        client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    t = _matched(client, com, ("A2", "IT", "FR"))["A2"]
    _confirmed(client, auth_headers, t, dest="FR")
    r = _step(client, auth_headers("it-admin"), t, "transfer_decided", "2026-08-24")  # C + 12 days
    assert r.status_code == 200 and r.json()["stage"] == "transfer_decided"  # not refused
    assert r.json()["transfer_decision_late"] is True
    assert r.json()["transfer_deadline"] == "2026-09-09"  # the deadline does not move with a late decision
    late = [s for s in r.json()["trace"] if s["rule"] == "relocation_transfer_decision_period"][-1]
    assert late["outcome"].startswith("transfer decision late: the time limit was 2026-08-19")
    assert late["legal_basis"] == ["Regulation (EU) 2024/1351, Article 67(10)"]
    tracker = client.get(f"{API}/transfers", params={"year": 2026}, headers=com).json()
    assert tracker["decided_late"] == 1 and tracker["decisions_overdue"] == 0


def test_a_confirmed_transfer_without_a_decision_is_overdue_for_both_limits(
        client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    t = _matched(client, com, ("A3", "EL", "DE"))["A3"]
    _confirmed(client, auth_headers, t, origin="EL")
    # today (2026-11-28) the decision's week (to 2026-08-19) and the 4 weeks (to 2026-09-09) are past
    tracker = client.get(f"{API}/transfers", params={"year": 2026}, headers=com).json()
    row = tracker["transfers"][0]
    assert row["stage"] == "accepted" and row["transfer_decision_late"] is True and row["transfer_overdue"] is True
    assert tracker["overdue"] == 1 and tracker["decisions_overdue"] == 1
    # Greece's page of the pool counts it past the transfer deadline
    receives = client.get(f"{API}/cycles/2026/pledges/EL", headers=auth_headers("el-admin")).json()["receives"]
    assert receives["transfers"]["overdue"] == 1


def test_a_suspensive_appeals_final_decision_starts_the_four_weeks_again(
        client: TestClient, auth_headers: H, services: Services) -> None:
    com = auth_headers("com-solidarity")
    t = _matched(client, com, ("A4", "IT", "DE"))["A4"]
    _confirmed(client, auth_headers, t)
    it = auth_headers("it-admin")
    assert _step(client, it, t, "transfer_decided", "2026-08-17").status_code == 200
    # the relocation state cannot record the benefitting state's court's decision
    assert _step(client, auth_headers("de-admin"), t, "appeal_decided", "2026-09-02").status_code == 403
    r = _step(client, it, t, "appeal_decided", "2026-09-02")
    assert r.status_code == 200, r.text
    assert (r.json()["stage"], r.json()["suspensive_appeal_decided_on"], r.json()["transfer_deadline"]) == (
        "transfer_decided", "2026-09-02", "2026-09-30")
    # once only; the arrival is not dated before it
    assert _step(client, it, t, "appeal_decided", "2026-09-03").status_code == 409
    r = _step(client, auth_headers("de-admin"), t, "arrived", "2026-09-01")
    assert r.status_code == 422 and _locs(r) == ["on"] and "suspensive appeal on 2026-09-02" in r.json()["detail"][0]["msg"]


def test_bad_dates_of_the_confirmation_and_the_decision_are_refused_naming_the_field(
        client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    t = _matched(client, com, ("A5", "IT", "DE"))["A5"]
    it, de = auth_headers("it-admin"), auth_headers("de-admin")
    assert _step(client, it, t, "security_cleared", "2026-08-05").status_code == 200
    r = _step(client, de, t, "accepted", "2026-08-04")  # before the security check the request follows
    assert r.status_code == 422 and _locs(r) == ["on"]
    r = _step(client, de, t, "accepted", "2026-11-29")  # tomorrow
    assert r.status_code == 422 and _locs(r) == ["on"]
    assert _step(client, de, t, "accepted", CONFIRMED).status_code == 200
    r = _step(client, it, t, "transfer_decided", "2026-08-11")  # before the confirmation
    assert r.status_code == 422 and _locs(r) == ["on"]
    assert "confirmed by the relocation state on 2026-08-12" in r.json()["detail"][0]["msg"]
    assert client.get(f"{API}/transfers", headers=com).json()["transfers"][0]["stage"] == "accepted"


# ------------------------------------------------------------------ a history imported


def test_an_imported_history_counts_its_limits_from_the_confirmation(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    _implementing(client, com)
    base = {"origin_member_state": "IT", "destination_member_state": "DE", "matched_on": "2026-08-01",
            "security_cleared_on": "2026-08-05", "accepted_on": CONFIRMED}
    r = client.post(f"{API}/transfers/import", params={"year": 2026}, headers=com, json={"transfers": [
        {**base, "applicant_ref": "H1", "transfer_decided_on": "2026-08-17"},
        {**base, "applicant_ref": "H2", "transfer_decided_on": "2026-08-24", "arrived_on": "2026-09-04"},
        {**base, "applicant_ref": "H3", "transfer_decided_on": "2026-08-17",
         "suspensive_appeal_decided_on": "2026-09-02"},
    ]})
    assert r.status_code == 201, r.text
    t = {x["applicant_ref"]: x for x in client.get(f"{API}/transfers", headers=com).json()["transfers"]}
    assert (t["H1"]["transfer_decision_due"], t["H1"]["transfer_deadline"]) == ("2026-08-19", "2026-09-09")
    assert t["H1"]["transfer_decision_late"] is False and t["H2"]["transfer_decision_late"] is True
    assert t["H3"]["transfer_deadline"] == "2026-09-30"
    bad = client.post(f"{API}/transfers/import", params={"year": 2026}, headers=com, json={"transfers": [
        {**base, "applicant_ref": "H4", "transfer_decided_on": "2026-08-10"},
        {**base, "applicant_ref": "H5", "transfer_decided_on": "2026-08-17",
         "suspensive_appeal_decided_on": "2026-08-16"},
        {**base, "applicant_ref": "H6", "suspensive_appeal_decided_on": "2026-08-20"},
    ]})
    assert bad.status_code == 422
    assert _locs(bad) == ["transfers[0].transfer_decided_on", "transfers[1].suspensive_appeal_decided_on",
                          "transfers[2].suspensive_appeal_decided_on"]
    assert client.get(f"{API}/transfers", headers=com).json()["total"] == 3  # nothing half-written


# ------------------------------------------------------------------ the tracker's page and the CLI


def test_the_tracker_page_shows_the_late_decision_and_the_overdue_transfer(
        client: TestClient, auth_headers: H, web_client: W) -> None:
    com = auth_headers("com-solidarity")
    t = _matched(client, com, ("P1", "IT", "DE"), ("P2", "EL", "DE"))
    _confirmed(client, auth_headers, t["P1"])
    assert _step(client, auth_headers("it-admin"), t["P1"], "transfer_decided", "2026-08-24").status_code == 200
    _confirmed(client, auth_headers, t["P2"], origin="EL")
    html = unescape(web_client("com-solidarity").get("/solidarity/transfers", params={"era": "ammr",
                                                                                       "year": 2026}).text)
    p1 = re.search(rf'<tr id="transfer-{t["P1"]["id"]}">(.*?)</tr>', html, re.S)[1]  # type: ignore[index]
    decision = re.search(r'<td class="decision">(.*?)</td>', p1, re.S)[1]  # type: ignore[index]
    assert "2026-08-24" in decision and ">late<" in decision and "time limit 2026-08-19" in decision
    p2 = re.search(rf'<tr id="transfer-{t["P2"]["id"]}">(.*?)</tr>', html, re.S)[1]  # type: ignore[index]
    assert ">overdue<" in re.search(r'<td class="decision">(.*?)</td>', p2, re.S)[1]  # type: ignore[index]
    assert ">overdue<" in re.search(r'<td class="deadline">(.*?)</td>', p2, re.S)[1]  # type: ignore[index]
    assert "1 awaiting the transfer decision past its time limit" in html
    assert "1 transfer decision taken late" in html
    said = re.sub(r"<[^>]+>", "", re.search(r'<p class="muted" id="limits-said">(.*?)</p>', html, re.S)[1])  # type: ignore[index]
    assert "within 1 week of it (Regulation (EU) 2024/1351, Article 67(10))" in said
    assert "within 4 weeks of it" in said and "Article 67(11)" in said



def test_the_benefitting_state_records_a_suspensive_appeals_final_decision_on_the_tracker_page(
        client: TestClient, auth_headers: H, web_client: W) -> None:
    com = auth_headers("com-solidarity")
    t = _matched(client, com, ("P3", "IT", "DE"))["P3"]
    _confirmed(client, auth_headers, t)
    assert _step(client, auth_headers("it-admin"), t, "transfer_decided", "2026-08-17").status_code == 200
    it = web_client("it-admin")

    def row() -> str:
        html = unescape(it.get("/solidarity/transfers", params={"era": "ammr", "year": 2026}).text)
        return re.search(rf'<tr id="transfer-{t["id"]}">(.*?)</tr>', html, re.S)[1]  # type: ignore[index]

    assert ">Final decision on a suspensive appeal</button>" in row()
    r = it.post(f"/solidarity/transfers/{t['id']}/events", follow_redirects=False, data={
        "event": "appeal_decided", "on": "2026-09-02", "version": str(t["version"]), "era": "ammr", "year": "2026"})
    assert r.status_code == 303, r.text[:2000]
    after = row()
    assert "(appeal decided 2026-09-02)" in after and "2026-09-30" in after
    assert "Final decision on a suspensive appeal</button>" not in after  # once only


def test_the_cli_lists_the_decisions_time_limit_and_flags(
        client: TestClient, auth_headers: H, services: Services) -> None:
    com = auth_headers("com-solidarity")
    t = _matched(client, com, ("C1", "IT", "DE"))["C1"]
    _confirmed(client, auth_headers, t)
    assert _step(client, auth_headers("it-admin"), t, "transfer_decided", "2026-08-24").status_code == 200
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "com-solidarity",
           "PACTUM_ARGON2_TIME_COST": "1", "PACTUM_ARGON2_MEMORY_KIB": "1024"}
    r = CliRunner().invoke(app, ["solidarity", "transfers", "--year", "2026"], env=env)
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    row = out["transfers"][0]
    assert (row["confirmed_on"], row["transfer_decision_due"], row["transfer_decided_on"],
            row["transfer_decision_late"], row["transfer_deadline"]) == (
        CONFIRMED, "2026-08-19", "2026-08-24", True, "2026-09-09")
    assert out["decided_late"] == 1
    csv = CliRunner().invoke(app, ["solidarity", "transfers", "--year", "2026", "--format", "csv"], env=env)
    header, line = csv.stdout.splitlines()[:2]
    cells = dict(zip(header.split(","), line.split(","), strict=True))
    assert (cells["transfer_decision_due"], cells["transfer_decision_late"]) == ("2026-08-19", "true")
    # the benefitting state records the appeal's final decision from the command line too, audited
    it_env = {**env, "PACTUM_CLI_USER": "it-admin"}
    r = CliRunner().invoke(app, ["solidarity", "transfer-event", row["id"], "-"], env=it_env, input=json.dumps(
        {"event": "appeal_decided", "on": "2026-09-02", "version": row["version"]}))
    assert r.exit_code == 0, r.output
    assert (json.loads(r.stdout)["suspensive_appeal_decided_on"], json.loads(r.stdout)["transfer_deadline"]) == (
        "2026-09-02", "2026-09-30")
    with services.engine.connect() as conn:
        entry = conn.execute(select(audit_log.c.actor, audit_log.c.before, audit_log.c.after).where(
            audit_log.c.entity_id == row["id"], audit_log.c.action == "solidarity.transfer.appeal_decided")).one()
    assert entry.actor == "it-admin" and entry.after == {"stage": "transfer_decided"}
    # a date in the future: one readable line naming the field, exit 2
    r = CliRunner().invoke(app, ["solidarity", "transfer-event", row["id"], "-"], env=it_env, input=json.dumps(
        {"event": "appeal_decided", "on": "2026-12-02", "version": row["version"] + 1}))
    assert (r.exit_code, r.stdout) == (2, "") and r.stderr.startswith("error: on") and r.stderr.count("\n") == 1, r.stderr
    assert "future" in r.stderr
