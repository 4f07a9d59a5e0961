"""Follow-up of commitments from the command line: load the annex, generate the state-of-play
report, import and export the data, read the commitments and an item's history."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from pactum.cli.io import (
    cli_principal,
    cli_services,
    emit_json,
    fail,
    option_date,
    output_file,
    output_folder,
    read_text,
    run_command,
)

app = typer.Typer(
    name="followup",
    help="Commitments, actions, partners and funding; the state-of-play report.",
    no_args_is_help=True,
)


def _format(fmt: str, path: str | None = None) -> str:
    if fmt == "auto":
        suffix = Path(path or "").suffix.lower()
        fmt = {".csv": "csv", ".yaml": "yaml", ".yml": "yaml"}.get(suffix, "")
        if not fmt:
            fail("--format: say yaml or csv (the file name does not tell)")
    if fmt not in ("yaml", "csv"):
        fail(f"--format: '{fmt}' is not yaml or csv")
    return fmt


@app.command("load")
def load() -> None:
    """Load the shipped annex (situation as of 23 June 2023); loading twice changes nothing."""
    from pactum.services import followup

    services = cli_services()
    emit_json(run_command(followup.load, services, cli_principal(services)))


@app.command("report")
def report(
    as_of: str = typer.Option(..., "--as-of", help="Report date, YYYY-MM-DD"),
    out: Path = typer.Option(..., "--out", help="Directory for state-of-play.html and .pdf"),
    since: str = typer.Option("", "--since", help="Previous report date: list what changed since"),
) -> None:
    """Write DIR/state-of-play.html and DIR/state-of-play.pdf for a date."""
    from pactum.services import followup

    on = option_date(as_of, "--as-of")
    assert on is not None
    previous = option_date(since, "--since")
    if previous is not None and previous >= on:
        fail(f"--since: {since} is not before the report date {as_of}")
    services = cli_services()
    # the input first (dates, a follow-up on that date); the folder only when there is a report
    sop = run_command(followup.state_of_play, services, on, previous)
    output_folder("--out", out)
    html, pdf = run_command(followup.write_state_of_play, sop, out)
    typer.echo(f"{html}\n{pdf}")


@app.command("export")
def export(
    fmt: str = typer.Option("yaml", "--format", help="yaml or csv"),
    as_of: str = typer.Option("", "--as-of", help="State on this date (default today)"),
    out: str = typer.Option("-", "--out", help="File to write, or - for standard output"),
) -> None:
    """Export the whole follow-up as YAML or CSV (import reads both back without loss)."""
    from pactum.services import followup

    if out != "-":
        output_file("--out", Path(out))
    services = cli_services()
    text = run_command(followup.export_text, services, _format(fmt), option_date(as_of, "--as-of"))
    if out == "-":
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")


@app.command("import")
def import_(
    file: str = typer.Argument(..., help="YAML or CSV file, or - for standard input"),
    fmt: str = typer.Option("auto", "--format", help="yaml, csv, or auto (from the file name)"),
    as_of: str = typer.Option("", "--as-of", help="Date the file describes (default today)"),
) -> None:
    """Import a whole follow-up file; a malformed file names line and field and changes nothing."""
    from pactum.services import followup

    kind = _format(fmt, None if file == "-" else file)
    text = read_text(file, what="a YAML or CSV file", encoding="utf-8-sig")
    services = cli_services()
    emit_json(run_command(followup.import_text, services, cli_principal(services), text, kind,
                          option_date(as_of, "--as-of")))


@app.command("list")
def list_(
    as_of: str = typer.Option("", "--as-of", help="State on this date (default today)"),
    status: str = typer.Option("", "--status", help="planned, ongoing, completed, blocked or overdue"),
) -> None:
    """The commitments with their status, actions, overdue milestones and funding."""
    from pactum.services import followup

    services = cli_services()
    emit_json(run_command(followup.commitments, services, option_date(as_of, "--as-of"), status or None))


@app.command("funding")
def funding(
    as_of: str = typer.Option("", "--as-of", help="State on this date (default today)"),
    member_state: str = typer.Option("", "--member-state",
                                     help="Only the lines whose beneficiary names this state (e.g. BG)"),
) -> None:
    """The funding, gross and net, by stage, commitment, partner, Member State and call."""
    from pactum.services import followup

    services = cli_services()
    emit_json(run_command(followup.funding, services, option_date(as_of, "--as-of"), member_state or None))


@app.command("action-plans")
def action_plans(as_of: str = typer.Option("", "--as-of", help="State on this date (default today)")) -> None:
    """The EU action plans, in force first, with their milestones done and overdue."""
    from pactum.services import followup

    services = cli_services()
    emit_json(run_command(followup.action_plans, services, option_date(as_of, "--as-of")))


@app.command("history")
def history(kind: str, key: str) -> None:
    """Every version of one item (e.g. ``action 9.b``, ``funding 11.F8``)."""
    from pactum.services import followup

    services = cli_services()
    emit_json(run_command(followup.history, services, kind, key))
