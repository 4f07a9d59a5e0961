"""The analyst's actions in the web UI: importing a release (all rows or none), refreshing the
monthly figures, evaluating the early-warning rules with their settings, running a backtest and
the forecasts; each through the service function the API calls, with the same rights."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import func, select

from pactum.services import awareness
from pactum.services.auth import SYSTEM
from pactum.store.tables.awareness import awareness_alerts, awareness_series
from tests.conftest import unlabelled_fields

HEADER = "month,route,border_type,nationality_iso3,nationality_name,detections\n"
MAY = HEADER + ("2025-05,Central Mediterranean Route,Sea,BGD,Bangladesh,100\n"
                "2025-05,Central Mediterranean Route,Sea,GIN,Guinea,20\n")
CMR = "Central Mediterranean Route"
ROUTE = "Western African Route"


def _text(html: str) -> str:
    """A page's text, tags dropped and blanks folded, to read what it says."""
    return re.sub(r"\s+([,.;:)])", r"\1", re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))))


def _row(html: str, route: str) -> str:
    found = re.search(rf'<tr data-route="{re.escape(route)}">(.*?)</tr>', html, re.S)
    assert found, f"no row for {route}"
    return _text(found.group(1))


def _series_rows(services) -> int:
    with services.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(awareness_series)).scalar_one()


