"""Platform commands: database, users, audit, jobs, retention, serving."""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import Any

import typer

from pactum.cli.io import (
    cli_principal,
    cli_services,
    emit_json,
    fail,
    more_than_shown,
    require_schema,
    run_command,
)
from pactum.common.text import counted

db = typer.Typer(name="db", help="The store: migrations.")
users_app = typer.Typer(name="users", help="User accounts.")
audit_app = typer.Typer(name="audit", help="The hash-chained audit log.")
jobs_app = typer.Typer(name="jobs", help="Scheduled jobs: deadline sweeps and expiry notices.")
retention_app = typer.Typer(name="retention", help="Eurodac retention: erase data past their period (Regulation 2024/1358, Article 29).")


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration (all area branches) to the configured store."""
    from pactum.store.migrate import current_heads, upgrade

    services = cli_services(create=True)
    upgrade(services.engine)
    typer.echo(f"store at {services.engine.url.render_as_string(hide_password=True)}: "
               f"{', '.join(sorted(current_heads(services.engine)))}")


@db.command("status")
def db_status() -> None:
    """Whether the store is at the code's migrations: the heads applied to it and the code's; the
    area branches still to upgrade (`pactum db upgrade` applies them)."""
    from pactum.store.migrate import current_heads, pending_heads, script_heads

    services = cli_services()
    applied, code = current_heads(services.engine), script_heads()
    pending = pending_heads(services.engine, code)  # a head another area's migration depends on is reached
    emit_json({"store": services.engine.url.render_as_string(hide_password=True),
               "applied": sorted(applied), "code": sorted(code), "to_upgrade": sorted(pending),
               "up_to_date": not pending})


@users_app.command("create")
def users_create(
    username: str = typer.Argument(...),
    authority: str = typer.Option(..., help="A state code (IT) or EU body (COM, EUAA, FRONTEX, EU-LISA)"),
    role: list[str] = typer.Option(..., "--role", help="Repeat for several roles"),
    full_name: str = typer.Option("", help="Display name"),
    password: str | None = typer.Option(
        None, "--password", show_default=False,
        help="The password; asked for (twice, hidden) when not given and standard input is a terminal"),
) -> None:
    """Create a user, as PACTUM_CLI_USER (an administrator creates users of their own authority),
    or as the local operator when it is empty."""
    from pydantic import ValidationError

    from pactum.cli.io import validation_line
    from pactum.services import users

    if password is None:
        if not sys.stdin.isatty():  # a script or a pipe: nobody to ask
            fail("--password: give the password with --password (standard input is not a terminal, "
                 "so it cannot be asked for)")
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    services = cli_services()
    try:
        data = users.UserCreate(username=username, full_name=full_name or username,
                                authority=authority, roles=role, password=password)  # type: ignore[arg-type]
    except ValidationError as exc:
        fail(validation_line(exc))
    emit_json(run_command(users.create_user, services, cli_principal(services), data))


@users_app.command("list")
def users_list(
    authority: str | None = typer.Option(None, "--authority", help="Only this authority's users (such as IT)"),
    limit: int = typer.Option(200, "--limit", help="Users on the page, 1 to 1000"),
    offset: int = typer.Option(0, "--offset", help="Users of the list to skip (the next page: offset + limit)"),
) -> None:
    """The users an administrator manages: their own authority's (every user for EU-LISA), by
    authority and user name, as GET /api/v1/users. When the list holds more than are printed, a
    line on standard error says how many and how to see the rest."""
    from pactum.services import users

    services = cli_services()
    page = run_command(users.users_page, services, cli_principal(services), authority=authority, limit=limit,
                       offset=offset)
    emit_json(page["users"])
    more_than_shown(page["total"], len(page["users"]), offset, limit, "users", "user")


@users_app.command("update")
def users_update(
    username: str = typer.Argument(...),
    role: list[str] | None = typer.Option(None, "--role", help="The user's roles, all of them; repeat for several"),
    full_name: str | None = typer.Option(None, help="Display name"),
    active: bool | None = typer.Option(None, "--active/--inactive", help="Reactivate or deactivate the account"),
    password: str | None = typer.Option(None, "--password", show_default=False, help="A new password"),
) -> None:
    """Change a user's roles, name or password, or deactivate the account, as the user
    administration page does (audited; a deactivated user's or a changed password's sessions end)."""
    from pydantic import ValidationError

    from pactum.cli.io import validation_line
    from pactum.services import users

    if not role and full_name is None and active is None and password is None:
        fail("give what changes: --role, --full-name, --active or --inactive, --password")
    services = cli_services()
    principal = cli_principal(services)
    user = run_command(users.user_by_username, services, principal, username)
    try:
        data = users.UserUpdate(version=user.version, full_name=full_name, roles=role or None,  # type: ignore[arg-type]
                                active=active, password=password)
    except ValidationError as exc:
        fail(validation_line(exc))
    emit_json(run_command(users.update_user, services, principal, user.id, data))


@users_app.command("password")
def users_password(
    current_password: str | None = typer.Option(
        None, "--current-password", show_default=False,
        help="Your current password; asked for (hidden) when not given and standard input is a terminal"),
    new_password: str | None = typer.Option(
        None, "--new-password", show_default=False,
        help="The new password (8 to 200 characters); asked for (twice, hidden) likewise"),
) -> None:
    """Change your own password (the user PACTUM_CLI_USER names), giving the current one, as
    POST /api/v1/auth/password and the web page /account do: your sessions and API tokens end
    (audited as user.password_changed)."""
    from pactum.services import users
    from pactum.services.auth import SYSTEM

    services = cli_services()
    principal = cli_principal(services)
    if principal is SYSTEM:
        fail("PACTUM_CLI_USER: name the user whose password changes (the local operator has none); "
             "an administrator sets another user's with `pactum users update USERNAME --password`")
    for given, option in ((current_password, "--current-password"), (new_password, "--new-password")):
        if given is None and not sys.stdin.isatty():
            fail(f"{option}: give it (standard input is not a terminal, so it cannot be asked for)")
    if current_password is None:
        current_password = typer.prompt("Current password", hide_input=True)
    if new_password is None:
        new_password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    run_command(users.change_own_password, services, principal, current_password, new_password)
    typer.echo(f"password of {principal.username} changed; their sessions and API tokens have ended")


@audit_app.command("list")
def audit_list(
    entity_id: str | None = typer.Option(
        None, help="Only the entries about this record; a person's id (per_…): the person's and those of each "
                   "of their records (identity records, cases, return decisions, alerts)"),
    person_name: str | None = typer.Option(
        None, help="Only the entries of the persons whose records hold every word of this name (within your "
                   "reach), and of each of their records; the persons matched are said on standard error"),
    actor: str | None = typer.Option(None, help="Only this user's entries (a username)"),
    action: str | None = typer.Option(None, help="An action (arrival.registered), or an area's with a final dot (returns.)"),
    since: str | None = typer.Option(None, help="From this day (UTC, YYYY-MM-DD), included"),
    until: str | None = typer.Option(None, help="To this day (UTC, YYYY-MM-DD), included"),
    before_seq: int | None = typer.Option(None, help="Entries before this sequence number (the next page back)"),
    limit: int | None = typer.Option(
        None, min=1, max=1000, show_default=False,
        help="How many of the latest entries (default: 100 as JSON; every entry selected as CSV)"),
    fmt: str = typer.Option("json", "--format", help="json, or csv (the file of GET /api/v1/audit.csv)"),
) -> None:
    """The latest audit entries, newest first (auditors and administrators; a state's see their own
    authority's); the same JSON as GET /api/v1/audit, or with --format csv the same CSV as
    GET /api/v1/audit.csv (every entry the filters select unless --limit is given)."""
    from pactum.services import audit as audit_service

    if fmt not in ("json", "csv"):
        fail(f"--format: {fmt!r} is not json or csv")
    services = cli_services()
    principal = cli_principal(services)
    filters = {"entity_id": entity_id, "actor": actor, "action": action, "since": _day("since", since),
               "until": _day("until", until), "before_seq": before_seq,
               "person_ids": _persons_named(services, principal, person_name)}
    if fmt == "csv" and limit is None:
        entries = run_command(audit_service.all_entries, services, principal, **filters)
    else:
        entries = run_command(audit_service.recent_entries, services, principal, **filters, limit=limit or 100)
    if fmt == "csv":
        for line in audit_service.csv_lines(entries):
            sys.stdout.write(line)
        return
    emit_json([audit_service.canonical(e) for e in entries])


def _persons_named(services: Any, principal: Any, person_name: str | None) -> list[str] | None:
    """The ids of the persons ``--person-name`` matches (``None``: no name given), said on standard
    error as one line."""
    from pactum.services import audit as audit_service

    if person_name is None or not person_name.strip():
        return None
    named = run_command(audit_service.persons_named, services, principal, person_name, channel="cli")
    typer.echo(f"the name matched {counted(len(named), 'person', 'persons')}" + (": " + ", ".join(
        f"{p['person_id']} ({p['surname']}, {p['given_names']}, {p['member_state']})" for p in named) if named else ""),
        err=True)
    return [p["person_id"] for p in named]


@audit_app.command("reads")
def audit_reads(
    person_id: str | None = typer.Option(None, help="Only the reads of this person (per_…)"),
    person_name: str | None = typer.Option(
        None, help="Only the reads of the persons whose records hold every word of this name (within your reach); "
                   "the persons matched are said on standard error"),
    actor: str | None = typer.Option(None, help="Only the reads by this user (a username)"),
    since: str | None = typer.Option(None, help="From this day (UTC, YYYY-MM-DD), included"),
    until: str | None = typer.Option(None, help="To this day (UTC, YYYY-MM-DD), included"),
    limit: int = typer.Option(100, "--limit", help="Reads on the page, 1 to 1000"),
    offset: int = typer.Option(0, "--offset", help="Reads of the list to skip (the next page: offset + limit)"),
) -> None:
    """Who read a person's personal data, newest first (auditors and administrators; a state's see
    the reads of its own officers and of its own persons): the same JSON as
    GET /api/v1/audit/reads. When the list holds more than are printed, a line on standard error
    says how many and how to see the rest."""
    from pactum.services import audit as audit_service
    from pactum.services import reads

    services = cli_services()
    principal = cli_principal(services)
    days = {"since": _day("since", since), "until": _day("until", until)}
    named = _persons_named(services, principal, person_name)
    page = run_command(reads.reads_page, services, principal, person_id=person_id, person_ids=named, actor=actor,
                       limit=limit, offset=offset, **days)
    emit_json([audit_service.canonical(r) for r in page["reads"]])
    more_than_shown(page["total"], len(page["reads"]), offset, limit, "reads", "read")


def _day(option: str, value: str | None) -> date | None:
    """A day given as YYYY-MM-DD; one line and exit code 2 otherwise."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--{option}: {value!r} is not a day YYYY-MM-DD")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the hash chain; exit 1 and name the first altered or removed entry if it is broken."""
    from pactum.services.audit import verify_store

    result = verify_store(cli_services())
    if result.ok:
        typer.echo(f"audit log intact: {counted(result.entries, 'entry', 'entries')} verified")
        return
    typer.echo(f"audit log BROKEN: {result.problem}", err=True)
    raise typer.Exit(code=1)


@jobs_app.command("run")
def jobs_run(only: str = typer.Option("", help="Run only this job")) -> None:
    """Run every registered job once, for now."""
    from pactum.services.jobs import load_all

    services = cli_services()
    jobs = load_all()
    if only and only not in jobs:
        fail(f"no job '{only}'; jobs: {', '.join(jobs)}")
    for name, job in jobs.items():
        if only and name != only:
            continue
        summary = job.fn(services, services.clock.now())
        typer.echo(f"{name}: {summary}")


@jobs_app.command("list")
def jobs_list() -> None:
    """List the registered jobs."""
    from pactum.services.jobs import load_all

    for name, job in load_all().items():
        typer.echo(f"{name}\t{job.description}")


@retention_app.command("apply")
def retention_apply(on: str = typer.Option("", help="Erase what is past retention on this date (default today)")) -> None:
    """Erase Eurodac data past its retention period; every erasure is audited."""
    from datetime import date

    from pactum.services import registry

    services = cli_services()
    try:
        day = date.fromisoformat(on) if on else services.clock.today()
    except ValueError:
        fail(f"--on: '{on}' is not a date (YYYY-MM-DD)")
    emit_json(run_command(registry.apply_retention, services, cli_principal(services), on=day))


def _serve_host_problem(host: str, port: int) -> str | None:
    """Why ``host`` cannot be served on (a name that does not resolve), else None."""
    import socket

    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return f"--host: cannot resolve '{host}': {reason}"
    return None


def serve(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000, min=1, max=65535),
    workers: int = typer.Option(1, min=1, help="Worker processes"),
    threads: int = typer.Option(
        8, min=1, max=200,
        help="Requests each worker handles at once (its thread pool for the store's work; on "
             "PostgreSQL also its connections for the registrations it answers on its event loop)"),
    log_level: str = typer.Option("warning", help="uvicorn log level"),
) -> None:
    """Serve the web UI and the API."""
    import uvicorn
    from uvicorn.config import LOG_LEVELS

    # everything the server would refuse only once started is refused first, in one line
    if log_level.lower() not in LOG_LEVELS:
        fail(f"--log-level: '{log_level}' is not one of {', '.join(LOG_LEVELS)}")
    problem = _serve_host_problem(host, port)
    if problem is not None:
        fail(problem)
    require_schema(cli_services())  # every page would answer 500 on an empty store

    typer.echo(f"Pactum on http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    os.environ.setdefault("PACTUM_SERVE", "1")
    os.environ["PACTUM_SERVE_THREADS"] = str(threads)
    # workers import every area (linkage, forecasting): give them time before the health check
    uvicorn.run("pactum.api.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level=log_level.lower(), timeout_worker_healthcheck=120)


GROUPS = [db, users_app, audit_app, jobs_app, retention_app]
COMMANDS = [serve]
