"""Registration rules a lawyer checks person by person (QA walk of the demo world): the age of
biometrics when the date of birth is partial, the day where an encounter happened, the end of a
Eurodac storage period, and the article each kind of person's biometric data are taken under."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from pactum.law import param
from pactum.registry import local_time, rules
from pactum.registry.model import EncounterKind, EurodacCategory

PACT_DAY = date(2026, 7, 10)  # a child born in 2020 may be 5 or 6
OLD_DAY = date(2026, 5, 10)  # before 12 June 2026: Reg. 603/2013, fingerprints from 14
ART_14_1 = "Regulation (EU) 2024/1358, Article 14(1)"


# ---------------------------------------------------------------- age of biometrics (finding 1)


@pytest.mark.parametrize(("born", "required"), [
    ("2020", False),      # 5 or 6: uncertain, no proof -> counted as under 6 (Art 14(1))
    ("2020-07", False),   # born in July 2020: 5 until their birthday in July, 6 after
    ("2020-06", True),    # born in June 2020 at the latest: 6 whatever the day
    ("2019", True),       # 6 or 7: at least 6 whatever the day
    ("2021", False),      # 4 or 5: under 6 whatever the day
    ("2020-07-10", True),  # sixth birthday today
    ("2020-07-11", False),
    (None, True),         # nothing recorded says the person is a child
])
def test_a_child_whose_age_is_uncertain_counts_as_under_six(born, required):
    assert rules.biometrics_required(born, PACT_DAY, EncounterKind.irregular_crossing).required is required


def test_the_uncertainty_rule_is_cited_where_it_decides():
    uncertain = rules.biometrics_required("2020", PACT_DAY, EncounterKind.irregular_crossing)
    assert uncertain.legal_basis == ["Regulation (EU) 2024/1358, Article 22(1)", ART_14_1]
    certain = rules.biometrics_required("2019", PACT_DAY, EncounterKind.irregular_crossing)
    assert certain.legal_basis == ["Regulation (EU) 2024/1358, Article 22(1)"]
    assert param("eurodac.biometrics.uncertain_age_counts_as_under", on=PACT_DAY).value is True


def test_before_the_recast_an_uncertain_age_also_counts_as_under_fourteen():
    assert not rules.biometrics_required("2012", OLD_DAY, EncounterKind.irregular_crossing).required  # 13 or 14
    assert rules.biometrics_required("2011", OLD_DAY, EncounterKind.irregular_crossing).required  # 14 or 15
    assert rules.biometrics_required("2012-05", OLD_DAY, EncounterKind.irregular_crossing).required is False
    assert rules.biometrics_required("2012-04", OLD_DAY, EncounterKind.irregular_crossing).required


# ---------------------------------------------------------------- the local day (finding 2)


def test_the_day_of_an_encounter_is_the_day_where_it_happened():
    lampedusa = datetime(2026, 6, 12, 1, 30, tzinfo=timezone(timedelta(hours=2)))
    assert local_time.local_day(lampedusa, "IT") == date(2026, 6, 12)
    # the same moment given in UTC (or naive, the platform's UTC) is read on Italy's clock
    assert local_time.local_day(datetime(2026, 6, 11, 23, 30, tzinfo=UTC), "IT") == date(2026, 6, 12)
    assert local_time.local_day(datetime(2026, 6, 11, 23, 30), "IT") == date(2026, 6, 12)
    # Greece is an hour further east; Iceland keeps UTC all year
    assert local_time.local_day(datetime(2026, 6, 11, 21, 30, tzinfo=UTC), "EL") == date(2026, 6, 12)
    assert local_time.local_day(datetime(2026, 6, 11, 23, 30, tzinfo=UTC), "IS") == date(2026, 6, 11)
    # an offset given that is not the state's (the Canary Islands: UTC+1 in summer) is the clock's
    canaries = datetime(2026, 6, 11, 23, 30, tzinfo=timezone(timedelta(hours=1)))
    assert local_time.local_day(canaries, "ES") == date(2026, 6, 11)
    assert local_time.event_zone(canaries, "ES").utcoffset(None) == timedelta(hours=1)


def test_every_state_the_platform_registers_for_has_a_time_zone():
    from pactum.common.states import MEMBER_STATES

    assert set(MEMBER_STATES) <= set(local_time.STATE_ZONES)
    for ms in MEMBER_STATES:
        local_time.state_zone(ms)  # the zone database knows it


def test_a_screening_ends_at_the_end_of_its_last_day_where_it_runs():
    at = datetime(2026, 6, 11, 23, 30, tzinfo=UTC)  # 01:30 on 12 June in Rome
    result, deadline = rules.screening_deadline_at(at, "IT", "border")
    assert result.ends_on == date(2026, 6, 19)  # 7 days from 12 June
    assert deadline == datetime(2026, 6, 19, 21, 59, 59, tzinfo=UTC)  # 23:59:59 CEST
    # in winter Athens is UTC+2
    _, winter = rules.screening_deadline_at(datetime(2026, 11, 25, 10, tzinfo=UTC), "EL", "border")
    assert winter == datetime(2026, 12, 2, 21, 59, 59, tzinfo=UTC)


def test_the_transmission_regime_is_that_of_the_local_day_of_the_capture():
    # 00:30 on 12 June in Rome (22:30 UTC on 11 June): the recast's article, not Reg. 603/2013's
    captured = datetime(2026, 6, 11, 22, 30, tzinfo=UTC)
    result = rules.transmission_deadline(captured, "IT", EurodacCategory.sar)
    assert result.regime == "pact"
    assert result.legal_basis[0] == "Regulation (EU) 2024/1358, Article 24(2)"
    # 72 hours from the end of the hour of capture, whatever the clock it is read on
    assert rules.moment(result) == datetime(2026, 6, 14, 23, 0, tzinfo=UTC)


# ---------------------------------------------------------------- storage maximum (finding 3)


def test_a_storage_period_ending_on_a_sunday_is_not_extended_to_monday():
    # taken and transmitted on 20 July 2026 (the recast counts from the transmission, Art 29(6))
    result = rules.retention_until(EurodacCategory.irregular_crossing, date(2026, 7, 20), "IT", date(2026, 7, 20))
    assert result.ends_on == date(2031, 7, 20)  # a Sunday: 5 years (Art 29), not 21 July
    assert "Regulation (EEC, Euratom) No 1182/71, Article 3(4)" not in result.legal_basis
    assert "Regulation (EU) 2024/1358, Article 29(6)" in result.legal_basis
    assert any("not extended to a working day: a maximum that runs out by itself" in step
               for step in result.computation)
    # Reg. 603/2013: 18 months from 11 June 2026 end on Saturday 11 December 2027
    old = rules.retention_until(EurodacCategory.irregular_crossing, date(2026, 6, 11), "IT")
    assert old.ends_on == date(2027, 12, 11)
    # a public holiday is not skipped either: 10 years from a transmission on 25 December 2026
    assert rules.retention_until(EurodacCategory.applicant, date(2026, 12, 24), "DE",
                                 date(2026, 12, 25)).ends_on == date(2036, 12, 25)


def test_a_storage_period_ending_on_a_working_day_is_the_law_modules_count():
    from pactum.law import time_limit

    result = rules.retention_until(EurodacCategory.applicant, date(2026, 6, 30), "IT", date(2026, 7, 1))
    assert result == time_limit("eurodac_retention", event_at=date(2026, 7, 1), member_state="IT",
                                variant="applicant")


# ---------------------------------------------------------------- each category's article (finding 4)


@pytest.mark.parametrize(("kind", "on", "article"), [
    (EncounterKind.irregular_crossing, PACT_DAY, "Regulation (EU) 2024/1358, Article 22(1)"),
    (EncounterKind.illegal_stay, PACT_DAY, "Regulation (EU) 2024/1358, Article 23(1)"),
    (EncounterKind.sar_disembarkation, PACT_DAY, "Regulation (EU) 2024/1358, Article 24(1)"),
    (EncounterKind.border_crossing_point_application, PACT_DAY, "Regulation (EU) 2024/1358, Article 15(1)"),
    (None, PACT_DAY, "Regulation (EU) 2024/1358, Article 15(1)"),
    (EncounterKind.irregular_crossing, OLD_DAY, "Regulation (EU) No 603/2013, Article 14(1)"),
    (EncounterKind.sar_disembarkation, OLD_DAY, "Regulation (EU) No 603/2013, Article 14(1)"),
    (EncounterKind.illegal_stay, OLD_DAY, "Regulation (EU) No 603/2013, Article 17(1)"),
    (EncounterKind.in_territory_application, OLD_DAY, "Regulation (EU) No 603/2013, Article 9(1)"),
])
def test_biometric_data_are_taken_under_the_article_of_the_persons_category(kind, on, article):
    rule = rules.biometrics_required("1990-01-01", on, kind)
    assert rule.legal_basis == [article]
    assert rule.minimum_age == (6 if on == PACT_DAY else 14)


def test_an_illegally_staying_persons_transmission_cites_article_23_not_15():
    result = rules.transmission_deadline(datetime(2026, 7, 10, 9, tzinfo=UTC), "IT", EurodacCategory.illegal_stay)
    assert result.legal_basis[0] == "Regulation (EU) 2024/1358, Article 23(2)"
    assert not any("Article 15" in ref for ref in result.legal_basis)
