"""Asylum procedures from the command line: routing, applications and their workflow, the queue,
border capacity, safe-country lists. Each command calls one service and prints the API's JSON."""

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
    read_json,
    run_command,
)

app = typer.Typer(name="procedures", help="Asylum procedures: routing, case workflow, queue, "
                  "border capacity, safe-country lists.", no_args_is_help=True)
FILE = typer.Argument(..., help="JSON file with the request body (the API's schema), or -")


def _call(fn: Any, *args: Any, **kwargs: Any) -> None:
    services = cli_services()
    emit_json(run_command(fn, services, cli_principal(services), *args, **kwargs))


@app.command("route")
def route(file: str = FILE) -> None:
    """Route an application (border, accelerated, regular or admissibility) with its explanation."""
    from pactum.procedures.model import RoutingInput
    from pactum.services import procedures

    _call(procedures.route_application, load_json_model(RoutingInput, file))


@app.command("apply")
def make_application(file: str = FILE) -> None:
    """Record an application made (person, screening, facts); it is routed at once. Every problem
    of the file is said at once (exit code 2)."""
    from pactum.common.json_types import strict_model
    from pactum.services import procedures
    from pactum.services.procedures import ApplicationCreate

    data = read_json(file)
    if not isinstance(data, dict):  # as the other commands' files: an object of the fields
        json_model(ApplicationCreate, data, source="standard input" if file == "-" else file)
    _call(procedures.create_application, data, model=strict_model(ApplicationCreate))


@app.command("show")
def show(case_id: str) -> None:
    """A case with its timeline, routing explanation and next legal deadline."""
    from pactum.services import procedures

    _call(procedures.get_case, case_id, channel="cli")


@app.command("act")
def act(case_id: str, file: str = FILE) -> None:
    """Apply a workflow step: JSON {"action": ..., "version": n, ...fields of the step}."""
    from pactum.services import procedures

    data = read_json(file)
    if not isinstance(data, dict) or "action" not in data or "version" not in data:
        fail("the step needs 'action' and 'version'")
    payload = {k: v for k, v in data.items() if k not in ("action", "version")}
    try:
        version = int(data["version"])
    except (TypeError, ValueError):
        fail("version: a whole number")
    run_command(procedures.check_step_types, str(data["action"]), payload)  # JSON's types, as the API
    _call(procedures.act, case_id, str(data["action"]), payload, version)


@app.command("remain-exception")
def remain_exception(case_id: str = typer.Argument(..., help="the case's id or reference (IT-2026-000123)"),
                     version: int = typer.Option(..., "--version", help="the case's version you saw"),
                     removal_decision: str = typer.Option(..., "--removal-decision", help="the decision whose "
                                                          "enforcement would result in the imminent removal"),
                     reason: str = typer.Option(..., "--reason", help="the facts showing the application was "
                                                "lodged merely to delay or frustrate the removal"),
                     non_refoulement_considered: bool = typer.Option(
                         False, "--non-refoulement-considered",
                         help="removal was found not to breach the principle of non-refoulement")) -> None:
    """Record that a first subsequent application was lodged merely to delay or frustrate removal
    (APR Art 56(a); Directive 2013/32/EU Art 41(1)(a)): no right to remain while it is examined."""
    from pactum.services import procedures
    from pactum.services.procedures import RemainException

    body = json_model(RemainException, {"version": version, "removal_decision": removal_decision,
                                        "reason": reason,
                                        "non_refoulement_considered": non_refoulement_considered})
    _call(procedures.record_remain_exception, case_id, body)


