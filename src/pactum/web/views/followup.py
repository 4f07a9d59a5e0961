"""Follow-up screens: commitments, a commitment, partners, funding overview with charts, the
state-of-play page, and, for the follow-up editor, creating, editing and removing items (with
per-item history) and importing a whole file after a preview of what it changes."""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
from collections.abc import Collection
from datetime import date
from decimal import Decimal
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

import yaml
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from pactum.api.deps import get_services
from pactum.common.errors import Conflict, NotFound, ValidationProblem
from pactum.common.states import MEMBER_STATES
from pactum.common.text import shortened
from pactum.followup.codec import COLUMNS
from pactum.followup.items import KIND_LABELS, KINDS, PARENT_KIND, item_fields
from pactum.followup.model import PlanStatus, Stage, Status
from pactum.followup.report import INFORMATION_OLD_AFTER_MONTHS, information_age
from pactum.services import followup
from pactum.services import indicators as indicator_registry
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.web.forms import (
    MAX_UPLOAD_BYTES,
    refused_form_page,
    required_whole_number,
    typed_text,
    uploaded_text,
)
from pactum.web.render import TEMPLATES, NavItem, Problem, render, web_principal

router = APIRouter()
NAV = [NavItem("Follow-up", "/followup", order=80)]

TEMPLATES.env.filters.update(followup.template_filters())


