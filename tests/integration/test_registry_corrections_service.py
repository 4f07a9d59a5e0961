"""Correcting a registered record's identity data (rectification: GDPR Art 16; Eurodac Reg. (EU)
2024/1358 Art 40(3)): who may, what is checked, what is written in one unit of work, and the
comparison made again with the corrected data."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.identity.schemas import SearchQuery
from pactum.registry.model import RegisterArrival
from pactum.services import identity, record_corrections, registry
from pactum.services.audit import CHANGED
from pactum.store.tables.identity import identity_comparisons, identity_links, identity_search_keys
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import identity_documents, identity_records, screenings


def _arrival(surname: str, given: str, *, dob: str = "1994-05-02", nationality: str = "TUN",
             when: str = "2026-11-20T09:00:00Z", ms: str = "IT", **identity_extra: Any) -> RegisterArrival:
    return RegisterArrival.model_validate({
        "identity": {"surname": surname, "given_names": given, "sex": "M", "date_of_birth": dob,
                     "nationality": nationality, **identity_extra},
        "encounter": {"member_state": ms, "kind": "in_territory_application", "occurred_at": when},
        "biometrics": {"captured_at": when}})


def _registered(services: Any, officer: Any, data: RegisterArrival) -> Any:
    result = registry.register_arrival(services, officer, data)
    identity.comparison.compare_registered(services, officer, result.identity_record_id)
    return result


def _record(services: Any, record_id: str) -> Any:
    with services.engine.connect() as conn:
        return conn.execute(select(identity_records).where(identity_records.c.id == record_id)).one()


def _entries(services: Any, record_id: str) -> list[Any]:
    with services.engine.connect() as conn:
        return conn.execute(select(audit_log).where(audit_log.c.action == record_corrections.CORRECTED,
                                                    audit_log.c.entity_id == record_id)).fetchall()


def test_only_a_caseworker_of_the_records_state_corrects_it(services, principal):
    rec = _registered(services, principal("it-caseworker"), _arrival("Mansour", "Tarek")).identity_record_id
    for user in ("it-dublin", "it-admin", "it-return", "it-analyst"):
        with pytest.raises(Forbidden):
            record_corrections.correct_record(services, principal(user), rec, {"surname": "Mansur"}, "misspelt")
    with pytest.raises(NotFound):  # another state's record is not found, as every read of one
        record_corrections.correct_record(services, principal("el-caseworker"), rec, {"surname": "Mansur"}, "x")
    with pytest.raises(NotFound):
        record_corrections.correct_record(services, principal("it-caseworker"), "idr_nope", {"surname": "X"}, "x")
    assert _record(services, rec).surname == "Mansour" and _entries(services, rec) == []


def test_values_are_checked_as_a_registration_checks_them_and_nothing_is_half_written(services, principal):
    it = principal("it-caseworker")
    rec = _registered(services, it, _arrival("Mansour", "Tarek")).identity_record_id
    cases = [
        ({"date_of_birth": "1994-13-40"}, "changes.date_of_birth"),
        ({"date_of_birth": "2026-11-25"}, "changes.date_of_birth"),  # after the encounter (2026-11-20)
        ({"nationality": "ITA"}, "changes.nationality"),  # a Union nationality: not a third-country national
        ({"sex": "male"}, "changes.sex"),
        ({"surname": "+++"}, "changes.surname"),  # a name has a letter
        ({"surname": None, "given_names": None}, "changes.surname"),  # a surname or given names
        ({"document_country": "TUR"}, "changes.document_number"),  # a document without its number
        ({"shoe_size": "44"}, "changes.shoe_size"),
    ]
    for changes, field in cases:
        with pytest.raises(ValidationProblem) as refused:
            record_corrections.correct_record(services, it, rec, {**changes, "given_names": "Tareq"}
                                              if "given_names" not in changes else changes, "typed wrong")
        assert field in [f for f, _ in refused.value.problems], (changes, refused.value.problems)
    with pytest.raises(ValidationProblem) as refused:
        record_corrections.correct_record(services, it, rec, {"surname": "Mansur"}, "   ")
    assert refused.value.problems == [("reason", "required: say why the record's identity data are corrected")]
    row = _record(services, rec)
    assert (row.surname, row.given_names, row.date_of_birth, row.version) == ("Mansour", "Tarek", "1994-05-02", 1)
    assert _entries(services, rec) == []
    with pytest.raises(Conflict):  # a version other than the record's: changed since the officer read it
        record_corrections.correct_record(services, it, rec, {"surname": "Mansur"}, "misspelt", version=7)


def test_a_correction_that_changes_nothing_is_refused_saying_so(services, principal):
    it = principal("it-caseworker")
    rec = _registered(services, it, _arrival("Mansour", "Tarek")).identity_record_id
    with pytest.raises(ValidationProblem) as refused:
        record_corrections.correct_record(services, it, rec, {"surname": "Mansour", "nationality": "tun"}, "check")
    assert refused.value.problems == [("changes", "nothing changed: every field given is as the record has it")]
    with pytest.raises(ValidationProblem) as refused:
        record_corrections.correct_record(services, it, rec, {}, "check")
    assert refused.value.problems == [("changes", "nothing to correct: give at least one field of the identity")]
    assert _record(services, rec).version == 1 and _entries(services, rec) == []


def test_one_audit_entry_says_what_changed_by_whom_and_why_without_the_identity_values(services, principal):
    it = principal("it-caseworker")
    rec = _registered(services, it, _arrival("Mansour", "Tarek", nationality="SYR")).identity_record_id
    result = record_corrections.correct_record(services, it, rec, {"surname": "Mansur", "nationality": "IRQ"},
                                               "surname misspelt; nationality corrected after the document check")
    assert result["changed"] == ["surname", "surname_latin", "nationality"]
    (entry,) = _entries(services, rec)
    assert (entry.actor, entry.authority, entry.entity_type) == ("it-caseworker", "IT", "identity_record")
    assert entry.before["record"] == {"surname": CHANGED, "surname_latin": CHANGED, "nationality": "SYR"}
    assert entry.after["record"] == {"surname": CHANGED, "surname_latin": CHANGED, "nationality": "IRQ"}
    assert entry.after["reason"] == "surname misspelt; nationality corrected after the document check"
    assert entry.after["changed"] == ["surname", "surname_latin", "nationality"]
    assert "Regulation (EU) 2016/679, Article 16 (right to rectification)" in entry.after["legal_basis"]
    text = json.dumps([entry.before, entry.after])
    assert "Mansur" not in text and "Mansour" not in text  # the names stay in the record, not in the chain
    row = _record(services, rec)
    assert (row.surname, row.surname_latin, row.nationality, row.version) == ("Mansur", "Mansur", "IRQ", 2)
    # the person page's list of corrections reads it back
    (said,) = registry.person_view(services, it, row.person_id)["corrections"]
    assert said["by"] == "it-caseworker" and said["changed_words"] == ["surname", "surname in Latin script",
                                                                        "nationality"]
    assert [ln["before"] for ln in said["lines"] if ln["values_kept"]] == ["SYR"]


def test_the_search_key_is_recomputed_so_the_corrected_name_is_found(services, principal):
    it = principal("it-caseworker")
    rec = _registered(services, it, _arrival("Qxwerty", "Tarek")).identity_record_id
    query = SearchQuery(surname="Benali", given_names="Tarek", date_of_birth="1994-05-02")

    def found() -> dict[str, Any]:
        return {c["identity_record_id"]: c for c in identity.search(services, it, query)["candidates"]}

    assert found()[rec]["explanation"]["names"]["level"] == "same given name, other surname"
    record_corrections.correct_record(services, it, rec, {"surname": "Benali"}, "surname typed wrong")
    # the identity search reads the record's key: it now compares the corrected name
    assert found()[rec]["explanation"]["names"]["level"] == "same spelling"
    # the key is the one the registration computes for the corrected row (and the index job would)
    row = dict(_record(services, rec)._mapping)
    with services.engine.begin() as conn:
        stored = conn.execute(select(identity_search_keys.c.features)
                              .where(identity_search_keys.c.identity_record_id == rec)).scalar_one()
        assert dict(stored) == registry._search_features(row) == identity.index_record(conn, rec)


def test_a_correction_that_makes_the_record_match_another_persons_creates_a_link_to_verify(services, principal):
    it = principal("it-caseworker")
    first = _registered(services, it, _arrival("Haddad", "Karim", place_of_birth="Aleppo"))
    # the same man registered again with given name and surname swapped and the day and month typed wrong
    second = _registered(services, it, _arrival("Karim", "Hadad", dob="1990-01-07", place_of_birth="Aleppo",
                                                when="2026-11-22T09:00:00Z"))
    with services.engine.connect() as conn:
        links = conn.execute(select(func.count()).select_from(identity_links)).scalar_one()
    assert links == 0
    result = record_corrections.correct_record(
        services, it, second.identity_record_id,
        {"surname": "Haddad", "given_names": "Karim", "date_of_birth": "1994-05-02"},
        "given name and surname swapped, date of birth typed wrong")
    (made,) = result["comparison"]["links_made"]
    assert made["colour"] == "yellow" and made["status"] == "pending"
    assert first.identity_record_id in [c["identity_record_id"] for c in result["comparison"]["candidates"]]
    assert made["id"] in [lk["id"] for lk in identity.verification_queue(services, it)]
    with services.engine.connect() as conn:
        compared = conn.execute(select(identity_comparisons).where(
            identity_comparisons.c.identity_record_id == second.identity_record_id)).one()
    assert compared.compared_via == "correction" and compared.compared_by == "it-caseworker"
    (entry,) = _entries(services, second.identity_record_id)
    assert entry.after["comparison"]["links_made"] == [made["id"]]


def test_a_link_made_before_stays_and_its_page_says_the_record_was_corrected_since(services, principal):
    it = principal("it-caseworker")
    first = _registered(services, it, _arrival("Gharbi", "Walid"))
    second = _registered(services, it, _arrival("Garbi", "Walid", when="2026-11-22T09:00:00Z"))
    (link,) = identity.links_of_person(services, it, second.person_id)
    assert identity.get_link(services, it, link["id"])["corrections"] == []
    services.clock.set(services.clock.now() + timedelta(hours=2))  # corrected later that day
    result = record_corrections.correct_record(services, it, second.identity_record_id, {"surname": "Gharbi"},
                                               "surname misspelt")
    assert result["comparison"]["links_made"] == []  # the link the record had stays, no second one
    (still,) = identity.links_of_person(services, it, second.person_id)
    assert (still["id"], still["colour"], still["status"]) == (link["id"], link["colour"], link["status"])
    page = identity.get_link(services, it, link["id"])
    (said,) = page["corrections"]
    assert said["identity_record_id"] == second.identity_record_id and said["changed"] == ["surname", "surname_latin"]
    assert said["own"] and said["reason"] == "surname misspelt"
    assert page["records"]["linked_record"]["surname"] == "Gharbi" or page["records"]["record"]["surname"] == "Gharbi"
    since = record_corrections.corrections_since_links(services, it, identity.links_of_person(services, it,
                                                                                            first.person_id))
    assert [c["identity_record_id"] for c in since[link["id"]]] == [second.identity_record_id]


def test_a_document_number_added_later_is_the_records_document(services, principal):
    it = principal("it-caseworker")
    reg = _registered(services, it, _arrival("Mansour", "Tarek"))
    record_corrections.correct_record(services, it, reg.identity_record_id,
                                      {"document_type": "passport", "document_number": "TN1234567",
                                       "document_country": "TUN", "document_expiry": "2031-01-31"},
                                      "passport shown after the registration")
    row = _record(services, reg.identity_record_id)
    assert (row.document_type, row.document_number, row.document_country, str(row.document_expiry)) == (
        "passport", "TN1234567", "TUN", "2031-01-31")
    with services.engine.connect() as conn:
        docs = conn.execute(select(identity_documents.c.document_number).where(
            identity_documents.c.identity_record_id == reg.identity_record_id)).scalars().all()
        summary = conn.execute(select(screenings.c.identity_summary).where(
            screenings.c.person_id == reg.person_id)).scalar_one()
    assert docs == ["TN1234567"]
    record_corrections.correct_record(services, it, reg.identity_record_id,
                                      {"given_names": "Tareq", "date_of_birth": "1994"}, "given name misspelt")
    with services.engine.connect() as conn:  # the open screening's point (a) follows the record
        summary = conn.execute(select(screenings.c.identity_summary).where(
            screenings.c.person_id == reg.person_id)).scalar_one()
    assert summary.startswith("Tareq Mansour, born 1994")


def test_a_correction_whose_comparison_fails_writes_nothing(services, principal, monkeypatch):
    it = principal("it-caseworker")
    reg = _registered(services, it, _arrival("Mansour", "Tarek"))
    with services.engine.connect() as conn:
        key_before = conn.execute(select(identity_search_keys.c.names_key).where(
            identity_search_keys.c.identity_record_id == reg.identity_record_id)).scalar_one()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the comparison failed")

    monkeypatch.setattr(identity, "search_candidates_for_record", broken)
    with pytest.raises(RuntimeError):
        record_corrections.correct_record(services, it, reg.identity_record_id, {"surname": "Benali"}, "typo")
    row = _record(services, reg.identity_record_id)
    with services.engine.connect() as conn:
        key_after = conn.execute(select(identity_search_keys.c.names_key).where(
            identity_search_keys.c.identity_record_id == reg.identity_record_id)).scalar_one()
    assert (row.surname, row.version, key_after) == ("Mansour", 1, key_before)
    assert _entries(services, reg.identity_record_id) == []


def test_a_date_of_birth_that_crosses_the_biometric_age_is_said_not_silently_kept(services, principal):
    it = principal("it-caseworker")
    reg = _registered(services, it, _arrival("Mansour", "Tarek"))
    result = record_corrections.correct_record(services, it, reg.identity_record_id,
                                               {"date_of_birth": "2023-02-01"}, "a child: the year was typed wrong")
    (warning,) = result["warnings"]
    assert "was, or may have been, under 6" in warning and "not changed by the correction" in warning
    (entry,) = _entries(services, reg.identity_record_id)
    assert entry.after["warnings"] == [warning]


def test_a_correction_made_under_the_eurodac_recast_cites_it_whenever_the_record_was_registered(
        services, principal):
    """A record registered in 2025 under Regulation (EU) No 603/2013 and corrected now, while the
    recast applies: the correction is made under Regulation (EU) 2024/1358, Article 40(3)."""
    it = principal("it-caseworker")
    rec = _registered(services, it, _arrival("Mansour", "Tarek", when="2025-03-03T09:00:00Z")).identity_record_id
    assert _record(services, rec).recorded_on.year == 2025
    record_corrections.correct_record(services, it, rec, {"surname": "Mansur"}, "surname misspelt")
    (entry,) = _entries(services, rec)
    basis = " ".join(entry.after["legal_basis"])
    assert "Regulation (EU) 2024/1358, Article 40(3)" in basis and "603/2013" not in basis


def test_a_correction_before_the_recast_cites_the_paragraph_of_603_2013_that_reserves_it_to_the_state_of_origin() -> None:
    """Reg. 603/2013 Art 27(3), read in the Official Journal text (Italian version): only the Member
    State of origin may amend the data it transmitted, by rectifying, supplementing or erasing them.
    The citation named Article 27 without its paragraph ('paragraph unverified') until 2026-12-01."""
    from datetime import date as _date

    from pactum.services.record_corrections import legal_basis

    basis = legal_basis(_date(2026, 3, 2))
    assert basis[1].startswith("Regulation (EU) No 603/2013, Article 27(3): only the Member State of origin")
    assert "unverified" not in " ".join(basis)
