"""Found on the EUAA analyst's daily walk of the follow-up: a filter of the commitments list typed
wrong (a day that is none, a day after today, a status the list has no filter for) led to a bare
error page — "as_of: '2026-13-01' is not a date" — with no form to correct it and the field named
by its code. The list now stays, with its form keeping what was typed, the field in error marked and
named as the form labels it ("State on", "Status"), and says that the list below is today's."""

from __future__ import annotations

import re

import pytest

from pactum.services import followup
from pactum.services.auth import SYSTEM


@pytest.fixture
def loaded(services):
    followup.load(services, SYSTEM)
    return services


def _said(page: str, name: str, tag: str = "input") -> str:
    m = re.search(rf'<{tag}[^>]*name="{name}"[^>]*aria-invalid="true" aria-describedby="([^"]+)"', page)
    assert m, name
    said = re.search(rf'<li id="{m.group(1)}">([^<]*)</li>', page)
    assert said, m.group(1)
    return said.group(1)


def test_a_day_that_is_none_is_said_beside_the_list_s_form(loaded, web_client):
    r = web_client("euaa-analyst").get("/followup", params={"as_of": "2026-13-01", "status": "overdue"})
    assert r.status_code == 422
    assert _said(r.text, "as_of") == "State on: &#39;2026-13-01&#39; is not a date (YYYY-MM-DD)"
    assert 'name="as_of" value="2026-13-01"' in r.text
    assert 'id="commitments"' in r.text and "the list below is every commitment on" in r.text
    assert "Go to the home page" not in r.text


def test_a_day_after_today_and_an_unknown_status_are_both_named(loaded, web_client):
    r = web_client("euaa-analyst").get("/followup", params={"as_of": "2030-01-01", "status": "bogus"})
    assert r.status_code == 422
    assert "after today" in _said(r.text, "as_of") or "after today" in r.text
    assert _said(r.text, "status", tag="select").startswith("Status: &#39;bogus&#39; is not a filter")
    assert r.text.count('<tr class=') >= 10  # the list is there, every commitment


def test_a_right_filter_still_filters(loaded, web_client):
    r = web_client("euaa-analyst").get("/followup", params={"status": "completed"})
    assert r.status_code == 200 and 'aria-invalid' not in r.text
