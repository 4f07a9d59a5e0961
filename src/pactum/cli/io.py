"""CLI input and output: JSON in (a file or ``-``), JSON out, one readable line and exit 2 on bad input.

Nothing heavy is imported at module level (pydantic, SQLAlchemy, argon2 load when a command needs
them), so that ``pactum --help`` stays fast: every command module imports this one.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

from pactum.common.errors import Conflict, Forbidden, NotFound, PactumError, ValidationProblem, plain_message

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from pactum.services.auth import Principal
    from pactum.services.bootstrap import Services

M = TypeVar("M", bound="BaseModel")


def fail(message: str) -> NoReturn:
    """Print one readable line to stderr and exit with code 2."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def option_date(value: str | None, option: str) -> date | None:
    """An option's date (YYYY-MM-DD), None when not given; otherwise exit 2 naming the option."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: '{value}' is not a date (YYYY-MM-DD)")


#: How deep a JSON file may nest. No Pactum input nests more than a few levels; thousands of
#: brackets would exhaust the interpreter's recursion in the parser or in the checks after it.
MAX_JSON_DEPTH = 100

#: The most digits a whole number within the stores' bound (:mod:`pactum.common.limits`) has.
_STORE_INTEGER_DIGITS = 19


def _whole_number(digits: str) -> int:
    """A JSON whole number; one of more digits than any the stores hold is read as the first
    number beyond their bound (Python refuses to convert more than 4,300 digits at all), which
    :func:`~pactum.common.limits.too_large_locations` then finds."""
    if len(digits.lstrip("-")) <= _STORE_INTEGER_DIGITS:
        return int(digits)
    from pactum.common.limits import STORE_INTEGER_MAX

    return -(STORE_INTEGER_MAX + 1) if digits.startswith("-") else STORE_INTEGER_MAX + 1


def _nested_too_deep(value: Any) -> bool:
    """Whether a decoded JSON value nests more than :data:`MAX_JSON_DEPTH` levels (found without
    recursion, so that asking cannot exhaust the stack)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _place(loc: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in loc) or "value"


def read_text(path: str, *, what: str = "file", encoding: str = "utf-8") -> str:
    """The text of a file (``-``: standard input), or one line and exit code 2 naming what is
    wrong: a missing file, a folder, an unreadable file, bytes that are not UTF-8 (the byte and
    its line), the NUL character, which no store holds (its line and column). ``what`` names what the command wants (``a YAML or CSV file``); ``encoding``
    ``utf-8-sig`` drops a byte order mark."""
    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            stdin = getattr(sys.stdin, "buffer", None)
            raw = stdin.read() if stdin is not None else sys.stdin.read().encode("utf-8", "surrogateescape")
        else:
            raw = Path(path).read_bytes()
    except IsADirectoryError:
        fail(f"{name}: is a directory; give {what}")
    except FileNotFoundError:
        fail(f"{name}: no such file")
    except OSError as exc:
        fail(f"{name}: {exc.strerror or exc}")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        fail(f"{name}: not UTF-8 text: byte 0x{raw[exc.start]:02x} on line {line} (save the file as UTF-8)")
    where = text.find("\x00")
    if where >= 0:
        from pactum.common.text import NUL_MESSAGE

        line = text.count("\n", 0, where) + 1
        column = where - (text.rfind("\n", 0, where) + 1) + 1
        fail(f"{name}: line {line}, column {column}: {NUL_MESSAGE}")
    return text


