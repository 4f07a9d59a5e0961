"""The follow-up on PostgreSQL: load, a dated edit, the report for two dates, round-trip."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.services import followup
from tests.conftest import principal_of

pytestmark = pytest.mark.postgres


def test_follow_up_on_postgres(pg_services):
    editor = principal_of(pg_services, "com-analyst")
    first = followup.load(pg_services, editor)
    assert first.created > 100
    followup.update_item(pg_services, editor, "funding", "11.F8", followup.ItemEdit(
        version=1, changes={"tranches": [
            {"amount_eur": "35000000", "stage": "disbursed", "text": "first €35 million disbursement made"},
            {"amount_eur": "45000000", "stage": "disbursed", "on": "2023-12-15"},
        ]}, valid_from=date(2023, 12, 15), reason="second tranche paid"))
    june = followup.state_of_play(pg_services, date(2023, 6, 23))
    later = followup.state_of_play(pg_services, date(2026, 11, 28), since=date(2023, 6, 23))
    assert june.totals.disbursed_eur == 35_000_000
    assert later.totals.disbursed_eur == 80_000_000
    assert [(c.kind, c.key) for c in later.changes] == [("funding", "11.F8")]
    text = followup.export_text(pg_services, "csv")
    again = followup.import_text(pg_services, editor, text, "csv")
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
