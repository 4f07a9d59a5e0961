"""Registration and screening from the command line."""

from __future__ import annotations

import typer

from pactum.cli.io import (
    cli_principal,
    cli_services,
    emit_json,
    load_json_model,
    run_command,
)

app = typer.Typer(name="registry", help="Registration of arrivals and screening.")


@app.command("register")
def register(
    file: str = typer.Argument(..., help="JSON file with the arrival (the API's schema), or -"),
    idempotency_key: str = typer.Option("", help="Same key twice registers once"),
) -> None:
    """Register an arrival; prints the same JSON as POST /api/v1/registry/arrivals."""
    from pactum.registry.model import RegisterArrival
    from pactum.services import registry

    data = load_json_model(RegisterArrival, file)
    services = cli_services()
    emit_json(run_command(registry.register_arrival, services, cli_principal(services), data,
                          idempotency_key or None))


@app.command("screening")
def screening(
    screening_id: str,
    file: str = typer.Argument(..., help="JSON with the form fields and the version, or -"),
) -> None:
    """Fill in or complete a screening form; prints the screening as JSON."""
    from pactum.registry.model import ScreeningForm
    from pactum.services import registry

    data = load_json_model(ScreeningForm, file)
    services = cli_services()
    emit_json(run_command(registry.update_screening, services, cli_principal(services),
                          screening_id, data))


@app.command("search")
def search(
    name: str = typer.Option("", help="Part of a name, in the state's own records (Latin or original script)"),
    date_of_birth: str = typer.Option("", help="YYYY, YYYY-MM or YYYY-MM-DD"),
    limit: int = typer.Option(50, help="How many records, 1 to 500"),
    offset: int = typer.Option(0, help="How many of the first matches to skip (the next page: offset + limit)"),
) -> None:
    """Find persons in the state's own records; prints the same JSON as GET /api/v1/registry/search
    (one page of records, in name order). When more match than are printed, a line on standard
    error says how many (the API's X-Total-Count) and how to see the rest."""
    from pactum.services import registry

    services = cli_services()
    page = run_command(registry.search_persons_page, services, cli_principal(services), name=name,
                       date_of_birth=date_of_birth, limit=limit, offset=offset)
    emit_json(page["rows"])
    shown = len(page["rows"])
    if offset or shown < page["total"]:
        more = (f"; narrow the search or see the next with --offset {offset + limit}"
                if offset + shown < page["total"] else "")
        typer.echo(f"{page['total']:,} records of {page['persons']:,} persons match: "
                   f"{shown:,} printed from offset {offset:,}{more}", err=True)


@app.command("person")
def person(person_id: str) -> None:
    """One person of the state's: identity records, encounters, screenings, candidates; the same JSON
    as GET /api/v1/registry/persons/{person_id}."""
    from pactum.services import registry

    services = cli_services()
    emit_json(run_command(registry.person_view, services, cli_principal(services), person_id))


@app.command("screenings-due")
def screenings_due() -> None:
    """The state's screenings still open, by deadline; the same JSON as GET /api/v1/registry/screenings/due."""
    from pactum.services import registry

    services = cli_services()
    emit_json(run_command(registry.screenings_due, services, cli_principal(services), limit=200))
