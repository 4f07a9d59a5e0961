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
    """Aggregate the platform's encounters by month, route, state, border type and nationality
    (shared by every state: an EU body's analyst refreshes them)."""
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
def alerts_cmd(
    open_only: bool = typer.Option(False, "--open", help="Only alerts not yet acknowledged"),
    route: str = typer.Option("", "--route", help="Only this route's (or 'Inland (no route)', 'Route not recorded')"),
    status: str = typer.Option("", "--status", help="open | acknowledged"),
    source: str = typer.Option("", "--source", help="frontex | platform | platform:XX"),
    month: str = typer.Option("", "--month", help="Only the alerts on this month (YYYY-MM)"),
) -> None:
    """List alerts, newest month first (the filters of GET /api/v1/awareness/alerts)."""
    from pactum.services import awareness

    services = cli_services()
    list_alerts = _named(awareness.list_alerts, {"route": "--route", "status": "--status", "source": "--source",
                                                 "month": "--month"})
    out = run_command(list_alerts, services, cli_principal(services), open_only, route=route or None,
                      status=status or None, source=source or None, month=month or None)
    emit_json([a.model_dump(mode="json") for a in out])


@app.command("arrivals")
def arrivals_cmd() -> None:
    """Frontex detections by route and month as CSV (the file of GET /api/v1/awareness/arrivals.csv):
    route, month, detections, release."""
    import sys

    from pactum.services import awareness

    services = cli_services()
    sys.stdout.write(run_command(awareness.arrivals_csv, services, cli_principal(services)))


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
               "alerts": len(rep["alerts"]), "frontex_month": rep["frontex_month"],
               # the day the report's figures run to (the week's end, or today for the week in progress)
               "as_of": rep["week"]["as_of"]})


#: How the dashboard and route commands print: the API's JSON, or tables to read in a terminal.
_FORMATS = ("json", "table")


def _check_format(fmt: str) -> None:
    if fmt not in _FORMATS:
        fail(f"--format: {fmt!r} is not json or table")


def _pct(value: Any) -> str:
    return "–" if value is None else f"{value:+.1f}%"


def _n(value: Any) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _interval(point: dict[str, Any]) -> str:
    return f"{point['month']}: {_n(point['mean'])} ({_n(point['lo_80'])}–{_n(point['hi_80'])})"


