"""Reception in the browser's HTML: a state's caseworker records and corrects a week's report
through the forms (refusals said at the field, what was typed kept), the EUAA analyst reads the EU
overview and a state's history chart, a state's analyst only its own."""

from __future__ import annotations

import json
import re
from html import unescape

from tests.conftest import unlabelled_fields

FORM = {"reported_on": "2026-11-23", "period": "week", "initial_places": "500", "initial_accommodated": "495",
        "open_places": "3000", "open_accommodated": "2950", "minors_places": "120", "minors_accommodated": "130",
        "border_places": "80", "border_accommodated": "60", "detention_places": "40",
        "detention_accommodated": "10", "private_housing": "300", "waiting_list": "45",
        "contingency_plan": "in_place", "note": ""}


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def _record(web) -> str:
    r = web.post("/reception/report", data=FORM, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"]


def test_a_caseworker_records_a_week_through_the_form(web_client):
    web = web_client("it-caseworker")
    page = web.get("/reception/report")
    assert page.status_code == 200 and unlabelled_fields(page.text) == []
    location = _record(web)
    page = web.get(location)
    text = _text(page.text)
    assert "Reception report of IT on 2026-11-23" in text
    assert "97.5% occupied: 3,645 persons in 3,740 places" in text
    assert "+10 above capacity" in text  # minors: above capacity, recorded and shown
    assert "pressure" in text and "Record the correction" in text


def test_a_refused_form_says_why_at_each_field_and_keeps_what_was_typed(web_client):
    web = web_client("it-caseworker")
    r = web.post("/reception/report", data={**FORM, "open_places": "-3", "waiting_list": "lots",
                                            "note": "Lampedusa hotspot full"})
    assert r.status_code == 422
    assert 'id="open_places-error"' in r.text and "cannot be negative" in r.text
    assert 'id="waiting_list-error"' in r.text and "is not a whole number" in r.text
    assert 'value="-3"' in r.text and 'value="lots"' in r.text and "Lampedusa hotspot full" in r.text
    assert 'value="2950"' in r.text  # the other figures are kept too
    assert "Nothing was recorded" in r.text


def test_the_same_date_twice_is_refused_on_the_form(web_client):
    web = web_client("it-caseworker")
    _record(web)
    r = web.post("/reception/report", data=FORM)
    assert r.status_code == 409 and "correct that report instead" in unescape(r.text)


def test_a_correction_through_the_report_page_keeps_the_earlier_version(web_client):
    web = web_client("it-caseworker")
    location = _record(web)
    report_id = location.rsplit("/", 1)[1]
    page = web.get(location)
    assert unlabelled_fields(page.text) == []
    r = web.post(f"/reception/reports/{report_id}/correction",
                 data={**FORM, "open_accommodated": "2700", "version": "1", "reason": ""})
    assert r.status_code == 422 and 'id="reason-error"' in r.text and 'value="2700"' in r.text
    r = web.post(f"/reception/reports/{report_id}/correction",
                 data={**FORM, "open_accommodated": "2700", "version": "1", "reason": "Crotone counted twice"},
                 follow_redirects=False)
    assert r.status_code == 303
    text = _text(web.get(location).text)
    assert "version 2" in text and "Crotone counted twice" in text and "first recorded" in text
    r = web.post(f"/reception/reports/{report_id}/correction",
                 data={**FORM, "open_accommodated": "2600", "version": "1", "reason": "again"})
    assert r.status_code == 409 and "changed by someone else" in r.text and 'value="2600"' in r.text


def test_the_euaa_reads_the_overview_and_a_state_s_history_chart(web_client):
    _record(web_client("it-caseworker"))
    web = web_client("euaa-analyst")
    page = web.get("/reception")
    assert page.status_code == 200 and unlabelled_fields(page.text) == []
    text = _text(page.text)
    assert "Under pressure (at or above 90.0%)" in text and "IT" in text
    assert "FR France never reported" in text
    assert "Record a report" not in text  # an EU body reads, it does not report
    page = web.get("/reception?threshold=99")
    assert "Under pressure (at or above 99.0%)" in _text(page.text)
    page = web.get("/reception?threshold=abc&overdue_weeks=0")
    assert page.status_code == 422 and 'id="threshold-error"' in page.text and 'value="abc"' in page.text
    page = web.get("/reception/states/IT")
    assert page.status_code == 200
    spec = json.loads(unescape(re.search(r"data-spec='([^']+)'", page.text).group(1)))
    assert spec["layer"][0]["mark"]["type"] == "line"
    assert {v["series"] for v in spec["layer"][0]["data"]["values"]} >= {"Overall", "Open accommodation"}
    assert "/static/vendor/vega-lite.min.js" in page.text
    assert "Special reception needs and places for minors" in _text(page.text)


def test_a_state_s_analyst_sees_its_own_state_only(web_client):
    _record(web_client("it-caseworker"))
    web = web_client("de-analyst")
    text = _text(web.get("/reception").text)
    assert "Reception capacity and occupancy: DE" in text and "/reception/states/IT" not in web.get("/reception").text
    assert web.get("/reception/states/IT").status_code == 403
    assert web.get("/reception/report").status_code == 403  # an analyst reads, it does not record


def test_the_navigation_shows_reception_to_its_readers_only(web_client):
    assert 'href="/reception"' in web_client("euaa-analyst").get("/").text
    assert 'href="/reception"' not in web_client("it-dublin").get("/").text
