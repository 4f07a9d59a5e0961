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
    # each version's time as the rest of the site says it (it showed "2026-…T…" cut at the minute, no zone)
    assert re.search(r"<td>\d{4}-\d\d-\d\d \d\d:\d\d UTC</td><td>it-caseworker \(IT\)", web.get(location).text)
    r = web.post(f"/reception/reports/{report_id}/correction",
                 data={**FORM, "open_accommodated": "2600", "version": "1", "reason": "again"})
    assert r.status_code == 409 and 'value="2600"' in r.text
    text = _text(r.text)
    assert "changed since this page was opened (now version 2)" in text and "someone else" not in text
    assert 'name="version" value="2"' in r.text  # sent again, it corrects the version now shown


def test_the_euaa_reads_the_overview_and_a_state_s_history_chart(web_client):
    _record(web_client("it-caseworker"))
    web = web_client("euaa-analyst")
    page = web.get("/reception")
    assert page.status_code == 200 and unlabelled_fields(page.text) == []
    text = _text(page.text)
    assert "Under pressure (at or above 90.0%)" in text and "IT" in text
    assert "FR France never reported" in text
    assert "Record a report" not in text  # an EU body reads, it does not report
    page = web.get("/reception?threshold=0.99")
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


def test_the_threshold_means_the_same_on_the_pages_as_in_the_api_and_the_cli(web_client):
    """QA: ``/reception?threshold=0.85`` was read as 0.85%."""
    web = web_client("euaa-analyst")
    assert "Under pressure (at or above 85.0%)" in _text(web.get("/reception?threshold=0.85").text)
    assert "Under pressure (at or above 85.0%)" in _text(web.get("/reception?threshold=85%25").text)
    page = web.get("/reception?threshold=85")
    assert page.status_code == 422 and 'id="threshold-error"' in page.text and "for 85% give 0.85" in page.text
    _record(web_client("it-caseworker"))
    page = web.get("/reception/states/IT?threshold=0.85")
    assert page.status_code == 200 and "threshold 85.0%" in unescape(page.text)
    page = web.get("/reception/states/IT?threshold=0")
    assert page.status_code == 422 and 'id="threshold-error"' in page.text


def test_the_form_s_summary_names_fields_by_their_labels(web_client):
    web = web_client("it-caseworker")
    r = web.post("/reception/report", data={**FORM, "open_places": "-3", "reported_on": "1999-01-01"})
    assert r.status_code == 422
    summary = _text(r.text.split('id="problems"', 1)[1].split("</div>", 1)[0])
    assert "Open accommodation: places: cannot be negative" in summary
    assert "open_places" not in summary
    location = _record(web)
    r = web.post(f"{location}/correction", data={**FORM, "version": "1", "reason": "   "})
    assert r.status_code == 422
    summary = _text(r.text.split('id="problems"', 1)[1].split("</div>", 1)[0])
    assert "Reason for the correction: required" in summary


def test_a_report_before_21_july_2015_is_refused_at_its_field(web_client):
    web = web_client("it-caseworker")
    r = web.post("/reception/report", data={**FORM, "reported_on": "1999-01-01"})
    assert r.status_code == 422 and 'id="reported_on-error"' in r.text and "2015-07-21" in r.text
    assert 'value="1999-01-01"' in r.text


def test_a_report_of_june_2026_shows_the_law_of_its_date(web_client):
    web = web_client("it-caseworker")
    r = web.post("/reception/report", data={**FORM, "reported_on": "2026-06-08"}, follow_redirects=False)
    text = _text(web.get(r.headers["location"]).text)
    assert "Governing law on that date: Directive 2013/33/EU" in text
    shown = text.split("Correct this report")[0]
    # the one duty of the recast Directive dated before it applies: the contingency plan, due to
    # the Asylum Agency by 12 April 2025 (Art 32(2)); under pressure, a plan not activated is flagged
    assert "Under pressure with the contingency plan not activated" in shown
    assert "2024/1346" not in shown.replace("Directive (EU) 2024/1346, Article 32", "")
    state = _text(web.get("/reception/states/IT").text)
    assert "Directive 2013/33/EU, Article 8" in state and "2024/1348" not in state


