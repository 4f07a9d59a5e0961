"""The state-of-play builder: overdue milestones, live figures or the reason they are missing,
changes since an earlier state, and the item model that history is kept in."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pactum.followup import annex_data
from pactum.followup.items import assemble, diff, items
from pactum.followup.model import Annex, Milestone
from pactum.followup.report import LiveValue, build, eur, format_value


@pytest.fixture(scope="module")
def annex() -> Annex:
    return annex_data.shipped()


def test_items_reassemble_into_the_same_annex(annex: Annex) -> None:
    parts = items(annex)
    assert assemble(list(reversed(parts))) == annex
    assert len({p.ident for p in parts}) == len(parts)


def test_nothing_is_overdue_on_the_edition_date(annex: Annex) -> None:
    sop = build(annex, date(2023, 6, 23))
    assert sop.overdue == []
    assert sop.live_shown is False
    assert all(a.live is None for row in sop.commitments for _, acts in row.groups for a in acts)


def test_milestones_fall_due_the_day_after_their_due_date(annex: Annex) -> None:
    on_due = build(annex, date(2023, 7, 19))
    after = build(annex, date(2023, 7, 20))
    assert "3.M1" not in {m.key for m in on_due.overdue}
    assert "3.M1" in {m.key for m in after.overdue}


def test_a_milestone_done_late_was_overdue_until_done() -> None:
    m = Milestone(key="x", description="d", due=date(2023, 10, 31), done_on=date(2023, 12, 1))
    assert m.overdue_on(date(2023, 11, 15))
    assert not m.overdue_on(date(2023, 12, 1))
    assert not Milestone(key="y", description="tbd").overdue_on(date(2030, 1, 1))


def test_live_figures_replace_nothing_and_say_why_when_missing(annex: Annex) -> None:
    live = {"registrations": LiveValue(indicator="registrations", as_of=date(2026, 11, 28),
                                       available=True, value=1234, area="registry")}
    sop = build(annex, date(2026, 11, 28), live=live)
    acts = {a.key: a for row in sop.commitments for _, group in row.groups for a in group}
    assert acts["3.a"].live is not None and acts["3.a"].live.display == "1 234"
    missing = acts["9.b"].live
    assert missing is not None and missing.available is False
    assert missing.display.startswith("not available:")
    assert "80 000" in acts["6.a"].text  # the text stays as written


def test_changes_since_an_earlier_state(annex: Annex) -> None:
    later = annex.model_copy(deep=True)
    later.commitments[14].milestones[0].done_on = date(2023, 10, 3)
    later.commitments[11].actions.pop()  # 12.h removed
    changes = diff(annex, later)
    assert [(c.change, c.kind, c.key, c.fields) for c in changes] == [
        ("changed", "milestone", "15.M1", ["done_on"]),
        ("removed", "action", "12.h", []),
    ]
    sop = build(later, date(2026, 11, 28), previous=annex, previous_date=date(2023, 6, 23))
    assert sop.changes == changes
    assert "15.M1" not in {m.key for m in sop.overdue}


def test_amounts_are_shown_exactly() -> None:
    assert eur(Decimal("55800000")) == "€55.8m"
    assert eur(Decimal("1783200000")) == "€1,783.2m"
    assert eur(Decimal("28400000")) == "€28.4m"
    assert eur(Decimal("950")) == "€950"
    assert format_value({"IT": 911, "CY": 676}) == "1 587 (IT 911, CY 676)"
