"""Eurodac applicant data and marking (Reg. 2024/1358 Art 15, 29, 31): the service functions the
asylum procedure calls when an application is made and when protection is granted."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pactum.common.errors import ValidationProblem
from pactum.identity.schemas import SearchQuery
from pactum.registry.model import RegisterArrival
from pactum.services import identity, registry
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import eurodac_records, identity_records


def _walid(kind: str = "irregular_crossing", dob: str = "1994-05-02") -> RegisterArrival:
    return RegisterArrival.model_validate({
        "identity": {"given_names": "Walid", "surname": "Gharbi", "sex": "M", "date_of_birth": dob,
                     "nationality": "TUN",
                     "documents": [{"type": "passport", "number": "TN445566", "country": "TUN"}]},
        "encounter": {"member_state": "IT", "occurred_at": "2026-07-01T06:00:00Z", "kind": kind,
                      "place": "Lampedusa"},
        "biometrics": {"template_ref": "tpl-walid", "captured_at": "2026-07-01T08:00:00Z"},
    })


def _rows(services, person_id):
    with services.engine.connect() as conn:
        return conn.execute(
            select(eurodac_records, identity_records.c.category.label("record_category"))
            .join(identity_records, identity_records.c.id == eurodac_records.c.identity_record_id)
            .where(identity_records.c.person_id == person_id).order_by(eurodac_records.c.registered_at)
        ).mappings().all()


def _apply(services, principal, person_id, made_on=date(2026, 7, 3), case_id="asy_TEST"):
    with services.uow() as uow:
        out = registry.record_application_in_eurodac(uow, principal, person_id=person_id,
                                                     made_on=made_on, asylum_case_id=case_id)
        uow.commit()
    return out


def test_an_application_records_applicant_data_kept_10_years_and_found_by_other_states(services, principal):
    it = principal("it-caseworker")
    reg = registry.register_arrival(services, it, _walid())
    assert reg.eurodac.category == "irregular_crossing"
    # before the application, Greece does not see Italy's irregular-crossing record
    query = SearchQuery(given_names="Walid", surname="Gharbi", date_of_birth="1994-05-02", nationality="TUN")
    el = principal("el-caseworker")
    assert not [c for c in identity.search(services, el, query)["candidates"] if c["member_state"] == "IT"]

    out = _apply(services, it, reg.person_id)
    assert out is not None and out.category == "applicant"
    # Art 29(1): 10 years from the transmission of the applicant's data set, recorded in Eurodac today
    # (28 November 2026, the store's clock) for the application made on 3 July
    assert out.retention_until == date(2036, 11, 28)
    assert any("2024/1358, Article 15" in b for b in out.legal_basis)
    assert any("2024/1358, Article 29" in b for b in out.legal_basis)
    rows = _rows(services, reg.person_id)
    assert [r["category"] for r in rows] == ["irregular_crossing", "applicant"]
    # the crossing stays recorded as a crossing (the Dublin criteria read it); the applicant data
    # set is its own record
    assert [r["record_category"] for r in rows] == ["irregular_crossing", "applicant"]
    found = [c for c in identity.search(services, el, query)["candidates"] if c["member_state"] == "IT"]
    assert found and found[0]["component"] == "eurodac"
    with services.engine.connect() as conn:
        entry = conn.execute(select(audit_log).where(audit_log.c.action == "eurodac.recorded")).mappings().one()
    assert entry["entity_id"] == out.id and entry["authority"] == "IT"

    # a second call for the same person (or an application registered as such) adds nothing
    again = _apply(services, it, reg.person_id)
    assert again is not None and again.id == out.id
    assert len(_rows(services, reg.person_id)) == 2


def test_an_application_at_a_border_crossing_point_already_has_its_applicant_record(services, principal):
    it = principal("it-caseworker")
    reg = registry.register_arrival(services, it, _walid("border_crossing_point_application"))
    out = _apply(services, it, reg.person_id)
    assert out is not None and out.id == reg.eurodac.id
    assert len(_rows(services, reg.person_id)) == 1


def test_a_child_under_six_gets_no_eurodac_data(services, principal):
    it = principal("it-caseworker")
    reg = registry.register_arrival(services, it, _walid(dob="2022-01-01"))
    assert _apply(services, it, reg.person_id) is None
    assert _rows(services, reg.person_id) == []


def test_another_states_person_or_a_future_day_is_refused(services, principal):
    reg = registry.register_arrival(services, principal("it-caseworker"), _walid())
    with pytest.raises(ValidationProblem) as exc:
        _apply(services, principal("el-caseworker"), reg.person_id)
    assert exc.value.problems[0][0] == "person_id"
    with pytest.raises(ValidationProblem) as exc:
        _apply(services, principal("it-caseworker"), reg.person_id, made_on=date(2099, 1, 1))
    assert exc.value.problems[0][0] == "made_on"


def test_granting_protection_marks_the_applicant_record(services, principal):
    it = principal("it-caseworker")
    reg = registry.register_arrival(services, it, _walid())
    applicant = _apply(services, it, reg.person_id)
    with services.uow() as uow:
        marked = registry.mark_protection_granted(uow, it, person_id=reg.person_id,
                                                  granted_on=date(2026, 9, 1), asylum_case_id="asy_TEST")
        uow.commit()
    assert [m.id for m in marked] == [applicant.id]
    assert marked[0].marked_at is not None
    rows = {r["category"]: r for r in _rows(services, reg.person_id)}
    assert rows["applicant"]["marked_at"] is not None
    assert rows["irregular_crossing"]["marked_at"] is None
    with services.engine.connect() as conn:
        entry = conn.execute(select(audit_log).where(audit_log.c.action == "eurodac.marked")).mappings().one()
    assert entry["entity_id"] == applicant.id
    assert "Article 31" in str(entry["after"])
    # marking twice marks nothing more
    with services.uow() as uow:
        assert registry.mark_protection_granted(uow, it, person_id=reg.person_id,
                                                granted_on=date(2026, 9, 1)) == []
        uow.commit()


def test_the_functions_write_nothing_unless_the_callers_unit_of_work_commits(services, principal):
    it = principal("it-caseworker")
    reg = registry.register_arrival(services, it, _walid())
    with services.uow() as uow:
        registry.record_application_in_eurodac(uow, it, person_id=reg.person_id, made_on=date(2026, 7, 3))
        # no commit: the procedure's own transaction failed
    assert len(_rows(services, reg.person_id)) == 1
