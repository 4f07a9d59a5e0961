"""The 72 hours to transmit biometric data to Eurodac run from the apprehension, the disembarkation
or the registration of the application (Reg. (EU) 2024/1358 Arts 15(1)(a), 22(2), 24(2)), not from the
capture of the data: a capture a day later does not give the state a day more (legal review F5)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from pactum.registry import rules
from pactum.registry.model import EurodacCategory
from tests.e2e.test_registry_api import ARRIVAL


def test_a_capture_a_day_after_the_disembarkation_does_not_move_the_limit(client, auth_headers):
    data = copy.deepcopy(ARRIVAL)  # disembarked at Lampedusa on 25 November 2026, 06:30 UTC
    data["biometrics"]["captured_at"] = "2026-11-26T10:00:00Z"
    data["biometrics"]["transmitted_at"] = "2026-11-28T09:00:00Z"  # 2 days after the capture
    r = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers("it-caseworker"))
    assert r.status_code == 201, r.text
    bio = r.json()["biometrics"]
    # 72 hours from the end of the hour of the disembarkation (Reg. 1182/71 Art 3(1)): 28 November
    # 07:00 UTC, an hour before the data were sent, although they were sent within 72 hours of the capture
    assert bio["transmission_deadline"].startswith("2026-11-28T07:00")
    assert bio["transmission_met"] is False


def test_the_computation_names_the_event_it_runs_from():
    result = rules.transmission_deadline(datetime(2026, 11, 25, 6, 30, tzinfo=UTC), "IT", EurodacCategory.sar)
    assert "72 hours from the disembarkation" in result.computation[0]
    crossing = rules.transmission_deadline(datetime(2026, 11, 25, 6, 30, tzinfo=UTC), "IT",
                                           EurodacCategory.irregular_crossing)
    assert "72 hours from the apprehension" in crossing.computation[0]