def _grouped(value: Any) -> str:
    """A number as every page of the web UI writes it: thousands grouped with commas ("2,321",
    "89,375"); anything else as it is."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal) or (isinstance(value, float) and value.is_integer()):
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def web_value(value: Any) -> str:
    """A live figure on a follow-up page (``followup_value``): as the report's
    :func:`pactum.followup.report.format_value` says it (a breakdown with its total), with the
    thousands grouped by commas like every other figure of the web UI and the amounts
    (``€1,757.2m``), not by spaces."""
    if isinstance(value, dict):
        if not value:
            return "none recorded"
        parts = [f"{k} {_grouped(v)}" for k, v in value.items()]
        numeric = [v for v in value.values() if isinstance(v, int | float | Decimal) and not isinstance(v, bool)]
        if len(numeric) == len(value):
            return f"{_grouped(sum(numeric))} ({', '.join(parts)})"
        return ", ".join(parts)
    return _grouped(value)


# the web pages group thousands with commas; the report document keeps its own filters
TEMPLATES.env.filters["followup_value"] = web_value

_TEXTAREA = {"text", "description", "progress", "note", "status_note", "footnote", "source"}
_LISTS = {"partners", "pillars", "funding_refs", "indicator_states"}
_NESTED = {"figures", "tranches", "components", "overlaps"}
_READONLY = {"key", "number", "code"}


def _choices(kind: str, name: str) -> list[str] | None:
    if name == "indicator":
        return ["", *indicator_registry.load_all()]
    if name == "status":
        return [s.value for s in (PlanStatus if kind == "action_plan" else Status)]
    if name == "stage":
        return [s.value for s in Stage]
    return None


def _on_date(services: Services, as_of: date) -> str:
    """The query a link adds to keep the date shown (nothing for today)."""
    return "" if as_of == followup.today(services) else f"?as_of={as_of.isoformat()}"


def _date_param(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationProblem.one(name, f"'{raw}' is not a date (YYYY-MM-DD)") from None


#: The Vega-Lite schema of the charts' specs: the major version vendored under
#: ``web/static/vendor`` (``package.json``: vega-lite 6.x), or vega-embed warns of a mismatch.
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def _bar_spec(rows: list[dict[str, Any]], x: str, y: str, title: str, color: str | None = None) -> dict[str, Any]:
    encoding: dict[str, Any] = {
        "y": {"field": y, "type": "nominal", "sort": "-x", "title": None},
        "x": {"field": x, "type": "quantitative", "title": "EUR million"},
        "tooltip": [{"field": y}, {"field": x, "title": "EUR million"}],
    }
    if color:
        encoding["color"] = {"field": color, "type": "nominal", "title": color}
        encoding["tooltip"].append({"field": color})
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": title, "description": _bars_in_words(rows, x, y, title), "width": "container",
        "data": {"values": rows}, "mark": "bar", "encoding": encoding,
    }


def _bars_in_words(rows: list[dict[str, Any]], x: str, y: str, title: str) -> str:
    """A bar chart's text alternative (WCAG 2.1 1.1.1): its title and each bar's amount, in EUR
    million, largest first (stacked bars added up per bar), as a sighted reader reads the drawing."""
    sums: dict[str, float] = {}
    for r in rows:
        sums[str(r[y])] = sums.get(str(r[y]), 0.0) + float(r[x])
    bars = sorted(sums.items(), key=lambda kv: -kv[1])
    said = "; ".join(f"{label} {amount:,.1f}".removesuffix(".0") for label, amount in bars)
    return f"{title}, EUR million: {said}" if bars else f"{title}: no funding line"


#: The list's filters as its form labels them, for the lines that say why a filter was refused.
_FILTER_LABELS = {"as_of": "State on", "status": "Status"}


def _filter_problems(exc: ValidationProblem) -> list[str]:
    return [Problem(f"{_FILTER_LABELS.get(field, field)}: {message}", field) for field, message in exc.problems]


@router.get("/followup")
def commitments_page(request: Request, services: Services = Depends(get_services),
                     principal: Principal = Depends(web_principal)) -> Response:
    typed = {name: request.query_params.get(name, "").strip() for name in ("as_of", "status")}
    errors: list[str] = []
    try:
        as_of = _date_param(request, "as_of") or followup.today(services)
        followup.not_after_today(as_of, followup.today(services))
    except ValidationProblem as exc:
        errors, as_of = _filter_problems(exc), followup.today(services)
    status = typed["status"]
    try:
        try:
            rows = followup.commitments(services, as_of, status or None)
        except ValidationProblem as exc:
            # the filters refused, each named as the form labels it, beside the form that keeps
            # what was typed; the list below is today's, every commitment, and says so
            errors += [e for e in _filter_problems(exc) if e not in errors]
            as_of, status = followup.today(services), ""
            rows = followup.commitments(services, as_of, None)
    except NotFound as exc:
        first = followup.first_date(services)
        if first is not None and as_of < first:  # loaded: there was no state of play that early
            return render(request, "followup/empty.html", {
                "message": f"No state of play before {first.isoformat()}: the follow-up starts with the "
                           f"annex of {first.isoformat()}.",
                "first": first, "as_of": as_of, "can_edit": False}, principal=principal, status_code=404)
        # nothing loaded: the filters typed are still refused by name (422), with the reason the
        # list is empty
        return render(request, "followup/empty.html", {
            "message": " ".join([*errors, str(exc)]), "can_edit": followup.can_edit(principal)},
            principal=principal, status_code=422 if errors else 200)
    return render(request, "followup/commitments.html", {
        "rows": rows, "as_of": as_of, "status": status, "statuses": list(followup.STATUS_FILTERS),
        "on_date": _on_date(services, as_of), "update": followup.update_status(services, as_of),
        "old_after_months": INFORMATION_OLD_AFTER_MONTHS,
        "can_edit": followup.can_edit(principal), "imported": _imported(request),
        "errors": errors, "typed": typed,
    }, principal=principal, status_code=422 if errors else 200)


def _imported(request: Request) -> dict[str, int] | None:
    """What an import just did, as its confirmation's redirect says it (for the notice)."""
    q = request.query_params
    if q.get("imported") != "1":
        return None
    return {name: int(q[name]) if q.get(name, "").isdigit() else 0
            for name in ("created", "changed", "removed")}


@router.get("/followup/commitments/{number}")
def commitment_page(number: int, request: Request, services: Services = Depends(get_services),
                    principal: Principal = Depends(web_principal)) -> Response:
    as_of = _date_param(request, "as_of") or followup.today(services)
    c = followup.commitment(services, number, as_of)
    from pactum.followup.funding import totals

    dates = followup.item_dates(services, as_of)
    idents = [f"commitment:{c.number}", *(f"action:{a.key}" for a in c.actions),
              *(f"milestone:{m.key}" for m in c.milestones), *(f"funding:{f.key}" for f in c.funding)]
    known = [dates[i] for i in idents if i in dates]
    return render(request, "followup/commitment.html", {
        "c": c, "as_of": as_of, "totals": totals(c.funding, as_of), "versions": followup.versions_of(services),
        "dates": dates, "info_as_of": max(known) if known else None,
        "update": followup.update_status(services, as_of), "information_age": information_age,
        "old_after_months": INFORMATION_OLD_AFTER_MONTHS,
        "overlaps": followup.commitment_overlaps(services, number, as_of),
        "can_edit": followup.can_edit(principal),
    }, principal=principal)


