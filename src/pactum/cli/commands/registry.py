"""Registration and screening from the command line."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import typer

from pactum.cli.io import (
    cli_principal,
    cli_services,
    emit_json,
    fail,
    load_json_model,
    run_command,
)
from pactum.common.text import counted, shortened

app = typer.Typer(name="registry", help="Registration of arrivals and screening.")


@app.command("register")
def register(
    file: str = typer.Argument(..., help="JSON file with the arrival (the API's schema), or -"),
    idempotency_key: str = typer.Option("", help="Same key twice registers once"),
) -> None:
    """Register an arrival; prints the same JSON as POST /api/v1/registry/arrivals. For an officer
    who holds the search roles the record is then compared at once (the multiple-identity links
    are written, as the registration page writes them): its candidates worth a look and links are
    listed briefly on standard error."""
    from pactum.registry.model import RegisterArrival
    from pactum.services import identity, registry

    data = load_json_model(RegisterArrival, file)
    services = cli_services()
    principal = cli_principal(services)
    result = run_command(registry.register_arrival, services, principal, data, idempotency_key or None)
    emit_json(result)
    if principal.has(*identity.SEARCH_ROLES):
        candidates = run_command(identity.comparison.compare_registered, services, principal,
                                 result.identity_record_id, channel="cli")
        for line in comparison_lines(result.identity_record_id, candidates):
            typer.echo(line, err=True)


def comparison_lines(record_id: str, candidates: list[dict[str, Any]] | None) -> list[str]:
    """The comparison of a record just registered, briefly: one line with what it found, then one
    per candidate worth a look (a match probability from the disclosure floor, or a link). None:
    the record was compared already (the same idempotency key again, or the job was first)."""
    from pactum.services import identity

    if candidates is None:
        return [f"identity comparison of {record_id}: already made; "
                f"`pactum identity comparison {record_id}` shows its outcome"]
    shown = [c for c in candidates if identity.listed(c)]
    links = [c for c in candidates if c.get("link")]
    lines = [f"identity comparison of {record_id}: {counted(len(candidates), 'candidate')}, {counted(len(links), 'link')}"
             + (f"; {len(candidates) - len(shown)} below {identity.DISCLOSURE_FLOOR:g} not listed"
                if len(shown) < len(candidates) else "")]
    for c in shown:
        r = c.get("record") or {}
        name = " ".join(str(x) for x in (r.get("given_names"), r.get("surname")) if x) or "-"
        bio = f" biometric {c['biometric_score']:.3f}" if c.get("biometric_score") is not None else ""
        link = c.get("link")
        linked = f", link {link['id']} {link['colour']} {link['status']}" if link else ""
        lines.append(f"  {c['identity_record_id']} {c['member_state']} {c['component']}: {name}, "
                     f"born {r.get('date_of_birth') or 'unknown'}; probability {c['match_probability']:.4f}"
                     f"{bio}{linked}")
    return lines


def _moment_option(value: str, example: str) -> datetime:
    """The moment typed as ``--at`` (ISO 8601, ``Z`` for UTC), or exit 2 with one line naming it."""
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        fail(f"--at: '{shortened(value)}' is not a date and time ({example})")


@app.command("capture")
def capture(
    record_id: str = typer.Argument(..., help="The identity record registered without a capture time"),
    template_ref: str = typer.Option(..., "--template-ref", help="The reference of the biometric template"),
    captured_at: str = typer.Option(..., "--at", help="When the biometric data were taken, ISO 8601 "
                                              "(2026-11-27T12:00:00Z; without an offset: UTC)"),
) -> None:
    """Record the biometric capture of one of your state's registrations stored in Eurodac that was
    registered without a capture time; prints the same JSON as POST
    /api/v1/registry/records/{id}/capture. Its transmission can then be recorded (`pactum registry
    transmission`); the 72 hours to transmit still run from the encounter (Regulation (EU)
    2024/1358, Articles 15(1)(a), 22(2), 23(2), 24(2))."""
    moment = _moment_option(captured_at, "2026-11-27T12:00:00Z")
    from pactum.services import registry

    services = cli_services()
    result = run_command(registry.record_capture, services, cli_principal(services), record_id,
                         template_ref=template_ref, captured_at=moment)
    emit_json(result)
    typer.echo(f"capture of {record_id} recorded: transmit to Eurodac by "
               f"{result['transmission_deadline'].isoformat() if result['transmission_deadline'] else '(no limit)'}",
               err=True)


@app.command("transmission")
def transmission(
    record_id: str = typer.Argument(..., help="The identity record whose biometric data were transmitted"),
    at: str = typer.Option(..., "--at", help="When they were transmitted to Eurodac, ISO 8601 "
                                              "(2026-11-22T10:00:00Z; without an offset: UTC)"),
) -> None:
    """Record when the biometric data of one of your state's registrations were transmitted to
    Eurodac, where the registration did not say; prints the same JSON as POST
    /api/v1/registry/records/{id}/transmission (the storage period runs from the transmission,
    Regulation (EU) 2024/1358, Article 29: the new end of it, and whether the 72 hours were met)."""
    moment = _moment_option(at, "2026-11-22T10:00:00Z")
    from pactum.services import registry

    services = cli_services()
    result = run_command(registry.record_transmission, services, cli_principal(services), record_id,
                         transmitted_at=moment)
    emit_json(result)
    typer.echo(f"transmission of {record_id} recorded: kept in Eurodac until {result['retention_until']}", err=True)


@app.command("correct")
def correct(
    record_id: str = typer.Argument(..., help="The identity record to correct (one of your state's)"),
    reason: str = typer.Option(..., help="Why the identity data are corrected (required)"),
    surname: str | None = typer.Option(None, help="Surname as written (\"\" clears a field)"),
    given_names: str | None = typer.Option(None, help="Given names as written"),
    surname_latin: str | None = typer.Option(None, help="Surname in Latin script (left out: follows the "
                                                         "surname as written where the record had no other)"),
    given_names_latin: str | None = typer.Option(None, help="Given names in Latin script"),
    father_name: str | None = typer.Option(None, help="Father's name"),
    sex: str | None = typer.Option(None, help="M, F or X"),
    date_of_birth: str | None = typer.Option(None, help="YYYY, YYYY-MM or YYYY-MM-DD"),
    place_of_birth: str | None = typer.Option(None, help="Place of birth"),
    nationality: str | None = typer.Option(None, help="ISO alpha-3 of a third country; XXA stateless"),
    document_type: str | None = typer.Option(None, help="Type of the record's identity document (passport, ...)"),
    document_number: str | None = typer.Option(None, help="Number of the record's identity document"),
    document_country: str | None = typer.Option(None, help="Issuing country of the document, ISO alpha-3"),
    document_expiry: str | None = typer.Option(None, help="Expiry of the document, YYYY-MM-DD"),
    version: int | None = typer.Option(None, help="The record's version you corrected (refused if it changed)"),
    also: list[str] | None = typer.Option(None, "--also", help="Another record of the same person and state to "
                                          "correct with it, the same way (repeatable): an applicant's copy"),
) -> None:
    """Correct the identity data of one of your state's records (rectification), as a caseworker
    of its state; prints the same JSON as POST /api/v1/registry/records/{id}/corrections. Each
    option given is the field's new value ("" clears it); those left out stay. --also RECORD_ID
    (repeatable) corrects the person's other record of your state with it, all or none (each
    listed must change). The records are then compared again: what changed, and their candidates
    worth a look and links, are listed briefly on standard error, with your state's SIS return
    alerts corrected with them and another state's alerts on the person, which that state corrects."""

    given = {"surname": surname, "given_names": given_names, "surname_latin": surname_latin,
             "given_names_latin": given_names_latin, "father_name": father_name, "sex": sex,
             "date_of_birth": date_of_birth, "place_of_birth": place_of_birth, "nationality": nationality,
             "document_type": document_type, "document_number": document_number,
             "document_country": document_country, "document_expiry": document_expiry}
    changes = {k: (v if v.strip() else None) for k, v in given.items() if v is not None}
    services = cli_services()
    result = run_command(_correct, services, cli_principal(services), record_id, changes, reason, version,
                         also or [])
    emit_json(result)
    for one in [result, *result["also_corrected"]]:
        rid = one["record"]["id"]
        together = f" (with {record_id})" if rid != record_id else ""
        typer.echo(f"corrected {rid}{together}: {', '.join(f.replace('_', ' ') for f in one['changed'])} changed",
                   err=True)
        for warning in one["warnings"]:
            typer.echo(f"warning: {warning}", err=True)
        for line in comparison_lines(rid, one["comparison"]["candidates"]):
            typer.echo(line, err=True)
    # the state's SIS return alerts entered from the records follow them; another state's are its own
    for alert in result.get("alerts_corrected", []):
        told = "".join(f"; {h['executing_member_state']} told on hit {h['hit_id']}, the hit stays as recorded"
                       for h in alert["hits_informed"])
        typer.echo(f"corrected SIS return alert {alert['alert_id']} (decision {alert['decision_reference']}) with "
                   f"{alert['identity_record_id']}: {', '.join(alert['changed_words'])}{told}", err=True)
    for other in result.get("other_states_alerts", []):
        typer.echo(f"note: {other['what_to_do']}", err=True)


