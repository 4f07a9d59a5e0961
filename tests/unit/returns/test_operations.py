"""Who can board a return operation, and what the officer's queue shows as the obstacle."""

from dataclasses import replace
from datetime import date

from pactum.returns.operations import ReturnFacts, eligible, enforceable, obstacles

READY = ReturnFacts(
    status="issued",
    voluntary_departure_last_day=date(2026, 9, 30),
    absconded=False,
    identity_confirmed=True,
    travel_document=True,
    fit_to_travel=True,
    readmission="accepted",
)


def test_ready_person_is_eligible_after_the_voluntary_departure_period() -> None:
    assert eligible(READY, date(2026, 10, 1))


def test_the_last_day_of_voluntary_departure_still_belongs_to_the_person() -> None:
    assert not enforceable(READY, date(2026, 9, 30))
    assert obstacles(READY, date(2026, 9, 30)) == ["voluntary_departure_running"]


def test_no_period_granted_is_enforceable_at_once() -> None:
    facts = replace(READY, voluntary_departure_last_day=None)
    assert enforceable(facts, date(2026, 9, 1))


def test_suspensive_appeal_blocks_everything() -> None:
    facts = replace(READY, status="suspended")
    assert obstacles(facts, date(2026, 12, 1)) == ["suspended"]


def test_each_obstacle_is_named() -> None:
    facts = replace(
        READY,
        absconded=True,
        identity_confirmed=False,
        travel_document=False,
        fit_to_travel=False,
        readmission="pending",
    )
    assert obstacles(facts, date(2026, 12, 1)) == [
        "absconded",
        "identity_not_confirmed",
        "no_travel_document",
        "readmission_pending",
        "not_fit_to_travel",
    ]


def test_refused_readmission_is_an_obstacle_and_no_request_is_not() -> None:
    assert obstacles(replace(READY, readmission="refused"), date(2026, 12, 1)) == [
        "readmission_refused"
    ]
    assert eligible(replace(READY, readmission=None), date(2026, 12, 1))


def test_no_removal_until_the_time_to_ask_for_leave_to_remain_has_ended() -> None:
    # Regulation (EU) 2024/1348 Art 68(5)(d)(i): a decision with no voluntary departure period,
    # issued with a rejection whose appeal does not suspend by itself, waits for the last day of
    # the time to ask the court for leave to remain, that day included
    facts = replace(READY, voluntary_departure_last_day=None, removal_barred_until=date(2026, 8, 26))
    assert obstacles(facts, date(2026, 8, 26)) == ["leave_to_remain_time"]
    assert eligible(facts, date(2026, 8, 27))


def test_the_time_to_lodge_an_appeal_that_suspends_bars_removal_under_its_own_name() -> None:
    """APR Art 68(1), (2): the right to remain until the appeal time limit ends; the officer is told
    why (not the leave-to-remain time, which does not run when the appeal suspends by itself)."""
    facts = replace(READY, voluntary_departure_last_day=None, removal_barred_until=date(2026, 9, 21),
                    removal_barred_basis="appeal_time")
    assert obstacles(facts, date(2026, 9, 21)) == ["appeal_time"]
    assert obstacles(facts, date(2026, 9, 22)) == []


def test_a_removal_bar_is_worded_with_its_last_day_and_the_regimes_article() -> None:
    from pactum.returns.operations import obstacle_label

    barred = ReturnFacts(status="issued", voluntary_departure_last_day=None, absconded=False, identity_confirmed=True,
                         travel_document=True, fit_to_travel=True, readmission=None,
                         removal_barred_until=date(2026, 12, 30), removal_barred_basis="appeal_time")
    assert obstacle_label("appeal_time", barred, pact=True) == (
        "time to appeal still running, until 2026-12-30: an appeal would let the applicant remain "
        "(Regulation (EU) 2024/1348, Article 68(1), (2))")
    assert obstacle_label("appeal_time", barred, pact=False).endswith("(Directive 2013/32/EU, Article 46(5))")
    assert "until 2026-12-30" in obstacle_label("leave_to_remain_time", barred)
    assert obstacle_label("absconded", barred) == "absconded"


def test_a_decision_another_state_recognised_is_that_states_to_enforce() -> None:
    """Commission Recommendation (EU) 2023/682: the recognising state enforces the decision where
    the person is; the issuing state has an obstacle, with the state and the day in its words."""
    from pactum.returns.operations import ReturnFacts, obstacle_label, obstacles

    facts = ReturnFacts(status="issued", voluntary_departure_last_day=None, absconded=False, identity_confirmed=True,
                        travel_document=True, fit_to_travel=True, readmission=None, enforced_by="DE",
                        enforced_since=date(2026, 9, 1))
    assert obstacles(facts, date(2026, 9, 2)) == ["enforced_by_other_state"]
    label = obstacle_label("enforced_by_other_state", facts)
    assert label.startswith("recognised by DE on 2026-09-01, which enforces it: the person is in DE")
    assert "Commission Recommendation (EU) 2023/682" in label
