"""The legal parameter tree: one YAML file per instrument under ``parameters/``.

A leaf (a *parameter*) is a mapping with ``values`` (``{YYYY-MM-DD: {value: ..., unit: ...}}``,
each entry applying from its date until the next one), a ``reference`` (``instrument``, ``celex``,
``article``, ``paragraph``, ``point``), an optional ``description``, an optional ``note`` and
``unverified: true`` where the value or the article was not confirmed against the official text.
Any other mapping is a branch; its key is a segment of the dotted path, the file name being the
first segment (``ammr.yaml`` -> ``ammr.transfer.period``).

Rules read the value in force on the legally relevant date with ``param(path, on=date)``; never
today.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pactum.law.refs import LegalRef

PARAMETERS_DIR = Path(__file__).parent / "parameters"

LEAF_KEYS = {"values", "reference", "description", "note", "unverified"}
REFERENCE_KEYS = {"instrument", "celex", "article", "paragraph", "point"}


class ParameterTreeError(ValueError):
    """The YAML tree is malformed: a value without a date or a reference, an unknown key."""


class UnknownParameter(KeyError):
    """No parameter has this path."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown parameter"


class NotInForce(LookupError):
    """The parameter exists but no value applies on the date asked."""


@dataclass(frozen=True)
class Param:
    """One parameter value in force on a date."""

    value: Any
    unit: str | None
    reference: LegalRef
    note: str | None
    unverified: bool
    path: str
    valid_from: date
    description: str | None = None

    def cite(self) -> str:
        return self.reference.cite()

    def to_trace(self) -> dict[str, Any]:
        return {"path": self.path, "value": self.value, "unit": self.unit,
                "valid_from": self.valid_from, "reference": self.reference.cite(),
                "unverified": self.unverified}

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "value": self.value, "unit": self.unit,
                "valid_from": self.valid_from.isoformat(), "reference": self.reference.to_dict(),
                "note": self.note, "unverified": self.unverified, "description": self.description}


@dataclass(frozen=True)
class ParameterHistory:
    """Every dated value of one parameter, oldest first."""

    path: str
    reference: LegalRef
    note: str | None
    unverified: bool
    description: str | None
    values: tuple[tuple[date, Any, str | None], ...]
    source_file: str

    def at(self, on: date) -> Param:
        chosen: tuple[date, Any, str | None] | None = None
        for valid_from, value, unit in self.values:
            if valid_from <= on:
                chosen = (valid_from, value, unit)
        if chosen is None:
            raise NotInForce(
                f"parameter {self.path} is not in force on {on.isoformat()} "
                f"(first value applies from {self.values[0][0].isoformat()})")
        return Param(value=chosen[1], unit=chosen[2], reference=self.reference, note=self.note,
                     unverified=self.unverified, path=self.path, valid_from=chosen[0],
                     description=self.description)

    def first_from(self) -> date:
        return self.values[0][0]


def _reference(path: str, raw: Any) -> LegalRef:
    if not isinstance(raw, dict):
        raise ParameterTreeError(f"{path}: 'reference' is missing or not a mapping")
    unknown = set(raw) - REFERENCE_KEYS
    if unknown:
        raise ParameterTreeError(f"{path}: unknown reference keys {sorted(unknown)}")
    for key in ("instrument", "celex", "article"):
        if not raw.get(key):
            raise ParameterTreeError(f"{path}: reference has no {key}")

    def opt(key: str) -> str | None:
        v = raw.get(key)
        return None if v is None else str(v)

    return LegalRef(instrument=str(raw["instrument"]), celex=str(raw["celex"]),
                    article=str(raw["article"]), paragraph=opt("paragraph"), point=opt("point"))


