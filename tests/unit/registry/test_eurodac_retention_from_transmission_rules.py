"""Under the recast Eurodac Regulation every storage period runs from the date the biometric data
were transmitted (Reg. (EU) 2024/1358 Art 29(1), (3) to (8)); under Reg. (EU) No 603/2013 from the
date the fingerprints were taken (Arts 12(1), 16(1)). The regime is that of the day the data were
taken."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.law import param
from pactum.registry import rules
from pactum.registry.model import EurodacCategory

EURODAC = "Regulation (EU) 2024/1358"


def test_a_sar_arrival_transmitted_two_days_after_the_capture_is_kept_five_years_from_the_transmission():
    # taken on Monday 20 July 2026 at Lampedusa, transmitted on Wednesday 22 July (within 72 hours)
    result = rules.retention_until(EurodacCategory.sar, date(2026, 7, 20), "IT", date(2026, 7, 22))
    assert result.ends_on == date(2031, 7, 22)  # not 20 July 2031, five years from the capture
    assert result.regime == "pact"
    assert f"{EURODAC}, Article 29(8)" in result.legal_basis
    assert any("the date the biometric data were transmitted" in step for step in result.computation)


@pytest.mark.parametrize(("category", "years", "paragraph"), [
    (EurodacCategory.applicant, 10, "1"),
    (EurodacCategory.irregular_crossing, 5, "6"),
    (EurodacCategory.illegal_stay, 5, "7"),
    (EurodacCategory.sar, 5, "8"),
])
def test_each_category_counts_from_the_transmission_citing_its_paragraph_of_article_29(category, years, paragraph):
    result = rules.retention_until(category, date(2026, 9, 1), "DE", date(2026, 9, 3))
    assert result.ends_on == date(2026 + years, 9, 3)
    assert f"{EURODAC}, Article 29({paragraph})" in result.legal_basis


@pytest.mark.parametrize(("variant", "paragraph", "years"), [
    ("applicant", "1", 10), ("union_resettlement_a", "3", 5), ("union_resettlement_bc", "4", 3),
    ("national_resettlement", "5", 5), ("irregular_crossing", "6", 5), ("illegal_stay", "7", 5),
    ("sar", "8", 5),
])
def test_every_storage_parameter_of_the_recast_says_it_runs_from_the_transmission(variant, paragraph, years):
    p = param(f"eurodac.retention.{variant}", on=date(2026, 6, 12))
    assert (p.reference.article, p.reference.paragraph) == ("29", paragraph)
    assert p.value == years
    assert "from the date the biometric data were transmitted" in p.description
    assert "taken" not in p.description


def test_under_regulation_603_2013_the_period_still_runs_from_the_taking_of_the_fingerprints():
    # an irregular crosser whose fingerprints were taken on 10 June 2026, transmitted on 12 June
    result = rules.retention_until(EurodacCategory.irregular_crossing, date(2026, 6, 10), "IT", date(2026, 6, 12))
    assert result.regime == "pre_pact"
    assert result.ends_on == date(2027, 12, 10)  # 18 months from the taking (Art 16(1))
    assert "Regulation (EU) No 603/2013, Article 16(1)" in result.legal_basis
    assert any("the date the fingerprints were taken" in step for step in result.computation)


def test_data_not_yet_transmitted_are_counted_from_the_capture_and_say_so():
    result = rules.retention_until(EurodacCategory.sar, date(2026, 7, 20), "IT")
    # the earliest end the transmission can give (it cannot come before the capture)
    assert result.ends_on == date(2031, 7, 20)
    assert result.ends_on <= rules.retention_until(EurodacCategory.sar, date(2026, 7, 20), "IT",
                                                   date(2026, 7, 20)).ends_on
    assert any("transmission of the biometric data to Eurodac is not recorded" in step
               and "moves to the day of the transmission" in step for step in result.computation)


def test_a_transmission_before_the_capture_is_refused():
    with pytest.raises(ValueError, match="before they are taken"):
        rules.retention_until(EurodacCategory.sar, date(2026, 7, 20), "IT", date(2026, 7, 19))


def test_temporary_protection_storage_runs_from_the_council_decision_not_the_transmission():
    """Reg. (EU) 2024/1358 Art 29(9), read in the Official Journal text (Italian version): one year
    from the entry into force of the Council implementing decision, extended every year for the
    duration of temporary protection (not from the transmission, unlike Art 29(1) to (8))."""
    p = param("eurodac.retention.temporary_protection", on=date(2029, 6, 12))
    assert (p.reference.article, p.reference.paragraph, p.value) == ("29", "9", 1)
    assert "Council implementing decision" in (p.description or "")
    assert "biometric data were transmitted" not in (p.description or "")


@pytest.mark.parametrize("category", [EurodacCategory.temporary_protection, EurodacCategory.union_resettlement,
                                      EurodacCategory.national_resettlement])
def test_a_category_no_encounter_records_is_refused_rather_than_counted_from_the_transmission(category):
    # Art 29(9): a beneficiary of temporary protection is stored one year from the entry into force
    # of the Council implementing decision, extended every year; counting it from the transmission
    # (as Art 29(1) to (8) do) would give a wrong end, so the registry's rule refuses it
    with pytest.raises(ValueError, match=f"does not record Eurodac data of the category '{category.value}'"):
        rules.retention_until(category, date(2026, 9, 1), "PL", date(2026, 9, 3))


def test_every_encounter_kind_records_a_category_the_registry_counts():
    from pactum.registry.model import EncounterKind
    for on in (date(2026, 6, 11), date(2026, 6, 12)):
        for kind in EncounterKind:
            category = rules.eurodac_category(kind, on)
            assert category is None or category in rules.ENCOUNTER_CATEGORIES
    assert EurodacCategory.temporary_protection not in rules.ENCOUNTER_CATEGORIES
