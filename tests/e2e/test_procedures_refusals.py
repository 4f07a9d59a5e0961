"""Refusals of entry at the external border, recorded through the API, the border facilities
screen and the command line, and counted in the border procedure's adequate capacity: a state's
share of (irregular crossings + arrivals after search and rescue + refusals of entry) over the
three calendar years before the date, times the Union's 30,000 places (APR Arts 46-47,
Implementing Decision 2024/2150)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app

try:
    from .test_procedures_support import World, login, make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_world  # type: ignore[no-redef]

REFUSAL = {"refused_on": "2026-07-30", "border_type": "air", "border_section": "Roma Fiumicino",
           "nationality": "COL", "reasons": ["E", "G"]}


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def state(capacity: dict[str, Any], ms: str) -> dict[str, Any]:
    return next(s for s in capacity["states"] if s["member_state"] == ms)


def test_recorded_refusals_change_the_capacity_as_computed_by_hand(world: World) -> None:
    # Italy, 2026: two disembarkations after SAR and one irregular crossing, one refusal at
    # Fiumicino; Germany: two refusals at Frankfurt airport and none of the other arrivals.
    world.person("it.caseworker", surname="Ali", nationality="BGD")
    world.person("it.caseworker", surname="Uddin", nationality="BGD")
    world.person("it.caseworker", surname="Kone", nationality="CIV", kind="irregular_crossing")
    before = world.get("it.caseworker", "/capacity", on="2027-02-01").json()
    assert before["reference_period"] == ["2024-01-01", "2026-12-31"]
    it = state(before, "IT")
    assert (it["irregular_crossings"], it["sar_arrivals"], it["refusals_of_entry"]) == (1, 2, 0)
    # Italy holds all the arrivals recorded so far: the whole Union capacity by the estimate;
    # Decision 2024/2150 fixes Italy's capacity at 8,016 places until 15 October 2027
    assert (it["capacity"], it["estimate"]["capacity"]) == (8016, 30000)

    r = world.post("it.caseworker", "/refusals-of-entry", REFUSAL)
    assert r.status_code == 201, r.text
    rec = r.json()
    assert (rec["member_state"], rec["reasons"], rec["recorded_by"]) == ("IT", ["E", "G"], "it.caseworker")
    assert rec["reason_texts"][0].startswith("(E) has no appropriate documentation")
    for day in ("2026-06-02", "2026-07-15"):
        r = world.post("de.caseworker", "/refusals-of-entry",
                       {**REFUSAL, "refused_on": day, "border_section": "Frankfurt am Main",
                        "nationality": "TUR", "reasons": ["C"]})
        assert r.status_code == 201, r.text
    # a refusal before the reference period (2024-2026) does not count on 1 February 2027
    assert world.post("de.caseworker", "/refusals-of-entry",
                      {**REFUSAL, "refused_on": "2023-12-31"}).status_code == 201

    after = world.get("it.caseworker", "/capacity", on="2027-02-01").json()
    assert after["union_totals"] == {"irregular_crossings": 1, "sar_arrivals": 2,
                                     "refusals_of_entry": 3, "total": 6}
    it = state(after, "IT")
    # Italy: 1 + 2 + 1 = 4 of 6 -> 30,000 x 4 / 6 = 20,000 places; x 2 until 12 June 2027 (the
    # estimate from the records, beside the Decision's 8,016 / 16,032)
    assert (it["arrivals"], it["share_percent"], it["estimate"]["capacity"],
            it["estimate"]["annual_maximum"]) == (4, 66.67, 20000, 40000)
    assert (it["capacity"], it["annual_maximum"]) == (8016, 16032)
    assert it["explanation"][-4:] == [
        "IT: irregular crossings 1 + arrivals after search and rescue 2 + refusals of entry 1 = 4",
        "share: 4 / 6 (all bound states) = 66.67%",
        "adequate capacity: 30,000 × 4 / 6 = 20,000 places (rounded half up)",
        "annual maximum: 20,000 × 2 = 40,000 applications",
    ]
    # Germany sees its own row: 0 + 0 + 2 = 2 of 6 -> 10,000 places by the formula (an estimate:
    # the platform holds no figure of the Decision for Germany); the capacity used is its share
    # of what the Decision's figures leave of the Union's 30,000 (30,000 - 22,785 = 7,215; the
    # only state without a figure that has arrivals: all of it)
    de = world.get("de.caseworker", "/capacity", on="2027-02-01").json()
    assert [(s["member_state"], s["refusals_of_entry"], s["estimate"]["capacity"], s["capacity"],
             s["capacity_source"]) for s in de["states"]] == [("DE", 2, 10000, 7215, "estimate")]


def test_bad_refusals_are_refused_field_by_field_and_nothing_is_written(world: World) -> None:
    r = world.post("it.caseworker", "/refusals-of-entry",
                   {**REFUSAL, "reasons": ["K"], "nationality": "ZZZ", "border_type": "rail"})
    assert r.status_code == 422
    assert r.text.count("reasons") and "A to I" in r.text and "nationality" in r.text
    r = world.post("it.caseworker", "/refusals-of-entry", {**REFUSAL, "refused_on": "2026-08-04"})
    assert r.status_code == 422 and "after today" in r.text
    r = world.post("it.caseworker", "/refusals-of-entry", {**REFUSAL, "member_state": "DE"})
    assert r.status_code == 422 and "border of IT only" in r.text
    assert world.post("it.analyst", "/refusals-of-entry", REFUSAL).status_code == 403
    assert world.post("com.admin", "/refusals-of-entry", REFUSAL).status_code == 403
    assert world.get("it.caseworker", "/refusals-of-entry").json()["total"] == 0


def test_each_state_sees_its_own_refusals_and_an_eu_body_sees_all(world: World) -> None:
    world.post("it.caseworker", "/refusals-of-entry", REFUSAL)
    world.post("it.caseworker", "/refusals-of-entry", {**REFUSAL, "refused_on": "2026-08-02",
                                                        "nationality": "ALB", "reasons": ["H"]})
    world.post("de.caseworker", "/refusals-of-entry", {**REFUSAL, "border_section": "Munich"})
    mine = world.get("it.caseworker", "/refusals-of-entry").json()
    assert mine["total"] == 2 and [x["refused_on"] for x in mine["refusals"]] == ["2026-08-02", "2026-07-30"]
    assert (mine["by_reason"]["E"]["count"], mine["by_reason"]["H"]["count"], mine["by_reason"]["A"]["count"]) == (1, 1, 0)
    only = world.get("it.caseworker", "/refusals-of-entry", nationality="alb", **{"from": "2026-08-01"}).json()
    assert [x["nationality"] for x in only["refusals"]] == ["ALB"]
    assert world.get("it.caseworker", "/refusals-of-entry", member_state="DE").status_code == 403  # a right
    assert world.get("it.caseworker", "/refusals-of-entry", **{"from": "2026-08-02", "to": "2026-08-01"}).status_code == 422
    eu = world.get("com.admin", "/refusals-of-entry").json()
    assert eu["total"] == 3 and eu["member_state"] is None
    assert world.get("com.admin", "/refusals-of-entry", member_state="DE").json()["total"] == 1


def test_border_screen_records_a_refusal_and_shows_the_components(world: World) -> None:
    world.person("it.caseworker", surname="Ali", nationality="BGD", occurred_at="2025-03-01T06:00:00+00:00")
    web = login(world, "it.caseworker")
    page = web.get("/procedures/border").text
    assert 'id="refusal-form"' in page and "(I) is considered to be a threat" in page
    assert "(J)" not in page  # the standard form of Annex V Part B has no (J)
    bad = web.post("/procedures/border/refusals-of-entry",
                   data={"refused_on": "2026-08-01", "border_type": "land", "border_section": "",
                         "nationality": "SRB"})
    assert bad.status_code == 422
    assert "reasons" in bad.text and "border_section" in bad.text
    ok = web.post("/procedures/border/refusals-of-entry", follow_redirects=False,
                  data={"refused_on": "2026-01-20", "border_type": "sea", "border_section": "Port of Bari",
                        "nationality": "ALB", "reasons": ["A", "H"], "note": ""})
    assert ok.status_code == 303
    shown = web.get(ok.headers["location"]).text
    assert "Port of Bari" in shown and "A, H" in shown and "1 recorded for IT" in shown
    # on 2027-03-01 both the 2025 SAR arrival and the 2026 refusal count: 1 + 1 = 2 of 2
    later = web.get("/procedures/border?on=2027-03-01").text
    assert ("IT: irregular crossings 0 + arrivals after search and rescue 1 + refusals of entry 1 = 2"
            in later)
    assert "30,000 × 2 / 2 = 30,000 places" in later
    analyst = login(world, "it.analyst").get("/procedures/border").text
    assert 'id="refusal-form"' not in analyst and "Port of Bari" in analyst


def test_refusals_from_the_command_line(world: World, monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path) -> None:
    monkeypatch.setenv("PACTUM_DATABASE_URL", world.services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    runner = CliRunner()
    f = tmp_path / "refusal.json"
    f.write_text(json.dumps(REFUSAL), encoding="utf-8")
    r = runner.invoke(app, ["procedures", "refusal", "record", str(f)])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["border_section"] == "Roma Fiumicino"
    f.write_text(json.dumps({**REFUSAL, "reasons": ["Z"]}), encoding="utf-8")
    bad = runner.invoke(app, ["procedures", "refusal", "record", str(f)])
    assert bad.exit_code == 2 and "reasons" in bad.output and len(bad.output.strip().splitlines()) == 1
    listed = runner.invoke(app, ["procedures", "refusal", "list", "--from", "2026-07-01"])
    assert listed.exit_code == 0 and json.loads(listed.output)["total"] == 1
    wrong = runner.invoke(app, ["procedures", "refusal", "list", "--from", "July"])
    assert wrong.exit_code == 2 and "--from: 'July' is not a date (YYYY-MM-DD)" in wrong.output


def test_a_refusal_recorded_with_the_letter_j_is_still_listed_and_its_text_says_it_is_not_on_the_form(
        world: World) -> None:
    """Pactum offered a reason (J) the standard form of Annex V Part B does not have; a refusal
    recorded with it before stays listed (the letter kept, counted), a new one is refused."""
    from sqlalchemy import insert

    from pactum.store.tables.procedures import refusals_of_entry

    with world.services.engine.begin() as conn:
        conn.execute(insert(refusals_of_entry).values(
            id="ref_J1", member_state="IT", refused_on=date(2026, 7, 1), border_type="air",
            border_section="Roma Fiumicino", nationality="COL", reasons=["C", "J"], note=None,
            recorded_by="it.caseworker", created_at=world.clock.now()))
    listed = world.get("it.caseworker", "/refusals-of-entry")
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["by_reason"]["J"]["count"] == 1 and "Annex V Part B lists (A) to (I)" in body["by_reason"]["J"]["reason"]
    assert body["refusals"][0]["reason_texts"][1].startswith("(J) has no valid travel authorisation (recorded")
    r = world.post("it.caseworker", "/refusals-of-entry", {**REFUSAL, "reasons": ["J"]})
    assert r.status_code == 422 and "the form's reasons are A to I" in r.text
