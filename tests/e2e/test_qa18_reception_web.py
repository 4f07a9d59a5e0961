"""QA walk 18, reception in the browser's HTML: a state's officer withdraws a report typed with the
wrong date from its page; the overview refuses a date it cannot show, naming the field; a state's
history and the occupancy by reporting week are offered as CSV; the platform administrator is not
offered the reception pages."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

from tests.conftest import unlabelled_fields
from tests.e2e.test_reception_web import FORM


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def _record(web, **changes: str) -> str:
    r = web.post("/reception/report", data={**FORM, **changes}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"]


def test_a_report_of_the_wrong_day_is_withdrawn_from_its_page(web_client):
    web = web_client("it-caseworker")
    _record(web, reported_on="2026-11-16")
    wrong = _record(web, reported_on="2026-11-26")  # typed 26 for 23
    report_id = wrong.rsplit("/", 1)[1]
    page = web.get(wrong)
    assert "Withdraw this report" in page.text and unlabelled_fields(page.text) == []
    assert "Withdraw this report" not in web_client("euaa-analyst").get(wrong).text

    r = web.post(f"{wrong}/withdrawal", data={"version": "1", "reason": " "}, follow_redirects=False)
    assert r.status_code == 422
    assert "Nothing was withdrawn" in r.text and "Reason for the withdrawal: required: say why the report is withdrawn" \
        in _text(r.text)
    assert web.get(wrong).status_code == 200  # still there

    r = web.post(f"{wrong}/withdrawal", data={"version": "1", "reason": "typed 26 November for 23 November"},
                 follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/reception/states/IT?withdrawn={report_id}"
    text = _text(web.get(r.headers["location"]).text)
    assert "The report of 2026-11-26 (version 1) is withdrawn" in text
    assert "Withdrawn reports" in text and "typed 26 November for 23 November" in text
    assert "Latest report: 2026-11-16" in text
    r = web.get(wrong)
    assert r.status_code == 404 and "was withdrawn" in _text(r.text)
    assert report_id not in web_client("euaa-analyst").get("/reception").text


def test_the_overview_refuses_a_day_it_cannot_show_naming_the_field(web_client):
    web = web_client("euaa-analyst")
    for day in ("2027-01-01", "2010-01-01"):
        r = web.get(f"/reception?on={day}")
        assert r.status_code == 422
        assert 'id="on-error"' in r.text and "The filters were not applied" in r.text
    r = web.get("/reception/overview.csv?on=2027-01-01")
    assert r.status_code == 422 and r.text.startswith("Reports on or before: 2027-01-01 is after today")


def test_history_and_weekly_occupancy_as_csv_from_the_pages(web_client):
    _record(web_client("it-caseworker"), reported_on="2026-11-16")
    _record(web_client("it-caseworker"))
    web = web_client("euaa-analyst")
    page = web.get("/reception/states/IT")
    assert 'href="/reception/states/IT/history.csv?threshold=0.9"' in page.text
    r = web.get("/reception/states/IT/history.csv?threshold=0.9")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert [x["reported_on"] for x in csv.DictReader(io.StringIO(r.text))] == ["2026-11-16", "2026-11-23"]
    page = web.get("/reception")
    text = _text(page.text)
    assert "EU occupancy by reporting week" in text and "2026-W48" in text
    assert 'href="/reception/series.csv?on=2026-11-28"' in page.text and unlabelled_fields(page.text) == []
    r = web.get("/reception/series.csv?on=2026-11-28")
    assert r.status_code == 200
    assert [x["week"] for x in csv.DictReader(io.StringIO(r.text))] == ["2026-W47", "2026-W48"]


def test_the_platform_administrator_is_not_offered_the_reception_pages(web_client):
    admin = web_client("eu-admin")
    assert 'href="/reception"' not in admin.get("/").text
    assert admin.get("/reception").status_code == 403
    for user in ("euaa-analyst", "com-solidarity", "auditor", "it-caseworker", "it-admin", "it-analyst"):
        assert web_client(user).get("/").text.count('href="/reception"') == 1, user
