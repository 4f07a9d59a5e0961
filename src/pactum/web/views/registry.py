"""Registration of arrivals, the screening form, person view and search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from pactum.api.deps import get_services
from pactum.common.clock import as_utc
from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.common.routes import route_names
from pactum.common.text import shortened
from pactum.identity.comparisons import level_words
from pactum.identity.components import DISCLOSURE_FLOOR
from pactum.registry import rules
from pactum.registry.local_time import MAINLAND_WORDS, REGIONS, local_today, state_today, zone_name
from pactum.registry.model import (
    CORRECTABLE_FIELDS,
    EncounterKind,
    RegisterArrival,
    ScreeningForm,
    ScreeningOutcome,
)
from pactum.registry.rules import ENCOUNTER_KIND_WORDS
from pactum.services import identity as identity_service
from pactum.services import reception_conditions, record_corrections, registry, responsibility
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.web.forms import refused_form_page, whole_number
from pactum.web.render import (
    TEMPLATES,
    NavItem,
    Problem,
    field_problems,
    problems,
    render,
    web_principal,
    words,
)

router = APIRouter()
NAV = [
    NavItem("Register", "/registry/register", set(registry.WRITE_ROLES), order=10),
    NavItem("Search", "/registry/search", {Role.caseworker, Role.dublin_unit,
                                           Role.return_officer, Role.admin}, order=11,
            sections=("/registry/persons/", "/registry/screenings/")),
]



# an encounter's kind in words on the registry's pages ("SAR disembarkation", as its category is said)
TEMPLATES.env.filters["encounter_kind"] = lambda kind: ENCOUNTER_KIND_WORDS.get(str(kind), words(kind))

#: Candidates scored below this match probability, and without a link, are counted but not listed.
CANDIDATE_FLOOR = DISCLOSURE_FLOOR


def _blank(v: Any) -> Any:
    return None if v in ("", None) else v


#: The document type the form shows before the officer chooses one (not a document given).
_DEFAULT_DOCUMENT_TYPE = "passport"


def _document_parts_given(form: Any) -> list[str]:
    """The parts of the identity document the officer gave besides its number, as the form labels
    them: its issuing country, its expiry, a type other than the one preselected."""
    given = []
    kind = form.get("document_type") or _DEFAULT_DOCUMENT_TYPE
    if kind != _DEFAULT_DOCUMENT_TYPE:
        given.append(f"type ({words(kind)})")
    if (form.get("document_country") or "").strip():
        given.append("issuing country")
    if (form.get("document_expiry") or "").strip():
        given.append("expiry")
    return given


def _document_without_number(form: Any) -> bool:
    """Whether the officer gave some of the identity document (:func:`_document_parts_given`) but
    no number: the document is then refused, naming the number, rather than dropped with what was
    typed (the API refuses a document without a number alike: ``identity.documents.0.number`` is
    required)."""
    return not (form.get("document_number") or "").strip() and bool(_document_parts_given(form))


def _form_to_command(form: Any, principal: Principal) -> RegisterArrival:
    doc_number = _blank(form.get("document_number"))
    documents = []
    if doc_number or _document_without_number(form):
        # without a number the command is refused (the number is required): nothing typed is lost
        documents.append({"type": form.get("document_type") or _DEFAULT_DOCUMENT_TYPE, "number": doc_number or "",
                          "country": form.get("document_country") or form.get("nationality"),
                          "expiry": _blank(form.get("document_expiry"))})
    captured = _blank(form.get("captured_at"))
    return RegisterArrival.model_validate({
        "identity": {
            "given_names": _blank(form.get("given_names")), "surname": _blank(form.get("surname")),
            "given_names_latin": _blank(form.get("given_names_latin")),
            "surname_latin": _blank(form.get("surname_latin")),
            "father_name": _blank(form.get("father_name")), "sex": _blank(form.get("sex")),
            "date_of_birth": _blank(form.get("date_of_birth")),
            "place_of_birth": _blank(form.get("place_of_birth")),
            "nationality": form.get("nationality") or "", "documents": documents,
        },
        "encounter": {
            "member_state": principal.member_state or "", "kind": form.get("kind"),
            "occurred_at": form.get("occurred_at"), "place": _blank(form.get("place")),
            "border_section": _blank(form.get("border_section")), "route": _blank(form.get("route")),
            "region": _blank(form.get("region")),
        },
        "biometrics": {"captured_at": captured, "template_ref": _blank(form.get("template_ref")),
                       "transmitted_at": _blank(form.get("transmitted_at"))},
        "held_over_72h": form.get("held_over_72h") == "on",
    })


#: The registration form's fields as its labels name them, for the refusal messages (the command's
#: paths, such as ``identity.documents.0.country``, mean nothing to the officer).
_FIELD_LABELS = {
    "identity": "Name", "identity.surname": "Surname", "identity.given_names": "Given names",
    "identity.surname_latin": "Surname in Latin script",
    "identity.given_names_latin": "Given names in Latin script", "identity.father_name": "Father's name",
    "identity.sex": "Sex", "identity.date_of_birth": "Date of birth",
    "identity.place_of_birth": "Place of birth", "identity.nationality": "Nationality",
    "identity.documents.0.type": "Document type", "identity.documents.0.number": "Document number",
    "identity.documents.0.country": "Document issuing country",
    "identity.documents.0.expiry": "Document expiry", "encounter.kind": "Encounter kind",
    "encounter.occurred_at": "Encounter when", "encounter.place": "Place",
    "encounter.border_section": "Border section", "encounter.route": "Route",
    "encounter.region": "Where (its clock)", "encounter.time_zone": "Where (its clock)",
    "biometrics.template_ref": "Template reference", "biometrics.captured_at": "Captured at",
    "biometrics.transmitted_at": "Transmitted at", "held_over_72h": "Held at the external border over 72 hours",
}


def _plain_problems(problem: Exception, form: Any) -> list[tuple[str, str]]:
    """The refusal as the form's labels say it: ``Nationality: 'SYX' is not …`` rather than
    ``identity.nationality: Value error, 'SYX' is not …`` (each with the field's path, which the
    page keeps in a ``data-field`` attribute); the document's issuing country left blank takes the
    nationality, so its copy of the nationality's refusal is not said twice."""
    out: list[tuple[str, str]] = []
    for line in problems(problem):
        # the field as the command names it (a field of one part, ``identity``, is otherwise said
        # by its label already: "Identity")
        field = getattr(line, "field", "")
        _label, sep, message = line.partition(": ")
        if not sep or not field:
            out.append(("", line))
            continue
        if field == "identity.documents.0.country" and not _blank(form.get("document_country")):
            continue
        if field == "identity.documents.0.number" and _document_without_number(form):
            given = _document_parts_given(form)
            said = given[0] if len(given) == 1 else f"{', '.join(given[:-1])} and {given[-1]}"
            message = (f"required to record the document (its {said} {'is' if len(given) == 1 else 'are'} "
                       "given): give its number, or clear the document's other fields")
        out.append((field, f"{_FIELD_LABELS.get(field, _label)}: {message}"))
    return out


