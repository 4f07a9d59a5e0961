"""The rules of the extension of the period for voluntary departure after issue (Directive
2008/115/EC Art 7(2)): what refuses it, the circumstances it rests on and its new last day."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.common.errors import ValidationProblem
from pactum.returns import extension

RUNNING = {"status": "issued", "last_day": date(2026, 10, 1), "departed_on": None, "enforced_by": None,
           "departed_elsewhere": None, "ends_on": date(2026, 10, 1), "paused": False, "on": date(2026, 9, 20)}


def test_a_running_period_can_be_extended_on_its_last_day_too() -> None:
    assert extension.refusal(**RUNNING) is None
    assert extension.refusal(**RUNNING | {"on": date(2026, 10, 1)}) is None
    assert extension.refusal(**RUNNING | {"status": "suspended", "ends_on": None, "paused": True,
                                          "on": date(2026, 12, 1)}) is None


@pytest.mark.parametrize(("change", "words"), [
    ({"on": date(2026, 10, 2)}, "ended on 2026-10-01"),
    ({"last_day": None, "ends_on": None}, "Article 7(4)"),
    ({"status": "withdrawn"}, "withdrawn"),
    ({"status": "departed", "departed_on": date(2026, 9, 5)}, "recorded on 2026-09-05"),
    ({"enforced_by": "DE"}, "DE recognised the decision and enforces it (Recommendation (EU) 2023/682)"),
    ({"departed_elsewhere": "return decision IT-1 on 2026-09-10"}, "under return decision IT-1"),
])
def test_refused_with_why(change: dict[str, object], words: str) -> None:
    why = extension.refusal(**RUNNING | change)  # type: ignore[arg-type]
    assert why is not None and words in why


def test_the_circumstances_are_those_of_article_7_2() -> None:
    assert extension.check_grounds(["School_Going_Children", "length_of_stay", "length_of_stay"]) == [
        "school_going_children", "length_of_stay"]
    with pytest.raises(ValidationProblem) as exc:
        extension.check_grounds(["length_of_stay", "risk_of_absconding"])
    assert [f for f, _ in exc.value.problems] == ["grounds.1"]
    with pytest.raises(ValidationProblem) as exc:
        extension.check_grounds([])
    assert [f for f, _ in exc.value.problems] == ["grounds"]


def test_the_new_last_day_is_later_and_within_a_year() -> None:
    kw = {"last_day": date(2026, 10, 1), "starts_on": date(2026, 9, 1), "ends_on": date(2026, 11, 10)}
    extension.check_last_day(new_last_day=date(2026, 10, 2), **kw)  # type: ignore[arg-type]
    extension.check_last_day(new_last_day=date(2027, 9, 1), **kw)  # type: ignore[arg-type]
    with pytest.raises(ValidationProblem) as exc:
        extension.check_last_day(new_last_day=date(2026, 10, 1), **kw)  # type: ignore[arg-type]
    assert exc.value.problems[0][0] == "last_day" and "moved to 2026-11-10" in exc.value.problems[0][1]
    # the time to appeal moves a period too (APR Art 68(1), (2)): the refusal does not blame suspensions alone
    assert "suspensions or the time to appeal" in exc.value.problems[0][1]
    with pytest.raises(ValidationProblem) as exc:
        extension.check_last_day(new_last_day=date(2027, 9, 2), **kw)  # type: ignore[arg-type]
    assert "2027-09-01 at the latest" in exc.value.problems[0][1]


def test_an_amended_decision_keeps_the_extended_day_only_where_it_runs_later() -> None:
    # the circumstances of Art 7(2) are the person's, not the destination's: the later day stands
    assert extension.kept_last_day(extension_last_day=date(2026, 10, 30),
                                   own_last_day=date(2026, 10, 15)) == date(2026, 10, 30)
    assert extension.kept_last_day(extension_last_day=date(2026, 10, 30), own_last_day=date(2026, 10, 30)) is None
    assert extension.kept_last_day(extension_last_day=date(2026, 10, 30), own_last_day=date(2026, 11, 19)) is None
    # none in force, or the amended decision grants no period (Art 7(4))
    assert extension.kept_last_day(extension_last_day=None, own_last_day=date(2026, 10, 15)) is None
    assert extension.kept_last_day(extension_last_day=date(2026, 10, 30), own_last_day=None) is None


def test_what_a_state_with_a_hit_is_told_names_the_alert_update_of_art_3_4() -> None:
    told = extension.told_words(issuing_member_state="IT", reference="IT-RD-1", previous=date(2026, 10, 1),
                                new=date(2026, 10, 30), ends_on=date(2026, 10, 30))
    assert told.startswith("IT extended the period for voluntary departure of return decision IT-RD-1 from "
                           "2026-10-01 to 2026-10-30 (Directive 2008/115/EC, Article 7(2)).")
    assert "Regulation (EU) 2018/1860, Article 3(4)" in told and "Article 4(1)(x)" in told
    assert "Directive 2008/115/EC, Article 8(2)" in told
    moved = extension.told_words(issuing_member_state="IT", reference="IT-RD-1", previous=date(2026, 10, 1),
                                 new=date(2026, 10, 30), ends_on=date(2026, 11, 9))
    assert "as the days it does not run (suspensions, the time to appeal) moved it, the period now ends on 2026-11-09" in moved
    paused = extension.told_words(issuing_member_state="IT", reference="IT-RD-1", previous=date(2026, 10, 1),
                                  new=date(2026, 10, 30), ends_on=None)
    assert "the decision is suspended and the period does not run meanwhile" in paused
