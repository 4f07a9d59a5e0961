"""Returns from the command line: decisions, hits and recognition, departures, operations,
readmission, assisted voluntary return, statistics. Each command calls one service function and
prints the same JSON as the API."""

from __future__ import annotations

import sys
from typing import Any

import typer

from pactum.cli.io import (
    cli_principal,
    cli_services,
    emit_json,
    fail,
    load_json_model,
    more_than_shown,
    run_command,
)

app = typer.Typer(
    name="returns",
    help="Return decisions, shared return alerts and recognition, return operations, statistics.",
    no_args_is_help=True,
)
FILE = typer.Argument(
    ..., help="JSON file with the request body (the API's schema), or -"
)


def _call(fn: Any, *args: Any, **kwargs: Any) -> None:
    services = cli_services()
    emit_json(run_command(fn, services, cli_principal(services), *args, **kwargs))


@app.command("issue")
def issue(file: str = FILE) -> None:
    """Issue a return decision and its alert (POST /api/v1/returns/decisions). ``region`` in the
    JSON: where it is issued, one of the state's regions with a clock of their own (``FR-974``,
    ``ES-CN``, ``PT-20``, …); issued in one of France's outermost regions, no return alert is
    entered and ``alert_not_entered`` says why."""
    from pactum.returns.schemas import ReturnDecisionCreate
    from pactum.services import returns

    _call(returns.create_return_decision, load_json_model(ReturnDecisionCreate, file))


@app.command("show")
def show(decision_id: str) -> None:
    """Show a return decision with its alert, hits, obstacles and trace; ``identity_review`` says
    when the person's identity record was corrected since it was issued (what the decision
    recorded, what the record now says, when and by whom); ``voluntary_departure_ends_on`` and
    ``voluntary_departure_period`` give the last day of the period for voluntary departure as the
    decision's suspensions moved it (it does not run while the decision is suspended, nor during the
    time to appeal against the negative asylum decision while the applicant may remain), with the
    computation."""
    from pactum.services import returns

    services = cli_services()
    emit_json(run_command(returns.get_decision, services, cli_principal(services), decision_id, channel="cli"))


@app.command("decisions")
def decisions(
    status: str | None = typer.Option(None, "--status",
                                      help="Only decisions in this status: issued, suspended, departed, withdrawn"),
    person_id: str | None = typer.Option(None, "--person-id", help="Only this person's decisions"),
    identity_review: bool = typer.Option(
        False, "--identity-review",
        help="Only decisions whose person's identity record was corrected since: the record now holds "
             "otherwise what the decision recorded (its destination may need review), not reviewed since "
             "the record's last correction (identity-reviewed records a review)"),
    limit: int = typer.Option(200, "--limit", help="Decisions on the page, 1 to 1000"),
    offset: int = typer.Option(0, "--offset", help="Decisions of the list to skip (the next page: offset + limit)"),
) -> None:
    """Your state's return decisions, the latest first: the same JSON as GET
    /api/v1/returns/decisions. When the list holds more than are printed, a line on standard error
    says how many (the API's X-Total-Count) and how to see the rest."""
    from pactum.services import returns

    services = cli_services()
    page = run_command(returns.decisions_page, services, cli_principal(services), status=status,
                       person_id=person_id, identity_review=identity_review, limit=limit, offset=offset,
                       channel="cli")
    emit_json(page["decisions"])
    more_than_shown(page["total"], len(page["decisions"]), offset, limit, "decisions", "decision")


@app.command("alert")
def alert(alert_id: str) -> None:
    """Show a return alert (GET /api/v1/returns/alerts/{id}): your state's, or another state's
    on which your state recorded a hit, while it is in SIS."""
    from pactum.services import returns

    _call(returns.get_alert, alert_id)


@app.command("facts")
def facts(decision_id: str, file: str = FILE) -> None:
    """Set the facts for removal of a decision: identity confirmed, travel document, fit to travel,
    absconded, an unaccompanied minor's handover ({"version", ...}; PATCH
    /api/v1/returns/decisions/{id}/facts). The destination is not a fact: a change of destination
    is refused (exit 2); issue it with amend-destination."""
    from pactum.returns.schemas import ReturnFactsUpdate
    from pactum.services import returns

    _call(
        returns.update_return_facts,
        decision_id,
        load_json_model(ReturnFactsUpdate, file),
    )