#: The registration form's fields by the command's paths (a form refused before its view runs, for
#: the NUL character, names the form's own fields).
_FORM_FIELD_PATHS = {
    **{f: f"identity.{f}" for f in ("surname", "given_names", "surname_latin", "given_names_latin", "father_name",
                                    "sex", "date_of_birth", "place_of_birth", "nationality")},
    **{f"document_{p}": f"identity.documents.0.{p}" for p in ("type", "number", "country", "expiry")},
    **{f: f"encounter.{f}" for f in ("kind", "occurred_at", "place", "border_section", "route", "region")},
    **{f: f"biometrics.{f}" for f in ("template_ref", "captured_at", "transmitted_at")},
}


def _refused_fields(errors: list[tuple[str, str]]) -> dict[str, list[str]]:
    """The summary's lines by the form field they are about, said beside that field and describing
    it (``aria-invalid``, ``aria-describedby``): a problem of the name as a whole (neither surname
    nor given names) is said beside both."""
    out: dict[str, list[str]] = {}
    for field, line in errors:
        path = _FORM_FIELD_PATHS.get(field, field)
        for name in (("identity.surname", "identity.given_names") if path == "identity" else (path,)):
            if name:
                out.setdefault(name, []).append(line)
    return out


def clock_choices(member_state: str | None) -> list[tuple[str, str]]:
    """Where an encounter of ``member_state`` happened, as the registration form offers it when the
    state keeps more than one clock: ``("", the capital's territory and zone)``, then each region
    (``("ES-CN", "Canary Islands (Atlantic/Canary)")``); empty for a state with one clock."""
    regions = REGIONS.get(member_state or "", ())
    if not member_state or not regions:
        return []
    return [("", f"{MAINLAND_WORDS.get(member_state, member_state)} ({zone_name(member_state)})"),
            *((r.code, f"{r.name} ({r.zone})") for r in regions)]


def _form_page(request: Request, principal: Principal, *, values: dict[str, Any] | None = None,
               errors: list[tuple[str, str]] | None = None, status_code: int = 200) -> Response:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M")
    return render(request, "registry/register.html", {
        "values": values or {"occurred_at": now}, "errors": errors or [], "kinds": list(EncounterKind),
        "routes": route_names(), "by_field": _refused_fields(errors or []),
        "clocks": clock_choices(principal.member_state),
    }, principal=principal, status_code=status_code)


@router.get("/registry/register")
def register_form(request: Request, principal: Principal = Depends(web_principal)) -> Response:
    return _form_page(request, principal)


def _register_refused(request: Request, services: Services, principal: Principal, form: Any,
                      problem: Exception) -> Response:
    """The registration form again with what was typed and why it was refused."""
    return _form_page(request, principal, values={k: form.get(k) for k in form},
                      errors=_plain_problems(problem, form), status_code=422)


@router.post("/registry/register")
@refused_form_page(_register_refused)
async def register(request: Request, services: Services = Depends(get_services),
                   principal: Principal = Depends(web_principal)) -> Response:
    form = await request.form()
    try:
        command = _form_to_command(form, principal)
        result = registry.register_arrival(services, principal, command)
    except (ValidationError, ValidationProblem) as exc:
        return _register_refused(request, services, principal, form, exc)
    if principal.has(*identity_service.SEARCH_ROLES):
        # the registration transmits the record; the comparison runs with it, as Eurodac compares on
        # transmission: the links it makes are on the page the officer lands on, logged once. It
        # takes the record's pending comparison, so the ``identity_comparison`` job does not run it
        # again (nor this page one the job has run)
        identity_service.comparison.compare_registered(services, principal, result.identity_record_id)
    return RedirectResponse(f"/registry/persons/{result.person_id}?registered={result.identity_record_id}",
                            status_code=303)


def _candidates(services: Services, principal: Principal, record_id: str) -> list[dict[str, Any]]:
    """Candidate matches for the record (the identity search; its links are written, the records
    of other states it returns are logged as disclosed and the candidates the page lists as read, in
    the same unit of work): only on the officer's "Search for matches", never on opening the page."""
    from pactum.services import identity

    with services.uow() as uow:
        result = identity.search_candidates_for_record(uow, principal, record_id, channel="web", listed_only=True)
        uow.commit()
    return result


def _links_of_person(services: Services, principal: Principal, person_id: str) -> list[dict[str, Any]]:
    """The multiple-identity links of all the person's records, as they stand (read only)."""
    from pactum.common.errors import NotFound
    from pactum.services import identity

    try:
        return identity.links_of_person(services, principal, person_id, channel="web")
    except NotFound:  # a person without a record of their own has no link
        return []


