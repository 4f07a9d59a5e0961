"""The time-limits calculator chooses the law of an asylum procedure's time limit as the case
workflow does: by the day the application was lodged (Regulation (EU) 2024/1348 Art 79(3): the APR
governs applications lodged from 12 June 2026). An application made on 8 June and lodged on 15 June
2026 has the APR's 10 days to appeal an expedited decision, not the Directive's two weeks; the
registration, which comes before any lodging, stays under the law of the day it was made."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.common.errors import ValidationProblem
from pactum.law import TimeLimitRequest, time_limit
from pactum.law.time_limits import compute

APR = "Regulation (EU) 2024/1348"
MADE, LODGED, NOTIFIED = date(2026, 6, 8), date(2026, 6, 15), date(2026, 7, 13)


def test_made_before_and_lodged_after_the_cut_over_the_appeal_limit_is_the_aprs() -> None:
    r = time_limit("appeal", NOTIFIED, "IT", variant="expedited", application_made_on=MADE,
                   application_lodged_on=LODGED)
    assert (r.regime, r.ends_on) == ("pact", date(2026, 7, 23))
    assert r.legal_basis[0] == f"{APR}, Article 67(7)(a)"
    assert f"{APR}, Article 79(3)" in r.legal_basis
    assert r.computation[0].startswith("Application lodged on 2026-06-15")


def test_without_the_lodging_the_day_made_chooses_and_the_computation_says_what_is_missing() -> None:
    r = time_limit("appeal", NOTIFIED, "IT", variant="expedited", application_made_on=MADE)
    assert (r.regime, r.ends_on) == ("pre_pact", date(2026, 7, 27))
    assert any("give application_lodged_on" in line for line in r.computation)


def test_the_registration_runs_under_the_law_of_the_day_made_whatever_the_lodging() -> None:
    r = time_limit("application_registration", MADE, "IT", application_made_on=MADE, application_lodged_on=LODGED)
    assert r.regime == "pre_pact"


def test_lodged_before_the_cut_over_stays_under_the_directive_for_a_step_in_july() -> None:
    r = time_limit("appeal", NOTIFIED, "IT", variant="expedited", application_made_on=date(2026, 6, 1),
                   application_lodged_on=date(2026, 6, 5))
    assert (r.regime, r.ends_on) == ("pre_pact", date(2026, 7, 27))


@pytest.mark.parametrize(("kwargs", "field", "said"), [
    ({"kind": "take_charge_request", "application_registered_on": date(2026, 7, 1)}, "application_lodged_on",
     "used only by the asylum procedure's time limits, not by take_charge_request: leave it out"),
    ({"kind": "appeal", "variant": "expedited", "application_made_on": date(2026, 6, 20)}, "application_lodged_on",
     "2026-06-15 is before the day the application was made (2026-06-20): an application is lodged after it is made"),
])
def test_a_lodging_that_cannot_be_read_is_refused_naming_the_field(kwargs: dict, field: str, said: str) -> None:
    kind = kwargs.pop("kind")
    with pytest.raises(ValidationProblem) as refused:
        time_limit(kind, NOTIFIED, "IT", application_lodged_on=LODGED, **kwargs)
    assert refused.value.problems == [(field, said)]


def test_the_api_and_cli_schema_takes_the_lodging() -> None:
    out = compute(TimeLimitRequest.model_validate({
        "kind": "border_procedure", "event_at": "2026-06-09", "member_state": "IT",
        "application_made_on": "2026-06-08", "application_lodged_on": "2026-06-15"}))
    assert out.regime == "pact" and out.legal_basis[0] == f"{APR}, Article 51(2)"