@app.command("no-right-to-remain")
def no_right_to_remain(
        case_id: str = typer.Argument(..., help="the case's id or reference (IT-2026-000123)"),
        version: int = typer.Option(..., "--version", help="the case's version you saw"),
        ground: str = typer.Option(..., "--ground", help="european_arrest_warrant_surrender (APR Art 10(3)), "
                                   "extradition_or_surrender (Art 10(4)(b)) or "
                                   "danger_to_public_order_or_national_security (Art 10(4)(c))"),
        destination_kind: str = typer.Option(None, "--destination-kind", help="for an extradition or surrender: "
                                             "member_state, third_country or international_court"),
        destination: str = typer.Option(None, "--destination", help="the Member State, third country or court"),
        reference: str = typer.Option(None, "--reference", help="the European arrest warrant, or the extradition "
                                      "or surrender request or decision"),
        reason: str = typer.Option(..., "--reason", help="the facts on which the exception rests"),
        non_refoulement_satisfied: bool = typer.Option(
            False, "--non-refoulement-satisfied",
            help="the competent authority is satisfied it will not result in direct or indirect refoulement "
                 "(required by APR Art 10(4)(c), 10(5); Directive 2013/32/EU Art 9(3))")) -> None:
    """Record that the applicant has no right to remain during the administrative procedure: a
    surrender under a European arrest warrant, an extradition or surrender, a danger to public order
    or national security (APR Art 10(3), (4)(b), (c), (5); Directive 2013/32/EU Art 9(2), (3))."""
    from pactum.services import procedures
    from pactum.services.procedures import NoRightToRemain

    body = json_model(NoRightToRemain, {"version": version, "ground": ground, "destination_kind": destination_kind,
                                        "destination": destination, "reference": reference, "reason": reason,
                                        "non_refoulement_satisfied": non_refoulement_satisfied})
    _call(procedures.record_no_right_to_remain, case_id, body)


@app.command("no-right-to-remain-lift")
def no_right_to_remain_lift(
        case_id: str = typer.Argument(..., help="the case's id or reference (IT-2026-000123)"),
        version: int = typer.Option(..., "--version", help="the case's version you saw"),
        on: str = typer.Option(..., "--on", help="the day the ground fell away or the error was found (YYYY-MM-DD): "
                               "not after today, not before the record"),
        reason: str = typer.Option(..., "--reason", help="why the exception no longer applies: the surrender or "
                                   "extradition refused or withdrawn, the danger assessment reversed, an error")) -> None:
    """Lift the exception to the right to remain recorded on the case: the right to remain of APR
    Art 10(1) (Directive 2013/32/EU Art 9(1)) applies again; a new exception may be recorded."""
    from pactum.services import procedures
    from pactum.services.procedures import NoRightToRemainLift

    body = json_model(NoRightToRemainLift, {"version": version, "on": str(option_date(on, "--on")),
                                                    "reason": reason})
    _call(procedures.lift_no_right_to_remain, case_id, body)


@app.command("remain-exception-withdraw")
def remain_exception_withdraw(
        case_id: str = typer.Argument(..., help="the case's id or reference (IT-2026-000123)"),
        version: int = typer.Option(..., "--version", help="the case's version you saw"),
        on: str = typer.Option(..., "--on", help="the day the determining authority withdrew the assessment "
                               "(YYYY-MM-DD): not after today, not before the assessment"),
        reason: str = typer.Option(..., "--reason", help="why the assessment is withdrawn: the removal no longer "
                                   "imminent, the assessment reconsidered, an error")) -> None:
    """Withdraw the assessment that a first subsequent application was lodged merely to delay or
    frustrate removal (APR Art 56(a); Directive 2013/32/EU Art 41(1)(a)): the right to remain of APR
    Art 10(1) (Directive Art 9(1)) applies again; a new assessment may be recorded."""
    from pactum.services import procedures
    from pactum.services.procedures import RemainExceptionWithdrawal

    body = json_model(RemainExceptionWithdrawal, {"version": version, "on": str(option_date(on, "--on")),
                                                  "reason": reason})
    _call(procedures.withdraw_remain_exception, case_id, body)


@app.command("queue")
def queue(procedure: str = typer.Option(None), state: str = typer.Option(None),
          nationality: str = typer.Option(None, help="ISO 3166 alpha-3"),
          overdue: bool = typer.Option(False), mine: bool = typer.Option(False),
          limit: int = typer.Option(100), offset: int = typer.Option(0, help="cases to skip"),
          fmt: str = typer.Option("json", "--format",
                                  help="json, or csv (the file of GET /api/v1/procedures/queue.csv)")) -> None:
    """The open cases of your state, next legal deadline first, with each applicant's name."""
    from pactum.services import procedures

    if fmt not in ("json", "csv"):
        fail(f"--format: {fmt[:20]!r} is not json or csv")
    if fmt == "csv":
        services = cli_services()
        sys.stdout.write(run_command(procedures.queue_csv, services, cli_principal(services), procedure=procedure,
                                     state=state, nationality=nationality, overdue=overdue, mine=mine,
                                     limit=limit, offset=offset, channel="cli"))
        return
    _call(procedures.queue, procedure=procedure, state=state, nationality=nationality, overdue=overdue,
          mine=mine, limit=limit, offset=offset, channel="cli")