def _documents_once(view: dict[str, Any], today: date) -> list[dict[str, Any]]:
    """The person's identity documents, each once with the records it was recorded with (a person
    registered twice with one passport holds it on both records: the page listed it twice), each
    ``expired`` when its expiry is before ``today`` (the state's day)."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for d in view["documents"]:
        key = (d["document_type"], d["document_number"], d["document_country"], d["document_expiry"])
        expiry = d["document_expiry"]
        expired = expiry is not None and date.fromisoformat(str(expiry)) < today
        out.setdefault(key, {**d, "records": [], "expired": expired})["records"].append(d["identity_record_id"])
    return list(out.values())


def _transmission_overdue(biometrics: list[dict[str, Any]], now: datetime) -> set[str]:
    return {b["identity_record_id"] for b in biometrics
            if b["transmission_deadline"] and b["transmitted_at"] is None and as_utc(b["transmission_deadline"]) < now}


def _no_screening_words(encounters: list[dict[str, Any]]) -> str:
    """Why a person has no screening, as the person's page says it: the Screening Regulation did not
    apply yet (before 12 June 2026), or not where the encounter was (France's outermost regions,
    outside the Schengen area: :data:`pactum.registry.rules.SCREENING_OUTSIDE_SCHENGEN`)."""
    outside = [e for e in encounters if rules.SCREENING_OUTSIDE_SCHENGEN[0] in (e.get("outside_scope") or [])]
    if not outside:
        return "No screening (encounter before the Screening Regulation applied)."
    regions = list(dict.fromkeys(e.get("region_name") or e.get("region") or "" for e in outside))
    words = (f"No screening: the Screening Regulation does not apply in {' or '.join(regions)}, outside the "
             "Schengen area (see the encounter)")
    if len(outside) < len(encounters):
        words += "; the other encounters were before it applied"
    return words + "."


def _person_page(request: Request, services: Services, principal: Principal, person_id: str, *,
                 registered: str | None = None, corrected: str | None = None, searched: str | None = None,
                 candidates: list[dict[str, Any]] | None = None, errors: list[str] | None = None,
                 transmitted: str | None = None, transmission: dict[str, str] | None = None,
                 captured: str | None = None, capture: dict[str, str] | None = None,
                 erased: str | None = None, erasure: dict[str, str] | None = None,
                 refused: _Refused | None = None, status_code: int = 200) -> Response:
    """The person's page. Opening it reads only: the person's records, cases and the links already
    made between any of their records and others. ``searched``: the record the officer has just
    searched matches for ("Search for matches"), with its ``candidates``. ``refused``: a form of the
    page refused (:class:`_Refused`): its lines in the page's summary, each message beside its field."""
    from pactum.services import identity

    view = registry.person_view(services, principal, person_id)
    offered = _record_forms(view)
    # the officer reads the candidates worth a look: those the model gives a chance, and those
    # a link was made for (a biometric match whatever the names say): those logged as read
    shown = [c for c in candidates or [] if identity.listed(c)]
    # each link with its decision, as the authority whose record is linked may read it; only the
    # verifying authority opens the link's page (the others would find it "not found")
    decisions = registry.links_of_own_records(services, principal, [c["link"]["id"] for c in shown if c.get("link")])
    shown = [{**c, "link": {**c["link"], **decisions.get(c["link"]["id"], {})}} if c.get("link") else c
             for c in shown]
    record_ids = [r["id"] for r in view["records"]]
    chosen = next((r for r in (searched, corrected, registered) if r in record_ids),
                  record_ids[-1] if record_ids else None)
    links = _links_of_person(services, principal, person_id)
    # the corrections of the person's records (what changed, when, by whom, why: the audit's), and
    # for each link the corrections of its records made after it: its evidence compared the data
    # as they were
    corrections = view["corrections"]
    just_corrected = next((c for c in reversed(corrections) if c["identity_record_id"] == corrected), None)
    today = state_today(services.clock.now(), principal.member_state)
    return render(request, "registry/person.html", {
        **view, "documents": _documents_once(view, today), "registered": registered, "candidates": candidates, "shown": shown, "searched": searched,
        "corrections": corrections, "corrected": just_corrected,
        # a transmission to Eurodac just recorded (the record's id), or a refused one (what was typed)
        "transmitted": transmitted if transmitted in record_ids else None, "transmission": transmission or {},
        "can_record_transmission": principal.has(*registry.WRITE_ROLES),
        # a capture just recorded (the record's id), or a refused one (what was typed, field by field)
        "captured": captured if captured in record_ids else None, "capture": capture or {},
        # a Eurodac record just erased as recorded in error (its id), or the erasure refused (what was typed)
        "erased": next((d for d in view["eurodac"] if d["id"] == erased and d.get("erased_in_error")), None),
        "erasure": erasure or {},
        # the state's registry writers erase its Eurodac records recorded in error (Reg. 2024/1358 Art 40(3))
        "can_erase_eurodac": principal.has(*registry.WRITE_ROLES),
        # the records whose capture or transmission form the page offers (as the refusal reads them)
        "capture_forms": offered["capture"] if principal.has(*registry.WRITE_ROLES) else set(),
        "transmission_forms": offered["transmission"] if principal.has(*registry.WRITE_ROLES) else set(),
        # a form refused: its summary, and the messages of its fields (``record_id``: a record that has
        # no such form on the page is said where the forms are)
        "refused": refused, "problems": refused.lines if refused else [],
        "refused_heading": _RECORD_FORMS[refused.form][0] if refused else "",
        "refused_by_field": refused.by_field if refused else {},
        "made_by_correction": {lid: c for c in corrections for lid in c["links_made"]},
        "corrected_since": record_corrections.corrections_since_links(
            services, principal, links, hidden=[lk["other"]["identity_record_id"] for lk in links
                                                if lk["other"]["withheld"]]),
        "can_correct": principal.has(*record_corrections.CORRECT_ROLES),
        "search_record": chosen, "links": links,
        # today on the state's clock: a storage period ends with its last day there (retention_until)
        "errors": errors or [], "today": today,
        "now": services.clock.now(),
        "no_screening_words": _no_screening_words(view["encounters"]),
        # the records whose data were not transmitted to Eurodac within their 72 hours (from the
        # encounter: Reg. (EU) 2024/1358 Arts 15(1)(a), 22(2), 23(2), 24(2)) and still are not
        "transmission_overdue": _transmission_overdue(view["biometrics"], services.clock.now()),
        "can_search": principal.has(*identity.SEARCH_ROLES),
        "not_shown": len(candidates or []) - len(shown), "floor": CANDIDATE_FLOOR,
        "can_apply": principal.has(Role.caseworker, Role.admin),
        "can_determine": principal.has(*responsibility.CASE_RECORDERS),
        "can_return": _can_issue_return_decision(principal),
        "return_refused": _return_decision_refused(services, principal, person_id),
        "cases": _cases_of_person(services, principal, person_id), "level_words": level_words,
        "same_person_cases": _same_person_cases(services, principal, person_id),
        # whether the person's reception conditions are reduced or withdrawn (None: not the user's to read)
        "reception_conditions": reception_conditions.in_force_of_person(services, principal, person_id),
    }, principal=principal, status_code=status_code)


