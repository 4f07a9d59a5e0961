"""The refusal-of-entry record as the standard form (Schengen Borders Code Annex V Part B) has it:
the reasons are the form's letters A to I, one or more; the nationality is a real country."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from pactum.procedures.refusals import REASONS, RefusalCreate, reason_texts

GOOD = {"refused_on": "2026-08-01", "border_type": "land", "border_section": "Röszke BCP",
        "nationality": "srb", "reasons": ["e", "C"]}


def test_the_form_has_nine_reasons_a_to_i() -> None:
    assert list(REASONS) == list("ABCDEFGHI")
    assert reason_texts(["C"]) == ["(C) has no valid visa or residence permit"]


def test_a_good_record_is_normalised() -> None:
    r = RefusalCreate.model_validate(GOOD)
    assert (r.nationality, r.reasons, r.refused_on, r.member_state) == (
        "SRB", ["C", "E"], date(2026, 8, 1), None)
    assert RefusalCreate.model_validate({**GOOD, "member_state": "GR"}).member_state == "EL"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("reasons", ["K"], "unknown reason letter ['K']: the form's reasons are A to I"),
    ("reasons", ["K", "Z"], "unknown reason letters ['K', 'Z']: the form's reasons are A to I"),
    # the standard form of Annex V Part B (consolidated text of 12 October 2025) has no (J)
    ("reasons", ["C", "J"], "unknown reason letter ['J']: the form's reasons are A to I (Regulation (EU) 2016/399"),
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


def test_the_reasons_are_the_forms_letters_a_to_i_in_its_words() -> None:
    """Annex V Part B of Regulation (EU) 2016/399 as consolidated on 12 October 2025 (Italian text):
    (F) the *previous* 180-day period on the territory of the Member States of the European Union,
    (G) means of subsistence *in relation to* the period and form of stay, (I) the international
    relations of *one of* the Member States of the European Union; and no (J)."""
    from pactum.procedures.refusals import REASONS, reason_text, reason_texts

    assert list(REASONS) == list("ABCDEFGHI")
    assert REASONS["F"] == ("has already stayed for 90 days during the previous 180-day period on the territory of "
                            "the Member States of the European Union")
    assert REASONS["G"].startswith("does not have sufficient means of subsistence in relation to the period")
    assert REASONS["I"].endswith("international relations of one of the Member States of the European Union")
    # a refusal recorded before with the letter J keeps it, and its text says it is not on the form
    assert "Annex V Part B lists (A) to (I)" in reason_text("J")
    assert reason_texts(["C", "J"])[1].startswith("(J) has no valid travel authorisation (recorded with a letter")
