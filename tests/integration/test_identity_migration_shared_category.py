"""The identity data migration ``identity_0006_search_shared_category``: the search keys written
before it carry the identity record's category, through which another state's search reached a
record whose Eurodac data were erased, or that had none; after it they carry the category of the
record's Eurodac data not erased, or none; the templates the registry's retention left behind of
records whose Eurodac data it erased are deleted."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, select, update

from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade
from pactum.store.tables.identity import biometric_templates, identity_search_keys
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import eurodac_records, identity_records, persons

AT = datetime(2026, 7, 20, 10, tzinfo=UTC)


def test_the_upgrade_gives_the_search_keys_the_category_of_the_eurodac_data_not_erased(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "identity_0005_search_local_reading")
    records = {"idr_live": ("applicant", None), "idr_erased": ("applicant", AT), "idr_crossing": ("irregular_crossing", None),
               "idr_child": ("applicant", "no Eurodac data")}
    with engine.begin() as conn:
        conn.execute(insert(persons).values(id="per_1", member_state="IT", created_at=AT, version=1))
        for rid, (category, erased) in records.items():
            conn.execute(insert(identity_records).values(
                id=rid, person_id="per_1", member_state="IT", recorded_on=date(2026, 7, 20), category=category,
                surname="Traore", created_at=AT, version=1))
            conn.execute(insert(identity_search_keys).values(identity_record_id=rid, member_state="IT",
                                                             category=category, features={}))
            if erased != "no Eurodac data":
                conn.execute(insert(eurodac_records).values(
                    id=f"edc_{rid}", identity_record_id=rid, member_state="IT", category=category,
                    registered_at=AT, retention_until=date(2031, 7, 20), erased_at=erased))
            conn.execute(insert(biometric_templates).values(
                id=f"BT-{rid}", identity_record_id=rid, member_state="IT", dimensions=2, vector=b"\0" * 8,
                index_key=len(rid) * 100 + ord(rid[-1]), created_at=AT))
        # the registry's retention erased a Eurodac record and no longer names its identity record:
        # its audit entry does
        conn.execute(update(eurodac_records).where(eurodac_records.c.id == "edc_idr_erased")
                     .values(identity_record_id=None))
        conn.execute(insert(audit_log).values(
            seq=1, at=AT, actor="system", authority="EU-LISA", action="eurodac.erased", entity_type="eurodac_record",
            entity_id="edc_idr_erased", before={"identity_record_id": "idr_erased"}, after={"erased_on": "2031-07-21"},
            prev_hash="0" * 64, hash="1" * 64))
    upgrade(engine)
    with engine.connect() as conn:
        categories = dict(conn.execute(select(identity_search_keys.c.identity_record_id,
                                              identity_search_keys.c.category)).all())
        templates = set(conn.execute(select(biometric_templates.c.identity_record_id)).scalars())
    engine.dispose()
    assert categories == {"idr_live": "applicant", "idr_erased": None, "idr_crossing": "irregular_crossing",
                          "idr_child": None}
    # the template of the record whose Eurodac data were erased is gone; the others stay
    assert templates == {"idr_live", "idr_crossing", "idr_child"}