def _same_person_cases(services: Services, principal: Principal, person_id: str) -> list[dict[str, Any]]:
    """The asylum applications of the state's other persons that a white or red link says are this
    person (one applicant registered under two records), for an officer who reads asylum cases."""
    from pactum.services import procedures

    if not principal.has(*procedures.CASE_ROLES):
        return []
    return procedures.applications_of_linked_persons(services, principal, person_id, same_person_only=True)


@router.get("/registry/persons/{person_id}")
def person(person_id: str, request: Request, registered: str | None = None, corrected: str | None = None,
           transmitted: str | None = None, captured: str | None = None, erased: str | None = None,
           services: Services = Depends(get_services),
           principal: Principal = Depends(web_principal)) -> Response:
    return _person_page(request, services, principal, person_id, registered=registered, corrected=corrected,
                        transmitted=transmitted, captured=captured, erased=erased)


# ---------------------------------------------------------------- correcting a record's identity data


def _correction_values(row: dict[str, Any]) -> dict[str, Any]:
    """The correction form's fields from the stored record: a Latin-script name that is a copy of
    the name as written (the registration copies it when none is given apart) is left blank, so
    that it follows a corrected name as written, as on the registration form."""
    values = {f: row[f] for f in CORRECTABLE_FIELDS}
    for latin, written in (("surname_latin", "surname"), ("given_names_latin", "given_names")):
        if values[latin] == values[written]:
            values[latin] = None
    values["document_expiry"] = row["document_expiry"].isoformat() if row["document_expiry"] else None
    values["version"] = row["version"]
    return values


def _correction_changes(form: Any) -> dict[str, Any]:
    """The form's fields as the correction's changes (blank: none). The identity document is read
    as the registration form reads it: no number and nothing else of it typed (the preselected
    type aside) is no document; an issuing country left blank is the nationality."""
    changes = {f: _blank(form.get(f)) for f in CORRECTABLE_FIELDS if f in form}
    if not _blank(form.get("document_number")) and not _document_without_number(form):
        changes.update(document_type=None, document_number=None, document_country=None, document_expiry=None)
    elif not _blank(form.get("document_country")):
        changes["document_country"] = _blank(form.get("nationality"))
    return changes


def _correction_problems(problem: Exception) -> list[str]:
    """The refusal as the form's labels say it, each line a :class:`Problem` knowing its field."""
    out: list[str] = []
    for field, message in field_problems(problem):
        name = field.removeprefix("changes.")
        if name.startswith("also_records"):  # the message names the record
            out.append(Problem(message[:1].upper() + message[1:], "also_records"))
            continue
        if name in ("changes", "body", ""):
            out.append(Problem(message[:1].upper() + message[1:]))
            continue
        label = record_corrections.FIELD_WORDS.get(name, words(name))
        out.append(Problem(f"{label[:1].upper() + label[1:]}: {message}", name))
    return out


def _correction_page(request: Request, services: Services, principal: Principal, record_id: str, *,
                     values: dict[str, Any] | None = None, errors: list[str] | None = None,
                     status_code: int = 200) -> Response:
    row = record_corrections.record_to_correct(services, principal, record_id)
    # the person's other records of the state holding a value of this one, to correct with it: each
    # checked at first when it holds all of this one's values (it held whatever the officer changes),
    # then as the officer left it
    others = record_corrections.records_correctable_with(services, principal, record_id)
    chosen = (set(values.get("also_records") or []) if values is not None
              else {o["id"] for o in others if not o["differs"]})
    return render(request, "registry/correct.html", {
        "record": row, "values": values if values is not None else _correction_values(row),
        "others": [{**o, "checked": o["id"] in chosen,
                    "same_words": [record_corrections.FIELD_WORDS[f] for f in o["same"]],
                    "differs_words": [record_corrections.FIELD_WORDS[f] for f in o["differs"]]} for o in others],
        "errors": errors or [],
        "legal_basis": record_corrections.legal_basis(local_today(services.clock.now(), row["member_state"])),
    }, principal=principal, status_code=status_code)


@router.get("/registry/records/{record_id}/correct")
def correction_form(record_id: str, request: Request, services: Services = Depends(get_services),
                    principal: Principal = Depends(web_principal)) -> Response:
    """The form correcting a record's identity data, filled in with the record's values."""
    return _correction_page(request, services, principal, record_id)


