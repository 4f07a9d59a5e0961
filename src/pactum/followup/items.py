"""The annex as a flat list of items, each edited, versioned and audited on its own.

An item is one edition, partner, commitment, action (with its figures), milestone, funding line
(with its tranches and components) or action plan. ``items`` takes an ``Annex`` apart and
``assemble`` puts it back together in document order; ``diff`` lists what changed between two
states of the annex, item by item and field by field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel

from pactum.followup.model import (
    Action,
    ActionPlan,
    Annex,
    Commitment,
    Edition,
    FundingLine,
    Milestone,
    Partner,
)

KINDS: tuple[str, ...] = (
    "edition",
    "partner",
    "commitment",
    "action",
    "milestone",
    "funding",
    "action_plan",
    "plan_milestone",
)
MODELS: dict[str, type[BaseModel]] = {
    "edition": Edition,
    "partner": Partner,
    "commitment": Commitment,
    "action": Action,
    "milestone": Milestone,
    "funding": FundingLine,
    "action_plan": ActionPlan,
    "plan_milestone": Milestone,
}
KIND_LABELS = {
    "edition": "Edition",
    "partner": "Partner country",
    "commitment": "Commitment",
    "action": "Action",
    "milestone": "Milestone",
    "funding": "Funding line",
    "action_plan": "Action plan",
    "plan_milestone": "Action plan milestone",
}
# Fields held by child items, not by the parent item itself.
_CHILDREN = {"commitment": ("actions", "milestones", "funding"), "action_plan": ("milestones",)}
PARENT_KIND = {
    "action": "commitment",
    "milestone": "commitment",
    "funding": "commitment",
    "plan_milestone": "action_plan",
}


@dataclass(frozen=True)
class Item:
    kind: str
    key: str
    parent: str | None
    position: int
    data: dict[str, Any]

    @property
    def ident(self) -> str:
        return f"{self.kind}:{self.key}"


def item_data(kind: str, model: BaseModel) -> dict[str, Any]:
    data = model.model_dump(mode="json")
    for child in _CHILDREN.get(kind, ()):
        data.pop(child, None)
    return data


def item_fields(kind: str) -> tuple[str, ...]:
    """The fields an item of ``kind`` holds itself (not its children), in the model's order."""
    return tuple(name for name in MODELS[kind].model_fields if name not in _CHILDREN.get(kind, ()))


def validate_item(kind: str, data: dict[str, Any], today: date | None = None) -> dict[str, Any]:
    """Check one item's own fields; return them in canonical JSON form. With ``today``, a date
    that records something having happened (a milestone done, a tranche disbursed, a completed
    action's end) is refused after it."""
    model_cls = MODELS[kind]
    payload = dict(data)
    for child in _CHILDREN.get(kind, ()):
        payload.setdefault(child, [])
    context = {"today": today} if today is not None else None
    return item_data(kind, model_cls.model_validate(payload, context=context))


def item_key(kind: str, data: dict[str, Any]) -> str:
    if kind == "edition":
        return "edition"
    if kind == "partner":
        return str(data["code"])
    if kind == "commitment":
        return str(data["number"])
    return str(data["key"])


#: Which item kind a list of the annex holds, by the kind holding it (``annex``: the document).
_CONTAINED = {
    ("annex", "partners"): "partner",
    ("annex", "commitments"): "commitment",
    ("commitment", "actions"): "action",
    ("commitment", "milestones"): "milestone",
    ("commitment", "funding"): "funding",
    ("annex", "action_plans"): "action_plan",
    ("action_plan", "milestones"): "plan_milestone",
}


def locate(annex: Annex, loc: tuple[str | int, ...]) -> tuple[str, str, tuple[str | int, ...]]:
    """The item a location in the whole document points into, and the location within that item:
    ``("commitments", 0, "actions", 1, "partners")`` is ``("action", "1.b", ("partners",))``.
    A location outside every item is ``("annex", "", loc)``."""
    kind, key, obj, i = "annex", "", annex, 0
    if loc[:1] == ("edition",):
        return "edition", "edition", tuple(loc[1:])
    while i + 1 < len(loc) and (kind, loc[i]) in _CONTAINED and isinstance(loc[i + 1], int):
        within = getattr(obj, str(loc[i]))
        index = int(loc[i + 1])
        if not 0 <= index < len(within):
            break
        kind, obj = _CONTAINED[(kind, str(loc[i]))], within[index]
        key = item_key(kind, item_data(kind, obj))
        i += 2
    return kind, key, tuple(loc[i:])