@app.command("return-decisions-due")
def return_decisions_due(limit: int = typer.Option(100)) -> None:
    """The cases of your state rejected under the APR and notified without a return decision (Art 37)."""
    from pactum.services import procedures

    _call(procedures.return_decisions_due, limit=limit, channel="cli")


@app.command("capacity")
def capacity(on: str = typer.Option(None, help="YYYY-MM-DD; default today")) -> None:
    """Adequate capacity, annual maximum and occupancy of the border procedure per state."""
    from pactum.services import procedures

    try:
        d = date.fromisoformat(on) if on else None
    except ValueError:
        fail("--on: a date YYYY-MM-DD")
    _call(procedures.capacity_overview, d)


@app.command("seed")
def seed() -> None:
    """Load the shipped decision statistics and EU safe-country lists into an empty store."""
    from pactum.services import procedures

    _call(procedures.seed_reference_data)


safe = typer.Typer(name="safe-country", help="Safe-country lists (EU and national).",
                   no_args_is_help=True)
app.add_typer(safe)


@safe.command("list")
def safe_list(on: str = typer.Option(None, help="only designations in force on YYYY-MM-DD")) -> None:
    from pactum.services import procedures

    try:
        d = date.fromisoformat(on) if on else None
    except ValueError:
        fail("--on: a date YYYY-MM-DD")
    _call(procedures.list_safe_countries, d)


@safe.command("add")
def safe_add(file: str = FILE) -> None:
    """Designate a country: {"scope", "concept", "country", "valid_from", "reference", ...}."""
    from pactum.procedures.safe_countries import SafeCountryIn
    from pactum.services import procedures

    data = read_json(file)
    if not isinstance(data, dict):
        fail("expected a JSON object")
    _call(procedures.add_safe_country, json_model(SafeCountryIn, data).model_dump())


@safe.command("change")
def safe_change(designation_id: str, file: str = FILE) -> None:
    """End or correct a designation: {"version", "reason", "valid_to"?, "valid_from"?,
    "reference"?, "exclusion"?, "note"?}."""
    from pactum.procedures.safe_countries import SafeCountryChange
    from pactum.services import procedures

    data = read_json(file)
    if not isinstance(data, dict):
        fail("expected a JSON object")
    _call(procedures.change_safe_country, designation_id,
          json_model(SafeCountryChange, data).model_dump(exclude_unset=True))


@safe.command("end")
def safe_end(designation_id: str,
             on: str = typer.Option(..., "--on", help="the last day the designation applies, YYYY-MM-DD"),
             version: int = typer.Option(..., "--version", help="the designation's version you saw"),
             reason: str = typer.Option(..., "--reason", help="why it ends (kept in the audit)")) -> None:
    """End a designation: it applies up to and including --on."""
    from pactum.services import procedures

    _call(procedures.change_safe_country, designation_id,
          {"version": version, "reason": reason, "valid_to": on})


@safe.command("withdraw")
def safe_withdraw(designation_id: str,
                  version: int = typer.Option(..., "--version", help="the designation's version you saw"),
                  reason: str = typer.Option(..., "--reason", help="why (kept in the audit)")) -> None:
    """Withdraw a designation entered in error (a wrong country, scope or concept)."""
    from pactum.services import procedures

    _call(procedures.withdraw_safe_country, designation_id, {"version": version, "reason": reason})


appeal_body = typer.Typer(name="appeal-body", help="The court or tribunal that hears appeals against a "
                          "state's asylum decisions, as the decision notice names it (set by the state's "
                          "administrator).", no_args_is_help=True)
app.add_typer(appeal_body)
STATE = typer.Argument(..., help="the Member State (IT, DE, EL, ...)")