def _correction_refused(request: Request, services: Services, principal: Principal, form: Any,
                        problem: Exception, record_id: str) -> Response:
    """The correction form again with what was typed and why it was refused."""
    status = 409 if isinstance(problem, Conflict) else 422
    values = {k: form.get(k) for k in form}
    values["also_records"] = [str(v) for v in form.getlist("also_records")]
    if status == 409:  # saved again, the correction replaces what was changed meanwhile, knowingly
        values["version"] = record_corrections.record_to_correct(services, principal, record_id)["version"]
    errors = [str(problem)] if status == 409 else _correction_problems(problem)
    return _correction_page(request, services, principal, record_id, values=values, errors=errors,
                            status_code=status)


@router.post("/registry/records/{record_id}/correct")
@refused_form_page(_correction_refused)
async def correct_record(record_id: str, request: Request, services: Services = Depends(get_services),
                         principal: Principal = Depends(web_principal)) -> Response:
    """Correct the record's identity data, and the person's other records of the state the officer
    ticked (``also_records``) with it; the person's page then shows the corrections and the links
    their comparison made."""
    form = await request.form()
    try:
        version = whole_number(form, "version", minimum=1)
        result = record_corrections.correct_record(services, principal, record_id, _correction_changes(form),
                                                   str(form.get("reason") or ""), version=version,
                                                   also_records=[str(v) for v in form.getlist("also_records")])
    except (ValidationProblem, Conflict) as exc:
        return _correction_refused(request, services, principal, form, exc, record_id)
    person_id = result["record"]["person_id"]
    return RedirectResponse(f"/registry/persons/{person_id}?corrected={record_id}#corrected", status_code=303)


# ---------------------------------------------------------------- the person page's forms of a record


@dataclass(frozen=True)
class _Refused:
    """A form of the person's page refused: which (``matches``, ``capture``, ``transmission``), the
    record it named as typed, the summary's lines (:class:`Problem`, each naming its field by the
    form's label) and each field's message, said beside it (``record_id``: beside the record's
    choice for the search for matches; for a capture or a transmission, whose record is the one of
    the form's row, where those forms are when the page has no form of that record)."""

    form: str
    record_id: str
    lines: list[str]
    by_field: dict[str, list[str]]


#: The person page's forms taking a record: the summary's heading, and each field's label.
_RECORD_FORMS: dict[str, tuple[str, dict[str, str]]] = {
    "matches": ("Not searched", {"record_id": "Search for matches of record"}),
    "capture": ("Capture not recorded", {"record_id": "Record whose capture is recorded",
                                         "template_ref": "Template reference",
                                         "captured_at": "Biometric data taken at (UTC)"}),
    "transmission": ("Transmission not recorded", {"record_id": "Record whose transmission is recorded",
                                                   "transmitted_at": "Transmitted to Eurodac at (UTC)"}),
    "erase": ("Eurodac record not erased", {"reason": "Why it was recorded in error",
                                            "confirm": "Confirmation"}),
}


def _record_forms(view: dict[str, Any]) -> dict[str, set[str]]:
    """The person's records whose capture, and whose transmission to Eurodac, the page offers to
    record: data stored in Eurodac (not erased), of a person not under the minimum age, whose capture
    (then transmission) is not recorded. The page and the refusal of a form read the same sets."""
    stored = {d["identity_record_id"] for d in view["eurodac"] if not d.get("erased_at")}
    own = [b for b in view["biometrics"] if b["identity_record_id"] in stored and not b["below_minimum_age"]]
    return {"capture": {b["identity_record_id"] for b in own if not b["captured_at"]},
            "transmission": {b["identity_record_id"] for b in own if b["captured_at"] and not b["transmitted_at"]}}


def _record_problem(record_id: str, records: list[str], form_name: str) -> ValidationProblem | None:
    """The refusal of a form of the person's page (``form_name``) naming a record (``record_id``)
    that is none of the person's: left blank, typed wrong, another person's or another state's (a
    page opened before, a form sent by hand)."""
    if not record_id:
        return ValidationProblem.one("record_id", "required: the form names none of this person's identity records")
    if record_id not in records:
        remedy = {"matches": "choose one of the records listed",
                  "capture": "record its capture on the page of the person whose record it is",
                  "transmission": "record its transmission on the page of the person whose record it is"}[form_name]
        return ValidationProblem.one("record_id", f"{shortened(record_id)!r} is not one of this person's identity "
                                                  f"records ({', '.join(records) or 'none'}): {remedy}")
    return None


def _refused(form_name: str, form: Any, problem: Exception) -> _Refused:
    """The refusal of one of the person page's forms as the page says it (:class:`_Refused`)."""
    labels = _RECORD_FORMS[form_name][1]
    lines: list[str] = []
    by_field: dict[str, list[str]] = {}
    for field, message in field_problems(problem):
        name = field.rsplit(".", 1)[-1] if field else ""
        label = labels.get(name)
        lines.append(Problem(f"{label}: {message}" if label else message[:1].upper() + message[1:],
                             name if label else ""))
        if label:
            by_field.setdefault(name, []).append(message)
    return _Refused(form_name, str(form.get("record_id") or "").strip(), lines, by_field)


def _not_found_as_problem(view: dict[str, Any], record_id: str, exc: NotFound) -> ValidationProblem:
    """A record of the person that has no capture or transmission to record (a page opened before
    its data were erased, a form sent by hand): the service's "not found" said beside the form's
    record, as a refusal, with the reason the person's page shows."""
    capture = next((b for b in view["biometrics"] if b["identity_record_id"] == record_id), None)
    stored = [d for d in view["eurodac"] if d["identity_record_id"] == record_id]
    if capture is not None and capture["below_minimum_age"]:
        why = "the person was below the minimum age for biometrics: Eurodac stores no biometric data of this record"
    elif stored and all(d.get("erased_at") for d in stored):
        why = "its Eurodac data were erased at the end of their storage period (Regulation (EU) 2024/1358, Article 29)"
    elif not stored:
        why = "it has no Eurodac record"
    else:
        why = str(exc)
    return ValidationProblem.one("record_id", f"record {shortened(record_id)!r}: {why}")


