"""Solidarity from the command line: fair shares, relocation matching, the annual cycle, pledges,
needs, deductions and the relocation transfer tracker. Each command calls one service function and
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
    option_date,
    read_text,
    run_command,
)

app = typer.Typer(
    name="solidarity",
    help="Annual Solidarity Pool: fair shares, cycle, pledges, relocation matching, transfers.",
    no_args_is_help=True,
)
FILE = typer.Argument(..., help="JSON file with the request body (the API's schema), or -")


def _call(fn: Any, *args: Any, **kwargs: Any) -> None:
    services = cli_services()
    emit_json(run_command(fn, services, cli_principal(services), *args, **kwargs))


@app.command("fair-shares")
def fair_shares(
    year: int = typer.Option(..., "--year", help="Pool year, e.g. 2026"),
    source: str = typer.Option("eurostat", "--source", help="eurostat (default) or worldbank"),
) -> None:
    """Fair shares of the pool per state (GET /api/v1/solidarity/fair-shares)."""
    from pactum.services import solidarity

    _call(solidarity.get_fair_shares, year, source)


@app.command("match")
def match(file: str = FILE) -> None:
    """Optimal relocation matching (POST /api/v1/solidarity/relocation-matching)."""
    from pactum.services import solidarity
    from pactum.solidarity.matching import MatchingRequest

    _call(solidarity.match, load_json_model(MatchingRequest, file))


@app.command("cycles")
def cycles() -> None:
    """List the annual cycles."""
    from pactum.services import solidarity

    _call(solidarity.list_cycles)


@app.command("cycle")
def cycle(year: int) -> None:
    """Show a cycle: status, pool, pressure designations, possible next steps."""
    from pactum.services import solidarity

    _call(solidarity.get_cycle, year)


@app.command("cycle-create")
def cycle_create(file: str = FILE) -> None:
    """Record the Commission's pressure decision and pool proposal (POST /solidarity/cycles)."""
    from pactum.services import solidarity
    from pactum.solidarity.schemas import CycleCreate

    _call(solidarity.create_cycle, load_json_model(CycleCreate, file))


@app.command("cycle-action")
def cycle_action(year: int, action: str, file: str = FILE) -> None:
    """open_pledging | adopt | start_implementation | close ({"version", "on", ...})."""
    from pactum.services import solidarity
    from pactum.solidarity.schemas import CycleAction

    _call(solidarity.cycle_action, year, action, load_json_model(CycleAction, file))


@app.command("overview")
def overview(
    year: int,
    fmt: str = typer.Option("json", "--format", help="json, or csv (the file of GET .../overview.csv)"),
) -> None:
    """The pool at a glance: pledged vs fair share, needs vs pledges received; --format csv prints the
    per-state table as CSV (GET /api/v1/solidarity/cycles/{year}/overview.csv)."""
    from pactum.services import solidarity

    if fmt not in ("json", "csv"):
        fail(f"--format: {fmt!r} is not json or csv")
    if fmt == "csv":
        services = cli_services()
        sys.stdout.write(run_command(solidarity.pool_overview_csv, services, cli_principal(services), year))
        return
    _call(solidarity.pool_overview, year)


@app.command("key-figures")
def key_figures(
    year: int,
    file: str = typer.Argument(..., help="CSV file (member_state,population,gdp_meur), or -"),
    reference_year: int = typer.Option(..., "--reference-year", help="the year the figures are of, e.g. 2025"),
    source: str = typer.Option(..., "--source", help="where they come from, e.g. 'Eurostat tps00001, tec00001'"),
) -> None:
    """Load the reference key's population and GDP for a cycle, all or nothing, before the Council's act
    (POST /api/v1/solidarity/cycles/{year}/key-figures); prints the fair shares computed of them."""
    from pactum.services import solidarity

    text = read_text(file, what="a CSV file", encoding="utf-8-sig")
    _call(solidarity.load_key_figures, year, text, reference_year=reference_year, source=source)


@app.command("key-figures-template")
def key_figures_template() -> None:
    """Print the CSV header and one row per bound state for `pactum solidarity key-figures`."""
    from pactum.services import solidarity

    typer.echo(solidarity.key_figures_template().replace("\r\n", "\n"), nl=False)


@app.command("distribution")
def distribution(year: int) -> None:
    """Each relocation pledge distributed to beneficiaries by needs and SAR earmark, with the rule."""
    from pactum.services import solidarity

    _call(solidarity.distribution, year)


