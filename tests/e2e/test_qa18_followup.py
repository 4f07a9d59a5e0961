"""QA walk 18, the follow-up (API and CLI): a change dated back applies from its date on, no state
of play after today, nothing done or paid after today, implausible data refused, amounts beyond
any budget refused (not a crash), what is late at commitment level, how old the information is,
funding by Member State and paid out by the report's date."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.followup import annex_data
from pactum.followup.model import Action, Commitment, Status

runner = CliRunner()
EDITOR = "com-analyst"
HUGE = "480000000000000000000000000000"


@pytest.fixture
def h(client, auth_headers):
    headers = auth_headers(EDITOR)
    assert client.post("/api/v1/followup/load", headers=headers).status_code == 200
    return headers


@pytest.fixture
def cli(services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))

    def run(*args: str):
        monkeypatch.setenv("PACTUM_CLI_USER", EDITOR)
        return runner.invoke(app, ["followup", *args])

    return run


def _version(client, h, kind, key):
    return client.get(f"/api/v1/followup/items/{kind}/{key}", headers=h).json()["version"]


def _patch(client, h, kind, key, changes, valid_from, reason="qa"):
    return client.patch(f"/api/v1/followup/items/{kind}/{key}", headers=h, json={
        "version": _version(client, h, kind, key), "changes": changes, "valid_from": valid_from,
        "reason": reason})


def _line(client, h, key, as_of=None):
    params = {"as_of": as_of} if as_of else {}
    lines = client.get("/api/v1/followup/funding", params=params, headers=h).json()["lines"]
    return next(f for f in lines if f["key"] == key)


def _one_line_exit_2(r, *needles):
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.output, r.output
    for needle in needles:
        assert needle in lines[0], lines[0]


# -- W2-1: a change dated back applies from its date on --------------------------------------------


def test_a_correction_dated_back_is_carried_past_a_later_version(client, h):
    """12.F1 adopted from 31 July 2023 (committed), then its amount corrected to EUR 45m from 1 July:
    the EUR 45m holds from 1 July on, today included, and the stage still from 31 July."""
    assert _patch(client, h, "funding", "12.F1", {"stage": "committed"}, "2023-07-31").status_code == 200
    r = _patch(client, h, "funding", "12.F1", {"amount_eur": "45000000"}, "2023-07-01", "annex typo")
    assert r.status_code == 200, r.text
    today = _line(client, h, "12.F1")
    assert (today["amount_eur"], today["stage"]) == ("45000000", "committed")
    mid_july = _line(client, h, "12.F1", "2023-07-15")
    assert (mid_july["amount_eur"], mid_july["stage"]) == ("45000000", "indicative")
    assert _line(client, h, "12.F1", "2023-06-30")["amount_eur"] == "40000000"
    history = client.get("/api/v1/followup/items/funding/12.F1/history", headers=h).json()
    # each version's fields are what it changed on its own date: the correction changed the amount
    # only (not "amount and stage", as compared with the version recorded before it)
    assert [(e["valid_from"], e["fields"]) for e in history[1:]] == [
        ("2023-07-31", ["stage"]), ("2023-07-01", ["amount_eur"]), ("2023-07-31", ["amount_eur"])]
    assert "carried forward from the change dated 2023-07-01" in history[-1]["reason"]
    assert history[2]["before"] == {"amount_eur": "40000000"}


def test_a_correction_a_later_version_contradicts_is_refused_naming_it(client, h):
    assert _patch(client, h, "funding", "12.F1", {"amount_eur": "50000000"}, "2023-07-31").status_code == 200
    r = _patch(client, h, "funding", "12.F1", {"amount_eur": "45000000"}, "2023-07-01")
    assert r.status_code == 409, r.text
    detail = r.json()["detail"]
    assert "version 2" in detail and "2023-07-31" in detail and "amount_eur" in detail
    assert _line(client, h, "12.F1", "2023-07-15")["amount_eur"] == "40000000"  # nothing written


def test_a_removal_dated_back_removes_the_item_from_its_date_on(client, h):
    r = client.post("/api/v1/followup/items/partner", headers=h, json={
        "data": {"code": "GHA", "name": "Ghana"}, "valid_from": "2024-03-01"})
    assert r.status_code == 201, r.text
    r = client.delete("/api/v1/followup/items/partner/GHA", headers=h,
                      params={"version": r.json()["version"], "valid_from": "2024-02-01"})
    assert r.status_code == 204, r.text
    codes = {p["partner"]["code"] for p in client.get("/api/v1/followup/partners", headers=h).json()}
    assert "GHA" not in codes
    assert client.get("/api/v1/followup/partners/GHA", headers=h).status_code == 404
    assert client.get("/api/v1/followup/partners/GHA", headers=h,
                      params={"as_of": "2024-03-05"}).status_code == 404
    # created again before that removal: it would end with it, so refused; from its date, taken
    again = {"data": {"code": "GHA", "name": "Ghana"}}
    r = client.post("/api/v1/followup/items/partner", headers=h, json={**again, "valid_from": "2024-01-01"})
    assert r.status_code == 409 and "removed from 2024-03-01" in r.json()["detail"], r.text
    r = client.post("/api/v1/followup/items/partner", headers=h, json={**again, "valid_from": "2024-04-01"})
    assert r.status_code == 201, r.text


def test_an_edit_dated_before_the_item_exists_is_refused_naming_valid_from(client, h):
    assert client.post("/api/v1/followup/items/partner", headers=h, json={
        "data": {"code": "GHA", "name": "Ghana"}, "valid_from": "2024-03-01"}).status_code == 201
    r = _patch(client, h, "partner", "GHA", {"name": "Republic of Ghana"}, "2024-02-01")
    assert r.status_code == 422
    (detail,) = r.json()["detail"]
    assert detail["loc"] == ["body", "valid_from"] and "2024-03-01" in detail["msg"]


# -- W2-2: an amount beyond any budget -------------------------------------------------------------


def test_an_amount_beyond_any_budget_is_refused_naming_amount_eur(client, h):
    r = _patch(client, h, "funding", "12.F1", {"amount_eur": HUGE}, "2026-11-28")
    assert r.status_code == 422, r.text
    assert [d["loc"] for d in r.json()["detail"]] == [["body", "changes", "amount_eur"]]
    assert "1,000 billion" in r.json()["detail"][0]["msg"]
    r = client.post("/api/v1/followup/items/funding", headers=h, json={"parent": "1", "data": {
        "key": "1.F9", "amount_eur": "1e999999999", "instrument": "x", "stage": "committed",
        "beneficiary": "Member States"}})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "data", "amount_eur"], r.text


def test_an_imported_amount_beyond_any_budget_is_exit_2_naming_the_field(cli, tmp_path):
    assert cli("load").exit_code == 0
    text = annex_data.shipped_text().replace('amount_eur: "140000000"', f'amount_eur: "{HUGE}"')
    path = tmp_path / "big.yaml"
    path.write_text(text, encoding="utf-8")
    _one_line_exit_2(cli("import", str(path), "--as-of", "2026-11-28"), "amount_eur", "1,000 billion")


# -- W2-3, W2-9: no state of play after today --------------------------------------------------------


@pytest.mark.parametrize("path", ["/followup/report", "/followup/report.pdf", "/followup/commitments",
                                  "/followup/export", "/followup/funding", "/followup/partners"])
@pytest.mark.parametrize("as_of", ["2030-01-01", "9999-12-31"])
def test_a_state_of_play_after_today_is_refused_naming_as_of(client, h, path, as_of):
    r = client.get(f"/api/v1{path}", params={"as_of": as_of}, headers=h)
    assert r.status_code == 422, r.text
    (detail,) = r.json()["detail"]
    assert detail["loc"] == ["query", "as_of"] and "after today" in detail["msg"]


def test_changes_since_are_refused_like_the_report(client, h):
    r = client.get("/api/v1/followup/changes", params={"since": "2024-06-01", "as_of": "2023-06-23"}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "since"], r.text
    r = client.get("/api/v1/followup/changes", params={"since": "2023-06-23", "as_of": "2030-01-01"}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "as_of"], r.text
    ok = client.get("/api/v1/followup/changes", params={"since": "2023-06-23", "as_of": "2026-11-28"}, headers=h)
    assert ok.status_code == 200 and ok.json() == []


def test_the_cli_refuses_a_report_export_or_list_after_today(cli, tmp_path):
    assert cli("load").exit_code == 0
    out = tmp_path / "r2030"
    _one_line_exit_2(cli("report", "--as-of", "2030-01-01", "--out", str(out)), "--as-of: ", "after today")
    assert not out.exists()
    _one_line_exit_2(cli("export", "--as-of", "9999-12-31"), "--as-of: ", "after today")
    _one_line_exit_2(cli("list", "--as-of", "2030-01-01"), "--as-of: ", "after today")


# -- W2-4: nothing done or paid after today; paid by the report's date ---------------------------------


def test_a_milestone_is_not_created_done_in_the_future(client, h):
    r = client.post("/api/v1/followup/items/milestone", headers=h, json={"parent": "15", "data": {
        "key": "15.M9", "description": "Talent Pool adopted", "due": "2024-12-31", "done_on": "2099-05-05"}})
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", "data", "done_on"]
    assert client.get("/api/v1/followup/items/milestone/15.M9", headers=h).status_code == 404


def test_an_imported_milestone_done_in_the_future_names_line_and_field(client, h):
    csv_text = client.get("/api/v1/followup/export", params={"format": "csv"}, headers=h).text
    lines = csv_text.splitlines()
    header = lines[0].split(",")
    row = next(i for i, line in enumerate(lines) if line.startswith("milestone,15.M1,"))
    cells = next(csv.reader([lines[row]]))
    cells[header.index("done_on")] = "2099-05-05"
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    lines[row] = out.getvalue()
    r = client.post("/api/v1/followup/import", params={"format": "csv"}, content="\n".join(lines) + "\n",
                    headers={**h, "Content-Type": "text/plain"})
    assert r.status_code == 422, r.text
    (detail,) = r.json()["detail"]
    assert detail["loc"][-1] == "done_on" and f"line {row + 1}" in detail["msg"] and "after today" in detail["msg"]


def test_a_tranche_is_not_disbursed_in_the_future(client, h):
    r = _patch(client, h, "funding", "12.F1",
               {"tranches": [{"amount_eur": "10000000", "stage": "disbursed", "on": "2099-01-01"}]}, "2026-11-28")
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", "changes", "tranches", 0, "on"]


def test_a_tranche_paid_after_the_report_date_does_not_count_in_it(client, h):
    tranches = [{"amount_eur": "35000000", "stage": "disbursed", "text": "first €35 million disbursement made"},
                {"amount_eur": "45000000", "stage": "disbursed", "on": "2024-03-15", "text": "second"}]
    assert _patch(client, h, "funding", "11.F8", {"tranches": tranches}, "2023-07-01").status_code == 200
    paid = {}
    for as_of in ("2024-01-10", "2024-06-01"):
        sop = client.get("/api/v1/followup/report", params={"as_of": as_of}, headers=h).json()
        paid[as_of] = sop["totals"]["disbursed_eur"]
        assert client.get("/api/v1/followup/funding", params={"as_of": as_of},
                          headers=h).json()["totals"]["disbursed_eur"] == paid[as_of]
    assert paid == {"2024-01-10": "35000000", "2024-06-01": "80000000"}


def test_an_expected_tranche_past_its_date_is_flagged_late(client, h):
    before = client.get("/api/v1/followup/report", params={"as_of": "2023-12-01"}, headers=h).json()
    assert before["late_tranches"] == []
    after = client.get("/api/v1/followup/report", params={"as_of": "2024-01-15"}, headers=h).json()
    assert [(t["line"], t["amount_eur"], t["due"]) for t in after["late_tranches"]] == [
        ("11.F8", "45000000", "2023-12-31")]
    funding = client.get("/api/v1/followup/funding", params={"as_of": "2024-01-15"}, headers=h).json()
    assert [t["line"] for t in funding["late_tranches"]] == ["11.F8"]


# -- W2-14: implausible data ---------------------------------------------------------------------------


def test_implausible_items_are_refused_naming_the_field(client, h):
    r = client.post("/api/v1/followup/items/partner", headers=h, json={"data": {"code": "FRA", "name": "France"}})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "data", "code"], r.text
    assert "bound by the Pact" in r.json()["detail"][0]["msg"]
    r = client.post("/api/v1/followup/items/commitment", headers=h, json={"data": {
        "number": 16, "source_meeting": "European Council", "source_date": "2099", "text": "A commitment."}})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "data", "source_date"], r.text
    r = client.post("/api/v1/followup/items/action", headers=h, json={"parent": "1", "data": {
        "key": "1.z", "text": "Done", "lead": "Commission", "status": "completed", "end_on": "2099-01-01"}})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "data", "end_on"], r.text
    r = _patch(client, h, "action", "1.c", {"status": "completed", "end_on": "2099-01"}, "2026-11-28")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "changes", "end_on"], r.text


# -- W2-10: a commitment's status as docs/followup.md says ----------------------------------------------


def _commitment(*statuses: Status) -> Commitment:
    return Commitment(number=1, source_meeting="EUCO", source_date="2023-02", text="x", actions=[
        Action(key=f"1.{i}", text="x", lead="Commission", status=s) for i, s in enumerate(statuses)])


def test_commitment_status_follows_the_documented_rule():
    assert _commitment(Status.planned, Status.blocked).status is Status.planned
    assert _commitment(Status.completed, Status.blocked).status is Status.ongoing
    assert _commitment(Status.blocked, Status.blocked).status is Status.blocked
    assert _commitment(Status.completed, Status.blocked).has_blocked


# -- W2-5: what is late at commitment level --------------------------------------------------------------


def test_every_deadline_of_the_euco_wording_is_a_dated_milestone():
    annex = annex_data.shipped()
    due = {c.number: {(m.due.isoformat() if m.due else None, m.due_text) for m in c.milestones}
           for c in annex.commitments}
    expected = {
        5: ("2023-06-30", "in the first half of 2023"), 6: ("2023-05-31", "by Spring 2023"),
        8: ("2023-06-30", "by mid-2023"), 9: ("2023-03-31", "in the first quarter of 2023"),
        12: ("2023-12-31", "in 2023"), 13: ("2023-06-30", "in the first half of 2023"),
        15: ("2023-12-31", "by the end of 2023"),
    }
    for number, (day, words) in expected.items():
        assert (day, words) in due[number], number
        assert words.lower() in " ".join(annex.commitment(number).text.lower().split()), number
    assert ("2023-08-31", "as of this summer") in due[2]
    egypt = next(m for m in annex.commitment(12).milestones if m.key == "12.M3")
    assert egypt.done_on is None and "Egypt" in egypt.description


def test_the_overdue_and_blocked_filters(client, h):
    rows = client.get("/api/v1/followup/commitments", params={"as_of": "2024-01-15", "status": "overdue"},
                      headers=h).json()
    numbers = [r["number"] for r in rows]
    assert 12 in numbers and 13 not in numbers  # ASOP Egypt not launched in 2023; the toolbox was done
    assert all(r["milestones_overdue"] for r in rows)
    blocked = client.get("/api/v1/followup/commitments", params={"status": "blocked"}, headers=h).json()
    assert [(r["number"], r["status"], r["has_blocked"]) for r in blocked] == [(2, "ongoing", True)]
    r = client.get("/api/v1/followup/commitments", params={"status": "late"}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "status"]
    sop = client.get("/api/v1/followup/report", params={"as_of": "2024-01-15"}, headers=h).json()
    assert 12 in sop["overdue_commitments"] and 13 not in sop["overdue_commitments"]


# -- W2-6: how old the information is --------------------------------------------------------------------


def test_the_report_says_how_old_each_item_is(client, h):
    sop = client.get("/api/v1/followup/report", params={"as_of": "2026-11-28"}, headers=h).json()
    assert sop["information_as_of"] == "2023-06-23"
    assert {row["as_of"] for row in sop["commitments"]} == {"2023-06-23"}
    assert _patch(client, h, "action", "2.j", {"status_note": "appointed, talks to start"}, "2024-02-01").status_code == 200
    sop = client.get("/api/v1/followup/report", params={"as_of": "2026-11-28"}, headers=h).json()
    assert sop["information_as_of"] == "2024-02-01"
    row2 = sop["commitments"][1]
    assert row2["as_of"] == "2024-02-01"
    actions = {a["key"]: a["as_of"] for _, group in row2["groups"] for a in group}
    assert actions["2.j"] == "2024-02-01" and actions["2.a"] == "2023-06-23"
    assert sop["commitments"][0]["as_of"] == "2023-06-23"
    rows = client.get("/api/v1/followup/commitments", headers=h).json()
    assert [r["as_of"] for r in rows[:2]] == ["2023-06-23", "2024-02-01"]


# -- W2-7, W2-12: by Member State; the regional line of Pakistan -----------------------------------------


def test_funding_by_member_state_reads_the_codes_of_the_beneficiary(client, h):
    o = client.get("/api/v1/followup/funding", headers=h).json()
    states = {s["code"]: (s["totals"]["total_eur"], s["lines"]) for s in o["by_member_state"]}
    assert states == {"BG": ("55800000", ["1.F3"]), "RO": ("55800000", ["1.F3"]), "CY": ("10000000", ["8.F3"])}
    bg = client.get("/api/v1/followup/funding", params={"member_state": "bg"}, headers=h).json()
    assert bg["member_state"] == "BG" and [f["key"] for f in bg["lines"]] == ["1.F3"]
    assert bg["totals"]["total_eur"] == "55800000" and bg["by_partner"] == []
    r = client.get("/api/v1/followup/funding", params={"member_state": "XX"}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "member_state"]


def test_funding_by_member_state_from_the_cli(cli):
    assert cli("load").exit_code == 0
    r = cli("funding", "--member-state", "CY")
    assert r.exit_code == 0, r.output
    o = json.loads(r.output)
    assert [f["key"] for f in o["lines"]] == ["8.F3"] and o["totals"]["total_eur"] == "10000000"
    _one_line_exit_2(cli("funding", "--member-state", "ZZ"), "--member-state: ")


def test_the_regional_programme_including_pakistan_counts_as_shared(client, h):
    pakistan = client.get("/api/v1/followup/partners/PAK", headers=h).json()
    assert pakistan["shared_eur"] == "9000000"
    line = next(f for f in pakistan["funding"] if f["key"] == "11.F4")
    assert line["regional"] is True and line["partners"] == ["PAK"]  # the annex names no other
    assert line["beneficiary"] == "regional programme including Pakistan"


# -- W2-8: a partner's milestones -----------------------------------------------------------------------


def test_a_partner_lists_the_milestones_of_its_actions(client, h):
    tunisia = client.get("/api/v1/followup/partners/TUN", params={"as_of": "2024-01-15"}, headers=h).json()
    milestones = {m["key"]: m["overdue"] for m in tunisia["milestones"]}
    assert milestones["12.M1"] is True  # the North Africa programme, due June/July 2023
    assert milestones["12.M2"] is False  # the ASOP with Tunisia, agreed in April
    rows = {r["partner"]["code"]: r["milestones_overdue"]
            for r in client.get("/api/v1/followup/partners", params={"as_of": "2024-01-15"}, headers=h).json()}
    assert rows["TUN"] >= 1


def test_the_shipped_yaml_still_loads_and_round_trips(client, h):
    exported = client.get("/api/v1/followup/export", params={"as_of": "2023-06-23"}, headers=h).text
    assert yaml.safe_load(exported)["edition"]["as_of"] == "2023-06-23"
    r = client.post("/api/v1/followup/import", params={"format": "yaml", "as_of": "2023-06-23"},
                    content=exported, headers={**h, "Content-Type": "text/plain"})
    assert r.status_code == 200 and r.json()["created"] == r.json()["updated"] == r.json()["deleted"] == 0
