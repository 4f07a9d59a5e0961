"""Awareness pages: the route map dashboard, drill-down, acknowledging an alert, the report."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import quote

from pactum.services import awareness
from pactum.services.auth import SYSTEM


def test_dashboard_map_drilldown_ack_and_report(services, web_client):
    created = awareness.evaluate_alerts(services, SYSTEM)
    alert = next(a for a in created if a.route == "Central Mediterranean Route")
    c = web_client("frontex-analyst")

    page = c.get("/awareness")
    assert page.status_code == 200
    html = page.text
    assert 'id="route-map"' in html and "Western Balkan Route" in html
    spec = json.loads(unescape(re.search(r'id="route-map" data-spec=\'([^\']+)\'', html).group(1)))
    assert spec["layer"][0]["data"]["url"] == "/awareness/countries.topo.json"
    hrefs = {p["route"]: p["href"] for p in spec["layer"][1]["data"]["values"]}
    assert hrefs["Central Mediterranean Route"] == "/awareness/routes/" + quote("Central Mediterranean Route")
    topo = c.get("/awareness/countries.topo.json")
    assert topo.status_code == 200 and topo.json()["type"] == "Topology"

    route = c.get(hrefs["Central Mediterranean Route"])
    assert route.status_code == 200 and "Backtest evidence" in route.text
    # an analyst reads the nationalities by name, with the code Frontex's files use
    assert "<td>Bangladesh (BGD)</td>" in route.text

    r = c.post(f"/awareness/alerts/{alert.id}/acknowledge", data={"version": alert.version, "note": "seen", "next": "/awareness"},
               follow_redirects=False)
    assert r.status_code == 303
    assert f'id="alert-{alert.id}"' not in c.get("/awareness").text  # no longer among the open alerts
    acknowledged = c.get(hrefs["Central Mediterranean Route"]).text
    assert "acknowledged by frontex-analyst" in acknowledged
    assert "Note: seen" in acknowledged  # what the analyst wrote is read by the next one

    rep = c.get("/awareness/reports/2026-W47")
    assert rep.status_code == 200 and "Situational report 2026-W47" in rep.text and "data-spec=" in rep.text
    pdf = c.get("/awareness/reports/2026-W47.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_caseworker_does_not_get_awareness(web_client):
    assert web_client("it-caseworker").get("/awareness").status_code == 403
