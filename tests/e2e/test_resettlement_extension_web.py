"""A state's resettlement page lets its officers extend the ordinary procedure's time limit by three
months where the case involves complex issues of fact or law (Reg. (EU) 2024/1350, Art 9(9),
second sentence), while the seven months run: the row then says so and the due date moves; a
refused extension says why next to the field and keeps what was typed; the correction form carries
the extension so a correction of something else keeps it. The test clock is 2026-11-28."""

from __future__ import annotations

import re

from tests.conftest import unlabelled_fields
from tests.e2e.test_resettlement_registration_web import STATE, _refer, _row, de  # noqa: F401

WHY = "conflicting identity documents"


def _id(row: str) -> str:
    return re.search(r'admissions/(rad_[^"/]+)"', row).group(1)


def test_an_officer_extends_a_running_ordinary_procedure_from_the_row(de):  # noqa: F811
    page = _refer(de, "DE-T1", referred_on="2026-06-01", registered_on="2026-06-10")
    row = _row(page.text, "DE-T1")
    # seven months from 10 June: 10 January 2027, a Sunday, so Monday 11 January; running on 28 November
    assert "(by 2027-01-11)" in row
    assert "Extend by 3 months (Regulation (EU) 2024/1350, Article 9(9), second sentence)" in row
    assert "may extend the ordinary procedure by 3 months" in page.text
    assert unlabelled_fields(page.text) == []
    admission = _id(row)
    # without the reason: refused next to the field, the day typed kept
    r = de.post(f"{STATE}/admissions/{admission}", data={"version": "1", "extended_on": "2026-11-20",
                                                         "extension_reason": ""})
    assert r.status_code == 422
    assert 'id="update-extension_reason-error"' in r.text and 'value="2026-11-20"' in r.text
    r = de.post(f"{STATE}/admissions/{admission}", data={"version": "1", "extended_on": "2026-11-20",
                                                         "extension_reason": WHY}, follow_redirects=True)
    assert r.status_code == 200
    row = _row(r.text, "DE-T1")
    # ten months from 10 June 2026: 10 April 2027 (a Saturday: Monday 12 April, Reg. 1182/71 Art 3(4))
    assert "(by 2027-04-12)" in row and f"extended on 2026-11-20 ({WHY})" in row
    assert "7 months, extended by 3 months" in row and "Extend by" not in row
    # the correction form shows the extension as recorded, so correcting the registration keeps it
    assert 'name="extended_on" value="2026-11-20"' in row and f'name="extension_reason" value="{WHY}"' in row
    r = de.post(f"{STATE}/admissions/{admission}/correct", data={
        "version": "2", "registered_on": "2026-06-11", "decision": "", "decided_on": "", "refusal_ground": "",
        "refusal_reason": "", "arrived_on": "", "extended_on": "2026-11-20", "extension_reason": WHY,
        "reason": "registration typed a day early"}, follow_redirects=True)
    assert r.status_code == 200
    row = _row(r.text, "DE-T1")
    assert "(by 2027-04-12)" in row and "extended on 2026-11-20" in row


def test_an_overdue_case_offers_no_extension(de):  # noqa: F811
    """The seven months ran out on 1 October: a time limit is extended while it runs (our reading)."""
    page = _refer(de, "DE-T2", registered_on="2026-03-01")
    assert "overdue" in _row(page.text, "DE-T2") and "Extend by" not in _row(page.text, "DE-T2")
