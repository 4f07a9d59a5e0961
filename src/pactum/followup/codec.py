"""Reading and writing the annex as YAML and as CSV, without loss in either direction.

A malformed file is refused as a whole with ``ValidationProblem``: each problem names the line of
the file and the field (dotted path, e.g. ``commitments.3.funding.0.amount_eur``), so an editor can
find it. Nothing is returned half-read.

The CSV form is one row per item (edition, partner, commitment, action, figure, milestone,
plan_milestone, funding, tranche, component, overlap, action_plan), in document order. A child row
names its parent in the ``parent`` column. Lists are joined with `` | ``; a figure's breakdown is
written ``IT=911 | CY=676``. The columns of the overlaps (``with_line``, ``relation``,
``certainty``, ``quote``) came later: a file written before them (without those columns) is read
as it was, with no overlap.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Any

import yaml
from pydantic import ValidationError

from pactum.common.csvrows import (
    csv_header,
    extra_fields,
    fields_given,
    from_spreadsheet_safe,
    is_short,
    rows_with_lines,
    spreadsheet_safe,
    unclosed_quote_hint,
)
from pactum.common.errors import ValidationProblem
from pactum.followup.model import FORMAT, Annex

Loc = tuple[str | int, ...]

LIST_SEP = " | "

# Column order of the CSV form.
COLUMNS: tuple[str, ...] = (
    "kind", "key", "parent", "format", "number", "title", "as_of", "source", "source_meeting",
    "source_date", "code", "name", "region", "pillars", "group", "text", "lead", "partners",
    "status", "status_note", "start_on", "end_on", "indicator", "footnote", "funding_refs",
    "label", "value", "unit", "qualifier", "breakdown", "description", "action", "due",
    "due_text", "done_on", "amount_eur", "instrument", "stage", "beneficiary", "date", "on",
    "note", "adopted_on", "actions_total", "actions_summary", "progress",
    "with_line", "relation", "certainty", "quote", "indicator_states",
)
#: Columns added after the first CSV form: a file without them is read as before (it has no row
#: that needs them); a file that has one of them must have them all.
LATER_COLUMNS: tuple[str, ...] = ("with_line", "relation", "certainty", "quote")
#: A column added later still, on its own: a file without it is read as before (no action's live
#: figure scoped to states).
STATES_COLUMN = "indicator_states"
_LIST_FIELDS = {"pillars", "partners", "funding_refs", STATES_COLUMN}


# -- shared: turn a pydantic error into problems with lines --------------------------------------


def _line_for(lines: dict[Loc, int], loc: Loc) -> int:
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return 1


MAX_PROBLEMS = 10  # more would hide the first ones; the rest are counted


def _capped(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], ("(document)", f"and {rest} more problem{'s' if rest > 1 else ''}")]


def _problems(exc: ValidationError, lines: dict[Loc, int]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for err in exc.errors(include_url=False):
        loc: Loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        field = ".".join(str(p) for p in loc) or "(document)"
        message = str(err["msg"]).removeprefix("Value error, ")
        out.append((field, f"line {_line_for(lines, loc)}: {message}"))
    return _capped(out)


def _validate(data: Any, lines: dict[Loc, int], today: date | None = None) -> Annex:
    context: dict[str, Any] = {"defer_references": True}
    if today is not None:  # a file read as new input: nothing done or paid after today
        context["today"] = today
    try:
        annex = Annex.model_validate(data, context=context)
    except ValidationError as exc:
        raise ValidationProblem(_problems(exc, lines)) from None
    refs = annex.reference_problems()
    if refs:
        raise ValidationProblem(_capped(
            [(".".join(str(p) for p in loc), f"line {_line_for(lines, loc)}: {msg}")
             for loc, msg in refs]
        ))
    return annex


# -- YAML ------------------------------------------------------------------------------------


def _node_lines(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            _node_lines(value_node, (*loc, key), lines)
            lines[(*loc, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _node_lines(item, (*loc, i), lines)


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader, except that a date the calendar lacks (``due: 2026-02-30``) stays text,
    so that validation names its field and line instead of the parser failing."""


