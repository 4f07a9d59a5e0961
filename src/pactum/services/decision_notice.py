"""The written notice of the decision on an asylum application: what the determining authority
hands the applicant once it has decided (the web page and its PDF, the API's JSON, the CLI).

What the law asks of it, as read (docs/decision_notice.md says where):

- Regulation (EU) 2024/1348 (APR), Article 36(1): the decision "shall be given in writing" and
  notified to the applicant; 36(2): a rejection (inadmissible, unfounded or manifestly unfounded
  with regard to refugee status or subsidiary protection status, explicitly or implicitly
  withdrawn) states "the reasons in fact and in law"; 36(3): the applicant is informed in writing
  of the result and of how to challenge a rejection, in a language the applicant understands or
  is reasonably supposed to understand where no legal adviser assists; 67(1): the right to an
  effective remedy before a court or tribunal; 68(2)-(3): who may remain pending it (computed by
  :func:`pactum.procedures.workflow.suspensive_effect`).
- Where the applicant is legally represented (APR Art 36(1), second sentence, and 36(4), read in
  the Official Journal text, Italian version): the decision may be notified to the representative
  or legal adviser instead of the applicant; the information of 36(3) may then be given to the
  legal adviser alone, untranslated, and the applicant is told in writing, in a language the
  applicant understands or is reasonably supposed to understand, whether international
  protection is granted, with general information on how to challenge the decision. The case
  records it when the notification names the legal adviser (the ``notify`` step's
  ``legal_adviser``); the notice then says so and carries that information to the applicant.
- Before the Pact, Directive 2013/32/EU, Article 11(1): the decision is given in writing; 11(2): a
  rejection with regard to refugee status and/or subsidiary protection status states the reasons in
  fact and in law, and information on how to challenge a negative decision is given in writing;
  12(1)(e): a decision may be notified to the lawyer or other legal adviser who legally represents
  the applicant instead of the applicant; 12(1)(f): the result is given in a language the applicant
  understands where the applicant is not assisted or represented by one (Art 11(3) is the single
  decision for dependants: not this).
- The court or tribunal: national law names it; where the state's administrator has set it
  (:mod:`pactum.services.appeal_bodies`), the notice names it, its address and how an appeal is
  lodged; otherwise it explains the remedy in general terms.

Nothing is computed here that the workflow computes already: the appeal time limit
(:func:`workflow.appeal_deadline`), the suspensive effect (:func:`workflow.suspensive_effect`),
the citation of the reasons (:func:`workflow.reasons_ref`). The case is read through
:func:`pactum.services.procedures.get_case` (its rights and scope: another state's case is not
found); the notice is one read of the personal-data read log (``decision_notice``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select

from pactum.common.countries import country
from pactum.common.errors import Conflict
from pactum.common.states import authority_name
from pactum.law import LegalRef, NotInForce, UnknownParameter
from pactum.procedures import workflow
from pactum.procedures.model import Outcome
from pactum.services import appeal_bodies, procedures, reads
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.registry import identity_records
from pactum.store.tables.returns import return_decisions

APR, APD = workflow.APR, workflow.APD
#: the web templates (the notice's page and its PDF share one template)
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "web" / "templates"

#: What the notice rests on, per regime (``pact``: the APR; ``pre_pact``: Directive 2013/32/EU).
#: Directive 2013/32/EU Arts 46(1) and 12(1)(f) were read in its consolidated text (Italian
#: version; see docs/decision_notice.md).
LAW: dict[str, dict[str, str]] = {
    "pact": {
        "in_writing": LegalRef.of(APR, "36", "1").cite(),
        "information": LegalRef.of(APR, "36", "3").cite(),
        "remedy": LegalRef.of(APR, "67", "1").cite(),
        "language": LegalRef.of(APR, "36", "3").cite(),
        "notified_to_adviser": LegalRef.of(APR, "36", "1").cite(),
        "represented": LegalRef.of(APR, "36", "4").cite(),
    },
    "pre_pact": {
        "in_writing": LegalRef.of(APD, "11", "1").cite(),
        "information": LegalRef.of(APD, "11", "2").cite(),
        "remedy": LegalRef.of(APD, "46", "1").cite(),
        "language": LegalRef.of(APD, "12", "1", "f").cite(),
        "notified_to_adviser": LegalRef.of(APD, "12", "1", "e").cite(),
        "represented": LegalRef.of(APD, "12", "1", "f").cite(),
    },
}

#: How to challenge the decision, in general terms (the court, its seat and the form of the appeal
#: are national law: not modelled).
REMEDY_WORDS = {
    "pact": "You have the right to an effective remedy against this decision before a court or tribunal. "
            "National law names the court or tribunal and says how the appeal is lodged.",
    "pre_pact": "You have the right to an effective remedy against this decision before a court or tribunal. "
                "National law names the court or tribunal, says how the appeal is lodged and sets its time limit.",
}

#: How to challenge the decision where the state's administrator has named the court or tribunal
#: (its name, address and how to lodge follow); the time limit and the suspensive effect are said
#: apart, as computed.
REMEDY_BODY_WORDS = {
    "pact": "You have the right to an effective remedy against this decision before {name}.",
    "pre_pact": "You have the right to an effective remedy against this decision before {name}. "
                "National law sets the time limit of the appeal.",
}

#: What the language of the notice must be, as the law in force says it (no translation is made here).
LANGUAGE_WORDS = {
    "pact": "Where the applicant is not assisted by a legal adviser, the result of the decision and how to "
            "challenge it are to be given in a language the applicant understands or is reasonably supposed "
            "to understand. This notice is not translated by Pactum.",
    "pre_pact": "The applicant is to be informed of the result of the decision in a language the applicant "
                "understands or is reasonably supposed to understand, where not assisted by a legal adviser. "
                "This notice is not translated by Pactum.",
}

#: The states in which a case holds a decision on the application (decided and approved, or on the
#: applicant's explicit withdrawal): the notice exists from then on.
NOTICE_STATES = frozenset({"decided", "notified", "appeal_lodged", "appeal_decided", "final", "withdrawn"})


def has_decision(case: dict[str, Any]) -> bool:
    """Whether the case (as :func:`procedures.get_case` returns it) holds a decision to notify."""
    return case.get("state") in NOTICE_STATES and bool(case.get("outcome")) and bool(case.get("decided_on"))


def _outcome_text(outcome: str) -> str:
    if outcome == Outcome.refugee_status:
        return "The decision grants refugee status."
    rejects = workflow.OUTCOME_REJECTS.get(Outcome(outcome))
    return f"The decision {rejects}." if rejects else f"The decision: {outcome.replace('_', ' ')}."


def _drafted(timeline: list[dict[str, Any]]) -> dict[str, Any]:
    """The detail of the draft the approved decision took (the last ``decision_drafted`` before the
    last ``decided`` event): its reasons, inadmissibility ground and its citation."""
    decided_at = next((i for i in range(len(timeline) - 1, -1, -1) if timeline[i]["event"] == "decided"), None)
    if decided_at is None:
        return {}
    drafted = next((e for e in reversed(timeline[:decided_at]) if e["event"] == "decision_drafted"), None)
    return dict((drafted or {}).get("detail") or {})


def _interview_language(case: dict[str, Any]) -> tuple[str | None, str | None]:
    """The language recorded on the case: the interpreter's at the personal interview, else the
    language the interview was scheduled in; with where it was recorded."""
    lang = (case.get("interpreter_language") or "").strip()
    if lang and lang.lower() != "none":
        return lang, "interpreter's language at the personal interview"
    scheduled = next((e for e in reversed(case["timeline"]) if e["event"] == "interview_scheduled"), None)
    lang = str(((scheduled or {}).get("detail") or {}).get("language") or "").strip()
    if lang and lang.lower() != "none":
        return lang, "language of the personal interview as scheduled"
    return None, None


def _nationality_name(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return country(code).name
    except ValueError:
        return None


def _return_decision(row: Any) -> dict[str, Any] | None:
    if row is None:
        return None
    m = row._mapping
    return {"id": m["id"], "reference": m["reference"], "issued_on": _iso(m["issued_on"]), "status": m["status"],
            "voluntary_departure_days": m["voluntary_departure_days"],
            "voluntary_departure_last_day": _iso(m["voluntary_departure_last_day"]),
            "entry_ban_years": m["entry_ban_years"], "entry_ban_months": m["entry_ban_months"],
            "entry_ban_starts_on": _iso(m["entry_ban_starts_on"]), "entry_ban_ends_on": _iso(m["entry_ban_ends_on"]),
            "legal_basis": list(m["legal_basis"] or [])}


def _iso(d: Any) -> str | None:
    return d.isoformat() if isinstance(d, date) else d


def _court(body: dict[str, Any] | None) -> dict[str, Any] | None:
    """The court or tribunal as the state's administrator set it (``None``: not set)."""
    if not body:
        return None
    return {k: body.get(k) for k in ("name", "address", "how_to_lodge", "national_law")}