@app.command("amend-destination")
def amend_destination(decision_id: str, file: str = FILE) -> None:
    """Issue an amended decision on the destination of your state's return decision
    ({"version", "destination_country", "issued_on", "reasons", "remedies"}: the third country,
    the day, the reasons in fact and in law, the remedy information given to the person; POST
    /api/v1/returns/decisions/{id}/destination). A change of destination is a new return decision
    (CJEU C-924/19 PPU and C-925/19 PPU, FMS and Others; Directive 2008/115/EC Articles 12(1),
    13(1)): it sets its own period for voluntary departure from its day (Article 7(1)), the
    decision's days again unless "voluntary_departure_days" says otherwise, and cancels an assisted
    voluntary return case open for another country; prints the decision with its
    destination_decisions and avr_cases."""
    from pactum.returns.schemas import DestinationAmendment
    from pactum.services import returns

    _call(returns.amend_destination, decision_id, load_json_model(DestinationAmendment, file))


@app.command("destination-appeal")
def destination_appeal(decision_id: str, file: str = FILE) -> None:
    """Record the appeal lodged against the decision's latest amended decision on the destination
    ({"version", "lodged_on", "suspensive"}; POST /api/v1/returns/decisions/{id}/destination-appeal):
    a suspensive appeal suspends the decision."""
    from pactum.returns.schemas import DestinationAppeal
    from pactum.services import returns

    _call(returns.appeal_destination, decision_id, load_json_model(DestinationAppeal, file))


@app.command("destination-appeal-outcome")
def destination_appeal_outcome(decision_id: str, file: str = FILE) -> None:
    """Record the court's outcome of the appeal against an amended decision on the destination
    ({"version", "outcome", "decided_on", "destination_decision"}: outcome "dismissed" or "allowed";
    destination_decision the amended decision's reference, needed only when more than one appeal
    awaits its outcome; POST /api/v1/returns/decisions/{id}/destination-appeal-outcome). Allowed,
    the amended decision is annulled: the destination and period before it stand again, unless a
    later amended decision changed them; a suspension the appeal brought is lifted."""
    from pactum.returns.schemas import DestinationAppealOutcome
    from pactum.services import returns

    _call(returns.decide_destination_appeal, decision_id, load_json_model(DestinationAppealOutcome, file))


@app.command("translation-request")
def translation_request(decision_id: str, file: str = FILE) -> None:
    """Record the person's request for a translation of the decision's main elements, remedies
    included ({"requested_on", "language", "destination_decision"}: ISO 639 language; the amended
    decision on the destination it concerns, none for the decision itself; POST
    /api/v1/returns/decisions/{id}/translation-requests), Directive 2008/115/EC Art 12(2). Refused
    (exit 2) where the decision was given by the standard form of Art 12(3)."""
    from pactum.returns.schemas import TranslationRequest
    from pactum.services import returns

    _call(returns.request_translation, decision_id, load_json_model(TranslationRequest, file))


@app.command("translation-given")
def translation_given(decision_id: str, translation_id: str, file: str = FILE) -> None:
    """Record that the translation requested was given ({"provided_on", "mode", "language"}: mode
    written or oral, language ISO 639 or none for the one asked for; POST
    /api/v1/returns/decisions/{id}/translation-requests/{translation_id}/given)."""
    from pactum.returns.schemas import TranslationGiven
    from pactum.services import returns

    _call(returns.give_translation, decision_id, translation_id, load_json_model(TranslationGiven, file))


@app.command("standard-form")
def standard_form(decision_id: str, file: str = FILE) -> None:
    """Record that the decision (or {"destination_decision"}, an amended decision on its
    destination) was given by the standard form of national law, Directive 2008/115/EC Art 12(3)
    (POST /api/v1/returns/decisions/{id}/standard-form). Refused (exit 2, standard_form) where the
    records show the person did not enter illegally or obtained a right to stay."""
    from pactum.returns.schemas import StandardFormUse
    from pactum.services import returns

    _call(returns.use_standard_form, decision_id, load_json_model(StandardFormUse, file))


@app.command("identity-reviewed")
def identity_reviewed(decision_id: str, file: str = FILE) -> None:
    """Record that you reviewed the decision against its person's corrected identity record
    ({"version", "note"}: what you decided; POST /api/v1/returns/decisions/{id}/identity-reviewed)."""
    from pactum.returns.schemas import IdentityReviewed
    from pactum.services import returns

    _call(returns.review_identity, decision_id, load_json_model(IdentityReviewed, file))


@app.command("suspend")
def suspend(decision_id: str, file: str = FILE) -> None:
    """Suspend the decision while a suspensive appeal runs ({"version", "reason"})."""
    from pactum.returns.schemas import VersionedReason
    from pactum.services import returns

    _call(returns.suspend_decision, decision_id, load_json_model(VersionedReason, file))


