"""The determination form's names and words: each input is named by the JSON path of the fact it
holds, a problem's location names that input, and the page says it as its labels do."""

from __future__ import annotations

import pytest

from pactum.common.errors import ValidationProblem
from pactum.web import facts_form


@pytest.mark.parametrize(("location", "name"), [
    ("facts.family_members.0.status", "family_members[0].status"),   # CaseCreate's pydantic location
    ("family_members[0].status", "family_members[0].status"),        # the engine's problems
    ("facts.application.registered_in", "application.registered_in"),  # the service's
    ("stays.2.from", "stays[2].from"),
    ("reference", "reference"),
])
def test_a_problems_location_names_the_input(location: str, name: str) -> None:
    assert facts_form.form_path(location) == name


def test_the_page_says_a_problem_with_its_labels() -> None:
    assert facts_form.describe("documents[0].valid_until") == "Document 1, Valid until"
    assert facts_form.describe("stays[1].from") == "Stay 2, From"
    assert facts_form.describe("application.registered_on") == "Application, Registered on"
    assert facts_form.describe("dependency.reason") == "Dependency, Reason"
    assert facts_form.describe("entries") == "entries"


def test_each_list_cites_the_articles_its_facts_feed_by_act() -> None:
    documents = next(s for s in facts_form.LISTS if s.key == "documents")
    assert documents.basis == ("Regulation (EU) No 604/2013, Articles 12(1), 12(2), 12(4); "
                               "Regulation (EU) 2024/1351, Articles 29(1), 29(2), 29(4)")
    assert facts_form.cited("security_threat") == "Regulation (EU) 2024/1351, Article 16(4)"


def test_checkboxes_alone_do_not_make_a_row_and_rows_are_renumbered() -> None:
    facts, blank = facts_form.facts_of_form({
        "application.registered_in": "DE", "application.registered_on": "2026-11-20",
        "family_members[0].can_take_care": "on",
        "family_members[3].relation": "spouse", "family_members[3].member_state": "NL",
        "family_members[3].status": "applicant",
        "dependency.wishes_in_writing": "on"})
    assert facts["family_members"] == [{"relation": "spouse", "member_state": "NL", "status": "applicant",
                                        "wishes_in_writing": False, "applied_together": False,
                                        "can_take_care": False}]
    assert blank["family_members"] == 1 and "dependency" not in facts


def test_a_list_longer_than_any_file_is_refused_naming_it() -> None:
    with pytest.raises(ValidationProblem) as e:
        facts_form.facts_of_form({f"stays[{i}].member_state": "AT" for i in range(facts_form.MAX_ROWS + 1)})
    assert e.value.problems[0][0] == "stays"