def _challenge(case: dict[str, Any], wf: workflow.Case, regime: str,
               body: dict[str, Any] | None = None) -> dict[str, Any]:
    """How to challenge the decision: the remedy (before the court or tribunal the state set, with
    its address and how to lodge; else in general terms), the time limit (its last day from the
    notification), whether an appeal lets the applicant remain (suspends removal)."""
    law = LAW[regime]
    outcome = case["outcome"]
    if outcome == Outcome.refugee_status:
        return {"applies": False, "text": "This decision grants refugee status in full: it rejects nothing, "
                                          "so no information on how to challenge a rejection is owed.",
                "legal_basis": [law["information"]]}
    withdrawal = case.get("withdrawal") or {}
    if outcome == Outcome.explicitly_withdrawn and regime == "pact":
        return {"applies": False,
                "text": "The decision declares the application explicitly withdrawn"
                        + (f": {withdrawal['note']}" if withdrawal.get("note") else "")
                        + f". {law['information']} lists no such decision among those whose challenge the "
                          "notice explains.",
                "legal_basis": [law["information"], *(withdrawal.get("legal_basis") or [])]}
    time_limit: dict[str, Any]
    notified = wf.notified_on
    if notified is not None:
        try:
            due, steps = workflow.appeal_deadline(wf, notified)
        except (UnknownParameter, NotInForce):
            due, steps = None, []
        recorded = wf.appeal_deadline
        if recorded is not None and due != recorded:  # the day the notification recorded stands
            due, steps = recorded, [f"appeal time limit ends {recorded.isoformat()}"]
        # the law leaves the length to national law within a range (APR Art 67(7)) or altogether
        # (Directive Art 46(4)): the workflow computes the longest, and its computation says so
        national = any("national law" in step for step in steps[1:2])
        text = (f"An appeal must be lodged by {due.isoformat()} at the latest (the decision was notified on "
                f"{notified.isoformat()})." if due else
                f"National law sets the time limit; it runs from the notification of {notified.isoformat()}.")
        if due and national:
            text += (" This is the last day of the longest time limit the law allows; national law may set a "
                     "shorter one, which the authority checks before it gives this notice.")
        time_limit = {"runs_from": notified.isoformat(), "last_day": _iso(due), "computation": steps,
                      "set_by_national_law": national, "text": text}
    else:
        time_limit = {"runs_from": None, "last_day": None, "computation": [], "set_by_national_law": None,
                      "text": "The time limit to appeal runs from the notification of this decision "
                              "(not yet recorded as notified)."}
    automatic, basis = workflow.suspensive_effect(wf)
    suspends = automatic
    if wf.suspensive_effect is not None and wf.appeal_lodged_on is not None:
        suspends = wf.suspensive_effect  # as recorded when the appeal was lodged (or the court allowed since)
    suspensive = {"suspends_removal": suspends, "legal_basis": basis,
                  "text": ("An appeal lodged within the time limit allows the applicant to remain pending its "
                           "outcome: removal is suspended." if suspends else
                           "An appeal does not by itself allow the applicant to remain: removal is not "
                           "automatically suspended; a court or tribunal decides on a request to remain."),
                  "request_to_remain": None}
    if not automatic and regime == "pact":
        suspensive.update(_leave_to_remain(wf))
    appeal = None
    if wf.appeal_lodged_on is not None:
        appeal = {"lodged_on": wf.appeal_lodged_on.isoformat(), "outcome": wf.appeal_outcome}
    court = _court(body)
    text = REMEDY_BODY_WORDS[regime].format(name=court["name"]) if court else REMEDY_WORDS[regime]
    return {"applies": True, "text": text, "court_or_tribunal": court, "remedy_legal_basis": law["remedy"],
            "legal_basis": [law["information"], law["remedy"]], "time_limit": time_limit,
            "suspensive_effect": suspensive, "appeal": appeal}


