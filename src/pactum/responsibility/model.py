"""The facts a responsibility determination works on, and its result.

Plain frozen dataclasses with ``slots``: the engine runs a million determinations in one batch, so
the model carries no validation machinery of its own. Input is checked once, where it enters the
platform (:mod:`pactum.responsibility.schemas`), and contradictions are reported per field by
:func:`pactum.responsibility.facts_check.contradictions`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from typing import Any, Literal, NamedTuple

Regime = Literal["dublin_iii", "ammr"]

Relation = Literal["spouse", "child", "parent", "sibling", "relative"]
FamilyStatus = Literal["beneficiary_of_protection", "applicant", "legally_residing"]
DocumentKind = Literal["residence_document", "visa"]
VisaType = Literal["short_stay", "long_stay", "airport_transit"]
"""The nature of a visa (Dublin III Art 2(m)(i)-(iii); AMMR Art 2): a long-stay (national) visa, a
short-stay (uniform) visa, an airport transit visa."""
EntryKind = Literal[
    "irregular_crossing", "sar_disembarkation", "visa_waived_entry", "airport_transit_application"
]
DependencyReason = Literal["pregnancy", "newborn", "serious_illness", "severe_disability", "old_age"]

CRITERIA: tuple[str, ...] = (
    "unaccompanied_minor_family",
    "unaccompanied_minor_presence",
    "family_beneficiary",
    "family_applicant",
    "family_procedure",
    "residence_document",
    "visa",
    "diploma",
    "irregular_entry",
    "sar_disembarkation",
    "irregular_stay",
    "visa_waived_entry",
    "airport_transit",
    "expired_documents_not_left",
    "dependent_persons",
    "security_threat",
    "relocation",
    "first_application",
)
"""The criterion codes a determination may return (a contract of the API and CLI)."""


@dataclass(frozen=True, slots=True)
class FamilyMember:
    relation: Relation
    member_state: str
    status: FamilyStatus
    wishes_in_writing: bool = False
    # Extensions of the contract, all optional:
    applied_together: bool = False
    """Lodged at the same time in the same state as the applicant (family procedure, Art 11/28)."""
    responsible_member_state: str | None = None
    """For a member who applied together: the state the criteria designate for that member."""
    date_of_birth: date | None = None
    can_take_care: bool = True
    """For a relative of an unaccompanied minor: the individual examination found they can care."""


@dataclass(frozen=True, slots=True)
class Document:
    kind: DocumentKind
    issued_by: str
    valid_from: date
    valid_until: date
    # Extensions of the contract, visas only, both optional:
    visa_type: VisaType | None = None
    """Absent: not known (several visas are then compared as visas of the same type)."""
    issued_on_behalf_of: str | None = None
    """The state represented when the visa was issued under a representation arrangement
    (Reg. 810/2009 Art 8): that state, not the issuer, is responsible (Art 12(2) / 29(2))."""
    record_id: str | None = None
    """The platform's record of the document (``dublin_documents``) the draft of the facts took it
    from, which the trace names; absent for a document typed in."""
    number: str | None = None
    """The document's number, as its issuing state recorded it (named in the trace)."""

    @property
    def responsible_state(self) -> str:
        return self.issued_on_behalf_of or self.issued_by


@dataclass(frozen=True, slots=True)
class Diploma:
    issued_by: str
    issued_on: date
    studies_began_on: date | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    kind: EntryKind
    member_state: str
    on: date
    also_waived_where_registered: bool = False
    """Visa-waived entry only: the state of registration also waives the visa (Art 14(2))."""
    region: str | None = None
    """Where the entry was, when in a region of the state with a clock of its own (ISO 3166-2, as
    the registry records an encounter's ``region``); None: the state's mainland. An entry into
    France's outermost regions is not counted (AMMR Art 76; Dublin III Art 43):
    :mod:`pactum.responsibility.territory`."""


@dataclass(frozen=True, slots=True)
class Stay:
    member_state: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class EarlierApplication:
    """An application for international protection the applicant made before in a Member State,
    lodged (Dublin III) or registered (AMMR) there on ``registered_on``: the first one decides
    where no criterion applies (Dublin III Art 3(2); AMMR Art 16(2))."""

    member_state: str
    registered_on: date


@dataclass(frozen=True, slots=True)
class Dependency:
    """Dependency on (or of) a child, sibling or parent legally resident in a state."""

    relation: Relation
    member_state: str
    reason: DependencyReason
    wishes_in_writing: bool = False


@dataclass(frozen=True, slots=True)
class Facts:
    registered_in: str
    registered_on: date
    date_of_birth: date | None = None
    unaccompanied_minor: bool = False
    family_members: tuple[FamilyMember, ...] = ()
    documents: tuple[Document, ...] = ()
    diplomas: tuple[Diploma, ...] = ()
    entries: tuple[Entry, ...] = ()
    stays: tuple[Stay, ...] = ()
    relocated_to: str | None = None
    security_threat: bool = False
    dependency: Dependency | None = None
    earlier_applications: tuple[EarlierApplication, ...] = ()
    left_territory_since_entry: bool | None = None
    """Whether the applicant left the territories of the Member States after entering with an
    expired residence document or visa (Dublin III Art 12(4), second subparagraph); ``None``: not
    known."""


def _plain(value: Any) -> Any:
    """Facts as the trace shows them: the engine keeps its own objects until a trace is rendered."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)
                if getattr(value, f.name) not in (None, False)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class Step(NamedTuple):
    """One rule tried: the same fields as a :class:`pactum.law.Trace` step. A named tuple, not a
    frozen dataclass: a determination writes several, and a tuple is built without per-field
    ``object.__setattr__`` calls."""

    rule: str
    legal_basis: tuple[str, ...]
    facts: dict[str, Any]
    parameters: dict[str, Any]
    outcome: str


@dataclass(frozen=True, slots=True)
class Determination:
    responsible_member_state: str
    regime: Regime
    criterion: str
    legal_basis: tuple[str, ...]
    steps: tuple[Step, ...] = field(default=())

    def trace_list(self) -> list[dict[str, Any]]:
        """The explanation as the JSON-able list a :class:`pactum.law.Trace` produces."""
        from pactum.law import Trace

        t = Trace()
        for s in self.steps:
            t.step(
                rule=s.rule,
                legal_basis=list(s.legal_basis),
                facts={k: _plain(v) for k, v in s.facts.items()},
                parameters=s.parameters,
                outcome=s.outcome,
            )
        return t.to_list()

    def to_json(self) -> dict[str, Any]:
        return {
            "responsible_member_state": self.responsible_member_state,
            "regime": self.regime,
            "criterion": self.criterion,
            "legal_basis": list(self.legal_basis),
            "trace": self.trace_list(),
        }