@router.get("/followup/action-plans")
def action_plans_page(request: Request, services: Services = Depends(get_services),
                      principal: Principal = Depends(web_principal)) -> Response:
    as_of = _date_param(request, "as_of") or followup.today(services)
    return render(request, "followup/action_plans.html", {
        "rows": followup.action_plans(services, as_of), "as_of": as_of,
        "can_edit": followup.can_edit(principal),
    }, principal=principal)


@router.get("/followup/action-plans/{key}")
def action_plan_page(key: str, request: Request, services: Services = Depends(get_services),
                     principal: Principal = Depends(web_principal)) -> Response:
    as_of = _date_param(request, "as_of") or followup.today(services)
    return render(request, "followup/action_plan.html", {
        "p": followup.action_plan(services, key, as_of), "as_of": as_of,
        "dates": followup.item_dates(services, as_of),
        "versions": followup.versions_of(services), "can_edit": followup.can_edit(principal),
    }, principal=principal)


@router.get("/followup/partners")
def partners_page(request: Request, services: Services = Depends(get_services),
                  principal: Principal = Depends(web_principal)) -> Response:
    as_of = _date_param(request, "as_of") or followup.today(services)
    return render(request, "followup/partners.html", {
        "rows": followup.partners(services, as_of), "as_of": as_of, "on_date": _on_date(services, as_of),
        "can_edit": followup.can_edit(principal),
    }, principal=principal)


@router.get("/followup/partners/{code}")
def partner_page(code: str, request: Request, services: Services = Depends(get_services),
                 principal: Principal = Depends(web_principal)) -> Response:
    as_of = _date_param(request, "as_of") or followup.today(services)
    view = followup.partner(services, code, as_of)
    return render(request, "followup/partner.html", {
        "v": view, "as_of": as_of, "on_date": _on_date(services, as_of), "versions": followup.versions_of(services),
        "dates": followup.item_dates(services, as_of), "can_edit": followup.can_edit(principal),
    }, principal=principal)


@router.get("/followup/funding")
def funding_page(request: Request, services: Services = Depends(get_services),
                 principal: Principal = Depends(web_principal)) -> Response:
    as_of = _date_param(request, "as_of") or followup.today(services)
    state = request.query_params.get("member_state", "").strip()
    o = followup.funding(services, as_of, state or None)
    million = 1_000_000
    # The charts draw the net figures: the overlaps the annex states are not drawn twice.
    stage_rows = [{"stage": s, "amount": float(v) / million} for s, v in o.net_by_stage.items()]
    partner_rows = [{"partner": p.name, "amount": float(p.totals.net_eur) / million}
                    for p in o.by_partner]
    line_rows = [{"commitment": f"Commitment {line['commitment']}",
                  "amount": float(line["net_eur"]) / million, "stage": line["stage"]}
                 for line in o.lines]
    return render(request, "followup/funding.html", {
        "o": o, "as_of": as_of, "states": sorted(MEMBER_STATES.items()),
        "stage_spec": _bar_spec(stage_rows, "amount", "stage", "By stage (net)"),
        "partner_spec": _bar_spec(partner_rows, "amount", "partner",
                                  "By partner (net)"),
        "commitment_spec": _bar_spec(line_rows, "amount", "commitment",
                                     "By commitment and stage (net)", color="stage"),
    }, principal=principal)


@router.get("/followup/report")
def report_page(request: Request, services: Services = Depends(get_services),
                principal: Principal = Depends(web_principal)) -> Response:
    as_of = _date_param(request, "as_of") or followup.today(services)
    since = _date_param(request, "since")
    sop = followup.state_of_play(services, as_of, since)
    return render(request, "followup/report.html", {"sop": sop, "as_of": as_of, "since": since,
                                                    "can_edit": followup.can_edit(principal)},
                  principal=principal)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise NotFound(f"no follow-up item kind '{kind}'")


@router.post("/followup/load")
def load_annex(services: Services = Depends(get_services),
               principal: Principal = Depends(web_principal)) -> Response:
    followup.load(services, principal)
    return RedirectResponse("/followup", status_code=303)


