"""Who refreshes the monthly figures: they are one table every analyst of every state reads (the
shared situational picture the EU bodies maintain), so an EU body's analyst (FRONTEX, EUAA, COM)
refreshes them and a Member State's analyst is refused, on the API, the page and the CLI alike."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pactum.common.errors import Forbidden
from pactum.services import awareness
from pactum.services.auth import Principal, Role
from pactum.store.tables.platform import audit_log


def _refreshes(services) -> list[str]:
    with services.engine.connect() as conn:
        return [r.actor for r in conn.execute(select(audit_log).where(audit_log.c.action == "awareness.refresh"))]


@pytest.mark.parametrize("user", ["frontex-analyst", "euaa-analyst", "com-analyst"])
def test_an_eu_body_analyst_refreshes_the_monthly_figures(services, client, auth_headers, user):
    r = client.post("/api/v1/awareness/refresh", headers=auth_headers(user), params={"full": "true"})
    assert r.status_code == 200 and r.json()["full"] is True
    assert _refreshes(services) == [user]


@pytest.mark.parametrize("user", ["it-analyst", "de-analyst"])
def test_a_member_state_analyst_may_not_refresh_the_shared_figures(services, client, auth_headers, web_client, user):
    r = client.post("/api/v1/awareness/refresh", headers=auth_headers(user))
    assert r.status_code == 403
    assert "EU body" in r.text
    assert web_client(user).post("/awareness/refresh", data={"full": "1"}).status_code == 403
    assert _refreshes(services) == []  # nothing recomputed, nothing audited


def test_the_dashboard_offers_the_refresh_only_to_those_who_may(web_client):
    assert 'action="/awareness/refresh"' in web_client("euaa-analyst").get("/awareness").text
    state = web_client("it-analyst").get("/awareness").text
    assert 'action="/awareness/refresh"' not in state
    assert "an EU body’s analyst refreshes them" in state
    assert 'id="evaluate-form"' in state  # evaluating the rules on its own encounters stays


def test_the_service_refuses_a_state_analyst(services):
    it = Principal("u", "it-x", "IT", roles=frozenset({Role.analyst}))
    with pytest.raises(Forbidden):
        awareness.refresh(services, it)
    assert awareness.may_refresh(it) is False
