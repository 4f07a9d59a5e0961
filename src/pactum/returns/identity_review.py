"""A return decision whose person's identity record was corrected after it was issued.

A return decision records the person's nationality as their identity record gave it on the day it
was issued, and names as destination the country of that nationality (a third country: the country
of origin, of transit or another third country, Directive 2008/115/EC Art 3(3)). When the record is
corrected afterwards (a nationality corrected once the documents were checked), the state's SIS
return alerts follow the record (Regulation (EU) 2018/1861 Art 44, applied by Regulation (EU)
2018/1860), but the decision keeps what it recorded: it is the return authority's act, and whether
its destination still holds is the return officer's to decide. This module says what differs and
how, so that the officer is told; it changes nothing.

The return officer records that they reviewed the decision against the corrected record (a note
of what they decided: the destination kept, or changed by an amended decision on the destination,
:mod:`pactum.returns.destination`). The review
is an audit entry of the decision (:data:`REVIEWED`), nothing stored besides: from the audit log,
in its order, the decision needs review while the record differs from what it recorded, it is
still to be enforced and no review was recorded after the last correction that changed a field
it copied (:func:`settled`). A later such correction puts it for review again.

Pure: the caller hands in the decision as recorded, the record as it stands now, the record's
corrections since the decision was issued and the history of corrections and reviews (from the
audit log).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pactum.common.countries import nationality_name
from pactum.law import LegalRef

#: Where the destination of a return comes from: the country of origin, of transit or another
#: third country to which the person goes back.
DESTINATION = LegalRef.of("return_directive", "3", "3")

#: The identity fields a return decision copies from the person's record when it is issued: the
#: decision's column and the record's (the decision stores no name nor date of birth; those are
#: the alert's, which follow the record).
COPIED_FIELDS: tuple[tuple[str, str], ...] = (("nationality", "nationality"),)
#: Each copied field as the pages name it.
FIELD_WORDS = {"nationality": "nationality"}
#: The decision's statuses in which it is still to be enforced: its destination still matters.
OPEN_STATUSES = frozenset({"issued", "suspended"})
#: The audit action of the return officer's review of a decision against its person's corrected
#: record (entity ``return_decision``; ``after``: the note and the fields reviewed, no values).
REVIEWED = "returns.decision.identity_reviewed"


def settled(history: Sequence[Mapping[str, Any]]) -> tuple[Mapping[str, Any] | None, bool]:
    """The last review of the decision and whether a correction made after it changed a field the
    decision copied from the record (so that it needs review again). ``history``: the decision's
    reviews (``kind`` ``"review"``) and its record's corrections (``kind`` ``"correction"``, with
    ``changed``: the record's fields it changed), in the audit log's order."""
    copied = {theirs for _, theirs in COPIED_FIELDS}
    last: Mapping[str, Any] | None = None
    again = False
    for entry in history:
        if entry.get("kind") == "review":
            last, again = entry, False
        elif last is not None and copied & set(entry.get("changed") or ()):
            again = True
    return last, again


@dataclass(frozen=True)
class FieldDifference:
    """One field the decision recorded otherwise than the record now says."""

    field: str
    label: str
    decision: str | None
    record: str | None


@dataclass(frozen=True)
class IdentityReview:
    """What the officer is told: the fields that differ, the corrections that made them differ,
    whether the decision is still to be enforced (``open``), and whether its destination is the
    country of a nationality the correction removed (``destination_removed``)."""

    differences: tuple[FieldDifference, ...]
    corrections: tuple[Mapping[str, Any], ...]
    destination: str | None
    open: bool
    destination_removed: bool
    legal_basis: tuple[str, ...] = field(default=(DESTINATION.cite(),))
    #: The return officer's last review of the decision against the record (``reviewed_by``,
    #: ``reviewed_at``, ``authority``, ``note``), ``None`` when none was recorded.
    last_review: Mapping[str, Any] | None = None
    #: A correction that changed a field the decision copied was made after the last review.
    corrected_since_review: bool = False

    @property
    def needed(self) -> bool:
        """The decision still needs the officer's review: it is to be enforced, and no review was
        recorded or the record was corrected again since the last one."""
        return self.open and (self.last_review is None or self.corrected_since_review)

    def words(self) -> str:
        """The notice in one paragraph."""
        said = "; ".join(f"the decision records {d.label} {_named(d.decision)}, the record now says "
                         f"{_named(d.record)}" for d in self.differences)
        when = ("The person's identity record was corrected after this decision was issued"
                if self.corrections else "The person's identity record now differs from what this decision recorded")
        out = f"{when}: {said}. The decision keeps what it recorded."
        if self.destination_removed:
            out += (f" Its destination, {_named(self.destination)}, is the country of the nationality the correction "
                    f"removed ({DESTINATION.cite()}: a return is to the country of origin, of transit or another third "
                    "country).")
        if self.last_review is not None:
            r = self.last_review
            out += f" {r['reviewed_by']} reviewed the decision against the record on {str(r['reviewed_at'])[:10]}: {r['note']}"
            out += "" if r["note"].endswith((".", "!", "?")) else "."
            if self.corrected_since_review:
                out += " The record was corrected again since."
        if self.open and self.needed:
            out += " The return officer decides whether the destination must be reviewed."
        elif self.open:
            out += " No review is needed until the record is corrected again."
        else:
            out += " The decision is no longer to be enforced."
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"fields": [d.field for d in self.differences],
                "differences": [{"field": d.field, "label": d.label, "decision": d.decision, "record": d.record}
                                for d in self.differences],
                "corrections": [dict(c) for c in self.corrections],
                "destination_country": self.destination, "destination_review": self.open,
                "destination_of_removed_nationality": self.destination_removed,
                "legal_basis": list(self.legal_basis),
                "last_review": dict(self.last_review) if self.last_review is not None else None,
                "corrected_since_review": self.corrected_since_review, "review_needed": self.needed,
                "words": self.words()}


def _named(code: str | None) -> str:
    if not code:
        return "none"
    name = nationality_name(code)
    return f"{code} ({name})" if name and name != code else code


def differences(decision: Mapping[str, Any], record: Mapping[str, Any]) -> list[FieldDifference]:
    """The fields the decision copied from the record that the record now holds otherwise
    (``record`` as the caller normalised it: an unknown nationality as the decision records it)."""
    return [FieldDifference(ours, FIELD_WORDS.get(ours, ours.replace("_", " ")), decision.get(ours), record.get(theirs))
            for ours, theirs in COPIED_FIELDS if decision.get(ours) != record.get(theirs)]


def review(decision: Mapping[str, Any], record: Mapping[str, Any],
           corrections: Sequence[Mapping[str, Any]] = (),
           history: Sequence[Mapping[str, Any]] = ()) -> IdentityReview | None:
    """The review a decision needs because its person's record now differs from what it
    recorded, or ``None`` when it does not differ. ``corrections``: the record's corrections made
    since the decision was issued; only those that changed a field that differs are kept.
    ``history``: as :func:`settled`'s (the officer's reviews and the record's corrections)."""
    found = differences(decision, record)
    if not found:
        return None
    fields = {d.field for d in found}
    theirs = {t for ours, t in COPIED_FIELDS if ours in fields}
    kept = tuple(c for c in corrections if theirs & set(c.get("changed") or ()))
    destination = decision.get("destination_country")
    removed = bool(destination) and "nationality" in fields and destination == decision.get("nationality")
    last, again = settled(history)
    shown = ({k: last.get(k) for k in ("reviewed_by", "reviewed_at", "authority", "note")}
             if last is not None else None)
    return IdentityReview(differences=tuple(found), corrections=kept, destination=destination,
                          open=decision.get("status") in OPEN_STATUSES, destination_removed=removed,
                          last_review=shown, corrected_since_review=again)


__all__ = ["COPIED_FIELDS", "DESTINATION", "REVIEWED", "FieldDifference", "IdentityReview", "differences", "review",
           "settled"]
