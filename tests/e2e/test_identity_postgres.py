"""Multiple-identity links on PostgreSQL: a registration's candidate search makes a yellow link,
the queue shows both identities, the officer's decision is counted among the model's outcomes."""

from __future__ import annotations

from typing import Any

import pytest

from pactum.services import identity
from pactum.services import users as users_service
from tests.conftest import principal_of

pytestmark = pytest.mark.postgres
API = "/api/v1/identity"


def _arrival(ms: str, given: str, surname: str) -> dict[str, Any]:
    return {"identity": {"given_names": given, "surname": surname, "sex": "M", "date_of_birth": "1996-03-14",
                         "nationality": "SYR", "place_of_birth": "Aleppo"},
            "encounter": {"member_state": ms, "occurred_at": "2026-11-20T06:30:00Z",
                          "kind": "in_territory_application" if ms == "DE" else "sar_disembarkation"},
            "biometrics": {"captured_at": "2026-11-20T09:00:00Z", "transmitted_at": "2026-11-20T10:00:00Z"}}


def test_a_link_is_made_shown_decided_and_counted_on_postgres(pg_services, pg_client) -> None:
    def headers(user: str) -> dict[str, str]:
        token = users_service.open_session(pg_services, principal_of(pg_services, user), "api")
        return {"Authorization": f"Bearer {token}"}

    ids = {}
    for ms, user, given, surname in (("DE", "de-caseworker", "Muhammad", "Hadad"),
                                     ("IT", "it-caseworker", "Mohammed", "Haddad")):
        r = pg_client.post("/api/v1/registry/arrivals", json=_arrival(ms, given, surname), headers=headers(user))
        assert r.status_code == 201, r.text
        ids[ms] = r.json()["identity_record_id"]
    with pg_services.uow() as uow:
        identity.index_missing(uow.conn)
        uow.commit()
    r = pg_client.post(f"{API}/records/{ids['IT']}/candidates", headers=headers("it-caseworker"))
    assert r.status_code == 200, r.text
    queue = pg_client.get(f"{API}/links/queue", headers=headers("it-dublin")).json()
    link = next(x for x in queue if x["linked_record_id"] == ids["DE"])
    assert link["records"]["linked_record"]["surname"] == "Hadad"
    assert link["records"]["record"]["member_state"] == "IT"
    # a version no row can have (nor PostgreSQL's integer column hold) is a stale one: 409, not 500
    for version in (99999999999, 2**31 - 1):
        r = pg_client.post(f"{API}/links/{link['id']}/decision", headers=headers("it-dublin"),
                           json={"colour": "white", "reason": "fingerprints compared", "version": version})
        assert r.status_code == 409, r.text
    r = pg_client.post(f"{API}/links/{link['id']}/decision", headers=headers("it-dublin"),
                       json={"colour": "white", "reason": "fingerprints compared", "version": link["version"]})
    assert r.status_code == 200, r.text
    out = pg_client.get(f"{API}/verification-outcomes?authority=IT", headers=headers("euaa-analyst")).json()
    assert out["verified"] == 1 and sum(row["same_person"] for row in out["rows"]) == 1
    # the model version is read from the link basis JSON on PostgreSQL too
    assert out["by_model_version"] == {"0": 1}
    assert pg_client.get(f"{API}/verification-outcomes?model_version=0", headers=headers("euaa-analyst")).json()["verified"] == 1


def test_the_demo_worlds_identity_step_builds_on_postgres(pg_services) -> None:
    """Enrolling a template after the biometric index was loaded from the store used to leave a
    streaming option on the connection, and PostgreSQL refused the next INSERT as a cursor."""
    from datetime import date

    from sqlalchemy import func, select

    from pactum.scenario.world import build
    from pactum.store.tables.identity import biometric_templates, identity_links

    build(pg_services, scale="XS", seed=23, end=date(2026, 11, 28), show_progress=False,
          only=["registry", "identity"])
    with pg_services.engine.connect() as conn:
        templates = conn.execute(select(func.count()).select_from(biometric_templates)).scalar()
        links = conn.execute(select(func.count()).select_from(identity_links)).scalar()
    assert templates and templates > 0 and links and links > 0
