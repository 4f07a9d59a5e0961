"""Decision statistics used by the routing (EU-wide recognition rates per nationality)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pactum.cli.io import cli_principal, cli_services, emit_json, fail, run_command

app = typer.Typer(name="statistics", help="First-instance decision statistics (UNHCR/Eurostat).",
                  no_args_is_help=True)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="UNHCR asylum-decisions export, CSV or .csv.gz")],
    source: Annotated[str, typer.Option(help="source label shown with every rate")] = "UNHCR",
) -> None:
    """Replace the statistics of the years in FILE (UNHCR Refugee Data Finder format)."""
    from pactum.services import procedures

    if not source.strip():
        fail("--source: name the source shown with every rate, e.g. 'UNHCR 2026 release'")
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        fail(f"{file}: no such file")
    except OSError as exc:
        fail(f"{file}: {exc.strerror}")
    services = cli_services()
    emit_json(run_command(procedures.import_statistics, services, cli_principal(services), data,
                          source))
