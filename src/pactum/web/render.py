"""Rendering pages: the template environment, navigation, and the logged-in principal."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from pactum import __version__
from pactum.api.deps import SESSION_COOKIE, get_services
from pactum.common.countries import all_countries, nationality_name
from pactum.common.errors import Unauthenticated, plain_message
from pactum.common.states import MEMBER_STATES, authority_name
from pactum.common.text import code_words, counted, plural, shortened
from pactum.identity.comparisons import COMPARISON_LABELS
from pactum.identity.schemas import COMPONENT_LABELS
from pactum.registry.rules import SCREENING_KIND_WORDS
from pactum.responsibility.procedure import criterion_label
from pactum.returns.rules import entry_ban_length
from pactum.services import users
from pactum.services.auth import ROLE_LABELS, Principal, Role
from pactum.services.bootstrap import Services
from pactum.web.a11y import chart_name

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def _fmt_dt(value: Any) -> str:
    if isinstance(value, str) and len(value) > 10:
        try:  # an ISO timestamp as the services return it in JSON-ready dicts
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def region_label(code: str) -> str:
    """A region's ISO 3166-2 code with its name, as the forms list it ("FR-976 (Mayotte)"); the
    code alone where Pactum does not know it."""
    from pactum.registry.local_time import region_of

    region = region_of(code)
    return f"{code} ({region.name})" if region else code


TEMPLATES.env.filters["dt"] = _fmt_dt
#: a Dublin criterion or take-back ground in words, as the responsibility pages say it
TEMPLATES.env.filters["criterion"] = criterion_label
#: a responsibility regime's name as the responsibility pages write it
TEMPLATES.env.filters["dublin_regime"] = lambda code: {"ammr": "AMMR", "dublin_iii": "Dublin III"}.get(code, code)
TEMPLATES.env.filters["tojson_attr"] = lambda v: json.dumps(v, default=str)
# "1 hit", "2 hits": ``{{ n | plural('hit') }}`` the noun alone, ``{{ n | counted('entry', 'entries') }}``
# the number and its noun
TEMPLATES.env.filters["plural"] = plural
TEMPLATES.env.filters["counted"] = counted
TEMPLATES.env.globals["authority_name"] = authority_name
TEMPLATES.env.globals["region_label"] = region_label
TEMPLATES.env.globals["role_labels"] = ROLE_LABELS
TEMPLATES.env.globals["version"] = __version__
TEMPLATES.env.globals["chart_name"] = chart_name
TEMPLATES.env.globals["ban_length"] = entry_ban_length
#: what the pick lists of ``_partials/country_lists.html`` offer
TEMPLATES.env.globals["country_choices"] = all_countries
TEMPLATES.env.globals["member_state_choices"] = lambda: sorted(MEMBER_STATES.values(), key=lambda s: s.name)
TEMPLATES.env.filters["component"] = lambda code: COMPONENT_LABELS.get(code, code)
TEMPLATES.env.filters["comparison"] = lambda name: COMPARISON_LABELS.get(name, name)
# a comparison level as the screens say it: the model's null level is a field not recorded
TEMPLATES.env.filters["evidence"] = lambda level: "not recorded on one or both records" if level == "null" else level


def fact_text(value: Any) -> str:
    """A fact or parameter of a rule trace, or a detail of a case event, as a reader reads it:
    "not stated" for a fact nobody gave, yes and no, lists and mappings spelled out."""
    if value is None:
        return "not stated"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(f"({fact_text(v)})" if isinstance(v, dict) else fact_text(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {fact_text(v)}" for k, v in value.items()) or "none"
    return str(value)


TEMPLATES.env.filters["fact"] = fact_text


def words(code: Any) -> str:
    """A code of the domain (a state, a ground, a category: ``interview_held``) as words, the proper
    names as the law writes them ("protection in another Member State", :func:`code_words`)."""
    return code_words(code)


TEMPLATES.env.filters["words"] = words

#: A Eurodac category (``pactum.registry.model.EurodacCategory``; a record's category, or its
#: encounter's kind where Eurodac stores none) as officers say it: ``sar`` is "SAR disembarkation"
#: (Reg. (EU) 2024/1358 Art 24: disembarked after a search and rescue operation), not "sar" (nor
#: the application's context ``sar_disembarkation`` "sar disembarkation").
CATEGORY_WORDS = {"sar": "SAR disembarkation", "union_resettlement": "Union resettlement",
                  # an encounter's kind and an application's context say it the same way
                  "sar_disembarkation": "SAR disembarkation"}


def category_words(code: Any) -> str:
    return CATEGORY_WORDS.get(str(code), words(code)) if code else ""


TEMPLATES.env.filters["category"] = category_words
# a screening's kind (``border_held_over_72h``) as the screens say it
TEMPLATES.env.filters["screening_kind"] = lambda variant: SCREENING_KIND_WORDS.get(variant, words(variant))

#: A code of the domain: lower-case words joined by underscores (``rejected_unfounded``).
_CODE = re.compile(r"[a-z]+(?:_[a-z]+)+")


def detail_text(value: Any) -> str:
    """A detail of a case event: a code of the domain as words, anything else as a fact
    (:func:`fact_text`); an identifier (``rtd_01M…``) stays as it is."""
    if isinstance(value, str) and _CODE.fullmatch(value):
        return words(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(detail_text(v) for v in value) or "none"
    return fact_text(value)


TEMPLATES.env.filters["detail"] = detail_text


def nationality(code: Any, named: bool = False) -> Markup | str:
    """A nationality code as officers read it on a document (``SOM``), its name on hover and for a
    screen reader (``<abbr title="Somalia">``); ``named``: the name first, for analysts' tables
    (``Somalia (SOM)``). A code no list names, as it is."""
    name = nationality_name(code)
    if name is None:
        return "" if code is None else str(code)
    if named:
        return f"{name} ({str(code).strip()})"
    return Markup('<abbr title="{}">{}</abbr>').format(name, str(code).strip())


TEMPLATES.env.filters["nationality"] = nationality


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    roles: set[Role] = field(default_factory=set)  # empty: every logged-in user
    order: int = 50
    #: the page is a Member State authority's own (its records or cases): not shown to the users
    #: of EU bodies, whom the page refuses
    national: bool = False
    #: the addresses of pages that belong to this entry without being under its address (a person
    #: page reached from the search: ``("/registry/persons/",)``), for :func:`current_nav`
    sections: tuple[str, ...] = ()


class LoginRequired(Exception):
    def __init__(self, next_url: str):
        self.next_url = next_url


def web_principal(request: Request, services: Services = Depends(get_services)) -> Principal:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise LoginRequired(str(request.url.path))
    try:
        return users.resolve_token(services, token)
    except Unauthenticated as exc:
        raise LoginRequired(str(request.url.path)) from exc


def login_redirect_url(next_url: str) -> str:
    return f"/login?next={quote(next_url)}"


_NAV: list[NavItem] | None = None


def nav_items() -> list[NavItem]:
    global _NAV
    if _NAV is None:
        import pactum.web.views as views

        items: list[NavItem] = []
        for mod in pkgutil.iter_modules(views.__path__):
            module = importlib.import_module(f"pactum.web.views.{mod.name}")
            items.extend(getattr(module, "NAV", []))
        _NAV = sorted(items, key=lambda i: (i.order, i.label))
    return _NAV


#: Pages that serve a Member State authority's own records and cases, whatever their navigation
#: entry says: each one's handler works on the user's state (``require_member_state``, or rows of
#: ``principal.member_state`` only), so a user of an EU body (eu-LISA, the Commission, Frontex,
#: the EUAA) would find an empty queue or a form every submission of which is refused. eu-LISA
#: operates the shared systems but has no access to their records as a designated national
#: authority (Regulation (EU) 2024/1358, Articles 40 to 44), so these pages are not offered to it.
NATIONAL_PAGES = frozenset({
    "/registry/register",  # registering an arrival: an encounter of the user's state
    "/registry/search",  # searching the state's own identity records
    "/identity/queue",  # yellow links the user's authority must verify: only states hold records
    "/returns",  # the return queue of decisions the user's state enforces
})


def is_national(item: NavItem) -> bool:
    """Whether the page of ``item`` is a Member State authority's own (see :data:`NATIONAL_PAGES`)."""
    return item.national or item.href in NATIONAL_PAGES


