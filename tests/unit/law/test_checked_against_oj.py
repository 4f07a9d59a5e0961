"""Parameters of the AMMR (Reg. (EU) 2024/1351), the Eurodac recast (Reg. (EU) 2024/1358) and the
Screening Regulation (Reg. (EU) 2024/1356) checked against the text of the Regulations: their value,
article and paragraph are confirmed, they are no longer marked unverified, and their note says
what the text provides. Eurodac's applicant transmission limit is held by Art 15(1), point (a), not
Art 15(2) (a corrected citation)."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.law import param

PACT = date(2026, 7, 1)
TEMPORARY_PROTECTION = date(2029, 7, 1)
AMMR = "Regulation (EU) 2024/1351"
EURODAC = "Regulation (EU) 2024/1358"
SCREENING = "Regulation (EU) 2024/1356"

CHECKED = [
    ("ammr.humanitarian.reply", 2, "months", f"{AMMR}, Article 35(2)", "two months"),
    ("ammr.detention.request_detained_later", 1, "weeks", f"{AMMR}, Article 45(1)", "one week"),
    ("ammr.detention.transfer", 5, "weeks", f"{AMMR}, Article 45(3)", "five weeks"),
    ("ammr.transfer.extended_imprisonment", 1, "years", f"{AMMR}, Article 46(2)", "one year"),
    ("ammr.transfer.extended_absconding", 3, "years", f"{AMMR}, Article 46(2)", "three years"),
    ("ammr.criteria.residence_document_expired_max", 3, "years", f"{AMMR}, Article 29(4)", "three years"),
    ("ammr.criteria.visa_expired_max", 18, "months", f"{AMMR}, Article 29(4)", "eighteen months"),
    ("eurodac.biometrics.minimum_age", 6, "years", f"{EURODAC}, Article 15(1)", "six years"),
    ("eurodac.biometrics.minimum_age_irregular_crossing", 6, "years", f"{EURODAC}, Article 22(1)", "six"),
    ("eurodac.biometrics.minimum_age_sar", 6, "years", f"{EURODAC}, Article 24(1)", "six"),
    ("eurodac.biometrics.minimum_age_illegal_stay", 6, "years", f"{EURODAC}, Article 23(1)", "six years"),
    ("eurodac.transmission.illegal_stay", 72, "hours", f"{EURODAC}, Article 23(2)", "72 hours"),
    (
        "eurodac.biometrics.uncertain_age_counts_as_under",
        True,
        "rule",
        f"{EURODAC}, Article 14(1)",
        "under six",
    ),
    ("eurodac.transmission.applicant", 72, "hours", f"{EURODAC}, Article 15(1)(a)", "72 hours"),
    ("eurodac.transmission.irregular_crossing", 72, "hours", f"{EURODAC}, Article 22(2)", "72 hours"),
    ("eurodac.transmission.sar", 72, "hours", f"{EURODAC}, Article 24(2)", "72 hours"),
    ("eurodac.transmission.temporary_protection", 10, "days", f"{EURODAC}, Article 26(2)", "10 days"),
    ("eurodac.marking.notification", 72, "hours", f"{EURODAC}, Article 31(1)", "72 hours"),
    ("eurodac.retention.illegal_stay", 5, "years", f"{EURODAC}, Article 29(7)", "five years"),
    ("eurodac.retention.sar", 5, "years", f"{EURODAC}, Article 29(8)", "five years"),
    ("eurodac.retention.temporary_protection", 1, "years", f"{EURODAC}, Article 29(9)", "one year"),
    ("screening.duration.border", 7, "days", f"{SCREENING}, Article 8(3)", "seven days"),
    ("screening.duration.inland", 3, "days", f"{SCREENING}, Article 8(4)", "three days"),
    ("screening.duration.border_held_over_72h", 4, "days", f"{SCREENING}, Article 8(3)", "four days"),
    ("screening.duration.held_at_border_threshold", 72, "hours", f"{SCREENING}, Article 8(3)", "72 hours"),
]


@pytest.mark.parametrize(("path", "value", "unit", "cited", "words"), CHECKED, ids=[c[0] for c in CHECKED])
def test_a_parameter_checked_against_the_text_is_no_longer_unverified(
    path: str, value: object, unit: str, cited: str, words: str
) -> None:
    # Eurodac Art 26 (temporary protection) applies from 12 June 2029 (Art 63(2))
    p = param(path, on=TEMPORARY_PROTECTION if "temporary_protection" in path else PACT)
    assert (p.value, p.unit) == (value, unit)
    assert p.cite() == cited
    assert not p.unverified
    assert p.note and "Checked against the text of the Regulation" in p.note and words in p.note


def test_the_applicant_transmission_limit_cites_article_15_1_a_not_15_2() -> None:
    p = param("eurodac.transmission.applicant", on=PACT)
    assert (p.reference.article, p.reference.paragraph, p.reference.point) == ("15", "1", "a")
    assert "Corrected from Art. 15(2)" in (p.note or "")


@pytest.mark.parametrize(
    "path",
    [
        "ammr.reexamination.request",
        "ammr.reexamination.reply",
        "solidarity.offsets.procedure",
    ],
)
def test_a_clause_the_copies_of_the_text_did_not_reach_stays_unverified(path: str) -> None:
    p = param(path, on=PACT)
    assert p.unverified and p.note


def test_temporary_protection_data_are_kept_from_the_council_decision_not_the_transmission() -> None:
    """Reg. (EU) 2024/1358 Art 29(9): one year from the entry into force of the Council implementing
    decision on temporary protection (extended yearly), unlike Art 29(1) to (8)."""
    from pactum.law import time_limit

    r = time_limit("eurodac_retention", TEMPORARY_PROTECTION, "DE", variant="temporary_protection")
    assert r.legal_basis[0] == f"{EURODAC}, Article 29(9)"
    assert "Council implementing decision" in " ".join(r.computation)
    assert "biometric data were transmitted" not in " ".join(r.computation)


@pytest.mark.parametrize("kind", ["eurodac_transmission", "eurodac_retention"])
def test_temporary_protection_in_eurodac_applies_only_from_12_june_2029(kind: str) -> None:
    """Reg. (EU) 2024/1358 Art 63(2), second subparagraph: Art 26 (beneficiaries of temporary
    protection) applies from 12 June 2029, three years after the rest of the Regulation; before it
    no time limit on those data exists, and the calculator says so instead of computing one."""
    from pactum.common.errors import ValidationProblem
    from pactum.law import time_limit

    with pytest.raises(ValidationProblem) as refused:
        time_limit(kind, date(2029, 6, 11), "DE", variant="temporary_protection")
    assert refused.value.problems == [("event_at", f"no rule on the {kind.replace('_', ' ')} time limit is in "
                                                   "force on 2029-06-11")]
    assert time_limit(kind, date(2029, 6, 12), "DE", variant="temporary_protection").regime == "pact"
