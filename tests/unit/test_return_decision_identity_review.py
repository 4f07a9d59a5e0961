"""A return decision issued before its person's identity record was corrected keeps the nationality
and destination it recorded (the return authority decides: Directive 2008/115/EC Art 3(3)), and
says so: the decision's read names what it recorded, what the record now says and the correction
(when, by whom, why, from the audit log), marks a destination that is the country of the
nationality the correction removed, and the list of decisions finds those needing this review.

Italy registered Karim Trabelsi as Egyptian and its return officer issued a return decision to
Egypt; the caseworkers then corrected his nationality to Tunisian once his passport was checked."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from pactum.common.errors import Conflict
from pactum.returns import identity_review
from pactum.returns.schemas import (
    DestinationAmendment,
    IdentityReviewed,
    ReturnDecisionCreate,
)
from pactum.services import record_corrections, returns
from pactum.store.tables.platform import audit_log
from tests.integration.test_registry_corrections_service import _arrival, _registered

CORRECTED_AT = datetime(2026, 11, 28, 15, 30, tzinfo=UTC)
REASON = "nationality corrected: Tunisian passport checked"


def _decided(services: Any, principal: Any, surname: str, nationality: str) -> dict[str, Any]:
    """A person of Italy registered with ``nationality`` and the return decision issued to them."""
    person = _registered(services, principal("it-caseworker"), _arrival(surname, "Karim", nationality=nationality))
    return returns.create_return_decision(services, principal("it-return"), ReturnDecisionCreate(
        person_id=person.person_id, issued_on=date(2026, 11, 25), voluntary_departure_days=10))


def _corrected(services: Any, principal: Any, decision: dict[str, Any], nationality: str) -> None:
    """The decision's record corrected later the same day, to ``nationality``."""
    services.clock.set(CORRECTED_AT)
    record_corrections.correct_record(services, principal("it-caseworker"), decision["identity_record_id"],
                                      {"nationality": nationality}, REASON)


def test_a_decision_to_the_nationality_the_correction_removed_says_both_and_when(services, principal):
    d = _decided(services, principal, "Trabelsi", "EGY")
    assert (d["nationality"], d["destination_country"], d["identity_review"]) == ("EGY", "EGY", None)
    _corrected(services, principal, d, "TUN")
    read = returns.get_decision(services, principal("it-return"), d["id"])
    # the decision keeps what it recorded: the officer decides
    assert (read["nationality"], read["destination_country"]) == ("EGY", "EGY")
    review = read["identity_review"]
    assert review["differences"] == [{"field": "nationality", "label": "nationality", "decision": "EGY",
                                      "record": "TUN"}]
    (correction,) = review["corrections"]
    assert correction["at"] == CORRECTED_AT.isoformat() and correction["by"] == "it-caseworker"
    assert correction["reason"] == REASON
    assert correction["lines"] == [{"field": "nationality", "label": "nationality", "values_kept": True,
                                    "before": "EGY", "after": "TUN"}]
    assert review["destination_of_removed_nationality"] is True and review["destination_review"] is True
    assert "EGY (Egypt)" in review["words"] and "TUN (Tunisia)" in review["words"]
    assert "country of the nationality the correction removed" in review["words"]
    assert "Directive 2008/115/EC, Article 3(3)" in review["legal_basis"]


def test_a_decision_whose_record_was_not_corrected_says_nothing(services, principal):
    d = _decided(services, principal, "Haddad", "TUN")
    services.clock.set(CORRECTED_AT)
    # a correction of a field the decision does not record is not a review of the decision
    record_corrections.correct_record(services, principal("it-caseworker"), d["identity_record_id"],
                                      {"place_of_birth": "Sfax"}, "place of birth added")
    assert returns.get_decision(services, principal("it-return"), d["id"])["identity_review"] is None


def test_a_destination_the_officer_set_elsewhere_is_not_marked_as_the_removed_nationality(services, principal):
    d = _decided(services, principal, "Trabelsi", "EGY")
    d = returns.amend_destination(services, principal("it-return"), d["id"], DestinationAmendment(
        version=d["version"], destination_country="LBY", issued_on=date(2026, 11, 26),
        reasons="the person lived in Libya on a residence permit", remedies="appeal to the court within 30 days"))
    _corrected(services, principal, d, "TUN")
    review = returns.get_decision(services, principal("it-return"), d["id"])["identity_review"]
    assert review["differences"][0]["decision"] == "EGY" and review["destination_country"] == "LBY"
    assert review["destination_of_removed_nationality"] is False
    assert "removed" not in review["words"]


def test_the_list_finds_the_decision_to_review_and_not_the_other(services, principal):
    corrected = _decided(services, principal, "Trabelsi", "EGY")
    untouched = _decided(services, principal, "Haddad", "TUN")
    _corrected(services, principal, corrected, "TUN")
    officer = principal("it-return")
    page = returns.decisions_page(services, officer, identity_review=True)
    assert [row["id"] for row in page["decisions"]] == [corrected["id"]] and page["total"] == 1
    rows = {row["id"]: row for row in returns.decisions_page(services, officer)["decisions"]}
    assert rows[corrected["id"]]["identity_review_fields"] == ["nationality"]
    assert rows[untouched["id"]]["identity_review_fields"] == []