def _fields(kind: str, data: dict[str, Any], *, new: bool = False) -> list[dict[str, Any]]:
    """The form's fields for an item's ``data``; a new item's key, number or code is typed."""
    out = []
    for name, value in data.items():
        if name in _NESTED or name == "breakdown":
            widget, shown = "yaml", (yaml.safe_dump(value, allow_unicode=True, sort_keys=False)
                                     if value else "")
        elif name in _LISTS or name == "pillars":
            widget, shown = "lines", "\n".join(value or [])
        elif name in _TEXTAREA:
            widget, shown = "textarea", value or ""
        elif _choices(kind, name):
            widget, shown = "select", value or ""
        else:
            widget, shown = "input", "" if value is None else value
        out.append({"name": name, "widget": widget, "value": shown,
                    "readonly": name in _READONLY and not new, "choices": _choices(kind, name)})
    return out


def _by_field(errors: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Each form field's problems, said next to it (``figures.0.value`` is a problem of
    ``figures``, said with the part it names)."""
    out: dict[str, list[str]] = {}
    for name, message in errors:
        head, _, rest = name.partition(".")
        out.setdefault(head, []).append(f"{rest}: {message}" if rest else message)
    return out


def _all_fields(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every field the kind has, in the model's order (a missing one empty)."""
    return {**dict.fromkeys(item_fields(kind)), **data}


def _form_context(services: Services, kind: str, data: dict[str, Any], errors: list[tuple[str, str]] | None,
                  form: dict[str, str] | None, *, new: bool) -> dict[str, Any]:
    """What the item form (``followup/edit.html``) shows, for a new item or an edit: every field of
    the kind (an item stored before a field existed, e.g. a funding line's ``overlaps``, shows it
    empty)."""
    return {"kind": kind, "label": KIND_LABELS[kind], "fields": _fields(kind, _all_fields(kind, data), new=new),
            "errors": errors or [], "field_errors": _by_field(errors or []), "form": form or {},
            "today": followup.today(services), "new": new}


def _edit_page(request: Request, principal: Principal, services: Services, kind: str, key: str, *,
               data: dict[str, Any] | None = None, errors: list[tuple[str, str]] | None = None,
               form: dict[str, str] | None = None, remove_errors: list[tuple[str, str]] | None = None,
               remove_form: dict[str, str] | None = None, status_code: int = 200) -> Response:
    item = followup.item_view(services, kind, key)
    return render(request, "followup/edit.html", {
        **_form_context(services, kind, data if data is not None else item["data"], errors, form, new=False),
        "key": key, "item": item, "removable": kind != "edition",
        "remove_errors": remove_errors or [], "remove_field_errors": _by_field(remove_errors or []),
        "remove_form": remove_form or {},
    }, principal=principal, status_code=status_code)


@router.get("/followup/items/{kind}/{key}/edit")
def edit_form(kind: str, key: str, request: Request, services: Services = Depends(get_services),
              principal: Principal = Depends(web_principal)) -> Response:
    _check_kind(kind)
    followup.require_editor(principal)
    return _edit_page(request, principal, services, kind, key)


def _valid_from(text: str) -> date | None:
    """The edit's "valid from" date, blank for today; a problem naming the field otherwise."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ValidationProblem.one("valid_from", f"'{text[:20]}' is not a date YYYY-MM-DD") from None


def _changes(form: Any, current: dict[str, Any], *, readonly: Collection[str] = _READONLY,
             ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The fields the edit form changes, read as the item holds them, and the ones it cannot read."""
    changes: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    fields = _all_fields(current["kind"], current["data"]) if "kind" in current else current["data"]
    for name, old in fields.items():
        if name in readonly or name not in form:
            continue
        raw = str(form.get(name, ""))
        value: Any
        if name in _NESTED or name == "breakdown":
            try:
                value = yaml.safe_load(raw) if raw.strip() else ([] if name in _NESTED else None)
            except yaml.YAMLError as exc:
                problems.append((name, f"not valid YAML: {exc}"))
                continue
            except ValueError as exc:  # a well-formed scalar YAML cannot make: 2026-13-45 as a date
                problems.append((name, f"not a valid value: {exc}"))
                continue
        elif name in _LISTS:
            value = [line.strip() for line in raw.splitlines() if line.strip()]
        else:
            value = raw.strip() or None
        if value != old:
            changes[name] = value
    return changes, problems


