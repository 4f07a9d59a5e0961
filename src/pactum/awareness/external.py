"""Parsing and validation of external statistical releases (Frontex, Eurostat, UNHCR).

Each parser reads the whole file and either returns every row or raises ``ValidationProblem``
naming the offending line and column, so an import never stores part of a release.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from datetime import date

from pactum.common.countries import is_country
from pactum.common.csvrows import csv_header, rows_with_lines, width_problem
from pactum.common.dates import FIRST_STATISTICS_YEAR
from pactum.common.errors import ValidationProblem
from pactum.common.text import shortened

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^\d{4}$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
MAX_PROBLEMS = 20
FIRST_YEAR = FIRST_STATISTICS_YEAR  # no release the platform reads goes further back
# More people than any route, state or origin has counted in one month or year, by far: a value
# above it is a typing or unit error (the largest shipped value is about 270,000).
MAX_VALUE = 10_000_000
# Eurostat reporting countries: two-letter codes (EL for Greece, UK) and the aggregates it publishes.
_EUROSTAT_AGGREGATES = frozenset({"TOTAL", "EU27_2020", "EU28", "EU27_2007", "EU27", "EU25", "EU15",
                                  "EA19", "EA20", "EFTA"})
#: Eurostat's flags (the status of an observation), as its databases explain them. A figure shown
#: keeps its flag and says what it means.
EUROSTAT_FLAGS: dict[str, str] = {
    "b": "break in time series", "c": "confidential", "d": "definition differs (see Eurostat's metadata)",
    "e": "estimated", "f": "forecast", "n": "not significant", "p": "provisional", "r": "revised",
    "s": "Eurostat estimate", "u": "low reliability", "z": "not applicable",
}
#: UNHCR's breakdown of an application count, in the order a stored measure carries it
#: (``asylum_applications:G:N:FI:P``): procedure type (G government, J joint, U UNHCR), application
#: type (N new, R repeat, A appeal, NR new and repeat together, ...), procedure level (FI first
#: instance, FA first instance and appeal together, NA new applications, AR administrative review,
#: JR judicial review, RA repeat/reopened, ...) and unit (P persons, C cases).
UNHCR_BREAKDOWN = ("procedure_type", "app_type", "dec_level", "app_pc")
_UNHCR_CODE = re.compile(r"^[A-Z]{0,3}$")
#: What a stored row measures, and its qualifiers after a colon: a Eurostat observation's flag
#: (``asylum_applicants:d``), UNHCR's breakdown (``asylum_applications:G:N:FI:P``).
QUALIFIER = ":"
# The columns that identify one observation: a second row with the same values is a duplicate.
_KEYS: dict[str, tuple[str, ...]] = {
    "frontex": ("month", "route", "border_type", "nationality_iso3"),
    "eurostat": ("month", "geo", "citizen", "asyl_app"),
    "unhcr": ("year", "coo_iso", "coa_iso", "procedure_type", "app_type", "dec_level", "app_pc"),
}


#: The longest origin or citizenship code a row keeps (Eurostat's ``citizen``, UNHCR's ``coo_iso``;
#: the store's column): a longer one is refused naming its line and column, never cut.
CODE_MAX = 20


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


def measure_parts(measure: str) -> tuple[str, list[str]]:
    """A stored measure and its qualifiers: ``("asylum_applicants", ["d"])``,
    ``("asylum_applications", ["G", "N", "FI", "P"])``; no qualifiers for a measure without any."""
    base, _, rest = measure.partition(QUALIFIER)
    return base, rest.split(QUALIFIER) if rest else []


def _number(raw: str, line: int, column: str, problems: list[tuple[str, str]]) -> float | None:
    """A count of people: a whole number from 0 to ``MAX_VALUE``."""
    where = f"line {line}.{column}"
    try:
        value = float(raw)
    except ValueError:
        problems.append((where, f"{shortened(raw)!r} is not a number"))
        return None
    if not math.isfinite(value):
        problems.append((where, f"{shortened(raw)!r} is not a number of people"))
    elif value < 0:
        problems.append((where, f"{shortened(raw)!r} is negative"))
    elif value > MAX_VALUE:
        problems.append((where, f"{shortened(raw)!r} is more than {MAX_VALUE:,} people in one row"))
    elif not value.is_integer():
        problems.append((where, f"{shortened(raw)!r} is not a whole number of people"))
    else:
        return value
    return None


def _period(value: str, column: str, line: int, latest: str, problems: list[tuple[str, str]]) -> None:
    """A month (YYYY-MM) or year (YYYY) from 2000 up to ``latest`` (the current one)."""
    pattern, what = (_YEAR, "a year YYYY") if column == "year" else (_MONTH, "a month YYYY-MM")
    if not pattern.match(value):
        problems.append((f"line {line}.{column}", f"{shortened(value)!r} is not {what}"))
    elif int(value[:4]) < FIRST_YEAR:
        problems.append((f"line {line}.{column}", f"{shortened(value)!r} is before {FIRST_YEAR}"))
    elif value > latest:
        problems.append((f"line {line}.{column}", f"{shortened(value)!r} is in the future"))


def parse(
    source: str, text: str, *, known_routes: frozenset[str] | None = None, today: date | None = None
) -> list[SeriesRow]:
    """Parse and validate a release of ``source``; raise ``ValidationProblem`` on any bad row.

    Refused, naming line and column: a month or year before 2000 or after ``today`` (default: the
    system date), a count that is not a whole number of people from 0 to ``MAX_VALUE`` (``nan``,
    ``inf``, ``3.7``), an unknown country code, a row with more or fewer fields than the header,
    and a second row for the same observation (same period and dimensions).
    """
    fmt = SOURCES.get(source)
    if fmt is None:
        raise ValidationProblem.one("source", f"unknown source {shortened(source)!r}; use one of {', '.join(SOURCES)}")
    # a byte order mark (Excel's "CSV UTF-8" writes one) is not part of the first column's name
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    header = csv_header(reader, field="file")
    missing = [c for c in fmt.columns if c not in header]
    if missing:
        raise ValidationProblem.one("file", f"missing {'column' if len(missing) == 1 else 'columns'} "
                                            f"{', '.join(missing)} for a {source} file")
    day = today or date.today()
    latest = str(day.year) if source == "unhcr" else f"{day.year:04d}-{day.month:02d}"
    key_columns = [c for c in _KEYS[source] if c in header]
    breakdown = all(c in header for c in UNHCR_BREAKDOWN)  # the header's, the same for every row
    seen: dict[tuple[str, ...], int] = {}
    rows: list[SeriesRow] = []
    problems: list[tuple[str, str]] = []
    for line, rec in rows_with_lines(reader):
        if len(problems) >= MAX_PROBLEMS:
            break
        wrong_width = width_problem(rec, len(header))
        if wrong_width is not None:
            problems.append((f"line {line}", wrong_width))
            continue
        n = len(problems)
        _period((rec[fmt.columns[0]] or "").strip(), fmt.columns[0], line, latest, problems)
        if source == "frontex":
            row = _frontex(rec, line, problems, known_routes)
        elif source == "eurostat":
            row = _eurostat(rec, line, problems)
        else:
            row = _unhcr(rec, line, problems, breakdown=breakdown)
        if len(problems) > n:
            continue
        key = tuple((rec[c] or "").strip() for c in key_columns)
        if key in seen:
            problems.append((f"line {line}", f"the same {', '.join(key_columns)} as line {seen[key]}"))
            continue
        seen[key] = line
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
    if not route or (known_routes is not None and route not in known_routes):
        problems.append((f"line {line}.route", f"{shortened(route)!r} is not a Frontex route"))
    if border not in ("Land", "Sea"):
        problems.append((f"line {line}.border_type", f"{shortened(border)!r} must be Land or Sea"))
    if not _ISO3.match(nat):  # Frontex adds its own codes: STL stateless, OOO other
        problems.append((f"line {line}.nationality_iso3", f"{shortened(nat)!r} is not an ISO 3166 alpha-3 code"))
    value = _number((rec["detections"] or "").strip(), line, "detections", problems)
    if len(problems) > n or value is None:
        return None
    return SeriesRow("frontex", "detections", month, value, route=route, border_type=border, nationality=nat)


def _eurostat_geo(geo: str) -> bool:
    if geo in _EUROSTAT_AGGREGATES:
        return True
    return len(geo) == 2 and geo.isalpha() and geo.isupper() and (geo == "UK" or is_country(geo))


def _eurostat(rec: dict[str, str], line: int, problems: list[tuple[str, str]]) -> SeriesRow | None:
    month, geo = (rec["month"] or "").strip(), (rec["geo"] or "").strip()
    citizen, kind = (rec["citizen"] or "").strip(), (rec["asyl_app"] or "").strip()
    raw = (rec["persons"] or "").strip()
    n = len(problems)
    if not geo:
        problems.append((f"line {line}.geo", "empty reporting country"))
    elif not _eurostat_geo(geo):
        problems.append((f"line {line}.geo", f"{shortened(geo)!r} is not a Eurostat country code (AT, EL, ...) or aggregate"))
    if kind not in ("ASY_APP", "NASY_APP"):
        problems.append((f"line {line}.asyl_app", f"{shortened(kind)!r} must be ASY_APP or NASY_APP"))
    if len(citizen) > CODE_MAX:
        problems.append((f"line {line}.citizen", f"{shortened(citizen)!r} is not a Eurostat citizenship code "
                                                 f"(DE, EXT_EU27_2020, ...): at most {CODE_MAX} characters, "
                                                 f"this one has {len(citizen):,}"))
    if raw == "":
        return None  # Eurostat ':' (not available) is carried as an empty cell and skipped
    value = _number(raw, line, "persons", problems)
    if len(problems) > n or value is None:
        return None
    flag = (rec.get("flag") or "").strip()  # optional column: the observation's status
    if flag and (len(flag) > 3 or not all(f in EUROSTAT_FLAGS for f in flag)):
        problems.append((f"line {line}.flag", f"{shortened(flag)!r} is not a Eurostat flag: up to 3 of "
                                              f"{', '.join(EUROSTAT_FLAGS)}"))
        return None
    measure = "asylum_applicants" if kind == "ASY_APP" else "first_time_applicants"
    if flag:
        measure += QUALIFIER + flag
    return SeriesRow("eurostat", measure, month, value, nationality=citizen, country=geo)


def _unhcr(rec: dict[str, str], line: int, problems: list[tuple[str, str]], *, breakdown: bool) -> SeriesRow | None:
    """A row of UNHCR's applications. With ``breakdown`` (the file has UNHCR's columns
    :data:`UNHCR_BREAKDOWN`) the stored measure carries them, so that new applications at first
    instance by persons can be told from repeat applications, appeals and cases."""
    year, coo, coa = (rec["year"] or "").strip(), (rec["coo_iso"] or "").strip(), (rec["coa_iso"] or "").strip()
    n = len(problems)
    if not (_ISO3.match(coa) and is_country(coa)):  # origins keep UNHCR's own codes (TIB)
        problems.append((f"line {line}.coa_iso", f"{shortened(coa)!r} is not an ISO 3166 alpha-3 code"))
    if len(coo) > CODE_MAX:
        problems.append((f"line {line}.coo_iso", f"{shortened(coo)!r} is not a UNHCR origin code (SYR, TIB, ...): "
                                                 f"at most {CODE_MAX} characters, this one has {len(coo):,}"))
    measure = "asylum_applications"
    if breakdown:
        codes = [(rec[c] or "").strip() for c in UNHCR_BREAKDOWN]
        for column, code in zip(UNHCR_BREAKDOWN, codes, strict=True):
            if not _UNHCR_CODE.match(code):
                problems.append((f"line {line}.{column}",
                                 f"{shortened(code)!r} is not a UNHCR code (up to 3 capital letters)"))
        measure = QUALIFIER.join([measure, *codes])
    value = _number((rec["applied"] or "").strip(), line, "applied", problems)
    if len(problems) > n or value is None:
        return None
    return SeriesRow("unhcr", measure, year, value, nationality=coo or "XXX", country=coa)
