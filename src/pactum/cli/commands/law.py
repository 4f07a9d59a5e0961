"""Legal time limits and parameters from the command line."""

from __future__ import annotations

import typer

from pactum.cli.io import cli_principal, emit_json, load_json_model, run_command

app = typer.Typer(name="law", help="Legal time limits (Reg. 1182/71) and the legal parameters in force.")


@app.command("time-limit")
def time_limit(file: str = typer.Argument(..., help="JSON file with the request (the API's schema), or -")) -> None:
    """Compute a time limit; prints the same JSON as POST /api/v1/law/time-limits."""
    from pactum.law import TimeLimitRequest
    from pactum.services import law

    request = load_json_model(TimeLimitRequest, file)
    emit_json(run_command(law.compute_time_limit, cli_principal(), request))


@app.command("parameters")
def parameters(on: str = typer.Option(..., "--on", help="Date the parameters are in force on, YYYY-MM-DD"),
               prefix: str = typer.Option("", help="Only parameters under this path, e.g. ammr.transfer")) -> None:
    """List the legal parameters in force on a date, with their references, as JSON."""
    from pactum.services import law

    emit_json(run_command(law.parameters_on, cli_principal(), on, prefix or None))


@app.command("kinds")
def kinds() -> None:
    """List the kinds of time limit with their variants, as JSON."""
    from pactum.services import law

    emit_json(law.time_limit_kinds())
