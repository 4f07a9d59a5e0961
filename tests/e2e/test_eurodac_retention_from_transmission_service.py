"""The platform keeps an arrival's Eurodac data until the end of the storage period counted from
the day the biometric data were transmitted (Reg. (EU) 2024/1358 Art 29), erases them on that day
and not before, moves the end when a later transmission is recorded, and counts a record of Reg.
(EU) No 603/2013 from the taking of the fingerprints (Arts 12(1), 16(1)). The store's clock:
28 November 2026."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from pactum.common.errors import Conflict, ValidationProblem
from pactum.registry.model import RegisterArrival
from pactum.services import registry
from pactum.services.bootstrap import Services
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import biometric_captures, eurodac_records


def _arrival(kind: str, occurred: str, captured: str, transmitted: str | None) -> RegisterArrival:
    body: dict[str, Any] = {
        "identity": {"given_names": "Amir", "surname": "Nasser", "sex": "M", "date_of_birth": "1995-02-01",
                     "nationality": "SYR"},
        "encounter": {"member_state": "IT", "occurred_at": occurred, "kind": kind, "place": "Lampedusa"},
        "biometrics": {"captured_at": captured, "transmitted_at": transmitted},
    }
    return RegisterArrival.model_validate(body)


def _stored(services: Services, record_id: str) -> Any:
    with services.engine.connect() as conn:
        return conn.execute(select(eurodac_records).where(
            eurodac_records.c.identity_record_id == record_id)).mappings().one()


def _sar_transmitted_two_days_later(services: Services, principal) -> str:
    # disembarked and captured on Friday 20 November, transmitted on Sunday 22 November (the
    # 72 hours from the disembarkation end on 23 November)
    out = registry.register_arrival(services, principal("it-caseworker"), _arrival(
        "sar_disembarkation", "2026-11-20T06:30:00Z", "2026-11-20T09:00:00Z", "2026-11-22T08:00:00Z"))
    assert out.eurodac is not None
    assert out.eurodac.retention_until == date(2031, 11, 22)  # not 20 November 2031
    assert "Regulation (EU) 2024/1358, Article 29(8)" in out.eurodac.legal_basis
    assert out.biometrics.transmission_met is True
    return out.identity_record_id


def test_a_sar_arrival_is_kept_five_years_from_the_transmission(services: Services, principal):
    record_id = _sar_transmitted_two_days_later(services, principal)
    assert _stored(services, record_id)["retention_until"] == date(2031, 11, 22)


def test_the_erasure_job_erases_on_the_day_after_the_new_end_not_before(services: Services, principal):
    record_id = _sar_transmitted_two_days_later(services, principal)
    # 21 November 2031: the old end (20 November) has passed, the new one has not
    for day in (21, 22):
        services.clock.set(datetime(2031, 11, day, 12, tzinfo=UTC))
        registry.retention_job(services, services.clock.now())
        assert _stored(services, record_id)["erased_at"] is None, f"erased on {day} November 2031"
    # 23 November 2031: the last day (22 November) has ended everywhere
    services.clock.set(datetime(2031, 11, 23, 0, 5, tzinfo=UTC))
    assert registry.retention_job(services, services.clock.now()) == "1 Eurodac records erased past their retention"
    assert _stored(services, record_id)["erased_at"] is not None
    with services.engine.connect() as conn:
        assert conn.execute(select(biometric_captures).where(
            biometric_captures.c.identity_record_id == record_id)).first() is None


def test_under_regulation_603_2013_the_period_runs_from_the_taking(services: Services, principal):
    # an irregular crossing of 10 June 2026 (before the recast applies), transmitted on 12 June
    out = registry.register_arrival(services, principal("it-caseworker"), _arrival(
        "irregular_crossing", "2026-06-10T05:00:00Z", "2026-06-10T09:00:00Z", "2026-06-12T08:00:00Z"))
    assert out.regime == "pre_pact"
    assert out.eurodac is not None
    assert out.eurodac.retention_until == date(2027, 12, 10)  # 18 months from 10 June 2026
    assert "Regulation (EU) No 603/2013, Article 16(1)" in out.eurodac.legal_basis


def test_a_transmission_recorded_later_moves_the_end(services: Services, principal):
    caseworker = principal("it-caseworker")
    out = registry.register_arrival(services, caseworker, _arrival(
        "sar_disembarkation", "2026-11-20T06:30:00Z", "2026-11-20T09:00:00Z", None))
    assert out.eurodac is not None
    # not yet transmitted: counted from the capture, the earliest the transmission can be
    assert out.eurodac.retention_until == date(2031, 11, 20)
    record_id = out.identity_record_id
    done = registry.record_transmission(services, caseworker, record_id,
                                        transmitted_at=datetime(2026, 11, 24, 10, tzinfo=UTC))
    assert done["retention_until"] == date(2031, 11, 24)
    assert done["transmission_met"] is False  # after the 72 hours from the disembarkation
    assert "Regulation (EU) 2024/1358, Article 29(8)" in done["legal_basis"]
    assert _stored(services, record_id)["retention_until"] == date(2031, 11, 24)
    with services.engine.connect() as conn:
        capture = conn.execute(select(biometric_captures).where(
            biometric_captures.c.identity_record_id == record_id)).mappings().one()
        audit = conn.execute(select(audit_log).where(
            audit_log.c.action == "eurodac.transmission_recorded")).mappings().one()
    assert capture["transmitted_at"].replace(tzinfo=UTC) == datetime(2026, 11, 24, 10, tzinfo=UTC)
    assert capture["transmission_met"] is False
    assert audit["entity_id"] == _stored(services, record_id)["id"]
    # the erasure job keeps the data until the moved end
    services.clock.set(datetime(2031, 11, 24, 12, tzinfo=UTC))
    registry.retention_job(services, services.clock.now())
    assert _stored(services, record_id)["erased_at"] is None
    # recorded once
    services.clock.set(datetime(2026, 11, 28, 12, tzinfo=UTC))
    with pytest.raises(Conflict):
        registry.record_transmission(services, caseworker, record_id,
                                     transmitted_at=datetime(2026, 11, 25, 10, tzinfo=UTC))


def test_a_later_transmission_before_the_capture_or_in_the_future_is_refused(services: Services, principal):
    caseworker = principal("it-caseworker")
    out = registry.register_arrival(services, caseworker, _arrival(
        "sar_disembarkation", "2026-11-20T06:30:00Z", "2026-11-20T09:00:00Z", None))
    for at in (datetime(2026, 11, 20, 8, tzinfo=UTC), datetime(2026, 11, 29, 8, tzinfo=UTC)):
        with pytest.raises(ValidationProblem) as refused:
            registry.record_transmission(services, caseworker, out.identity_record_id, transmitted_at=at)
        assert refused.value.problems[0][0] == "transmitted_at"
    assert _stored(services, out.identity_record_id)["retention_until"] == date(2031, 11, 20)


def test_an_applicants_record_made_with_an_application_runs_from_the_day_it_is_recorded(services: Services, principal):
    caseworker = principal("it-caseworker")
    out = registry.register_arrival(services, caseworker, _arrival(
        "irregular_crossing", "2026-11-20T06:30:00Z", "2026-11-20T09:00:00Z", "2026-11-20T10:00:00Z"))
    with services.uow() as uow:
        # an application made on 25 November, recorded in Eurodac (transmitted) on 28 November
        record = registry.record_application_in_eurodac(uow, caseworker, person_id=out.person_id,
                                                        made_on=date(2026, 11, 25))
        uow.commit()
    assert record is not None
    assert record.retention_until == date(2036, 11, 28)  # ten years from the transmission, not 25 November
    assert "Regulation (EU) 2024/1358, Article 29(1)" in record.legal_basis


def test_the_persons_record_says_what_the_end_is_counted_from(services: Services, principal):
    caseworker = principal("it-caseworker")
    out = registry.register_arrival(services, caseworker, _arrival(
        "sar_disembarkation", "2026-11-20T06:30:00Z", "2026-11-20T09:00:00Z", None))
    [row] = registry.person_view(services, caseworker, out.person_id, channel="api")["eurodac"]
    assert row["retention_until"] == date(2031, 11, 20)
    assert row["retention_counted_from"].startswith("the day the biometric data were taken, for now: "
                                                    "their transmission is not recorded")
    registry.record_transmission(services, caseworker, out.identity_record_id,
                                 transmitted_at=datetime(2026, 11, 21, 10, tzinfo=UTC))
    [row] = registry.person_view(services, caseworker, out.person_id, channel="api")["eurodac"]
    assert (row["retention_until"], row["retention_counted_from"]) == (
        date(2031, 11, 21), "the day the biometric data were transmitted")
    old = registry.register_arrival(services, caseworker, _arrival(
        "irregular_crossing", "2026-06-10T05:00:00Z", "2026-06-10T09:00:00Z", "2026-06-12T08:00:00Z"))
    [row] = registry.person_view(services, caseworker, old.person_id, channel="api")["eurodac"]
    assert row["retention_counted_from"] == "the day the fingerprints were taken (Regulation (EU) No 603/2013)"


def _record_of(services: Services, principal, username: str, state: str, region: str | None) -> str:
    body: dict[str, Any] = {
        "identity": {"given_names": "Amir", "surname": "Nasser", "sex": "M", "date_of_birth": "1995-02-01",
                     "nationality": "SYR"},
        "encounter": {"member_state": state, "occurred_at": "2026-11-20T06:30:00Z", "kind": "irregular_crossing",
                      "place": "border", **({"region": region} if region else {})},
        "biometrics": {"captured_at": "2026-11-20T09:00:00Z", "transmitted_at": "2026-11-20T10:00:00Z"},
    }
    out = registry.register_arrival(services, principal(username), RegisterArrival.model_validate(body))
    assert out.eurodac is not None
    return out.identity_record_id


def test_the_erasure_job_waits_for_the_end_of_the_last_day_on_the_states_own_clocks(services: Services, principal):
    """A state's data are erased once their last day is over where Eurodac applies in that state:
    Italy's at 23:30 UTC (00:30 in Rome), Portugal's only once the Azores' day (UTC-1 in winter) is
    over too; the job ran on the UTC day, which erased Italy's an hour late and Portugal's an hour
    early."""
    from pactum.services import users
    from pactum.services.auth import SYSTEM, Role

    users.create_user(services, SYSTEM, users.UserCreate(
        username="pt-caseworker", full_name="Caseworker (PT)", authority="PT", roles=[Role.caseworker],
        password="Quiet harbour 4127 lanterns"))
    italy = _record_of(services, principal, "it-caseworker", "IT", None)
    azores = _record_of(services, principal, "pt-caseworker", "PT", "PT-20")
    with services.engine.begin() as conn:  # both stored until 30 November 2031
        conn.execute(eurodac_records.update().where(eurodac_records.c.identity_record_id.in_([italy, azores]))
                     .values(retention_until=date(2031, 11, 30)))
    services.clock.set(datetime(2031, 11, 30, 23, 30, tzinfo=UTC))  # 1 December in Rome and Lisbon
    assert registry.retention_job(services, services.clock.now()) == "1 Eurodac records erased past their retention"
    assert _stored(services, italy)["erased_at"] is not None
    services.clock.set(datetime(2031, 12, 1, 0, 30, tzinfo=UTC))  # 23:30 on 30 November in the Azores
    registry.retention_job(services, services.clock.now())
    assert _stored(services, azores)["erased_at"] is None
    services.clock.set(datetime(2031, 12, 1, 1, 5, tzinfo=UTC))
    assert registry.retention_job(services, services.clock.now()) == "1 Eurodac records erased past their retention"
    assert _stored(services, azores)["erased_at"] is not None
