"""Each field of a return alert is named by its point of Regulation (EU) 2018/1860 Art 4(1), read in
the text (Italian consolidated version): (a) surnames, (b) forenames, (c) names at birth, (d)
previous names and aliases, (e) place of birth, (f) date of birth, (g) gender, (h) nationalities
... (x) the last day of voluntary departure, (y) the decision suspended, (z) the entry ban on which
an alert for refusal of entry and stay rests. The place of birth was given the date of birth's
letter (f); the entry ban had no letter until 2026-12-01."""

from __future__ import annotations

from pactum.returns.alerts import FIELD_LETTERS
from pactum.services.returns import alert_field_words


def test_the_place_and_the_date_of_birth_have_their_own_points() -> None:
    assert alert_field_words("place_of_birth") == "(e) place of birth"
    assert alert_field_words("date_of_birth") == "(f) date of birth"


def test_no_two_fields_share_a_point_and_the_identity_points_run_a_to_h() -> None:
    letters = list(FIELD_LETTERS.values())
    assert len(letters) == len(set(letters))
    identity = ["surnames", "forenames", "names_at_birth", "previous_names", "place_of_birth", "date_of_birth",
                "gender", "nationalities"]
    assert [FIELD_LETTERS[f] for f in identity] == list("abcdefgh")


def test_the_entry_ban_is_point_z_the_last_of_art_4_1() -> None:
    assert alert_field_words("entry_ban") == "(z) entry ban"
    assert sorted(FIELD_LETTERS.values()) == list("abcdefghijklmnopqrstuvwxyz")
