"""FD-19: the follow-up on a day long after the annex says first that nothing was recorded since
(the statuses are the annex's, not the day's), flags each item by the age of its information, and
says a Live figure is computed today, not part of the old text beside it."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from typing import Any

import pytest

from pactum.followup.report import INFORMATION_OLD_AFTER_MONTHS, information_age, update_banner
from pactum.services import followup
from pactum.services.auth import SYSTEM

EDITOR = "com-analyst"
NO_UPDATE = ("No update recorded since the annex of 23 June 2023: every status and state of play below is the "
             "annex's of 23 June 2023 (41 months old on 2026-11-28), not the situation on 2026-11-28.")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def loaded(services):
    followup.load(services, SYSTEM)
    return services


def test_the_commitments_page_says_nothing_was_recorded_since_the_annex(loaded, web_client):
    page = web_client("it-caseworker").get("/followup").text
    assert 'id="update-banner"' in page
    assert NO_UPDATE in _text(page)
    # each row: its date and its age, flagged as old
    ages = re.findall(r'<small class="([^"]*) information-age">([^<]*)</small>', page)
    assert len(ages) == len(followup.commitments(loaded)) and ages
    assert all(cls == "badge warn" and text == "41 months old on 2026-11-28" for cls, text in ages)
    assert followup.commitments(loaded)[0].information_age.old is True


def test_the_commitment_page_carries_the_banner_and_each_item_s_age(loaded, web_client):
    page = web_client("it-caseworker").get("/followup/commitments/9").text
    assert NO_UPDATE in _text(page)
    assert page.count("41 months old on 2026-11-28") >= len(followup.commitment(loaded, 9).actions)
    assert "not part of the text above" in _text(page)


def test_after_an_update_the_banner_names_its_day_and_only_older_items_are_flagged(loaded, web_client):
    c = web_client(EDITOR)
    version = str(followup.item_view(loaded, "action", "9.b")["version"])
    r = c.post("/followup/items/action/9.b/edit", data={"version": version, "status": "completed",
                                                       "valid_from": "2026-11-02"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    status = followup.update_status(loaded)
    assert (status.edition_as_of, status.last_update) == (date(2023, 6, 23), date(2026, 11, 2))
    page = _text(c.get("/followup").text)
    assert ("Last update recorded on 2 November 2026. Where nothing was recorded since the annex of 23 June 2023, "
            "the status and state of play shown are the annex's of 23 June 2023, not the situation on 2026-11-28") in page
    assert "less than a month old on 2026-11-28" in page  # commitment 9, updated on 2 November
    rows = {r.number: r.information_age for r in followup.commitments(loaded)}
    assert rows[9] is not None and not rows[9].old and rows[1] is not None and rows[1].old


def test_on_the_annex_s_own_date_there_is_no_banner(loaded, web_client):
    page = web_client("it-caseworker").get("/followup", params={"as_of": "2023-06-23"}).text
    assert 'id="update-banner"' not in page
    assert followup.update_status(loaded, date(2023, 6, 23)).banner is None


def test_a_live_figure_says_it_is_computed_today(loaded, web_client, monkeypatch):
    computed = followup.live_values

    def available(conn: Any, annex: Any, on: date) -> dict[str, Any]:
        return {name: live.model_copy(update={"available": True, "value": 4050, "reason": None})
                for name, live in computed(conn, annex, on).items()}

    monkeypatch.setattr(followup, "live_values", available)
    page = _text(web_client(EDITOR).get("/followup/report").text)
    assert "Live on 2026-11-28: 4,050" in page
    assert "computed today from Pactum's records, not part of the text beside it (as of 23 June 2023)" in page
    past = _text(web_client(EDITOR).get("/followup/report", params={"as_of": "2025-01-10"}).text)
    assert "computed on 2026-11-28 from Pactum's records" in past


def test_information_age_and_banner_rules():
    assert INFORMATION_OLD_AFTER_MONTHS == 6
    assert information_age(date(2023, 6, 23), date(2026, 11, 30)).months == 41
    assert information_age(date(2026, 5, 30), date(2026, 11, 29)).old is False  # 5 months
    assert information_age(date(2026, 5, 1), date(2026, 11, 30)).old is False  # 6 months: not more than 6
    assert information_age(date(2026, 4, 30), date(2026, 11, 30)).old is True  # 7 months
    assert information_age(date(2026, 11, 2), date(2026, 11, 28)).text == "less than a month old on 2026-11-28"
    assert update_banner(date(2023, 6, 23), date(2023, 6, 23), date(2023, 6, 23)) is None