def test_a_decision_no_longer_enforced_is_not_put_for_a_destination_review() -> None:
    """The review is built from the decision and the record only (pure): nothing when they agree;
    for a decision that is no longer to be enforced, the difference without a destination review."""
    decision = {"nationality": "EGY", "destination_country": "EGY", "status": "departed"}
    assert identity_review.review(decision, {"nationality": "EGY"}) is None
    review = identity_review.review(decision, {"nationality": "TUN"})
    assert review is not None and review.open is False
    assert "no longer to be enforced" in review.words()


NOTE = "destination unchanged: the person holds both nationalities"


def _reviewed(services: Any, principal: Any, decision_id: str, note: str = NOTE) -> dict[str, Any]:
    version = returns.get_decision(services, principal("it-return"), decision_id, channel=None)["version"]
    return returns.review_identity(services, principal("it-return"), decision_id,
                                   IdentityReviewed(version=version, note=note))


def test_the_review_is_shown_audited_without_values_and_ends_the_need_for_review(services, principal):
    d = _decided(services, principal, "Trabelsi", "EGY")
    _corrected(services, principal, d, "TUN")
    read = _reviewed(services, principal, d["id"])
    review = read["identity_review"]
    assert review["last_review"] == {"reviewed_by": "it-return", "reviewed_at": CORRECTED_AT.isoformat(),
                                     "authority": review["last_review"]["authority"], "note": NOTE}
    assert review["review_needed"] is False and read["nationality"] == "EGY"
    officer = principal("it-return")
    assert returns.decisions_page(services, officer, identity_review=True)["total"] == 0
    (row,) = returns.decisions_page(services, officer)["decisions"]
    assert (row["identity_review_fields"], row["identity_review_needed"]) == (["nationality"], False)
    with services.engine.connect() as conn:
        (entry,) = conn.execute(select(audit_log).where(audit_log.c.action == identity_review.REVIEWED,
                                                        audit_log.c.entity_id == d["id"])).fetchall()
    assert (entry.actor, entry.entity_type) == ("it-return", "return_decision")
    assert entry.after["note"] == NOTE and entry.after["fields"] == ["nationality"]
    # which fields were reviewed, not their values: neither nationality is in the entry
    assert "TUN" not in str(entry.after) and "EGY" not in str(entry.after)


def test_a_later_correction_of_the_nationality_needs_review_again_another_field_does_not(services, principal):
    d = _decided(services, principal, "Trabelsi", "EGY")
    _corrected(services, principal, d, "TUN")
    _reviewed(services, principal, d["id"])
    record_corrections.correct_record(services, principal("it-caseworker"), d["identity_record_id"],
                                      {"place_of_birth": "Gabes"}, "place of birth corrected")
    officer = principal("it-return")
    assert returns.decisions_page(services, officer, identity_review=True)["total"] == 0
    with pytest.raises(Conflict, match="already reviewed after the last correction"):
        _reviewed(services, principal, d["id"])
    # the same instant as the review (a fixed clock): the audit log's order says it came after
    record_corrections.correct_record(services, principal("it-caseworker"), d["identity_record_id"],
                                      {"nationality": "ERI"}, "nationality corrected: Eritrean passport")
    review = returns.get_decision(services, officer, d["id"], channel=None)["identity_review"]
    assert review["review_needed"] is True and review["corrected_since_review"] is True
    assert "corrected again since" in review["words"]
    page = returns.decisions_page(services, officer, identity_review=True)
    assert [r["id"] for r in page["decisions"]] == [d["id"]] and page["decisions"][0]["identity_review_needed"]


def test_a_decision_whose_record_holds_what_it_recorded_has_nothing_to_review(services, principal):
    d = _decided(services, principal, "Haddad", "TUN")
    with pytest.raises(Conflict, match="the record has not been corrected since the decision"):
        _reviewed(services, principal, d["id"])


def test_the_review_history_is_read_in_the_audit_logs_order() -> None:
    """Pure: the last review stands until a later correction changes a field the decision copied;
    a correction before any review, or of another field, does not count against it."""
    review = {"kind": "review", "reviewed_by": "it-return", "note": NOTE}
    nationality = {"kind": "correction", "changed": ["nationality"]}
    place = {"kind": "correction", "changed": ["place_of_birth"]}
    assert identity_review.settled([]) == (None, False)
    assert identity_review.settled([nationality, review, place]) == (review, False)
    assert identity_review.settled([review, nationality]) == (review, True)
    assert identity_review.settled([review, nationality, review]) == (review, False)
    decision = {"nationality": "EGY", "destination_country": "EGY", "status": "issued"}
    found = identity_review.review(decision, {"nationality": "TUN"}, history=[nationality, review])
    assert found is not None and found.needed is False
    closed = identity_review.review({**decision, "status": "withdrawn"}, {"nationality": "TUN"})
    assert closed is not None and closed.needed is False  # no longer enforced: nothing to review
