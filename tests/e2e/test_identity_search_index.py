"""Candidate retrieval at scale and the persisted biometric index.

The online search ranks the blocks by a cheap pre-score in the database and scores only the best
``PRESCORE_CAP`` candidates in full; these tests shrink the cap so that a handful of namesakes
stand for the thousands of a national store, and check that the person sought is still found and
that records the officer may not see never take a place. The biometric index is saved beside the
store and loaded, not rebuilt, by the next process; a file that does not describe the store is
ignored.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pytest
from sqlalchemy import insert

from pactum.identity.biometrics import SyntheticBiometrics
from pactum.identity.schemas import BiometricQuery, SearchQuery, TemplateEnrol
from pactum.services import identity
from pactum.services.auth import Principal, Role
from pactum.services.identity import biometric_index
from pactum.store.tables.identity import biometric_templates
from pactum.store.tables.registry import eurodac_records, identity_records, persons

NOW = datetime(2026, 11, 28, tzinfo=UTC)
DE = Principal("u-de", "de-caseworker", "DE", frozenset({Role.caseworker}))


def add_record(services, rid: str, ms: str, category: str, given: str, surname: str, dob: str,
               father: str | None = None, sex: str = "M") -> str:
    """A record of ``ms`` with its Eurodac data, as a registration stores them (another state's
    record is searched through its Eurodac data, never through the identity record alone)."""
    with services.uow() as uow:
        uow.conn.execute(insert(persons).values(id=f"P-{rid}", member_state=ms, created_at=NOW, version=1))
        uow.conn.execute(insert(identity_records).values(
            id=rid, person_id=f"P-{rid}", member_state=ms, recorded_on=date(2026, 11, 1), category=category,
            given_names=given, surname=surname, father_name=father, sex=sex, date_of_birth=dob,
            nationality="SYR", created_at=NOW, version=1))
        uow.conn.execute(insert(eurodac_records).values(
            id=f"E-{rid}", identity_record_id=rid, member_state=ms, category=category, registered_at=NOW,
            retention_until=date(2036, 11, 1)))
        identity.index_record(uow.conn, rid)
        uow.commit()
    return rid


def ids(result: dict[str, Any]) -> list[str]:
    return [c["identity_record_id"] for c in result["candidates"]]


def test_the_person_sought_is_found_among_many_namesakes(services, monkeypatch):
    surnames = ["Ahmadi", "Karimi", "Rahimi", "Haidari", "Sultani", "Nazari", "Hashimi", "Qasimi"]
    for i in range(40):  # same given name and birth year: all in the given-name block
        add_record(services, f"R-NS{i:02d}", "DE", "applicant", "Mohammed", surnames[i % 8] + "zada"[: i % 4],
                   f"1990-{1 + i % 12:02d}-{1 + i % 27:02d}")
    target = add_record(services, "R-TARGET", "DE", "applicant", "Muhamad", "Haddad", "1990-05-03", father="Ali")
    query = SearchQuery(given_names="Mohammed", surname="Hadad", date_of_birth="1990-05-03", father_name="Ali")
    full = identity.search(services, DE, query)
    monkeypatch.setattr(identity, "PRESCORE_CAP", 5)
    capped = identity.search(services, DE, query)
    assert full["blocked_rows"] == capped["blocked_rows"] == 41
    assert capped["scored_rows"] == 5 and full["scored_rows"] == 41
    assert ids(capped)[0] == ids(full)[0] == target
    top = capped["candidates"][0]
    assert top["explanation"]["names"]["level"] == "same name, other transliteration"
    assert top["explanation"]["date_of_birth"]["level"] == "same full date"
    # the scores of the candidates that were scored do not depend on the cap
    by_id = {c["identity_record_id"]: c["match_probability"] for c in full["candidates"]}
    assert all(by_id[c["identity_record_id"]] == c["match_probability"] for c in capped["candidates"])


def test_the_right_full_date_of_birth_outranks_namesakes_born_that_year_before_full_scoring(services, monkeypatch):
    # "Mohammed Mohammed" born in 1966: each shares the surname key and the year with the query
    # (pre-score 14); the person sought has a typo in the given name ("Kaled" for Khaled, written
    # "Chaled" by a German officer) but the same full date: a full date must count for more than
    # a year with a namesake's given name, as in the model (14.7 bits against 12.9 for the whole name)
    for i in range(12):
        add_record(services, f"R-A{i:02d}", "DE", "applicant", "Mohammed", "Mohammed", f"1966-{1 + i:02d}-15")
    target = add_record(services, "R-Z-TARGET", "DE", "applicant", "Kaled", "Mohammed", "1966-10-27")
    monkeypatch.setattr(identity, "PRESCORE_CAP", 5)
    res = identity.search(services, DE, SearchQuery(given_names="Chaled", surname="Mohammed",
                                                    date_of_birth="1966-10-27", sex="M"))
    assert res["blocked_rows"] == 13 and res["scored_rows"] == 5
    assert ids(res)[0] == target
    assert res["candidates"][0]["explanation"]["date_of_birth"]["level"] == "same full date"


def test_a_record_with_the_same_full_date_is_found_though_no_name_key_is_shared(services):
    # Spanish j for kh, a compound surname joined: no name key in common with the query, so no
    # name block holds the record; the same full date of birth does (the batch linkage blocks on it)
    target = add_record(services, "R-KHADIDJA", "DE", "applicant", "Khadidja", "Abou Mohammed Hani", "2012-12-28",
                        sex="F")
    add_record(services, "R-OTHER", "DE", "applicant", "Fatima", "Hassan", "2012-12-28", sex="F")
    add_record(services, "R-PLACEHOLDER", "DE", "applicant", "Jadija", "Hassan", "2012-01-01", sex="F")
    res = identity.search(services, DE, SearchQuery(given_names="Jadija", surname="Abu MohammedHani",
                                                    date_of_birth="2012-12-28", sex="F"))
    assert ids(res)[0] == target
    assert res["candidates"][0]["explanation"]["date_of_birth"]["level"] == "same full date"
    # a 1 January placeholder is no full date: it makes no block of every person "born" that day
    placeholder = identity.search(services, DE, SearchQuery(given_names="Mariam", surname="Zaid",
                                                            date_of_birth="2012-01-01", sex="F"))
    assert placeholder["blocked_rows"] == 0


def test_records_the_officer_may_not_see_take_no_place(services, monkeypatch):
    # French irregular-crossing records are invisible to a German officer (not applicants, no alert)
    for i in range(30):
        add_record(services, f"R-FR{i:02d}", "FR", "irregular_crossing", "Yusuf", "Hassan", "1985-02-11")
    applicant = add_record(services, "R-IT-APP", "IT", "applicant", "Youssef", "Hasan", "1986")
    monkeypatch.setattr(identity, "PRESCORE_CAP", 3)
    res = identity.search(services, DE, SearchQuery(given_names="Yusuf", surname="Hassan", date_of_birth="1985-02-11"))
    assert ids(res) == [applicant]
    assert res["candidates"][0]["component"] == "eurodac"
    # the French officer sees all thirty as national records
    fr = Principal("u-fr", "fr-caseworker", "FR", frozenset({Role.caseworker}))
    res = identity.search(services, fr, SearchQuery(given_names="Yusuf", surname="Hassan",
                                                    date_of_birth="1985-02-11", limit=50))
    assert sum(c["component"] == "national" for c in res["candidates"]) == 3  # the cap, all French
    monkeypatch.setattr(identity, "PRESCORE_CAP", 200)
    res = identity.search(services, fr, SearchQuery(given_names="Yusuf", surname="Hassan",
                                                    date_of_birth="1985-02-11", limit=50))
    assert sum(c["component"] == "national" for c in res["candidates"]) == 30


@pytest.fixture
def bio_store(services):
    biometric_index._INDEXES.clear()
    yield services
    biometric_index._INDEXES.clear()


def _insert_templates(services, vectors: np.ndarray, first_key: int) -> list[str]:
    rids = []
    with services.uow() as uow:
        for i, vec in enumerate(vectors):
            rid = f"R-BIO{first_key + i:04d}"
            uow.conn.execute(insert(persons).values(id=f"P-{rid}", member_state="DE", created_at=NOW, version=1))
            uow.conn.execute(insert(identity_records).values(
                id=rid, person_id=f"P-{rid}", member_state="DE", recorded_on=date(2026, 11, 1),
                category="applicant", given_names="A", surname=f"B{i}", created_at=NOW, version=1))
            uow.conn.execute(insert(biometric_templates).values(
                id=f"BT-{first_key + i}", identity_record_id=rid, member_state="DE", dimensions=128,
                vector=vec.astype(np.float32).tobytes(), index_key=first_key + i, created_at=NOW))
            rids.append(rid)
        uow.commit()
    return rids


def test_the_biometric_index_is_saved_beside_the_store_and_loaded_on_restart(bio_store):
    services = bio_store
    bio = SyntheticBiometrics(seed=11)
    persons_ = bio.persons(60)
    rids = _insert_templates(services, bio.captures(persons_, 1), 1)
    probe = BiometricQuery(vector=bio.captures(persons_[7:8], 2)[0].tolist(), k=3)
    with services.engine.connect() as conn:
        idx = biometric_index.for_store(conn)
        path = biometric_index.index_path(conn)
    assert idx.origin == "built" and len(idx) == 60
    db_file = services.engine.url.database
    assert path is not None and str(path) == f"{db_file}.biometric.npz" and path.exists()
    assert identity.search_biometric(services, DE, probe)[0]["identity_record_id"] == rids[7]

    # a new process: the file is loaded, not rebuilt
    biometric_index._INDEXES.clear()
    with services.engine.connect() as conn:
        idx = biometric_index.for_store(conn)
    assert idx.origin == "loaded" and len(idx) == 60
    assert identity.search_biometric(services, DE, probe)[0]["identity_record_id"] == rids[7]

    # a template enrolled through the service is searchable at once; the next start adds it to
    # the saved graph, and the job saves the graph again
    target = rids[20]
    newcomer = bio.captures(persons_[20:21], 5)[0]
    identity.enrol_template(services, DE, TemplateEnrol(identity_record_id=target, vector=newcomer.tolist()))
    biometric_index._INDEXES.clear()
    with services.engine.connect() as conn:
        idx = biometric_index.for_store(conn)
    assert idx.origin == "loaded+added" and len(idx) == 61 and idx.dirty
    assert identity.identity_biometric_index_job(services, NOW).endswith("saved")
    biometric_index._INDEXES.clear()
    with services.engine.connect() as conn:
        assert biometric_index.for_store(conn).origin == "loaded"


def test_a_saved_index_of_another_store_is_not_used(bio_store):
    services = bio_store
    bio = SyntheticBiometrics(seed=12)
    first = _insert_templates(services, bio.persons(10), 1)
    with services.engine.connect() as conn:
        biometric_index.for_store(conn)
        path = biometric_index.index_path(conn)
    assert path is not None and path.exists()
    # the store is replaced (e.g. the demo world rebuilt): same keys, other templates
    with services.uow() as uow:
        uow.conn.execute(biometric_templates.delete())
        uow.commit()
    other = np.random.default_rng(1).standard_normal((10, 128)).astype(np.float32)
    other /= np.linalg.norm(other, axis=1, keepdims=True)
    second = [f"R-BIO{i:04d}" for i in range(1, 11)]
    with services.uow() as uow:
        for i, vec in enumerate(other):
            uow.conn.execute(insert(biometric_templates).values(
                id=f"BT-new-{i}", identity_record_id=first[i], member_state="DE", dimensions=128,
                vector=vec.tobytes(), index_key=i + 1, created_at=NOW))
        uow.commit()
    biometric_index._INDEXES.clear()
    with services.engine.connect() as conn:
        idx = biometric_index.for_store(conn)
    assert idx.origin == "built"
    hit = identity.search_biometric(services, DE, BiometricQuery(vector=other[4].tolist(), k=1))
    assert hit[0]["identity_record_id"] == second[4] and hit[0]["score"] > 0.99


def test_index_all_recomputes_stale_search_keys(services):
    """After an upgrade that changes the name normalisation, `pactum identity index --all` gives
    every record the keys of the running release, so the search finds it again."""
    from sqlalchemy import select, update
    from typer.testing import CliRunner

    from pactum.cli.main import app
    from pactum.store.tables.identity import identity_search_keys

    add_record(services, "R-JOH", "DE", "applicant", "Johannes", "Tesfai", "1990-05-03")
    with services.uow() as uow:  # keys as an older normaliser wrote them
        uow.conn.execute(update(identity_search_keys).where(identity_search_keys.c.identity_record_id == "R-JOH")
                         .values(names_key="jhns tsf", given_key="jhns"))
        uow.commit()
    query = SearchQuery(given_names="Yohannes", surname="Tesfay", date_of_birth="1990")
    r = CliRunner().invoke(app, ["identity", "index", "--all"],
                           env={"PACTUM_DATABASE_URL": services.settings.database_url})
    assert r.exit_code == 0, r.output
    assert '"indexed": 1' in r.output
    with services.engine.connect() as conn:
        key = conn.execute(select(identity_search_keys.c.names_key)
                           .where(identity_search_keys.c.identity_record_id == "R-JOH")).scalar()
    assert key == "hns tsf"  # Johannes and Yohannes share one key again
    assert ids(identity.search(services, DE, query))[0] == "R-JOH"


def test_after_an_upgrade_the_index_job_recomputes_keys_of_an_earlier_normalisation(services):
    from sqlalchemy import select, update

    from pactum.identity.normalise import NORMALISATION_VERSION
    from pactum.services import jobs
    from pactum.store.tables.identity import identity_search_keys

    add_record(services, "R-CHA", "DE", "applicant", "Chalid", "Chasan", "1990")
    add_record(services, "R-NEW", "DE", "applicant", "Samir", "Haddad", "1991")
    with services.uow() as uow:  # R-CHA as written before the version was recorded: no local key
        uow.conn.execute(update(identity_search_keys).where(identity_search_keys.c.identity_record_id == "R-CHA")
                         .values(names_key_local=None, keys_version=None))
        uow.commit()
    query = SearchQuery(given_names="Khalid", surname="Hasan", date_of_birth="1990")
    IT = Principal("u-it", "it-caseworker", "IT", frozenset({Role.caseworker}))
    assert "R-CHA" not in ids(identity.search(services, IT, query))
    message = jobs.load_all()["identity_index"].fn(services, services.clock.now())
    assert message == "0 identity records indexed for search, 1 recomputed after a change of the normalisation"
    with services.engine.connect() as conn:
        versions = dict(conn.execute(select(identity_search_keys.c.identity_record_id,
                                            identity_search_keys.c.keys_version)).all())
    assert versions == {"R-CHA": NORMALISATION_VERSION, "R-NEW": NORMALISATION_VERSION}
    assert "R-CHA" in ids(identity.search(services, IT, query))  # German Chalid read as Khalid
    # nothing left: the next run recomputes nothing
    assert jobs.load_all()["identity_index"].fn(services, services.clock.now()).startswith("0 identity records indexed")
    with services.engine.connect() as conn:
        assert identity.index_stale(conn) == 0


def test_a_common_name_weighs_less_than_a_rare_one_with_the_same_evidence(services, monkeypatch):
    """A candidate who shares the query's name and year of birth is far likelier to be the person
    when the name is rare than when hundreds of records bear it; the search adjusts the names
    weight by the name's frequency in the store, as batch linkage does, and says so."""
    monkeypatch.setattr(identity, "TF_PRIOR_RECORDS", 100)  # a small test store speaks for itself
    for i in range(60):  # sixty different men named Mohammed Ahmed, born in various years
        add_record(services, f"R-MA{i:02d}", "DE", "applicant", "Mohammed", "Ahmed", f"{1960 + i % 40}")
    add_record(services, "R-MA-1990", "DE", "applicant", "Mohammed", "Ahmed", "1990")
    add_record(services, "R-TG-1990", "DE", "applicant", "Tesfamariam", "Gebrehiwet", "1990")
    common = identity.search(services, DE, SearchQuery(given_names="Mohammed", surname="Ahmed", date_of_birth="1990"))
    rare = identity.search(services, DE, SearchQuery(given_names="Tesfamariam", surname="Gebrehiwet",
                                                     date_of_birth="1990"))
    c = next(x for x in common["candidates"] if x["identity_record_id"] == "R-MA-1990")
    r = next(x for x in rare["candidates"] if x["identity_record_id"] == "R-TG-1990")
    assert c["explanation"]["names"]["level"] == r["explanation"]["names"]["level"] == "same spelling"
    # 61 records bear the one name, 1 the other: log2(61) = 5.9 bits apart before the shrinkage
    assert c["explanation"]["names"]["term_frequency_adjustment"] < r["explanation"]["names"]["term_frequency_adjustment"] - 4
    assert c["match_probability"] < r["match_probability"]
    # the other fields weigh the same for both
    assert c["explanation"]["date_of_birth"] == r["explanation"]["date_of_birth"]


