"""``pactum``: the command line. Groups are discovered from ``pactum.cli.commands``."""

from __future__ import annotations

import importlib
import pkgutil

import typer

app = typer.Typer(
    name="pactum",
    help="Pactum: EU migration and asylum management. Every command calls the same services as the API.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    import pactum.cli.commands as commands

    for mod in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"pactum.cli.commands.{mod.name}")
        groups = list(getattr(module, "GROUPS", []))
        if getattr(module, "app", None) is not None:
            groups.append(module.app)
        for sub in groups:
            app.add_typer(sub, name=sub.info.name or mod.name)
        for fn in getattr(module, "COMMANDS", []):
            app.command()(fn)


_register()


def main() -> None:
    try:
        app()
    except Exception as exc:
        # a command that reached a store never migrated (a fresh folder, a new PostgreSQL
        # database) gets the store's "no such table": say so in one line, with the fix
        from sqlalchemy.exc import OperationalError, ProgrammingError

        if isinstance(exc, OperationalError | ProgrammingError):
            from pactum.cli.io import cli_services, unmigrated_store_line

            services = cli_services()
            try:
                line = unmigrated_store_line(services)
            except OperationalError as again:  # the store cannot be reached at all
                url = services.engine.url.render_as_string(hide_password=True)
                line = f"cannot reach the store {url}: {str(again.orig).strip().splitlines()[0]}"
            if line is not None:
                typer.echo(f"error: {line}", err=True)
                raise SystemExit(2) from None
        raise


if __name__ == "__main__":
    main()