def _console() -> Any:
    import sys

    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def _dashboard_tables(data: dict[str, Any]) -> None:
    """What the dashboard page shows, as tables: the Frontex release and its age, the routes, the
    data-quality caveats, the asylum statistics beside them and the open alerts."""
    from rich.table import Table

    from pactum.common.countries import nationality_name

    console = _console()
    fx = data.get("frontex") or {}
    console.print(f"Situational awareness, scope {data['scope']}, {data['today']}")
    if fx.get("latest_period"):
        console.print(f"Frontex: {fx['release']}; {fx['text']}.")
        if fx.get("stale"):
            console.print(f"The figures, alerts and forecasts describe {fx['latest_period']} and the month after it, "
                          "not the current month: no newer Frontex release has been imported.")
    table = Table(title=f"Routes (Frontex detections, latest month of the data: {fx.get('latest_period') or '–'})")
    for column, right in (("Route", False), ("Month", False), ("Detections", True), ("vs month before", True),
                          ("vs year before", True), ("Model (by backtest)", False), ("MASE ratio", True),
                          ("Forecast for the month after the data (80% interval)", False),
                          ("Open alerts", True), ("Platform encounters, same month", True),
                          ("Platform encounters, all records", True)):
        table.add_column(column, justify="right" if right else "left", no_wrap=column == "Route")
    for r in data["routes"]:
        fc = r["forecast"]
        p = r["platform"]
        table.add_row(
            r["route"] + (" *" if r.get("data_quality") else ""), r["last_month"],
            _n(r["change"]["value"]), _pct(r["change"]["change_month_pct"]), _pct(r["change"]["change_year_pct"]),
            r["chosen_model"] or "not backtested",
            f"{r['backtest']['mase_ratio']:.2f}" if r["backtest"] else "–",
            _interval(fc["points"][0]) if fc else (r["forecast_note"] or "–"),
            str(r["open_alerts"]), f"{_n(p['same_month_encounters'])} in {p['same_month']}",
            f"{_n(p['total'])}" + (f" ({p['first_month']} to {p['last_month']})" if p["total"] else ""))
    console.print(table)
    for r in data["routes"]:
        if r.get("data_quality"):
            console.print(f"* {r['route']}: {r['data_quality']['text']}")
    for key, what in (("platform_no_route", "inside the territory: illegal stay, in-territory applications"),
                      ("platform_route_not_recorded", "arrivals at the border or at sea whose route was not "
                                                      "recorded, not inland")):
        series = data.get(key) or {}
        if series.get("total"):
            console.print(f"Platform encounters with no route, {series['label']} ({what}): {_n(series['total'])}; "
                          "not counted under Frontex's route \"Other\".")
    ext = data["external"]
    if ext.get("eurostat"):
        e = ext["eurostat"]
        flag = f" (flag {e['flag']})" if e.get("flag") else ""
        line = f"{e['label']}: {_n(e['change']['value'])}{flag} in {e['change']['month']}"
        if e["change"]["change_year_pct"] is not None:
            line += f" ({_pct(e['change']['change_year_pct'])} on {_n(e['change']['same_month_last_year'])} a year earlier)"
        if e.get("flag_meanings"):
            line += "; Eurostat flags: " + ", ".join(f"{m} {f}" for m, f in e["flags"].items()) + " — " + \
                "; ".join(f"{f}: {meaning}" for f, meaning in e["flag_meanings"].items())
        if e.get("freshness"):
            line += f"; {e['freshness']['text']}"
        console.print(line)
    if ext.get("unhcr"):
        u = ext["unhcr"]
        line = f"{u['label']}: {_n(u['total'])} in {u['year']}"
        if u.get("previous_year"):
            line += f" ({_n(u['previous_year'])} in {int(u['year']) - 1}, {_pct(u['change_pct'])})"
        line += "; top origins: " + ", ".join(
            f"{nationality_name(t['nationality']) or t['nationality']} {t['share'] * 100:.0f}%" for t in u["top_origins"])
        console.print(line)
        console.print(f"Counted: {u['counts']}." + (
            " Not counted: " + "; ".join(f"{x['what']} {_n(x['applications'])}" for x in u["left_out"]) + "."
            if u.get("left_out") else ""))
    _alerts_table(console, data["alerts"], "Open alerts")


def _alerts_table(console: Any, alerts: list[dict[str, Any]], title: str) -> None:
    from rich.table import Table

    from pactum.common.countries import nationality_name

    if not alerts:
        console.print(f"{title}: none.")
        return
    table = Table(title=title)
    # the id whole: it is what `pactum awareness ack ID --version N` takes
    table.add_column("Id", no_wrap=True, min_width=max(len(a["id"]) for a in alerts))
    for column in ("Version", "Route", "Month", "Source", "Rule", "What happened", "Driven by", "Status"):
        table.add_column(column)
    for a in alerts:
        drivers = ", ".join(f"{nationality_name(d['nationality']) or d['nationality']} (+{d['increase']:,})"
                            for d in a["drivers"])
        status = f"acknowledged by {a['acknowledged_by']}" if a.get("acknowledged_at") else "open"
        what = a["message"] + (" (data quality: see below)" if a.get("caveat") else "")
        table.add_row(a["id"], str(a["version"]), a["route"], a["month"], a["source"], a["rule"].replace("_", " "),
                      what, drivers, status)
    console.print(table)
    for a in alerts:
        if a.get("caveat"):
            console.print(f"{a['id']} ({a['route']}, {a['month']}, {a['rule'].replace('_', ' ')}): {a['caveat']}")


