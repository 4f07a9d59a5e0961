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

from pactum.returns import identity_review
from pactum.returns.schemas import ReturnDecisionCreate, ReturnFactsUpdate
from pactum.services import record_corrections, returns
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
    d = returns.update_return_facts(services, principal("it-return"), d["id"],
                                    ReturnFactsUpdate(version=d["version"], destination_country="LBY"))
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