def _matches_refused(request: Request, services: Services, principal: Principal, form: Any,
                     problem: Exception, person_id: str) -> Response:
    """The person's page again, saying why the search for matches was refused (the record's choice
    marked, its message beside it)."""
    return _person_page(request, services, principal, person_id, refused=_refused("matches", form, problem),
                        status_code=422)


@router.post("/registry/persons/{person_id}/matches")
@refused_form_page(_matches_refused)
async def person_matches(person_id: str, request: Request, services: Services = Depends(get_services),
                         principal: Principal = Depends(web_principal)) -> Response:
    """Search for matches of one of the person's records (the officer's explicit action): the
    comparison with the state's records and what Eurodac and SIS hold within the state's rights,
    which makes the multiple-identity links the evidence warrants and logs each record of another
    state it returns (Reg. (EU) 2024/1358 Art 41). The page shows the candidates found."""
    form = await request.form()
    record_id = str(form.get("record_id") or "").strip()
    # which records the person has, read to check the form (not shown: the page below is the one
    # read of the person's page this action logs)
    records = [r["id"] for r in registry.person_view(services, principal, person_id, channel=None)["records"]]
    problem = _record_problem(record_id, records, "matches")
    if problem is not None:
        return _matches_refused(request, services, principal, form, problem, person_id)
    return _person_page(request, services, principal, person_id, searched=record_id,
                        candidates=_candidates(services, principal, record_id))


def _transmission_refused(request: Request, services: Services, principal: Principal, form: Any,
                          problem: Exception, person_id: str) -> Response:
    """The person's page again, the transmission's form saying why it was refused, with what was typed;
    a record that is not the person's (or has no such form) said where the forms are."""
    if isinstance(problem, Conflict):  # recorded already: the page has no form for it any more
        return _person_page(request, services, principal, person_id, errors=[str(problem)], status_code=409)
    refused = _refused("transmission", form, problem)
    return _person_page(request, services, principal, person_id, status_code=422, refused=refused,
                        transmission={"record_id": refused.record_id,
                                      "typed": str(form.get("transmitted_at") or ""),
                                      "error": "; ".join(refused.by_field.get("transmitted_at", []))})


def _check_own_record(record_id: str, view: dict[str, Any], kind: str) -> None:
    """Refuse (a problem naming the form's record field) a record the person's page does not hold,
    or one without this kind of form; ``view`` is the person's view read to check the form (the page
    shown next is the read logged)."""
    problem = _record_problem(record_id, [r["id"] for r in view["records"]], kind)
    if problem is not None:
        raise problem


def _utc_moment(form: Any, field: str, message: str) -> datetime:
    """The date and time typed in ``field``, read as UTC where no offset is given; a problem
    naming the field with ``message`` when it is not one."""
    try:
        moment = datetime.fromisoformat(str(form.get(field) or "").strip())
    except ValueError:
        raise ValidationProblem.one(field, message) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@router.post("/registry/persons/{person_id}/transmission")
@refused_form_page(_transmission_refused)
async def person_transmission(person_id: str, request: Request, services: Services = Depends(get_services),
                              principal: Principal = Depends(web_principal)) -> Response:
    """Record when the biometric data of one of the person's records were transmitted to Eurodac,
    where the registration did not say: their storage period runs from it (Reg. (EU) 2024/1358,
    Art 29). Back to the person's page, which says the new end."""
    form = await request.form()
    record_id = str(form.get("record_id") or "").strip()
    view = registry.person_view(services, principal, person_id, channel=None)
    try:
        _check_own_record(record_id, view, "transmission")
        moment = _utc_moment(form, "transmitted_at", "give the date and time of the transmission (UTC)")
        try:
            registry.record_transmission(services, principal, record_id, transmitted_at=moment)
        except NotFound as exc:  # the person's record, without data stored in Eurodac to transmit
            raise _not_found_as_problem(view, record_id, exc) from None
    except (ValidationProblem, Conflict) as exc:
        return _transmission_refused(request, services, principal, form, exc, person_id)
    return RedirectResponse(f"/registry/persons/{person_id}?transmitted={record_id}", status_code=303)


def _capture_refused(request: Request, services: Services, principal: Principal, form: Any,
                     problem: Exception, person_id: str) -> Response:
    """The person's page again, the capture's form saying why it was refused, with what was typed;
    a record that is not the person's (or has no such form) said where the forms are."""
    if isinstance(problem, Conflict):  # recorded already: the page has no form for it any more
        return _person_page(request, services, principal, person_id, errors=[str(problem)], status_code=409)
    refused = _refused("capture", form, problem)
    fields = [f for f in ("template_ref", "captured_at") if f in refused.by_field]
    return _person_page(request, services, principal, person_id, status_code=422, refused=refused,
                        capture={"record_id": refused.record_id,
                                 "template_ref": str(form.get("template_ref") or ""),
                                 "captured_at": str(form.get("captured_at") or ""),
                                 "fields": " ".join(fields),
                                 "error": "; ".join(m for f in fields for m in refused.by_field[f])})


@router.post("/registry/persons/{person_id}/capture")
@refused_form_page(_capture_refused)
async def person_capture(person_id: str, request: Request, services: Services = Depends(get_services),
                         principal: Principal = Depends(web_principal)) -> Response:
    """Record the biometric capture (template reference, when taken) of one of the person's records
    registered without a capture time, so that its transmission to Eurodac can be recorded; the 72
    hours to transmit still run from the encounter (Reg. (EU) 2024/1358 Arts 15(1)(a), 22(2),
    23(2), 24(2)). Back to the person's page."""
    form = await request.form()
    record_id = str(form.get("record_id") or "").strip()
    view = registry.person_view(services, principal, person_id, channel=None)
    try:
        _check_own_record(record_id, view, "capture")
        moment = _utc_moment(form, "captured_at", "give the date and time the biometric data were taken (UTC)")
        try:
            registry.record_capture(services, principal, record_id,
                                    template_ref=str(form.get("template_ref") or ""), captured_at=moment)
        except NotFound as exc:  # the person's record, without data to store in Eurodac
            raise _not_found_as_problem(view, record_id, exc) from None
    except (ValidationProblem, Conflict) as exc:
        return _capture_refused(request, services, principal, form, exc, person_id)
    return RedirectResponse(f"/registry/persons/{person_id}?captured={record_id}", status_code=303)


