"""The JSON contract of ``POST /api/v1/responsibility/determinations`` and
``pactum responsibility determine FILE.json``, and its conversion to the engine's facts.

Field shapes are checked by pydantic; facts that contradict each other (a document valid until
before it is valid from, an entry after registration) are reported by :func:`to_facts` as a list
of ``(field, message)`` problems, which the service raises as a ``ValidationProblem`` (HTTP 422).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pactum.common.states import MEMBER_STATES, member_state
from pactum.common.text import Text

from .model import Dependency as DependencyFact
from .model import (
    DependencyReason,
    DocumentKind,
    EntryKind,
    Facts,
    FamilyStatus,
    Relation,
    VisaType,
)
from .model import Diploma as DiplomaFact
from .model import Document as DocumentFact
from .model import EarlierApplication as EarlierFact
from .model import Entry as EntryFact
from .model import FamilyMember as FamilyFact
from .model import Stay as StayFact

_STRICT = ConfigDict(extra="forbid")


#: What date ``application.registered_on`` holds, per regime (the API's field description; the CLI
#: help and the web form's hint say it in their words).
REGISTERED_ON_HELP = (
    "The date that decides which rules apply and from which their time limits run. For an "
    "application under Dublin III (registered before the cut-over of Regulation (EU) 2024/1351, "
    "Article 84), the day it was lodged: "
    "the first written record of it, a form submitted by the applicant or a report prepared by "
    "the authorities, even an informal one, that reached the competent authority (Regulation (EU) "
    "No 604/2013, Article 20(2); CJEU C-670/16 Mengesteab), which may be before its formal "
    "registration. Under the AMMR, the day it was registered (Regulation (EU) 2024/1351, "
    "Article 39(1) counts from the registration)."
)


#: What ``application.region`` and ``entries[i].region`` hold (the API's field descriptions).
REGION_HELP = (
    "Where it was, when in a region of the state with a clock of its own, by its ISO 3166-2 code as "
    "the registry records an encounter's region (ES-CN, PT-20, PT-30, FR-971, FR-972, FR-973, "
    "FR-974, FR-976, FR-MF); left out: the state's mainland. As regards the French Republic the "
    "Regulation applies only to its European territory (Regulation (EU) 2024/1351, Article 76; "
    "Regulation (EU) No 604/2013, Article 43)."
)


class Application(BaseModel):
    model_config = _STRICT
    registered_in: str
    registered_on: date = Field(description=REGISTERED_ON_HELP)
    region: str | None = Field(default=None, max_length=6, description=(
        REGION_HELP + " An application made in France's outermost regions is not one the Regulation "
        "governs: it is refused, naming this field."))


class Applicant(BaseModel):
    model_config = _STRICT
    date_of_birth: date | None = None
    unaccompanied_minor: bool = False


class FamilyMember(BaseModel):
    model_config = _STRICT
    relation: Relation
    member_state: str
    status: FamilyStatus
    wishes_in_writing: bool = False
    applied_together: bool = False
    responsible_member_state: str | None = None
    date_of_birth: date | None = None
    can_take_care: bool = True


class Document(BaseModel):
    model_config = _STRICT
    kind: DocumentKind
    issued_by: str
    valid_from: date
    valid_until: date
    visa_type: VisaType | None = None
    issued_on_behalf_of: str | None = None
    record_id: str | None = Field(default=None, max_length=40, description=(
        "The platform's record of the document (a residence document or visa its issuing state "
        "recorded), as the draft of the facts gives it: the explanation names it. Absent for a "
        "document typed in."))
    number: str | None = Field(default=None, max_length=60, description=(
        "The document's number, as recorded by the issuing state (named in the explanation)."))


class Diploma(BaseModel):
    model_config = _STRICT
    issued_by: str
    issued_on: date
    studies_began_on: date | None = None


class Entry(BaseModel):
    model_config = _STRICT
    kind: EntryKind
    member_state: str
    on: date
    also_waived_where_registered: bool = False
    region: str | None = Field(default=None, max_length=6, description=(
        REGION_HELP + " An entry into France's outermost regions is not counted by the criteria; "
        "the explanation says why."))


class Stay(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    member_state: str
    from_: date = Field(alias="from")
    to: date


class EarlierApplication(BaseModel):
    """An application made before in a Member State (optional extension of the contract)."""

    model_config = _STRICT
    member_state: str
    registered_on: date = Field(description=(
        "The day that application was lodged (Dublin III: the first written record that reached "
        "the authority, Article 20(2)) or registered (AMMR)."))
    region: str | None = Field(default=None, max_length=6, description=(
        REGION_HELP + " An application made in France's outermost regions is not one under the "
        "Regulation, nor the first application in a Member State: it is refused here, naming this "
        "field, to be left out."))


class Dependency(BaseModel):
    model_config = _STRICT
    relation: Relation
    member_state: str
    reason: DependencyReason
    wishes_in_writing: bool = False


class DeterminationRequest(BaseModel):
    """The facts of one application at the legally relevant moment."""

    model_config = _STRICT
    application: Application
    applicant: Applicant = Field(default_factory=Applicant)
    family_members: list[FamilyMember] | None = None
    documents: list[Document] | None = None
    diplomas: list[Diploma] | None = None
    entries: list[Entry] | None = None
    stays: list[Stay] | None = None
    relocated_to: str | None = None
    security_threat: bool = False
    dependency: Dependency | None = None
    earlier_applications: list[EarlierApplication] | None = None
    left_territory_since_entry: bool | None = Field(default=None, description=(
        "Whether the applicant left the territories of the Member States after entering with a "
        "residence document or visa that has since expired. Under Dublin III, a residence document "
        "or visa that enabled entry and expired longer before the lodging than the periods of "
        "Article 12(4), first subparagraph, makes the Member State where the application was "
        "lodged responsible when the applicant has not left (Regulation (EU) No 604/2013, Article "
        "12(4), second subparagraph). Absent: not known (the explanation then says the fact is "
        "needed)."))


class TraceStep(BaseModel):
    rule: str
    legal_basis: list[str]
    facts: dict[str, Any]
    parameters: dict[str, Any]
    outcome: str


class DeterminationResult(BaseModel):
    responsible_member_state: str
    regime: Literal["ammr", "dublin_iii"]
    criterion: str
    legal_basis: list[str]
    trace: list[TraceStep]


def to_facts(req: DeterminationRequest) -> tuple[Facts | None, list[tuple[str, str]]]:
    """Normalise state codes and check the facts against each other.

    Returns the facts, or ``None`` with the problems (field path, message) when any is found.
    """
    problems: list[tuple[str, str]] = []

    def ms(value: str | None, path: str) -> str:
        if value is None:
            return ""
        try:
            return member_state(value)
        except ValueError as e:
            problems.append((path, str(e)))
            return value

    reg_on = req.application.registered_on
    from pactum.law import NotInForce

    from .params import regime_on, regime_params

    try:  # the rules must be in force on the date that decides which apply
        params = regime_params(regime_on(reg_on), reg_on)
    except NotInForce as exc:
        return None, [("application.registered_on", f"no responsibility rules apply on {reg_on.isoformat()}: {exc}")]
    reg_in = ms(req.application.registered_in, "application.registered_in")
    from .territory import outside, region_problem

    regime = regime_on(reg_on)
    wrong = region_problem(reg_in, req.application.region) if reg_in in MEMBER_STATES else None
    if wrong is not None:
        problems.append(("application.region", wrong))
    else:
        why = outside(regime, reg_on, reg_in, req.application.region)
        if why is not None:  # AMMR Art 76, Dublin III Art 43: not an application under the Regulation
            problems.append(("application.region", (
                f"{why}: an application made there is not an application under it, and no Member State "
                "responsible is determined for it")))
    a = req.applicant
    if a.date_of_birth is not None and a.date_of_birth > reg_on:
        problems.append(("applicant.date_of_birth", "is after the date of registration"))

    fam = []
    for i, m in enumerate(req.family_members or []):
        path = f"family_members[{i}]"
        if m.applied_together and m.responsible_member_state is None:
            problems.append((f"{path}.responsible_member_state",
                             "is required for a family member who applied together"))
        fam.append(FamilyFact(
            m.relation, ms(m.member_state, f"{path}.member_state"), m.status, m.wishes_in_writing,
            m.applied_together,
            ms(m.responsible_member_state, f"{path}.responsible_member_state") or None,
            m.date_of_birth, m.can_take_care))
    docs = []
    for i, d in enumerate(req.documents or []):
        path = f"documents[{i}]"
        if d.valid_until < d.valid_from:
            problems.append((f"{path}.valid_until",
                             f"is before valid_from ({d.valid_from.isoformat()})"))
        if d.kind != "visa":
            for name in ("visa_type", "issued_on_behalf_of"):
                if getattr(d, name) is not None:
                    problems.append((f"{path}.{name}", "applies to visas only, this is a "
                                     "residence document"))
        issuer = ms(d.issued_by, f"{path}.issued_by")
        behalf = ms(d.issued_on_behalf_of, f"{path}.issued_on_behalf_of") or None
        if behalf is not None and behalf == issuer:
            problems.append((f"{path}.issued_on_behalf_of",
                             f"is {behalf}, the state that issued the visa itself"))
        if behalf is not None and d.visa_type == "long_stay":
            problems.append((f"{path}.issued_on_behalf_of",
                             "a long-stay visa is a national visa: representation (Regulation (EC) "
                             "No 810/2009, Article 8) covers short-stay and airport transit visas "
                             "only"))
        docs.append(DocumentFact(d.kind, issuer, d.valid_from, d.valid_until, d.visa_type, behalf,
                                 (d.record_id or "").strip() or None, (d.number or "").strip() or None))
    dips = []
    for i, dp in enumerate(req.diplomas or []):
        path = f"diplomas[{i}]"
        if dp.studies_began_on is not None and dp.studies_began_on > dp.issued_on:
            problems.append((f"{path}.studies_began_on", "is after the diploma was issued"))
        if dp.issued_on > reg_on:
            # the criteria apply to the situation when the application was registered (lodged)
            problems.append((f"{path}.issued_on", f"is after the application was registered "
                             f"({reg_on.isoformat()}): not a diploma the applicant held then"))
        dips.append(DiplomaFact(ms(dp.issued_by, f"{path}.issued_by"), dp.issued_on,
                                dp.studies_began_on))
    entries = []
    for i, e in enumerate(req.entries or []):
        path = f"entries[{i}]"
        if e.on > reg_on:
            problems.append((f"{path}.on", (f"is after the application was registered "
                             f"({reg_on.isoformat()})")))
        into = ms(e.member_state, f"{path}.member_state")
        wrong = region_problem(into, e.region) if into in MEMBER_STATES else None
        if wrong is not None:
            problems.append((f"{path}.region", wrong))
        entries.append(EntryFact(e.kind, into, e.on, e.also_waived_where_registered, e.region))
    stays = []
    for i, s in enumerate(req.stays or []):
        path = f"stays[{i}]"
        if s.to < s.from_:
            problems.append((f"{path}.to", f"is before from ({s.from_.isoformat()})"))
        if s.to > reg_on:
            problems.append((f"{path}.to", (f"is after the application was registered "
                             f"({reg_on.isoformat()})")))
        stays.append(StayFact(ms(s.member_state, f"{path}.member_state"), s.from_, s.to))
    earlier = []
    for i, ea in enumerate(req.earlier_applications or []):
        path = f"earlier_applications[{i}]"
        if ea.registered_on > reg_on:
            problems.append((f"{path}.registered_on", (f"is after the application was registered "
                             f"({reg_on.isoformat()}): not an earlier application")))
        where = ms(ea.member_state, f"{path}.member_state")
        wrong = region_problem(where, ea.region) if where in MEMBER_STATES else None
        why = None if wrong is not None else outside(regime, reg_on, where, ea.region)
        if wrong is not None or why is not None:
            # the first application in a Member State (AMMR Arts 16(2), 24(2); Dublin III Arts 3(2), 7(2))
            # is one the Regulation governs: one made outside its territory is none
            problems.append((f"{path}.region", wrong or (
                f"{why}: an application made there is not an application under it, nor the first "
                "application in a Member State: leave it out of the earlier applications")))
        earlier.append(EarlierFact(where, ea.registered_on))
    if a.unaccompanied_minor and a.date_of_birth is not None:
        from .criteria import age_on

        # Minority is a fact of the situation when the applicant first applied in a Member State
        # (Dublin III Art 7(2); AMMR Art 24(2)): the earliest of this registration and the
        # earlier applications.
        first_on = min([reg_on] + [ea.registered_on for ea in earlier if ea.registered_on < reg_on])
        when = ("the date of registration" if first_on == reg_on else
                f"{first_on.isoformat()}, the date of the first application in a Member State")
        if age_on(a.date_of_birth, first_on) >= params.minor_age:
            problems.append(("applicant.unaccompanied_minor",
                             (f"the applicant was {age_on(a.date_of_birth, first_on)} on {when}, "
                              f"not a minor (under {params.minor_age})")))
    dep = None
    if req.dependency is not None:
        d0 = req.dependency
        dep = DependencyFact(d0.relation, ms(d0.member_state, "dependency.member_state"), d0.reason,
                             d0.wishes_in_writing)
    relocated = ms(req.relocated_to, "relocated_to") or None
    if problems:
        return None, problems
    return Facts(
        registered_in=reg_in, registered_on=reg_on, date_of_birth=a.date_of_birth,
        unaccompanied_minor=a.unaccompanied_minor, family_members=tuple(fam),
        documents=tuple(docs), diplomas=tuple(dips), entries=tuple(entries), stays=tuple(stays),
        relocated_to=relocated, security_threat=req.security_threat, dependency=dep,
        earlier_applications=tuple(earlier),
        left_territory_since_entry=req.left_territory_since_entry,
    ), []


# --- The procedure between Member States ---------------------------------------------------------

EvidenceKind = Literal[
    "eurodac_hit", "vis_hit", "document", "family_link", "statement", "travel_ticket", "other"
]


TakeBackGround = Literal[
    "application_under_examination", "application_withdrawn", "application_rejected",
    "withdrawn_during_determination", "indicated_responsible_in_eurodac", "admitted_person",
    "during_determination", "relocation_confirmed",
]


class Evidence(BaseModel):
    """Proof or circumstantial evidence sent with a request (Reg. 1560/2003 Annex II)."""

    model_config = _STRICT
    kind: EvidenceKind
    description: Text = Field(min_length=1, max_length=2000)


class CaseCreate(BaseModel):
    """Record an application's determination: the facts and who the applicant is."""

    model_config = _STRICT
    reference: Text = Field(min_length=1, max_length=60)
    person_id: str | None = None
    applicant_name: str | None = Field(default=None, max_length=200)
    facts: DeterminationRequest


