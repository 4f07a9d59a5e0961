"""The applicant's Eurodac data set an application writes (Regulation (EU) 2024/1358, Art 15(1),
Art 17(1)(a), (b)) carries the person's biometric data, and says when and by whom they were taken
(Art 17(1)(l), (n)): before 2026-12-02 it was a copy of the identity data only, so another state's
fingerprint search (which reaches other states' applicant records, Art 27(1)) did not find it.

The applicant copy and the resettled person's copy (Art 18(2)) are made by the same functions
(``registry.copy_latest_templates``, ``registry.index_copied_templates``). The test clock is
2026-11-28."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from pactum.identity.biometrics import SyntheticBiometrics
from pactum.identity.links import BIOMETRIC_MATCH
from pactum.services import registry
from pactum.services.identity import biometric_index
from pactum.store.tables.identity import biometric_templates
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import eurodac_records, identity_records
from tests.e2e.test_identity_disclosure import arrival, register


@pytest.fixture
def bio():
    """Synthetic fingerprints; the store's 1:N index is opened afresh for the test's store."""
    biometric_index._INDEXES.clear()
    yield SyntheticBiometrics(seed=15)
    biometric_index._INDEXES.clear()


def _enrol(client, auth_headers, user: str, record_id: str, vector) -> None:
    r = client.post(
        "/api/v1/identity/templates",
        headers=auth_headers(user),
        json={"identity_record_id": record_id, "vector": [float(x) for x in vector]},
    )
    assert r.status_code == 201, r.text


def _fingerprint_search(client, auth_headers, user: str, vector) -> list[dict]:
    r = client.post(
        "/api/v1/identity/biometric-search",
        headers=auth_headers(user),
        json={"vector": [float(x) for x in vector], "k": 10},
    )
    assert r.status_code == 200, r.text
    return list(r.json())


def _applicant_record(services, person_id: str):
    with services.engine.connect() as conn:
        return conn.execute(
            select(eurodac_records.c.id, eurodac_records.c.identity_record_id)
            .join(identity_records, identity_records.c.id == eurodac_records.c.identity_record_id)
            .where(identity_records.c.person_id == person_id, eurodac_records.c.category == "applicant")
        ).one()


def _templates(services, record_id: str) -> list[tuple[bytes, datetime]]:
    with services.engine.connect() as conn:
        return [
            (bytes(v), at.replace(tzinfo=at.tzinfo or UTC))
            for v, at in conn.execute(
                select(biometric_templates.c.vector, biometric_templates.c.created_at)
                .where(biometric_templates.c.identity_record_id == record_id)
                .order_by(biometric_templates.c.index_key)
            )
        ]


def _apply(services, principal, person_id: str) -> None:
    with services.uow() as uow:
        out = registry.record_application_in_eurodac(
            uow, principal, person_id=person_id, made_on=date(2026, 11, 27), asylum_case_id="asy_FP"
        )
        uow.commit()
    assert out is not None and out.category == "applicant"


def test_another_states_fingerprint_search_finds_the_applicant_record(
    client, auth_headers, services, principal, bio
):
    # Italy registers a man found staying irregularly (a record no other state's search reaches)
    # and enrols his fingerprints; he then applies for asylum in Italy
    it = register(
        client,
        auth_headers,
        "it-caseworker",
        arrival(
            "IT",
            "illegal_stay",
            "Walid",
            "Gharbi",
            "1994-05-02",
            nationality="TUN",
            on="2026-11-25",
            place="Tunis",
        ),
    )
    _enrol(client, auth_headers, "it-caseworker", it["identity_record_id"], bio.capture(7, 1))
    # before the application Germany's fingerprint search finds nothing of Italy's
    assert not [
        h
        for h in _fingerprint_search(client, auth_headers, "de-caseworker", bio.capture(7, 2))
        if h["member_state"] == "IT"
    ]

    _apply(services, principal("it-caseworker"), it["person_id"])
    applicant = _applicant_record(services, it["person_id"])
    # the applicant's data set holds Italy's template of the man (Art 17(1)(a))
    assert [v for v, _ in _templates(services, applicant.identity_record_id)] == [
        v for v, _ in _templates(services, it["identity_record_id"])
    ]
    # and Germany's fresh capture of the same man finds it, by the fingerprints alone (Art 27(1))
    hits = {
        h["identity_record_id"]: h
        for h in _fingerprint_search(client, auth_headers, "de-caseworker", bio.capture(7, 2))
    }
    assert applicant.identity_record_id in hits, "Italy's applicant record is not found by the fingerprints"
    hit = hits[applicant.identity_record_id]
    assert (hit["member_state"], hit["component"], hit["match"]) == ("IT", "eurodac", True)
    assert hit["score"] >= BIOMETRIC_MATCH
    # another man's fingerprints do not find it
    assert applicant.identity_record_id not in {
        h["identity_record_id"]
        for h in _fingerprint_search(client, auth_headers, "de-caseworker", bio.capture(8, 2))
    }


def test_the_copy_says_when_and_by_whom_the_biometric_data_were_taken(
    client, auth_headers, services, principal, bio
):
    it = register(
        client,
        auth_headers,
        "it-caseworker",
        arrival(
            "IT",
            "illegal_stay",
            "Walid",
            "Gharbi",
            "1994-05-02",
            nationality="TUN",
            on="2026-11-25",
            place="Tunis",
        ),
    )
    _enrol(client, auth_headers, "it-caseworker", it["identity_record_id"], bio.capture(9, 1))
    ((_, enrolled_at),) = _templates(services, it["identity_record_id"])
    _apply(services, principal("it-caseworker"), it["person_id"])
    applicant = _applicant_record(services, it["person_id"])
    # the copy keeps the moment the template was taken, not the moment it was copied
    ((_, copied_at),) = _templates(services, applicant.identity_record_id)
    assert copied_at == enrolled_at
    # the applicant record's audit entry says from which record, when (the capture, Art 17(1)(l))
    # and by whom (the operator, Art 17(1)(n)) the biometric data were taken
    with services.engine.connect() as conn:
        (entry,) = conn.execute(
            select(audit_log.c.after).where(
                audit_log.c.action == "eurodac.recorded", audit_log.c.entity_id == applicant.id
            )
        ).all()
    after = entry.after
    assert after["biometric_templates"] == 1
    bio_meta = after["biometrics"]
    assert bio_meta["from_record"] == it["identity_record_id"]
    assert bio_meta["taken_by"] == "it-caseworker"
    assert bio_meta["captured_at"].startswith("2026-11-25T09:00:00")  # the registration's capture
    assert datetime.fromisoformat(bio_meta["taken_at"]) == enrolled_at


def test_an_applicant_without_biometric_data_gets_a_record_without_template(
    client, auth_headers, services, principal, bio
):
    it = register(
        client,
        auth_headers,
        "it-caseworker",
        arrival(
            "IT",
            "illegal_stay",
            "Walid",
            "Gharbi",
            "1994-05-02",
            nationality="TUN",
            on="2026-11-25",
            place="Tunis",
        ),
    )
    _apply(services, principal("it-caseworker"), it["person_id"])
    applicant = _applicant_record(services, it["person_id"])
    assert _templates(services, applicant.identity_record_id) == []
    with services.engine.connect() as conn:
        (entry,) = conn.execute(
            select(audit_log.c.after).where(
                audit_log.c.action == "eurodac.recorded", audit_log.c.entity_id == applicant.id
            )
        ).all()
    assert (entry.after["biometric_templates"], entry.after["biometrics"]) == (0, None)


def test_a_rolled_back_application_leaves_nothing_in_the_biometric_index(
    client, auth_headers, services, principal, bio
):
    it = register(
        client,
        auth_headers,
        "it-caseworker",
        arrival(
            "IT",
            "illegal_stay",
            "Walid",
            "Gharbi",
            "1994-05-02",
            nationality="TUN",
            on="2026-11-25",
            place="Tunis",
        ),
    )
    _enrol(client, auth_headers, "it-caseworker", it["identity_record_id"], bio.capture(7, 1))
    biometric_index._INDEXES.clear()  # the first use of the index in this process is the application's
    before = len(_templates(services, it["identity_record_id"]))
    it_cw = principal("it-caseworker")
    with services.uow() as uow:  # the application is refused later in the same unit of work
        registry.record_application_in_eurodac(
            uow, it_cw, person_id=it["person_id"], made_on=date(2026, 11, 27)
        )
    # the index was opened before the copy was written, and the rolled-back copy never entered it
    (index,) = biometric_index._INDEXES.values()
    assert (len(index), index.max_key) == (before, 1)