def _erasure_refused(request: Request, services: Services, principal: Principal, form: Any,
                     problem: Exception, person_id: str, eurodac_record_id: str) -> Response:
    """The person's page again, the erasure's form of the record saying why it was refused (beside the
    reason or the confirmation tick), with the reason typed; a record erased already: 409, said at the top."""
    if isinstance(problem, Conflict):  # erased already: the page has no form for it any more
        return _person_page(request, services, principal, person_id, errors=[str(problem)], status_code=409)
    refused = _refused("erase", form, problem)
    refused = _Refused("erase", eurodac_record_id, refused.lines, refused.by_field)
    return _person_page(request, services, principal, person_id, status_code=422, refused=refused,
                        erasure={"eurodac_record_id": eurodac_record_id, "reason": str(form.get("reason") or "")})


@router.post("/registry/persons/{person_id}/eurodac/{eurodac_record_id}/erase")
@refused_form_page(_erasure_refused)
async def person_erase_eurodac(person_id: str, eurodac_record_id: str, request: Request,
                               services: Services = Depends(get_services),
                               principal: Principal = Depends(web_principal)) -> Response:
    """Erase one of the person's Eurodac records recorded in error, as the Member State of origin
    (Reg. (EU) 2024/1358 Art 40(3), 40(5), 43(4); :func:`registry.erase_record_in_error`), after the
    officer ticked the confirmation (422 on ``confirm`` without it) and said why (422 on ``reason``).
    A record that is none of the person's is not found (404). Back to the person's page, which says
    the record was erased on the day, recorded in error."""
    form = await request.form()
    view = registry.person_view(services, principal, person_id, channel=None)
    if eurodac_record_id not in {d["id"] for d in view["eurodac"]}:
        raise NotFound(f"no Eurodac record {shortened(eurodac_record_id, 40)!r} of person {shortened(person_id, 40)!r}")
    if not principal.has(*registry.WRITE_ROLES):
        raise Forbidden(f"{principal.member_state}'s Eurodac data are erased by its caseworkers, who record them "
                        f"({registry.ERASURE_IN_ERROR_BASIS})")
    reason = str(form.get("reason") or "").strip()
    problems: list[tuple[str, str]] = []
    if not reason:
        problems.append(("reason", registry.ERASURE_REASON_REQUIRED))
    if str(form.get("confirm") or "") != "yes":
        problems.append(("confirm", "tick the box to confirm the erasure: it cannot be undone"))
    try:
        if problems:
            raise ValidationProblem(problems)
        registry.erase_record_in_error(services, principal, eurodac_record_id, reason=reason, channel="web")
    except (ValidationProblem, Conflict) as exc:
        return _erasure_refused(request, services, principal, form, exc, person_id, eurodac_record_id)
    return RedirectResponse(f"/registry/persons/{person_id}?erased={eurodac_record_id}", status_code=303)


def _return_decision_refused(services: Services, principal: Principal, person_id: str) -> str | None:
    """Why no return decision can be issued to the person now (an application of theirs pending,
    protection granted), as the returns area's rule says: the page greys the link out and says why."""
    from pactum.services import returns

    return returns.return_decision_refused(services, principal, person_id)


def _can_issue_return_decision(principal: Principal) -> bool:
    """Whether the officer issues return decisions (the return authority), to offer the form from
    the person's page as the asylum and Dublin links are offered."""
    from pactum.services import returns

    return principal.has(*returns.OFFICERS)


def _cases_of_person(services: Services, principal: Principal, person_id: str) -> dict[str, list[dict[str, Any]]]:
    """The person's asylum applications, Dublin cases and return decisions, each area's list for
    an officer whose roles read it (an area the officer may not read is left out, not refused)."""
    from pactum.services import procedures, responsibility, returns

    readers = {"asylum": (procedures.CASE_ROLES, lambda: procedures.applications_of_person(
                   services, principal, person_id)),
               "dublin": (responsibility.CASE_READERS, lambda: responsibility.cases_page(
                   services, principal, person_id=person_id)["cases"]),
               "returns": (returns.READERS, lambda: returns.decisions_page(
                   services, principal, person_id=person_id)["decisions"])}
    return {area: read() for area, (roles, read) in readers.items() if principal.has(*roles)}


@router.get("/registry/search")
def search(request: Request, name: str = "", date_of_birth: str = "", offset: str = "",
           services: Services = Depends(get_services),
           principal: Principal = Depends(web_principal)) -> Response:
    """The state's records whose names hold every word of ``name`` and whose date of birth can be
    ``date_of_birth``: a page of ``registry.SEARCH_PAGE`` from ``offset``, saying how many match
    in all (and of how many persons), with links to the pages before and after."""
    page: dict[str, Any] | None = None
    error = None
    if name or date_of_birth:
        try:
            start = whole_number({"offset": offset}, "offset", default=0, minimum=0)
            page = registry.search_persons_page(services, principal, name=name, date_of_birth=date_of_birth,
                                                offset=start or 0, channel="web")
        except ValidationProblem as exc:
            error = "; ".join(problems(exc))
    query = {k: v for k, v in (("name", name), ("date_of_birth", date_of_birth)) if v}
    return render(request, "registry/search.html", {
        "name": name, "date_of_birth": date_of_birth, "results": page["rows"] if page else None,
        "page": page, "query": query, "error": error,
    }, principal=principal, status_code=422 if error else 200)


