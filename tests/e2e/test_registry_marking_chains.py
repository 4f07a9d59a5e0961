"""The Eurodac marking of a beneficiary of protection reaches the same person's data in every other
state the same-person links join to them, through a chain of links as well (Regulation (EU)
2024/1358, Article 31(1): the Central System informs the Member States of origin whose data
produced a hit with the marked data, and they mark the corresponding data sets). Italy protects a
person whose record a white link (the hit) joins to a record of Greece, which a white link joins to
a record of Germany: Germany's data are of the same person and are marked, although no link joins
them to Italy's record directly. A green link (two persons) breaks the chain. The registry and the
reception area read the same network (``services.registry.same_person_network``)."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select

from pactum.registry.model import RegisterArrival
from pactum.services import reception_conditions, registry
from pactum.store.tables.identity import identity_links
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import eurodac_records

ARRIVAL: dict[str, Any] = {
    "identity": {
        "given_names": "Moussa",
        "surname": "Keita",
        "sex": "M",
        "date_of_birth": "1998-04-02",
        "nationality": "MLI",
        "place_of_birth": "Kayes",
    },
    "encounter": {
        "member_state": "IT",
        "occurred_at": "2026-11-25T06:30:00Z",
        "kind": "in_territory_application",
        "place": "Milan",
    },
    "biometrics": {"captured_at": "2026-11-25T09:00:00Z", "transmitted_at": "2026-11-25T10:00:00Z"},
}


def _register(services, principal, ms: str, day: int):
    data = copy.deepcopy(ARRIVAL)
    data["encounter"].update(
        member_state=ms, kind="irregular_crossing", occurred_at=f"2026-10-{day:02d}T06:00:00Z"
    )
    data["biometrics"].update(
        captured_at=f"2026-10-{day:02d}T08:00:00Z", transmitted_at=f"2026-10-{day:02d}T09:00:00Z"
    )
    return registry.register_arrival(
        services, principal(f"{ms.lower()}-caseworker"), RegisterArrival.model_validate(data)
    )


def _link(services, link_id: str, a: str, b: str, colour: str, days_ago: int) -> None:
    with services.engine.begin() as conn:
        conn.execute(
            insert(identity_links).values(
                id=link_id,
                record_id=a,
                linked_record_id=b,
                colour=colour,
                status={"white": "automatic", "red": "verified", "green": "verified"}.get(colour, "pending"),
                verifying_authority="EL",
                match_probability=0.99,
                basis=[],
                created_at=services.clock.now() - timedelta(days=days_ago),
                version=1,
            )
        )


def _protect(services, principal, it) -> None:
    officer = principal("it-caseworker")
    with services.uow() as uow:
        registry.mark_protection_granted(uow, officer, person_id=it.person_id, granted_on=date(2026, 11, 27))
        uow.commit()


def _marked(services) -> dict[str, bool]:
    with services.engine.connect() as conn:
        return {
            r.member_state: r.marked_at is not None
            for r in conn.execute(select(eurodac_records.c.member_state, eurodac_records.c.marked_at))
        }


def test_the_marking_reaches_another_states_data_through_a_chain_of_hits(services, principal):
    el = _register(services, principal, "EL", 2)
    de = _register(services, principal, "DE", 20)
    it = registry.register_arrival(
        services, principal("it-caseworker"), RegisterArrival.model_validate(ARRIVAL)
    )
    _link(services, "lnk_it_el", it.identity_record_id, el.identity_record_id, "white", 3)
    _link(services, "lnk_el_de", de.identity_record_id, el.identity_record_id, "red", 2)
    _protect(services, principal, it)
    assert _marked(services) == {"IT": True, "EL": True, "DE": True}
    with services.engine.connect() as conn:
        entry = (
            conn.execute(
                select(audit_log).where(
                    audit_log.c.action == "eurodac.marked", audit_log.c.entity_id == de.eurodac.id
                )
            )
            .mappings()
            .one()
        )
    assert entry["actor"] == "eurodac-central-system"
    after = entry["after"] if isinstance(entry["after"], dict) else json.loads(entry["after"])
    assert after["member_state"] == "DE" and after["protection_granted_by"] == "IT"
    assert after["identity_links"] == ["lnk_it_el", "lnk_el_de"] and after["through"] == ["EL"]
    assert any("Article 31" in ref for ref in after["legal_basis"])


def test_a_green_link_breaks_the_chain_and_a_yellow_one_joins_nobody(services, principal):
    el = _register(services, principal, "EL", 2)
    de = _register(services, principal, "DE", 20)
    fr = _register(services, principal, "FR", 22)
    it = registry.register_arrival(
        services, principal("it-caseworker"), RegisterArrival.model_validate(ARRIVAL)
    )
    _link(services, "lnk_it_el", it.identity_record_id, el.identity_record_id, "white", 3)
    # Germany's person is linked white to Greece's, but verified as a different person from Italy's
    _link(services, "lnk_el_de", el.identity_record_id, de.identity_record_id, "white", 2)
    _link(services, "lnk_it_de", it.identity_record_id, de.identity_record_id, "green", 1)
    # France's awaits verification
    _link(services, "lnk_el_fr", el.identity_record_id, fr.identity_record_id, "yellow", 1)
    _protect(services, principal, it)
    assert _marked(services) == {"IT": True, "EL": True, "DE": False, "FR": False}


def test_reception_and_the_registry_read_one_network(services, principal):
    el = _register(services, principal, "EL", 2)
    de = _register(services, principal, "DE", 20)
    it = registry.register_arrival(
        services, principal("it-caseworker"), RegisterArrival.model_validate(ARRIVAL)
    )
    _link(services, "lnk_it_el", it.identity_record_id, el.identity_record_id, "white", 3)
    _link(services, "lnk_el_de", el.identity_record_id, de.identity_record_id, "white", 2)
    assert reception_conditions.same_person_network is registry.same_person_network
    with services.engine.connect() as conn:
        reached = registry.same_person_network(conn, it.person_id, "IT")
    assert {p: (r.member_state, r.through) for p, r in reached.items()} == {
        el.person_id: ("EL", ()),
        de.person_id: ("DE", ("EL",)),
    }
