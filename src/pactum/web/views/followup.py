"""Follow-up screens: commitments, a commitment, partners, funding overview with charts, the
state-of-play page, and item editing with per-item history for authorised users."""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from pactum.api.deps import get_services
from pactum.common.errors import NotFound, ValidationProblem
from pactum.followup.items import KIND_LABELS, KINDS
from pactum.followup.model import PlanStatus, Stage, Status
from pactum.services import followup
from pactum.services import indicators as indicator_registry
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.web.forms import refused_form_page, required_whole_number
from pactum.web.render import TEMPLATES, NavItem, render, web_principal

router = APIRouter()
NAV = [NavItem("Follow-up", "/followup", order=80)]

TEMPLATES.env.filters.update(followup.template_filters())

_TEXTAREA = {"text", "description", "progress", "note", "status_note", "footnote", "source"}
_LISTS = {"partners", "pillars", "funding_refs"}
_NESTED = {"figures", "tranches", "components"}
_READONLY = {"key", "number", "code"}


def _choices(kind: str, name: str) -> list[str] | None:
    if name == "indicator":
        return ["", *indicator_registry.load_all()]
    if name == "status":
        return [s.value for s in (PlanStatus if kind == "action_plan" else Status)]
    if name == "stage":
        return [s.value for s in Stage]
    return None


def _date_param(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationProblem.one(name, f"'{raw}' is not a date (YYYY-MM-DD)") from None


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
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title, "width": "container", "data": {"values": rows},
        "mark": "bar", "encoding": encoding,
    }


@router.get("/followup")
def commitments_page(request: Request, services: Services = Depends(get_services),
                     principal: Principal = Depends(web_principal)) -> Response:
    as_of = _date_param(request, "as_of") or followup.today(services)
    status = request.query_params.get("status", "")
    statuses = [s.value for s in Status]
    if status and status not in statuses:
        raise ValidationProblem.one("status", f"use one of {', '.join(statuses)}")
    try:
        rows = followup.commitments(services, as_of)
    except NotFound as exc:
        return render(request, "followup/empty.html", {
            "message": str(exc), "can_edit": followup.can_edit(principal)}, principal=principal)
    if status:
        rows = [r for r in rows if r.status == status]
    return render(request, "followup/commitments.html", {
        "rows": rows, "as_of": as_of, "status": status, "statuses": statuses,
        "can_edit": followup.can_edit(principal),
    }, principal=principal)


@router.get("/followup/commitments/{number}")
def commitment_page(number: int, request: Request, services: Services = Depends(get_services),
                    principal: Principal = Depends(web_principal)) -> Response:
    as_of = _date_param(request, "as_of") or followup.today(services)
    c = followup.commitment(services, number, as_of)
    from pactum.followup.funding import totals

    return render(request, "followup/commitment.html", {
        "c": c, "as_of": as_of, "totals": totals(c.funding), "versions": followup.versions_of(services),
        "can_edit": followup.can_edit(principal),
    }, principal=principal)


@router.get("/followup/partners")
def partners_page(request: Request, services: Services = Depends(get_services),
                  principal: Principal = Depends(web_principal)) -> Response:
    return render(request, "followup/partners.html", {
        "rows": followup.partners(services, _date_param(request, "as_of")),
    }, principal=principal)


@router.get("/followup/partners/{code}")
def partner_page(code: str, request: Request, services: Services = Depends(get_services),
                 principal: Principal = Depends(web_principal)) -> Response:
    view = followup.partner(services, code, _date_param(request, "as_of"))
    return render(request, "followup/partner.html", {
        "v": view, "versions": followup.versions_of(services), "can_edit": followup.can_edit(principal),
    }, principal=principal)