def test_a_correction_on_the_form_keeps_what_the_form_shows(web_client):
    web = web_client("it-caseworker")
    location = _record(web)
    r = web.post(f"{location}/correction", data={**FORM, "waiting_list": "15", "note": "recounted",
                                                 "version": "1", "reason": "waiting list recounted"},
                 follow_redirects=False)
    assert r.status_code == 303
    text = _text(web.get(location).text)
    assert "3,645 persons in 3,740 places" in text and "Note: recounted" in text


def test_a_csv_file_is_imported_on_its_page_whole_or_not_at_all(web_client, services):
    from tests.e2e.test_reception_cli import _reports

    web = web_client("es-caseworker")
    assert 'href="/reception/import"' in web.get("/reception/report").text
    page = web.get("/reception/import")
    assert page.status_code == 200 and unlabelled_fields(page.text) == []
    header = "reported_on,period,open_places,open_accommodated\n2026-11-09,week,500,450\n"
    bad = f"{header}2026-11-16,week,500,-1\n2001-01-01,week,500,400\n"
    good = f"{header}2026-11-16,week,500,470\n2026-11-23,week,500,400\n"
    r = web.post("/reception/import", files={"file": ("es.csv", bad.encode(), "text/csv")})
    assert r.status_code == 422
    text = _text(r.text)
    assert "Nothing was recorded" in text and "line 3.open_accommodated: cannot be negative" in text
    assert _reports(services) == 0
    assert "2026-11-16,week,500,-1" in unescape(r.text)  # the file's text is kept for a retry
    r = web.post("/reception/import", data={"text": good})
    assert r.status_code == 200, r.text
    assert "3 reports of ES recorded" in _text(r.text) and _reports(services) == 3
    r = web.post("/reception/import", data={"text": good})
    assert r.status_code == 422 and "line 2.reported_on" in _text(r.text) and _reports(services) == 3
    r = web.post("/reception/import", data={"text": "  "})
    assert r.status_code == 422 and 'id="file-error"' in r.text
    assert web_client("euaa-analyst").get("/reception/import").status_code == 403
    assert web_client("it-analyst").post("/reception/import", data={"text": bad}).status_code == 403


def test_a_caseworker_who_is_also_an_analyst_sees_reception_once(web_client, services) -> None:
    from pactum.services import users
    from tests.conftest import principal_of

    admin = principal_of(services, "it-admin")
    target = users.user_by_username(services, admin, "it-caseworker")
    users.update_user(services, admin, target.id, users.UserUpdate(
        version=target.version, roles=["caseworker", "analyst"]))
    page = web_client("it-caseworker").get("/reception")
    assert page.status_code == 200
    menu = page.text.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    assert menu.count('href="/reception"') == 1  # one entry, though both of the page's entries let it in


def test_each_flag_badge_names_the_type_of_facility_it_is_about(web_client):
    """Two types of facility over capacity are two badges an analyst tells apart by their words
    ("over capacity: Arrival and initial reception", "… : Facilities for unaccompanied minors"),
    not two identical "over capacity" badges with the difference in a tooltip."""
    over = {**FORM, "initial_accommodated": "510"}  # 510 in 500 places, and 130 minors in 120
    r = web_client("it-caseworker").post("/reception/report", data=over, follow_redirects=False)
    assert r.status_code == 303, r.text
    for path in ("/reception", "/reception/states/IT"):
        page = web_client("euaa-analyst").get(path).text
        badges = re.findall(r'<span class="badge [a-z]+" title="[^"]*">([^<]+)</span>', page)
        assert "over capacity: Arrival and initial reception" in badges, (path, badges)
        assert "over capacity: Facilities for unaccompanied minors" in badges, (path, badges)
        assert "over capacity" not in badges and "pressure" in badges, (path, badges)


def test_the_contingency_plan_field_cites_article_32_without_an_unverified_mark(web_client) -> None:
    # Directive (EU) 2024/1346 Art 32 was read in the text: the form cites it from the rules'
    # constant, with no "unverified" left in the label
    page = web_client("it-caseworker").get("/reception/report").text
    label = page.split("<label>Contingency plan", 1)[1].split("<select", 1)[0]
    assert label.strip() == "(Directive (EU) 2024/1346, Article 32)"
