"""Responsibility from the command line: determinations (same JSON as the API), cases, the Dublin
units' queues, the steps of the procedure, statistics and the deadline sweep."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

import typer

from pactum.cli.io import (
    cli_principal,
    cli_services,
    emit_json,
    fail,
    json_model,
    load_json_model,
    option_date,
    run_command,
)

app = typer.Typer(
    name="responsibility",
    help="Which Member State is responsible, and the take-charge / take-back / transfer procedure.",
    no_args_is_help=True,
)
FILE = typer.Argument(..., help="JSON file with the request body (the API's schema), or -")
#: What the facts' ``application.registered_on`` holds, said in the help of the commands that read it.
REGISTERED_ON = ("application.registered_on: for an application under Dublin III, the day it was "
                 "lodged, the first written record of it that reached the competent authority "
                 "(Regulation (EU) No 604/2013, Article 20(2); CJEU C-670/16 Mengesteab), which may be "
                 "before its formal registration; under the AMMR, the day it was registered.")


def _call(fn: Any, *args: Any, **kwargs: Any) -> None:
    services = cli_services()
    emit_json(run_command(fn, services, cli_principal(services), *args, **kwargs))


@app.command("determine", epilog=REGISTERED_ON)
def determine(file: str = FILE) -> None:
    """Determine the responsible state (POST /api/v1/responsibility/determinations)."""
    from pactum.responsibility.schemas import DeterminationRequest
    from pactum.services import responsibility

    _call(responsibility.determine, load_json_model(DeterminationRequest, file))


@app.command("cessation")
def cessation(file: str = FILE) -> None:
    """Who is responsible after later events (POST /api/v1/responsibility/cessation)."""
    from pactum.responsibility.cessation import CessationRequest
    from pactum.services import responsibility

    _call(responsibility.cessation, load_json_model(CessationRequest, file))


@app.command("facts")
def facts(person_id: str,
          facts_only: bool = typer.Option(False, "--facts-only",
                                          help="print only the facts, as `determine` reads them")) -> None:
    """A draft of a registered person's facts from the records, with each one's source and what to
    check (GET /api/v1/responsibility/persons/{id}/facts)."""
    from pactum.services import responsibility

    services = cli_services()
    draft = run_command(responsibility.facts_from_records, services, cli_principal(services), person_id,
                        channel="cli")
    emit_json(draft["facts"] if facts_only else draft)


@app.command("case", epilog="The facts' " + REGISTERED_ON)
def create_case(file: str = FILE) -> None:
    """Record an application with its determination (POST /api/v1/responsibility/cases)."""
    from pactum.responsibility.schemas import CaseCreate
    from pactum.services import responsibility

    _call(responsibility.create_case, load_json_model(CaseCreate, file))


@app.command("show")
def show(case_id: str) -> None:
    """Show a case: determination, explanation, requests and timeline."""
    from pactum.services import responsibility

    _call(responsibility.get_case, case_id, channel="cli")


@app.command("clause")
def clause(case_id: str, file: str = FILE) -> None:
    """Apply the discretionary clause on your state's case: examine the application yourself
    (POST .../cases/{id}/discretionary-clause, {"version", "on", "reasons"})."""
    from pactum.responsibility.cessation import DiscretionaryClause
    from pactum.services import responsibility

    _call(responsibility.apply_discretionary_clause, case_id, load_json_model(DiscretionaryClause, file))


@app.command("record-hit")
def record_hit(case_id: str,
               hit_on: str = typer.Option(..., "--on", help="the day the hit was received (YYYY-MM-DD)"),
               member_state: str = typer.Option(..., "--member-state",
                                                help="the Member State whose data the hit matched, e.g. IT"),
               category: str = typer.Option(None, "--category",
                                            help="the Eurodac category of the data matched: irregular_crossing, "
                                                 "sar, applicant, ... (not with --vis)"),
               vis: bool = typer.Option(False, "--vis", help="a VIS hit (AMMR Art 39(1)), not a Eurodac hit"),
               reference: str = typer.Option(None, "--reference", help="the hit's reference, as your unit files it"),
               ) -> None:
    """Record a Eurodac (or VIS) hit received on your state's case before any request: the
    request's time limit runs from it (POST .../cases/{id}/hits)."""
    from pactum.responsibility.schemas import HitCreate
    from pactum.services import responsibility

    day = option_date(hit_on, "--on")
    body = {"hit_on": day.isoformat() if day else hit_on, "member_state": member_state,
            "source": "vis" if vis else "eurodac", "category": category, "reference": reference}
    _call(responsibility.record_hit, case_id, json_model(HitCreate, body, source="the options"))


