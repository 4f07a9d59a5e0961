"""Directive 2008/115/EC Art 12(3): the standard form is for a person who entered illegally and
did not later obtain an authorisation or a right to stay; ISO 639 codes for the language."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.common.languages import language
from pactum.returns.translation import EntryFacts, EntryRecord, entry_words, standard_form_refusal


def test_an_irregular_crossing_alone_does_not_refuse_the_standard_form() -> None:
    facts = EntryFacts(illegal_entry=[EntryRecord("apprehended crossing the external border irregularly",
                                                  date(2026, 6, 20))])
    assert standard_form_refusal(facts) is None
    assert entry_words(facts) == ("illegal entry recorded: apprehended crossing the external border irregularly "
                                  "(2026-06-20)")


def test_no_record_of_the_entry_is_said_not_assumed() -> None:
    assert standard_form_refusal(EntryFacts()) is None
    assert entry_words(EntryFacts()).startswith("the records do not show how the person entered")


def test_a_right_to_stay_obtained_after_an_illegal_entry_refuses_it() -> None:
    facts = EntryFacts(illegal_entry=[EntryRecord("Eurodac: apprehended in connection with an irregular crossing")],
                       right_to_stay=[EntryRecord("Eurodac: temporary protection", date(2026, 7, 1))])
    refusal = standard_form_refusal(facts)
    assert refusal is not None and "obtained a right to stay: Eurodac: temporary protection (2026-07-01)" in refusal


def test_a_lawful_entry_refuses_it() -> None:
    refusal = standard_form_refusal(EntryFacts(lawful_entry=[EntryRecord("Eurodac: admitted by resettlement")]))
    assert refusal is not None and "did not enter illegally: Eurodac: admitted by resettlement" in refusal


@pytest.mark.parametrize(("code", "alpha3"), [("ti", "tir"), ("TIR", "tir"), ("prs", "prs"), ("fre", "fra")])
def test_a_language_is_kept_by_its_iso_639_3_code(code: str, alpha3: str) -> None:
    assert language(code).alpha3 == alpha3


@pytest.mark.parametrize("code", ["und", "mul", "zxx", "qaa", "xx", "", "Tigrinya"])
def test_codes_that_name_no_language_are_refused(code: str) -> None:
    with pytest.raises(ValueError):
        language(code)