def _edit_refused(request: Request, services: Services, principal: Principal, typed: Any,
                  problem: ValidationProblem, kind: str, key: str) -> Response:
    """The edit form again, with what was typed and each field's problem."""
    _check_kind(kind)
    followup.require_editor(principal)
    current = followup.item_view(services, kind, key)
    changes, _ = _changes(typed, current)
    return _edit_page(request, principal, services, kind, key, data={**current["data"], **changes},
                      errors=list(problem.problems), form=dict(typed.items()), status_code=422)


@router.post("/followup/items/{kind}/{key}/edit")
@refused_form_page(_edit_refused)
async def edit_submit(kind: str, key: str, request: Request,
                      services: Services = Depends(get_services),
                      principal: Principal = Depends(web_principal)) -> Response:
    _check_kind(kind)
    followup.require_editor(principal)
    form = await request.form()
    current = followup.item_view(services, kind, key)
    changes, problems = _changes(form, current)
    try:
        if problems:
            raise ValidationProblem(problems)
        version = required_whole_number(form, "version", minimum=0)
        valid_from = str(form.get("valid_from", "")).strip()
        edit = followup.ItemEdit(
            version=version, changes=changes,
            valid_from=_valid_from(valid_from),
            reason=str(form.get("reason", "")).strip() or None,
        )
        saved = followup.update_item(services, principal, kind, key, edit)
    except ValidationProblem as exc:
        errs = exc.problems
        data = {**current["data"], **changes}
        return _edit_page(request, principal, services, kind, key, data=data, errors=errs,
                          form={k: str(v) for k, v in form.items()}, status_code=422)
    except Conflict as exc:  # a stale version: the page says so and keeps what was typed
        return _edit_page(request, principal, services, kind, key, data={**current["data"], **changes},
                          errors=[("", str(exc))], form={k: str(v) for k, v in form.items()}, status_code=409)
    return RedirectResponse(f"/followup/items/{kind}/{key}/history?saved={saved['version']}", status_code=303)


@router.get("/followup/items/{kind}/{key}/history")
def history_page(kind: str, key: str, request: Request, services: Services = Depends(get_services),
                 principal: Principal = Depends(web_principal)) -> Response:
    entries = followup.history(services, kind, key)
    saved = request.query_params.get("saved")
    done = request.query_params.get("done", "")
    return render(request, "followup/history.html", {
        "kind": kind, "key": key, "label": KIND_LABELS.get(kind, kind), "entries": entries,
        "can_edit": followup.can_edit(principal), "back": _item_page(services, kind, key),
        "live": _is_live(services, kind, key),
        "saved": None if saved is None else (int(saved) if saved.isdigit() else 0),
        "done": done if done in ("created", "removed") else "",
    }, principal=principal)


def _is_live(services: Services, kind: str, key: str) -> bool:
    """Whether the item is in the state of play now (not removed)."""
    try:
        followup.item_view(services, kind, key)
    except NotFound:
        return False
    return True


def _item_page(services: Services, kind: str, key: str) -> tuple[str, str] | None:
    """The page that shows the item (its commitment, partner or action plan), as (address, label)."""
    try:
        view = followup.item_view(services, kind, key)
    except NotFound:  # a deleted item: its history only
        return None
    parent = view["parent"]
    if kind == "commitment":
        return f"/followup/commitments/{key}", f"Commitment {key}"
    if kind in ("action", "milestone", "funding") and parent and str(parent).isdigit():
        return f"/followup/commitments/{parent}", f"Commitment {parent}"
    if kind == "partner":
        return f"/followup/partners/{key}", f"Partner {key}"
    if kind == "action_plan":
        return f"/followup/action-plans/{quote(key)}", str(view["data"].get("title") or key)
    if kind == "plan_milestone" and parent:
        return f"/followup/action-plans/{quote(str(parent))}", f"Action plan {parent}"
    return None


# -- a new item -----------------------------------------------------------------------------------


def _check_new_kind(kind: str) -> None:
    _check_kind(kind)
    if kind == "edition":
        raise NotFound("an edition is not created item by item: load the annex or import a file")


