"""Parameters of the Asylum Procedure Regulation (Reg. (EU) 2024/1348), Dublin III (Reg. (EU) No
604/2013), the Asylum Procedures Directive (Dir. 2013/32/EU) and the Return Border Procedure
Regulation (Reg. (EU) 2024/1349) checked against the Official Journal text: value, article and
paragraph are confirmed, they are no longer marked unverified, and their note names the Official
Journal. Three citations were wrong and are corrected for the whole period they cover:

- APR Art 35: paragraph 1 holds the two months of the admissibility examination (and the ten working
  days for Art 38(1)(e)), paragraph 4 the six months of the regular examination; the tree had them
  the other way round.
- Reg. 2024/1349 Art 6 is the crisis measures, not the application clause.
- Reg. 2024/1350 Art 1 is the subject matter and holds no application date."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.law import param, time_limit

PACT = date(2026, 7, 1)
APR = "Regulation (EU) 2024/1348"
DUBLIN = "Regulation (EU) No 604/2013"
APD = "Directive 2013/32/EU"
RBPR = "Regulation (EU) 2024/1349"

CHECKED = [
    ("apr.registration.time_limit", PACT, 5, "days", f"{APR}, Article 27(1)", "OJ L, 2024/1348"),
    ("apr.examination.regular", PACT, 6, "months", f"{APR}, Article 35(4)", "OJ L, 2024/1348"),
    ("apr.examination.accelerated", PACT, 3, "months", f"{APR}, Article 35(3)", "OJ L, 2024/1348"),
    ("apr.examination.admissibility", PACT, 2, "months", f"{APR}, Article 35(1)", "OJ L, 2024/1348"),
    (
        "apr.time_limits.admissibility_ground_38_1_e",
        PACT,
        10,
        "working_days",
        f"{APR}, Article 35(1)",
        "OJ L, 2024/1348",
    ),
    ("apr.border_procedure.duration", PACT, 12, "weeks", f"{APR}, Article 51(2)", "OJ L, 2024/1359"),
    (
        "apr.border_procedure.duration_after_relocation",
        PACT,
        16,
        "weeks",
        f"{APR}, Article 51(2)",
        "OJ L, 2024/1359",
    ),
    ("dublin3.detention.request", date(2026, 3, 1), 1, "months", f"{DUBLIN}, Article 28(3)", "OJ L 180"),
    ("dublin3.detention.reply", date(2026, 3, 1), 2, "weeks", f"{DUBLIN}, Article 28(3)", "OJ L 180"),
    (
        "procedures_directive.examination.regular",
        date(2025, 7, 1),
        6,
        "months",
        f"{APD}, Article 31(3)",
        "OJ L 180",
    ),
    ("return_border.max_duration", PACT, 12, "weeks", f"{RBPR}, Article 4(2)", "OJ L, 2024/1349"),
    (
        "apr.border_procedure.capacity.next_act_on",
        PACT,
        date(2027, 10, 15),
        "date",
        f"{APR}, Article 47(5)",
        "OJ L, 2024/2150",
    ),
]


@pytest.mark.parametrize(("path", "on", "value", "unit", "cite", "journal"), CHECKED)
def test_a_parameter_checked_against_the_official_journal_says_so(path, on, value, unit, cite, journal):
    p = param(path, on=on)
    assert (p.value, p.unit) == (value, unit)
    assert p.cite() == cite
    assert not p.unverified
    assert p.note is not None and journal in p.note


def test_the_regular_examination_cites_article_35_4_and_the_admissibility_one_article_35_1():
    regular = time_limit("regular_procedure", PACT, "DE")
    assert regular.legal_basis[0] == f"{APR}, Article 35(4)" and not regular.unverified
    admissibility = time_limit("admissibility_procedure", PACT, "DE")
    assert admissibility.legal_basis[0] == f"{APR}, Article 35(1)" and not admissibility.unverified
    assert admissibility.ends_on == date(2026, 9, 1)
    ground_e = time_limit("admissibility_procedure", date(2026, 9, 30), "DE", variant="ground_38_1_e")
    assert ground_e.legal_basis[0] == f"{APR}, Article 35(1)" and ground_e.ends_on == date(2026, 10, 14)
    assert not ground_e.unverified


def test_the_earlier_citations_are_corrected_for_the_whole_period():
    """A wrong citation is corrected for every day it covered, not only from today."""
    for on in (date(2026, 6, 12), date(2030, 1, 1)):
        assert param("apr.examination.regular", on=on).cite() == f"{APR}, Article 35(4)"
        assert param("apr.examination.admissibility", on=on).cite() == f"{APR}, Article 35(1)"
    for on in (date(2024, 6, 11), date(2026, 6, 12)):
        assert param("regimes.returns.pact_from", on=on).cite() == f"{RBPR}, Article 14(2)"
        # read in the text since: Art 16(1), entry into force (Art 16(2) applies only Art 9(24) later)
        assert param("resettlement.applies_from", on=on).cite() == "Regulation (EU) 2024/1350, Article 16(1)"


def test_the_return_border_procedure_never_cites_its_crisis_article_as_the_application_clause():
    for kind, variant in (("return_border_procedure", None), ("voluntary_departure", "return_border_max")):
        r = time_limit(kind, PACT, "IT", variant=variant)
        assert f"{RBPR}, Article 6" not in r.legal_basis
        assert f"{RBPR}, Article 8" not in r.legal_basis  # Art 8: guarantees in a crisis
        assert f"{RBPR}, Article 14(2)" in r.legal_basis


def test_the_corrected_application_clauses_say_where_they_were_read():
    returns = param("regimes.returns.pact_from", on=PACT)
    # read in the Official Journal text: Art 14(2); corrected from Art 8 (crisis guarantees)
    assert not returns.unverified and "Art. 8" in (returns.note or "") and "crisis" in (returns.note or "")
    resettlement = param("resettlement.applies_from", on=PACT)
    assert not resettlement.unverified and "paragraph 1, the Regulation enters into force" in (resettlement.note or "")


def test_the_return_border_stay_runs_from_the_loss_of_the_right_to_remain():
    p = param("return_border.max_duration", on=PACT)
    assert "no longer has a right to remain" in (p.description or "")
    assert "no longer have a right to remain" in (p.note or "")


def test_what_the_text_does_not_settle_stays_unverified():
    """AMMR Art 84(2) speaks of the criteria only; the Dublin III procedure for pending applications
    remains Pactum's reading, as does the cut-over day itself."""
    ammr_from = param("regimes.responsibility.ammr_from", on=PACT)
    assert ammr_from.unverified and "criteria" in (ammr_from.note or "")
    assert "OJ L, 2024/1351" in (ammr_from.note or "")
    assert param("regimes.responsibility.cutover_day_regime", on=PACT).unverified
    # Dublin III Art 28(3), third subparagraph, read in the consolidated text: six weeks
    assert not param("dublin3.detention.transfer", on=date(2026, 3, 1)).unverified
    # APR Art 69 sets no figure: the court's time limits are national law's, so they stay flagged
    for path in ("apr.appeal.decision.expedited", "apr.appeal.decision.regular"):
        assert param(path, on=PACT).unverified and "reasonable time limits" in (param(path, on=PACT).note or "")