@app.command("lift-suspension")
def lift_suspension(decision_id: str, file: str = FILE) -> None:
    """Lift the suspension ({"version", "reason"})."""
    from pactum.returns.schemas import VersionedReason
    from pactum.services import returns

    _call(returns.lift_suspension, decision_id, load_json_model(VersionedReason, file))


@app.command("withdraw")
def withdraw(decision_id: str, file: str = FILE) -> None:
    """Withdraw the decision; its alert is deleted ({"version", "reason"})."""
    from pactum.returns.schemas import VersionedReason
    from pactum.services import returns

    _call(
        returns.withdraw_decision, decision_id, load_json_model(VersionedReason, file)
    )


@app.command("departure")
def departure(decision_id: str, file: str = FILE) -> None:
    """Confirm departure ({"version", "departed_on", "mode"}); the alert is deleted."""
    from pactum.returns.schemas import DepartureConfirm
    from pactum.services import returns

    _call(
        returns.confirm_departure, decision_id, load_json_model(DepartureConfirm, file)
    )


@app.command("entry-ban")
def entry_ban(decision_id: str, file: str = FILE) -> None:
    """Impose an entry ban once the period for voluntary departure ended without a departure
    (Directive 2008/115/EC Art 11(1)(b)) ({"version", "imposed_on", "entry_ban_years" or
    "entry_ban_months", "reasons", "serious_threat"})."""
    from pactum.returns.schemas import EntryBanImposition
    from pactum.services import returns

    _call(returns.impose_entry_ban, decision_id, load_json_model(EntryBanImposition, file))


@app.command("extend-period")
def extend_period(decision_id: str, file: str = FILE) -> None:
    """Extend the period for voluntary departure of an issued decision (Directive 2008/115/EC Art
    7(2)) ({"version", "last_day", "grounds": ["length_of_stay" | "school_going_children" |
    "family_and_social_links", ...], "reason"})."""
    from pactum.returns.schemas import PeriodExtension
    from pactum.services import returns

    _call(returns.extend_voluntary_departure, decision_id, load_json_model(PeriodExtension, file))


@app.command("hit")
def hit(file: str = FILE) -> None:
    """Record a hit on another state's alert: the person encountered is confirmed to be the alert's
    ({"alert_id", "local_person_id", "place"?})."""
    from pactum.returns.schemas import HitCreate
    from pactum.services import returns

    _call(returns.record_hit, load_json_model(HitCreate, file))


#: ``--limit`` and ``--offset`` of the paged lists (hits, operations, AVR cases), as the API's.
LIMIT = typer.Option(200, "--limit", help="How many on the page, 1 to 1000")
OFFSET = typer.Option(0, "--offset", help="How many of the list to skip (the next page: offset + limit)")


def _page(fn: Any, key: str, noun: str, one: str, limit: int, offset: int, **filters: Any) -> None:
    """Print one page of a list (``page[key]``, the API's JSON) and, when the list holds more, the
    line saying so on standard error."""
    services = cli_services()
    page = run_command(fn, services, cli_principal(services), limit=limit, offset=offset, **filters)
    emit_json(page[key])
    more_than_shown(page["total"], len(page[key]), offset, limit, noun, one)


@app.command("hits")
def hits(
    waiting: bool = typer.Option(
        False, help="Only hits waiting for a recognition decision"
    ),
    limit: int = LIMIT,
    offset: int = OFFSET,
) -> None:
    """Hits your state recorded and hits on your state's alerts, the latest first: the same JSON as
    GET /api/v1/returns/hits ({"executing", "issuing"}), one page of both lists together; when
    there are more, a line on standard error says how many and how to see the rest."""
    from pactum.services import returns

    services = cli_services()
    page = run_command(returns.hits_page, services, cli_principal(services), waiting_only=waiting,
                       limit=limit, offset=offset, channel="cli")
    emit_json({"executing": page["executing"], "issuing": page["issuing"]})
    shown = len({h["id"] for rel in ("executing", "issuing") for h in page[rel]})
    more_than_shown(page["total"], shown, offset, limit, "hits", "hit")


@app.command("hit-show")
def hit_show(hit_id: str) -> None:
    """Show a hit with its decision, messages and the actions open to you (GET /api/v1/returns/hits/{id})."""
    from pactum.services import returns

    _call(returns.get_hit, hit_id)


@app.command("message")
def message(hit_id: str, file: str = FILE) -> None:
    """Send supplementary information on a hit to the other state ({"body"})."""
    from pactum.returns.schemas import HitMessage
    from pactum.services import returns

    _call(returns.send_hit_message, hit_id, load_json_model(HitMessage, file))