def _blank(kind: str) -> dict[str, Any]:
    """A new item's fields, all empty, in the order the edit form shows them."""
    return dict.fromkeys(item_fields(kind))


def _parents(services: Services, kind: str) -> list[tuple[str, str]] | None:
    """What a new item of ``kind`` may belong to, as (key, label); None for a kind of its own."""
    parent_kind = PARENT_KIND.get(kind)
    if parent_kind is None:
        return None
    annex = followup.current(services)
    if parent_kind == "commitment":
        return [(str(c.number), f"Commitment {c.number}: {shortened(' '.join(c.text.split()), 70)}")
                for c in annex.commitments]
    return [(p.key, shortened(p.title, 80)) for p in annex.action_plans]


def _list_page(kind: str, parent: str) -> tuple[str, str]:
    """The page that lists items of ``kind`` (under ``parent``), as (address, label)."""
    if kind == "partner":
        return "/followup/partners", "Partner countries"
    if kind in ("action", "milestone", "funding") and parent.isdigit():
        return f"/followup/commitments/{parent}", f"Commitment {parent}"
    if kind == "plan_milestone" and parent:
        return f"/followup/action-plans/{quote(parent)}", f"Action plan {parent}"
    if kind in ("action_plan", "plan_milestone"):
        return "/followup/action-plans", "EU action plans"
    return "/followup", "Commitments"


def _new_page(request: Request, principal: Principal, services: Services, kind: str, *,
              data: dict[str, Any] | None = None, errors: list[tuple[str, str]] | None = None,
              form: dict[str, str] | None = None, status_code: int = 200) -> Response:
    typed = form or {}
    return render(request, "followup/edit.html", {
        **_form_context(services, kind, data if data is not None else _blank(kind), errors, typed, new=True),
        "parents": _parents(services, kind), "back": _list_page(kind, typed.get("parent", "")),
    }, principal=principal, status_code=status_code)


@router.get("/followup/items/{kind}/new")
def new_form(kind: str, request: Request, services: Services = Depends(get_services),
             principal: Principal = Depends(web_principal)) -> Response:
    """The form of a new item of ``kind`` (``?parent=`` chooses the commitment or plan)."""
    _check_new_kind(kind)
    followup.require_editor(principal)
    parent = request.query_params.get("parent", "").strip()
    return _new_page(request, principal, services, kind, form={"parent": parent} if parent else None)


def _new_refused(request: Request, services: Services, principal: Principal, typed: Any,
                 problem: ValidationProblem, kind: str) -> Response:
    """The new item's form again, with what was typed and each field's problem."""
    _check_new_kind(kind)
    followup.require_editor(principal)
    return _new_page(request, principal, services, kind, errors=list(problem.problems),
                     form=dict(typed.items()), status_code=422)


@router.post("/followup/items/{kind}/new")
@refused_form_page(_new_refused)
async def new_submit(kind: str, request: Request, services: Services = Depends(get_services),
                     principal: Principal = Depends(web_principal)) -> Response:
    _check_new_kind(kind)
    followup.require_editor(principal)
    form = await request.form()
    typed = dict(typed_text(form))
    data, problems = _changes(form, {"data": _blank(kind)}, readonly=())
    try:
        try:
            valid_from = _valid_from(typed.get("valid_from", "").strip())
        except ValidationProblem as exc:
            problems += exc.problems
        if problems:
            raise ValidationProblem(problems)
        created = followup.create_item(services, principal, kind, followup.ItemCreate(
            parent=typed.get("parent", "").strip() or None, data=data, valid_from=valid_from,
            reason=typed.get("reason", "").strip() or None,
        ))
    except ValidationProblem as exc:
        return _new_page(request, principal, services, kind, errors=list(exc.problems), form=typed,
                         status_code=422)
    except Conflict as exc:  # the key is taken
        return _new_page(request, principal, services, kind, errors=[("", str(exc))], form=typed,
                         status_code=409)
    return RedirectResponse(f"/followup/items/{kind}/{quote(created['key'], safe='')}/history?done=created",
                            status_code=303)


# -- removing an item -----------------------------------------------------------------------------


