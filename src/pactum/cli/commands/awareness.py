"""Situational awareness from the command line: import releases, backtest and choose models,
forecast, early-warning alerts, and the weekly situational report (HTML + PDF)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from pactum.cli.io import cli_principal, cli_services, emit_json, fail, output_folder, run_command
from pactum.common.errors import ValidationProblem
from pactum.common.routes import route_names

app = typer.Typer(
    name="awareness",
    help="Situational awareness: arrivals by route, forecasts chosen by backtest, alerts, weekly report.",
    no_args_is_help=True,
)


def _named(fn: Callable[..., Any], options: dict[str, str]) -> Callable[..., Any]:
    """``fn`` with the fields of its ``ValidationProblem`` named as the command's options."""

    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ValidationProblem as exc:
            raise ValidationProblem([(options.get(f, f), m) for f, m in exc.problems]) from None

    return call


@app.command("import")
def import_cmd(
    source: str = typer.Argument(..., help="frontex | eurostat | unhcr"),
    file: Path = typer.Argument(..., help="CSV file of the release (same columns as the shipped file)"),
    release: str = typer.Option(..., "--release", help="Name of the release, e.g. 'data as of 3 June 2025'"),
) -> None:
    """Validate a new release and replace the source's series with it (all or nothing)."""
    from pactum.services import awareness

    if file.is_dir():
        fail(f"{file}: is a directory; give the CSV file of the release")
    if not file.is_file():
        fail(f"{file}: no such file")
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        fail(f"{file}: not a UTF-8 text file")
    services = cli_services()
    emit_json(run_command(awareness.import_release, services, cli_principal(services), source, text, release))


@app.command("import-shipped")
def import_shipped_cmd() -> None:
    """Import the Frontex, Eurostat and UNHCR releases shipped with Pactum."""
    from pactum.services import awareness

    services = cli_services()
    emit_json(run_command(awareness.import_shipped, services, cli_principal(services)))


@app.command("backtest")
def backtest_cmd(
    route: str = typer.Option("", "--route", help="Frontex route name, e.g. 'Central Mediterranean Route'"),
    horizon: int = typer.Option(3, "--horizon", min=1, max=6, help="Months ahead (1-6)"),
    all_routes: bool = typer.Option(False, "--all", help="Every route, one JSON object per line"),
    store: bool = typer.Option(True, "--store/--no-store", help="Record the result and the model choice"),
    first_origin: str = typer.Option("2016-01", "--first-origin", help="First forecast origin, YYYY-MM"),
) -> None:
    """Rolling-origin backtest (origins every month from --first-origin); prints MASE and 80% coverage."""
    from pactum.services import awareness

    if not all_routes and not route:
        fail("give --route NAME or --all")
    if route and route not in route_names():
        fail(f"unknown route {route!r}; routes: {', '.join(route_names())}")
    services = cli_services()
    principal = cli_principal(services)
    backtest = _named(awareness.run_backtest, {"first_origin": "--first-origin", "horizon": "--horizon"})
    for name in route_names() if all_routes else [route]:
        res = run_command(backtest, services, principal, name, horizon, store=store,
                          first_origin=first_origin)
        typer.echo(res.model_dump_json(indent=None if all_routes else 2))


@app.command("forecast")
def forecast_cmd() -> None:
    """Forecast every backtested route and its top nationalities with the chosen model."""
    from pactum.services import awareness

    services = cli_services()
    out = run_command(awareness.refresh_forecasts, services, cli_principal(services))
    emit_json([f.model_dump() for f in out])


@app.command("refresh")
def refresh_cmd(full: bool = typer.Option(False, "--full", help="Rebuild every month, not only the open ones")) -> None:
    """Aggregate the platform's encounters by month, route, state, border type and nationality."""
    from pactum.services import awareness

    services = cli_services()
    emit_json(run_command(awareness.refresh, services, cli_principal(services), full=full))


@app.command("evaluate")
def evaluate_cmd(
    month: str = typer.Option("", "--month", help="Month to check, YYYY-MM (default: each route's latest)"),
    rise_pct: float = typer.Option(50.0, "--rise-pct", help="Alert when a month exceeds the previous months' average by this %"),
    baseline_months: int = typer.Option(3, "--baseline-months", min=1, max=12),
    min_volume: float = typer.Option(500.0, "--min-volume", help="Ignore rises below this many detections"),
) -> None:
    """Run the early-warning rules and record new alerts."""
    from pactum.awareness.alerts import AlertSettings
    from pactum.services import awareness

    services = cli_services()
    settings = AlertSettings(rise_pct=rise_pct, baseline_months=baseline_months, min_volume=min_volume)
    evaluate = _named(awareness.evaluate_alerts, {
        "month": "--month", "rise_pct": "--rise-pct", "baseline_months": "--baseline-months",
        "min_volume": "--min-volume"})
    out = run_command(evaluate, services, cli_principal(services), settings, month or None)
    emit_json([a.model_dump(mode="json") for a in out])


@app.command("alerts")
def alerts_cmd(open_only: bool = typer.Option(False, "--open", help="Only alerts not yet acknowledged")) -> None:
    """List alerts, newest month first."""
    from pactum.services import awareness

    services = cli_services()
    out = run_command(awareness.list_alerts, services, cli_principal(services), open_only)
    emit_json([a.model_dump(mode="json") for a in out])


@app.command("ack")
def ack_cmd(
    alert_id: str = typer.Argument(...),
    version: int = typer.Option(..., "--version", help="The alert version you saw"),
    note: str = typer.Option("", "--note"),
) -> None:
    """Acknowledge an alert (audited)."""
    from pactum.services import awareness

    services = cli_services()
    out = run_command(awareness.acknowledge_alert, services, cli_principal(services), alert_id, version, note or None)
    emit_json(out.model_dump(mode="json"))


@app.command("report")
def report_cmd(
    week: str = typer.Option(..., "--week", help="ISO week, e.g. 2026-W47"),
    out: Path = typer.Option(Path("reports/awareness"), "--out", help="Directory for the HTML and PDF"),
) -> None:
    """Write the weekly situational report as HTML and PDF."""
    from pactum.awareness.periods import parse_week

    try:  # the input first: a refused week creates no folder
        parse_week(week)
    except ValueError as exc:
        fail(f"--week: {exc}")
    from pactum.services.awareness import report as weekly

    services = cli_services()
    principal = cli_principal(services)
    rep = run_command(_named(weekly.build, {"week": "--week"}), services, principal, week)
    output_folder("--out", out)
    html_path, pdf_path = weekly.write(rep, out)
    emit_json({"week": rep["week"]["label"], "html": str(html_path), "pdf": str(pdf_path),
               "alerts": len(rep["alerts"]), "frontex_month": rep["frontex_month"]})