class RequestCreate(BaseModel):
    """An outgoing take-charge request, take-back request (Dublin III), take-back notification
    (AMMR) or humanitarian-clause request (Dublin III Art 17(2), AMMR Art 35(2)).
    ``requested_member_state`` defaults to the state the determination designates (a humanitarian
    request names the state asked and carries the written consent of the persons concerned,
    ``consented_in_writing_on``)."""

    model_config = _STRICT
    kind: Literal["take_charge", "take_back", "take_back_notification", "humanitarian"]
    requested_member_state: str | None = None
    eurodac_hit: bool = False
    """The request rests on a Eurodac hit (under the AMMR also a VIS hit, Art 39(1) and 40(2)),
    received on ``hit_on``. Left out on a case that records a hit on the requested state's data for
    this kind, the request carries that hit (its day and the hit among the evidence) and the reply
    is due within the period for a request on a hit; ``false`` there is refused (422), except for a
    Dublin III take back on other evidence (Art 23(2))."""
    hit_on: date | None = None
    hit_source: Literal["eurodac", "vis"] | None = None
    """Where the hit the request states came from: ``eurodac`` (left out: Eurodac) or ``vis``, a VIS
    hit, which only an AMMR take-charge request rests on (Art 39(1), second subparagraph, and 40(2));
    with no hit stated, under Dublin III, or for another kind, it is refused (422 naming it). Left
    out on a request that carries the hit recorded on the case, the recorded hit's source."""
    detained: bool = False
    detained_on: date | None = None
    """The day the person was placed in detention (with ``detained``). A detention ordered after the
    registration of the application runs the AMMR request's limit from that day: one week (Art
    45(1), second subparagraph); without it, or for Dublin III, the limit runs from the registration
    (lodging)."""
    take_back_ground: TakeBackGround | None = None
    """A take back's ground (Dublin III Art 18(1)(b)-(d), 20(5); AMMR Art 36(1)(b)-(c), 38(4), 38(5)
    (``relocation_confirmed``: the state asked is the Member State of relocation, checked against the
    relocations recorded)): why the
    requested state must take the person back. Required for ``take_back`` and
    ``take_back_notification``; see :data:`~pactum.responsibility.procedure.TAKE_BACK_GROUNDS`."""
    criterion: str | None = Field(default=None, max_length=100)
    """A take charge's criterion of the hierarchy (Dublin III Arts 8-16; AMMR Arts 25-34), one of
    :data:`~pactum.responsibility.procedure.TAKE_CHARGE_CRITERIA` the case's regime has: required
    when the state asked is not the one the determination designates (the request shows why that
    state is responsible, Dublin III Art 21(3)); to the designated state it may be left out (the
    determination's criterion) or must be the determination's. The request's legal basis is the
    criterion's articles as the criteria engine cites them. A take back or a humanitarian-clause
    request names none."""
    urgent_ground: Literal["refusal_of_entry", "refusal_of_stay", "arrest_illegal_stay", "removal_order",
                           "return_decision"] | None = None
    """A take charge asking for an urgent reply: what the application came after. Dublin III Art
    21(2): ``refusal_of_entry``, ``refusal_of_stay``, ``arrest_illegal_stay``, ``removal_order``
    (served or executed); AMMR Art 39(2): ``refusal_of_entry``, ``return_decision``. With it
    ``urgent_decision_on`` and ``urgent_reasons`` are required, and the reply is due sooner
    (:data:`~pactum.responsibility.procedure.URGENT_GROUNDS`)."""
    urgent_decision_on: date | None = None
    """The day of the refusal, arrest, removal order or return decision the urgent reply rests on:
    on or before the registration (lodging) of the application, which came after it."""
    urgent_reasons: str | None = Field(default=None, max_length=2000)
    """The reasons warranting an urgent reply, which the request states (Dublin III Art 21(2); AMMR
    Art 39(2), second subparagraph)."""
    urgent_reply_by: date | None = None
    """The day by which the urgent reply is asked: at least one week after the request. Required
    under Dublin III (the requested state makes every effort to meet it and replies in any event
    within one month, Art 22(6); silence then is acceptance, 22(7)); under the AMMR the reply is due
    on it or, left out, within two weeks (Art 40(7); silence is acceptance, 40(8)), never later
    than the reply would be due without urgency."""
    consented_in_writing_on: date | None = None
    """A humanitarian-clause request only, and required for it: the day the persons concerned gave
    their written consent ("The persons concerned must express their consent in writing", Dublin
    III Art 17(2), first subparagraph; AMMR Art 35(2), first subparagraph), the day the last of them
    signed where they signed on different days. Not after today, nor before the case's registration
    day (the clause is invoked on an application: the consent is to a request on it)."""
    evidence: list[Evidence] = Field(default_factory=list)


