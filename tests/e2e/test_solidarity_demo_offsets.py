"""The demo world's 2026 pool with the Dublin cases of the responsibility step: contributing
states have taken over applications as responsibility offsets, and the relocation tracker holds
beneficiaries of international protection next to applicants."""

from __future__ import annotations

from datetime import date

from pactum.scenario.world import build
from pactum.services import responsibility, solidarity
from pactum.services.auth import SYSTEM, Principal, Role
from pactum.services.bootstrap import Services


def test_demo_world_takes_over_applications_and_relocates_beneficiaries(services: Services) -> None:
    build(services, scale="XS", seed=7, end=date(2026, 11, 28), show_progress=False,
          only=["registry", "responsibility", "solidarity"])
    view = solidarity.offsets_view(services, SYSTEM, 2026)
    assert view["taken_over_total"] > 0
    benefitting = set(view["benefitting_states"])
    for t in view["taken_over"]:
        assert t["beneficiary_member_state"] in benefitting
        assert t["contributor_member_state"] not in benefitting
        # read by the Dublin unit of the contributing state, whose case file it is now (case files are the
        # states' officers', not an EU body's)
        unit = Principal(user_id="t", username="t", authority=t["contributor_member_state"],
                         roles=frozenset({Role.dublin_unit}))
        case = responsibility.get_case(services, unit, t["case_id"])
        # the person is in the contributing state, which is now responsible
        assert case["member_state"] == t["contributor_member_state"]
        assert case["determination"]["responsible_member_state"] == t["contributor_member_state"]
        assert case["determination"]["trace"][-1]["rule"] == "responsibility_offset"
        # the case agrees with itself: an AMMR application, no Dublin request running on it, and the
        # contributing state responsible now from the day of the take-over
        assert case["determination"]["regime"] == "ammr"
        assert case["determination"]["trace"][-1]["facts"]["on"] == t["taken_over_on"].isoformat()
        assert all(r["status"] in ("withdrawn", "refused_final", "responsibility_shifted", "transferred")
                   for r in case["requests"])
        assert case["responsible_now"]["member_state"] == t["contributor_member_state"]
        assert case["responsible_now"]["rule"] == "responsibility_offset"
    # at most 5 per pair, never beyond a contributor's limit
    for c in view["contributors"]:
        assert c["taken_over"] <= c["limit"]
    tracker = solidarity.transfer_tracker(services, SYSTEM, era="ammr", year=2026)
    assert tracker["by_status"]["beneficiary"]["total"] > 0 and tracker["by_status"]["applicant"]["total"] > 0
    for t in tracker["transfers"]:
        if t["person_status"] == "beneficiary":
            assert t["consent_on"] is not None and t["consent_on"] <= t["matched_on"]