@app.command("record-document")
def record_document(person_id: str,
                    kind: str = typer.Option(..., "--kind", help="residence_document or visa"),
                    issued_on: str = typer.Option(..., "--issued-on", help="the day your state issued it (YYYY-MM-DD)"),
                    valid_from: str = typer.Option(..., "--valid-from", help="first day of validity (YYYY-MM-DD)"),
                    valid_until: str = typer.Option(..., "--valid-until",
                                                    help="last day of validity, or the day it was annulled, "
                                                         "revoked or withdrawn (YYYY-MM-DD)"),
                    number: str = typer.Option(None, "--number", help="the document's number"),
                    visa_type: str = typer.Option(None, "--visa-type",
                                                  help="a visa's type: short_stay, long_stay, airport_transit"),
                    on_behalf_of: str = typer.Option(None, "--on-behalf-of",
                                                     help="a visa issued for another Member State under a "
                                                          "representation arrangement (Reg. 810/2009 Art 8)"),
                    ) -> None:
    """Record a residence document or visa your state issued to a person of your registry (POST
    .../persons/{id}/documents): the draft of the facts of a determination for that person takes it
    in (AMMR Art 29; Dublin III Art 12)."""
    from pactum.responsibility.schemas import DocumentRecord
    from pactum.services import responsibility

    days = {name: option_date(value, option) for name, value, option in (
        ("issued_on", issued_on, "--issued-on"), ("valid_from", valid_from, "--valid-from"),
        ("valid_until", valid_until, "--valid-until"))}
    body = {"kind": kind, **{k: (d.isoformat() if d else None) for k, d in days.items()}, "number": number,
            "visa_type": visa_type, "issued_on_behalf_of": on_behalf_of}
    _call(responsibility.record_document, person_id, json_model(DocumentRecord, body, source="the options"))


@app.command("documents")
def documents(person_id: str,
              withdrawn: bool = typer.Option(False, "--withdrawn", help="with the documents withdrawn")) -> None:
    """The residence documents and visas your state recorded for its person (GET
    .../persons/{id}/documents); logged as a read of the person."""
    from pactum.services import responsibility

    _call(responsibility.person_documents, person_id, withdrawn=withdrawn, channel="cli")


@app.command("correct-document")
def correct_document(document_id: str, file: str = FILE) -> None:
    """Correct a recorded document (PUT .../documents/{id}): the whole record with "version"; with
    "reason" once a Dublin case took it into its facts."""
    from pactum.responsibility.schemas import DocumentCorrection
    from pactum.services import responsibility

    _call(responsibility.correct_document, document_id, load_json_model(DocumentCorrection, file))


@app.command("withdraw-document")
def withdraw_document(document_id: str,
                      version: int = typer.Option(..., "--version", help="the version you saw"),
                      reason: str = typer.Option(None, "--reason",
                                                 help="why (required once a Dublin case took it in)")) -> None:
    """Withdraw a document recorded in error (POST .../documents/{id}/withdraw)."""
    from pactum.responsibility.schemas import DocumentWithdrawal
    from pactum.services import responsibility

    _call(responsibility.withdraw_document, document_id,
          json_model(DocumentWithdrawal, {"version": version, "reason": reason}, source="the options"))


@app.command("request")
def send_request(case_id: str, file: str = FILE) -> None:
    """Send a request or notification on a case (POST .../cases/{id}/requests); left without
    "eurodac_hit", a request to the state whose data a hit recorded on the case matched carries that hit
    (its "hit_source" too: "eurodac", or "vis" for an AMMR take charge)."""
    from pactum.responsibility.schemas import RequestCreate
    from pactum.services import responsibility

    _call(responsibility.send_request, case_id, load_json_model(RequestCreate, file))