def test_in_a_small_store_a_name_seen_once_is_not_read_as_common(services):
    """Each name is borne by at least the record found, so in a store of a few dozen records every
    name would look a hundred times commoner than the model's average name; the store's counts are
    weighed against the model's average with TF_PRIOR_RECORDS records' weight."""
    for i in range(40):
        add_record(services, f"R-S{i:02d}", "DE", "applicant", "Mohammed", f"Name{chr(65 + i % 26)}{i}", "1985")
    add_record(services, "R-TG", "DE", "applicant", "Tesfamariam", "Gebrehiwet", "1990")
    res = identity.search(services, DE, SearchQuery(given_names="Tesfamariam", surname="Gebrehiwet", date_of_birth="1990"))
    adj = next(x for x in res["candidates"] if x["identity_record_id"] == "R-TG")["explanation"]["names"]
    # 1 record in 41 would be log2(u / (1/41)) = -7.7 bits; weighed against 10,000 records of average names, -0.6
    assert -1.5 < adj["term_frequency_adjustment"] < 0


def test_a_comparison_reads_the_key_it_was_given_and_recomputes_only_a_stale_one(services):
    """The search features of a record are read from its search key when the current
    normalisation computed them (the registration wrote it): the same features as computing them
    again, without rewriting the key; a key of an earlier normalisation is recomputed."""
    from sqlalchemy import select

    from pactum.store.tables.identity import identity_search_keys

    rid = add_record(services, "R-KEY1", "DE", "applicant", "Muhammad", "Haddad", "1990-05-03", father="Ali")
    key = identity_search_keys.c
    with services.uow() as uow:
        computed = identity._record_features(uow.conn.execute(
            select(identity_records).where(identity_records.c.id == rid)).first())
        uow.conn.execute(identity_search_keys.update().where(key.identity_record_id == rid)
                         .values(names_key="untouched"))
        assert identity.indexed_features(uow.conn, rid) == computed
        assert uow.conn.execute(select(key.names_key).where(key.identity_record_id == rid)).scalar() == "untouched"
        uow.conn.execute(identity_search_keys.update().where(key.identity_record_id == rid)
                         .values(keys_version=None))
        assert identity.indexed_features(uow.conn, rid) == computed
        row = uow.conn.execute(select(key.names_key, key.keys_version).where(key.identity_record_id == rid)).first()
        assert row.names_key != "untouched" and row.keys_version is not None
