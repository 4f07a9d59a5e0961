"""Found on the daily walk: the reception overview refused a bad date and a bad threshold but kept
quiet about a number of weeks out of range typed with them (``overdue_weeks=-1``): the officer
corrected two fields, sent again, and only then heard of the third. Every field in error is now
named at once. A state's page, whose one filter is the threshold, answered a date it does not take
(``?on=2026-13-01``) with a 422 that said nothing: it now refuses only what it asks for, and says why."""

from __future__ import annotations


def test_every_filter_in_error_is_named_at_once(web_client):
    r = web_client("el-caseworker").get("/reception", params={"on": "2026-13-01", "threshold": "abc",
                                                               "overdue_weeks": "-1"})
    assert r.status_code == 422
    for field in ("on", "threshold", "overdue_weeks"):
        assert f'aria-describedby="{field}-error"' in r.text, field
    assert "must be a whole number of weeks from 1 to" in r.text
    assert 'value="-1"' in r.text


def test_a_number_of_weeks_in_range_beside_a_bad_date_is_not_refused(web_client):
    r = web_client("el-caseworker").get("/reception", params={"on": "2026-13-01", "overdue_weeks": "3"})
    assert r.status_code == 422
    assert 'aria-describedby="on-error"' in r.text and 'aria-describedby="overdue_weeks-error"' not in r.text


def test_a_state_s_page_refuses_only_its_threshold_and_names_it(web_client):
    officer = web_client("el-caseworker")
    assert officer.get("/reception/states/EL", params={"on": "2026-13-01", "overdue_weeks": "-1"}).status_code == 200
    r = officer.get("/reception/states/EL", params={"on": "2026-13-01", "threshold": "abc"})
    assert r.status_code == 422
    assert 'aria-describedby="threshold-error"' in r.text and "&#39;abc&#39; is not a number" in r.text
