"""A pledged contribution of any of the three types of Art 56(2) may be replaced by another type (AMMR Arts
61(2)(b), 62(2)(b)), of equal value (Art 56(2)) at EUR 20,000 a relocation (Art 12(3)). On the old code the
domain knew only relocations replaced by money or measures."""

from __future__ import annotations

from pactum.solidarity import deductions as d
from pactum.solidarity.cycle import Pledge, StateAccount


def test_the_value_and_what_replaces_it() -> None:
    assert d.replacement_amounts("relocations", 5, "financial", 20_000) == (100_000, 100_000)
    assert d.replacement_amounts("financial", 100_000, "relocations", 20_000) == (100_000, 5)
    assert d.replacement_amounts("alternative", 70_000, "financial", 20_000) == (70_000, 70_000)
    assert d.replacement_said(100_000, "relocations", 100_000, of="financial", replacing=5) == (
        "EUR 100,000 of pledged financial contributions replaced by 5 relocations"
    )


def test_the_problems_name_the_field_of_the_type_replaced() -> None:
    assert d.replacement_problems(
        50_000,
        "financial",
        None,
        of="alternative",
        pledged_relocations=0,
        replaced_already=0,
        member_state="AT",
        eur_per_relocation=20_000,
    ) == [
        (
            "replacement.eur",
            "AT pledged no alternative solidarity measures: only a contribution it pledged can be "
            "replaced by another type of contribution",
        )
    ]
    assert [
        f
        for f, _ in d.replacement_problems(
            None,
            "financial",
            None,
            of="financial",
            pledged_relocations=10,
            replaced_already=0,
            member_state="AT",
            eur_per_relocation=20_000,
        )
    ] == ["replacement.by", "replacement.eur"]


def test_the_pledge_as_implemented_moves_each_type() -> None:
    a = StateAccount(
        "AT",
        fair_share_relocations=300,
        pledge=Pledge("AT", 10, 1_000_000, 200_000),
        replaced_financial_eur=400_000,
        replacement_relocations=20,
    )
    assert a.derogated_pledge == Pledge("AT", 30, 600_000, 200_000)
    assert a.derogated_pledge.equivalent_relocations(20_000) == a.pledge.equivalent_relocations(20_000) == 70
