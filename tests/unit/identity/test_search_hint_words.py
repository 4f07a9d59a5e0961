"""The hint an officer reads under a name-only identity search counts the records that hold the
whole name in words: "1 record holds it", "3 records hold it", never "record(s)"."""

from __future__ import annotations

from pactum.services.identity import search_hint


def test_a_name_only_search_says_how_many_records_hold_the_name() -> None:
    f = {"dob_year": None, "dob_full": None, "document": None, "names_key": "amina|diallo"}
    assert "(no record holds it)" in (search_hint(f, 0) or "")
    assert "(1 record holds it)" in (search_hint(f, 1) or "")
    assert "(3 records hold it)" in (search_hint(f, 3) or "")
