"""The analyst's journey through the API, on the shipped Frontex series: backtest evidence, the
model chosen per route, forecasts, alerts acknowledged and audited, imports all or nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from pactum.services import awareness
from pactum.services.auth import SYSTEM
from pactum.store.tables.awareness import awareness_imports, awareness_series
from pactum.store.tables.platform import audit_log

ROUTE = "Western African Route"
HEADER = "month,route,border_type,nationality_iso3,nationality_name,detections\n"


def test_analyst_sees_routes_backtest_choice_and_acknowledges_an_alert(services, client, auth_headers):
    h = auth_headers("frontex-analyst")
    # a short backtest keeps the test quick; the full one runs in bench/ and the CLI
    # a stored backtest sets the route's model for everyone: fewer than 12 origins is refused
    r = client.post("/api/v1/awareness/backtests", json={"route": ROUTE, "horizon": 1, "first_origin": "2024-11"}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "first_origin"], r.text
    assert "scores 5 origins" in r.text and "at least 12 (a first origin of 2024-04 or earlier)" in r.text
    r = client.post("/api/v1/awareness/backtests", json={"route": ROUTE, "horizon": 1, "first_origin": "2024-04"}, headers=h)
    assert r.status_code == 201, r.text
    bt = r.json()
    assert bt["origins"] == 12  # 2024-04 .. 2025-03: the last origin whose next month is known
    assert {m["model"] for m in bt["models"]} == {"seasonal_naive", "ets", "arima", "theta", "ensemble"}
    assert bt["chosen"] in {m["model"] for m in bt["models"]}

    assert client.post("/api/v1/awareness/forecasts", headers=h).status_code == 200
    dash = client.get("/api/v1/awareness/dashboard", headers=h).json()
    wa = next(x for x in dash["routes"] if x["route"] == ROUTE)
    assert wa["chosen_model"] == bt["chosen"] and wa["last_month"] == "2025-04"
    assert wa["forecast"]["origin"] == "2025-04" and wa["forecast"]["points"][0]["month"] == "2025-05"
    p = wa["forecast"]["points"][0]
    assert p["lo_80"] <= p["mean"] <= p["hi_80"]
    cmr = next(x for x in dash["routes"] if x["route"] == "Central Mediterranean Route")
    assert cmr["change"]["value"] == 6578 and len(cmr["sparkline"]) == 24

    # April 2025 on the Central Mediterranean more than doubled the previous three months
    created = client.post("/api/v1/awareness/alerts/evaluate", json={"rise_pct": 100}, headers=h).json()
    alert = next(a for a in created if a["route"] == "Central Mediterranean Route")
    assert alert["rule"] == "rapid_rise" and alert["drivers"][0]["nationality"] == "BGD"
    again = client.post("/api/v1/awareness/alerts/evaluate", json={"rise_pct": 100}, headers=h).json()
    assert again == []  # an alert is raised once per route, month and rule

    ack = client.post(f"/api/v1/awareness/alerts/{alert['id']}/acknowledge",
                      json={"version": alert["version"], "note": "Bangladeshi departures from Libya"}, headers=h)
    assert ack.status_code == 200 and ack.json()["acknowledged_by"] == "frontex-analyst"
    stale = client.post(f"/api/v1/awareness/alerts/{alert['id']}/acknowledge", json={"version": 1}, headers=h)
    assert stale.status_code == 409
    open_ids = [a["id"] for a in client.get("/api/v1/awareness/alerts?open=true", headers=h).json()]
    assert alert["id"] not in open_ids
    with services.engine.connect() as conn:
        actions = [r.action for r in conn.execute(select(audit_log).where(audit_log.c.entity_id == alert["id"]))]
    assert actions == ["awareness.alert_raised", "awareness.alert_acknowledged"]

    route = client.get(f"/api/v1/awareness/routes/{ROUTE}", headers=h).json()
    assert route["backtests"][0]["chosen"] == bt["chosen"]
    assert [t["nationality"] for t in route["top_nationalities"][:2]] == ["MLI", "SEN"]


def test_rights_and_unknown_routes(client, auth_headers):
    assert client.get("/api/v1/awareness/dashboard", headers=auth_headers("it-caseworker")).status_code == 403
    assert client.get("/api/v1/awareness/dashboard").status_code == 401
    r = client.get("/api/v1/awareness/routes/Arctic Route", headers=auth_headers("euaa-analyst"))
    assert r.status_code == 404
    r = client.post("/api/v1/awareness/backtests", json={"route": "Central Mediterranean Route", "horizon": 9},
                    headers=auth_headers("euaa-analyst"))
    assert r.status_code == 422


def test_malformed_release_is_refused_and_nothing_is_imported(services, client, auth_headers):
    h = auth_headers("frontex-analyst") | {"Content-Type": "text/csv"}
    good = HEADER + "2025-05,Central Mediterranean Route,Sea,GIN,Guinea,120\n"
    bad = good + "2025-05,Central Mediterranean Route,Sea,GIN,Guinea,lots\n"
    r = client.post("/api/v1/awareness/imports/frontex?release=May 2025", content=bad, headers=h)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][-2:] == ["line 3", "detections"]
    with services.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(awareness_series)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(awareness_imports)).scalar_one() == 0
    r = client.post("/api/v1/awareness/imports/frontex?release=May 2025", content=good, headers=h)
    assert r.status_code == 201 and r.json()["rows"] == 1 and r.json()["last_period"] == "2025-05"
    # the list of imports names each one as the import's own answer did
    listed = client.get("/api/v1/awareness/imports", headers=h).json()
    assert listed == [r.json()]
    # the imported release now feeds the series
    with services.engine.connect() as conn:
        s = awareness.route_series(conn)["Central Mediterranean Route"]
    assert s == {"2025-05": 120.0}


def test_weekly_report_json_and_pdf(client, auth_headers, services):
    awareness.evaluate_alerts(services, SYSTEM)
    h = auth_headers("com-analyst")
    rep = client.get("/api/v1/awareness/reports/2026-W47", headers=h).json()
    assert rep["week"]["start"] == "2026-11-16" and rep["frontex_month"] == "2025-04"
    assert rep["routes"][0]["route"] == "Central Mediterranean Route"  # the largest in April 2025
    assert {"arrivals", "nationalities", "platform", "forecasts"} <= set(rep["specs"])
    pdf = client.get("/api/v1/awareness/reports/2026-W47/pdf", headers=h)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/api/v1/awareness/reports/2026-47", headers=h).status_code == 422


def test_eurostat_and_unhcr_releases_appear_beside_frontex(client, auth_headers):
    h = auth_headers("euaa-analyst") | {"Content-Type": "text/csv"}
    eurostat = ("month,geo,citizen,asyl_app,persons,flag\n"
                "2019-08,EU27_2020,TOTAL,ASY_APP,50000,\n2020-07,EU27_2020,TOTAL,ASY_APP,39920,d\n"
                "2020-08,EU27_2020,TOTAL,ASY_APP,32320,d\n2020-08,DE,TOTAL,ASY_APP,,\n")
    unhcr = ("year,coo_iso,coa_iso,applied\n2023,SYR,DEU,100\n2024,SYR,DEU,300\n2024,AFG,AUT,100\n"
             "2025,SYR,DEU,50\n")
    assert client.post("/api/v1/awareness/imports/eurostat?release=Oct 2020", content=eurostat, headers=h).status_code == 201
    assert client.post("/api/v1/awareness/imports/unhcr?release=v2025.12.1", content=unhcr, headers=h).status_code == 201
    ext = client.get("/api/v1/awareness/dashboard", headers=h).json()["external"]
    assert ext["eurostat"]["change"]["month"] == "2020-08" and ext["eurostat"]["change"]["value"] == 32320
    assert ext["eurostat"]["change"]["change_year_pct"] == -35.4
    # the latest year (2025) is incomplete in the release, so the summary reads 2024
    assert ext["unhcr"]["year"] == "2024" and ext["unhcr"]["total"] == 400 and ext["unhcr"]["previous_year"] == 100
    assert ext["unhcr"]["top_origins"][0] == {"nationality": "SYR", "value": 300.0, "share": 0.75}


def test_an_acknowledgement_note_is_kept_as_stored_and_bounded_on_every_way_in(services, client, auth_headers):
    """The audit records the note the alert keeps (blanks around it dropped), and a note longer
    than the platform's reasons is refused naming it, through the API and the service the CLI
    and the web call alike."""
    h = auth_headers("frontex-analyst")
    alerts = awareness.evaluate_alerts(services, SYSTEM)
    first, second = alerts[0], alerts[1]
    r = client.post(f"/api/v1/awareness/alerts/{first.id}/acknowledge",
                    json={"version": first.version, "note": "x" * 2001}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "note"], r.text
    import pytest

    from pactum.common.errors import ValidationProblem
    from pactum.services.auth import Principal, Role

    analyst = Principal("u-frontex", "frontex-analyst", "FRONTEX", frozenset({Role.analyst}))
    with pytest.raises(ValidationProblem, match="note: at most 2,000 characters, this one has 2,001"):
        awareness.acknowledge_alert(services, analyst, first.id, first.version, "x" * 2001)
    r = client.post(f"/api/v1/awareness/alerts/{second.id}/acknowledge",
                    json={"version": second.version, "note": "  seen at the morning briefing  "}, headers=h)
    assert r.status_code == 200 and r.json()["note"] == "seen at the morning briefing"
    with services.engine.connect() as conn:
        after = conn.execute(select(audit_log.c.after).where(
            audit_log.c.entity_id == second.id, audit_log.c.action == "awareness.alert_acknowledged")).scalar_one()
    assert after["note"] == "seen at the morning briefing"
    assert first.id in [a["id"] for a in client.get("/api/v1/awareness/alerts?open=true", headers=h).json()]
