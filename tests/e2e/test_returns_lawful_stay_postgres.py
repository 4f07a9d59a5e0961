"""The checks of whom a return decision is issued to, and the paged notifications, on PostgreSQL:
another state's protection found through the identity link and Eurodac's marking, a pending
application refused, the notifications paged and counted."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from pactum.common.errors import Conflict
from pactum.registry.model import RegisterArrival
from pactum.returns.schemas import ReturnDecisionCreate
from pactum.services import identity, procedures, registry, returns
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.services.procedures import ApplicationCreate
from pactum.store.tables.platform import users
from pactum.store.tables.registry import identity_records

pytestmark = pytest.mark.postgres


def who(services: Services, username: str) -> Principal:
    with services.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).one()
    return Principal(row.id, row.username, row.authority, frozenset(Role(r) for r in row.roles))


def arrival(services: Services, officer: Principal, surname: str, at: datetime) -> str:
    return registry.register_arrival(services, officer, RegisterArrival.model_validate({
        "identity": {"given_names": "Rebin", "surname": surname, "sex": "M", "date_of_birth": "1990-01-05",
                     "nationality": "IRQ",
                     "documents": [{"type": "passport", "number": f"IQ{surname[:3].upper()}77", "country": "IRQ"}]},
        "encounter": {"member_state": officer.authority, "occurred_at": at, "kind": "irregular_crossing"},
    })).person_id


def test_lawful_stay_checks_and_notifications_on_postgres(pg_services: Services) -> None:
    s = pg_services
    it_cw, fr_cw, it = (who(s, u) for u in ("it-caseworker", "fr-caseworker", "it-return"))
    fr_person = arrival(s, fr_cw, "Barzani", datetime(2026, 3, 2, 10, tzinfo=UTC))
    with s.uow() as uow:
        registry.record_application_in_eurodac(uow, fr_cw, person_id=fr_person, made_on=date(2026, 3, 3))
        registry.mark_protection_granted(uow, fr_cw, person_id=fr_person, granted_on=date(2026, 6, 1))
        uow.commit()
    it_person = arrival(s, it_cw, "Barzani", datetime(2026, 10, 2, 10, tzinfo=UTC))
    with s.engine.connect() as conn:
        record = conn.execute(select(identity_records.c.id).where(identity_records.c.person_id == it_person)).scalar_one()
    with s.uow() as uow:
        identity.search_candidates_for_record(uow, it_cw, record)
        uow.commit()
    body = {"person_id": it_person, "issued_on": date(2026, 11, 20), "voluntary_departure_days": 30}
    with pytest.raises(Conflict, match="international protection granted by FR"):
        returns.create_return_decision(s, it, ReturnDecisionCreate(**body, grounds=["illegal_stay"]))
    d = returns.create_return_decision(s, it, ReturnDecisionCreate(
        **body, grounds=["illegal_stay", "did_not_go_to_protecting_state"]))
    assert "Directive 2008/115/EC, Article 6(2)" in d["legal_basis"]

    applicant = arrival(s, it_cw, "Hassan", datetime(2026, 10, 2, 10, tzinfo=UTC))
    case = procedures.create_application(s, it_cw, ApplicationCreate(
        person_id=applicant, made_on=date(2026, 10, 3), registered_on=date(2026, 10, 3), context="in_territory"))
    with pytest.raises(Conflict, match=f"application for international protection {case['reference']} in IT is pending"):
        returns.create_return_decision(s, it, ReturnDecisionCreate(
            person_id=applicant, issued_on=date(2026, 11, 20), grounds=["illegal_stay"]))

    returns.notify_voluntary_departure_expiry(s, datetime(2027, 1, 5, 6, tzinfo=UTC))
    page = returns.notifications_page(s, it, limit=1, kind="voluntary_departure_expired")
    assert page["total"] == 1 and page["unread"] == 1 and len(page["notifications"]) == 1
    assert returns.mark_notifications_read(s, it)["marked"] == 1
    assert returns.notifications_page(s, it, unread=True)["total"] == 0
