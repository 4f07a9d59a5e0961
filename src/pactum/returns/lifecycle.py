"""The lifecycle of every returns record, as transition tables.

Each table maps ``(current status, action)`` to the next status. A transition that is not in the
table is illegal: :func:`transition` raises :class:`~pactum.common.errors.Conflict` (HTTP 409,
CLI exit 2) naming the record, its status and the action refused.

- Return decision (Directive 2008/115/EC): ``issued`` -> ``suspended`` while a suspensive appeal
  runs (Art 13(2)) -> back to ``issued`` when the suspension is lifted; ``departed`` once departure
  is confirmed; ``withdrawn`` when the issuing state withdraws or a court annuls it.
- Return alert (Regulation (EU) 2018/1860): ``active`` until deleted (Art 14): departure
  confirmed, decision withdrawn or annulled, hit at the external border on exit (Art 8).
- Alert hit (Recommendation (EU) 2023/682): ``open`` -> ``info_requested`` (supplementary
  information exchanged with the issuing state) -> ``recognised`` (the executing state recognises
  and enforces the decision) or ``not_recognised`` (with the reason recorded).
- Return operation: ``planned`` -> ``confirmed`` -> ``completed``; ``cancelled`` before completion.
- Operation participant: ``selected`` -> ``departed`` | ``not_departed`` | ``removed``.
- Readmission request to the third country: ``pending`` -> ``accepted`` | ``refused``.
- Assisted voluntary return case: ``opened`` -> ``departed`` | ``cancelled``.
"""

from __future__ import annotations

from typing import Final

from pactum.common.errors import Conflict

Table = dict[tuple[str, str], str]

DECISION: Final[Table] = {
    ("issued", "suspend"): "suspended",
    ("suspended", "lift_suspension"): "issued",
    ("issued", "confirm_departure"): "departed",
    ("issued", "withdraw"): "withdrawn",
    ("suspended", "withdraw"): "withdrawn",
}

ALERT: Final[Table] = {
    ("active", "delete"): "deleted",
}

HIT: Final[Table] = {
    ("open", "request_information"): "info_requested",
    ("info_requested", "request_information"): "info_requested",
    ("open", "recognise"): "recognised",
    ("info_requested", "recognise"): "recognised",
    ("open", "refuse_recognition"): "not_recognised",
    ("info_requested", "refuse_recognition"): "not_recognised",
}

OPERATION: Final[Table] = {
    ("planned", "confirm"): "confirmed",
    ("planned", "cancel"): "cancelled",
    ("confirmed", "cancel"): "cancelled",
    ("confirmed", "complete"): "completed",
}

PARTICIPANT: Final[Table] = {
    ("selected", "depart"): "departed",
    ("selected", "not_depart"): "not_departed",
    ("selected", "remove"): "removed",
}

READMISSION: Final[Table] = {
    ("pending", "accept"): "accepted",
    ("pending", "refuse"): "refused",
}

AVR: Final[Table] = {
    ("opened", "depart"): "departed",
    ("opened", "cancel"): "cancelled",
}

TABLES: Final[dict[str, Table]] = {
    "return decision": DECISION,
    "return alert": ALERT,
    "alert hit": HIT,
    "return operation": OPERATION,
    "operation participant": PARTICIPANT,
    "readmission request": READMISSION,
    "assisted voluntary return": AVR,
}


def allowed(kind: str, status: str) -> list[str]:
    """The actions the record's current status allows, in table order."""
    return [action for (frm, action) in TABLES[kind] if frm == status]


def transition(kind: str, status: str, action: str) -> str:
    """The status after ``action``; :class:`Conflict` when the status does not allow it."""
    table = TABLES[kind]
    nxt = table.get((status, action))
    if nxt is None:
        possible = ", ".join(allowed(kind, status)) or "none (final status)"
        raise Conflict(
            f"a {kind} that is '{status}' cannot '{action}'; allowed actions: {possible}"
        )
    return nxt