@app.command("act")
def act(request_id: str, action: str, file: str = FILE) -> None:
    """A step on a request: accept, refuse, confirm, request_reexamination, decide_transfer,
    arrange_transfer, complete_transfer, extend_transfer, withdraw, ..."""
    from pactum.responsibility.procedure import TRANSITIONS
    from pactum.responsibility.schemas import RequestAction
    from pactum.services import responsibility

    # the action's name is checked before the body is read: a misspelt one is named at once, with
    # the actions there are, not after a stale version ("changed; reload it")
    actions = [a for a, t in TRANSITIONS.items() if t.actor != "system"] + list(_OTHER_ACTIONS)
    if action not in actions and action not in TRANSITIONS:
        fail(f"unknown action {action[:40]!r}; use one of {', '.join(actions)}")
    _call(responsibility.act, request_id, action, load_json_model(RequestAction, file))


#: The steps of a request the service takes besides :data:`~pactum.responsibility.procedure.TRANSITIONS`.
_OTHER_ACTIONS = ("extend_transfer", "record_appeal", "decide_appeal")


STATUS = typer.Option(None, "--status", help="only requests in this status (open or closed), e.g. refused")
KIND = typer.Option(None, "--kind", help="only this kind: take_charge, take_back, take_back_notification, humanitarian")
FORMAT = typer.Option("json", "--format", help="json, or csv (one row per request with its next deadline)")


LIMIT = typer.Option(500, "--limit", help="requests on the page (1-500); the CSV holds the whole list")
OFFSET = typer.Option(0, "--offset", help="requests of the list to skip (the next page: the offset plus the limit)")


def _queue(box: str, all_: bool, status: str | None, kind: str | None, fmt: str, limit: int, offset: int) -> None:
    from pactum.services import responsibility

    if fmt not in ("json", "csv"):
        fail(f"--format: {fmt[:20]!r} is not json or csv")
    services = cli_services()
    if fmt == "csv":
        sys.stdout.write(run_command(responsibility.queue_csv, services, cli_principal(services), box,
                                     status=status, kind=kind, include_closed=all_, channel="cli"))
        return
    emit_json(run_command(responsibility.queue, services, cli_principal(services), box,
                          status=status, kind=kind, include_closed=all_, limit=limit, offset=offset,
                          channel="cli"))


@app.command("inbox")
def inbox(all_: bool = typer.Option(False, "--all", help="include closed requests"),
          status: str = STATUS, kind: str = KIND, fmt: str = FORMAT, limit: int = LIMIT,
          offset: int = OFFSET) -> None:
    """Requests addressed to your state (PACTUM_CLI_USER), next deadline first, one page (as
    GET /api/v1/responsibility/inbox); with --format csv the whole list, the file of
    GET /api/v1/responsibility/inbox.csv."""
    _queue("inbox", all_, status, kind, fmt, limit, offset)


@app.command("outbox")
def outbox(all_: bool = typer.Option(False, "--all", help="include closed requests"),
           status: str = STATUS, kind: str = KIND, fmt: str = FORMAT, limit: int = LIMIT,
           offset: int = OFFSET) -> None:
    """Requests your state sent, in the inbox's order, one page; with --format csv the whole
    list, the file of GET /api/v1/responsibility/outbox.csv."""
    _queue("outbox", all_, status, kind, fmt, limit, offset)


@app.command("stats")
def stats(year: int = typer.Option(None, help="requests sent in this year only"),
          fmt: str = typer.Option("json", "--format",
                                  help="json, or csv (the file of GET /api/v1/responsibility/statistics.csv)")) -> None:
    """Requests, accepted, refused, contested (take-back notifications), acceptance rate,
    transfers, transfer rate, average days per pair of states."""
    from pactum.services import responsibility

    if fmt not in ("json", "csv"):
        fail(f"--format: {fmt[:20]!r} is not json or csv")
    if fmt == "csv":
        services = cli_services()
        sys.stdout.write(run_command(responsibility.statistics_csv, services, cli_principal(services), year=year))
        return
    _call(responsibility.statistics, year=year)


@app.command("sweep")
def sweep(on: str = typer.Option(None, help="apply deadlines as of this day (YYYY-MM-DD)")) -> None:
    """Apply lapsed deadlines now (also done by `pactum jobs run`)."""
    from pactum.services import responsibility

    day = None
    if on:
        try:
            day = date.fromisoformat(on)
        except ValueError:
            fail(f"--on: '{on}' is not a date (YYYY-MM-DD)")
    _call(responsibility.sweep, today=day)
