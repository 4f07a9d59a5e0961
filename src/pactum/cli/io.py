"""CLI input and output: JSON in (a file or ``-``), JSON out, one readable line and exit 2 on bad input.

Nothing heavy is imported at module level (pydantic, SQLAlchemy, argon2 load when a command needs
them), so that ``pactum --help`` stays fast: every command module imports this one.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

from pactum.common.errors import Conflict, Forbidden, NotFound, PactumError, ValidationProblem

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from pactum.services.auth import Principal
    from pactum.services.bootstrap import Services

M = TypeVar("M", bound="BaseModel")


def fail(message: str) -> NoReturn:
    """Print one readable line to stderr and exit with code 2."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def read_json(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except OSError as exc:
        fail(f"{path}: {exc.strerror}")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"{path}: not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
    from pactum.common.text import NUL_MESSAGE, nul_locations

    found = nul_locations(value)
    if found:
        fail(f"{path}: {'.'.join(str(p) for p in found[0]) or 'value'} {NUL_MESSAGE}")
    return value


def output_file(option: str, path: Path | None) -> None:
    """Refuse, before any work, an output file that cannot be written: its folder missing, or
    the path a folder."""
    if path is None:
        return
    if path.is_dir():
        fail(f"{option}: {path} is a folder; give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        fail(f"{option}: the folder {parent} does not exist")


def output_folder(option: str, path: Path) -> None:
    """Create an output folder before any work (a no-op if it exists), or refuse in one line."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"{option}: cannot create the folder {path}: {exc.strerror or exc}")


def validation_line(exc: ValidationError) -> str:
    parts = []
    for e in exc.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "input"
        parts.append(f"{loc}: {e['msg']}")
    return "; ".join(parts)


def load_json_model(model: type[M], path: str) -> M:
    from pydantic import ValidationError

    data = read_json(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fail(validation_line(exc))


def emit_json(value: Any) -> None:
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        typer.echo(value.model_dump_json(indent=2))
    elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
        typer.echo(json.dumps([v.model_dump(mode="json") for v in value], indent=2))
    else:
        typer.echo(json.dumps(value, indent=2, default=str, ensure_ascii=False))


def cli_services() -> Services:
    from pactum.services.bootstrap import bootstrap

    return bootstrap()


def unmigrated_store_line(services: Services) -> str | None:
    """The line to print when the store has no Pactum tables yet (never migrated), else None."""
    from pactum.store.migrate import has_schema

    if has_schema(services.engine):
        return None
    url = services.engine.url.render_as_string(hide_password=True)
    return (f"the store {url} has no Pactum tables yet: run `pactum db upgrade` "
            "(or `make demo` for the demo world)")


def require_schema(services: Services) -> None:
    """Exit with one line and code 2 unless the store was migrated (``serve`` checks first)."""
    line = unmigrated_store_line(services)
    if line is not None:
        fail(line)


def cli_principal(services: Services | None = None) -> Principal:
    """The user the CLI acts as: ``PACTUM_CLI_USER`` if set, otherwise the local operator."""
    from pactum.services.auth import SYSTEM, Principal, Role

    username = os.environ.get("PACTUM_CLI_USER", "")
    if not username:
        return SYSTEM
    from sqlalchemy import select

    from pactum.store.tables.platform import users

    services = services or cli_services()
    with services.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).first()
    if row is None:
        fail(f"PACTUM_CLI_USER: no user '{username}'")
    return Principal(row.id, row.username, row.authority, frozenset(Role(r) for r in row.roles))


def run_command(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a service and turn a domain error into one line and exit code 2."""
    from pydantic import ValidationError

    try:
        return fn(*args, **kwargs)
    except ValidationProblem as exc:
        fail(str(exc))
    except (NotFound, Conflict, Forbidden, PactumError) as exc:
        fail(str(exc) or type(exc).__name__)
    except ValidationError as exc:
        fail(validation_line(exc))
    except Exception as exc:
        from sqlalchemy.exc import DataError

        if isinstance(exc, DataError):  # a value the store's column cannot hold
            fail(f"the store refused a value: {str(exc.orig).strip().splitlines()[0]}")
        raise