def _remove_refused(request: Request, services: Services, principal: Principal, typed: Any,
                    problem: ValidationProblem, kind: str, key: str) -> Response:
    """The item's page again, the removal's problems next to its fields and what was typed kept."""
    _check_kind(kind)
    followup.require_editor(principal)
    return _edit_page(request, principal, services, kind, key, remove_errors=list(problem.problems),
                      remove_form=dict(typed.items()), status_code=422)


@router.post("/followup/items/{kind}/{key}/remove")
@refused_form_page(_remove_refused)
async def remove_submit(kind: str, key: str, request: Request,
                        services: Services = Depends(get_services),
                        principal: Principal = Depends(web_principal)) -> Response:
    """Remove the item from the state of play from a date (its history keeps it)."""
    _check_kind(kind)
    followup.require_editor(principal)
    form = await request.form()
    typed = dict(typed_text(form))
    problems: list[tuple[str, str]] = []
    version = valid_from = None
    try:
        version = required_whole_number(form, "version", minimum=0)
    except ValidationProblem as exc:
        problems += exc.problems
    try:
        valid_from = _valid_from(typed.get("valid_from", "").strip())
    except ValidationProblem as exc:
        problems += exc.problems
    if not typed.get("confirm"):
        problems.append(("confirm", "tick the box to confirm the removal"))
    try:
        if problems or version is None:
            raise ValidationProblem(problems)
        followup.delete_item(services, principal, kind, key, version, valid_from,
                             typed.get("reason", "").strip() or None)
    except ValidationProblem as exc:
        return _edit_page(request, principal, services, kind, key, remove_errors=list(exc.problems),
                          remove_form=typed, status_code=422)
    except Conflict as exc:  # a stale version, items still under it, or a follow-up made inconsistent
        return _edit_page(request, principal, services, kind, key, remove_errors=[("", str(exc))],
                          remove_form=typed, status_code=409)
    return RedirectResponse(f"/followup/items/{kind}/{quote(key, safe='')}/history?done=removed",
                            status_code=303)


# -- importing a file -----------------------------------------------------------------------------

#: The largest file the import page takes (the shipped annex is some 45 KB in either format); the
#: confirmation sends it back base64-encoded, within the 1 MB a form field may hold.
MAX_IMPORT_BYTES = MAX_UPLOAD_BYTES
_FORMATS = ("auto", "csv", "yaml")
_LINE = re.compile(r"line (\d+): (.*)", re.DOTALL)


def _import_format(chosen: str, filename: str) -> str:
    if chosen not in _FORMATS:
        raise ValidationProblem.one("format", f"use one of {', '.join(_FORMATS)}")
    if chosen != "auto":
        return chosen
    fmt = {".csv": "csv", ".yaml": "yaml", ".yml": "yaml"}.get(PurePath(filename).suffix.lower())
    if fmt is None:
        raise ValidationProblem.one("format", "the file name does not say CSV or YAML: choose the format")
    return fmt


async def _uploaded_text(upload: Any) -> tuple[str, str]:
    """The uploaded file's text and name; a problem of the ``file`` field naming its line otherwise."""
    text = await uploaded_text(upload, max_bytes=MAX_IMPORT_BYTES)
    if text is None:
        raise ValidationProblem.one("file", "choose the file to import")
    return text, upload.filename


def _file_problem(field: str, message: str, fmt: str) -> str:
    """A problem of the file as its editor finds it: the line, the column (CSV) or field (YAML)
    and what is wrong, with the place in the annex it concerns."""
    found = _LINE.fullmatch(message)
    if found is None:
        return message if field in ("file", "") or field.startswith("(") else f"{field}: {message}"
    line, what = found.groups()
    column = next((part for part in reversed(field.split(".")) if part in COLUMNS), None)
    where = f"Line {line}" + (f", {'column' if fmt == 'csv' else 'field'} {column}" if column else "")
    place = f" ({field})" if field and field != column and not field.startswith("(") and field != "file" else ""
    return f"{where}: {what}{place}"