def _screening_page(request: Request, services: Services, principal: Principal, screening_id: str, *,
                    submitted: dict[str, Any] | None = None, errors: list[str] | None = None,
                    status_code: int = 200, saved: bool = False,
                    conflict: dict[str, Any] | None = None, screening: Any | None = None) -> Response:
    """The screening and its form: the stored answers, or those just submitted and refused;
    ``saved``: the answers were just stored (the page says so); ``conflict``: the answers were
    refused because someone else saved the screening first (the page says what is on file now);
    ``screening``: the screening as just read (and logged) by the caller, not read again."""
    s: Any = screening if screening is not None else registry.get_screening(services, principal, screening_id)
    # ``s`` is the screening as stored (the header: a refused outcome was not recorded); ``f`` is
    # what the form shows: the stored answers, or those just typed when refused
    f: Any = {**s.model_dump(), **submitted} if submitted is not None and not s.completed_at else s.model_dump()
    # point (c) starts as the encounter's kind: a screening registered before it was stored in
    # words holds the code ("irregular_crossing"), which the form says in words
    f["reason"] = ENCOUNTER_KIND_WORDS.get(str(f.get("reason")), f.get("reason"))
    # an open screening whose deadline has passed has ended (Art 18): the page says so
    overdue = s.completed_at is None and s.deadline_at < services.clock.now()
    return render(request, "registry/screening.html",
                  {"s": s, "f": f, "outcomes": list(ScreeningOutcome), "errors": errors or [], "saved": saved,
                   "overdue": overdue,
                   "conflict": conflict, "can_apply": principal.has(Role.caseworker, Role.admin),
                   # who may save the form (the others read it: a Dublin unit, a return officer)
                   "can_edit": principal.has(*registry.WRITE_ROLES)},
                  principal=principal, status_code=status_code)


#: The form's points as its labels name them, for the message after a concurrent change.
_POINT_LABELS = {
    "residence_before_arrival": "(b) Countries of residence before arrival", "languages": "(b) Languages",
    "reason": "(c) Reason for screening", "health_check": "(d) Preliminary health check",
    "vulnerability": "(e) Vulnerability / special needs",
    "applied_for_protection": "(f) Applied for international protection",
    "family_in_member_state": "(g) Family members in a Member State", "database_hit": "(h) Hit in a database",
    "cooperated": "(i) Cooperated", "outcome": "Outcome",
}


def _shown(v: Any) -> str:
    if v is None or v == "":
        return "not yet known"
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(getattr(v, "value", v)).replace("_", " ")


def _screening_conflict(request: Request, services: Services, principal: Principal, form: Any,
                        problem: Conflict, screening_id: str) -> Response:
    """Someone else saved (or completed) the screening since the officer opened it: the page again
    with the officer's answers kept in the form (at the version now on file, so that saving again
    replaces the other officer's answers knowingly) and, point by point, what is on file now."""
    typed = _answers(form)
    # the screening on file, read (and logged) once for the page it is shown on
    current = registry.get_screening(services, principal, screening_id)
    stored = current.model_dump()
    differs = [(label, _shown(stored.get(key)), _shown(typed.get(key)))
               for key, label in _POINT_LABELS.items() if _shown(stored.get(key)) != _shown(typed.get(key))]
    return _screening_page(request, services, principal, screening_id, submitted=typed,
                           errors=[str(problem)], status_code=409, screening=current,
                           conflict={"completed": bool(stored.get("completed_at")), "differs": differs})


@router.get("/registry/screenings/{screening_id}")
def screening(screening_id: str, request: Request, saved: bool = False,
              services: Services = Depends(get_services),
              principal: Principal = Depends(web_principal)) -> Response:
    return _screening_page(request, services, principal, screening_id, saved=saved)


def _tri(v: Any) -> Any:
    """A yes / no / not-yet-known answer: blank is not yet known; anything but yes or no is passed on
    as given, for the form's validation to refuse naming the point (never read as "no")."""
    if v in (None, ""):
        return None
    return {"yes": True, "no": False}.get(v, v)


def _answers(form: Any) -> dict[str, Any]:
    return {
        "residence_before_arrival": _blank(form.get("residence_before_arrival")),
        "languages": _blank(form.get("languages")), "reason": _blank(form.get("reason")),
        "health_check": _blank(form.get("health_check")), "vulnerability": _blank(form.get("vulnerability")),
        "applied_for_protection": _tri(form.get("applied_for_protection")),
        "family_in_member_state": _blank(form.get("family_in_member_state")),
        "database_hit": _tri(form.get("database_hit")), "cooperated": _tri(form.get("cooperated")),
        "outcome": _blank(form.get("outcome")),
    }


def _screening_refused(request: Request, services: Services, principal: Principal, form: Any,
                       problem: Exception, screening_id: str) -> Response:
    """The screening again: its form keeps the answers typed and says why they were refused."""
    return _screening_page(request, services, principal, screening_id, submitted=_answers(form),
                           errors=problems(problem), status_code=422)


@router.post("/registry/screenings/{screening_id}")
@refused_form_page(_screening_refused)
async def screening_save(screening_id: str, request: Request,
                         services: Services = Depends(get_services),
                         principal: Principal = Depends(web_principal)) -> Response:
    form = await request.form()
    answers = _answers(form)
    try:
        data = ScreeningForm.model_validate({"version": form.get("version"), **answers})
        registry.update_screening(services, principal, screening_id, data)
    except (ValidationError, ValidationProblem) as exc:
        return _screening_refused(request, services, principal, form, exc, screening_id)
    except Conflict as exc:
        return _screening_conflict(request, services, principal, form, exc, screening_id)
    return RedirectResponse(f"/registry/screenings/{screening_id}?saved=true", status_code=303)