def _may_open(item: NavItem, principal: Principal | None) -> bool:
    return principal is not None and (not item.roles or principal.has(*item.roles)) \
        and (not is_national(item) or principal.member_state is not None)


def may_open(href: str, principal: Principal | None) -> bool:
    """Whether ``principal`` may open the page at ``href``, by the roles of its navigation entry,
    so that a page's tabs never link to a page that refuses the user. A page without a
    navigation entry is open to every logged-in user."""
    path = href.split("?", 1)[0].split("#", 1)[0]
    items = [n for n in nav_items() if n.href == path]
    return principal is not None if not items else any(_may_open(n, principal) for n in items)


def nav_for(principal: Principal | None) -> list[NavItem]:
    """The menu of ``principal``: each page it may open once, however many of the page's entries
    (one per group of roles, as Reception's) let it in."""
    shown: dict[str, NavItem] = {}
    for item in nav_items():
        if item.href not in shown and _may_open(item, principal):
            shown[item.href] = item
    return list(shown.values())


def _under(path: str, href: str) -> bool:
    return path == href or (href != "/" and path.startswith(href.rstrip("/") + "/"))


def current_nav(nav: list[NavItem], path: str) -> dict[str, str]:
    """The ``aria-current`` of the menu's entries on the page at ``path`` (WCAG 2.1 1.3.1, 2.4.8):
    ``"page"`` for the one entry whose address is the longest that ``path`` is (or is under), or
    that names ``path`` among its ``sections``; where none does, ``"true"`` for the only entry of
    the page's area (the first part of the address: a link page of ``/identity/…``), so the menu
    still says where the user is. Nothing where the area has no entry, or several."""
    best = max((i for i in nav if _under(path, i.href) or any(path.startswith(s) for s in i.sections)),
               key=lambda i: len(i.href) if _under(path, i.href) else 0, default=None)
    if best is not None:
        return {best.href: "page"}
    area = path.strip("/").split("/", 1)[0]
    same = {i.href for i in nav if area and i.href.strip("/").split("/", 1)[0] == area}
    return {same.pop(): "true"} if len(same) == 1 else {}


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    principal: Principal | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    ctx: dict[str, Any] = dict(context or {})
    ctx["principal"] = principal
    ctx["nav"] = nav_for(principal)
    ctx["allowed"] = lambda href: may_open(href, principal)
    ctx["path"] = request.url.path
    ctx["nav_current"] = current_nav(ctx["nav"], request.url.path)
    ctx["back_href"] = back_href(request)
    return TEMPLATES.TemplateResponse(request, template, ctx, status_code=status_code)