@app.command("matching-capacities")
def matching_capacities(
    year: int,
    beneficiary: str = typer.Option(..., "--beneficiary", help="the benefitting state, e.g. IT"),
    on: str = typer.Option("", "--on", help="agreements on beneficiaries in force on this date (default today)"),
) -> None:
    """Places each contributing state still has for a benefitting state: allocated, matched, remaining,
    and whether it receives beneficiaries of international protection from it."""
    from pactum.services import solidarity

    _call(solidarity.matching_capacities, year, beneficiary, option_date(on, "--on"))


@app.command("beneficiary-agreements")
def beneficiary_agreements(
    year: int,
    member_state: str = typer.Option("", "--member-state", help="only those this state is party to"),
) -> None:
    """Agreements to receive beneficiaries of international protection from a benefitting state."""
    from pactum.services import solidarity

    _call(solidarity.beneficiary_agreements, year, member_state or None)


@app.command("beneficiary-agreement")
def beneficiary_agreement(year: int, file: str = FILE) -> None:
    """Record a contributing state's agreement to receive beneficiaries of international protection
    ({"beneficiary_member_state", "agreed_on"}; the Commission adds "contributor_member_state")."""
    from pactum.services import solidarity
    from pactum.solidarity.schemas import BeneficiaryAgreementIn

    _call(solidarity.record_beneficiary_agreement, year, load_json_model(BeneficiaryAgreementIn, file))


@app.command("measure-assignments")
def measure_assignments(year: int) -> None:
    """Pledged alternative measures assigned to benefitting states, and what is left to assign."""
    from pactum.services import solidarity

    _call(solidarity.measure_assignments, year)


@app.command("measure-assign")
def measure_assign(year: int, file: str = FILE) -> None:
    """Assign a contributing state's pledged alternative measures to a benefitting state that requested
    them ({"contributor_member_state", "beneficiary_member_state", "eur", "on"}; Commission only)."""
    from pactum.services import solidarity
    from pactum.solidarity.schemas import MeasureAssignmentIn

    _call(solidarity.assign_measure, year, load_json_model(MeasureAssignmentIn, file))


@app.command("beneficiary-agreement-end")
def beneficiary_agreement_end(agreement_id: str, file: str = FILE) -> None:
    """End an agreement to receive beneficiaries ({"version", "ended_on"})."""
    from pactum.services import solidarity
    from pactum.solidarity.schemas import BeneficiaryAgreementEnd

    _call(solidarity.end_beneficiary_agreement, agreement_id, load_json_model(BeneficiaryAgreementEnd, file))


@app.command("need")
def need(year: int, file: str = FILE) -> None:
    """Record a beneficiary's needs ({"member_state", "relocations", "financial_eur", "alternative_eur", "sar"};
    alternative_eur: the alternative solidarity measures requested, Art 57(4))."""
    from pactum.services import solidarity
    from pactum.solidarity.schemas import NeedIn

    _call(solidarity.record_need, year, load_json_model(NeedIn, file))


@app.command("pledge")
def pledge(year: int, file: str = FILE) -> None:
    """Submit or change a pledge ({"relocations", "financial_eur", "alternative_eur", ...})."""
    from pactum.services import solidarity
    from pactum.solidarity.schemas import PledgeIn

    _call(solidarity.submit_pledge, year, load_json_model(PledgeIn, file))


@app.command("pledge-page")
def pledge_page(year: int, member_state: str) -> None:
    """A state's pledge page: fair share, pledge, distribution, progress."""
    from pactum.services import solidarity

    _call(solidarity.pledge_page, year, member_state)


@app.command("pledge-progress")
def pledge_progress(year: int, member_state: str, file: str = FILE) -> None:
    """Payments made and alternative measures carried out against a state's pledge, during
    implementation ({"version", "paid_eur", "alternative_done_eur"}; POST
    /api/v1/solidarity/cycles/{year}/pledges/{member_state}/progress)."""
    from pactum.services import solidarity
    from pactum.solidarity.schemas import PledgeProgress

    _call(solidarity.record_pledge_progress, year, member_state, load_json_model(PledgeProgress, file))


@app.command("offsets")
def offsets(year: int) -> None:
    """Responsibility offsets of a cycle: regime, limits, eligible and taken-over applications."""
    from pactum.services import solidarity

    _call(solidarity.offsets_view, year)


@app.command("offset-take-over")
def offset_take_over(year: int, file: str = FILE) -> None:
    """Take over applications as a responsibility offset ({"beneficiary_member_state", "count" or
    "case_ids", "on"}; the Commission adds "contributor_member_state")."""
    from pactum.services import solidarity
    from pactum.solidarity.schemas import OffsetTakeOver

    _call(solidarity.take_over, year, load_json_model(OffsetTakeOver, file))


