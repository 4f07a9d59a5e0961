"""Found on the auditor's daily walk of the audit log and the reads of personal data: a day typed
wrong was said as "since: '2026-13-01' is not a day" — the field's code, not its label "From" — the
field itself was not marked in error, and the page went on to count "0 entries from 2026-13-01", a
count of a search it never made. A range the wrong way round said "is before since". Now the
message names the field as the form does, the field is marked (aria-invalid, described by the
message), no count is given for a refused search, and the days say they are UTC days."""

from __future__ import annotations

import re

import pytest


def _described(page: str, name: str) -> str:
    m = re.search(rf'<input type="date" name="{name}"[^>]*aria-invalid="true" aria-describedby="([^"]+)"', page)
    assert m, name
    said = re.search(rf'<li id="{m.group(1)}">([^<]*)</li>', page)
    assert said, m.group(1)
    return said.group(1)


@pytest.mark.parametrize("page", ["/audit", "/audit/reads"])
def test_a_day_typed_wrong_is_said_by_its_label_and_marked(web_client, page):
    r = web_client("auditor").get(page, params={"since": "2026-13-01"})
    assert r.status_code == 422
    assert _described(r.text, "since") == "From: &#39;2026-13-01&#39; is not a day YYYY-MM-DD"
    assert "since:" not in r.text
    assert "0 entries" not in r.text and "No entry" not in r.text
    assert "From (UTC day)" in r.text and "To (UTC day)" in r.text


@pytest.mark.parametrize("page", ["/audit", "/audit/reads"])
def test_a_range_the_wrong_way_round_marks_to_and_says_why(web_client, page):
    r = web_client("auditor").get(page, params={"since": "2026-12-05", "until": "2026-12-01"})
    assert r.status_code == 422
    assert _described(r.text, "until") == "To: 2026-12-01 is before the first day asked (2026-12-05)"
    assert 'name="since" value="2026-12-05">' in r.text  # the day that is right is not marked
    assert "0 entries" not in r.text


def test_the_export_names_the_field_by_its_label_too(web_client):
    r = web_client("auditor").get("/audit.csv", params={"until": "2026-12-01", "since": "2026-12-05"})
    assert r.status_code == 422 and r.text == "To: 2026-12-01 is before the first day asked (2026-12-05)\n"
