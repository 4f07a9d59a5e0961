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
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from pactum import __version__
from pactum.api.deps import SESSION_COOKIE, get_services
from pactum.common.countries import nationality_name
from pactum.common.errors import Unauthenticated, plain_message
from pactum.common.states import authority_name
from pactum.identity.comparisons import COMPARISON_LABELS
from pactum.identity.schemas import COMPONENT_LABELS
from pactum.services import users
from pactum.services.auth import ROLE_LABELS, Principal, Role
from pactum.services.bootstrap import Services

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


TEMPLATES.env.filters["dt"] = _fmt_dt
TEMPLATES.env.filters["tojson_attr"] = lambda v: json.dumps(v, default=str)
TEMPLATES.env.globals["authority_name"] = authority_name
TEMPLATES.env.globals["role_labels"] = ROLE_LABELS
TEMPLATES.env.globals["version"] = __version__
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
    """A code of the domain (a state, a ground, a category: ``interview_held``) as words."""
    return "" if code is None else str(code).replace("_", " ")


TEMPLATES.env.filters["words"] = words

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


def _may_open(item: NavItem, principal: Principal | None) -> bool:
    return principal is not None and (not item.roles or principal.has(*item.roles)) \
        and (not item.national or principal.member_state is not None)


def may_open(href: str, principal: Principal | None) -> bool:
    """Whether ``principal`` may open the page at ``href``, by the roles of its navigation entry,
    so that a page's tabs never link to a page that refuses the user. A page without a
    navigation entry is open to every logged-in user."""
    path = href.split("?", 1)[0].split("#", 1)[0]
    item = next((n for n in nav_items() if n.href == path), None)
    return principal is not None if item is None else _may_open(item, principal)


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
    ctx["nav"] = [n for n in nav_items() if _may_open(n, principal)]
    ctx["allowed"] = lambda href: may_open(href, principal)
    ctx["path"] = request.url.path
    return TEMPLATES.TemplateResponse(request, template, ctx, status_code=status_code)


def field_problems(exc: Exception, plain: Mapping[tuple[str, str], str] | None = None) -> list[tuple[str, str]]:
    """(field, message) for each refused field, to be said next to it: a pydantic error's dotted
    location and message without its "Value error, " prefix, or ``plain[(field, error type)]``
    where a form words it better; a service's :class:`ValidationProblem` as it is; another error
    as one message of no field."""
    from pydantic import ValidationError

    from pactum.common.errors import ValidationProblem

    if isinstance(exc, ValidationError):
        out = []
        for e in exc.errors():
            loc = [str(x) for x in e["loc"]]
            worded = (plain or {}).get((loc[0], e["type"])) if loc else None
            out.append((".".join(loc), worded or plain_message(str(e["msg"]))))
        return out
    if isinstance(exc, ValidationProblem):
        return list(exc.problems)
    return [("", str(exc))]


def by_field(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """The messages of each field of a form, by its name (``roles.0`` is a problem of ``roles``)."""
    out: dict[str, list[str]] = {}
    for name, message in pairs:
        out.setdefault(name.split(".", 1)[0], []).append(message)
    return out


def problems(exc: Exception) -> list[str]:
    """One line per refused field for a form page: a pydantic error's fields (``identity.sex:
    Input should be ...``), a service's :class:`ValidationProblem`, or the message of another error."""
    from pydantic import ValidationError

    from pactum.common.errors import ValidationProblem

    if isinstance(exc, ValidationError):
        return [f"{'.'.join(str(p) for p in e['loc'])}: {plain_message(e['msg'])}" for e in exc.errors()]
    if isinstance(exc, ValidationProblem):
        return [f"{f}: {m}" for f, m in exc.problems]
    return [str(exc)]


def web_principal_or_none(request: Request) -> Principal | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        return users.resolve_token(request.app.state.services, token)
    except Unauthenticated:
        return None
