"""Parsing and validation of external statistical releases (Frontex, Eurostat, UNHCR).

Each parser reads the whole file and either returns every row or raises ``ValidationProblem``
naming the offending line and column, so an import never stores part of a release.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from pactum.common.errors import ValidationProblem

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^\d{4}$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class SeriesRow:
    """One observation: period (YYYY-MM or YYYY), dimensions and value."""

    source: str
    measure: str
    period: str
    value: float
    route: str = ""
    border_type: str = ""
    nationality: str = ""
    country: str = ""


@dataclass(frozen=True)
class SourceFormat:
    name: str
    label: str
    columns: tuple[str, ...]
    attribution: str


SOURCES: dict[str, SourceFormat] = {
    "frontex": SourceFormat(
        "frontex",
        "Frontex detections of illegal border-crossings, monthly by route, border type and nationality",
        ("month", "route", "border_type", "nationality_iso3", "detections"),
        "Source: Frontex - European Border and Coast Guard Agency, Detections of illegal border-crossings",
    ),
    "eurostat": SourceFormat(
        "eurostat",
        "Eurostat asylum applicants, monthly by reporting country (migr_asyappctzm)",
        ("month", "geo", "citizen", "asyl_app", "persons"),
        "Source: Eurostat (migr_asyappctzm), CC BY 4.0",
    ),
    "unhcr": SourceFormat(
        "unhcr",
        "UNHCR asylum applications, yearly by origin and country of asylum",
        ("year", "coo_iso", "coa_iso", "applied"),
        "Source: UNHCR Refugee Population Statistics Database, CC BY 4.0",
    ),
}


def _number(raw: str, line: int, column: str, problems: list[tuple[str, str]]) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        problems.append((f"line {line}.{column}", f"{raw!r} is not a number"))
        return None
    if value < 0:
        problems.append((f"line {line}.{column}", f"{raw!r} is negative"))
        return None
    return value


def parse(source: str, text: str, *, known_routes: frozenset[str] | None = None) -> list[SeriesRow]:
    """Parse and validate a release of ``source``; raise ``ValidationProblem`` on any bad row."""
    fmt = SOURCES.get(source)
    if fmt is None:
        raise ValidationProblem.one("source", f"unknown source {source!r}; use one of {', '.join(SOURCES)}")
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in fmt.columns if c not in header]
    if missing:
        raise ValidationProblem.one("file", f"missing column(s) {', '.join(missing)} for a {source} file")
    rows: list[SeriesRow] = []
    problems: list[tuple[str, str]] = []
    for line, rec in enumerate(reader, start=2):
        if len(problems) >= MAX_PROBLEMS:
            break
        if None in rec:
            problems.append((f"line {line}", "more fields than the header"))
            continue
        if source == "frontex":
            row = _frontex(rec, line, problems, known_routes)
        elif source == "eurostat":
            row = _eurostat(rec, line, problems)
        else:
            row = _unhcr(rec, line, problems)
        if row is not None:
            rows.append(row)
    if problems:
        raise ValidationProblem(problems)
    if not rows:
        raise ValidationProblem.one("file", "the file has no data rows")
    return rows


def _frontex(
    rec: dict[str, str], line: int, problems: list[tuple[str, str]], known_routes: frozenset[str] | None
) -> SeriesRow | None:
    month, route = (rec["month"] or "").strip(), (rec["route"] or "").strip()
    border, nat = (rec["border_type"] or "").strip(), (rec["nationality_iso3"] or "").strip()
    n = len(problems)
    if not _MONTH.match(month):
        problems.append((f"line {line}.month", f"{month!r} is not a month YYYY-MM"))
    if not route or (known_routes is not None and route not in known_routes):
        problems.append((f"line {line}.route", f"{route!r} is not a Frontex route"))
    if border not in ("Land", "Sea"):
        problems.append((f"line {line}.border_type", f"{border!r} must be Land or Sea"))
    if not _ISO3.match(nat):
        problems.append((f"line {line}.nationality_iso3", f"{nat!r} is not an ISO 3166 alpha-3 code"))
    value = _number((rec["detections"] or "").strip(), line, "detections", problems)
    if len(problems) > n or value is None:
        return None
    return SeriesRow("frontex", "detections", month, value, route=route, border_type=border, nationality=nat)


def _eurostat(rec: dict[str, str], line: int, problems: list[tuple[str, str]]) -> SeriesRow | None:
    month, geo = (rec["month"] or "").strip(), (rec["geo"] or "").strip()
    citizen, kind = (rec["citizen"] or "").strip(), (rec["asyl_app"] or "").strip()
    raw = (rec["persons"] or "").strip()
    n = len(problems)
    if not _MONTH.match(month):
        problems.append((f"line {line}.month", f"{month!r} is not a month YYYY-MM"))
    if not geo:
        problems.append((f"line {line}.geo", "empty reporting country"))
    if kind not in ("ASY_APP", "NASY_APP"):
        problems.append((f"line {line}.asyl_app", f"{kind!r} must be ASY_APP or NASY_APP"))
    if raw == "":
        return None  # Eurostat ':' (not available) is carried as an empty cell and skipped
    value = _number(raw, line, "persons", problems)
    if len(problems) > n or value is None:
        return None
    measure = "asylum_applicants" if kind == "ASY_APP" else "first_time_applicants"
    return SeriesRow("eurostat", measure, month, value, nationality=citizen, country=geo)


def _unhcr(rec: dict[str, str], line: int, problems: list[tuple[str, str]]) -> SeriesRow | None:
    year, coo, coa = (rec["year"] or "").strip(), (rec["coo_iso"] or "").strip(), (rec["coa_iso"] or "").strip()
    n = len(problems)
    if not _YEAR.match(year):
        problems.append((f"line {line}.year", f"{year!r} is not a year"))
    if not _ISO3.match(coa):
        problems.append((f"line {line}.coa_iso", f"{coa!r} is not an ISO 3166 alpha-3 code"))
    value = _number((rec["applied"] or "").strip(), line, "applied", problems)
    if len(problems) > n or value is None:
        return None
    return SeriesRow("unhcr", "asylum_applications", year, value, nationality=coo or "XXX", country=coa)
