"""A take-back notification the state notified contested is its own outcome in the Dublin
statistics, not a refusal (Regulation (EU) 2024/1351, Art 41(3), read in the Official Journal's
Italian text: the state notified «conferma il ricevimento della notifica ... a meno che ... non
dimostri entro tale termine che non è competente a norma dell'articolo 37 o che la notifica di
ripresa in carico si basa su un'indicazione errata»: a notification is confirmed or contested, never
refused). Before, the statistics counted the contest among the refusals (``refused``: 1) and had no
``contested`` figure; the page's total said "1 refused"."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.e2e.test_responsibility_document_ends_notification import (
    FACTS,
    _at,
    _case,
    _contest,
    _notify,
    _people,
)

API = "/api/v1/responsibility"


@pytest.fixture
def november(services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """10 November 2026, within the two weeks to confirm or contest a notification."""
    _at(services, monkeypatch, datetime(2026, 11, 10, 12, 0, tzinfo=UTC))


def _contested(client: Any, auth_headers: Any, services: Any) -> dict[str, Any]:
    """Italy notifies Germany on Art 36(1)(b); Germany contests: the person left the territory of
    the Member States for at least nine months (Art 37(4))."""
    it_person, _ = _people(client, auth_headers, services)
    # Germany's application of March 2025, then ten months away: an absence that can end Germany's
    # obligations (one beginning before that application could not)
    facts = {**FACTS, "earlier_applications": [{"member_state": "DE", "registered_on": "2025-03-10"}]}
    req = _notify(
        client, auth_headers, _case(client, auth_headers, it_person, facts), "indicated_responsible_in_eurodac"
    )
    r = _contest(
        client,
        auth_headers,
        req,
        refusal_ground="left_territory",
        left_on="2026-01-05",
        evidence="Entry/Exit System exit record",
    )
    assert r.status_code == 200 and r.json()["status_label"] == "contested", r.text
    return dict(r.json())


def test_a_contested_notification_is_counted_as_contested_not_refused(
    client, auth_headers, services, web_client, november
) -> None:
    _contested(client, auth_headers, services)
    stats = client.get(f"{API}/statistics", headers=auth_headers("com-analyst")).json()
    assert stats == [
        {
            "requesting_member_state": "IT",
            "requested_member_state": "DE",
            "requests": 1,
            "accepted": 0,
            "refused": 0,
            "open": 0,
            "acceptance_rate": 0.0,
            "transfers": 0,
            "transfer_rate": 0.0,
            "average_days_to_transfer": None,
            "transfers_with_impossible_dates": 0,
            "contested": 1,
        }
    ]
    # the page: a column and the total, which reconciles with it
    page = web_client("com-analyst").get("/responsibility/statistics").text
    assert "<th>Refused</th><th>Contested</th>" in page
    total = page.split('id="totals">')[1].split("</span>")[0]
    assert "1 request: 0 accepted, 0 refused, 1 contested, 0 open" in total
    row = page.split('<table id="pairs">')[1].split("</tr>")[1]
    assert "<td>IT</td><td>DE</td><td>1</td><td>0</td><td>0</td><td>1</td><td>0</td>" in row
    # the file: the same figure, in a column after those it had (their places unchanged)
    text = client.get(f"{API}/statistics.csv", headers=auth_headers("com-analyst")).text
    header = next(csv.reader(io.StringIO(text)))
    assert header[:12] == [
        "requesting_member_state",
        "requested_member_state",
        "requests",
        "accepted",
        "refused",
        "open",
        "acceptance_rate",
        "transfers",
        "transfer_rate",
        "average_days_to_transfer",
        "transfers_with_impossible_dates",
        "year",
    ]
    assert header[12:] == ["contested"]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert (rows[0]["refused"], rows[0]["contested"]) == ("0", "1")
    assert web_client("com-analyst").get("/responsibility/statistics.csv").text == text
    # the command line reads the same
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "com-analyst"}
    from pactum.cli.main import app

    out = CliRunner().invoke(app, ["responsibility", "stats"], env=env)
    assert out.exit_code == 0, out.output
    assert [(r["refused"], r["contested"]) for r in json.loads(out.output)] == [(0, 1)]
    out = CliRunner().invoke(app, ["responsibility", "stats", "--format", "csv"], env=env)
    assert out.exit_code == 0 and list(csv.DictReader(io.StringIO(out.output))) == rows, out.output


def test_a_refused_take_charge_stays_refused_beside_a_contest(
    client, auth_headers, services, november
) -> None:
    """A take-charge request refused (Art 40) is still a refusal; the acceptance rate counts the
    contest as an answer that is not a confirmation (Pactum's reading)."""
    _contested(client, auth_headers, services)
    case = client.post(
        f"{API}/cases",
        headers=auth_headers("it-dublin"),
        json={
            "reference": "IT-TC-STATS",
            "person_id": None,
            "facts": {
                "application": {"registered_in": "IT", "registered_on": "2026-11-02"},
                "documents": [
                    {
                        "kind": "residence_document",
                        "issued_by": "DE",
                        "valid_from": "2026-01-01",
                        "valid_until": "2027-01-01",
                    }
                ],
            },
        },
    )
    if case.status_code != 201:  # the case form's contract: the document in the facts names DE
        raise AssertionError(case.text)
    req = client.post(
        f"{API}/cases/{case.json()['id']}/requests",
        headers=auth_headers("it-dublin"),
        json={"kind": "take_charge", "requested_member_state": "DE"},
    )
    assert req.status_code == 201, req.text
    r = client.post(
        f"{API}/requests/{req.json()['id']}/refuse",
        headers=auth_headers("de-dublin"),
        json={"version": req.json()["version"], "reasons": "The document is not ours."},
    )
    assert r.status_code == 200, r.text
    [row] = client.get(f"{API}/statistics", headers=auth_headers("com-analyst")).json()
    assert (row["requests"], row["refused"], row["contested"], row["acceptance_rate"]) == (2, 1, 1, 0.0)
