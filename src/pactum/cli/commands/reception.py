"""Reception from the command line: record, correct, withdraw and import a state's capacity and
occupancy reports; read a report, a state's history (JSON or CSV), the EU overview and the
occupancy by reporting week. Each command prints the JSON the API answers (or its CSV with
``--format csv``); bad input is one line on standard error and exit code 2."""

from __future__ import annotations

import sys

import typer

from pactum.cli.io import (
    cli_principal,
    cli_services,
    emit_json,
    fail,
    load_json_model,
    more_than_shown,
    option_date,
    read_text,
    run_command,
)

app = typer.Typer(
    name="reception",
    help="Reception capacity and occupancy reports; a state's history; the EU overview.",
    no_args_is_help=True,
)

THRESHOLD_HELP = "Pressure threshold as a share of the places, above 0 and at most 3 (default 0.9 = 90%)"


def _format(fmt: str) -> str:
    if fmt not in ("json", "csv"):
        fail(f"--format: {fmt[:20]!r} is not json or csv")
    return fmt


def _threshold(value: str) -> float | None:
    if not value:
        return None
    from pactum.services.reception import MAX_THRESHOLD, threshold_example, threshold_rule

    try:
        return float(value)
    except ValueError:
        pass
    try:
        percent = float(value.strip().removesuffix("%")) if value.strip().endswith("%") else None
    except ValueError:
        percent = None
    if percent is None:
        fail(f"--threshold: '{value[:20]}' is not a number: give a share of the places (such as "
             f"{threshold_example()})")
    # a percentage: the option takes the share, as the API does
    if 0 < percent <= MAX_THRESHOLD * 100:
        fail(f"--threshold: '{value[:20]}' is a percentage; give the share of the places: "
             f"{percent / 100:g} for {percent:g}%")
    fail(f"--threshold: '{value[:20]}' is a percentage, and out of range: give {threshold_rule()} (such as "
         f"{threshold_example()})")


@app.command("overview")
def overview(
    on: str = typer.Option("", "--on", help="Latest reports on or before this date, YYYY-MM-DD (default today)"),
    threshold: str = typer.Option("", "--threshold", help=THRESHOLD_HELP),
    overdue_weeks: int = typer.Option(None, "--overdue-weeks", help="Not reported for more than this many weeks (default 2)"),
    fmt: str = typer.Option("json", "--format", help="json, or csv (the file of GET /api/v1/reception/overview.csv)"),
) -> None:
    """Every state's latest report, rates, trend, the states under pressure and those overdue; with
    --format csv one row per state, as the overview page's table."""
    from pactum.services import reception

    _format(fmt)
    day = option_date(on, "--on")
    level = _threshold(threshold)
    services = cli_services()
    if fmt == "csv":
        text = run_command(reception.overview_csv, services, cli_principal(services), on=day, threshold=level,
                           overdue_weeks=overdue_weeks)
        sys.stdout.write(text)
        return
    emit_json(run_command(reception.overview, services, cli_principal(services), on=day, threshold=level,
                          overdue_weeks=overdue_weeks))


@app.command("series")
def series(
    on: str = typer.Option("", "--on", help="Weeks up to this date, YYYY-MM-DD (default today)"),
    fmt: str = typer.Option("json", "--format", help="json, or csv (the file of GET /api/v1/reception/series.csv)"),
) -> None:
    """The occupancy by reporting week (EU, or your state): each week's places, persons accommodated
    and rate, from each state's latest report at the week's end."""
    from pactum.services import reception

    _format(fmt)
    day = option_date(on, "--on")
    services = cli_services()
    if fmt == "csv":
        sys.stdout.write(run_command(reception.occupancy_series_csv, services, cli_principal(services), on=day))
        return
    emit_json(run_command(reception.occupancy_series, services, cli_principal(services), on=day))


