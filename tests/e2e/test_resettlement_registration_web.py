"""A state's resettlement page shows the day each person was registered by the state and the
decision's due date counted from it (Reg. (EU) 2024/1350, Art 9(3), (9)); a person not registered
yet reads "awaiting registration" with a form to record the day; a refused registration says why
next to the field."""

from __future__ import annotations

import re

import pytest

from tests.conftest import unlabelled_fields

STATE = "/resettlement/plans/2026-2027/states/DE"


@pytest.fixture
def de(web_client):
    com = web_client("com-solidarity")
    assert com.post("/api/v1/resettlement/load").status_code == 200
    de = web_client("de-admin")
    r = de.post(f"{STATE}/pledge", data={"rows": "3", "category_0": "resettlement", "places_0": "5"},
                follow_redirects=False)
    assert r.status_code == 303
    return de


def _refer(client, ref: str, **fields: str):
    return client.post(f"{STATE}/admissions", data={
        "case_reference": ref, "nationality": "SYR", "first_asylum": "TUR", "category": "resettlement",
        "procedure": "ordinary", "referred_on": "2026-01-10", **fields}, follow_redirects=True)


def _row(page: str, ref: str) -> str:
    m = re.search(rf'<tr id="case-{ref}">(.*?)</tr>', page, re.S)
    assert m, ref
    return m.group(1)


def test_the_page_shows_the_registration_and_the_due_date_counted_from_it(de):
    page = _refer(de, "DE-W1", registered_on="2026-03-01")
    assert page.status_code == 200
    row = _row(page.text, "DE-W1")
    assert "<td>2026-03-01</td>" in row and "(by 2026-10-01)" in row and "overdue" in row
    assert "2026-08-10" not in page.text  # seven months from the referral: no longer the due date
    overdue = page.text.split('id="overdue"', 1)[1].split("</section>", 1)[0]
    assert "<td>2026-03-01</td>" in overdue and "2026-10-01" in overdue
    assert "counted from the day the state registered the person" in overdue
    assert unlabelled_fields(page.text) == []


def test_a_person_not_registered_awaits_registration_and_is_registered_from_the_page(de):
    page = _refer(de, "DE-W2")
    row = _row(page.text, "DE-W2")
    assert "awaiting registration" in row and "not recorded" in row and "(by " not in row
    assert 'id="none-overdue"' in page.text
    assert "Record the registration" in row and unlabelled_fields(page.text) == []
    admission_id = re.search(r'admissions/(rad_[^"/]+)"', row).group(1)
    # before the referral: refused next to the field, with what was typed
    r = de.post(f"{STATE}/admissions/{admission_id}", data={"version": "1", "registered_on": "2026-01-05"})
    assert r.status_code == 422
    assert 'id="update-registered_on-error"' in r.text and "is before the referral (2026-01-10)" in r.text
    assert 'value="2026-01-05"' in r.text
    r = de.post(f"{STATE}/admissions/{admission_id}", data={"version": "1", "registered_on": "2026-03-01"},
                follow_redirects=True)
    assert r.status_code == 200
    row = _row(r.text, "DE-W2")
    assert "<td>2026-03-01</td>" in row and "(by 2026-10-01)" in row and "Record the registration" not in row
    # the registration recorded in error is corrected from the row, with a reason
    assert 'name="registered_on" value="2026-03-01"' in row
    r = de.post(f"{STATE}/admissions/{admission_id}/correct", data={
        "version": "2", "registered_on": "2026-05-04", "decision": "", "reason": "Misdated"}, follow_redirects=True)
    assert r.status_code == 200 and "(by 2026-12-04)" in _row(r.text, "DE-W2")


def test_a_registration_in_the_future_is_refused_on_the_referral_form(de):
    r = _refer(de, "DE-W3", registered_on="2026-12-01")
    assert r.status_code == 422
    assert 'id="admission-registered_on-error"' in r.text and "is after today (2026-11-28)" in r.text
    assert "Registered by the state on: 2026-12-01 is after today" in r.text