HitCategory = Literal[
    "applicant", "irregular_crossing", "illegal_stay", "sar", "union_resettlement", "national_resettlement",
    "temporary_protection",
]
"""The Eurodac category of the data a hit matched (``pactum.registry.model.EurodacCategory``)."""


class HitCreate(BaseModel):
    """A Eurodac or VIS hit the Dublin unit received on a case, recorded before any request: the
    time limit of the request it concerns runs from it (AMMR Art 39(1), second subparagraph, and
    41(1); Dublin III Arts 21(1), second subparagraph, and 23(2);
    :data:`~pactum.responsibility.request_limits.HIT_RUNS`)."""

    model_config = _STRICT
    hit_on: date
    """The day the hit was received: not after today, nor before the application was registered
    (lodged), nor before a Eurodac regulation applied."""
    member_state: str = Field(min_length=2, max_length=2)
    """The Member State whose data the hit matched (another state than the case's)."""
    source: Literal["eurodac", "vis"] = "eurodac"
    category: HitCategory | None = None
    """A Eurodac hit's category of the data matched (required for a Eurodac hit, none for VIS)."""
    reference: Text | None = Field(default=None, max_length=60)
    """The hit's reference in Eurodac (or the VIS application number), as the unit files it."""


class RequestAction(BaseModel):
    """A step on a request. ``version`` is the version the user saw (409 if it changed)."""

    model_config = _STRICT
    version: int = Field(ge=1)
    reasons: str | None = Field(default=None, max_length=4000)
    refusal_ground: Literal["left_territory", "returned", "residence_document", "wrong_indication"] | None = None
    """``refuse`` / ``refuse_reexamination`` by the state asked, or ``contest`` by the state notified
    of a take-back notification (AMMR Art 41(3), where the ground is required): its obligations
    ceased, as it establishes when asked (Dublin III Art 19(2)-(3); AMMR Art 37(4)-(5)): ``left_territory`` (the
    person left the territory of the Member States for at least three months, Dublin III, or nine,
    AMMR) or ``returned`` (left under a return decision or removal order issued after the
    application was withdrawn or rejected; a take back only), with ``left_on`` and ``evidence``; or
    ``residence_document`` (a Dublin III take back on ``withdrawn_during_determination`` or an AMMR
    take-back notification on ``during_determination`` only: another Member State issued the person a
    residence document, Dublin III Art 20(5), AMMR Art 38(4), second subparagraphs; the only ground
    of the latter), which the
    platform's records establish: a residence document recorded by the state that issued it, named
    in the refusal; no ``left_on``, ``evidence`` optional. Or, on a ``contest`` only, ``wrong_indication``
    (AMMR Art 41(3): the notification rests on a wrong indication of the Member State responsible in
    Eurodac; a notification on ``indicated_responsible_in_eurodac`` only), with ``evidence`` (what
    shows it wrong), no ``left_on``: not a cessation, the notification is contested."""
    left_on: date | None = None
    """With ``refusal_ground``: the day the person left the territory of the Member States."""
    evidence: str | None = Field(default=None, max_length=2000)
    """With ``refusal_ground``: the evidence the state asked relies on (EES record, return decision
    and confirmation of departure, ...)."""
    planned_on: date | None = None
    arrangements: str | None = Field(default=None, max_length=2000)
    transferred_on: date | None = None
    extension_reason: Literal["imprisonment", "absconding"] | None = None
    appeal_lodged_on: date | None = None
    """``record_appeal``: the day the appeal or review against the transfer decision was lodged."""
    suspensive_effect: bool | None = None
    """``record_appeal``: whether the appeal has suspensive effect (by law or granted by the
    court, Dublin III Art 27(3); AMMR Art 43)."""
    appeal_decided_on: date | None = None
    """``decide_appeal``: the day of the final decision on the appeal or review."""


