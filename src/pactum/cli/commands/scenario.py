"""Building the demo world."""

from __future__ import annotations

import typer

from pactum.cli.io import cli_services, fail

app = typer.Typer(name="scenario", help="The synthetic demo world calibrated on real statistics.")


@app.command("build")
def build(
    scale: str = typer.Option("S", help="XS, S (default demo), M, L or a number"),
    seed: int = typer.Option(1, help="Same seed, same world"),
    only: list[str] = typer.Option([], help="Run only these steps (repeat)"),
    upgrade: bool = typer.Option(True, help="Apply migrations first"),
) -> None:
    """Generate the world from 1 January 2025 to today into the configured store."""
    from pactum.scenario.world import build as build_world
    from pactum.scenario.world import scale_factor, steps
    from pactum.services.registry import encounter_count
    from pactum.store.migrate import upgrade as migrate

    try:
        scale_factor(scale)
    except ValueError as exc:
        fail(str(exc))
    known = {s.name for s in steps()}
    unknown = [o for o in only if o not in known]
    if unknown:
        fail(f"--only: no step {', '.join(unknown)}; steps: {', '.join(sorted(known))}")
    services = cli_services(create=upgrade)
    if upgrade:
        migrate(services.engine)
    if encounter_count(services) and not only:
        store = services.engine.url.render_as_string(hide_password=True)
        fail(f"the store {store} already holds a world; point PACTUM_DATABASE_URL at a new store "
             "or remove this one")
    build_world(services, scale=scale, seed=seed, only=list(only) or None)
    typer.echo("demo world built")


@app.command("steps")
def list_steps() -> None:
    """List the steps of the world, in the order they run."""
    from pactum.scenario.world import steps

    for s in steps():
        typer.echo(f"{s.order:4d}  {s.name:16s} {s.description}")