def _timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def load_yaml(text: str, today: date | None = None) -> Annex:
    """Parse and validate the YAML form; ``ValidationProblem`` names line and field. With
    ``today``, a date recording something done or paid is refused after it."""
    # One parse: compose the node tree (which carries line numbers), then build the data from it.
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else 1
        raise ValidationProblem.one("(document)", f"line {line}: {exc.problem}") from None
    finally:
        loader.dispose()
    if node is None or not isinstance(data, dict):
        raise ValidationProblem.one("(document)", "line 1: the file is not a follow-up annex")
    lines: dict[Loc, int] = {}
    _node_lines(node, (), lines)
    return _validate(data, lines, today)


def _compact(value: Any) -> Any:
    """Drop empty values so the YAML stays readable; they read back as their defaults."""
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(annex: Annex) -> str:
    data = _compact(annex.model_dump(mode="json"))
    data["format"] = FORMAT
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


# -- CSV -------------------------------------------------------------------------------------


def _cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name in _LIST_FIELDS:
        for item in value:
            if "|" in str(item):
                raise ValidationProblem.one(name, f"'{item}' contains '|', the CSV list separator")
        return LIST_SEP.join(str(v) for v in value)
    if name == "breakdown":
        return LIST_SEP.join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _row(kind: str, key: str, parent: str, data: dict[str, Any], skip: Iterable[str] = ()) -> dict[str, str]:
    row = {c: "" for c in COLUMNS}
    row.update(kind=kind, key=key, parent=parent)
    for name, value in data.items():
        if name in skip:
            continue
        if name not in row:
            raise ValueError(f"no CSV column for field {name}")
        row[name] = _cell(name, value)
    return row


def dump_csv(annex: Annex) -> str:
    doc = annex.model_dump(mode="json")
    rows: list[dict[str, str]] = []
    rows.append(_row("edition", "", "", {"format": doc["format"], **doc["edition"]}))
    for p in doc["partners"]:
        rows.append(_row("partner", p["code"], "", p, skip={"code"}) | {"code": p["code"]})
    for c in doc["commitments"]:
        ck = str(c["number"])
        rows.append(_row("commitment", ck, "", c, skip={"actions", "milestones", "funding"}))
        for a in c["actions"]:
            rows.append(_row("action", a["key"], ck, a, skip={"key", "figures"}))
            for fig in a["figures"]:
                rows.append(_row("figure", fig["key"], a["key"], fig, skip={"key"}))
        for m in c["milestones"]:
            rows.append(_row("milestone", m["key"], ck, m, skip={"key"}))
        for f in c["funding"]:
            rows.append(_row("funding", f["key"], ck, f,
                             skip={"key", "tranches", "components", "overlaps"}))
            for t in f["tranches"]:
                rows.append(_row("tranche", "", f["key"], t))
            for comp in f["components"]:
                rows.append(_row("component", "", f["key"], comp))
            for overlap in f["overlaps"]:
                rows.append(_row("overlap", "", f["key"], overlap))
    for plan in doc["action_plans"]:
        rows.append(_row("action_plan", plan["key"], "", plan, skip={"key", "milestones"}))
        for m in plan["milestones"]:
            rows.append(_row("plan_milestone", m["key"], plan["key"], m, skip={"key"}))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    # a text a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``-2+3``, ``@SUM(1)``) after
    # an apostrophe, which load_csv drops again
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


_FIELDS: dict[str, tuple[str, ...]] = {
    "edition": ("as_of", "title", "source", "source_date"),
    "partner": ("code", "name", "region", "pillars", "note"),
    "commitment": ("number", "source_meeting", "source_date", "text"),
    "action": ("text", "group", "lead", "partners", "status", "status_note", "start_on", "end_on",
               "indicator", "indicator_states", "footnote", "funding_refs"),
    "figure": ("label", "value", "unit", "as_of", "qualifier", "breakdown"),
    "milestone": ("description", "action", "due", "due_text", "done_on"),
    "plan_milestone": ("description", "action", "due", "due_text", "done_on"),
    "funding": ("action", "amount_eur", "instrument", "stage", "beneficiary", "partners", "date",
                "note"),
    "tranche": ("amount_eur", "stage", "on", "due", "text"),
    "component": ("amount_eur", "text"),
    "overlap": ("with_line", "relation", "amount_eur", "certainty", "quote"),
    "action_plan": ("title", "status", "text", "adopted_on", "actions_total", "actions_summary",
                    "progress"),
}
_KEYED = {"action", "figure", "milestone", "plan_milestone", "funding", "action_plan"}