@app.command("state")
def state(
    member_state: str = typer.Argument(..., help="The state's code, e.g. IT"),
    threshold: str = typer.Option("", "--threshold", help=THRESHOLD_HELP),
    since: str = typer.Option("", "--since", help="Reports from this date, YYYY-MM-DD (not after today)"),
    fmt: str = typer.Option("json", "--format",
                            help="json, or csv (one row per report, the oldest first: GET .../states/IT/history.csv)"),
) -> None:
    """A state's reports (latest first) with rates, change, flags, special reception needs and trend;
    with --format csv its history as a file, one row per report."""
    from pactum.services import reception

    _format(fmt)
    day = option_date(since, "--since")
    level = _threshold(threshold)
    services = cli_services()
    if fmt == "csv":
        sys.stdout.write(run_command(reception.state_history_csv, services, cli_principal(services), member_state,
                                     threshold=level, since=day))
        return
    emit_json(run_command(reception.state_history, services, cli_principal(services), member_state,
                          threshold=level, since=day))


@app.command("list")
def list_(
    member_state: str = typer.Option("", "--member-state", help="Only this state's reports"),
    since: str = typer.Option("", "--since", help="From this date, YYYY-MM-DD"),
    until: str = typer.Option("", "--until", help="Up to this date, YYYY-MM-DD"),
    limit: int = typer.Option(1000, "--limit", help="Reports on the page, 1 to 5000"),
    offset: int = typer.Option(0, "--offset", help="Reports of the list to skip (the next page: offset + limit)"),
) -> None:
    """Reports with their totals, the latest first: the same JSON as GET /api/v1/reception/reports.
    When the list holds more than are printed, a line on standard error says how many (the API's
    X-Total-Count) and how to see the rest."""
    from pactum.services import reception

    first, last = option_date(since, "--since"), option_date(until, "--until")
    services = cli_services()
    page = run_command(reception.reports_page, services, cli_principal(services),
                       member_state=member_state or None, since=first, until=last, limit=limit, offset=offset)
    emit_json(page["reports"])
    more_than_shown(page["total"], len(page["reports"]), offset, limit, "reports", "report")


@app.command("show")
def show(report_id: str = typer.Argument(..., help="The report's id"),
         threshold: str = typer.Option("", "--threshold", help=THRESHOLD_HELP)) -> None:
    """One report with its assessment and every version of it."""
    from pactum.services import reception

    level = _threshold(threshold)
    services = cli_services()
    emit_json(run_command(reception.get_report, services, cli_principal(services), report_id, level))


@app.command("record")
def record(file: str = typer.Argument(..., help="JSON file of the report (as POST /api/v1/reception/reports), or -")) -> None:
    """Record a report of your state (PACTUM_CLI_USER: a caseworker or administrator of a state)."""
    from pactum.reception.model import ReportCreate
    from pactum.services import reception

    body = load_json_model(ReportCreate, file)
    services = cli_services()
    emit_json(run_command(reception.record_report, services, cli_principal(services), body))


@app.command("correct")
def correct(report_id: str = typer.Argument(..., help="The report's id"),
            file: str = typer.Argument(..., help="JSON file: the figures to change, the version corrected and the reason, or -")) -> None:
    """Correct a report: the figures the file names change, the others keep their value (refused
    when the report changed since the version given)."""
    from pactum.reception.model import ReportCorrection
    from pactum.services import reception

    body = load_json_model(ReportCorrection, file)
    services = cli_services()
    emit_json(run_command(reception.correct_report, services, cli_principal(services), report_id, body))


@app.command("withdraw")
def withdraw(report_id: str = typer.Argument(..., help="The report's id"),
             file: str = typer.Argument(..., help='JSON file {"version": N, "reason": "..."}, or -')) -> None:
    """Withdraw a report of your state typed with the wrong date or period (a correction changes
    neither): it counts nowhere any more and its date may be reported again; record the right one."""
    from pactum.reception.model import ReportWithdrawal
    from pactum.services import reception

    body = load_json_model(ReportWithdrawal, file)
    services = cli_services()
    emit_json(run_command(reception.withdraw_report, services, cli_principal(services), report_id, body))


@app.command("import")
def import_(file: str = typer.Argument(..., help="CSV file of reports (header: reported_on,period,<figures>,...), or -")) -> None:
    """Record every report of a CSV file for your state, all or none; each problem names line and column."""
    from pactum.services import reception

    text = read_text(file, what="a CSV file", encoding="utf-8-sig")
    services = cli_services()
    emit_json(run_command(reception.import_reports, services, cli_principal(services), text))