@appeal_body.command("show")
def appeal_body_show(member_state: str = typer.Argument(None, help="the Member State; all states set when "
                                                                   "omitted")) -> None:
    """A state's court or tribunal of appeal as set (exit 2 where it set none), or every state's."""
    from pactum.services import appeal_bodies

    if member_state:
        _call(appeal_bodies.get, member_state)
    else:
        _call(appeal_bodies.list_all)


@appeal_body.command("set")
def appeal_body_set(member_state: str = STATE,
                    name: str = typer.Option(None, "--name", help="the court or tribunal"),
                    address: str = typer.Option(None, "--address", help="its address"),
                    how_to_lodge: str = typer.Option(None, "--how-to-lodge",
                                                     help="how an appeal is lodged (in writing, by whom, ...)"),
                    national_law: str = typer.Option(None, "--national-law",
                                                     help="optional: the national provision that designates it"),
                    version: int = typer.Option(None, "--version", help="the version you replace (once set)")
                    ) -> None:
    """Set or replace your state's court or tribunal of appeal (its administrator only; audited)."""
    from pactum.services import appeal_bodies

    _call(appeal_bodies.set_body, member_state, {"name": name, "address": address, "how_to_lodge": how_to_lodge,
                                                 "national_law": national_law, "version": version})


@appeal_body.command("clear")
def appeal_body_clear(member_state: str = STATE,
                      version: int = typer.Option(..., "--version", help="the version you clear")) -> None:
    """Clear your state's court or tribunal of appeal: notices explain the remedy in general terms again."""
    from pactum.services import appeal_bodies

    _call(appeal_bodies.clear_body, member_state, {"version": version})


refusal = typer.Typer(name="refusal", help="Refusals of entry at the external border (Schengen "
                      "Borders Code Annex V Part B), counted in the border procedure's capacity.",
                      no_args_is_help=True)
app.add_typer(refusal)


@refusal.command("record")
def refusal_record(file: str = FILE) -> None:
    """Record a refusal: {"refused_on", "border_type": land|sea|air, "border_section",
    "nationality", "reasons": ["A".."I"], "note"}."""
    from pactum.procedures.refusals import RefusalCreate
    from pactum.services import procedures

    _call(procedures.record_refusal, load_json_model(RefusalCreate, file))


@refusal.command("list")
def refusal_list(member_state: str = typer.Option(None, "--member-state"),
                 date_from: str = typer.Option(None, "--from", help="YYYY-MM-DD"),
                 date_to: str = typer.Option(None, "--to", help="YYYY-MM-DD"),
                 nationality: str = typer.Option(None),
                 limit: int = typer.Option(100), offset: int = typer.Option(0, help="refusals to skip"),
                 fmt: str = typer.Option("json", "--format", help="json, or csv (every refusal selected, "
                                                                   "up to 100,000)")) -> None:
    """Recorded refusals of entry, newest first, with the total and the count by reason."""
    from pactum.services import procedures

    if fmt not in ("json", "csv"):
        fail(f"--format: {fmt[:20]!r} is not json or csv")
    kwargs: dict[str, Any] = {"member_state": member_state, "date_from": option_date(date_from, "--from"),
                              "date_to": option_date(date_to, "--to"), "nationality": nationality}
    if fmt == "csv":
        services = cli_services()
        sys.stdout.write(run_command(procedures.refusals_csv, services, cli_principal(services), **kwargs))
        return
    _call(procedures.list_refusals, **kwargs, limit=limit, offset=offset)


@app.command("notice")
def notice(case_id: str = typer.Argument(..., help="the case's id or reference (IT-2026-000123)"),
           pdf: str = typer.Option(None, "--pdf", help="write the notice as a PDF to this file instead of JSON")
           ) -> None:
    """The written notice of a case's decision (outcome, reasons, legal basis, how to challenge it,
    the return decision issued with it) as JSON, or as a PDF with --pdf."""
    from pathlib import Path

    from pactum.cli.io import output_file
    from pactum.services import decision_notice

    out = Path(pdf) if pdf else None
    output_file("--pdf", out)
    services = cli_services()
    found = run_command(decision_notice.decision_notice, services, cli_principal(services), case_id, channel="cli")
    if out is None:
        emit_json(found)
        return
    out.write_bytes(decision_notice.pdf_bytes(found))
    typer.echo(f"decision notice of {found['reference']} written to {out}")
