"""A Member State's analyst (demo login ``it-analyst``): every page the navigation offers opens, the
state's solidarity account is read without the coordinator's forms, and acting on it is refused.
Before, a state analyst's "Solidarity pool" link led to "Not allowed", and the demo world had no
state analyst to see the state-scoped weekly report with."""

from __future__ import annotations

import re

from pactum.common.states import MEMBER_STATES
from pactum.scenario.steps.registry import DEMO_USERS
from pactum.services.auth import Role


def test_each_demo_state_has_an_analyst() -> None:
    analysts = {authority for username, authority, roles, _ in DEMO_USERS if roles == [Role.analyst]
                and authority in MEMBER_STATES and username == f"{authority.lower()}-analyst"}
    caseworkers = {authority for username, authority, _, _ in DEMO_USERS if username.endswith("-caseworker")}
    assert analysts == caseworkers and "IT" in analysts


def test_every_page_of_the_state_analysts_navigation_opens(web_client, demo_world) -> None:
    from datetime import date

    demo_world(scale="0.02", seed=5, end=date(2026, 11, 28))
    it = web_client("it-analyst")
    home = it.get("/").text
    links = sorted(set(re.findall(r'<a href="(/[^"#?]*)"', home)) - {"/logout", "/docs"})
    assert "/solidarity" in links and "/awareness/report" in links
    refused = {link: r.status_code for link in links if (r := it.get(link)).status_code != 200}
    assert refused == {}
    pledge = it.get("/solidarity/pledge").text
    assert "<h1>Italy: solidarity 2026" in pledge and "What Italy receives" in pledge
    assert 'id="pledge-form"' not in pledge and 'action="/solidarity/offsets' not in pledge
    report = it.get("/awareness/report").text
    assert "IT&#39;s records" in report or "IT's records" in report


def test_a_state_analyst_reads_the_pledge_but_does_not_pledge(client, auth_headers, demo_world) -> None:
    from datetime import date

    demo_world(scale="0.02", seed=5, end=date(2026, 11, 28))
    h = auth_headers("it-analyst")
    page = client.get("/api/v1/solidarity/cycles/2026/pledges/IT", headers=h)
    assert page.status_code == 200 and page.json()["member_state"] == "IT" and "receives" in page.json()
    # another state's page stays another state's
    assert client.get("/api/v1/solidarity/cycles/2026/pledges/DE", headers=h).status_code == 404
    r = client.post("/api/v1/solidarity/cycles/2026/pledges", headers=h, json={"relocations": 10})
    assert r.status_code == 403 and "solidarity_coordinator" in r.text
