"""QA walk of the solidarity area by the Commission's coordinator and a benefitting state's official
(S3, 1 December 2026). Each test failed on the old code."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient

from pactum.services.bootstrap import Services
from pactum.solidarity.cycle import receipts
from tests.e2e.test_solidarity_web_actions import forms

API = "/api/v1/solidarity"
W = Callable[[str], TestClient]
H = Callable[[str], dict[str, str]]


def _proposed_year(html: str) -> str:
    m = re.search(r'<input name="year" type="number" min="2026" value="(\d+)"', html)
    assert m is not None, "no year proposed"
    return m[1]


def test_the_open_a_cycle_form_proposes_a_year_that_can_be_opened_and_is_not_offered_when_none_can(
        services: Services, web_client: W, client: TestClient, auth_headers: H) -> None:
    """On 28 November 2026 a cycle is opened for 2026 or 2027 only (422 "use 2026 to 2027" otherwise).
    The form proposed the year after the latest cycle: 2028 once the 2027 cycle was opened, a year the
    service refuses; and it proposed 2028 too when only 2027 had a cycle, though 2026 had none."""
    com = web_client("com-solidarity")
    headers = auth_headers("com-solidarity")
    assert client.post(f"{API}/cycles", headers=headers, json={"year": 2027, "proposal_on": "2026-10-15"}
                       ).status_code == 201
    html = com.get("/solidarity").text
    assert _proposed_year(html) == "2026"  # the year without a cycle, not 2028
    assert client.post(f"{API}/cycles", headers=headers, json={"year": 2026, "proposal_on": "2025-11-11"}
                       ).status_code == 201
    for page in ("/solidarity?year=2026", "/solidarity?year=2027"):
        html = com.get(page).text
        assert "cycle-create-form" not in forms(html) and 'name="year" type="number"' not in html
        said = re.search(r'<p id="cycle-create-none">(.*?)</p>', html, re.S)
        assert said is not None
        assert said[1].startswith("Every year for which a cycle can be opened today (2026 to 2027) has its cycle: "
                                  "the 2028 cycle is opened from 1 January 2027")
    # what the form would have proposed is refused by the service
    r = client.post(f"{API}/cycles", headers=headers, json={"year": 2028, "proposal_on": "2026-11-20"})
    assert r.status_code == 422 and "use 2026 to 2027" in r.text


def test_what_a_benefitting_state_receives_cites_article_64_for_the_financial_contributions() -> None:
    """Financial contributions are transfers from the contributing states to the Union budget, used for the
    pool's actions (Art 64(1)): that is why they are not attributed to a beneficiary. The line cited the
    relocation equivalent's parameter (Art 12(3)), which says nothing of where the money goes."""
    got = receipts("IT", designation="under_pressure", need=None, need_financial_eur=None, sar_earmark=None,
                   distributions=[], preferred_by=set(), transfers={}, overdue=0, offsets=[],
                   pool_financial_pledged_eur=1_000_000, pool_financial_paid_eur=0, on=date(2026, 11, 28))
    assert got is not None
    assert got["financial"]["legal_basis"] == ["Regulation (EU) 2024/1351, Article 64(1)"]
