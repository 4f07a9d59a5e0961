"""The demo world holds the end of responsibility and an Article 21 decision of a third state, as the
users read them.

Before, a user logging into the demo found no Dublin case whose "Responsible now" said the first
state's obligation to take the person back ended (rule ``ceased``, Dublin III Art 19(3) / AMMR Art
37(5)), no refusal stating that the obligations of the state asked ceased (``refusal_ground``), and
no Article 21 decision (Directive (EU) 2024/1346) of a state that found, by the Eurodac hit, an
applicant notified of another state's transfer decision: the reception step's chooser found none at
scale S. The S world of seed 1 now holds them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from pactum.services import reception_conditions, responsibility
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.store.tables.reception import reception_condition_decisions
from pactum.store.tables.responsibility import dublin_cases, dublin_requests

END = date(2026, 11, 28)
STEPS = ["registry", "identity", "procedures", "responsibility", "reception"]


@dataclass
class Demo:
    services: Services


@pytest.fixture
def world(demo_world: Callable[..., Services]) -> Demo:
    # the S world of seed 1 up to 28 November 2026, whose clock is that day's noon
    return Demo(demo_world(scale="S", seed=1, end=END, only=STEPS))


def _user(ms: str, role: Role) -> Principal:
    return Principal(f"test-{ms}-{role.value}", f"test-{ms.lower()}", ms, frozenset({role}))


def test_the_demo_has_take_back_cases_that_ended_with_a_return_and_no_take_back_was_sent(world: Demo) -> None:
    with world.services.engine.connect() as conn:
        cases = conn.execute(select(dublin_cases.c.id, dublin_cases.c.member_state)).all()
    ceased: list[dict[str, Any]] = []
    for c in cases:
        shown = responsibility.get_case(world.services, _user(c.member_state, Role.dublin_unit), c.id, channel=None)
        now = shown["responsible_now"]
        if now["rule"] == "ceased" and "return decision" in now["reason"]:  # not a refusal made final
            ceased.append(shown)
    assert 2 <= len(ceased) <= 4, [c["reference"] for c in ceased]
    for case in ceased:
        now = case["responsible_now"]
        first = case["determination"]["responsible_member_state"]
        assert first != case["member_state"]
        # the destination's unit reads the first state's return decision through the Eurodac hit
        assert now["reason"].startswith(f"{first}'s obligation to take the person back ended: the person left "
                                        "the territory of the Member States on ")
        assert f"under {first}'s return decision" in now["reason"]
        assert "is a new application, which gives rise to a new determination" in now["reason"]
        assert now["legal_basis"][0] in ("Regulation (EU) No 604/2013, Article 19(3)",
                                         "Regulation (EU) 2024/1351, Article 37(5)")
        # no take back was sent, and none lies
        assert not [r for r in case["requests"] if r["kind"] in ("take_back", "take_back_notification")]
        kinds = {k["kind"]: k for k in case["new_request"]["kinds"]}
        take_back = kinds.get("take_back_notification") or kinds["take_back"]
        assert take_back["lies"] is False


def test_the_demo_has_a_refusal_stating_that_the_person_left_the_territory(world: Demo) -> None:
    with world.services.engine.connect() as conn:
        refused = conn.execute(select(dublin_requests.c.id, dublin_requests.c.requested_member_state)
                               .where(dublin_requests.c.refusal_ground.isnot(None),
                                      # a contested notification records its ground too (Art 41(3))
                                      dublin_requests.c.kind != "take_back_notification")).all()
    assert len(refused) == 1
    (row,) = refused
    req = responsibility.get_request(world.services, _user(row.requested_member_state, Role.dublin_unit), row.id,
                                     channel=None)
    ceased = req["refusal_cessation"]
    assert ceased is not None and ceased["ground"] == "left_territory"
    case = responsibility.get_case(world.services, _user(req["requesting_member_state"], Role.dublin_unit),
                                   req["case_id"], channel=None)
    assert date.fromisoformat(ceased["left_on"]) < date.fromisoformat(case["registered_on"])
    assert "Entry/Exit System" in ceased["evidence"]
    assert ceased["legal_basis"] in ("Regulation (EU) No 604/2013, Article 19(2)",
                                     "Regulation (EU) 2024/1351, Article 37(4)"), ceased


def test_the_demo_has_an_article_21_decision_of_a_third_state_on_another_states_transfer_decision(
        world: Demo) -> None:
    with world.services.engine.connect() as conn:
        rows = conn.execute(select(reception_condition_decisions.c.id, reception_condition_decisions.c.member_state)
                            .where(reception_condition_decisions.c.measure == "not_entitled")).all()
    found = []
    for r in rows:
        d = reception_conditions.get_decision(world.services, _user(r.member_state, Role.caseworker), r.id)
        t = d["transfer_decision"]
        if t is not None and t["known_by"] == "eurodac_hit":
            found.append((d, t))
    assert len(found) == 1
    (d, t) = found[0]
    assert d["member_state"] not in (t["decided_by"], t["requested_member_state"])
    assert d["required_state"] in (t["decided_by"], t["requested_member_state"])
    assert d["case_id"] is None and t["identity_link_id"]
    assert date.fromisoformat(t["transfer_decided_on"]) < date.fromisoformat(d["decided_on"])
    assert d["reasons"].startswith("Demo data (synthetic)")


def test_the_demo_has_cases_determined_on_an_expired_residence_document_the_first_state_recorded(
        world: Demo) -> None:
    """Before, the demo recorded no residence document or visa: no case showed AMMR Art 29. Now the
    first state's Dublin unit recorded the residence permit it had issued two persons, expired months
    before they came back across its border; each case's criterion is the document (Art 29(4)), named
    with its record, and the request to that state rests on it."""
    from pactum.store.tables.responsibility import dublin_documents

    with world.services.engine.connect() as conn:
        docs = {d.id: d for d in conn.execute(select(dublin_documents))}
        cases = conn.execute(select(dublin_cases.c.id, dublin_cases.c.member_state)
                             .where(dublin_cases.c.criterion == "residence_document")).all()
    assert len(docs) == 2 and len(cases) == 2
    for c in cases:
        case = responsibility.get_case(world.services, _user(c.member_state, Role.dublin_unit), c.id, channel=None)
        det = case["determination"]
        (fact,) = case["facts"]["documents"]
        doc = docs[fact["record_id"]]
        assert (det["responsible_member_state"], doc.member_state, doc.kind) == (
            fact["issued_by"], fact["issued_by"], "residence_document")
        assert doc.valid_until < date.fromisoformat(case["registered_on"])  # expired before the application
        assert "Regulation (EU) 2024/1351, Article 29(4)" in det["legal_basis"]
        step = next(s for s in det["trace"] if s["rule"] == "residence_document")
        assert step["outcome"].startswith("applies") and f"record {doc.id}" in step["outcome"]
        assert [r["criterion"] for r in case["requests"]] == ["residence_document"]
        # the issuing state reads the document with the case that was determined on it
        listed = responsibility.person_documents(world.services, _user(doc.member_state, Role.dublin_unit),
                                                 doc.person_id, channel=None)
        assert [u["id"] for u in listed[0]["used_by_cases"]] == [c.id]