def read_json(path: str) -> Any:
    """The JSON value of a file (``-``: standard input), or one line and exit code 2 naming what
    is wrong: what :func:`read_text` refuses, malformed JSON, nesting deeper than
    :data:`MAX_JSON_DEPTH`, and (naming its place) a string holding the NUL character or a whole
    number beyond the stores' 64 bits, which no store can hold."""
    # a byte order mark (Windows Notepad, PowerShell's Out-File) is dropped, as the CSV readers do
    text = read_text(path, what="a JSON file", encoding="utf-8-sig")
    too_deep = f"{path}: nested more than {MAX_JSON_DEPTH} levels deep"
    try:
        value = json.loads(text, parse_int=_whole_number)
    except json.JSONDecodeError as exc:
        fail(f"{path}: not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
    except RecursionError:
        fail(too_deep)
    if _nested_too_deep(value):
        fail(too_deep)
    from pactum.common.limits import TOO_LARGE_MESSAGE, too_large_locations
    from pactum.common.text import NUL_MESSAGE, nul_locations

    found = nul_locations(value)
    if found:
        fail(f"{path}: {_place(found[0])} {NUL_MESSAGE}")
    found = too_large_locations(value)
    if found:
        fail(f"{path}: {_place(found[0])} {TOO_LARGE_MESSAGE}")
    return value


def _folder_refuses_files(folder: Path) -> bool:
    """Whether no file can be created in an existing folder: no write permission, or a folder
    that refuses files whatever the permissions say (``/proc``, even to root), which only trying
    tells. The probe file is removed at once."""
    import tempfile

    if not os.access(folder, os.W_OK | os.X_OK):
        return True
    try:
        fd, probe = tempfile.mkstemp(prefix=".pactum-write-probe-", dir=folder)
    except OSError:
        return True
    os.close(fd)
    os.unlink(probe)
    return False


def output_file(option: str, path: Path | None) -> None:
    """Refuse, before any work, an output file that cannot be written: its folder missing or not
    writable, the path a folder, or an existing file that is read-only."""
    if path is None:
        return
    if path.is_dir():
        fail(f"{option}: {path} is a folder; give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        fail(f"{option}: the folder {parent} does not exist")
    if _folder_refuses_files(parent):
        fail(f"{option}: cannot write {path}: the folder {parent} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        fail(f"{option}: cannot write {path}: the file is read-only")


def output_folder(option: str, path: Path) -> None:
    """Create an output folder before any work (a no-op if it exists), or refuse in one line."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"{option}: cannot create the folder {path}: {exc.strerror or exc}")


#: pydantic's error types for a value that should have been a JSON object (its message names the
#: model's class, which means nothing to whoever wrote the file)
_OBJECT_EXPECTED = frozenset({"model_type", "model_attributes_type", "dict_type"})


def _json_kind(value: Any) -> str:
    """What a decoded JSON value is, as its writer calls it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, list):
        return "a list [...]"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    return "another value"


def validation_line(exc: ValidationError, source: str = "input") -> str:
    """A pydantic refusal as one line naming each field, worded as the API words it (without
    pydantic's ``Value error,`` prefix, :func:`~pactum.common.errors.plain_message`); a value
    that should be a JSON object says so, not the internal class it would become. ``source``
    names the whole input (a file's name) when the top level itself is wrong."""
    parts = []
    for e in exc.errors():
        loc = ".".join(str(p) for p in e["loc"]) or source
        if e["type"] in _OBJECT_EXPECTED:
            message = f"give a JSON object {{...}}, not {_json_kind(e.get('input'))}"
        else:
            message = plain_message(str(e["msg"]))
        parts.append(f"{loc}: {message}")
    return "; ".join(parts)


def load_json_model(model: type[M], path: str) -> M:
    return json_model(model, read_json(path), source="standard input" if path == "-" else path)


def json_model(model: type[M], data: Any, *, source: str = "input") -> M:
    """``data`` read from a JSON file as ``model``, with JSON's own types, as the API takes the
    same bodies (``"active": 0`` is not false; :mod:`pactum.common.json_types`); one line and exit
    code 2 otherwise (``source`` names the file when its top level is not an object)."""
    from pydantic import ValidationError

    from pactum.common.json_types import strict_model

    try:
        return strict_model(model).model_validate(data)
    except ValidationError as exc:
        fail(validation_line(exc, source))


def emit_json(value: Any) -> None:
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        typer.echo(value.model_dump_json(indent=2))
    elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
        typer.echo(json.dumps([v.model_dump(mode="json") for v in value], indent=2))
    else:
        typer.echo(json.dumps(value, indent=2, default=_json_value, ensure_ascii=False))


def more_than_shown(total: int, shown: int, offset: int, limit: int, noun: str, one: str | None = None) -> None:
    """When a page printed is not the whole list, say so on standard error: how many the list
    holds (the API's ``X-Total-Count``), which were printed, and the ``--offset`` of the next page.
    ``noun`` is the plural ("decisions"), ``one`` its singular ("decision") for a list of one:
    "1 decision in all", not "1 decisions"."""
    if offset or shown < total:
        more = f"; see the next with --offset {offset + limit}" if offset + shown < total else ""
        said = one if total == 1 and one is not None else noun
        typer.echo(f"{total:,} {said} in all: {shown:,} printed from offset {offset:,}{more}", err=True)


def _json_value(value: Any) -> Any:
    """A value JSON has no type for, written as the API writes it (pydantic's serializer, which
    FastAPI's answers go through): dates and times in ISO 8601 (``2026-11-27T23:59:59Z``, not
    ``str()``'s ``2026-11-27 23:59:59+00:00``), a model nested in a service's answer by its fields,
    an enumeration by its value; anything pydantic cannot write, as text."""
    from pydantic_core import PydanticSerializationError, to_jsonable_python

    try:
        return to_jsonable_python(value)
    except PydanticSerializationError:
        return str(value)


def settings_line(exc: ValidationError) -> str:
    """A settings error as one line naming each environment variable (``PACTUM_SESSION_HOURS:
    Input should be a valid integer``); the values are not repeated (a URL may hold a password)."""
    parts = []
    for e in exc.errors():
        name = "PACTUM_" + "_".join(str(p) for p in e["loc"]).upper()
        parts.append(f"{name}: {plain_message(e['msg'])}")
    return "; ".join(parts)


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite store's URL, or None for another store or one in memory."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def store_folder_line(url: str) -> str | None:
    """The line to print when the store is a SQLite file in a folder that does not exist (SQLite
    then says only "unable to open database file"), else None."""
    database = _sqlite_file(url)
    if database is None or database.parent.is_dir():
        return None
    return (f"PACTUM_DATABASE_URL: the folder {database.parent} of the store {database} does not exist "
            "(create it, or point PACTUM_DATABASE_URL elsewhere)")


def missing_store_line(url: str) -> str | None:
    """The line to print when a command would open a SQLite store whose file does not exist
    (opening it would leave a new empty file behind, at a mistyped path as well), else None."""
    database = _sqlite_file(url)
    if database is None or database.exists():
        return None
    return (f"PACTUM_DATABASE_URL: no store at {database}: `pactum db upgrade` creates it "
            "(or `make demo` the demo world); check the path if the store is elsewhere")


def _refuse_missing_store(engine: Any, url: str) -> None:
    """Refuse, as the first connection is being opened, a SQLite store whose file does not exist
    (:func:`missing_store_line`): a command that reads no store (``responsibility determine``,
    ``law time-limit``) still runs without one, and one that would read or write it creates no
    empty file."""
    from sqlalchemy import event

    @event.listens_for(engine, "do_connect")
    def _before_connect(*_: Any) -> None:
        line = missing_store_line(url)
        if line is not None:
            fail(line)


def cli_services(*, create: bool = False) -> Services:
    """The services of a command, from the environment's settings; a setting that is wrong (not a
    number, a database URL SQLAlchemy cannot use, a store in a folder that does not exist) is one
    line naming its variable, and exit code 2. A SQLite store that does not exist is refused the
    same way when the command first opens it, unless the command creates one (``create``: ``db
    upgrade``, ``scenario build``), so that a mistyped path leaves no empty file behind and a
    command that reads no store runs without one."""
    from pydantic import ValidationError

    from pactum.services.bootstrap import bootstrap
    from pactum.settings import Settings

    try:
        settings = Settings()
    except ValidationError as exc:
        fail(settings_line(exc))
    try:
        url = settings.resolved_database_url()
    except OSError as exc:
        fail(f"PACTUM_VAR_DIR: cannot create the folder {settings.var_dir}: {exc.strerror or exc}")
    line = store_folder_line(url)
    if line is not None:
        fail(line)
    services = bootstrap(settings)
    if not create:
        _refuse_missing_store(services.engine, url)
    return services


def unmigrated_store_line(services: Services) -> str | None:
    """The line to print when the store has no Pactum tables yet (never migrated), or is behind
    the code's migrations (the code was updated, the store not: its new tables and columns are
    missing), else None."""
    from pactum.store.migrate import has_schema, pending_heads

    url = services.engine.url.render_as_string(hide_password=True)
    if not has_schema(services.engine):
        return (f"the store {url} has no Pactum tables yet: run `pactum db upgrade` "
                "(or `make demo` for the demo world)")
    pending = pending_heads(services.engine)
    if not pending:
        return None
    return behind_line(url, pending)


def behind_line(url: str, pending: set[str]) -> str:
    """The line naming a store behind the code's migrations and the fix."""
    return (f"the store at {url} is behind the code (missing migrations {', '.join(sorted(pending))}): "
            "run `pactum db upgrade`")


def require_schema(services: Services) -> None:
    """Exit with one line and code 2 unless the store was migrated and is at the code's
    migrations (``serve`` checks first)."""
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


def _command_options() -> dict[str, tuple[str, Any]]:
    """The running command's options, by the name of their parameter (``overdue_weeks``), as the
    option a user typed (``--overdue-weeks``) and its value; empty outside a command or if
    Typer's context cannot be had."""
    try:
        from typer._click.globals import get_current_context  # Typer's vendored click (private)
    except ImportError:  # pragma: no cover - a Typer that no longer vendors click
        return {}
    ctx = get_current_context(silent=True)
    if ctx is None or ctx.command.callback is None:
        return {}
    found: dict[str, tuple[str, Any]] = {}
    for param in ctx.command.params:
        opts = [o for o in getattr(param, "opts", []) if o.startswith("--")]
        if param.name and opts and param.param_type_name == "option":
            found[param.name] = (max(opts, key=len), ctx.params.get(param.name))
    return found


def _too_large_option(options: dict[str, tuple[str, Any]]) -> str | None:
    """The first option given a whole number beyond the stores' 64 bits (``--offset
    99999999999999999999``), which no store can take: named before the service runs, rather than
    the store's overflow without a name."""
    from pactum.common.limits import STORE_INTEGER_MAX

    for option, value in options.values():
        values = value if isinstance(value, list | tuple) else [value]
        if any(isinstance(v, int) and not isinstance(v, bool) and abs(v) > STORE_INTEGER_MAX for v in values):
            return option
    return None


#: Said after a refusal of the local operator (the CLI without ``PACTUM_CLI_USER``), which holds
#: every role but belongs to no authority's users: the refusal is one of scope.
CLI_USER_HINT = "PACTUM_CLI_USER is not set, so the command acts as the local operator: set it to a user's name"


def forbidden_line(exc: Forbidden) -> str:
    """A service's refusal of rights as one line; when the CLI acts as the local operator, the line
    also names ``PACTUM_CLI_USER``, the variable a script most likely forgot (unless the refusal
    already names it, :data:`pactum.services.auth.LOCAL_OPERATOR_REFUSAL`)."""
    line = str(exc) or "Forbidden"
    if os.environ.get("PACTUM_CLI_USER", "") or "PACTUM_CLI_USER" in line:
        return line
    return f"{line} ({CLI_USER_HINT})"


def run_command(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a service and turn a domain error into one line and exit code 2: a refusal of the
    service, a value the store's column cannot hold, or a whole number beyond the stores' 64 bits
    that reached the driver (``OverflowError``: "Python int too large to convert to SQLite
    INTEGER"). Anything else is a fault of Pactum's, which :func:`pactum.cli.main.main` reports
    in one line with exit code 1."""
    from pydantic import ValidationError

    options = _command_options()
    too_large = _too_large_option(options)
    if too_large is not None:
        from pactum.common.limits import TOO_LARGE_MESSAGE

        fail(f"{too_large}: {TOO_LARGE_MESSAGE}")
    try:
        return fn(*args, **kwargs)
    except ValidationProblem as exc:
        fail("; ".join(f"{options[field][0] if field in options else field}: {message}"
                       for field, message in exc.problems) or str(exc))
    except Forbidden as exc:
        fail(forbidden_line(exc))
    except (NotFound, Conflict, PactumError) as exc:
        fail(str(exc) or type(exc).__name__)
    except ValidationError as exc:
        fail(validation_line(exc))
    except OverflowError:
        from pactum.common.limits import TOO_LARGE_MESSAGE

        fail(f"a number given is beyond what the store holds: each {TOO_LARGE_MESSAGE}")
    except Exception as exc:
        from sqlalchemy.exc import DataError, StatementError

        if isinstance(exc, DataError):  # a value the store's column cannot hold
            fail(f"the store refused a value: {str(exc.orig).strip().splitlines()[0]}")
        if isinstance(exc, StatementError) and isinstance(exc.orig, OverflowError):
            from pactum.common.limits import TOO_LARGE_MESSAGE

            fail(f"a number given is beyond what the store holds: each {TOO_LARGE_MESSAGE}")
        raise
