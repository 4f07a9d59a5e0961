"""Reception over the API: a state records its weekly capacity and occupancy, corrects it under
version control, the EUAA reads every state's, a state's users only their own."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from pactum.services import indicators
from pactum.store.tables.platform import audit_log
from tests.e2e.test_registry_api import ARRIVAL

API = "/api/v1/reception"

WEEK: dict[str, Any] = {
    "reported_on": "2026-11-23", "period": "week",
    "initial_places": 1000, "initial_accommodated": 960,
    "open_places": 5000, "open_accommodated": 4100,
    "minors_places": 300, "minors_accommodated": 320,
    "border_places": 200, "border_accommodated": 150,
    "detention_places": 100, "detention_accommodated": 40,
    "private_housing": 700, "waiting_list": 120, "contingency_plan": "in_place",
}


def _audit_count(services) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())


def _record(client, h, **changes: Any) -> dict[str, Any]:
    r = client.post(f"{API}/reports", headers=h, json={**WEEK, **changes})
    assert r.status_code == 201, r.text
    return r.json()


def test_a_caseworker_records_a_week_and_reads_rates_and_flags(client, auth_headers):
    report = _record(client, auth_headers("it-caseworker"))
    assert report["member_state"] == "IT" and report["version"] == 1
    rows = {f["type"]: f for f in report["facilities"]}
    assert rows["initial"]["rate"] == 0.96 and rows["open"]["rate"] == 0.82
    assert rows["minors"]["over_capacity"] == 20  # above capacity: accepted and shown
    assert report["total"] == {"places": 6600, "accommodated": 5570, "rate": round(5570 / 6600, 4),
                               "free": 1030, "not_accommodated": 820}
    codes = {(f["code"], f["facility"]) for f in report["flags"]}
    assert ("over_capacity", "minors") in codes and ("above_threshold", "initial") in codes
    assert ("waiting_list", None) in codes
    assert not report["under_pressure"]  # 84% overall, under the default 90%
    assert report["governing_law"] == "Directive (EU) 2024/1346"
    assert "Article 10" in report["detention_legal_basis"]


def test_change_since_the_previous_report(client, auth_headers):
    h = auth_headers("el-caseworker")
    _record(client, h, reported_on="2026-11-16", open_accommodated=4000)
    report = _record(client, h, open_accommodated=4500)
    assert report["previous_reported_on"] == "2026-11-16"
    assert report["change"]["accommodated"] == 500
    assert {f["type"]: f["accommodated_change"] for f in report["facilities"]}["open"] == 500


def test_a_lower_threshold_puts_the_state_under_pressure(client, auth_headers):
    report = _record(client, auth_headers("it-caseworker"))
    r = client.get(f"{API}/reports/{report['id']}?threshold=0.8", headers=auth_headers("euaa-analyst"))
    assert r.status_code == 200
    assert r.json()["under_pressure"] and any(f["code"] == "pressure" for f in r.json()["flags"])
    r = client.get(f"{API}/reports/{report['id']}?threshold=0", headers=auth_headers("euaa-analyst"))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "threshold"]


def test_negative_numbers_are_refused_by_field_and_nothing_is_written(client, auth_headers, services):
    h = auth_headers("it-caseworker")  # opening a session is audited: before counting
    before = _audit_count(services)
    r = client.post(f"{API}/reports", headers=h, json={**WEEK, "open_places": -5})
    assert r.status_code == 422
    (problem,) = r.json()["detail"]
    assert problem["loc"] == ["body", "open_places"] and "cannot be negative" in problem["msg"]
    assert _audit_count(services) == before


def test_a_date_after_today_and_a_second_report_of_the_same_day_are_refused(client, auth_headers):
    h = auth_headers("it-caseworker")
    r = client.post(f"{API}/reports", headers=h, json={**WEEK, "reported_on": "2026-12-07"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "reported_on"]
    _record(client, h)
    r = client.post(f"{API}/reports", headers=h, json=WEEK)
    assert r.status_code == 409 and "correct that report" in r.json()["detail"]


def test_a_text_number_is_refused_not_converted(client, auth_headers):
    r = client.post(f"{API}/reports", headers=auth_headers("it-caseworker"), json={**WEEK, "open_places": "5000"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "open_places"]


def test_a_correction_is_versioned_audited_and_refused_when_stale(client, auth_headers, services):
    h = auth_headers("it-caseworker")
    report = _record(client, h)
    body = {**{k: v for k, v in WEEK.items() if k not in ("reported_on", "period")},
            "open_accommodated": 4300, "version": 1, "reason": "late arrivals in Bari counted"}
    before = _audit_count(services)
    r = client.post(f"{API}/reports/{report['id']}/correction", headers=h, json=body)
    assert r.status_code == 200, r.text
    corrected = r.json()
    assert corrected["version"] == 2 and corrected["figures"]["open_accommodated"] == 4300
    assert [v["version"] for v in corrected["versions"]] == [2, 1]
    assert corrected["versions"][0]["reason"] == "late arrivals in Bari counted"
    assert corrected["versions"][1]["data"]["open_accommodated"] == 4100  # the first figure is kept
    assert _audit_count(services) == before + 1
    r = client.post(f"{API}/reports/{report['id']}/correction", headers=h, json={**body, "open_accommodated": 1})
    assert r.status_code == 409 and "version 2" in r.json()["detail"]
    r = client.post(f"{API}/reports/{report['id']}/correction", headers=h, json={**body, "version": 2, "reason": "  "})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "reason"]


def test_a_state_changes_and_sees_only_its_own(client, auth_headers):
    report = _record(client, auth_headers("it-caseworker"))
    de = auth_headers("de-caseworker")
    assert client.get(f"{API}/reports/{report['id']}", headers=de).status_code == 404
    body = {"version": 1, "reason": "typo", "open_places": 1}
    assert client.post(f"{API}/reports/{report['id']}/correction", headers=de, json=body).status_code == 404
    assert client.get(f"{API}/states/IT", headers=auth_headers("de-analyst")).status_code == 403
    assert client.get(f"{API}/states/IT", headers=auth_headers("it-analyst")).status_code == 200
    overview = client.get(f"{API}/overview", headers=auth_headers("de-analyst")).json()
    assert [s["member_state"] for s in overview["states"]] == ["DE"]


def test_eu_bodies_read_but_do_not_record(client, auth_headers):
    for user in ("euaa-analyst", "com-analyst", "frontex-analyst"):
        assert client.post(f"{API}/reports", headers=auth_headers(user), json=WEEK).status_code == 403
    assert client.post(f"{API}/reports", headers=auth_headers("it-return"), json=WEEK).status_code == 403
    assert client.post(f"{API}/reports", headers=auth_headers("it-analyst"), json=WEEK).status_code == 403
    assert client.get(f"{API}/overview", headers=auth_headers("it-dublin")).status_code == 403


def test_the_eu_overview_lists_pressure_and_states_that_have_not_reported(client, auth_headers):
    _record(client, auth_headers("it-caseworker"), open_accommodated=5000)  # 98% overall
    _record(client, auth_headers("de-caseworker"), reported_on="2026-10-26", open_accommodated=2000)
    r = client.get(f"{API}/overview", headers=auth_headers("euaa-analyst"))
    assert r.status_code == 200
    o = r.json()
    assert o["under_pressure"] == ["IT"]
    overdue = {s["member_state"]: s["last_reported_on"] for s in o["overdue"]}
    assert overdue["DE"] == "2026-10-26" and overdue["FR"] is None and "IT" not in overdue
    assert "DK" not in {s["member_state"] for s in o["states"]}  # not bound by the reception acquis
    assert o["totals"]["states_reporting"] == 2
    # five weeks without a report is not overdue when the analyst allows six
    o = client.get(f"{API}/overview?overdue_weeks=6", headers=auth_headers("euaa-analyst")).json()
    assert "DE" not in {s["member_state"] for s in o["overdue"]}


def test_the_border_procedure_occupancy_is_compared_with_border_places(client, auth_headers, monkeypatch):
    from pactum.services import reception

    monkeypatch.setattr(reception, "border_procedure_occupancy", lambda conn, on, ms: {ms: 260})
    report = _record(client, auth_headers("it-caseworker"))
    assert report["border_procedure_occupancy"] == 260
    (flag,) = [f for f in report["flags"] if f["code"] == "border_short"]
    assert "260 applicants" in flag["message"] and "200 places" in flag["message"]
    assert "2024/1348" in flag["legal_basis"]


def test_a_missing_contingency_plan_is_flagged_from_the_day_it_was_due_to_the_asylum_agency(client, auth_headers):
    """Directive (EU) 2024/1346, Art 32(2): each Member State communicates its contingency plan to
    the Asylum Agency by 12 April 2025 at the latest, before the Directive otherwise applies (12 June
    2026). A report of 11 April 2025 with no plan is not flagged; one of 12 April 2025 is, though
    Directive 2013/33/EU still governs the rest of the report."""
    h = auth_headers("cy-caseworker")
    before = _record(client, h, reported_on="2025-04-11", contingency_plan="none")
    due = _record(client, h, reported_on="2025-04-12", contingency_plan="none")
    assert before["governing_law"] == due["governing_law"] == "Directive 2013/33/EU"
    assert "Article 8" in due["detention_legal_basis"]
    assert "no_contingency_plan" not in {f["code"] for f in before["flags"]}
    (flag,) = [f for f in due["flags"] if f["code"] == "no_contingency_plan"]
    assert flag["legal_basis"] == "Directive (EU) 2024/1346, Article 32"


def _screen(client, h, vulnerability: str, surname: str, day: str = "2026-11-20") -> None:
    """Register an arrival in the reporting state and answer point (e) of its screening."""
    arrival = {**ARRIVAL, "identity": {**ARRIVAL["identity"], "surname": surname, "documents": []},
               "encounter": {**ARRIVAL["encounter"], "occurred_at": f"{day}T06:30:00Z"}}
    r = client.post("/api/v1/registry/arrivals", json=arrival, headers=h)
    assert r.status_code == 201, r.text
    screening = r.json()["screening"]
    r = client.patch(f"/api/v1/registry/screenings/{screening['id']}", headers=h,
                     json={"version": screening["version"], "vulnerability": vulnerability})
    assert r.status_code == 200, r.text


def test_screened_persons_with_special_reception_needs_beside_places_for_minors(client, auth_headers, services):
    h = auth_headers("it-caseworker")
    _screen(client, h, "unaccompanied minor, special reception needs", "Haddad")
    _screen(client, h, "pregnant", "Nasser")
    _screen(client, h, "none identified", "Khalil")
    _screen(client, h, "special reception needs", "Saleh", day="2026-11-10")  # before the week
    report = _record(client, h)
    needs = report["special_needs"]
    assert (needs["from"], needs["to"]) == ("2026-11-17", "2026-11-23")
    assert needs["screened"] == 3 and needs["with_special_reception_needs"] == 2
    assert needs["minors_places"] == 300 and needs["minors_accommodated"] == 320


def test_the_indicators_for_the_weekly_report(client, auth_headers, services):
    _record(client, auth_headers("it-caseworker"), open_accommodated=5000)
    _record(client, auth_headers("de-caseworker"), open_accommodated=2000)
    on = datetime(2026, 11, 28, tzinfo=UTC).date()
    registered = indicators.load_all()
    assert {"reception_occupancy_rate", "reception_states_above_threshold"} <= set(registered)
    assert all(registered[n].area == "reception" for n in ("reception_occupancy_rate", "reception_waiting_list"))
    with services.engine.connect() as conn:
        assert indicators.compute(conn, "reception_states_above_threshold", on) == ["IT"]
        assert indicators.compute(conn, "reception_states_above_threshold", on, "DE") == []
        assert indicators.compute(conn, "reception_occupancy_rate", on, "IT") == round(6470 / 6600 * 100, 1)
        assert indicators.compute(conn, "reception_occupancy_rate", on) == round((6470 + 3470) / 13200 * 100, 1)
        assert indicators.compute(conn, "reception_waiting_list", on) == 240


def test_a_csv_of_reports_is_recorded_whole_or_not_at_all(client, auth_headers, services):
    h = {**auth_headers("es-caseworker"), "Content-Type": "text/csv"}
    header = "reported_on,period,open_places,open_accommodated,waiting_list"
    bad = f"{header}\n2026-11-09,week,500,450,0\n2026-11-16,week,500,-1,0\n2026-11-23,fortnight,500,x,0\n"
    before = _audit_count(services)
    r = client.post(f"{API}/reports/import", headers=h, content=bad)
    assert r.status_code == 422
    locs = [tuple(d["loc"][1:]) for d in r.json()["detail"]]
    assert ("line 3", "open_accommodated") in locs and ("line 4", "period") in locs
    assert ("line 4", "open_accommodated") in locs
    assert _audit_count(services) == before  # the good first line was not written either
    good = f"{header}\n2026-11-09,week,500,450,0\n2026-11-16,week,500,470,12\n"
    r = client.post(f"{API}/reports/import", headers=h, content=good)
    assert r.status_code == 201, r.text
    assert r.json()["recorded"] == 2
    r = client.post(f"{API}/reports/import", headers=h, content=good)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][1:] == ["line 2", "reported_on"]


def test_a_correction_changes_only_the_figures_it_names(client, auth_headers, services):
    """QA: ``{"waiting_list": 15, ...}`` set every other figure to 0, the plan to none and emptied
    the note. A correction is a patch: what it leaves out keeps its value."""
    h = auth_headers("it-caseworker")
    report = _record(client, h, note="Lampedusa hotspot counted apart")
    r = client.post(f"{API}/reports/{report['id']}/correction", headers=h,
                    json={"waiting_list": 15, "version": 1, "reason": "waiting list recounted"})
    assert r.status_code == 200, r.text
    corrected = r.json()
    expected = {k: v for k, v in WEEK.items() if k.endswith(("_places", "_accommodated"))}
    assert corrected["figures"] == {**expected, "private_housing": 700, "waiting_list": 15}
    assert corrected["contingency_plan"] == "in_place" and corrected["note"] == "Lampedusa hotspot counted apart"
    assert corrected["versions"][0]["data"]["open_places"] == 5000
    # the note is cleared only when the correction says so; a figure given as null is refused
    r = client.post(f"{API}/reports/{report['id']}/correction", headers=h,
                    json={"note": None, "version": 2, "reason": "note withdrawn"})
    assert r.status_code == 200 and r.json()["note"] is None and r.json()["figures"]["waiting_list"] == 15
    r = client.post(f"{API}/reports/{report['id']}/correction", headers=h,
                    json={"open_places": None, "version": 3, "reason": "x"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "open_places"]
    r = client.post(f"{API}/reports/{report['id']}/correction", headers=h, json={"version": 3, "reason": "x"})
    assert r.status_code == 422 and "names no figure" in r.json()["detail"][0]["msg"]


def test_a_blank_reason_is_required_and_a_stale_version_does_not_blame_someone_else(client, auth_headers):
    h = auth_headers("it-caseworker")
    report = _record(client, h)
    r = client.post(f"{API}/reports/{report['id']}/correction", headers=h,
                    json={"waiting_list": 1, "version": 1, "reason": "  "})
    assert r.status_code == 422
    (problem,) = r.json()["detail"]
    assert problem["loc"] == ["body", "reason"] and problem["msg"].startswith("required")
    assert client.post(f"{API}/reports/{report['id']}/correction", headers=h,
                       json={"waiting_list": 1, "version": 1, "reason": "recount"}).status_code == 200
    r = client.post(f"{API}/reports/{report['id']}/correction", headers=h,
                    json={"waiting_list": 2, "version": 1, "reason": "recount again"})
    assert r.status_code == 409
    assert "someone else" not in r.json()["detail"] and "now version 2" in r.json()["detail"]


def test_a_report_before_the_first_governing_instrument_is_refused(client, auth_headers, services):
    h = auth_headers("it-caseworker")
    before = _audit_count(services)
    for day in ("1999-01-01", "2015-07-20"):
        r = client.post(f"{API}/reports", headers=h, json={**WEEK, "reported_on": day})
        assert r.status_code == 422, day
        (problem,) = r.json()["detail"]
        assert problem["loc"] == ["body", "reported_on"] and "2015-07-21" in problem["msg"]
    assert _audit_count(services) == before
    first = _record(client, h, reported_on="2015-07-21")
    assert first["governing_law"] == "Directive 2013/33/EU"
    csv_h = {**h, "Content-Type": "text/csv"}
    r = client.post(f"{API}/reports/import", headers=csv_h,
                    content="reported_on,open_places,open_accommodated\n2026-11-09,500,450\n2001-03-05,500,450\n")
    assert r.status_code == 422
    assert [(d["loc"][1:], "2015-07-21" in d["msg"]) for d in r.json()["detail"]] == [(["line 3", "reported_on"], True)]
    assert len(client.get(f"{API}/reports", headers=h).json()) == 1  # the good line was not written


def test_a_report_before_12_june_2026_cites_only_the_law_of_its_date(client, auth_headers, monkeypatch):
    from pactum.services import reception

    monkeypatch.setattr(reception, "border_procedure_occupancy", lambda conn, on, ms: {ms: 260})
    report = _record(client, auth_headers("cy-caseworker"), reported_on="2026-06-08")
    assert report["governing_law"] == "Directive 2013/33/EU"
    cited = [f["legal_basis"] for f in report["flags"]] + [f["legal_basis"] for f in report["facilities"]]
    assert {"over_capacity", "above_threshold", "border_short", "waiting_list"} <= {f["code"] for f in report["flags"]}
    assert not [c for c in cited if "2024/1346" in c or "2024/1348" in c], cited
    assert {f["type"]: f["legal_basis"] for f in report["facilities"]}["detention"] == "Directive 2013/33/EU, Article 8"
    r = client.get(f"{API}/reports/{report['id']}?threshold=85", headers=auth_headers("euaa-analyst"))
    assert r.status_code == 422 and "for 85% give 0.85" in r.json()["detail"][0]["msg"]


def test_today_is_the_reporting_states_day_not_the_utc_day(client, auth_headers, services):
    """At 22:30 UTC on 29 November it is already 30 November in Athens, still the 29th in Rome:
    Greece's report of the 30th is accepted, Italy's of the 30th is a day after today."""
    services.clock.set(datetime(2026, 11, 29, 22, 30, tzinfo=UTC))
    r = client.post(f"{API}/reports", headers=auth_headers("el-caseworker"), json={**WEEK, "reported_on": "2026-11-30"})
    assert r.status_code == 201, r.text
    r = client.post(f"{API}/reports", headers=auth_headers("it-caseworker"), json={**WEEK, "reported_on": "2026-11-30"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "reported_on"]
