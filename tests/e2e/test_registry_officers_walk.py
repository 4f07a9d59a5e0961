"""What officers registering arrivals and completing screenings met on the walk of 1 December 2026
(registry and screening, web, API and CLI)."""

from __future__ import annotations

from datetime import datetime

from tests.e2e.test_registry_api import ARRIVAL


def test_the_screenings_due_say_when_each_screening_started_in_utc(client, auth_headers):
    """A national system reading ``started_at`` of the screenings due got "2026-11-25T06:30:00"
    (no offset, read as its own local time: an hour or two out in Rome or Athens) while the
    screening itself and its ``deadline_at`` say UTC ("…Z")."""
    h = auth_headers("it-caseworker")
    body = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=h).json()
    due = client.get("/api/v1/registry/screenings/due", headers=h).json()
    [entry] = [d for d in due if d["id"] == body["screening"]["id"]]
    # disembarked at Lampedusa on 25 November 2026 at 06:30 UTC (07:30 in Rome)
    assert entry["started_at"] == "2026-11-25T06:30:00Z"
    assert datetime.fromisoformat(entry["started_at"]).utcoffset() is not None
    screening = client.get(f"/api/v1/registry/screenings/{entry['id']}", headers=h).json()
    assert entry["started_at"] == screening["started_at"]
