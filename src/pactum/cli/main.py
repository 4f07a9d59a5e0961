"""``pactum``: the command line. Groups are discovered from ``pactum.cli.commands``.

Exit codes: 0 done; 2 a refusal (bad input, rights, a state conflict, a store to upgrade), one
``error: …`` line; 1 a fault of Pactum's, one ``error: unexpected error …`` line; 141 the reader
of standard output went away (``pactum audit list --format csv | head -1``), nothing printed, as
a Unix tool ended by SIGPIPE reports (128 + 13).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup


def _one_line(exc: typer.TyperException) -> NoReturn:
    """A usage error (a missing argument, a value of the wrong type, an unknown option or
    command) as one line on stderr, ``error: ...`` as every other refusal, with its exit code
    (2), instead of the boxed usage panel. ``pactum`` alone still prints its help."""
    # Typer raises the NoArgsIsHelpError of the click it vendors (typer._click, private), not
    # click's own: the class is known by its name
    if type(exc).__name__ == "NoArgsIsHelpError":
        raise exc
    message = " ".join(line.strip() for line in exc.format_message().splitlines() if line.strip())
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=exc.exit_code)


#: The exit code when standard output's reader closed the pipe: a shell's status for a program
#: ended by SIGPIPE (128 + 13), which ``yes | head -1`` reports for ``yes``.
BROKEN_PIPE_EXIT = 141


def _reader_gone() -> NoReturn:
    """Standard output's reader went away (``| head``): stop at once, quietly, with
    :data:`BROKEN_PIPE_EXIT`, as Unix tools do, instead of click's silent exit code 1 (a fault of
    Pactum's, for this CLI). What is still buffered goes to the null device, so that Python's last
    flush neither fails nor prints "Exception ignored"."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):  # not a file (a test's captured output): nothing to flush later
        pass
    raise SystemExit(BROKEN_PIPE_EXIT)


class _OneLineErrors(TyperGroup):
    """The top-level group: every usage error below it, from parsing ``pactum``'s own options
    (:meth:`make_context`) or any sub-command's (:meth:`invoke`), is one line
    (:func:`_one_line`). Help and normal output are unchanged. Being the group itself, this holds
    for ``pactum`` and for tests that invoke :data:`app` alike."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None,
                     **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except typer.TyperException as exc:
            _one_line(exc)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except typer.TyperException as exc:
            _one_line(exc)
        except BrokenPipeError:
            _reader_gone()


app = typer.Typer(
    name="pactum",
    cls=_OneLineErrors,
    help="Pactum: EU migration and asylum management. Every command calls the same services as the API.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from pactum import __version__

        typer.echo(f"pactum {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print Pactum's version and exit.")) -> None:
    """Pactum: EU migration and asylum management. Every command calls the same services as the API."""


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


def _error(line: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {line}", err=True)
    raise SystemExit(code) from None


#: Set to 1 to have an unexpected error print its traceback (for a bug report) after its line.
DEBUG_VARIABLE = "PACTUM_DEBUG"


def _store_line() -> str | None:
    """The line for a store that cannot serve this code (never migrated, behind its migrations, or
    not reachable), or None; exits with the settings' own line when they are wrong."""
    from sqlalchemy.exc import OperationalError

    from pactum.cli.io import cli_services, unmigrated_store_line

    try:
        services = cli_services()
        try:
            return unmigrated_store_line(services)
        except OperationalError as again:  # the store cannot be reached at all
            url = services.engine.url.render_as_string(hide_password=True)
            return f"cannot reach the store {url}: {str(again.orig).strip().splitlines()[0]}"
    except typer.Exit as refused:  # cli_services said what is wrong with the settings
        raise SystemExit(refused.exit_code) from None


def main() -> None:
    try:
        try:
            app()
        finally:
            # output still buffered when the command ended reaches a reader that left: 141 too
            if sys.stdout is not None:
                sys.stdout.flush()
    except BrokenPipeError:
        _reader_gone()
    except Exception as exc:
        # settings read outside ``cli_services`` (which names the variable itself): the same line
        from pydantic import ValidationError

        if isinstance(exc, ValidationError) and exc.title == "Settings":
            from pactum.cli.io import settings_line

            _error(settings_line(exc))
        # a command that reached a store never migrated (a fresh folder, a new PostgreSQL
        # database) or behind the code's migrations (the code updated, not the store) gets the
        # store's "no such table" or a row it cannot read: say so in one line, with the fix
        try:
            line = _store_line()
        except Exception:  # the store's state would only have been a better explanation
            line = None
        if line is not None:
            _error(line)
        # anything else is a fault of Pactum's, not of the input: one line (and exit code 1, as
        # distinct from a refusal's 2); the traceback only when asked for
        import traceback

        if os.environ.get(DEBUG_VARIABLE, "") not in ("", "0"):
            traceback.print_exc()
        first = (str(exc).strip().splitlines() or [""])[0]
        _error(f"unexpected error {type(exc).__name__}{': ' + first if first else ''} "
               f"(a fault of Pactum's: set {DEBUG_VARIABLE}=1 for the details and report it)", code=1)


if __name__ == "__main__":
    main()
