"""Parameters checked on 2026-12-01 against the texts of the older acts (Directives 2013/32/EU and
2013/33/EU, Commission Regulation (EC) No 1560/2003, Regulation (EU) 2018/1860) and of the Pact
instruments (Directive (EU) 2024/1346, Regulations (EU) 2024/1349 and 2024/1351), read in their
Italian versions: a confirmed value is no longer marked unverified and its note says what the text
provides; a value or citation the text contradicts is corrected and says so; a parameter the texts
read could not settle stays marked."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.law import param

D32 = "Directive 2013/32/EU"
D33 = "Directive 2013/33/EU"
RCD = "Directive (EU) 2024/1346"
IMPL = "Commission Regulation (EC) No 1560/2003"
AMMR = "Regulation (EU) 2024/1351"
RBPR = "Regulation (EU) 2024/1349"
BEFORE = date(2025, 1, 10)
PACT = date(2026, 7, 1)

CHECKED = [
    ("procedures_directive.registration.time_limit", BEFORE, 3, "working_days", f"{D32}, Article 6(1)",
     "three working days"),
    ("procedures_directive.time_limits.registration_other_authority", BEFORE, 6, "working_days",
     f"{D32}, Article 6(1)", "six working days"),
    ("procedures_directive.time_limits.registration_disproportionate_number", BEFORE, 10, "working_days",
     f"{D32}, Article 6(5)", "ten working"),
    ("procedures_directive.examination.accelerated", BEFORE, 6, "months", f"{D32}, Article 31(3)",
     "without\nprejudice to paragraphs 3 to 5"),
    ("procedures_directive.border_procedure.duration", BEFORE, 4, "weeks", f"{D32}, Article 43(2)",
     "four weeks"),
    ("dublin3.reexamination.request", BEFORE, 3, "weeks", f"{IMPL}, Article 5(2)", "three weeks"),
    ("dublin3.reexamination.reply", BEFORE, 2, "weeks", f"{IMPL}, Article 5(2)", "two weeks"),
    ("return_border.voluntary_departure.max", PACT, 15, "days", f"{RBPR}, Article 4(5)", "15 days"),
    ("ammr.responsibility_definitions.minor_age", PACT, 18, "years", f"{AMMR}, Article 2(10)", "age of 18"),
    ("reception.pact_from", PACT, date(2026, 6, 12), "date", f"{RCD}, Article 35", "12 June 2026"),
    ("reception.contingency_plan.first_due", PACT, date(2025, 4, 12), "date", f"{RCD}, Article 32(2)",
     "12 April 2025"),
    ("reception.reports_from", PACT, date(2015, 7, 21), "date", f"{D33}, Article 32", "21 July 2015"),
]


@pytest.mark.parametrize(("path", "on", "value", "unit", "cited", "words"), CHECKED, ids=[c[0] for c in CHECKED])
def test_a_parameter_read_in_the_text_is_no_longer_unverified(
        path: str, on: date, value: object, unit: str, cited: str, words: str) -> None:
    p = param(path, on=on)
    assert (p.value, p.unit) == (value, unit)
    assert p.cite() == cited
    assert not p.unverified
    note = " ".join((p.note or "").split())
    assert "Checked against" in note or "Read in the same" in note
    assert " ".join(words.split()) in note
    assert "d5p2rnkdz9-hub/SOSPATTO" in note or "ext-reg-2003-1560.html" in note


def test_the_minor_is_defined_in_article_2_point_10_of_the_ammr_not_point_11() -> None:
    """Point (11) of AMMR Art 2 defines the unaccompanied minor; the minor (below 18) is point (10)."""
    p = param("ammr.responsibility_definitions.minor_age", on=PACT)
    assert (p.reference.article, p.reference.point) == ("2", "10")
    assert "Corrected 2026-12-01 from Art. 2 point 11" in (p.note or "")


def test_the_contingency_plan_is_due_to_the_asylum_agency_by_12_april_2025() -> None:
    """Directive (EU) 2024/1346 Art 32(2) sets a date of its own, before the Directive applies."""
    p = param("reception.contingency_plan.first_due", on=date(2024, 7, 1))
    assert p.value == date(2025, 4, 12) and p.value < param("reception.pact_from", on=PACT).value
    assert "Corrected 2026-12-01 from 12 June 2026" in (p.note or "")


def test_a_sis_return_alert_has_the_26_fields_of_points_a_to_z() -> None:
    """Regulation (EU) 2018/1860 Art 4(1) runs to point (z) (the entry-ban indication); the date the
    renewed SIS started operating is still recalled, so the parameter stays marked."""
    p = param("returns.sis.alert_fields", on=date(2026, 11, 28))
    assert (p.value, p.unit, p.cite()) == (26, "fields", "Regulation (EU) 2018/1860, Article 4(1)")
    assert p.unverified and "Corrected 2026-12-01 from 25 fields" in (p.note or "")


@pytest.mark.parametrize(
    ("path", "on", "read"),
    [
        # Art 31 governs the examination procedure; admissibility (Arts 33-34) sets no limit of its own
        ("procedures_directive.examination.admissibility", BEFORE, "Arts 33 and 34"),
        # Art 46(4) requires "reasonable time limits" without a figure: the values are platform defaults
        ("procedures_directive.appeal.time_limit.expedited", BEFORE, "Art 46(4)"),
        ("procedures_directive.appeal.time_limit.regular", BEFORE, "Art 46(4)"),
        # the Decision and the Implementing Regulation are not among the texts republished
        ("apr.border_capacity_decision.IT", PACT, "2024/2150 is not among the"),
        ("ammr.reexamination.request", PACT, "2025/2055 is not among the"),
        ("borders_code.refusal_of_entry.form_from", date(2007, 1, 1), "maps Art. 40"),
    ],
)
def test_a_value_the_texts_read_do_not_settle_stays_marked_and_says_what_was_read(
        path: str, on: date, read: str) -> None:
    p = param(path, on=on)
    assert p.unverified
    assert read in " ".join((p.note or "").split())