def test_the_appeal_time_limits_are_those_of_apr_article_67_7():
    """Read in the Official Journal text (Italian): Art 67(7)(a) five to ten days, (b) two weeks to
    one month; the platform uses the upper bounds."""
    a = param("apr.appeal.time_limit.expedited", on=PACT)
    assert (a.value, a.unit, a.unverified) == (10, "days", False)
    assert a.reference.cite() == "Regulation (EU) 2024/1348, Article 67(7)(a)"
    assert "five days" in (a.note or "") and "ten days" in (a.note or "")
    b = param("apr.appeal.time_limit.regular", on=PACT)
    assert (b.value, b.unit, b.unverified) == (1, "months", False)
    assert b.reference.cite() == "Regulation (EU) 2024/1348, Article 67(7)(b)"
    t = param("apr.accelerated.recognition_rate_threshold", on=PACT)
    assert (t.value, t.unverified) == (20, False) and "20 %" in (t.note or "")


def test_the_apr_inadmissibility_citations_follow_article_38_as_read():
    """APR Art 38(1) (Official Journal text, Italian version): (c) protection granted by another
    Member State, (d) safe relocation ordered by an international criminal court, (e) an application
    made more than seven working days after a return decision; no ground for a dependant's separate
    application."""
    from pactum.procedures.workflow import INADMISSIBILITY_GROUNDS

    pact = INADMISSIBILITY_GROUNDS["pact"]
    assert pact["international_court_relocation"] == "Regulation (EU) 2024/1348, Article 38(1)(d)"
    assert pact["protection_in_another_member_state"] == "Regulation (EU) 2024/1348, Article 38(1)(c)"
    assert "dependant_separate_application" not in pact  # the Directive's Art 33(2)(e) only
    assert pact["return_decision_late_application"] == "Regulation (EU) 2024/1348, Article 38(1)(e)"
    assert "return_decision_late_application" not in INADMISSIBILITY_GROUNDS["pre_pact"]
    assert not any("unverified" in c for c in pact.values())