def back_href(request: Request) -> str:
    """Where a page's "Back" link leads, as a plain link (the content security policy runs no
    ``javascript:`` address): the page the user came from when it is one of this site's (the
    browser sends the Referer within the site only: ``Referrer-Policy: same-origin``), which for a
    refused form is the form itself; the home page otherwise, and in place of the very address
    just asked for."""
    referer = request.headers.get("referer") or ""
    try:
        parts = urlsplit(referer)
    except ValueError:
        return "/"
    if not referer or parts.netloc != request.headers.get("host") or parts.scheme not in ("http", "https"):
        return "/"
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if not target.startswith("/") or target.startswith("//") or (target == here and request.method == "GET"):
        return "/"
    return target


#: Form fields as the forms label them, for the lines that say why a form was refused (WCAG 2.1
#: 3.3.1: an error names the item as the user sees it). A field not listed is said in words
#: (``made_on`` → "Made on"); a nested path (``identity.documents.0.country``) is a part of a
#: command that its form labels itself, and is kept as it is.
FIELD_LABELS: dict[str, str] = {
    "person_id": "Person", "made_on": "Made on", "registered_on": "Registered on", "lodged_on": "Lodged on",
    "context": "Context", "nationality": "Nationality", "first_country_of_asylum": "First country of asylum",
    "safe_third_country_connection": "Safe third country connection", "refused_on": "Refused on",
    "border_section": "Border section", "border_type": "Border", "reasons": "Reasons",
    "refusal_reason": "Reason (other ground)", "event_at": "Event", "kind": "Kind",
    "member_state": "Member State", "detained_on": "Placed in detention on",
    "application_registered_on": "Application registered on", "application_made_on": "Application made on", "application_lodged_on": "Application lodged on", "colour": "Decision", "reason": "Reason",
    "current_password": "Current password", "new_password": "New password",
    "confirm_password": "The new password again", "capacity": "Charter capacity (seats)",
    "planned_date": "Date", "destination_country": "Destination", "escorts": "Escorts",
    "issued_on": "Issued on", "voluntary_departure_days": "Voluntary departure, days",
    "entry_ban_years": "Entry ban, years", "entry_ban_months": "Entry ban, months", "grounds": "Grounds", "date_of_birth": "Date of birth",
    "on": "Date", "since": "From", "until": "To", "as_of": "Date", "valid_from": "From", "valid_to": "Until",
    "decided_on": "Decided on", "departed_on": "Departed on", "case_reference": "Case reference",
    "answer_reference": "Reference", "answered_on": "Answered on", "sent_on": "Sent on",
    "requested_member_state": "Requested state", "beneficiary": "Benefitting state",
    "asylum_case_id": "Asylum case", "screening_id": "Screening", "surname": "Surname",
    "given_names": "Given names", "username": "Username", "full_name": "Full name", "password": "Password",
    "roles": "Roles", "authority": "Authority", "year": "Year", "version": "Version",
}