def test_a_frontex_release_uploaded_through_the_web_is_listed_and_feeds_the_figures(services, web_client, client,
                                                                                     auth_headers):
    c = web_client("frontex-analyst")
    page = c.get("/awareness/imports")
    assert page.status_code == 200 and not unlabelled_fields(page.text)
    assert "No release imported yet" in page.text
    for source in ("frontex", "eurostat", "unhcr"):  # a form per source, sending the file itself
        assert f'action="/awareness/imports/{source}" enctype="multipart/form-data"' in page.text
    assert '<a href="/awareness/imports"' in c.get("/").text  # in the analyst's navigation
    assert "6,578" in _row(c.get("/awareness").text, CMR)  # the shipped release: April 2025

    r = c.post("/awareness/imports/frontex", data={"release": "  May 2025  "},
               files={"file": ("may.csv", MAY.encode(), "text/csv")}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/awareness/imports?imported=aim_")
    done = c.get(r.headers["location"])
    said = _text(done.text)
    assert "Frontex release “May 2025” imported by frontex-analyst: 2 rows read and stored, 2025-05 to 2025-05." in said
    assert "They are added: the first Frontex release imported" in said
    listed = re.search(r'<table>.*?</table>', done.text, re.S).group(0)
    assert "<th>Source</th>" in listed and "May 2025" in listed and "frontex-analyst" in listed
    assert "2026-11-28 12:00 UTC" in listed

    # the same import through the API's listing, and the figures the pages read changed
    api = client.get("/api/v1/awareness/imports", headers=auth_headers("euaa-analyst")).json()
    assert [(i["source"], i["release"], i["rows"], i["imported_by"]) for i in api] == \
        [("frontex", "May 2025", 2, "frontex-analyst")]
    dash = c.get("/awareness").text
    assert "2025-05" in _row(dash, CMR) and "120" in _row(dash, CMR)
    assert 'data-route="Western Balkan Route"' not in dash  # a release is the whole series

    # a malformed file: refused naming line and column, the release name kept, nothing changed
    bad = MAY + "2025-06,Central Mediterranean Route,Sea,GIN,Guinea,lots\n"
    r = c.post("/awareness/imports/frontex", data={"release": "June 2025"},
               files={"file": ("june.csv", bad.encode(), "text/csv")})
    assert r.status_code == 422
    said = _text(r.text)
    assert "Nothing was imported: the Frontex figures are unchanged (file june.csv)." in said
    assert "line 4.detections: 'lots' is not a number" in said
    assert re.search(r'id="file-frontex"[^>]*aria-invalid="true"', r.text)
    assert re.search(r'id="release-frontex"[^>]*value="June 2025"', r.text)
    assert 'id="release-eurostat" name="release" maxlength="80" value=""' in r.text  # other forms untouched
    assert len(client.get("/api/v1/awareness/imports", headers=auth_headers("euaa-analyst")).json()) == 1
    assert _series_rows(services) == 2
    with services.engine.connect() as conn:
        assert awareness.route_series(conn)[CMR] == {"2025-05": 120.0}

    # no file chosen, no release name: each said beside its field
    r = c.post("/awareness/imports/frontex", data={"release": " "},
               files={"file": ("", b"", "application/octet-stream")})
    assert r.status_code == 422 and "choose the release’s CSV file" in _text(r.text).replace("'", "’")
    r = c.post("/awareness/imports/frontex", data={"release": " "},
               files={"file": ("may.csv", MAY.encode(), "text/csv")})
    assert r.status_code == 422 and 'id="release-error-frontex"' in r.text and "name the release" in r.text
    r = c.post("/awareness/imports/frontex", data={"release": "latin-1"},
               files={"file": ("x.csv", "month,route\n2025-05,Côte\n".encode("latin-1"), "text/csv")})
    assert r.status_code == 422 and "the file is not UTF-8 text" in r.text
    assert _series_rows(services) == 2

    # the next release replaces the previous one, and says so
    june = HEADER + "2025-06,Central Mediterranean Route,Sea,GIN,Guinea,30\n"
    r = c.post("/awareness/imports/frontex", data={"release": "June 2025"},
               files={"file": ("june.csv", june.encode(), "text/csv")})
    assert r.status_code == 200  # after the redirect
    assert "They replace the 2 rows of release “May 2025” (imported by frontex-analyst" in _text(r.text)
    assert _series_rows(services) == 1


def test_a_nul_in_the_release_name_is_refused_on_the_imports_page(services, web_client):
    c = web_client("euaa-analyst")
    r = c.post("/awareness/imports/unhcr", data={"release": "v2025\x00"},
               files={"file": ("u.csv", b"year,coo_iso,coa_iso,applied\n2024,SYR,DEU,300\n", "text/csv")})
    assert r.status_code == 422 and "Data imports" in r.text
    assert re.search(r'id="release-unhcr"[^>]*value="v2025"', r.text)
    assert _series_rows(services) == 0


def test_refresh_and_evaluate_from_the_dashboard(services, web_client, client, auth_headers):
    c = web_client("frontex-analyst")
    dash = c.get("/awareness").text
    assert not unlabelled_fields(dash)
    for name, default in (("rise_pct", "50"), ("baseline_months", "3"), ("min_volume", "500")):
        assert f'id="check-{name}" name="{name}" value="{default}"' in dash  # the rules' defaults shown

    r = c.post("/awareness/refresh", data={}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/awareness?refreshed=0&full=0#checks"
    said = _text(c.get(r.headers["location"]).text)
    assert "Monthly figures refreshed: 0 monthly rows of the platform’s encounters aggregated again" in said
    said = _text(c.post("/awareness/refresh", data={"full": "1"}).text)
    assert "(every month, from the first encounter)" in said

    # April 2025 on the Central Mediterranean more than doubled the previous three months
    r = c.post("/awareness/alerts/evaluate",
               data={"month": "", "rise_pct": "100", "baseline_months": "3", "min_volume": "500"})
    assert r.status_code == 200
    said = _text(r.text)
    assert "Early-warning rules evaluated on the latest month of each series (rules: above the 80% interval of the " \
           "month’s forecast; a rise of more than 100% over the average of the 3 months before, with at least 500 " \
           "detections)" in said
    assert "Central Mediterranean Route, 2025-04 (rapid rise)" in said
    assert 'id="check-rise_pct" name="rise_pct" value="100"' in r.text  # the settings used stay
    api = client.get("/api/v1/awareness/alerts?open=true", headers=auth_headers("com-analyst")).json()
    assert any(a["route"] == CMR and a["rule"] == "rapid_rise" and a["month"] == "2025-04" for a in api)
    again = _text(c.post("/awareness/alerts/evaluate", data={"rise_pct": "100"}).text)
    assert "no new alert (an alert is raised once per source, route, month and rule" in again

    with services.engine.connect() as conn:
        raised = conn.execute(select(func.count()).select_from(awareness_alerts)).scalar_one()
    # refused settings: each said beside its field, everything typed kept, nothing evaluated
    r = c.post("/awareness/alerts/evaluate", data={"month": "2025-13", "rise_pct": "lots", "baseline_months": "3",
                                                   "min_volume": "-"})
    assert r.status_code == 422
    assert re.search(r'id="check-rise_pct" name="rise_pct" value="lots"[^>]*aria-invalid="true"', r.text)
    assert "'lots' is not a number" in unescape(r.text) and "'-' is not a number" in unescape(r.text)
    assert 'id="check-month" name="month" value="2025-13"' in r.text
    r = c.post("/awareness/alerts/evaluate", data={"month": "2025-13", "rise_pct": "0", "baseline_months": "13"})
    said = unescape(r.text)
    assert r.status_code == 422 and "'2025-13' is not a month YYYY-MM" in said
    assert "0 is not a percentage above 0" in said and "13 is not between 1 and 12" in said
    with services.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(awareness_alerts)).scalar_one() == raised


def test_a_backtest_and_the_forecasts_run_from_the_browser(services, web_client):
    c = web_client("com-analyst")
    page = c.get("/awareness/forecasts")
    assert page.status_code == 200 and not unlabelled_fields(page.text)
    assert "No backtest stored yet." in page.text and "none yet" in page.text
    assert 'name="horizon" inputmode="numeric" value="3"' in page.text and 'value="2016-01"' in page.text
    said = _text(c.post("/awareness/forecasts").text)
    assert "No forecast made: no route has been backtested yet." in said

    # the route's page leads here with the route chosen
    assert f'<option value="{ROUTE}" selected>' in c.get(f"/awareness/forecasts?route={ROUTE}").text

    refused = c.post("/awareness/backtests", data={"route": ROUTE, "horizon": "9", "first_origin": "2024-11"})
    assert refused.status_code == 422 and "must be between 1 and 6 months" in refused.text
    assert 'value="2024-11"' in refused.text and f'<option value="{ROUTE}" selected>' in refused.text
    refused = c.post("/awareness/backtests", data={"route": ROUTE, "horizon": "1", "first_origin": "2030-01"})
    assert refused.status_code == 422
    assert "2030-01 cannot start a backtest of Western African Route at horizon 1" in unescape(refused.text)
    refused = c.post("/awareness/backtests", data={"route": "Arctic Route", "horizon": "1"})
    assert refused.status_code == 422 and "no route named" in unescape(refused.text)
    assert awareness.list_backtests(services, SYSTEM) == []

    # a stored backtest sets the route's model for everyone: a year of origins at least
    refused = c.post("/awareness/backtests", data={"route": ROUTE, "horizon": "1", "first_origin": "2024-11"})
    assert refused.status_code == 422 and "needs at least 12" in unescape(refused.text)
    assert awareness.list_backtests(services, SYSTEM) == []
    # a short backtest keeps the test quick (the full one runs in bench/ and the CLI)
    r = c.post("/awareness/backtests", data={"route": ROUTE, "horizon": "1", "first_origin": "2024-04"},
               follow_redirects=False)
    assert r.status_code == 303
    said = _text(c.get(r.headers["location"]).text)
    stored = awareness.list_backtests(services, SYSTEM)
    assert [(b["route"], b["horizon"], b["origins"]) for b in stored] == [(ROUTE, 1, 12)]
    assert f"Backtest stored: {ROUTE}, horizon 1 month, 12 origins, data to 2025-04. Chosen: {stored[0]['chosen']}" in said

    r = c.post("/awareness/forecasts", follow_redirects=False)
    assert r.status_code == 303
    page = c.get(r.headers["location"]).text
    said = _text(page)
    assert "Forecasts made: 4 (1 route and their top nationalities)" in said
    assert "from 2025-04, 1 month (2025-05 to 2025-05)" in said
    # the forecast itself is drawn on the route's page, linked rather than repeated
    assert '<a href="/awareness/routes/Western%20African%20Route#forecast">' in page
    route = c.get("/awareness/routes/Western African Route").text
    assert 'id="forecast"' in route and "2025-05" in route


def test_who_may_act(services, web_client):
    c = web_client("it-caseworker")
    assert c.get("/awareness/imports").status_code == 403
    assert c.get("/awareness/forecasts").status_code == 403
    r = c.post("/awareness/imports/frontex", data={"release": "May 2025"},
               files={"file": ("may.csv", MAY.encode(), "text/csv")})
    assert r.status_code == 403 and _series_rows(services) == 0
    assert c.post("/awareness/refresh").status_code == 403
    assert c.post("/awareness/alerts/evaluate", data={"rise_pct": "100"}).status_code == 403
    assert c.post("/awareness/backtests", data={"route": ROUTE, "horizon": "1"}).status_code == 403
    assert c.post("/awareness/forecasts").status_code == 403
    assert awareness.list_alerts(services, SYSTEM) == [] and awareness.list_backtests(services, SYSTEM) == []
    assert '/awareness/imports"' not in c.get("/").text

    # a state's analyst evaluates its own encounters' figures (the rules say so on the form)
    it = web_client("it-analyst")
    assert "IT’s own encounters on the platform are checked" in it.get("/awareness").text
    assert it.get("/awareness/imports").status_code == 200


def test_a_state_analyst_reads_the_shared_series_but_does_not_replace_them(services, web_client, client, auth_headers):
    """The Frontex, Eurostat and UNHCR series are the same for every state: a state's analyst
    replacing them would change every other state's dashboard and report."""
    it = web_client("it-analyst")
    page = it.get("/awareness/imports").text
    assert 'enctype="multipart/form-data"' not in page and "an EU body's analyst imports them" in page
    r = it.post("/awareness/imports/frontex", data={"release": "May 2025"},
                files={"file": ("may.csv", MAY.encode(), "text/csv")})
    assert r.status_code == 403 and _series_rows(services) == 0
    api = client.post("/api/v1/awareness/imports/frontex?release=May%202025", content=MAY.encode(),
                      headers={**auth_headers("it-analyst"), "Content-Type": "text/csv"})
    assert api.status_code == 403 and _series_rows(services) == 0