def _import_page(request: Request, principal: Principal, services: Services, *,
                 plan: followup.ImportPlan | None = None, text: str = "", filename: str = "",
                 errors: list[tuple[str, str]] | None = None, form: dict[str, str] | None = None,
                 fmt: str = "", status_code: int = 200) -> Response:
    """The import form, a preview (``plan``) with its confirmation, or the file's problems."""
    form_fields: dict[str, list[str]] = {}
    file_problems: list[str] = []
    for field, message in errors or []:
        if field in ("format", "valid_from"):
            form_fields.setdefault(field, []).append(message)
        else:
            file_problems.append(_file_problem(field, message, fmt))
    return render(request, "followup/import.html", {
        "plan": plan, "encoded": base64.b64encode(text.encode()).decode() if plan is not None else "",
        "filename": filename, "form": form or {}, "field_errors": form_fields,
        "file_problems": file_problems, "formats": _FORMATS, "today": followup.today(services),
        "max_kb": MAX_IMPORT_BYTES // 1024,
    }, principal=principal, status_code=status_code)


@router.get("/followup/import")
def import_form(request: Request, services: Services = Depends(get_services),
                principal: Principal = Depends(web_principal)) -> Response:
    followup.require_editor(principal)
    return _import_page(request, principal, services)


def _import_refused(request: Request, services: Services, principal: Principal, typed: Any,
                    problem: ValidationProblem) -> Response:
    followup.require_editor(principal)
    form = {k: v for k, v in typed.items() if k in ("format", "valid_from")}
    return _import_page(request, principal, services, errors=list(problem.problems), form=form,
                        status_code=422)


@router.post("/followup/import")
@refused_form_page(_import_refused)
async def import_preview(request: Request, services: Services = Depends(get_services),
                         principal: Principal = Depends(web_principal)) -> Response:
    """What importing the uploaded file would change, with a button that applies it; nothing is
    written here."""
    followup.require_editor(principal)
    form = await request.form()
    typed = {k: v for k, v in form.items() if isinstance(v, str) and k in ("format", "valid_from")}
    fmt = ""
    try:
        text, filename = await _uploaded_text(form.get("file"))
        fmt = _import_format(typed.get("format", "auto"), filename)
        plan = followup.import_plan(services, principal, text, fmt,
                                    _valid_from(typed.get("valid_from", "").strip()), date_field="valid_from")
    except ValidationProblem as exc:
        return _import_page(request, principal, services, errors=list(exc.problems), form=typed,
                            fmt=fmt, status_code=422)
    except Conflict as exc:  # the result would not make one consistent follow-up
        return _import_page(request, principal, services, errors=[("", str(exc))], form=typed,
                            fmt=fmt, status_code=409)
    return _import_page(request, principal, services, plan=plan, text=text, filename=filename,
                        form=typed, fmt=fmt)


@router.post("/followup/import/confirm")
@refused_form_page(_import_refused)
async def import_confirm(request: Request, services: Services = Depends(get_services),
                         principal: Principal = Depends(web_principal)) -> Response:
    """Apply the previewed import, unless it would now do something else than the preview said
    (409, with the new preview)."""
    followup.require_editor(principal)
    form = await request.form()
    typed = dict(typed_text(form))
    fmt = typed.get("format", "")
    kept = {"format": fmt, "valid_from": typed.get("valid_from", "")}
    try:
        try:
            text = base64.b64decode(typed.get("text", ""), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise ValidationProblem.one("file", "the previewed file did not come back whole: "
                                                "choose it again") from None
        if fmt not in ("csv", "yaml") or not typed.get("plan"):
            raise ValidationProblem.one("file", "the preview is missing: choose the file again")
        valid_from = _valid_from(typed.get("valid_from", "").strip())
        result = followup.import_text(services, principal, text, fmt, valid_from, expected=typed["plan"],
                                      date_field="valid_from")
    except ValidationProblem as exc:
        return _import_page(request, principal, services, errors=list(exc.problems), form=kept,
                            fmt=fmt, status_code=422)
    except Conflict as exc:  # the follow-up changed since the preview: show what it would do now
        plan = None
        with contextlib.suppress(ValidationProblem, Conflict):  # nor would it now: the message says why
            plan = followup.import_plan(services, principal, text, fmt, valid_from, date_field="valid_from")
        return _import_page(request, principal, services, plan=plan, text=text,
                            filename=typed.get("filename", ""), errors=[("", str(exc))], form=kept,
                            fmt=fmt, status_code=409)
    counts = f"created={result.created}&changed={result.updated}&removed={result.deleted}"
    return RedirectResponse(f"/followup?as_of={result.valid_from.isoformat()}&imported=1&{counts}",
                            status_code=303)