def _leave_to_remain(wf: workflow.Case) -> dict[str, Any]:
    """What the notice says of leave to remain where the appeal does not suspend by itself (APR
    Art 68(3)): the applicant is to be informed of their rights under Art 68(5) (point (e)): the
    time to ask the court (at least five days from the notification, point (a); the platform's
    minimum, national law may allow longer) and that they are not removed until it ends nor, once
    asked in time, until the court decides (point (d)); and, once the court decided, what it decided
    (Art 68(4)), so that the words never say removal is suspended under a citation saying it is not."""
    court = LegalRef.of("apr", "68", "4").cite()
    basis = [LegalRef.of("apr", "68", "5", "a").cite(), LegalRef.of("apr", "68", "5", "d").cite(),
             LegalRef.of("apr", "68", "5", "e").cite()]
    window = workflow.request_to_remain_ends(wf)
    last = window[0].isoformat() if window else None
    rr = {"last_day": last, "requested_on": wf.remain_requested_on.isoformat() if wf.remain_requested_on else None,
          "decided_on": wf.remain_decided_on.isoformat() if wf.remain_decided_on else None,
          "allowed": wf.remain_allowed, "legal_basis": [*basis, court]}
    base = "An appeal does not by itself allow the applicant to remain: removal is not automatically suspended. "
    if wf.remain_allowed is True and wf.remain_decided_on is not None:
        text = (f"{base}The court or tribunal allowed the applicant to remain pending the appeal on "
                f"{wf.remain_decided_on.isoformat()}: removal is suspended until its outcome.")
    elif wf.remain_allowed is False and wf.remain_decided_on is not None:
        text = (f"{base}The court or tribunal refused to allow the applicant to remain pending the appeal on "
                f"{wf.remain_decided_on.isoformat()}.")
    elif wf.remain_requested_on is not None:
        text = (f"{base}The applicant asked the court or tribunal for leave to remain on "
                f"{wf.remain_requested_on.isoformat()}: the applicant is not removed until it decides.")
    else:
        text = (f"{base}The applicant may ask the court or tribunal for leave to remain pending the appeal"
                + (f" until {last} at least (five days from the notification; national law may allow longer)"
                   if last else "")
                + ", and is not removed before that time ends nor, if the request is made within it, until "
                  "the court or tribunal decides on it.")
    return {"text": text, "request_to_remain": rr,
            "legal_basis": "; ".join([workflow.suspensive_effect(wf)[1], *basis])}