def _leaf(path: str, node: dict[str, Any], source: str) -> ParameterHistory:
    unknown = set(node) - LEAF_KEYS
    if unknown:
        raise ParameterTreeError(f"{path}: unknown keys {sorted(unknown)}")
    raw_values = node.get("values")
    if not isinstance(raw_values, dict) or not raw_values:
        raise ParameterTreeError(f"{path}: 'values' must map dates to values")
    values: list[tuple[date, Any, str | None]] = []
    for key, entry in raw_values.items():
        if not isinstance(key, date):
            raise ParameterTreeError(f"{path}: value key {key!r} is not a date (YYYY-MM-DD)")
        if not isinstance(entry, dict) or "value" not in entry:
            raise ParameterTreeError(f"{path}: the value from {key} must be {{value: ..., unit: ...}}")
        extra = set(entry) - {"value", "unit"}
        if extra:
            raise ParameterTreeError(f"{path}: unknown keys {sorted(extra)} in the value from {key}")
        values.append((key, entry["value"], entry.get("unit")))
    values.sort(key=lambda v: v[0])
    if "reference" not in node:
        raise ParameterTreeError(f"{path}: no reference")
    unverified = node.get("unverified", False)
    if not isinstance(unverified, bool):
        raise ParameterTreeError(f"{path}: 'unverified' must be true or false")
    note = node.get("note")
    if unverified and not note:
        raise ParameterTreeError(f"{path}: an unverified parameter needs a note saying what is unverified")
    return ParameterHistory(path=path, reference=_reference(path, node["reference"]),
                            note=None if note is None else str(note).strip(), unverified=unverified,
                            description=node.get("description"), values=tuple(values),
                            source_file=source)


def _walk(prefix: str, node: Any, source: str, out: dict[str, ParameterHistory]) -> None:
    if not isinstance(node, dict):
        raise ParameterTreeError(f"{prefix}: expected a mapping (a branch or a parameter), got {node!r}")
    if "values" in node or "reference" in node:
        out[prefix] = _leaf(prefix, node, source)
        return
    for key, child in node.items():
        if not isinstance(key, str):
            raise ParameterTreeError(f"{prefix}: key {key!r} is not a name")
        _walk(f"{prefix}.{key}", child, source, out)


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys (PyYAML silently keeps the last one, which would
    let one area's block overwrite another's)."""


def _no_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise ParameterTreeError(f"duplicate key {key!r} at line {key_node.start_mark.line + 1}")
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def load_tree(directory: Path = PARAMETERS_DIR) -> dict[str, ParameterHistory]:
    """Read every ``*.yaml`` file of ``directory``; raises ``ParameterTreeError`` on any defect."""
    out: dict[str, ParameterHistory] = {}
    for file in sorted(directory.glob("*.yaml")):
        with file.open(encoding="utf-8") as fh:
            try:
                data = yaml.load(fh, Loader=_StrictLoader)
            except ParameterTreeError as exc:
                raise ParameterTreeError(f"{file.name}: {exc}") from None
        if data is None:
            continue
        _walk(file.stem, data, file.name, out)
    return out


@lru_cache(maxsize=1)
def tree() -> dict[str, ParameterHistory]:
    """The shipped parameter tree (loaded once)."""
    return load_tree()


def history(path: str) -> ParameterHistory:
    try:
        return tree()[path]
    except KeyError:
        raise UnknownParameter(f"unknown legal parameter {path!r}") from None


def param(path: str, on: date) -> Param:
    """The value of the parameter ``path`` in force on ``on``.

    Raises ``UnknownParameter`` for an unknown path and ``NotInForce`` before its first date.
    """
    if not isinstance(on, date):
        raise TypeError("param(path, on=date): 'on' must be a date")
    return history(path).at(on)


def parameters_in_force(on: date, prefix: str | None = None) -> list[Param]:
    """Every parameter in force on ``on`` (optionally under a path prefix), sorted by path."""
    out: list[Param] = []
    for path, hist in sorted(tree().items()):
        if prefix and not (path == prefix or path.startswith(prefix + ".")):
            continue
        if hist.first_from() <= on:
            out.append(hist.at(on))
    return out


def iter_histories() -> Iterator[ParameterHistory]:
    for _, hist in sorted(tree().items()):
        yield hist