def _correct(services: Any, principal: Any, record_id: str, changes: dict[str, Any], reason: str,
             version: int | None, also: list[str]) -> dict[str, Any]:
    """``record_corrections.correct_record`` with its problems named by the command's options
    (``changes.date_of_birth`` is ``--date-of-birth``, ``also_records[1]`` is ``--also``)."""
    from pactum.common.errors import ValidationProblem
    from pactum.services import record_corrections

    try:
        return record_corrections.correct_record(services, principal, record_id, changes, reason, version=version,
                                                 also_records=also, channel="cli")
    except ValidationProblem as exc:
        raise ValidationProblem([("also" if f.startswith("also_records") else f.removeprefix("changes."), m)
                                 for f, m in exc.problems]) from exc


@app.command("erase-eurodac")
def erase_eurodac(
    eurodac_record_id: str = typer.Argument(..., help="The Eurodac record recorded in error (one of your state's)"),
    reason: str = typer.Option(..., help="Why it was recorded in error (required): data factually inaccurate or "
                                         "recorded unlawfully"),
) -> None:
    """Erase one of your state's Eurodac records recorded in error, before its storage period ends, as
    a caseworker of the Member State of origin (Regulation (EU) 2024/1358, Article 40(3), 40(5) and
    43(4)); prints the same JSON as POST /api/v1/registry/eurodac/{id}/erase. The record is kept,
    marked erased; its biometric templates are deleted and other states' comparisons no longer find
    it. Your state confirms the erasure in writing to the person (Article 43(4)): Pactum sends
    nothing. Cannot be undone."""
    from pactum.services import registry

    services = cli_services()
    result = run_command(registry.erase_record_in_error, services, cli_principal(services), eurodac_record_id,
                         reason=reason, channel="cli")
    emit_json(result)
    typer.echo(f"Eurodac record {result['id']} erased (recorded in error): "
               f"{counted(result['templates_deleted'], 'biometric template')} deleted; "
               f"{result['member_state']} confirms the erasure in writing to the person (Article 43(4))", err=True)


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
                       date_of_birth=date_of_birth, limit=limit, offset=offset, channel="cli")
    emit_json(page["rows"])
    shown = len(page["rows"])
    if offset or shown < page["total"]:
        more = (f"; narrow the search or see the next with --offset {offset + limit}"
                if offset + shown < page["total"] else "")
        typer.echo(f"{counted(page['total'], 'record', grouped=True)} of {counted(page['persons'], 'person', grouped=True)} "
                   f"{'matches' if page['total'] == 1 else 'match'}: "
                   f"{shown:,} printed from offset {offset:,}{more}", err=True)


@app.command("person")
def person(person_id: str) -> None:
    """One person of the state's: identity records, encounters, screenings, candidates; the same JSON
    as GET /api/v1/registry/persons/{person_id}."""
    from pactum.services import registry

    services = cli_services()
    emit_json(run_command(registry.person_view, services, cli_principal(services), person_id, channel="cli"))


@app.command("screenings-due")
def screenings_due() -> None:
    """The state's screenings still open, by deadline; the same JSON as GET /api/v1/registry/screenings/due."""
    from pactum.services import registry

    services = cli_services()
    emit_json(run_command(registry.screenings_due, services, cli_principal(services), limit=200))