def field_label(path: str) -> str:
    """The label of the field at ``path`` (a form field's name or a pydantic location) for a
    message: :data:`FIELD_LABELS`, else its name in words with a capital (``made_on`` → "Made
    on"; ``reasons.0`` is a problem of "Reasons"); a nested path as it is; a field already named
    in words ("Person") as it is."""
    if path in FIELD_LABELS:
        return FIELD_LABELS[path]
    named = [p for p in path.split(".") if not p.isdigit()]
    if len(named) != 1:
        return path
    name = named[0]
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    said = words(name).strip()
    return said[:1].upper() + said[1:] if said else path


TEMPLATES.env.filters["label"] = field_label


def _quoted(value: Any) -> str:
    return f"'{shortened(str(value), 40)}'"


def _choices(expected: str) -> str:
    """pydantic's ``'white', 'green' or 'red'`` as words: "white, green or red"."""
    options = [words(o) for o in re.findall(r"'([^']*)'", expected)]
    if not options:
        return expected
    return options[0] if len(options) == 1 else f"{', '.join(options[:-1])} or {options[-1]}"


#: pydantic's error types whose message is "required" when the field came blank from a form.
_BLANK_IS_REQUIRED = frozenset({
    "missing", "string_type", "string_too_short", "date_type", "date_parsing", "date_from_datetime_parsing",
    "date_from_datetime_inexact", "datetime_type", "datetime_parsing", "datetime_from_date_parsing",
    "time_parsing", "int_type", "int_parsing", "int_from_float", "float_type", "float_parsing", "decimal_type",
    "decimal_parsing", "enum", "literal_error", "bool_type", "bool_parsing", "string_pattern_mismatch",
    "uuid_parsing", "url_parsing", "url_type", "value_error",
})