@app.command("template")
def template() -> None:
    """Print the CSV header and an example row for `pactum reception import`."""
    from pactum.reception.csvfile import TEMPLATE

    typer.echo(TEMPLATE.replace("\r\n", "\n"), nl=False)


conditions_app = typer.Typer(
    name="conditions",
    help="Decisions on one applicant's material reception conditions: reduce, withdraw, not entitled "
         "(Directive (EU) 2024/1346, Articles 21 and 23; Directive 2013/33/EU, Article 20).",
    no_args_is_help=True,
)
app.add_typer(conditions_app)


@conditions_app.command("list")
def conditions_list(
    status: str = typer.Option("in_force", "--status", help="in_force (default), lifted or all"),
    measure: str = typer.Option("", "--measure", help="reduce, withdraw or not_entitled"),
    person_id: str = typer.Option("", "--person-id", help="Only this applicant's decisions"),
    limit: int = typer.Option(100, "--limit", help="Decisions on the page, 1 to 1000"),
    offset: int = typer.Option(0, "--offset", help="Decisions of the list to skip"),
) -> None:
    """Your state's decisions on applicants' reception conditions, the latest first (as GET
    /api/v1/reception/conditions)."""
    from pactum.services import reception_conditions

    services = cli_services()
    page = run_command(reception_conditions.list_decisions, services, cli_principal(services), status=status,
                       measure=measure or None, person_id=person_id or None, limit=limit, offset=offset)
    emit_json(page)
    more_than_shown(page["total"], len(page["decisions"]), offset, limit, "decisions")


@conditions_app.command("counts")
def conditions_counts() -> None:
    """The applicants whose reception conditions are reduced, withdrawn or not due, per state (counts only)."""
    from pactum.services import reception_conditions

    services = cli_services()
    emit_json(run_command(reception_conditions.counts, services, cli_principal(services)))


@conditions_app.command("applicant")
def conditions_applicant(person_id: str = typer.Argument(..., help="The applicant's person id")) -> None:
    """Every decision of your state on one applicant's reception conditions, with other states' Article 21
    decisions on the same person (through same-person identity links, chains included) and where a
    transfer decision or relocation requires the applicant to be present today: required_elsewhere
    (another state) or required_here (your state)."""
    from pactum.services import reception_conditions

    services = cli_services()
    emit_json(run_command(reception_conditions.applicant_decisions, services, cli_principal(services), person_id))


@conditions_app.command("show")
def conditions_show(decision_id: str = typer.Argument(..., help="The decision's id")) -> None:
    """One decision on an applicant's reception conditions."""
    from pactum.services import reception_conditions

    services = cli_services()
    emit_json(run_command(reception_conditions.get_decision, services, cli_principal(services), decision_id))


@conditions_app.command("record")
def conditions_record(file: str = typer.Argument(
        ..., help="JSON file of the decision (as POST /api/v1/reception/conditions), or -")) -> None:
    """Record a decision to reduce or withdraw an applicant's reception conditions, or that the
    applicant is not entitled to them here (Article 21); a caseworker or administrator of a state."""
    from pactum.reception.conditions import ConditionsDecisionCreate
    from pactum.services import reception_conditions

    body = load_json_model(ConditionsDecisionCreate, file)
    services = cli_services()
    emit_json(run_command(reception_conditions.record_decision, services, cli_principal(services), body))


@conditions_app.command("lift")
def conditions_lift(decision_id: str = typer.Argument(..., help="The decision's id"),
                    file: str = typer.Argument(..., help='JSON file {"version": 1, "lifted_on": "YYYY-MM-DD", '
                                                         '"restoration": "all", "reason": "..."}, or -')) -> None:
    """Lift a decision: the conditions restored (all or part) on a date, and why (refused when the
    decision changed since the version given)."""
    from pactum.reception.conditions import ConditionsLifting
    from pactum.services import reception_conditions

    body = load_json_model(ConditionsLifting, file)
    services = cli_services()
    emit_json(run_command(reception_conditions.lift_decision, services, cli_principal(services), decision_id, body))