def items(annex: Annex) -> list[Item]:
    out = [Item("edition", "edition", None, 0, item_data("edition", annex.edition))]
    out += [
        Item("partner", p.code, None, i, item_data("partner", p)) for i, p in enumerate(annex.partners)
    ]
    for ci, c in enumerate(annex.commitments):
        out.append(Item("commitment", c.key, None, ci, item_data("commitment", c)))
        out += [Item("action", a.key, c.key, i, item_data("action", a)) for i, a in enumerate(c.actions)]
        out += [
            Item("milestone", m.key, c.key, i, item_data("milestone", m))
            for i, m in enumerate(c.milestones)
        ]
        out += [
            Item("funding", f.key, c.key, i, item_data("funding", f)) for i, f in enumerate(c.funding)
        ]
    for pi, plan in enumerate(annex.action_plans):
        out.append(Item("action_plan", plan.key, None, pi, item_data("action_plan", plan)))
        out += [
            Item("plan_milestone", m.key, plan.key, i, item_data("plan_milestone", m))
            for i, m in enumerate(plan.milestones)
        ]
    return out


def assemble(parts: list[Item], *, check_references: bool = True) -> Annex:
    """Build the annex from its items (any order); raises ``ValueError`` if it is incomplete.

    With ``check_references=False`` the caller checks ``Annex.reference_problems`` itself.
    """
    ordered = sorted(parts, key=lambda it: (KINDS.index(it.kind), it.parent or "", it.position))
    edition = [it for it in ordered if it.kind == "edition"]
    if not edition:
        raise ValueError("no edition: load the annex first (pactum followup load)")
    commitments: dict[str, dict[str, Any]] = {}
    plans: dict[str, dict[str, Any]] = {}
    doc: dict[str, Any] = {"edition": edition[0].data, "partners": [], "commitments": [],
                           "action_plans": []}
    for it in ordered:
        if it.kind == "partner":
            doc["partners"].append(it.data)
        elif it.kind == "commitment":
            commitments[it.key] = {**it.data, "actions": [], "milestones": [], "funding": []}
        elif it.kind == "action_plan":
            plans[it.key] = {**it.data, "milestones": []}
    for it in ordered:
        if it.kind in ("action", "milestone", "funding"):
            bucket = {"action": "actions", "milestone": "milestones", "funding": "funding"}[it.kind]
            parent = commitments.get(it.parent or "")
            if parent is None:
                raise ValueError(f"{it.kind} {it.key} belongs to commitment {it.parent}, which is gone")
            parent[bucket].append(it.data)
        elif it.kind == "plan_milestone":
            plan = plans.get(it.parent or "")
            if plan is None:
                raise ValueError(f"milestone {it.key} belongs to action plan {it.parent}, which is gone")
            plan["milestones"].append(it.data)
    doc["commitments"] = sorted(commitments.values(), key=lambda c: int(c["number"]))
    plan_order = {it.key: it.position for it in ordered if it.kind == "action_plan"}
    doc["action_plans"] = sorted(plans.values(), key=lambda p: plan_order[p["key"]])
    return Annex.model_validate(doc, context={"defer_references": not check_references})


class Change(BaseModel):
    kind: str
    key: str
    label: str
    change: Literal["added", "changed", "removed"]
    fields: list[str] = []


def item_label(it: Item) -> str:
    """The item as a reader names it: its kind, key and the start of its text."""
    d = it.data
    text = d.get("title") or d.get("name") or d.get("description") or d.get("instrument") or d.get("text") or ""
    text = " ".join(str(text).split())
    if len(text) > 90:
        text = text[:87].rstrip() + "..."
    return f"{KIND_LABELS[it.kind]} {it.key}: {text}" if it.kind != "edition" else "Edition"


def diff(before: Annex | None, after: Annex) -> list[Change]:
    """What changed from ``before`` to ``after``, in document order of ``after`` then removals."""
    old = {it.ident: it for it in items(before)} if before is not None else {}
    out: list[Change] = []
    new_idents: set[str] = set()
    for it in items(after):
        new_idents.add(it.ident)
        prev = old.get(it.ident)
        if prev is None:
            out.append(Change(kind=it.kind, key=it.key, label=item_label(it), change="added"))
        elif prev.data != it.data:
            changed = sorted(k for k in set(prev.data) | set(it.data) if prev.data.get(k) != it.data.get(k))
            out.append(Change(kind=it.kind, key=it.key, label=item_label(it), change="changed", fields=changed))
    for ident, it in old.items():
        if ident not in new_idents:
            out.append(Change(kind=it.kind, key=it.key, label=item_label(it), change="removed"))
    return out
