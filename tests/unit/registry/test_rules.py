"""Registration rules, checked on the facts an officer meets (no database)."""

from datetime import UTC, date, datetime

from pactum.registry import rules
from pactum.registry.model import EncounterKind, EurodacCategory


def test_sar_disembarkation_is_its_own_eurodac_category_under_the_pact_only():
    assert rules.eurodac_category(EncounterKind.sar_disembarkation, date(2026, 7, 1)) == EurodacCategory.sar
    # Reg. 603/2013 had no SAR category: recorded as an irregular crosser
    assert (rules.eurodac_category(EncounterKind.sar_disembarkation, date(2026, 5, 1))
            == EurodacCategory.irregular_crossing)


def test_illegal_stay_was_not_stored_before_the_recast():
    assert rules.eurodac_category(EncounterKind.illegal_stay, date(2025, 9, 1)) is None
    assert rules.eurodac_category(EncounterKind.illegal_stay, date(2026, 9, 1)) == EurodacCategory.illegal_stay


def test_screening_applies_from_12_june_2026():
    assert not rules.screening_applies(date(2026, 6, 11))
    assert rules.screening_applies(date(2026, 6, 12))


def test_screening_variant_border_inland_and_held_over_72_hours():
    assert rules.screening_variant(EncounterKind.irregular_crossing, False) == "border"
    assert rules.screening_variant(EncounterKind.irregular_crossing, True) == "border_held_over_72h"
    # Art 8(3)'s four days are for Art 5(1)(a) persons only: a SAR arrival (Art 5(1)(b)) or an
    # application at a border crossing point (Art 5(2)) keeps the seven days
    assert rules.screening_variant(EncounterKind.sar_disembarkation, True) == "border"
    assert rules.screening_variant(EncounterKind.border_crossing_point_application, True) == "border"
    assert rules.screening_variant(EncounterKind.illegal_stay, False) == "inland"


def test_border_screening_lasts_7_days_and_4_after_the_72_hours_if_held_over_72_hours():
    """Screening Reg. (EU) 2024/1356 Art 8(3), second sentence: held at the external border over 72
    hours, "i relativi accertamenti sono svolti successivamente e il periodo per gli accertamenti è
    ridotto a quattro giorni": four days after the 72 hours, not from the apprehension."""
    start = datetime(2026, 9, 7, 10, tzinfo=UTC)  # a Monday, 12:00 in Rome
    assert rules.screening_deadline(start, "IT", "border").ends_on == date(2026, 9, 14)
    held = rules.screening_deadline(start, "IT", "border_held_over_72h")
    # the 72 hours end on Thursday 10 September; the four days on Monday 14, not Friday 11
    assert held.ends_on == date(2026, 9, 14)
    assert any("end on 2026-09-10; its period runs from that day" in line for line in held.computation)
    # late in the evening the 72 hours still end on the third day: 23:30 in Rome on Monday 7
    late = rules.screening_deadline(datetime(2026, 9, 7, 21, 30, tzinfo=UTC), "IT", "border_held_over_72h")
    assert late.ends_on == date(2026, 9, 14)
    _, at = rules.screening_deadline_at(start, "IT", "border_held_over_72h")
    assert at == datetime(2026, 9, 14, 21, 59, 59, tzinfo=UTC)  # 23:59:59 in Rome


def test_biometrics_from_age_6_under_the_pact_and_14_before():
    on_pact, on_old = date(2026, 9, 1), date(2025, 9, 1)
    assert rules.biometrics_required("2019-01-01", on_pact).required  # 7 years old
    assert not rules.biometrics_required("2021-01-01", on_pact).required  # 5 years old
    assert not rules.biometrics_required("2012-01-01", on_old).required  # 13: below 14 then
    assert rules.biometrics_required("2010-01-01", on_old).required


def test_an_uncertain_age_counts_as_under_the_minimum_age():
    # born in 2020: on 1 July 2026 aged 5 or 6 -> could be under 6 -> not required (Art 14(1))
    assert not rules.biometrics_required("2020", date(2026, 7, 1)).required
    # unknown date of birth: capture
    assert rules.biometrics_required(None, date(2026, 7, 1)).required


def test_retention_is_10_years_for_applicants_and_18_months_for_crossers_before_the_recast():
    assert rules.retention_until(EurodacCategory.applicant, date(2026, 7, 1), "IT").ends_on == date(2036, 7, 1)
    old = rules.retention_until(EurodacCategory.irregular_crossing, date(2025, 3, 1), "IT")
    assert old.ends_on == date(2026, 9, 1)
    assert "No 603/2013, Article 16(1)" in old.legal_basis[0]


def test_transmission_limit_is_72_hours_counted_from_the_next_full_hour():
    # Reg. 1182/71 Art 3(1): an hour period starts at the beginning of the hour after the event
    captured = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)
    result = rules.transmission_deadline(captured, "IT")
    assert rules.moment(result) == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)


def test_transmission_deadline_counted_once_per_hour_is_the_exact_computation():
    """The per-hour shortcut the registration uses gives what the full computation gives for
    every capture moment within the hour, under both regimes and across a day boundary."""
    for day in (date(2026, 3, 2), date(2026, 11, 27)):  # pre-Pact (Reg. 603/2013) and Pact
        for category in (EurodacCategory.irregular_crossing, EurodacCategory.sar, None):
            for hour, minute, second in ((0, 0, 0), (9, 0, 1), (9, 59, 59), (23, 30, 0)):
                at = datetime(day.year, day.month, day.day, hour, minute, second, 123, tzinfo=UTC)
                exact = rules.transmission_deadline(at, "IT", category)
                assert rules.transmission_deadline_moment(at, "IT", category) == (
                    rules.moment(exact), tuple(exact.legal_basis))


def test_day_based_rules_are_remembered_and_equal_a_fresh_computation():
    from pactum.law import time_limit

    at = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    cached = rules.screening_deadline(at, "EL", "border_held_over_72h")
    assert rules.screening_deadline(at.replace(hour=3), "EL", "border_held_over_72h") is cached
    fresh = time_limit("screening", event_at=at.date(), member_state="EL", variant="border_held_over_72h")
    assert cached.model_dump() == fresh.model_dump()


def test_the_transmission_limit_cites_the_article_of_the_persons_category():
    """Eurodac Reg. 2024/1358: applicants Art 15, irregular crossers Art 22, SAR Art 24 (not Art 15);
    Reg. 603/2013: applicants Art 9, crossers (SAR arrivals included) Art 14."""
    pact = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)
    cites = {c: rules.transmission_deadline_moment(pact, "IT", c)[1][0]
             for c in (EurodacCategory.applicant, EurodacCategory.irregular_crossing, EurodacCategory.sar)}
    assert cites[EurodacCategory.applicant].startswith("Regulation (EU) 2024/1358, Article 15")
    assert cites[EurodacCategory.irregular_crossing] == "Regulation (EU) 2024/1358, Article 22(2)"
    assert cites[EurodacCategory.sar] == "Regulation (EU) 2024/1358, Article 24(2)"
    # the period itself is counted as before: 72 hours from the end of the hour of capture
    for c in cites:
        assert rules.transmission_deadline_moment(pact, "IT", c)[0] == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    old = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert "No 603/2013, Article 14(2)" in rules.transmission_deadline_moment(
        old, "IT", EurodacCategory.irregular_crossing)[1][0]