#: Messages of pydantic and of Python's parsers as a reader reads them; each with the pattern of the
#: message and the words said instead (``\1``: a part of the message kept).
_PLAIN_TEXTS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), s) for p, s in (
    (r"^Field required$", "required"),
    (r"^Input should be a valid string$", "required"),
    (r"^String should have at least 1 character$", "required"),
    (r"^String should have at least (\d+) characters$", r"at least \1 characters"),
    (r"^String should have at most (\d+) characters?$", r"at most \1 characters"),
    (r"^List should have at least 1 item after validation, not 0$", "choose at least one"),
    (r"^List should have at least (\d+) items? after validation.*$", r"choose at least \1"),
    (r"^List should have at most (\d+) items? after validation.*$", r"at most \1"),
    (r"^Invalid isoformat string: ''$", "required"),
    (r"^Invalid isoformat string: ('.*')$", r"\1 is not a date (YYYY-MM-DD)"),
    (r"^Input should be a valid date.*$", "not a date (YYYY-MM-DD)"),
    (r"^Input should be a valid datetime.*$", "not a date and time (YYYY-MM-DD HH:MM)"),
    (r"^Input should be a valid integer.*$", "not a whole number"),
    (r"^Input should be a valid (number|decimal).*$", "not a number"),
    (r"^Input should be a valid boolean.*$", "answer yes or no"),
    (r"^Input should be greater than or equal to (.+)$", r"must be at least \1"),
    (r"^Input should be less than or equal to (.+)$", r"must be at most \1"),
    (r"^Input should be greater than (.+)$", r"must be more than \1"),
    (r"^Input should be less than (.+)$", r"must be less than \1"),
))
_EXPECTED = re.compile(r"^Input should be ('.*')$")


def plain_text(message: str) -> str:
    """A message of pydantic (or of Python's date parser) as a reader reads it: ``Value error, ``
    dropped, "Input should be a valid string" for a blank field as "required", "Input should be
    'white', 'green' or 'red'" as "choose one of: white, green or red"; any other message as it is."""
    text = plain_message(message).strip()
    if (choice := _EXPECTED.match(text)) is not None:
        return f"choose one of: {_choices(choice.group(1))}"
    for pattern, said in _PLAIN_TEXTS:
        if pattern.match(text):
            return pattern.sub(said, text)
    return text


TEMPLATES.env.filters["plain"] = plain_text


def plain_error(error: Mapping[str, Any]) -> str:
    """One of a pydantic ``ValidationError``'s errors in words, by its type and the value given: a
    field left blank is "required", a value that is not a date, a number or one of the choices is
    quoted back with what it should be."""
    kind, given, ctx = str(error.get("type", "")), error.get("input"), error.get("ctx") or {}
    blank = given is None or (isinstance(given, str) and not given.strip())
    if kind == "missing" or (blank and kind in _BLANK_IS_REQUIRED and kind != "value_error"):
        return "required"
    if kind == "too_short" and isinstance(given, (list, tuple)):
        least = ctx.get("min_length", 1)
        return "choose at least one" if least == 1 else f"choose at least {least}"
    if kind in ("enum", "literal_error") and "expected" in ctx:
        return f"{_quoted(given)} is not one of the choices: {_choices(str(ctx['expected']))}"
    if kind.startswith("date_") and not kind.startswith("datetime"):
        return f"{_quoted(given)} is not a date (YYYY-MM-DD)"
    if kind.startswith("datetime_"):
        return f"{_quoted(given)} is not a date and time (YYYY-MM-DD HH:MM)"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{_quoted(given)} is not a whole number"
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type"):
        return f"{_quoted(given)} is not a number"
    return plain_text(str(error.get("msg", "")))