@app.command("recognise")
def recognise(hit_id: str, file: str = FILE) -> None:
    """Recognise and enforce the other state's return decision ({"version"})."""
    from pactum.returns.schemas import Versioned
    from pactum.services import returns

    _call(returns.recognise_hit, hit_id, load_json_model(Versioned, file))


@app.command("refuse")
def refuse(hit_id: str, file: str = FILE) -> None:
    """Record why the decision is not recognised ({"version", "reason"})."""
    from pactum.returns.schemas import VersionedReason
    from pactum.services import returns

    _call(returns.refuse_recognition, hit_id, load_json_model(VersionedReason, file))


@app.command("queue")
def queue(fmt: str = typer.Option("json", "--format",
                                  help="json, or csv (the file of GET /api/v1/returns/queue.csv)"),
          destination: str = typer.Option("", "--destination",
                                          help="one destination: a country code, or 'unknown'"),
          ready: bool = typer.Option(False, "--ready", help="only the decisions enforceable now"),
          name: str = typer.Option("", "--name",
                                   help="only the persons whose name holds every word of this, in any case")) -> None:
    """Open decisions by destination with the obstacle for each and the person's name and year of birth."""
    from pactum.services import returns

    if fmt not in ("json", "csv"):
        fail(f"--format: {fmt[:20]!r} is not json or csv")
    services = cli_services()
    fn = returns.return_queue_csv if fmt == "csv" else returns.return_queue
    out = run_command(fn, services, cli_principal(services), destination=destination or None, ready=ready,
                      name=name or None, channel="cli")
    if fmt == "csv":
        sys.stdout.write(out)
        return
    emit_json(out)


@app.command("notifications")
def notifications(
    limit: int = typer.Option(100, help="How many, 1 to 500"),
    offset: int = typer.Option(0, help="How many of the newest to skip (the next page: offset + limit)"),
    kind: str | None = typer.Option(None, help="Only one kind: hit, hit_message, hit_recognised, hit_not_recognised, "
                                        "departure_confirmed, voluntary_departure_expired, destination_amended, "
                                        "entry_ban_imposed, voluntary_departure_extended"),
    unread: bool = typer.Option(False, "--unread", help="Only notifications not marked read"),
) -> None:
    """One page of your state's notifications, newest first, with the counts: {"total", "unread",
    "by_kind", "limit", "offset", "notifications"} (the API's list is "notifications"; its headers
    X-Total-Count and X-Unread-Count are "total" and "unread")."""
    from pactum.services import returns

    services = cli_services()
    emit_json(run_command(returns.notifications_page, services, cli_principal(services), limit=limit,
                          offset=offset, kind=kind, unread=unread))


@app.command("notification-read")
def notification_read(notification_id: str) -> None:
    """Mark one notification read (POST /api/v1/returns/notifications/{id}/read)."""
    from pactum.services import returns

    _call(returns.mark_notification_read, notification_id)


@app.command("notifications-read-all")
def notifications_read_all(
    kind: str | None = typer.Option(None, help="Only notifications of this kind"),
) -> None:
    """Mark all your state's unread notifications read (POST /api/v1/returns/notifications/read-all)."""
    from pactum.services import returns

    services = cli_services()
    emit_json(run_command(returns.mark_notifications_read, services, cli_principal(services), kind=kind))


@app.command("readmission")
def readmission(file: str = FILE) -> None:
    """Send a readmission request to the third country ({"return_decision_id", "sent_on"})."""
    from pactum.returns.schemas import ReadmissionCreate
    from pactum.services import returns

    _call(returns.request_readmission, load_json_model(ReadmissionCreate, file))


@app.command("readmission-answer")
def readmission_answer(request_id: str, file: str = FILE) -> None:
    """Record the third country's answer ({"accepted", "answered_on", "answer_reference"})."""
    from pactum.returns.schemas import ReadmissionAnswer
    from pactum.services import returns

    _call(
        returns.answer_readmission, request_id, load_json_model(ReadmissionAnswer, file)
    )


@app.command("plan-operation")
def plan_operation(file: str = FILE) -> None:
    """Plan a return operation (destination, date, capacity, escorts, states, Frontex support)."""
    from pactum.returns.schemas import OperationCreate
    from pactum.services import returns

    _call(returns.plan_operation, load_json_model(OperationCreate, file))


@app.command("operations")
def operations(limit: int = LIMIT, offset: int = OFFSET) -> None:
    """The return operations your state organises or takes part in, by planned date (GET
    /api/v1/returns/operations); when there are more, a line on standard error says how many."""
    from pactum.services import returns

    _page(returns.operations_page, "operations", "operations", "operation", limit, offset)


