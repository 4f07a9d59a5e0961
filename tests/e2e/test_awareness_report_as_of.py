"""The report of a week that has passed reads what was known at its end: nobody reading "the report
of 2026-W47" (16 to 22 November 2026) could know an encounter recorded on the 25th, an alert's
acknowledgement on the 25th, or a forecast computed on the 28th. The tests' clock is 2026-11-28."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import insert

from pactum.services import awareness
from pactum.services.auth import SYSTEM
from pactum.services.awareness import report as weekly
from pactum.store.tables.awareness import awareness_alerts
from pactum.store.tables.registry import encounters, identity_records, persons, screenings

CMR = "Central Mediterranean Route"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _arrival(conn, i: int, occurred: datetime, recorded: datetime, *, born: str = "1990") -> None:
    """An encounter on the Central Mediterranean that happened at ``occurred`` and was recorded on
    the platform at ``recorded``, with its screening started an hour after it."""
    conn.execute(insert(persons).values(id=f"p{i}", member_state="IT", created_at=recorded, version=1))
    conn.execute(insert(identity_records).values(
        id=f"i{i}", person_id=f"p{i}", member_state="IT", recorded_on=recorded.date(), category="applicant",
        nationality="TUN", date_of_birth=born, created_at=recorded))
    conn.execute(insert(encounters).values(
        id=f"e{i}", person_id=f"p{i}", identity_record_id=f"i{i}", member_state="IT", occurred_at=occurred,
        route=CMR, kind="sar_disembarkation", created_at=recorded))
    conn.execute(insert(screenings).values(
        id=f"s{i}", person_id=f"p{i}", encounter_id=f"e{i}", member_state="IT",
        started_at=occurred + timedelta(hours=1), deadline_at=occurred + timedelta(days=7), variant="border",
        outcome="asylum", completed_at=occurred + timedelta(hours=5), version=1))


def test_an_encounter_of_the_week_recorded_after_it_is_not_in_its_report(services, client, auth_headers):
    with services.engine.begin() as conn:
        _arrival(conn, 0, datetime(2026, 11, 18, 9, tzinfo=UTC), datetime(2026, 11, 18, 10, tzinfo=UTC))
        # disembarked on the 19th, registered on the 25th: after the week's end (the 22nd)
        _arrival(conn, 1, datetime(2026, 11, 19, 9, tzinfo=UTC), datetime(2026, 11, 25, 8, tzinfo=UTC), born="2012")
    rep = client.get("/api/v1/awareness/reports/2026-W47", headers=auth_headers("euaa-analyst")).json()
    platform = rep["platform"]
    assert platform["total"] == 1 and platform["by_route"][CMR] == 1  # was 2
    assert platform["minors"] == 0  # the minor was among the late ones
    assert platform["screenings_started"] == 1 and platform["screenings_completed"] == {"asylum": 1}  # were 2
    assert platform["recorded_after_week"] == 1
    body = _text(weekly.render_html(rep))
    assert "Encounters registered: 1" in body
    assert ("1 encounter of the week was recorded only after 2026-11-22 and is not counted here "
            "(nor its screening)") in body
    # the week in progress counts both: they are recorded by today
    now = client.get("/api/v1/awareness/reports/2026-W48", headers=auth_headers("euaa-analyst")).json()
    assert now["platform"]["recorded_after_week"] == 0


@pytest.fixture
def world(services):
    """The shipped releases imported, backtests, forecasts and alerts, all on 2026-11-28."""
    awareness.import_shipped(services, SYSTEM)
    awareness.load_shipped_backtests(services, SYSTEM)
    awareness.refresh_forecasts(services, SYSTEM)
    awareness.evaluate_alerts(services, SYSTEM)
    return services


def test_an_alert_acknowledged_after_the_week_is_open_in_its_report(world, web_client):
    with world.engine.begin() as conn:
        conn.execute(insert(awareness_alerts).values(
            id="alert-early", source="frontex", route="Black Sea Route", month="2025-03", rule="rapid_rise",
            observed=900, threshold=600, message="900 detections in 2025-03", drivers=[],
            created_at=datetime(2026, 11, 10, tzinfo=UTC), acknowledged_at=datetime(2026, 11, 25, tzinfo=UTC),
            acknowledged_by="frontex-analyst", note="seen on the 25th", version=2))
    past = weekly.build(world, SYSTEM, "2026-W47")
    # the alerts raised on the 28th are not in it; the one acknowledged on the 25th was open then
    assert [a["id"] for a in past["alerts"]] == ["alert-early"]
    alert = past["alerts"][0]
    assert alert["acknowledged_after_week"] is True and alert["status"] == "historical"
    assert alert["acknowledged_at"] is None and alert["acknowledged_by"] is None and alert["note"] is None
    body = _text(weekly.render_html(past))
    assert "acknowledged by frontex-analyst" not in body and "seen on the 25th" not in body
    assert "An alert acknowledged after 2026-11-22 is shown as it stood then, not acknowledged." in body
    # the week of the acknowledgement shows it acknowledged
    now = weekly.build(world, SYSTEM, "2026-W48")
    early = next(a for a in now["alerts"] if a["id"] == "alert-early")
    assert early["status"] == "acknowledged" and early["acknowledged_by"] == "frontex-analyst"
    page = _text(web_client("frontex-analyst").get("/awareness/reports/2026-W47").text)
    assert "acknowledged by frontex-analyst" not in page


def test_a_forecast_and_a_release_of_after_the_week_are_marked(world):
    past = weekly.build(world, SYSTEM, "2026-W47")
    shown = [r for r in past["routes"] if r["forecast"]]
    assert shown
    assert {r["forecast_made_after"] for r in shown} == {
        "computed on 2026-11-28, after the week, from the data to 2025-04 only"}
    assert past["frontex"]["imported_after_week"] is True
    assert past["frontex"]["release_note"].startswith(
        "this release was imported on 2026-11-28, after the week: its months to April 2025 are shown as it gives them")
    body = _text(weekly.render_html(past))
    assert "(computed on 2026-11-28, after the week, from the data to 2025-04 only)" in body
    assert "Note: this release was imported on 2026-11-28, after the week" in body
    # the week they were made in: nothing to mark
    now = weekly.build(world, SYSTEM, "2026-W48")
    assert all(r["forecast_made_after"] is None for r in now["routes"])
    assert now["frontex"]["imported_after_week"] is False and "release_note" not in now["frontex"]


def test_the_report_says_what_as_of_means(world, web_client):
    past = weekly.build(world, SYSTEM, "2026-W47")
    note = past["week"]["as_of_note"]
    assert note.startswith("As of 2026-11-22, the end of the week: the report counts only what had happened and "
                           "had been recorded or published by then.")
    assert "the months over by then (to October 2026; the newest in the release read is April 2025" in note
    assert "alerts raised by then, with their status on that day" in note
    now = weekly.build(world, SYSTEM, "2026-W48")
    assert now["week"]["as_of_note"].startswith("As of 2026-11-28 (today: the week is in progress)")
    page = _text(web_client("euaa-analyst").get("/awareness/reports/2026-W47").text)
    assert "As of 2026-11-22, the end of the week" in page
    assert date(2026, 11, 22).isoformat() in page


def test_arrivals_registered_by_the_weeks_end_leave_out_a_later_registration(services, client, auth_headers):
    """Section 7's "Arrivals registered" on the week's last day: an encounter of the week recorded
    after it was not registered by then (it was counted, by the day it happened)."""
    with services.engine.begin() as conn:
        _arrival(conn, 0, datetime(2026, 11, 18, 9, tzinfo=UTC), datetime(2026, 11, 18, 10, tzinfo=UTC))
        _arrival(conn, 1, datetime(2026, 11, 19, 9, tzinfo=UTC), datetime(2026, 11, 25, 8, tzinfo=UTC))
    rep = client.get("/api/v1/awareness/reports/2026-W47", headers=auth_headers("euaa-analyst")).json()
    assert next(i["value"] for i in rep["indicators"] if i["name"] == "registrations") == 1  # was 2
    now = client.get("/api/v1/awareness/reports/2026-W48", headers=auth_headers("euaa-analyst")).json()
    assert next(i["value"] for i in now["indicators"] if i["name"] == "registrations") == 2


def test_a_count_of_one_takes_the_singular_unit():
    rep = {"week": {"as_of": "2026-11-29", "end": "2026-11-29"}, "indicators": [
        {"name": "dublin_transfers", "label": "Dublin transfers carried out", "area": "responsibility",
         "value": 1, "scoped": True, "scope": "IT"},
        {"name": "reception_states_above_threshold", "label": "States at or above 90%", "area": "reception",
         "value": ["IT"], "scoped": True, "scope": "IT"},
        {"name": "resettlement_arrivals_year", "label": "Persons arrived", "area": "resettlement",
         "value": 2, "scoped": True, "scope": "IT"}]}
    values = [row["value"] for row in weekly.indicator_rows(rep)]
    assert values == ["1\u00a0transfer", "1\u00a0state", "2\u00a0persons"]  # were "1 transfers", "1 states"
