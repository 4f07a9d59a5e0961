"""The biometric index of a store: a template removed from the store is never returned by the
biometric search, the next save leaves it out and the next start loads the file without
rebuilding; enrolments after a load are found at once and survive the next save and load.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest
from sqlalchemy import delete, insert

from pactum.identity.biometrics import SyntheticBiometrics
from pactum.identity.schemas import BiometricQuery, TemplateEnrol
from pactum.services import identity
from pactum.services.auth import Principal, Role
from pactum.services.identity import biometric_index
from pactum.store.tables.identity import biometric_templates
from pactum.store.tables.registry import identity_records, persons

NOW = datetime(2026, 11, 28, tzinfo=UTC)
DE = Principal("u-de", "de-caseworker", "DE", frozenset({Role.caseworker}))


@pytest.fixture
def bio_store(services):
    biometric_index._INDEXES.clear()
    yield services
    biometric_index._INDEXES.clear()


def _records_with_templates(services, vectors: np.ndarray) -> list[str]:
    rids = []
    with services.uow() as uow:
        for i, vec in enumerate(vectors, start=1):
            rid = f"R-BT{i:04d}"
            uow.conn.execute(insert(persons).values(id=f"P-{rid}", member_state="DE", created_at=NOW, version=1))
            uow.conn.execute(insert(identity_records).values(
                id=rid, person_id=f"P-{rid}", member_state="DE", recorded_on=date(2026, 11, 1),
                category="applicant", given_names="A", surname=f"B{i}", created_at=NOW, version=1))
            uow.conn.execute(insert(biometric_templates).values(
                id=f"BT-{i}", identity_record_id=rid, member_state="DE", dimensions=128,
                vector=vec.astype(np.float32).tobytes(), index_key=i, created_at=NOW))
            rids.append(rid)
        uow.commit()
    return rids


def _first(services, vector: np.ndarray, k: int = 1) -> list[str]:
    hits = identity.search_biometric(services, DE, BiometricQuery(vector=vector.tolist(), k=k))
    return [h["identity_record_id"] for h in hits]


def test_a_removed_template_is_not_returned_and_the_next_save_leaves_it_out(bio_store):
    services = bio_store
    bio = SyntheticBiometrics(seed=31)
    people = bio.persons(300)
    rids = _records_with_templates(services, bio.captures(people, 1))
    probe = bio.captures(people[17:18], 2)[0]
    assert _first(services, probe) == [rids[17]]
    hit = identity.search_biometric(services, DE, BiometricQuery(vector=probe.tolist(), k=1))[0]
    assert hit["match"] and hit["score"] > 0.85

    # the template is erased from the store while the API runs with the index in memory
    with services.uow() as uow:
        uow.conn.execute(delete(biometric_templates).where(biometric_templates.c.index_key == 18))
        uow.commit()
    found = _first(services, probe, k=20)
    assert rids[17] not in found and len(found) == 20
    assert not identity.search_biometric(services, DE, BiometricQuery(vector=probe.tolist(), k=1))[0]["match"]
    assert identity.identity_biometric_index_job(services, NOW).endswith("saved")

    biometric_index._INDEXES.clear()  # a new process: the saved file describes the store
    with services.engine.connect() as conn:
        idx = biometric_index.for_store(conn)
    assert idx.origin == "loaded" and len(idx) == 299
    assert rids[17] not in _first(services, probe, k=50)


def test_a_removal_the_index_has_not_seen_makes_the_next_start_rebuild(bio_store):
    services = bio_store
    bio = SyntheticBiometrics(seed=32)
    people = bio.persons(50)
    rids = _records_with_templates(services, bio.captures(people, 1))
    with services.engine.connect() as conn:
        assert biometric_index.for_store(conn).origin == "built"
    with services.uow() as uow:
        uow.conn.execute(delete(biometric_templates).where(biometric_templates.c.index_key == 3))
        uow.commit()
    biometric_index._INDEXES.clear()
    with services.engine.connect() as conn:
        idx = biometric_index.for_store(conn)
    assert idx.origin == "built" and len(idx) == 49  # the file held one template too many
    assert rids[2] not in _first(services, bio.captures(people[2:3], 2)[0], k=50)


def test_enrolments_after_a_load_survive_the_next_save_and_load(bio_store):
    services = bio_store
    bio = SyntheticBiometrics(seed=33)
    people = bio.persons(40)
    rids = _records_with_templates(services, bio.captures(people[:30], 1))
    with services.engine.connect() as conn:
        biometric_index.for_store(conn)
    biometric_index._INDEXES.clear()
    for i in range(30, 40):  # persons 30..39 get a record now, their template through the service
        with services.uow() as uow:
            rid = f"R-LATE{i}"
            uow.conn.execute(insert(persons).values(id=f"P-{rid}", member_state="DE", created_at=NOW, version=1))
            uow.conn.execute(insert(identity_records).values(
                id=rid, person_id=f"P-{rid}", member_state="DE", recorded_on=date(2026, 11, 1),
                category="applicant", given_names="C", surname=f"D{i}", created_at=NOW, version=1))
            uow.commit()
        identity.enrol_template(services, DE, TemplateEnrol(identity_record_id=rid,
                                                            vector=bio.captures(people[i:i + 1], 1)[0].tolist()))
        rids.append(rid)
    with services.engine.connect() as conn:
        idx = biometric_index.for_store(conn)
    assert idx.origin == "loaded" and len(idx) == 40 and idx.dirty
    assert identity.identity_biometric_index_job(services, NOW).endswith("saved")
    biometric_index._INDEXES.clear()
    with services.engine.connect() as conn:
        idx = biometric_index.for_store(conn)
    assert idx.origin == "loaded" and len(idx) == 40
    queries = bio.captures(people, 2)
    assert [_first(services, q)[0] for q in queries] == rids


@pytest.mark.postgres
def test_the_biometric_index_of_a_postgres_store_is_saved_in_var_dir_and_loaded(pg_services, tmp_path, monkeypatch):
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path / "var"))
    biometric_index._INDEXES.clear()
    try:
        bio = SyntheticBiometrics(seed=34)
        people = bio.persons(120)
        rids = _records_with_templates(pg_services, bio.captures(people, 1))
        with pg_services.engine.connect() as conn:
            idx = biometric_index.for_store(conn)
            path = biometric_index.index_path(conn)
        assert idx.origin == "built" and len(idx) == 120
        assert path is not None and path.parent == tmp_path / "var" and path.suffix == ".npz" and path.exists()
        biometric_index._INDEXES.clear()
        with pg_services.engine.connect() as conn:
            assert biometric_index.for_store(conn).origin == "loaded"
        queries = bio.captures(people, 2)
        assert [_first(pg_services, q)[0] for q in queries] == rids
    finally:
        biometric_index._INDEXES.clear()