class DocumentRecord(BaseModel):
    """A residence document or visa the principal's Member State issued to a person of its
    registry, as its Dublin unit records it (AMMR Art 29; Dublin III Art 12): the draft of the facts
    of a determination for that person, in this state or another, takes it in. Expired documents
    are recorded too: they count for a period after they expired (Art 29(4) / 12(4))."""

    model_config = _STRICT
    kind: DocumentKind
    issued_on: date
    """The day the state issued it: not after today."""
    valid_from: date
    valid_until: date
    """The last day of validity (of an annulled, revoked or withdrawn document, the day it ended)."""
    number: Text | None = Field(default=None, max_length=60)
    visa_type: VisaType | None = None
    """Visas only: ``short_stay`` (uniform), ``long_stay`` (national), ``airport_transit``
    (AMMR Art 2, point (14); Dublin III Art 2(m)): several visas are compared by type (Art 29(3))."""
    issued_on_behalf_of: str | None = Field(default=None, max_length=2)
    """Visas only: the Member State represented under a representation arrangement (Regulation
    (EC) No 810/2009, Article 8), which is then responsible (Art 29(2) / 12(2))."""


class DocumentCorrection(DocumentRecord):
    """The whole record again, with the ``version`` the officer saw; ``reason`` is required once a
    recorded Dublin case took the document into its facts (the case keeps the facts it was
    determined on)."""

    version: int = Field(ge=1)
    reason: Text | None = Field(default=None, max_length=2000)