@app.command("operation")
def operation(
    operation_id: str,
    action: str = typer.Argument("show", help="show, confirm, cancel or complete"),
    version: int = typer.Option(
        0, help="The operation's version (for confirm, cancel, complete)"
    ),
) -> None:
    """Show an operation, or confirm, cancel or complete it."""
    from pactum.returns.schemas import Versioned
    from pactum.services import returns

    if action == "show":
        _call(returns.get_operation, operation_id, channel="cli")
        return
    if action not in ("confirm", "cancel", "complete"):
        from pactum.cli.io import fail

        fail(f"action '{action}' is not one of show, confirm, cancel, complete")
    _call(returns.operation_action, operation_id, action, Versioned(version=version))


@app.command("select")
def select_participant(operation_id: str, file: str = FILE) -> None:
    """Select a person for an operation ({"return_decision_id"})."""
    from pactum.returns.schemas import ParticipantCreate
    from pactum.services import returns

    _call(
        returns.add_participant, operation_id, load_json_model(ParticipantCreate, file)
    )


@app.command("boarded")
def boarded(operation_id: str, participant_id: str, file: str = FILE) -> None:
    """Record whether a selected person departed ({"departed", "reason", "departed_on"}), once the
    operation has taken place."""
    from pactum.returns.schemas import ParticipantOutcome
    from pactum.services import returns

    _call(
        returns.record_participant_outcome,
        operation_id,
        participant_id,
        load_json_model(ParticipantOutcome, file),
    )


@app.command("deselect")
def deselect(operation_id: str, participant_id: str, file: str = FILE) -> None:
    """Take a selected person off an operation before it flies ({"reason"})."""
    from pactum.returns.schemas import ParticipantRemoval
    from pactum.services import returns

    _call(
        returns.remove_participant,
        operation_id,
        participant_id,
        load_json_model(ParticipantRemoval, file),
    )


@app.command("candidates")
def candidates(operation_id: str) -> None:
    """Your state's open decisions to an operation's destination that are not on it, with their obstacles."""
    from pactum.services import returns

    _call(returns.operation_candidates, operation_id, channel="cli")


@app.command("avr")
def avr(file: str = FILE) -> None:
    """Open an assisted voluntary return case (programme, funding, amount)."""
    from pactum.returns.schemas import AvrCreate
    from pactum.services import returns

    _call(returns.open_avr, load_json_model(AvrCreate, file))


@app.command("avr-departed")
def avr_departed(avr_id: str, file: str = FILE) -> None:
    """Record the departure of an assisted voluntary return ({"version", "departed_on"})."""
    from pactum.returns.schemas import AvrDeparture
    from pactum.services import returns

    _call(returns.avr_departed, avr_id, load_json_model(AvrDeparture, file))


@app.command("avr-cases")
def avr_cases(limit: int = LIMIT, offset: int = OFFSET) -> None:
    """Your state's assisted voluntary return cases, the latest opened first (GET
    /api/v1/returns/avr); when there are more, a line on standard error says how many."""
    from pactum.services import returns

    _page(returns.avr_page, "cases", "assisted voluntary return cases", "assisted voluntary return case", limit, offset)


@app.command("avr-cancel")
def avr_cancel(avr_id: str, file: str = FILE) -> None:
    """Cancel an assisted voluntary return case ({"version", "reason"}); the return decision stays
    to be enforced (POST /api/v1/returns/avr/{id}/cancel)."""
    from pactum.returns.schemas import VersionedReason
    from pactum.services import returns

    _call(returns.avr_cancel, avr_id, load_json_model(VersionedReason, file))


@app.command("stats")
def stats(
    year: int = typer.Option(..., help="Reference year"),
    member_state: str | None = typer.Option(
        None, "--member-state",
        help="One state's figures (such as IT): the decisions it issued, the returns it carried out"),
    fmt: str = typer.Option("json", "--format",
                            help="json, or csv (the file of GET /api/v1/returns/stats.csv)"),
) -> None:
    """Ordered to leave, returned and return rate by state and nationality, as JSON (or CSV)."""
    from pactum.services import returns

    if fmt not in ("json", "csv"):
        fail(f"--format: {fmt[:20]!r} is not json or csv")
    services = cli_services()
    result = run_command(returns.return_stats, services, cli_principal(services), year, member_state)
    if fmt == "csv":
        from pactum.api.routers.returns import stats_csv

        sys.stdout.write(stats_csv(result))
        return
    typer.echo(result.model_dump_json(indent=2))
