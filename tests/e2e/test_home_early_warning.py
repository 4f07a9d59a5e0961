"""The home page says what its reader must look at first. An analyst (Frontex, the Commission, a
Member State's) finds the open early-warning alerts there, each linking to its route's page where
it is acknowledged, with how old the Frontex data behind them are; an officer who screens reads
each screening's kind in words (where the person was met, whether held at the border over 72
hours: Screening Reg. (EU) 2024/1356, Arts 5, 7 and 8(3)), not the code."""

from __future__ import annotations

import re
from html import unescape

import pytest

from pactum.services import awareness
from pactum.services.auth import SYSTEM


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _card(page: str) -> str:
    return page.split('id="early-warning"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def alerts(services):
    """The demo world's alerts: the shipped Frontex release evaluated (April 2025)."""
    awareness.load_shipped_backtests(services, SYSTEM)
    awareness.refresh_forecasts(services, SYSTEM)
    awareness.evaluate_alerts(services, SYSTEM)
    return awareness.list_alerts(services, SYSTEM, open_only=True)


def test_an_analyst_home_page_lists_the_open_alerts_and_how_old_their_data_are(alerts, web_client):
    assert alerts, "the shipped release raises alerts"
    card = _card(web_client("frontex-analyst").get("/").text)
    text = _text(card)
    assert f"Early warning {len(alerts)} open" in text
    assert "latest data: April 2025 — 19 months old on 2026-11-28" in text
    assert "not the current month" in text
    for a in alerts:
        assert f'href="/awareness/routes/{a.route.replace(" ", "%20")}#alerts"' in card
        assert a.message in unescape(card)
    assert "rapid rise" in text and "rapid_rise" not in text
    assert f"All {len(alerts)} open alerts shown, on {len({a.route for a in alerts})} routes" in text
    assert 'href="/awareness/reports/2026-W48"' in card


def test_an_acknowledged_alert_leaves_the_home_page(alerts, client, auth_headers, web_client):
    first = alerts[0]
    r = client.post(f"/api/v1/awareness/alerts/{first.id}/acknowledge", headers=auth_headers("frontex-analyst"),
                    json={"version": first.version, "note": "seen"})
    assert r.status_code == 200, r.text
    text = _text(_card(web_client("frontex-analyst").get("/").text))
    assert f"Early warning {len(alerts) - 1} open" in text


def test_the_home_page_shows_the_newest_alerts_when_there_are_more(alerts, web_client, monkeypatch):
    monkeypatch.setattr("pactum.web.views.platform.WORK_SHOWN", 2)
    card = _card(web_client("frontex-analyst").get("/").text)
    assert card.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr>") == 2
    assert f"2 of {len(alerts)} open alerts shown, newest month first" in _text(card)


def test_without_an_open_alert_the_card_says_so(services, web_client):
    assert awareness.list_alerts(services, SYSTEM, open_only=True) == []
    text = _text(_card(web_client("com-analyst").get("/").text))
    assert "Early warning 0 open" in text
    assert "No open early-warning alert" in text


def test_officers_without_the_analyst_role_get_no_early_warning(alerts, web_client):
    for user in ("it-caseworker", "it-dublin", "it-return", "auditor"):
        assert 'id="early-warning"' not in web_client(user).get("/").text, user


def test_the_screenings_due_say_their_kind_in_words(client, auth_headers, web_client):
    from tests.e2e.test_registry_api import ARRIVAL

    h = auth_headers("it-caseworker")
    assert client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=h).status_code == 201
    # the four days are an irregular crosser's (Screening Reg. Art 8(3), Art 5(1)(a)), not a SAR arrival's
    held = {**ARRIVAL, "encounter": {**ARRIVAL["encounter"], "kind": "irregular_crossing"}, "held_over_72h": True}
    assert client.post("/api/v1/registry/arrivals", json=held, headers=h).status_code == 201
    table = web_client("it-caseworker").get("/").text.split('id="screenings-due"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<td>([^<]*)</td></tr>", table)
    assert sorted(cells) == ["at the external border", "at the external border, held over 72 hours"]
    assert "border_held_over_72h" not in table


def test_the_person_page_and_the_screening_page_say_the_kind_in_words(client, auth_headers, web_client):
    from tests.e2e.test_registry_api import ARRIVAL

    r = client.post("/api/v1/registry/arrivals", json={**ARRIVAL, "held_over_72h": True,
                                                       "encounter": {**ARRIVAL["encounter"],
                                                                     "kind": "irregular_crossing"}},
                    headers=auth_headers("it-caseworker"))
    assert r.status_code == 201, r.text
    c = web_client("it-caseworker")
    person = c.get(f"/registry/persons/{r.json()['person_id']}").text
    assert "Screening at the external border, held over 72 hours</a>" in person
    screening = re.search(r'href="(/registry/screenings/[^"]+)"', person).group(1)
    assert "<dt>Kind</dt><dd>at the external border, held over 72 hours</dd>" in c.get(screening).text