def _route_tables(r: dict[str, Any]) -> None:
    """What a route's page shows, as tables: the data's age and quality, the forecast, the backtests,
    the last 12 months by border type, the top nationalities with their forecasts, the alerts."""
    from rich.table import Table

    from pactum.common.countries import nationality_name

    console = _console()
    fx = r.get("frontex") or {}
    console.print(f"{r['route']}: latest month of the data {r['last_month']}, {_n(r['change']['value'])} detections "
                  f"({_pct(r['change']['change_month_pct'])} on the month before, "
                  f"{_pct(r['change']['change_year_pct'])} on a year earlier)")
    if fx.get("latest_period"):
        console.print(f"Frontex: {fx['release']}; {fx['text']}.")
    for q in r["data_quality"]:
        console.print(q)
    if r["forecast"]:
        table = Table(title=f"Forecast of the months after the latest data ({r['last_month']}), "
                            f"{r['forecast']['model']} (chosen by backtest), 80% interval")
        for column, right in (("Month", False), ("Forecast", True), ("80% interval", True)):
            table.add_column(column, justify="right" if right else "left")
        for p in r["forecast"]["points"]:
            table.add_row(p["month"], _n(p["mean"]), f"{_n(p['lo_80'])} – {_n(p['hi_80'])}")
        console.print(table)
    else:
        console.print(r["forecast_note"] or "No forecast: the route has not been backtested.")
    for b in r["backtests"]:
        table = Table(title=f"Backtest, horizon {b['horizon']} months, {b['origins']} origins, data to "
                            f"{b['data_through']} (MASE ratio to seasonal naive {b['mase_ratio']:.3f})")
        for column, right in (("Model", False), ("MASE", True), ("80% coverage", True), ("", False)):
            table.add_column(column, justify="right" if right else "left")
        for m in b["models"]:
            table.add_row(m["model"], f"{m['mase']:.3f}", f"{m['coverage_80'] * 100:.1f}%",
                          "chosen" if m["model"] == b["chosen"] else "")
        console.print(table)
        if b.get("choice_basis"):
            console.print(f"Chosen: {b['choice_basis']}.")
    console.print("Last 12 months by border type: " + ", ".join(f"{bt} {n:,}" for bt, n in r["border_types"].items()))
    forecasts = {f["nationality"]: f["points"][0] for f in r["nationality_forecasts"]}
    widened = {f["nationality"] for f in r["nationality_forecasts"] if f.get("widened")}
    table = Table(title="Top nationalities (last 12 months) and their forecasts (model's own 80% interval)")
    for column, right in (("Nationality", False), ("Detections", True), ("Share", True), ("Forecast", False)):
        table.add_column(column, justify="right" if right else "left")
    for t in r["top_nationalities"]:
        p = forecasts.get(t["nationality"])
        table.add_row(nationality_name(t["nationality"]) or t["nationality"], _n(t["value"]),
                      f"{t['share'] * 100:.1f}%",
                      (_interval(p) + (" (widened)" if t["nationality"] in widened else "")) if p else "–")
    console.print(table)
    if forecasts:
        console.print(r["nationality_forecasts_note"])
    _alerts_table(console, r["alerts"], "Alerts on this route")


@app.command("dashboard")
def dashboard_cmd(
    fmt: str = typer.Option("json", "--format", help="json (the JSON of GET /api/v1/awareness/dashboard) or table"),
) -> None:
    """What the awareness dashboard shows: every route's latest month of Frontex data (and how old
    it is), changes, model, forecast, alerts and platform encounters, and the asylum statistics
    beside them."""
    from pactum.services import awareness

    _check_format(fmt)
    services = cli_services()
    data = run_command(awareness.dashboard, services, cli_principal(services))
    if fmt == "table":
        _dashboard_tables(data)
        return
    emit_json(data)


@app.command("route")
def route_cmd(
    route: str = typer.Argument(..., help="Frontex route name, e.g. 'Eastern Borders Route'"),
    fmt: str = typer.Option("json", "--format", help="json (the JSON of GET /api/v1/awareness/routes/{route}) or table"),
) -> None:
    """What a route's page shows: its forecast with the backtest evidence, 60 months of history,
    border types, top nationalities and their forecasts, data-quality caveats and alerts."""
    from pactum.services import awareness

    _check_format(fmt)
    if route not in route_names():
        fail(f"unknown route {route!r}; routes: {', '.join(route_names())}")
    services = cli_services()
    data = run_command(awareness.get_route, services, cli_principal(services), route)
    if fmt == "table":
        _route_tables(data)
        return
    emit_json(data)
