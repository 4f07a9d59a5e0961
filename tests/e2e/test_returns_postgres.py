"""The cross-border return story on PostgreSQL: issue in Italy, hit and recognition in Germany,
departure, alert deleted, entry-ban alert, statistics; a third state sees nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from pactum.common.errors import Conflict, NotFound
from pactum.registry.model import RegisterArrival
from pactum.returns.schemas import DepartureConfirm, HitCreate, HitMessage, ReturnDecisionCreate, Versioned
from pactum.services import registry, returns
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.store.tables.platform import users

pytestmark = pytest.mark.postgres


def who(services: Services, username: str) -> Principal:
    with services.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).one()
    return Principal(row.id, row.username, row.authority, frozenset(Role(r) for r in row.roles))


def test_cross_border_recognition_and_return_on_postgres(pg_services: Services) -> None:
    s = pg_services
    it_cw, it, de, fr = (who(s, u) for u in ("it-caseworker", "it-return", "de-return", "fr-return"))

    def arrival(state: str, kind: str, on: datetime) -> RegisterArrival:
        return RegisterArrival.model_validate(
            {
                "identity": {
                    "given_names": "Karim", "surname": "Trabelsi", "sex": "M", "date_of_birth": "1994-03-02",
                    "nationality": "TUN",
                    "documents": [{"type": "passport", "number": "TN1234567", "country": "TUN"}],
                },
                "encounter": {"member_state": state, "occurred_at": on, "kind": kind},
            }
        )

    person = registry.register_arrival(
        s,
        it_cw,
        RegisterArrival.model_validate(
            {
                "identity": {
                    "given_names": "Karim",
                    "surname": "Trabelsi",
                    "sex": "M",
                    "date_of_birth": "1994-03-02",
                    "nationality": "TUN",
                    "documents": [{"type": "passport", "number": "TN1234567", "country": "TUN"}],
                },
                "encounter": {
                    "member_state": "IT",
                    "occurred_at": datetime(2026, 6, 20, 10, tzinfo=UTC),
                    "kind": "irregular_crossing",
                },
            }
        ),
    ).person_id
    d = returns.create_return_decision(
        s,
        it,
        ReturnDecisionCreate(
            person_id=person, issued_on=date(2026, 10, 1), voluntary_departure_days=7, entry_ban_years=2
        ),
    )
    assert d["voluntary_departure_last_day"] == "2026-10-08"
    alert_id = d["alert"]["id"]
    with pytest.raises(NotFound):
        returns.get_alert(s, de, alert_id)
    # Germany's identity search discloses the Italian alert: only then may it record a hit
    from pactum.identity.schemas import SearchQuery
    from pactum.services import identity

    # the person Germany encountered, registered there: a hit names them (SIS Reg. 2018/1861 Art 3(8))
    met = registry.register_arrival(s, who(s, "de-caseworker"),
                                    arrival("DE", "illegal_stay", datetime(2026, 11, 1, 9, tzinfo=UTC))).person_id
    # both registrations wrote their search keys as they were made: no index job is needed
    found = identity.search(s, de, SearchQuery(surname="Trabelsi", given_names="Karim", date_of_birth="1994-03-02"))
    assert [c["alert_id"] for c in found["candidates"] if c["component"] == "sis_return_alert"] == [alert_id]
    hit = returns.record_hit(s, de, HitCreate(alert_id=alert_id, place="Munich", local_person_id=met))
    hit = returns.send_hit_message(s, de, hit["id"], HitMessage(body="Enforceable?"))
    with pytest.raises(Conflict):
        returns.confirm_departure(s, de, d["id"], DepartureConfirm(version=1, departed_on=date(2026, 11, 28)))
    returns.recognise_hit(s, de, hit["id"], Versioned(version=hit["version"]))
    done = returns.confirm_departure(
        s, de, d["id"], DepartureConfirm(version=1, departed_on=date(2026, 11, 28), mode="enforced")
    )
    # the alert left SIS with the departure: Germany no longer reads it, Italy sees it deleted
    assert done["alert"] is None and done["entry_ban_alert"]["ends_on"] == "2028-11-28"
    assert returns.get_decision(s, it, d["id"])["alert"]["status"] == "deleted"
    with pytest.raises(NotFound):
        returns.get_decision(s, fr, d["id"])
    rows = [r.model_dump() for r in returns.return_stats(s, de, 2026).rows]
    assert rows == [
        {
            "member_state": "DE",
            "nationality": "TUN",
            "ordered_to_leave": 0,
            "returned": 1,
            "return_rate": None,
        },
        {
            "member_state": "IT",
            "nationality": "TUN",
            "ordered_to_leave": 1,
            "returned": 0,
            "return_rate": 0.0,
        },
    ]
