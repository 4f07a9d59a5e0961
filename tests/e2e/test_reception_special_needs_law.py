"""The screened persons with special reception needs a report shows beside its places for minors
follow the report's date: from 12 June 2026 the screening form's point (e) (Regulation (EU)
2024/1356, Article 17(1)(e)) with the recast Directive's assessment of special reception needs
(Directive (EU) 2024/1346, Article 25); before it there was no screening under that Regulation, so a
report of March 2026 does not say "0 screened" as if the screening had found no one: its counts are
null (empty in the CSV) and it cites Directive 2013/33/EU, Article 22 (the state's own assessment)."""

from __future__ import annotations

import csv
import io

from tests.e2e.test_reception_api import API, _record

NEW = "Regulation (EU) 2024/1356, Article 17(1)(e); assessment: Directive (EU) 2024/1346, Article 25"


def test_a_report_before_the_screening_regulation_applies_counts_no_screening(client, auth_headers, web_client):
    h = auth_headers("it-caseworker")
    before = _record(client, h, reported_on="2026-03-02")["special_needs"]
    assert (before["screened"], before["with_special_reception_needs"]) == (None, None)
    assert before["screening_applies"] is False and before["basis"] == "Directive 2013/33/EU, Article 22"
    assert before["minors_places"] == 300
    after = _record(client, h, reported_on="2026-11-23")["special_needs"]
    assert after["screening_applies"] is True and after["screened"] == 0 and after["basis"] == NEW
    # a week straddling 12 June 2026 counts the screenings from that day
    straddling = _record(client, h, reported_on="2026-06-14")["special_needs"]
    assert (straddling["from"], straddling["to"], straddling["screening_applies"]) == ("2026-06-12", "2026-06-14",
                                                                                       True)
    rows = {r["reported_on"]: r for r in csv.DictReader(io.StringIO(
        client.get(f"{API}/states/IT/history.csv", headers=h).text))}
    assert (rows["2026-03-02"]["screened"], rows["2026-03-02"]["with_special_reception_needs"]) == ("", "")
    assert rows["2026-11-23"]["screened"] == "0"
    page = web_client("it-caseworker").get("/reception/states/IT").text
    said = page.split('id="special-needs">', 1)[1].split("</p>", 1)[0]
    assert "(" + NEW + ")" in said  # the latest report, of 23 November
    report_id = next(r for r in client.get(f"{API}/states/IT", headers=h).json()["reports"]
                     if r["reported_on"] == "2026-03-02")["id"]
    page = web_client("it-caseworker").get(f"/reception/reports/{report_id}").text
    said = page.split('id="special-needs">', 1)[1].split("</p>", 1)[0]
    assert "No screening from 2026-02-24 to 2026-03-02" in said and "Directive 2013/33/EU, Article 22" in said