@app.command("deduction")
def deduction(year: int, file: str = FILE) -> None:
    """Request a deduction ({"relocations", "on"}): a state the Commission identified under pressure or in a
    significant migratory situation; any other state on its own assessment, adding "grounds" (article_61,
    article_62) and "substantiation" (the items of Art 61(2) or Art 62(2)-(3)). "replacement" ({"relocations",
    "by": "financial" or "alternative", "description"}) asks for pledged relocations to be replaced by another
    type of contribution of the same value, Arts 61(2)(b), 62(2)(b) ("relocations" may then be 0)."""
    from pactum.services import solidarity
    from pactum.solidarity.schemas import DeductionIn

    _call(solidarity.request_deduction, year, load_json_model(DeductionIn, file))


@app.command("deduction-assess")
def deduction_assess(deduction_id: str, file: str = FILE) -> None:
    """The Commission's assessment of a deduction request, Art 61(3) or 62(4) ({"version", "justified", "on"})."""
    from pactum.services import solidarity
    from pactum.solidarity.schemas import DeductionAssessment

    _call(solidarity.assess_deduction, deduction_id, load_json_model(DeductionAssessment, file))


@app.command("deduction-decide")
def deduction_decide(deduction_id: str, file: str = FILE) -> None:
    """The Council's implementing act on an assessed deduction request, Art 61(4) or 62(5), recorded by the
    Commission ({"version", "granted", "on", "council_act_reference"}); a grant of part of the request adds
    "granted_relocations" and/or "granted_replacement_relocations" (at most what was asked)."""
    from pactum.services import solidarity
    from pactum.solidarity.schemas import DeductionDecision

    _call(solidarity.decide_deduction, deduction_id, load_json_model(DeductionDecision, file))


@app.command("transfers")
def transfers(
    era: str = typer.Option(None, "--era", help="vsm or ammr"),
    year: int = typer.Option(None, "--year", help="cycle year (AMMR era)"),
    stage: str = typer.Option(None, "--stage"),
    as_of: str = typer.Option(None, "--as-of", help="count arrivals up to this day (YYYY-MM-DD)"),
    limit: int = typer.Option(20, "--limit", help="transfers listed (1-5000; 0: the counts only)"),
    offset: int = typer.Option(0, "--offset", help="the first transfer listed (the list's \"total\" counts it all)"),
    status: str = typer.Option(None, "--status", help="applicant or beneficiary (of international protection)"),
    origin: str = typer.Option(None, "--origin", help="benefitting state the persons are relocated from"),
    destination: str = typer.Option(None, "--destination", help="relocation state"),
    fmt: str = typer.Option("json", "--format", help="json, or csv: every transfer the filters select "
                                                     "(the file of GET /api/v1/solidarity/transfers.csv)"),
) -> None:
    """The relocation transfer tracker: arrivals per origin and destination, stages, overdue, per status;
    one page of the list (--limit from --offset, with its "total"), or all of it with --format csv."""
    from pactum.services import solidarity

    if fmt not in ("json", "csv"):
        fail(f"--format: {fmt!r} is not json or csv")
    if fmt == "csv":
        if as_of:
            fail("--as-of: the CSV lists the transfers, not the arrivals by a day; leave it out")
        services = cli_services()
        sys.stdout.write(run_command(solidarity.transfers_csv, services, cli_principal(services), era=era,
                                     year=year, stage=stage, status=status, origin=origin, destination=destination))
        return
    _call(solidarity.transfer_tracker, era=era, year=year, stage=stage, limit=limit, offset=offset,
          as_of=option_date(as_of, "--as-of"), status=status, origin=origin, destination=destination)


@app.command("transfers-record")
def transfers_record(file: str = FILE, year: int = typer.Option(None, "--year")) -> None:
    """Start tracking matched persons ({"transfers": [...]})."""
    from pactum.services import solidarity
    from pactum.solidarity.schemas import TransfersCreate

    _call(solidarity.record_transfers, year, load_json_model(TransfersCreate, file))


@app.command("transfers-import")
def transfers_import(file: str = FILE, year: int = typer.Option(None, "--year")) -> None:
    """Record transfers with the dates of the stages already passed ({"transfers": [...]})."""
    from pactum.services import solidarity
    from pactum.solidarity.schemas import TransfersImport

    _call(solidarity.import_transfers, year, load_json_model(TransfersImport, file))


@app.command("transfer-event")
def transfer_event(transfer_id: str, file: str = FILE) -> None:
    """Record a transfer stage ({"event", "on", "version"}, optionally "note": kept in the audit log)."""
    from pactum.services import solidarity
    from pactum.solidarity.schemas import TransferEvent

    _call(solidarity.transfer_event, transfer_id, load_json_model(TransferEvent, file))