def _notified_to_adviser(timeline: list[dict[str, Any]]) -> str | None:
    """The legal adviser the decision was notified to (the last notification of the decision the
    case holds, i.e. after its last approval), or ``None``: notified to the applicant, or not yet."""
    decided_at = max((i for i, e in enumerate(timeline) if e["event"] == "decided"), default=-1)
    notified = next((e for e in reversed(timeline[decided_at + 1:]) if e["event"] == "notified"), None)
    adviser = ((notified or {}).get("detail") or {}).get("legal_adviser")
    return str(adviser) if adviser else None


def _representation(case: dict[str, Any], regime: str, challenge: dict[str, Any]) -> dict[str, Any] | None:
    """What the law provides where the decision was notified to the legal adviser who legally
    represents the applicant (APR Art 36(1) and (4); before the Pact Directive 2013/32/EU Art
    12(1)(e) and (f)); ``None`` where the case records no such notification."""
    adviser = _notified_to_adviser(case["timeline"])
    if adviser is None:
        return None
    law = LAW[regime]
    if regime == "pre_pact":
        return {"legal_adviser": adviser, "notified_to": "legal_adviser",
                "text": f"The decision was notified to {adviser}, the lawyer or other legal adviser who legally "
                        f"represents the applicant, instead of the applicant ({law['notified_to_adviser']}). "
                        "The applicant being represented, the Directive's rule that the result of the decision "
                        "is given in a language the applicant understands or is reasonably supposed to "
                        f"understand does not apply ({law['represented']}: where the applicant is not assisted "
                        "or represented by a lawyer or other legal adviser); the information on how to "
                        f"challenge a negative decision is given in writing ({law['information']}).",
                "legal_basis": [law["notified_to_adviser"], law["represented"]],
                "applicant_information": None}
    outcome = str(case["outcome"])
    granted = outcome in (Outcome.refugee_status, Outcome.subsidiary_protection)
    result = (f"international protection is granted ({outcome.replace('_', ' ')})" if granted
              else "international protection is not granted")
    words = f"The decision of {case['decided_on']} on your application for international protection: {result}."
    if challenge.get("applies"):
        court = challenge.get("court_or_tribunal")
        words += (f" You may challenge this decision before {court['name']}" if court else
                  " You may challenge this decision before a court or tribunal") + (
            f". Your legal adviser, {adviser}, has been given the decision and the information on how to "
            "challenge it, with the time limit for doing so.")
    words += " This information is given to you in a language you understand or are reasonably supposed to understand."
    return {"legal_adviser": adviser, "notified_to": "legal_adviser",
            "text": f"The decision was notified to {adviser}, the legal adviser who legally represents the "
                    f"applicant, instead of the applicant ({law['notified_to_adviser']}). The information on "
                    "the result of the decision and on how to challenge it may be given to the legal adviser "
                    "alone, without translation into a language the applicant understands or is reasonably "
                    "supposed to understand. The applicant is then informed in writing, in such a language, "
                    "whether international protection is granted, with general information on how to "
                    f"challenge the decision ({law['represented']}): the information to the applicant below.",
            "legal_basis": [law["notified_to_adviser"], law["represented"]],
            "applicant_information": {"text": words, "legal_basis": law["represented"]}}


