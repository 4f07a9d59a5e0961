"""The refusal-of-entry record as the standard form (Schengen Borders Code Annex V Part B) has it:
the reasons are the form's letters A to J, one or more; the nationality is a real country."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from pactum.procedures.refusals import REASONS, RefusalCreate, reason_texts

GOOD = {"refused_on": "2026-08-01", "border_type": "land", "border_section": "Röszke BCP",
        "nationality": "srb", "reasons": ["e", "C"]}


def test_the_form_has_ten_reasons_a_to_j() -> None:
    assert list(REASONS) == list("ABCDEFGHIJ")
    assert reason_texts(["C"]) == ["(C) has no valid visa or residence permit"]


def test_a_good_record_is_normalised() -> None:
    r = RefusalCreate.model_validate(GOOD)
    assert (r.nationality, r.reasons, r.refused_on, r.member_state) == (
        "SRB", ["C", "E"], date(2026, 8, 1), None)
    assert RefusalCreate.model_validate({**GOOD, "member_state": "GR"}).member_state == "EL"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("reasons", ["K"], "unknown reason letter ['K']: the form's reasons are A to J"),
    ("reasons", ["K", "Z"], "unknown reason letters ['K', 'Z']: the form's reasons are A to J"),
    ("reasons", [], "at least 1"),
    ("reasons", ["A", "a"], "given twice"),
    ("nationality", "XYZ", "XYZ"),
    ("border_type", "river", "'land', 'sea' or 'air'"),
    ("border_section", "   ", "name the border section"),
    ("refused_on", "yesterday", "date"),
    ("member_state", "XX", "XX"),
])
def test_each_bad_field_is_named(field: str, value: object, message: str) -> None:
    with pytest.raises(ValidationError) as e:
        RefusalCreate.model_validate({**GOOD, field: value})
    errors = e.value.errors()
    assert [err["loc"][0] for err in errors] == [field]
    assert message in errors[0]["msg"]
