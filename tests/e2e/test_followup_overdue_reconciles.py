"""The state-of-play report's count of overdue milestones reconciles with the commitments list: the
report said "Overdue milestones: 20 … in commitments 1, 2, 3, 5, 6, 8, 11, 12, 14, 15" while the
commitments list's "Overdue milestones" column adds up to 19; the twentieth is an EU action plan's
(the Atlantic and Western Mediterranean route's Mocadem exchanges, due in July 2023), which the
summary did not name."""

from __future__ import annotations

import re
from html import unescape

import pytest

from pactum.services import followup
from pactum.services.auth import SYSTEM

ON = "2026-11-28"
PLAN = "EU Action Plan on the Atlantic and Western Mediterranean route"


def _text(html: str) -> str:
    return re.sub(r"\s+([,.;:)])", r"\1", re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))))


@pytest.fixture
def loaded(services):
    followup.load(services, SYSTEM)
    return services


def test_the_report_splits_the_overdue_milestones_as_the_lists_count_them(loaded, client, auth_headers, web_client):
    h = auth_headers("com-analyst")
    listed = client.get(f"/api/v1/followup/commitments?as_of={ON}", headers=h).json()
    in_commitments = sum(c["milestones_overdue"] for c in listed)
    plans = client.get(f"/api/v1/followup/action-plans?as_of={ON}", headers=h).json()
    report = client.get(f"/api/v1/followup/report?as_of={ON}", headers=h).json()
    assert in_commitments == 19 and len(report["overdue"]) == 20
    assert report["overdue_in_commitments"] == in_commitments
    assert report["overdue_in_plans"] == 1 and report["overdue_plans"] == [PLAN]
    assert PLAN in [p["title"] for p in plans]
    page = web_client("it-analyst").get(f"/followup/report?as_of={ON}").text
    summary = _text(re.search(r'<p id="overdue-summary">(.*?)</p>', page, re.S).group(1)).strip()
    assert summary == ("Overdue milestones: 20 (listed below, highlighted in the table): 19 in commitments "
                       f"1, 2, 3, 5, 6, 8, 11, 12, 14, 15; 1 in the {PLAN}.")


def test_a_total_of_one_funding_line_says_line(loaded, web_client):
    page = _text(web_client("it-analyst").get(f"/followup/funding?as_of={ON}&member_state=CY").text)
    assert "in 1 line." in page or "in 1 line," in page
    assert "in 1 lines" not in page


def test_the_funding_charts_say_their_bars_to_a_screen_reader(loaded, web_client):
    """The charts were named "By stage (net)" and no more: a user who does not see the drawing was
    told what it is of, not what it shows (WCAG 2.1 1.1.1)."""
    page = web_client("it-analyst").get(f"/followup/funding?as_of={ON}").text
    names = [unescape(n) for n in re.findall(r'role="img" aria-label="([^"]*)"', page)]
    assert names == [
        "By stage (net), EUR million: allocated 745.8; committed 616.4; indicative 395; disbursed 0",
        "By partner (net), EUR million: Egypt 270; Morocco 192; Tunisia 145; Albania 84; Bosnia and Herzegovina 84; "
        "Kosovo 84; Montenegro 84; North Macedonia 84; Serbia 84; Pakistan 59; Bangladesh 53; Libya 40; "
        "Nigeria 28.4; Sudan 20",
        "By commitment and stage (net), EUR million: Commitment 14 480; Commitment 11 412.4; Commitment 1 395.8; "
        "Commitment 2 215; Commitment 8 130; Commitment 12 124",
    ]