class DocumentWithdrawal(BaseModel):
    """A document recorded in error taken back: it no longer enters any draft of the facts.
    ``reason`` is required once a recorded Dublin case took it into its facts."""

    model_config = _STRICT
    version: int = Field(ge=1)
    reason: Text | None = Field(default=None, max_length=2000)


def document_record_problems(body: DocumentRecord, issuer: str, today: date) -> list[tuple[str, str]]:
    """What contradicts itself in a recorded document, by field, as the determination's facts are
    checked (:func:`to_facts`): validity ending before it starts, issued after today or after its
    validity ended, a visa's extensions on a residence document, a representation of the issuer
    itself or of a state not bound by the Pact, a long-stay (national) visa issued under a
    representation arrangement."""
    problems: list[tuple[str, str]] = []
    if body.valid_until < body.valid_from:
        problems.append(("valid_until", f"is before valid_from ({body.valid_from.isoformat()})"))
    if body.issued_on > today:
        problems.append(("issued_on", "is in the future"))
    elif body.issued_on > body.valid_until:
        problems.append(("issued_on", f"is after the last day of validity ({body.valid_until.isoformat()})"))
    if body.kind != "visa":
        for name in ("visa_type", "issued_on_behalf_of"):
            if getattr(body, name) is not None:
                problems.append((name, "applies to visas only, this is a residence document"))
    elif body.issued_on_behalf_of is not None:
        try:
            behalf = member_state(body.issued_on_behalf_of)
        except ValueError as e:
            problems.append(("issued_on_behalf_of", str(e)))
        else:
            if behalf == issuer:
                problems.append(("issued_on_behalf_of", f"is {behalf}, the state that issued the visa itself"))
            elif body.visa_type == "long_stay":
                problems.append(("issued_on_behalf_of",
                                 "a long-stay visa is a national visa: representation (Regulation (EC) "
                                 "No 810/2009, Article 8) covers short-stay and airport transit visas only"))
    return problems
