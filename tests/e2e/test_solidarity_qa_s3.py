"""QA walk of the solidarity area by the Commission's coordinator and a benefitting state's official
(S3, 1 December 2026). Each test failed on the old code."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

from fastapi.testclient import TestClient

from pactum.responsibility.schemas import CaseCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.solidarity.cycle import receipts
from tests.e2e.test_solidarity_web_actions import forms
from tests.problem_paths import problem_fields as _locs

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


def test_payments_and_alternative_measures_are_still_recorded_once_the_cycle_is_closed(
        services: Services, client: TestClient, auth_headers: H, web_client: W) -> None:
    """Financial contributions are not bound by the end of the pool's year (Art 60(3), first subparagraph:
    "except for the implementation of financial contributions") and agreed alternative measures are completed
    even after the implementing acts expired (Art 65(3)). Once the 2026 cycle was closed (from 1 January 2027),
    a payment made in January 2027 was refused (409 "progress is recorded during implementation") and the
    pledge page no longer offered the form."""
    from tests.e2e.test_solidarity_cycle_closing_and_next import _world

    _world(services, datetime(2027, 1, 4, 9, tzinfo=UTC))
    com = auth_headers("com-solidarity")
    cycle = client.get(f"{API}/cycles/2026", headers=com).json()
    assert client.post(f"{API}/cycles/2026/actions/close", headers=com,
                       json={"version": cycle["version"], "on": "2027-01-04"}).json()["status"] == "closed"
    page = client.get(f"{API}/cycles/2026/pledges/NL", headers=com).json()
    pledge = page["pledge"]
    assert pledge["financial_eur"] > 0 and not page.get("benefitting")
    paid = min(pledge["financial_eur"], pledge["paid_eur"] + 1_000_000)
    r = client.post(f"{API}/cycles/2026/pledges/NL/progress", headers=com,
                    json={"version": pledge["version"], "paid_eur": paid})
    assert r.status_code == 200, r.text
    assert r.json()["pledge"]["paid_eur"] == paid
    assert 'id="progress-form"' in web_client("nl-admin").get("/solidarity/pledge?year=2026").text
    # what the pool page said of a closed cycle says so too, and a need is still refused
    html = web_client("com-solidarity").get("/solidarity?year=2026").text
    assert "payments and alternative measures carried out are still recorded" in html
    r = client.post(f"{API}/cycles/2026/needs", headers=com, json={"member_state": "IT", "relocations": 1})
    assert r.status_code == 409


def test_an_application_for_which_the_benefitting_state_is_responsible_on_a_family_criterion_is_not_taken_over(
        client: TestClient, auth_headers: H, principal: Callable[[str], Principal], services: Services) -> None:
    """Art 63(8)(b): a responsibility offset applies only where the benefitting state was determined
    responsible on the criteria of Articles 29 to 33. An applicant in Germany whose spouse is protected in
    Italy (Art 26) was counted among the applications Germany could take over, and taken over."""
    from tests.e2e.test_solidarity_offsets import VOLUNTARY, _adopted_pool, _case

    _adopted_pool(client, auth_headers, VOLUNTARY)
    de_cw = principal("de-caseworker")
    entry = _case(services, de_cw, "DE-OFF-ENTRY", "2026-10-15")  # IT responsible on irregular entry, Art 33(1)
    family = responsibility.create_case(services, de_cw, CaseCreate.model_validate({
        "reference": "DE-OFF-FAMILY", "applicant_name": "Amina Haddad",
        "facts": {"application": {"registered_in": "DE", "registered_on": "2026-10-01"},
                  "family_members": [{"relation": "spouse", "member_state": "IT",
                                      "status": "beneficiary_of_protection", "wishes_in_writing": True}]}}))
    assert family["determination"]["responsible_member_state"] == "IT"
    assert "Regulation (EU) 2024/1351, Article 26" in family["determination"]["legal_basis"]
    view = client.get(f"{API}/cycles/2026/offsets", headers=auth_headers("com-solidarity")).json()
    eligible = {(e["beneficiary_member_state"], e["contributor_member_state"]): e["applications"]
                for e in view["eligible_applications"]}
    assert eligible[("IT", "DE")] == 1  # the irregular entry only
    de = auth_headers("de-admin")
    r = client.post(f"{API}/cycles/2026/offsets", headers=de, json={
        "beneficiary_member_state": "IT", "case_ids": [family["id"]], "on": "2026-11-28"})
    assert r.status_code == 422 and _locs(r) == ["case_ids[0]"]
    assert "Article 63(8)(b)" in r.json()["detail"][0]["msg"] and "family" in r.json()["detail"][0]["msg"]
    assert responsibility.get_case(services, de_cw, family["id"])["determination"]["responsible_member_state"] == "IT"
    # by count, the oldest registration (the family case, 1 October) is passed over for the entry case
    r = client.post(f"{API}/cycles/2026/offsets", headers=de,
                    json={"beneficiary_member_state": "IT", "count": 1, "on": "2026-11-28"})
    assert r.status_code == 201 and [t["reference"] for t in r.json()["taken_over"]] == ["DE-OFF-ENTRY"]
    assert responsibility.get_case(services, de_cw, entry["id"])["determination"]["responsible_member_state"] == "DE"


def test_the_deductions_section_cites_the_paragraphs_of_article_62_as_of_article_61() -> None:
    """A request under Art 62 is assessed within four weeks (Art 62(4)) and decided by the Council (Art
    62(5)), as one under Art 61 (Art 61(3), (4)): the pool page's and the pledge page's deductions sections
    cited Art 61(3) and 61(4) and then "Article 62" without its paragraphs."""
    from pactum.services.solidarity import cycle_legal_basis

    assert cycle_legal_basis(2027)["deduction"] == [
        "Regulation (EU) 2024/1351, Article 61(3)", "Regulation (EU) 2024/1351, Article 61(4)",
        "Regulation (EU) 2024/1351, Article 62(4)", "Regulation (EU) 2024/1351, Article 62(5)"]


def test_the_pool_page_says_its_equivalents_are_rounded_per_row_and_totalled_exactly(
        services: Services, client: TestClient, auth_headers: H, web_client: W) -> None:
    """On the demo world the 2026 "Equivalents" column added up to 10,354 while its total said 10,356: each
    row is rounded, the total is of the exact amounts (the CSV: 10,356.21). The page now says so."""
    from tests.e2e.test_solidarity_cycle_closing_and_next import _world

    _world(services)
    html = web_client("com-solidarity").get("/solidarity?year=2026").text
    ov = client.get(f"{API}/cycles/2026/overview", headers=auth_headers("com-solidarity")).json()
    assert ov["accounts"]["totals"]["pledged_relocation_equivalents"] % 1  # a fraction of a relocation
    said = re.search(r'<span id="equivalents-rounding">(.*?)</span>', html)
    assert said is not None and "the total is of the exact amounts" in said[1]