@router.get("/followup/funding")
def funding_page(request: Request, services: Services = Depends(get_services),
                 principal: Principal = Depends(web_principal)) -> Response:
    o = followup.funding(services, _date_param(request, "as_of"))
    million = 1_000_000
    stage_rows = [{"stage": s, "amount": float(v) / million} for s, v in o.by_stage.items()]
    partner_rows = [{"partner": p.name, "amount": float(p.totals.total_eur) / million}
                    for p in o.by_partner]
    line_rows = [{"commitment": f"Commitment {line['commitment']}",
                  "amount": float(line["amount_eur"]) / million, "stage": line["stage"]}
                 for line in o.lines]
    return render(request, "followup/funding.html", {
        "o": o,
        "stage_spec": _bar_spec(stage_rows, "amount", "stage", "By stage"),
        "partner_spec": _bar_spec(partner_rows, "amount", "partner",
                                  "By partner"),
        "commitment_spec": _bar_spec(line_rows, "amount", "commitment", "By commitment and stage",
                                     color="stage"),
    }, principal=principal)


@router.get("/followup/report")
def report_page(request: Request, services: Services = Depends(get_services),
                principal: Principal = Depends(web_principal)) -> Response:
    as_of = _date_param(request, "as_of") or followup.today(services)
    since = _date_param(request, "since")
    sop = followup.state_of_play(services, as_of, since)
    return render(request, "followup/report.html", {"sop": sop, "as_of": as_of, "since": since},
                  principal=principal)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise NotFound(f"no follow-up item kind '{kind}'")


@router.post("/followup/load")
def load_annex(services: Services = Depends(get_services),
               principal: Principal = Depends(web_principal)) -> Response:
    followup.load(services, principal)
    return RedirectResponse("/followup", status_code=303)


def _fields(kind: str, data: dict[str, Any]) -> list[dict[str, Any]]:
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
        out.append({"name": name, "widget": widget, "value": shown, "readonly": name in _READONLY,
                    "choices": _choices(kind, name)})
    return out


def _edit_page(request: Request, principal: Principal, services: Services, kind: str, key: str, *,
               data: dict[str, Any] | None = None, errors: list[tuple[str, str]] | None = None,
               form: dict[str, str] | None = None, status_code: int = 200) -> Response:
    item = followup.item_view(services, kind, key)
    return render(request, "followup/edit.html", {
        "kind": kind, "key": key, "label": KIND_LABELS[kind], "item": item,
        "fields": _fields(kind, data if data is not None else item["data"]),
        "errors": errors or [], "form": form or {}, "today": followup.today(services),
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


def _changes(form: Any, current: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The fields the edit form changes, read as the item holds them, and the ones it cannot read."""
    changes: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name, old in current["data"].items():
        if name in _READONLY or name not in form:
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
    return RedirectResponse(f"/followup/items/{kind}/{key}/history?saved={saved['version']}", status_code=303)


@router.get("/followup/items/{kind}/{key}/history")
def history_page(kind: str, key: str, request: Request, services: Services = Depends(get_services),
                 principal: Principal = Depends(web_principal)) -> Response:
    entries = followup.history(services, kind, key)
    saved = request.query_params.get("saved")
    return render(request, "followup/history.html", {
        "kind": kind, "key": key, "label": KIND_LABELS.get(kind, kind), "entries": entries,
        "can_edit": followup.can_edit(principal), "back": _item_page(services, kind, key),
        "saved": None if saved is None else (int(saved) if saved.isdigit() else 0),
    }, principal=principal)


def _item_page(services: Services, kind: str, key: str) -> tuple[str, str] | None:
    """The page that shows the item (its commitment, partner or action plan), as (address, label)."""
    try:
        parent = followup.item_view(services, kind, key)["parent"]
    except NotFound:  # a deleted item: its history only
        return None
    if kind == "commitment":
        return f"/followup/commitments/{key}", f"Commitment {key}"
    if kind in ("action", "milestone", "funding") and parent and str(parent).isdigit():
        return f"/followup/commitments/{parent}", f"Commitment {parent}"
    if kind == "partner":
        return f"/followup/partners/{key}", f"Partner {key}"
    return None
