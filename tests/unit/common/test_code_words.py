"""A code of the domain as words, the proper names as the law writes them: the pages said
"protection in another member state" and "indicated responsible in eurodac" (QA, 2026-12-02)."""

from pactum.common.text import code_words
from pactum.web.render import words


def test_proper_names_are_written_as_the_law_writes_them():
    assert code_words("protection_in_another_member_state") == "protection in another Member State"
    assert code_words("indicated_responsible_in_eurodac") == "indicated responsible in Eurodac"
    assert code_words("other_member_states") == "other Member States"
    assert code_words("eu_body") == "EU body"


def test_other_words_and_words_containing_a_name_are_left_as_they_are():
    assert code_words("interview_held") == "interview held"
    assert code_words("eurodacs_unknown") == "eurodacs unknown"  # not a whole word
    assert code_words("unaccompanied_minor") == "unaccompanied minor"
    assert code_words(None) == ""


def test_the_pages_words_filter_is_the_same_reading():
    assert words("written_preliminary_examination") == "written preliminary examination"
    assert words("protection_in_another_member_state") == code_words("protection_in_another_member_state")