def test_the_pre_pact_decision_notice_cites_the_directive_without_a_mark():
    """Directive 2013/32/EU Arts 46(1) (the right to an effective remedy) and 12(1)(f) (the result
    in a language the applicant understands) were read in the consolidated text."""
    from pactum.services.decision_notice import LAW

    assert LAW["pre_pact"]["remedy"] == "Directive 2013/32/EU, Article 46(1)"
    assert LAW["pre_pact"]["language"] == "Directive 2013/32/EU, Article 12(1)(f)"


def test_apr_registration_lodging_and_capacity_read_in_the_text():
    """APR (Official Journal text, Italian version): Art 27(5) 15 days for a disproportionate number
    of applications; Art 28(1) 21 days to lodge; Art 46 30 000 places; Art 47(4) three years."""
    reg = param("apr.time_limits.registration_disproportionate_number", on=PACT)
    assert (reg.value, reg.unit, reg.unverified) == (15, "days", False)
    assert reg.reference.cite() == "Regulation (EU) 2024/1348, Article 27(5)"
    lodging = param("apr.lodging.time_limit", on=PACT)
    assert (lodging.value, lodging.unverified) == (21, False)
    assert lodging.reference.cite() == "Regulation (EU) 2024/1348, Article 28(1)"
    union = param("apr.border_procedure.capacity.union", on=PACT)
    assert (union.value, union.unverified) == (30000, False) and "30 000" in (union.note or "")
    years = param("apr.border_procedure.capacity.reference_years", on=PACT)
    assert years.reference.cite() == "Regulation (EU) 2024/1348, Article 47(4)" and not years.unverified


def test_the_return_border_procedure_applies_under_article_14_2():
    """Reg. (EU) 2024/1349 (Official Journal text, Italian version): Art 14(2) applies it from
    12 June 2026; Art 8 is the crisis provisions' specific guarantees, not the application clause."""
    p = param("regimes.returns.pact_from", on=PACT)
    assert p.value == date(2026, 6, 12) and not p.unverified
    assert p.reference.cite() == "Regulation (EU) 2024/1349, Article 14(2)"


def test_return_detention_limits_read_in_the_directive():
    """Directive 2008/115/EC Art 15(5): at most six months; Art 15(6): a further twelve at most."""
    six = param("returns.detention.max_duration", on=PACT)
    twelve = param("returns.detention.extension_max", on=PACT)
    assert (six.value, six.unit, six.unverified) == (6, "months", False) and "six months" in (six.note or "")
    assert (twelve.value, twelve.unit, twelve.unverified) == (12, "months", False)
    assert "twelve months" in (twelve.note or "")