def field_problems(exc: Exception, plain: Mapping[tuple[str, str], str] | None = None) -> list[tuple[str, str]]:
    """(field, message) for each refused field, to be said next to it: a pydantic error's dotted
    location and its message in words (:func:`plain_error`), or ``plain[(field, error type)]``
    where a form words it better; a service's :class:`ValidationProblem` with its messages in
    words (:func:`plain_text`); another error as one message of no field."""
    from pydantic import ValidationError

    from pactum.common.errors import ValidationProblem

    if isinstance(exc, ValidationError):
        out = []
        for e in exc.errors():
            loc = [str(x) for x in e["loc"]]
            worded = (plain or {}).get((loc[0], e["type"])) if loc else None
            out.append((".".join(loc), worded or plain_error(e)))
        return out
    if isinstance(exc, ValidationProblem):
        return [(f, plain_text(m)) for f, m in exc.problems]
    return [("", str(exc))]


def by_field(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """The messages of each field of a form, by its name (``roles.0`` is a problem of ``roles``)."""
    out: dict[str, list[str]] = {}
    for name, message in pairs:
        out.setdefault(name.split(".", 1)[0], []).append(message)
    return out


class Problem(str):
    """A line of a refused form's summary ("Made on: required") that knows the field it is about
    (``field``, as the form names it; empty for a problem of no field), so that the form marks that
    field (:func:`invalid`). It is the text it says everywhere else."""

    field: str

    def __new__(cls, text: str, field: str = "") -> Problem:
        line = super().__new__(cls, text)
        line.field = field
        return line


def problems(exc: Exception) -> list[str]:
    """One line per refused field for a form page, naming the field by its label
    (:func:`field_label`) and saying the problem in words (:func:`field_problems`): "Made on:
    required", not "made_on: Input should be a valid date"; the message of another error as it is.
    Each line is a :class:`Problem` that knows its field."""
    # a problem of the request as a whole ("nothing changed") is said without a field's label
    return [Problem(m[:1].upper() + m[1:] if f == "body" else f"{field_label(f)}: {m}" if f else m,
                    "" if f == "body" else f)
            for f, m in field_problems(exc)]


def problem_id(index: int, prefix: str = "problem") -> str:
    """The ``id`` of the ``index``-th line (from 1) of a form's summary of errors."""
    return f"{prefix}-{index}"


def _names_field(path: str, names: tuple[str, ...]) -> bool:
    """Whether the field at ``path`` (``made_on``, ``reasons.0``, ``facts.context``) is one of
    ``names``: its whole path, its first part or its last named part."""
    parts = [p for p in path.split(".") if p and not p.isdigit()]
    return bool(parts) and (path in names or parts[0] in names or parts[-1] in names)


def invalid(errors: list[str] | None, *names: str, prefix: str = "problem", exact: bool = False) -> Markup:
    """The attributes of a form field that a line of ``errors`` (:class:`Problem`) is about: marked
    invalid, and described by those lines of the summary (``problem_id``), so that a screen reader
    says what is wrong when the user reaches the field (WCAG 2.1 3.3.1, 1.3.1). Nothing for a
    field without a problem. ``names``: the field's name on the form, and any other name the
    service gives it. ``exact``: only a line whose field is one of ``names`` as a whole, for a form
    whose rows' fields end as the form's own do (a row's ``events[1].on`` is not the form's ``on``)."""
    ids = [problem_id(i, prefix) for i, line in enumerate(errors or [], start=1)
           if (str(getattr(line, "field", "")) in names if exact
               else _names_field(str(getattr(line, "field", "")), names))]
    if not ids:
        return Markup("")
    return Markup(' aria-invalid="true" aria-describedby="{}"').format(" ".join(ids))


TEMPLATES.env.globals["invalid"] = invalid
TEMPLATES.env.globals["problem_id"] = problem_id


def web_principal_or_none(request: Request) -> Principal | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        return users.resolve_token(request.app.state.services, token)
    except Unauthenticated:
        return None
