"""Time limits: regime selection, parameter choice, errors and the explanation trace."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pactum.common.errors import ValidationProblem
from pactum.law import KINDS, LegalRef, TimeLimitResult, Trace, is_working_day, regime_for, time_limit
from pactum.law import tree as tree_module
from pactum.law.periods import STATE_CODES
from pactum.law.time_limits import RULES, TimeLimitRequest, compute, variants_of

REQUIRED_KINDS = {
    "screening", "eurodac_transmission", "application_registration", "take_charge_request",
    "take_charge_reply", "take_back_request", "take_back_reply", "take_back_notification",
    "take_back_confirmation", "transfer", "transfer_extended_imprisonment", "transfer_extended_absconding",
    "reexamination_request", "reexamination_reply", "border_procedure", "accelerated_procedure",
    "admissibility_procedure", "return_border_procedure", "voluntary_departure", "entry_ban_max",
    "eurodac_retention",
}


def test_every_kind_of_the_issue_exists() -> None:
    assert set(KINDS) >= REQUIRED_KINDS
    assert set(variants_of("screening")) == {"border", "border_held_over_72h", "inland"}
    assert set(variants_of("eurodac_retention")) >= {
        "applicant", "irregular_crossing", "illegal_stay", "sar", "union_resettlement_a",
        "union_resettlement_bc", "national_resettlement", "temporary_protection"}
    assert {"min", "max"} <= set(variants_of("voluntary_departure"))


def test_every_rule_points_at_an_existing_parameter_with_a_unit_of_time() -> None:
    histories = tree_module.tree()
    for rule in RULES:
        assert rule.path in histories, rule
        for _, value, unit in histories[rule.path].values:
            assert isinstance(value, int) and value > 0, rule.path
            assert unit in {"hours", "days", "working_days", "weeks", "months", "years"}, rule.path


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.kind}-{r.regime}-{r.variant}-{r.eurodac_hit}-{r.detained}"
                         f"{'-later' if r.from_detention else ''}")
def test_every_rule_computes_an_end_after_its_event(rule) -> None:
    regime_dates = {"dublin_iii": date(2026, 3, 2), "ammr": date(2026, 9, 1),
                    "pre_pact": date(2026, 3, 2), "pact": date(2026, 9, 1)}
    # the regime's day, or the first day the rule's parameter applies if later (Eurodac Art 26 on
    # temporary protection applies from 12 June 2029, Art 63(2))
    d = max(regime_dates[rule.regime], tree_module.history(rule.path).values[0][0])
    spec = KINDS[rule.kind]
    event: date | datetime = d
    if tree_module.history(rule.path).values[0][2] == "hours":
        event = datetime(d.year, d.month, d.day, 9, 30)
    r = time_limit(rule.kind, event_at=event, member_state="DE",
                   application_registered_on=d if spec.area == "responsibility" else None,
                   eurodac_hit=bool(rule.eurodac_hit), detained=bool(rule.detained), variant=rule.variant,
                   detained_on=d + timedelta(days=3) if rule.from_detention else None)
    assert r.regime == rule.regime
    assert r.parameter == rule.path
    assert r.end > event if isinstance(event, datetime) else r.end > d
    assert r.legal_basis[0] == tree_module.history(rule.path).reference.cite()


def test_the_issue_example_as_json() -> None:
    req = TimeLimitRequest.model_validate_json(json.dumps({
        "kind": "take_charge_request", "event_at": "2026-08-31", "member_state": "DE",
        "application_registered_on": "2026-07-15", "eurodac_hit": False, "detained": False}))
    out = compute(req).model_dump(mode="json")
    assert out["regime"] == "ammr"
    assert out["starts_at"] == "2026-09-01"
    assert out["ends_on"] == "2026-11-02"
    assert out["legal_basis"][0] == "Regulation (EU) 2024/1351, Article 39(1)"
    assert "Regulation (EEC, Euratom) No 1182/71, Article 3(4)" in out["legal_basis"]
    assert any("extended to Monday 2026-11-02 (Art. 3(4) Reg. 1182/71)" in s for s in out["computation"])
    assert [s["rule"] for s in out["trace"]] == ["regime", "take_charge_request", "period_reg_1182_71"]


def test_hour_periods_answer_with_ends_at() -> None:
    r = time_limit("eurodac_transmission", event_at=datetime(2026, 7, 10, 14, 20), member_state="IT")
    assert r.ends_on is None and r.ends_at == datetime(2026, 7, 13, 15, 0)


def test_errors_name_what_is_wrong() -> None:
    with pytest.raises(ValidationProblem, match="unknown time limit 'deadline'"):
        time_limit("deadline", event_at=date(2026, 9, 1), member_state="DE")
    with pytest.raises(ValidationProblem) as e:
        time_limit("transfer", event_at=date(2026, 9, 1), member_state="ZZ")
    assert {f for f, _ in e.value.problems} == {"member_state", "application_registered_on"}
    with pytest.raises(ValidationProblem, match="use take_back_notification"):
        time_limit("take_back_request", event_at=date(2026, 9, 1), member_state="DE",
                   application_registered_on=date(2026, 8, 1))
    with pytest.raises(ValidationProblem, match="variant: screening has no variant 'airport'; one of border"):
        time_limit("screening", event_at=date(2026, 9, 1), member_state="DE", variant="airport")
    with pytest.raises(ValidationProblem, match="event_at: eurodac_transmission is a period in hours"):
        time_limit("eurodac_transmission", event_at=date(2026, 9, 1), member_state="DE")


def test_an_impossible_date_is_refused_by_the_json_schema() -> None:
    with pytest.raises(ValueError, match="event_at"):
        TimeLimitRequest.model_validate({"kind": "screening", "event_at": "2026-02-30", "member_state": "DE"})


def test_the_cut_over_day_rule_is_a_parameter_a_legal_officer_can_change(monkeypatch) -> None:
    d = date(2026, 7, 1)
    assert regime_for("responsibility", d) == "ammr"
    histories = dict(tree_module.tree())
    h = histories["regimes.responsibility.cutover_day_regime"]
    histories[h.path] = replace(h, values=((h.values[0][0], "dublin_iii", h.values[0][2]),))
    monkeypatch.setattr(tree_module, "tree", lambda: histories)
    assert regime_for("responsibility", d) == "dublin_iii"
    assert regime_for("responsibility", date(2026, 7, 2)) == "ammr"
    r = time_limit("take_charge_request", event_at=d, member_state="DE", application_registered_on=d)
    assert r.regime == "dublin_iii" and r.ends_on == date(2026, 10, 1)


def test_regimes_by_date_never_today() -> None:
    assert regime_for("responsibility", date(2026, 6, 30)) == "dublin_iii"
    assert regime_for("responsibility", date(2020, 1, 1)) == "dublin_iii"
    for area in ("procedures", "screening", "eurodac", "returns"):
        assert regime_for(area, date(2026, 6, 11)) == "pre_pact"
        assert regime_for(area, date(2026, 6, 12)) == "pact"
    with pytest.raises(ValueError, match="unknown regime area"):
        regime_for("weather", date(2026, 6, 12))


def test_unverified_parameters_say_so_in_the_computation() -> None:
    # APR Art 69 sets no figure for the court's decision (national law): the platform default is flagged
    r = time_limit("appeal_decision", event_at=date(2026, 7, 1), member_state="DE", variant="expedited")
    assert r.unverified
    assert any("marked unverified" in s and "reasonable time limits" in s for s in r.computation)
    # the inland screening period, read in the Official Journal text (Art 8(4)), is no longer flagged
    assert not time_limit("screening", event_at=date(2026, 9, 2), member_state="DE", variant="inland").unverified


def test_trace_is_json_and_cites_articles() -> None:
    t = Trace()
    ref = LegalRef.of("ammr", "29", "1")
    t.step(rule="residence_document", legal_basis=[ref], facts={"issued_by": "FR", "on": date(2026, 1, 1)},
           parameters={"p": 3}, outcome="applies: FR")
    out = t.to_list()
    assert json.loads(json.dumps(out)) == [{
        "rule": "residence_document", "legal_basis": ["Regulation (EU) 2024/1351, Article 29(1)"],
        "facts": {"issued_by": "FR", "on": "2026-01-01"}, "parameters": {"p": 3}, "outcome": "applies: FR"}]
    assert t.legal_basis() == ["Regulation (EU) 2024/1351, Article 29(1)"]


def test_result_type_is_pydantic() -> None:
    r = time_limit("entry_ban_max", event_at=date(2026, 9, 1), member_state="DE")
    assert isinstance(r, TimeLimitResult)
    assert TimeLimitResult.model_validate_json(r.model_dump_json()) == r


_KIND_CHOICES = sorted({(r.kind, r.variant, bool(r.eurodac_hit), bool(r.detained)) for r in RULES},
                       key=lambda c: (c[0], c[1] or "", c[2], c[3]))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_KIND_CHOICES), st.dates(min_value=date(2016, 1, 1), max_value=date(2034, 12, 31)),
       st.integers(min_value=0, max_value=400), st.sampled_from(STATE_CODES))
def test_any_time_limit_ends_after_its_event_and_follows_the_regime(choice, registered: date, later: int,
                                                                      state: str) -> None:
    kind, variant, hit, detained = choice
    spec = KINDS[kind]
    event = registered + timedelta(days=later)
    hours = any(tree_module.history(r.path).values[0][2] == "hours" for r in RULES if r.kind == kind
                and r.variant == variant)
    at: date | datetime = datetime(event.year, event.month, event.day, 13, 45) if hours else event
    try:
        r = time_limit(kind, event_at=at, member_state=state,
                       application_registered_on=registered if spec.area == "responsibility" else None,
                       eurodac_hit=hit, detained=detained, variant=variant)
    except ValidationProblem as exc:
        # only "does not exist under this regime" or "not in force yet" may refuse valid input
        assert all(f in ("kind", "variant", "event_at") for f, _ in exc.problems), exc.problems
        assert all("does not exist under" in m or "not in force" in m or m.startswith("no rule on the")
                   for _, m in exc.problems), exc.problems
        return
    relevant = registered if spec.area == "responsibility" else event
    assert r.regime == regime_for(spec.area, relevant)
    # a detained person's request runs from the registration, whatever the event (a later hit)
    from_registration = any(x.from_registration for x in RULES if x.kind == kind and x.path == r.parameter)
    # a Dublin III take charge after a hit ends no later than three months from the lodging, even
    # if that is before the hit (CJEU C-670/16 Mengesteab)
    outer = any("Mengesteab" in line for line in r.computation)
    assert r.end > (registered if from_registration or outer else at)
    if outer:
        assert kind == "take_charge_request" and r.regime == "dublin_iii" and hit
    ceiling = any(rule.runs_out for rule in RULES if rule.kind == kind and rule.path == r.parameter)
    if r.ends_on is not None and spec.extends_to_working_day and not ceiling:
        assert is_working_day(r.ends_on, state)


@pytest.mark.parametrize("value", [20260831, "31/08/2026", "2026-08-31T25:00", None])
def test_event_at_must_be_an_iso_date_or_date_time(value: object) -> None:
    with pytest.raises(ValueError, match="event_at"):
        TimeLimitRequest.model_validate({"kind": "screening", "event_at": value, "member_state": "DE"})


def test_a_stored_trace_reads_back_identically() -> None:
    r = time_limit("take_charge_reply", event_at=date(2026, 8, 5), member_state="IT", eurodac_hit=True,
                   application_registered_on=date(2026, 7, 20))
    stored = json.loads(json.dumps(r.trace))
    assert Trace.from_list(stored).to_list() == r.trace
    assert Trace.from_list(stored).legal_basis()[0] == "Regulation (EU) 2024/1351, Article 84(2)"


@pytest.mark.parametrize(("kind", "registered", "hit", "state", "ends", "basis", "start_words"), [
    # Dublin III Art 28(3): one month from the lodging, a hit received months later changes nothing
    ("take_charge_request", date(2026, 6, 30), date(2026, 11, 25), "IT", date(2026, 7, 30),
     "Regulation (EU) No 604/2013, Article 28(3)", "1 month from the lodging of the application, here 2026-06-30"),
    ("take_back_request", date(2026, 3, 16), date(2026, 3, 20), "AT", date(2026, 4, 16),
     "Regulation (EU) No 604/2013, Article 28(3)", "from the lodging of the application, here 2026-03-16"),
    # AMMR Art 45(1): two weeks from the registration
    ("take_charge_request", date(2026, 7, 20), date(2026, 7, 27), "FR", date(2026, 8, 3),
     "Regulation (EU) 2024/1351, Article 45(1)", "2 weeks from the registration of the application, here 2026-07-20"),
])
def test_a_detained_persons_request_runs_from_the_lodging_not_from_a_later_hit(
        kind: str, registered: date, hit: date, state: str, ends: date, basis: str, start_words: str) -> None:
    r = time_limit(kind, event_at=hit, member_state=state, application_registered_on=registered,
                   eurodac_hit=True, detained=True)
    assert r.ends_on == ends
    assert r.legal_basis[0] == basis
    text = "\n".join(r.computation)
    assert start_words in text
    assert f"not from the event given ({hit.isoformat()})" in text
    assert f"here {hit.isoformat()}" not in text


@pytest.mark.parametrize(("regime_registered", "regime"), [(date(2026, 3, 2), "dublin_iii"), (date(2026, 7, 2), "ammr")])
def test_a_detained_persons_transfer_limit_is_a_ceiling_not_moved_to_a_working_day(
        regime_registered: date, regime: str) -> None:
    """When the transfer limit of a detained person passes, the person may no longer be detained
    (Dublin III Art 28(3); AMMR Art 45(3)): like the screening and border procedure maxima, its end
    stays on the Saturday it falls on, where the ordinary transfer period is moved to Monday."""
    weeks = 6 if regime == "dublin_iii" else 5
    accepted = date(2026, 10, 17) - timedelta(weeks=weeks)  # ends on Saturday 17 October 2026
    r = time_limit("transfer", event_at=accepted, member_state="DE", detained=True,
                   application_registered_on=regime_registered)
    assert r.regime == regime
    assert r.ends_on == date(2026, 10, 17)
    assert any("may no longer be detained" in step for step in r.computation)
    assert any("not extended to a working day" in step for step in r.computation)


def test_a_detained_persons_request_limit_is_a_ceiling_but_the_reply_is_a_time_to_act() -> None:
    """The request limit of a detained person ends the detention when it passes (Dublin III Art
    28(3), fourth subparagraph): not moved to a working day. The reply's limit is a time for the
    requested state to act (its silence is acceptance): moved to the next working day."""
    request = time_limit("take_charge_request", event_at=date(2026, 5, 20), member_state="DE", detained=True,
                         application_registered_on=date(2026, 5, 20))  # 1 month: Saturday 20 June 2026
    assert request.ends_on == date(2026, 6, 20)
    reply = time_limit("take_charge_reply", event_at=date(2026, 6, 6), member_state="DE", detained=True,
                       application_registered_on=date(2026, 5, 20))  # 2 weeks: Saturday 20 June 2026
    assert reply.ends_on == date(2026, 6, 22)


def test_the_asylum_procedures_time_limits_follow_the_day_the_application_was_made() -> None:
    """An application made under Directive 2013/32 keeps the Directive's time limits for a decision
    notified after the Asylum Procedure Regulation applies (12 June 2026), as the case workflow does;
    without the day it was made, the day of the event selects and the computation says so."""
    made_before = time_limit("appeal", event_at=date(2026, 7, 10), member_state="DE", variant="regular",
                             application_made_on=date(2026, 4, 2))
    assert made_before.regime == "pre_pact"
    assert made_before.parameter.startswith("procedures_directive.")
    assert made_before.computation[0].startswith("Application made on 2026-04-02, before the cut-over 2026-06-12")
    assert "Regulation (EU) 2024/1348, Article 67(7)(b)" not in made_before.legal_basis
    made_after = time_limit("appeal", event_at=date(2026, 7, 10), member_state="DE", variant="regular",
                            application_made_on=date(2026, 6, 15))
    assert made_after.regime == "pact"
    assert not any("is not given" in step for step in made_after.computation)
    unknown = time_limit("appeal", event_at=date(2026, 7, 10), member_state="DE", variant="regular")
    assert unknown.regime == "pact"
    assert any("stays under Directive 2013/32" in step and "application_made_on" in step
               for step in unknown.computation)


@pytest.mark.parametrize(("kind", "made_on", "message"), [
    ("transfer", date(2026, 4, 2), "used only by the asylum procedure's time limits"),
    ("appeal", date(2026, 8, 2), "is after the event"),
])
def test_the_day_the_application_was_made_is_refused_where_it_cannot_apply(kind: str, made_on: date,
                                                                          message: str) -> None:
    with pytest.raises(ValidationProblem) as exc:
        time_limit(kind, event_at=date(2026, 7, 10), member_state="DE", variant="regular" if kind == "appeal" else None,
                   application_registered_on=date(2026, 4, 2) if kind == "transfer" else None,
                   application_made_on=made_on)
    assert [f for f, _ in exc.value.problems] == ["application_made_on"]
    assert message in exc.value.problems[0][1]