#: The language of the notice where the decision was notified to the legal adviser who legally
#: represents the applicant.
REPRESENTED_LANGUAGE_WORDS = {
    "pact": "The decision was notified to the applicant's legal adviser: the result and how to challenge it may "
            "be given to the adviser without translation; the information to the applicant (whether protection "
            "is granted, with general information on how to challenge it) is to be given in a language the "
            "applicant understands or is reasonably supposed to understand. This notice is not translated by "
            "Pactum.",
    "pre_pact": "The decision was notified to the applicant's lawyer or other legal adviser: the rule that the "
                "result is given in a language the applicant understands applies where the applicant is not "
                "assisted or represented by one. This notice is not translated by Pactum.",
}


def build(case: dict[str, Any], row: Any, dob: str | None, return_row: Any, today: date,
          appeal_body: dict[str, Any] | None = None) -> dict[str, Any]:
    """The notice's content from the case as read (``get_case``), its row, the applicant's date of
    birth, the return decision issued with it and the court or tribunal the state set (if any)."""
    wf = procedures.case_from_row(row)
    # the law of the application, by the day it was lodged (APR Art 79(3)), not of the decision
    applicable = workflow.case_regime(wf)
    regime = applicable.regime
    law = LAW[regime]
    outcome = str(case["outcome"])
    draft = _drafted(case["timeline"])
    withdrawal = case.get("withdrawal") or {}
    reasons_required = Outcome(outcome) not in workflow.REASONS_NOT_REQUIRED
    if outcome == Outcome.explicitly_withdrawn:
        reasons = withdrawal.get("note") or ""
    else:
        reasons = str(draft.get("reasons") or "")
    basis = [law["in_writing"]]
    if reasons_required:
        basis.append(workflow.reasons_ref(wf))
    if outcome == Outcome.rejected_manifestly_unfounded:
        basis.append(workflow.manifestly_unfounded_ref(wf))
    if draft.get("inadmissibility_legal_basis") and outcome == Outcome.inadmissible:
        basis.append(str(draft["inadmissibility_legal_basis"]))
    if outcome == Outcome.explicitly_withdrawn:
        basis.extend(withdrawal.get("legal_basis") or [])
    basis = list(dict.fromkeys(basis))
    ms = case["member_state"]
    language, language_source = _interview_language(case)
    challenge = _challenge(case, wf, regime, appeal_body)
    represented = _representation(case, regime, challenge)
    language_words = (REPRESENTED_LANGUAGE_WORDS if represented else LANGUAGE_WORDS)[regime]
    language_basis = law["represented"] if represented else law["language"]
    return {
        "case_id": case["id"], "reference": case["reference"], "state": case["state"], "regime": regime,
        "applicable_law": applicable.as_dict(),
        "authority": {"member_state": ms, "member_state_name": authority_name(ms),
                      "name": f"{authority_name(ms)}: determining authority for international protection"},
        "applicant": {"person_id": case["person_id"], "name": case.get("person_name"), "date_of_birth": dob,
                      "nationality": case["nationality"], "nationality_name": _nationality_name(case["nationality"])},
        "decision": {"decided_on": case["decided_on"], "notified_on": case["notified_on"], "outcome": outcome,
                     "outcome_words": outcome.replace("_", " "), "outcome_text": _outcome_text(outcome),
                     "grants": outcome in (Outcome.refugee_status, Outcome.subsidiary_protection),
                     "inadmissibility_ground": draft.get("inadmissibility_ground") if outcome == Outcome.inadmissible
                     else None,
                     "reasons_required": reasons_required, "reasons": reasons,
                     "reasons_legal_basis": workflow.reasons_ref(wf) if reasons_required else None},
        "legal_basis": basis,
        "challenge": challenge,
        "representation": represented,
        "return_decision": _return_decision(return_row),
        "language": {"recorded": language, "source": language_source, "text": language_words,
                     "legal_basis": language_basis},
        "printed_on": today.isoformat(),
        # the personal interview omitted (APR Art 13(11)(a), (c); Directive 2013/32/EU Art 14(2)): the
        # notice says on which ground, and on (c) that the omission does not adversely affect the decision
        "interview_omission": case.get("interview_omission") if not case.get("interview_held_on") else None,
        # no interview held, the applicant not attending it despite sufficient efforts (APR Art 13(14)):
        # the notice says on which days and on what the decision without it rests
        "interview_not_attended": (case.get("interview_not_attended") if not case.get("interview_held_on")
                                   else None),
    }


