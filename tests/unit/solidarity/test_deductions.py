"""What a deduction request from a state the Commission's decision did not identify contains (AMMR,
Regulation (EU) 2024/1351, Arts 61(2), 62(2) and 62(3), read in the Official Journal text), from the law
tree; and Art 62's assessment and Council act cited with their paragraphs (62(4), 62(5))."""

from __future__ import annotations

from datetime import date

from pactum.law import param
from pactum.solidarity import deductions as ded

ON = date(2026, 11, 28)
AMMR = "Regulation (EU) 2024/1351"


def test_art_61_2_points_a_to_d() -> None:
    assert ded.required_items("article_61", ON) == [
        ("stabilisation", f"{AMMR}, Article 61(2)(a)"), ("replacement", f"{AMMR}, Article 61(2)(b)"),
        ("vulnerabilities", f"{AMMR}, Article 61(2)(c)"), ("migratory_pressure", f"{AMMR}, Article 61(2)(d)")]


def test_art_62_3_adds_the_significance_to_art_62_2() -> None:
    assert ded.required_items("article_62", ON) == [
        ("stabilisation", f"{AMMR}, Article 62(2)(a)"), ("replacement", f"{AMMR}, Article 62(2)(b)"),
        ("vulnerabilities", f"{AMMR}, Article 62(2)(c)"), ("capacity_reached", f"{AMMR}, Article 62(2)(d)"),
        ("significance", f"{AMMR}, Article 62(3)")]
    assert ded.substantiation_basis("article_62", ON) == [f"{AMMR}, Article 62(2)", f"{AMMR}, Article 62(3)"]


def test_each_missing_or_foreign_item_is_a_problem_of_its_own_field() -> None:
    given = {"stabilisation": "helps", "replacement": " ", "vulnerabilities": "plan", "migratory_pressure": "data",
             "significance": "not an Art 61 item"}
    assert [f for f, _ in ded.substantiation_problems("article_61", given, ON)] == [
        "substantiation.replacement", "substantiation.significance"]
    assert ded.substantiation_problems("article_61", {k: "x" for k, _ in ded.required_items("article_61", ON)},
                                       ON) == []


def test_a_request_for_the_2026_pool_made_before_the_rules_applied_reads_them_on_the_fallback_day() -> None:
    assert ded.required_items("article_61", date(2025, 11, 25)) == []
    assert len(ded.required_items("article_61", date(2025, 11, 25), fallback=date(2026, 6, 12))) == 4


def test_art_62_assessment_and_council_act_are_cited_with_their_paragraphs() -> None:
    a = param("solidarity.deduction.significant_migratory_situation.assessment_within", on=ON)
    c = param("solidarity.deduction.significant_migratory_situation.council_decision", on=ON)
    assert (a.value, a.unit, a.reference.cite(), a.unverified) == (4, "weeks", f"{AMMR}, Article 62(4)", False)
    assert (c.reference.cite(), c.unverified) == (f"{AMMR}, Article 62(5)", False)


def test_a_replacement_is_of_pledged_relocations_at_the_value_of_a_relocation() -> None:
    from pactum.solidarity import deductions as d
    from pactum.solidarity.cycle import Pledge, StateAccount, relocations_to_implement

    # Art 56(2): of equal value; Art 12(3): EUR 20,000 a relocation
    assert d.replacement_value(150, 20_000) == 3_000_000
    assert d.replacement_said(1, "alternative", 20_000) == (
        "1 pledged relocation replaced by alternative solidarity measures of EUR 20,000")
    assert d.replacement_problems(30, "financial", None, pledged_relocations=100, replaced_already=80,
                                  member_state="AT") == [
        ("replacement.relocations", "at most 20: AT pledged 100 relocations, of which 80 granted or asked to be "
                                    "replaced already")]
    assert [f for f, _ in d.replacement_problems(0, "alternative", " ", pledged_relocations=None, replaced_already=0,
                                                 member_state="AT")] == [
        "replacement.relocations", "replacement.description"]
    a = StateAccount("AT", fair_share_relocations=300, pledge=Pledge("AT", 200, 1_000_000),
                     replaced_relocations=100, replacement_financial_eur=2_000_000)
    assert a.derogated_pledge == Pledge("AT", 100, 3_000_000)
    # the same value: the pledge's relocation equivalents do not move
    assert a.derogated_pledge.equivalent_relocations(20_000) == a.pledge.equivalent_relocations(20_000) == 250
    assert relocations_to_implement(a.derogated_pledge, 0, 20_000) == 100
    a.benefitting = True
    assert a.implemented_pledge is None