def load_csv(text: str, today: date | None = None) -> Annex:
    """Parse and validate the CSV form; ``ValidationProblem`` names line and column. With
    ``today``, a date recording something done or paid is refused after it."""
    reader = csv.DictReader(io.StringIO(text))
    header = csv_header(reader, field="(header)")
    if len(header) == 1 and header[0].count(";") > 1:
        raise ValidationProblem.one("(header)", "line 1: the columns are separated by ';': write commas")
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise ValidationProblem.one(unknown[0], "line 1: unknown column")
    # Every column the export writes: a missing one would read as emptied on every row (clearing
    # every due date, say), which is not what anyone removing a column from a sheet means.
    missing = [c for c in COLUMNS if c not in header]
    if set(LATER_COLUMNS) <= set(missing):  # a file written before the overlaps: none to read
        missing = [c for c in missing if c not in LATER_COLUMNS]
    missing = [c for c in missing if c != STATES_COLUMN]
    if missing:
        if not header:
            raise ValidationProblem.one("(header)", "line 1: the file is empty; the first line names the columns")
        shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
        raise ValidationProblem.one(
            "(header)", f"line 1: the header lacks {shown}: write every column the export writes "
                        "(leave the cells empty)")
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise ValidationProblem.one(duplicated[0], "line 1: the header names this column twice")

    lines: dict[Loc, int] = {}
    doc: dict[str, Any] = {"partners": [], "commitments": [], "action_plans": []}
    commitments: dict[str, tuple[int, dict[str, Any]]] = {}
    actions: dict[str, tuple[Loc, dict[str, Any]]] = {}
    funding: dict[str, tuple[Loc, dict[str, Any]]] = {}
    plans: dict[str, tuple[int, dict[str, Any]]] = {}

    def fields(kind: str, row: dict[str, str | None], line: int, loc: Loc) -> dict[str, Any]:
        data: dict[str, Any] = {}
        allowed = _FIELDS[kind]
        for name in header:
            if name in ("kind", "key", "parent"):
                continue
            raw = (row.get(name) or "").strip()
            if not raw:
                continue
            if name == "format":
                if kind != "edition":
                    raise ValidationProblem.one(name, f"line {line}: only the edition row has a format")
                continue
            if name not in allowed:
                raise ValidationProblem.one(name, f"line {line}: a {kind} row has no {name}")
            lines[(*loc, name)] = line
            if name in _LIST_FIELDS:
                data[name] = [v.strip() for v in raw.split("|") if v.strip()]
            elif name == "breakdown":
                pairs: dict[str, str] = {}
                for part in raw.split("|"):
                    k, sep, v = part.partition("=")
                    if not sep:
                        raise ValidationProblem.one(
                            name, f"line {line}: write the breakdown as CODE=VALUE | CODE=VALUE"
                        )
                    pairs[k.strip()] = v.strip()
                data[name] = pairs
            else:
                data[name] = raw
        return data

    def parent_of(table: dict[str, Any], kind: str, parent: str, line: int) -> Any:
        if parent not in table:
            raise ValidationProblem.one("parent", f"line {line}: no {kind} '{parent}' above this row")
        return table[parent]

    edition_seen = False
    for line_no, read in rows_with_lines(reader, field="(row)"):  # texts may span lines
        # a cell the export made spreadsheet-safe (``'=…``) reads back as the text it was
        row = {k: from_spreadsheet_safe(v.strip()) if isinstance(v, str) else v for k, v in read.items()}
        if extra_fields(row):
            raise ValidationProblem.one("(row)", f"line {line_no}: more cells than columns")
        if is_short(row):
            got = fields_given(row)
            raise ValidationProblem.one("(row)", f"line {line_no}: {got} cell{'s' if got != 1 else ''} where the header has "
                                                 f"{len(header)}{unclosed_quote_hint(row)}")
        kind = (row.get("kind") or "").strip()
        key = (row.get("key") or "").strip()
        parent = (row.get("parent") or "").strip()
        if kind not in _FIELDS:
            raise ValidationProblem.one("kind", f"line {line_no}: unknown kind '{kind}'")
        if kind in _KEYED and not key:
            raise ValidationProblem.one("key", f"line {line_no}: a {kind} row needs a key")
        if kind == "edition":
            if edition_seen:
                raise ValidationProblem.one("kind", f"line {line_no}: a second edition row")
            edition_seen = True
            fmt = (row.get("format") or "").strip()
            if fmt:
                doc["format"] = fmt
                lines[("format",)] = line_no
            lines[("edition",)] = line_no
            doc["edition"] = fields(kind, row, line_no, ("edition",))
        elif kind == "partner":
            loc: Loc = ("partners", len(doc["partners"]))
            lines[loc] = line_no
            doc["partners"].append(fields(kind, row, line_no, loc))
        elif kind == "commitment":
            loc = ("commitments", len(doc["commitments"]))
            lines[loc] = line_no
            data = fields(kind, row, line_no, loc) | {"actions": [], "milestones": [], "funding": []}
            commitments[key] = (len(doc["commitments"]), data)
            doc["commitments"].append(data)
        elif kind in ("action", "milestone", "funding"):
            index, c = parent_of(commitments, "commitment", parent, line_no)
            bucket = {"action": "actions", "milestone": "milestones", "funding": "funding"}[kind]
            loc = ("commitments", index, bucket, len(c[bucket]))
            lines[loc] = line_no
            data = {"key": key} | fields(kind, row, line_no, loc)
            if kind == "action":
                data["figures"] = []
                actions[key] = (loc, data)
            elif kind == "funding":
                data["tranches"], data["components"], data["overlaps"] = [], [], []
                funding[key] = (loc, data)
            c[bucket].append(data)
        elif kind == "figure":
            aloc, a = parent_of(actions, "action", parent, line_no)
            loc = (*aloc, "figures", len(a["figures"]))
            lines[loc] = line_no
            a["figures"].append({"key": key} | fields(kind, row, line_no, loc))
        elif kind in ("tranche", "component", "overlap"):
            floc, f = parent_of(funding, "funding line", parent, line_no)
            bucket = {"tranche": "tranches", "component": "components", "overlap": "overlaps"}[kind]
            loc = (*floc, bucket, len(f[bucket]))
            lines[loc] = line_no
            f[bucket].append(fields(kind, row, line_no, loc))
        elif kind == "action_plan":
            loc = ("action_plans", len(doc["action_plans"]))
            lines[loc] = line_no
            data = {"key": key} | fields(kind, row, line_no, loc) | {"milestones": []}
            plans[key] = (len(doc["action_plans"]), data)
            doc["action_plans"].append(data)
        elif kind == "plan_milestone":
            index, plan = parent_of(plans, "action plan", parent, line_no)
            loc = ("action_plans", index, "milestones", len(plan["milestones"]))
            lines[loc] = line_no
            plan["milestones"].append({"key": key} | fields(kind, row, line_no, loc))
    if not edition_seen:
        raise ValidationProblem.one("kind", "line 2: the file has no edition row")
    return _validate(doc, lines, today)


def load(text: str, fmt: str, today: date | None = None) -> Annex:
    if fmt == "yaml":
        return load_yaml(text, today)
    if fmt == "csv":
        return load_csv(text, today)
    raise ValidationProblem.one("format", f"unknown format '{fmt}'; use yaml or csv")


def dump(annex: Annex, fmt: str) -> str:
    if fmt == "yaml":
        return dump_yaml(annex)
    if fmt == "csv":
        return dump_csv(annex)
    raise ValidationProblem.one("format", f"unknown format '{fmt}'; use yaml or csv")
