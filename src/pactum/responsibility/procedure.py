"""The take-charge / take-back / transfer procedure between Member States, as a state machine.

A request goes from the requesting state's Dublin unit to the requested state's unit:

* ``take_charge`` (Dublin III Art 21, AMMR Art 39) and, under Dublin III, ``take_back`` requests
  (Art 23-24) are answered by acceptance or a reasoned refusal; silence at the reply deadline is
  acceptance (Dublin III Arts 22(7), 25(2); AMMR Art 40(8)).
* under the AMMR, ``take_back_notification`` (Art 41) is confirmed; silence at the deadline is
  confirmation; the state notified contests it (``contest``) where it demonstrates within that deadline that
  it is not obliged to take the person back (Art 41(3): not responsible under Art 37, or, read with
  Art 38(4), second subparagraph, its obligation ended), which closes the notification.
* a refusal may be re-examined once (Reg. 1560/2003 Art 5(2); AMMR implementing Reg. 2025/2055);
  silence on a re-examination closes the procedure (CJEU C-47/17 and C-48/17), and so does a
  refusal whose re-examination was not asked within the three weeks: it is final.
* after acceptance the requesting state decides the transfer (AMMR Art 42(1)), arranges it and
  carries it out within the transfer period (Dublin III Art 29(1), AMMR Art 46(1)); the period
  can be extended once for imprisonment or absconding (Art 29(2) / Art 46(2)); when it passes,
  responsibility shifts to the requesting state (Art 29(2) / Art 37(1)).

Pure: the service layer stores the status, computes deadlines through :mod:`pactum.law` and
writes every transition to the audit log and the case timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pactum.common.text import shortened
from pactum.law import param

from .criteria import ARTICLES
from .relocation_take_back import GROUND as RELOCATION_GROUND

RequestKind = Literal["take_charge", "take_back", "take_back_notification", "humanitarian"]
Actor = Literal["requesting", "requested", "system"]

KINDS: tuple[str, ...] = ("take_charge", "take_back", "take_back_notification", "humanitarian")
SILENCE_IS_ACCEPTANCE = frozenset({"take_charge", "take_back"})
"""Kinds where no reply by the deadline is acceptance. A humanitarian-clause request (Dublin III
Art 17(2), AMMR Art 35(2)) has a reply period but no tacit acceptance: it stays unanswered."""

STATUSES: tuple[str, ...] = (
    "pending",
    "accepted",
    "accepted_tacitly",
    "confirmed",
    "confirmed_tacitly",
    "refused",
    "reexamination_requested",
    "refused_final",
    "transfer_decided",
    "transfer_arranged",
    "transferred",
    "responsibility_shifted",
    "withdrawn",
)

OPEN_REPLY = frozenset({"pending", "reexamination_requested"})
"""Statuses in which the requested state must still answer."""
ACCEPTED = frozenset({"accepted", "accepted_tacitly", "confirmed", "confirmed_tacitly"})
TRANSFER_RUNNING = ACCEPTED | {"transfer_decided", "transfer_arranged"}
"""Statuses in which the transfer period runs."""
CLOSED = frozenset({"transferred", "responsibility_shifted", "withdrawn", "refused_final"})

LABELS: dict[str, str] = {
    "pending": "awaiting reply",
    "accepted": "accepted",
    "accepted_tacitly": "accepted by silence",
    "confirmed": "receipt confirmed",
    "confirmed_tacitly": "confirmed by silence",
    "refused": "refused",
    "reexamination_requested": "re-examination requested",
    "refused_final": "refused (final)",
    "transfer_decided": "transfer decided",
    "transfer_arranged": "transfer arranged",
    "transferred": "transferred",
    "responsibility_shifted": "responsibility shifted to requesting state",
    "withdrawn": "withdrawn",
}


#: Labels that differ by kind: a take-back notification (AMMR Art 41) is confirmed, never
#: accepted or refused, so while pending it awaits the notified state's confirmation of receipt.
KIND_LABELS: dict[tuple[str, str], str] = {
    ("take_back_notification", "pending"): "awaiting confirmation",
    ("take_back_notification", "refused_final"): "contested",
}


def status_label(kind: str, status: str) -> str:
    """A request's status in words, as its kind says it ("awaiting confirmation" for a pending
    take-back notification, "awaiting reply" for a pending request)."""
    return KIND_LABELS.get((kind, status)) or LABELS.get(status, status)


#: What the requested state must do by the reply deadline, by kind.
REPLY_WHAT: dict[str, str] = {"take_back_notification": "confirmation"}


@dataclass(frozen=True, slots=True)
class Transition:
    action: str
    actor: Actor
    sources: frozenset[str]
    target: str
    kinds: frozenset[str] = frozenset(KINDS)
    legal_basis: tuple[str, ...] = ()


D3 = "Regulation (EU) No 604/2013"
AMMR = "Regulation (EU) 2024/1351"
IMPL = "Commission Regulation (EC) No 1560/2003"

_REQ = frozenset({"take_charge", "take_back"})
_ANSWERED = _REQ | {"humanitarian"}
_NOTIF = frozenset({"take_back_notification"})

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("accept", "requested", frozenset({"pending"}), "accepted", _ANSWERED,
                   (f"{D3}, Article 22(1)", f"{D3}, Article 25(1)", f"{AMMR}, Article 40(1)")),
        Transition("refuse", "requested", frozenset({"pending"}), "refused", _ANSWERED,
                   (f"{D3}, Article 22(1)", f"{AMMR}, Article 40(1)")),
        Transition("confirm", "requested", frozenset({"pending"}), "confirmed", _NOTIF,
                   (f"{AMMR}, Article 41(3)",)),
        Transition("lapse_reply", "system", frozenset({"pending"}), "accepted_tacitly", _REQ,
                   (f"{D3}, Article 22(7)", f"{D3}, Article 25(2)", f"{AMMR}, Article 40(8)")),
        Transition("lapse_confirmation", "system", frozenset({"pending"}), "confirmed_tacitly",
                   _NOTIF, (f"{AMMR}, Article 41(4)",)),
        Transition("request_reexamination", "requesting", frozenset({"refused"}),
                   "reexamination_requested", _REQ, (f"{IMPL}, Article 5(2)",)),
        Transition("accept_reexamination", "requested", frozenset({"reexamination_requested"}),
                   "accepted", _REQ, (f"{IMPL}, Article 5(2)",)),
        Transition("refuse_reexamination", "requested", frozenset({"reexamination_requested"}),
                   "refused_final", _REQ, (f"{IMPL}, Article 5(2)",)),
        Transition("lapse_reexamination", "system", frozenset({"reexamination_requested"}),
                   "refused_final", _REQ, (f"{IMPL}, Article 5(2)",)),
        Transition("lapse_reexamination_request", "system", frozenset({"refused"}), "refused_final", _REQ,
                   (f"{IMPL}, Article 5(2)",)),
        Transition("contest", "requested", frozenset({"pending"}), "refused_final", _NOTIF,
                   (f"{AMMR}, Article 41(3)",)),
        Transition("accept_refusal", "requesting", frozenset({"refused"}), "refused_final", _ANSWERED,
                   (f"{D3}, Article 3(2)", f"{AMMR}, Article 16(2)")),
        Transition("decide_transfer", "requesting", ACCEPTED, "transfer_decided",
                   frozenset(KINDS), (f"{D3}, Article 26(1)", f"{AMMR}, Article 42(1)")),
        Transition("arrange_transfer", "requesting", frozenset({"transfer_decided"}),
                   "transfer_arranged", frozenset(KINDS),
                   (f"{D3}, Article 29(1)", f"{AMMR}, Article 46(1)")),
        Transition("complete_transfer", "requesting", frozenset({"transfer_arranged"}),
                   "transferred", frozenset(KINDS), (f"{D3}, Article 29(1)", f"{AMMR}, Article 46(1)")),
        Transition("lapse_transfer", "system", TRANSFER_RUNNING, "responsibility_shifted",
                   frozenset(KINDS), (f"{D3}, Article 29(2)", f"{AMMR}, Article 37(1)")),
        Transition("withdraw", "requesting", OPEN_REPLY | {"refused"} | TRANSFER_RUNNING,
                   "withdrawn", frozenset(KINDS), ()),
    )
}

#: The legal basis of a transition for one kind of request, where it differs from the
#: transition's own (which lists every kind's articles): accepting a humanitarian-clause request
#: transfers responsibility to the state asked (Dublin III Art 17(2); AMMR Art 35(2)), not the
#: reply articles of a take charge or a take back.
KIND_BASIS: dict[tuple[str, str], tuple[str, ...]] = {
    ("accept", "take_charge"): (f"{D3}, Article 22(1)", f"{AMMR}, Article 40(1)"),
    ("accept", "take_back"): (f"{D3}, Article 25(1)",),
    ("accept", "humanitarian"): (f"{D3}, Article 17(2)", f"{AMMR}, Article 35(2)"),
    ("refuse", "humanitarian"): (f"{D3}, Article 17(2)", f"{AMMR}, Article 35(2)"),
    ("lapse_reply", "take_charge"): (f"{D3}, Article 22(7)", f"{AMMR}, Article 40(8)"),
    ("lapse_reply", "take_back"): (f"{D3}, Article 25(2)",),
}


def legal_basis(action: str, kind: str | None = None) -> tuple[str, ...]:
    """The articles of ``action`` on a request of ``kind`` (every regime's: the caller keeps its
    regime's)."""
    if kind is not None and (action, kind) in KIND_BASIS:
        return KIND_BASIS[action, kind]
    return TRANSITIONS[action].legal_basis


EXTENSION_REASONS = ("imprisonment", "absconding")


class IllegalTransition(Exception):
    """The request is not in a state from which this action is possible."""


def next_status(kind: str, status: str, action: str) -> str:
    t = TRANSITIONS.get(action)
    if t is None:
        raise IllegalTransition(f"unknown action {action!r}")
    if kind not in t.kinds:
        raise IllegalTransition(f"'{action}' is not possible on a {kind.replace('_', ' ')}")
    if status not in t.sources:
        raise IllegalTransition(
            f"'{action}' is not possible on a request that is {status_label(kind, status)}"
        )
    return t.target


def actions_for(kind: str, status: str, actor: Actor) -> list[str]:
    """What a side may do now (for the screens)."""
    return [a for a, t in TRANSITIONS.items()
            if t.actor == actor and kind in t.kinds and status in t.sources]


#: The actions of :data:`TRANSITIONS` a Dublin unit takes as its next step, as the inbox and outbox
#: say it ("Your step"); a withdrawal, always open to the requesting state, is not a step.
STEP_WORDS: dict[str, str] = {
    "accept": "accept", "refuse": "refuse", "confirm": "confirm",
    "request_reexamination": "ask for re-examination", "accept_refusal": "accept the refusal",
    "accept_reexamination": "accept on re-examination", "refuse_reexamination": "refuse on re-examination",
    "decide_transfer": "decide the transfer", "arrange_transfer": "arrange the transfer",
    "complete_transfer": "carry out the transfer",
}


def your_step(kind: str, status: str, actor: Actor) -> str | None:
    """The next step of ``actor``'s Dublin unit on a request ("accept or refuse", "decide the
    transfer"), or ``None`` when it has none at this stage (the other state's turn, or closed)."""
    steps = [STEP_WORDS[a] for a in actions_for(kind, status, actor) if a in STEP_WORDS]
    if not steps:
        return None
    return steps[0] if len(steps) == 1 else ", ".join(steps[:-1]) + " or " + steps[-1]


def deadline_side(what: str) -> Actor:
    """Whose deadline a request's next deadline (``what``, as :func:`pactum.services.responsibility`
    names it) is: the reply and the reply to a re-examination are the requested state's, the rest
    (re-examination request, transfer decision, transfer) the requesting state's."""
    return "requested" if what in ("reply", "re-examination reply", *REPLY_WHAT.values()) else "requesting"


def kind_allowed(kind: str, regime: str) -> bool:
    """Take-back requests exist under Dublin III; the AMMR replaced them by notifications."""
    if kind == "take_back":
        return regime == "dublin_iii"
    if kind == "take_back_notification":
        return regime == "ammr"
    return kind in KINDS


#: The grounds of a take back, by regime: what makes the requested state obliged to take the
#: person back, as opposed to taking charge of them on a criterion of responsibility. Each is
#: (what the requesting state asserts, the article). Dublin III Art 18(1)(b)-(d) and Art 20(5);
#: AMMR Art 36(1)(b)-(c) (the requested state is indicated as responsible in Eurodac, or admitted
#: the person under a resettlement or humanitarian admission) and Art 38(4) (read in the Official
#: Journal's Italian text: the state that started the determination takes back, «alle condizioni di
#: cui agli articoli 41 e 46», the applicant who is in another Member State without a residence
#: document or applies there during the determination; Art 38(3), last sentence: until it indicates
#: the state responsible in Eurodac, the procedures of paragraph 4 apply).
TAKE_BACK_GROUNDS: dict[str, dict[str, tuple[str, str]]] = {
    "dublin_iii": {
        "application_under_examination": (
            "the person's application is under examination in {state}", f"{D3}, Article 18(1)(b)"),
        "application_withdrawn": (
            "the person withdrew the application under examination in {state}", f"{D3}, Article 18(1)(c)"),
        "application_rejected": (
            "the person's application was rejected in {state}", f"{D3}, Article 18(1)(d)"),
        "withdrawn_during_determination": (
            "the person withdrew the application lodged in {state} while the Member State responsible "
            "was being determined", f"{D3}, Article 20(5)"),
    },
    "ammr": {
        "indicated_responsible_in_eurodac": (
            "{state} is indicated in Eurodac as the Member State responsible", f"{AMMR}, Article 36(1)(b)"),
        "admitted_person": (
            "{state} admitted the person under a resettlement or humanitarian admission", f"{AMMR}, Article 36(1)(c)"),
        "during_determination": (
            "the person's application was registered in {state}, which started the determination of the Member "
            "State responsible and has not yet indicated one in Eurodac", f"{AMMR}, Article 38(4)"),
        # Art 38(5): the Member State of relocation, between its confirmation of the relocation (Art
        # 67(9)) and the transfer (Art 67(11)); checked against the relocations recorded
        # (:mod:`pactum.responsibility.relocation_take_back`)
        RELOCATION_GROUND: (
            "{state} is the Member State of relocation: it confirmed the relocation of the person, and the "
            "transfer there was not carried out before the application was registered", f"{AMMR}, Article 38(5)"),
    },
}
TAKE_BACK_KINDS = frozenset({"take_back", "take_back_notification"})


def take_back_ground_problem(kind: str, regime: str, ground: str | None, requested: str) -> str | None:
    """Why a request's take-back ground is refused (``None``: accepted). A take back needs one of
    :data:`TAKE_BACK_GROUNDS` of the case's regime; a take charge or a humanitarian request has
    none."""
    grounds = TAKE_BACK_GROUNDS.get(regime, {})
    what = {"take_back": "take-back request", "take_back_notification": "take-back notification"}.get(kind, kind)
    if kind not in TAKE_BACK_KINDS:
        return None if ground is None else f"only a take back has a take-back ground, not a {kind.replace('_', ' ')}"
    if ground is None:
        articles = "; ".join(sorted({a for _, a in grounds.values()}))
        return (f"a {what} needs its ground ({articles}): that {requested} is obliged to take "
                f"the person back ({', '.join(grounds)}). A person who only entered, stayed in or holds a "
                f"document of {requested} is taken charge of: send a take charge request")
    if ground not in grounds:
        return f"{ground} is not a take-back ground under {regime}; one of {', '.join(grounds)}"
    return None


#: Why a person who applied in the requested state is taken back, not taken charge of: Dublin III
#: Art 18(1)(b)-(d) with the take-back procedure of Arts 23-25 (CJEU C-582/17 and C-583/17 *H. and
#: R.*: the take-charge procedure does not apply once an application was lodged in the requested
#: state); AMMR Art 36(1)(b) with the take-back notification of Art 41.
TAKE_BACK_INSTEAD: dict[str, tuple[str, str]] = {
    "dublin_iii": ("take_back", f"{D3}, Article 18(1)(b)-(d), Articles 23 to 25; "
                                "CJEU, Joined Cases C-582/17 and C-583/17 H. and R."),
    "ammr": ("take_back_notification", f"{AMMR}, Article 36(1)(b), Article 41"),
}


def take_back_instead(regime: str, requested: str, applied_on: date, *, on_the_form: bool = False) -> str:
    """Why a take charge is refused for a person who applied in ``requested`` on ``applied_on``,
    naming the kind to send. ``on_the_form``: as the case page says it beside the request form,
    which offers the kind to send and cites the articles in its own brackets (no field names)."""
    kind, basis = TAKE_BACK_INSTEAD.get(regime, TAKE_BACK_INSTEAD["dublin_iii"])
    what = "take-back request" if kind == "take_back" else "take-back notification"
    if on_the_form:
        return (f"the person applied for international protection in {requested} on {applied_on.isoformat()}: "
                f"{requested} takes the person back, it does not take charge of them; send a {what}")
    grounds = ", ".join(TAKE_BACK_GROUNDS.get(regime, {}))
    return (f"the person applied for international protection in {requested} on {applied_on.isoformat()}: "
            f"{requested} takes the person back, it does not take charge of them ({basis}); "
            f"send a {what} (kind {kind}) with its take-back ground ({grounds})")


#: The criteria of responsibility (:data:`pactum.responsibility.model.CRITERIA` and the engine's
#: steps) as an officer names them; the articles are the request's or the determination's legal
#: basis, shown beside the label (Dublin III Chapter III; AMMR Part III Chapter II).
CRITERION_LABELS: dict[str, str] = {
    "security_threat": "applicant a threat to national security",
    "relocation": "relocation",
    "unaccompanied_minor": "unaccompanied minor",
    "unaccompanied_minor_family": "unaccompanied minor: family member or sibling legally present",
    "unaccompanied_minor_relative": "unaccompanied minor: relative who can take care of them",
    "unaccompanied_minor_presence": "unaccompanied minor without family: where the minor applied",
    "dependent_persons": "dependency on a child, sibling or parent legally resident",
    "family_beneficiary": "family member who is a beneficiary of international protection",
    "family_applicant": "family member who is an applicant for international protection",
    "family_procedure": "family members applying together (family procedure)",
    "residence_document": "valid residence document",
    "visa": "valid visa",
    "several_documents": "several residence documents or visas",
    "expired_documents": "expired residence document or visa",
    "expired_documents_not_left": "document expired beyond the periods, applicant never left: the state of lodging",
    "diploma": "diploma or other qualification",
    "irregular_entry": "irregular entry across an external border",
    "sar_disembarkation": "disembarkation after search and rescue",
    "irregular_stay": "irregular stay of at least five months",
    "visa_waived_entry": "entry where the visa requirement is waived",
    "airport_transit": "application in an airport's international transit area",
    "first_application": "first application (no criterion applies)",
}


#: The events of a Dublin case's and request's timeline (the actions of :data:`TRANSITIONS`, the
#: request sent, the determination, the discretionary clause and the steps after an acceptance) as
#: an officer names them.
ACTION_LABELS: dict[str, str] = {
    "determined": "responsibility determined",
    "hit_recorded": "Eurodac or VIS hit recorded",
    "sent": "request sent",
    "accept": "accepted",
    "refuse": "refused",
    "confirm": "confirmed",
    "lapse_reply": "no reply by the deadline: accepted by silence",
    "lapse_confirmation": "no reply by the deadline: confirmed by silence",
    "request_reexamination": "re-examination requested",
    "accept_reexamination": "accepted on re-examination",
    "refuse_reexamination": "refused on re-examination",
    "lapse_reexamination": "no reply to the re-examination by its deadline",
    "lapse_reexamination_request": "no re-examination requested in time: refusal final",
    "accept_refusal": "refusal accepted",
    "contest": "contested: the state notified is not obliged to take the person back",
    "decide_transfer": "transfer decided",
    "arrange_transfer": "transfer arranged",
    "complete_transfer": "transfer carried out",
    "extend_transfer": "transfer period extended",
    "record_appeal": "appeal against the transfer decision recorded",
    "decide_appeal": "final decision on the appeal recorded",
    "lapse_transfer": "transfer period ended: responsibility shifted",
    "withdraw": "withdrawn",
    "discretionary_clause": "discretionary clause applied: request ended",
}


def criterion_label(code: str | None, requested: str | None = None) -> str | None:
    """A criterion code (``sar_disembarkation``) or a take-back ground (``application_rejected``)
    as words: "disembarkation after search and rescue", "the person's application was rejected in
    IT" (``requested``: the state asked, named in a ground). An unknown code reads as its words."""
    if not code:
        return None
    if code in CRITERION_LABELS:
        return CRITERION_LABELS[code]
    for grounds in TAKE_BACK_GROUNDS.values():
        if code in grounds:
            return grounds[code][0].replace("{state}", requested or "the state asked")
    return code.replace("_", " ")


#: The criteria of the hierarchy a take-charge request may rest on (Dublin III Arts 8-16; AMMR
#: Arts 25-34), in the engine's table order: its criterion codes, the relative
#: of an unaccompanied minor (Art 8(2) / 25(4)) and expired documents (Art 12(4) / 29(4)). A code
#: whose article the regime does not have (``irregular_stay`` under the AMMR, ``diploma`` under
#: Dublin III) is left out; the articles are :data:`pactum.responsibility.criteria.ARTICLES`, the
#: table the engine cites in its trace. ``security_threat``, ``relocation`` and
#: ``first_application`` are not among them: they designate the state of registration, the
#: relocation state or the state of a first application (taken back), not a state asked to take
#: charge on a criterion.
TAKE_CHARGE_CRITERIA: tuple[str, ...] = (
    "unaccompanied_minor_family", "unaccompanied_minor_relative", "unaccompanied_minor_presence",
    "dependent_persons", "family_beneficiary", "family_applicant", "family_procedure",
    "residence_document", "visa", "expired_documents", "diploma", "irregular_entry",
    "sar_disembarkation", "irregular_stay", "visa_waived_entry", "airport_transit",
)

#: What a take-charge request contains: the elements enabling the requested state to check that it
#: is responsible (Dublin III Art 21(3); AMMR Art 39(3), read in the Official Journal text, Italian
#: version: a full and detailed statement of reasons on the relevant criteria of Chapter II, on a
#: uniform form with evidence or circumstantial evidence), with the standard form naming the
#: provision (Reg. 1560/2003, Annex I).
TAKE_CHARGE_CONTENT: dict[str, str] = {
    "dublin_iii": f"{D3}, Article 21(3)",
    "ammr": f"{AMMR}, Article 39(3)",
}


def take_charge_criteria(regime: str) -> dict[str, tuple[str, ...]]:
    """The criteria a take charge may name under ``regime``, each with its legal basis as the
    engine cites it (:data:`pactum.responsibility.criteria.ARTICLES`)."""
    arts = ARTICLES.get(regime, {})  # type: ignore[call-overload]
    return {code: tuple(arts[code]) for code in TAKE_CHARGE_CRITERIA if arts.get(code)}


def take_charge_criterion_problem(kind: str, regime: str, criterion: str | None, requested: str,
                                  designated: str | None, determined: str | None) -> str | None:
    """Why a request's ``criterion`` is refused (``None``: accepted). A take charge to a state other
    than the one the determination designates (``designated``, on the criterion ``determined``)
    names the criterion of the hierarchy on which the requested state is responsible; one to the
    designated state may name only the determination's own. A take back rests on its ground and a
    humanitarian-clause request on the clause, so neither names a criterion."""
    if kind != "take_charge":
        if criterion is None:
            return None
        what = {"take_back": "take-back request", "take_back_notification": "take-back notification",
                "humanitarian": "humanitarian-clause request"}.get(kind, kind)
        rests_on = "its take-back ground (take_back_ground)" if kind in TAKE_BACK_KINDS else "the humanitarian clause"
        return f"only a take charge names a criterion; a {what} rests on {rests_on}"
    valid = take_charge_criteria(regime)
    codes = ", ".join(valid)
    content = TAKE_CHARGE_CONTENT.get(regime, TAKE_CHARGE_CONTENT["dublin_iii"])
    if requested == designated:
        if criterion is None or criterion == determined:
            return None
        if criterion not in valid:
            return f"{shortened(criterion)} is not a criterion of the hierarchy under {regime}; one of {codes}"
        return (f"the determination designates {requested} on the criterion {determined}, not "
                f"{criterion}: leave the criterion out or name {determined}")
    if criterion is None:
        where = f"designates {designated}" if designated else "designates no state"
        return (f"is required: the determination {where}, so a take-charge request to {requested} names "
                f"the criterion on which {requested} is responsible ({content}); one of {codes}")
    if criterion not in valid:
        return f"{shortened(criterion)} is not a criterion of the hierarchy under {regime}; one of {codes}"
    return None


def responsible_after(status: str, requesting: str, requested: str) -> str | None:
    """The state responsible once the procedure has closed (None while it is open)."""
    if status in ACCEPTED or status in ("transfer_decided", "transfer_arranged", "transferred"):
        return requested
    if status in ("responsibility_shifted", "refused_final"):
        return requesting
    return None


#: When the requesting state may ask for an urgent reply to a take-charge request, by regime: the
#: application came after one of these (what happened, the article). Read in the Official
#: Journal's Italian texts (EUR-Lex HTML republished in the GitHub repository d5p2rnkdz9-hub/
#: SOSPATTO, public/patto-interattivo/ext-reg-2013-604.html and 1351.html):
#:
#: - Dublin III Art 21(2): "a seguito di un rifiuto d'ingresso o di soggiorno, di un arresto per
#:   soggiorno irregolare, della notificazione o dell'esecuzione di un provvedimento di
#:   allontanamento"; the request states the reasons and the time within which the reply is
#:   expected, at least one week. Art 22(6): the requested state makes every effort to meet it and,
#:   exceptionally, replies within one month; 22(7): silence within that month is acceptance.
#: - AMMR Art 39(2): the application "registrata dopo che è stata emessa una decisione di rifiuto
#:   d'ingresso o una decisione di rimpatrio"; the request states the reasons and the time, at least
#:   one week. Art 40(7): the reply within the time indicated or, where none is given, within two
#:   weeks of receipt; 40(8): silence is acceptance.
URGENT_GROUNDS: dict[str, dict[str, tuple[str, str]]] = {
    "dublin_iii": {
        "refusal_of_entry": ("leave to enter was refused", f"{D3}, Article 21(2)"),
        "refusal_of_stay": ("leave to remain was refused", f"{D3}, Article 21(2)"),
        "arrest_illegal_stay": ("the person was arrested for an irregular stay", f"{D3}, Article 21(2)"),
        "removal_order": ("a removal order was served or executed", f"{D3}, Article 21(2)"),
    },
    "ammr": {
        "refusal_of_entry": ("a refusal-of-entry decision was issued", f"{AMMR}, Article 39(2)"),
        "return_decision": ("a return decision was issued", f"{AMMR}, Article 39(2)"),
    },
}

#: The article under which the requesting state asks for an urgent reply, and that of the reply.
URGENT_BASIS = {"dublin_iii": (f"{D3}, Article 21(2)", f"{D3}, Article 22(6)"),
                "ammr": (f"{AMMR}, Article 39(2)", f"{AMMR}, Article 40(7)")}

def urgent_at_least_days(regime: str, registered_on: date) -> int:
    """The least time, in days, the urgent reply may be asked within, under the law of the case
    (parameter ``take_charge.urgent_reply_least``: Dublin III Art 21(2); AMMR Art 39(2), second
    subparagraphs: one week)."""
    p = param(f"{'dublin3' if regime == 'dublin_iii' else 'ammr'}.take_charge.urgent_reply_least", on=registered_on)
    return int(p.value) * {"weeks": 7, "days": 1}[str(p.unit)]


def urgent_problems(regime: str, kind: str, ground: str | None, decision_on: date | None,
                    reasons: str | None, reply_by: date | None, registered_on: date, today: date
                    ) -> list[tuple[str, str]]:
    """Why a request's ask for an urgent reply is refused, by field (empty: none asked, or it
    lies): only a take charge asks for one, on a ground of :data:`URGENT_GROUNDS` of the regime
    that came on or before the application's registration (lodging), with its reasons, and the
    time asked at least one week after the request (required under Dublin III, whose Art 22(6)
    gives none otherwise; under the AMMR, left out, two weeks, Art 40(7))."""
    ask, _reply = URGENT_BASIS.get(regime, URGENT_BASIS["ammr"])
    if ground is None:
        given = [f for f, v in (("urgent_decision_on", decision_on), ("urgent_reasons", reasons),
                                ("urgent_reply_by", reply_by)) if v]
        return [(f, f"an urgent reply is asked with its ground (urgent_ground, {ask}): give it, or leave "
                    f"{f} out") for f in given]
    if kind != "take_charge":
        return [("urgent_ground", f"only a take-charge request asks for an urgent reply ({ask}), not a "
                                  f"{kind.replace('_', ' ')}")]
    grounds = URGENT_GROUNDS.get(regime, {})
    problems: list[tuple[str, str]] = []
    if ground not in grounds:
        problems.append(("urgent_ground", f"{ground} is not a ground for an urgent reply under "
                                          f"{'Dublin III' if regime == 'dublin_iii' else 'the AMMR'} ({ask}); "
                                          f"one of {', '.join(grounds)}"))
    what = grounds[ground][0] if ground in grounds else "the decision"
    word = "lodged" if regime == "dublin_iii" else "registered"
    if decision_on is None:
        problems.append(("urgent_decision_on", f"required with an urgent reply: the day {what}, before the "
                                               f"application was {word} ({ask})"))
    elif decision_on > today:
        problems.append(("urgent_decision_on", "is in the future"))
    elif decision_on > registered_on:
        problems.append(("urgent_decision_on", f"{decision_on.isoformat()} is after the application was {word} "
                                               f"({registered_on.isoformat()}): an urgent reply lies where the "
                                               f"application came after it ({ask})"))
    if not (reasons or "").strip():
        problems.append(("urgent_reasons", f"required with an urgent reply: the request states the reasons "
                                           f"warranting it ({ask}, second subparagraph)"))
    least = date.fromordinal(today.toordinal() + urgent_at_least_days(regime, registered_on))
    if reply_by is None and regime == "dublin_iii":
        problems.append(("urgent_reply_by", f"required under Dublin III: the request states the time within "
                                            f"which the urgent reply is expected, at least one week, so not "
                                            f"before {least.isoformat()} ({ask}, second subparagraph)"))
    elif reply_by is not None and reply_by < least:
        problems.append(("urgent_reply_by", f"{reply_by.isoformat()} is less than one week after the request: "
                                            f"the time asked is at least one week, so not before "
                                            f"{least.isoformat()} ({ask}, second subparagraph)"))
    return problems