def decision_notice(services: Services, principal: Principal, case_id: str, *, channel: str = reads.WEB
                    ) -> dict[str, Any]:
    """The written notice of the decision on one of the state's asylum cases (by id or reference):
    the rights and scope of reading the case (another state's case is not found), ``Conflict``
    naming the case's state while it holds no decision. One ``decision_notice`` read is logged on
    ``channel``; a refused notice logs nothing."""
    case = procedures.get_case(services, principal, case_id, channel=None)  # rights and scope; not logged
    if not has_decision(case):
        raise Conflict(f"asylum case {case['reference']} has no decision to give notice of: it is "
                       f"'{case['state']}'; the notice is written once the decision is approved (decided, "
                       "notified, appeal lodged or closed)")
    A, R = asylum_applications, identity_records
    with services.uow() as uow:
        conn = uow.conn
        row = conn.execute(select(A).where(A.c.id == case["id"])).mappings().one()
        dob = conn.execute(select(R.c.date_of_birth).where(R.c.person_id == case["person_id"])
                           .order_by(R.c.recorded_on.desc(), R.c.id.desc()).limit(1)).scalar()
        rd = None
        if row["return_decision_id"] is not None:
            rd = conn.execute(select(return_decisions).where(return_decisions.c.id == row["return_decision_id"])).first()
        body = appeal_bodies.stored(conn, case["member_state"])
        # the day printed is today on the clock of the case's state, as every "today" of a case
        # (``procedures.today_in``), not the UTC day: at 23:30 UTC on 30 November it is 1 December in Rome
        notice = build(case, row, dob, rd, procedures.today_in(services, case["member_state"]), body)
        # logged with the read and committed last: a failed log fails the notice
        reads.record_read(conn, principal, {case["person_id"]: case["member_state"]}, reads.DECISION_NOTICE,
                          channel, at=uow.now, record_id=case["id"])
        uow.commit()
    return notice


def render_html(notice: dict[str, Any]) -> str:
    """The notice as one standalone HTML document (styles inline, no external asset; the PDF's
    source): the web page's template without the application's header, navigation and footer."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(["html"]))
    layout = env.from_string(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{% block title %}{% endblock %}</title>'
        "{% block head %}{% endblock %}</head><body>{% block content %}{% endblock %}</body></html>")
    return env.get_template("procedures/notice.html").render(n=notice, layout=layout, standalone=True)


def pdf_bytes(notice: dict[str, Any]) -> bytes:
    """The notice as a PDF (WeasyPrint, as the situational report)."""
    from weasyprint import HTML

    return bytes(HTML(string=render_html(notice)).write_pdf())
