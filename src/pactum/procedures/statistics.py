"""Reading first-instance decision statistics (UNHCR Refugee Data Finder format).

The platform seeds its decision statistics from UNHCR's asylum decisions by origin and EU+ asylum
country (``pactum/data/procedures``); ``pactum statistics import FILE`` refreshes them from a newer
export in the same format. Rows are first-instance decisions (``dec_level`` ``FI``); for a state and
year that reports only combined first-instance-and-appeal figures (``FA``: e.g. Austria, Bulgaria,
Cyprus in recent years) those are used and the source says so. Persons (``dec_pc`` ``P``) only.

UNHCR's ``dec_other`` ("complementary protection": subsidiary protection and national humanitarian
statuses together) is read into :attr:`DecisionStat.subsidiary_protection`; how the recognition rate
counts it is :mod:`pactum.procedures.recognition`'s. UNHCR's unknown country of origin (``coo_iso``
``UNK``, or none given) is read as Pactum's unknown nationality ``XXX``: it has no recognition rate.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from pactum.common.countries import UNHCR_UNKNOWN, UNKNOWN
from pactum.common.csvrows import csv_header, rows_with_lines, width_problem
from pactum.common.dates import FIRST_STATISTICS_YEAR
from pactum.common.errors import ValidationProblem
from pactum.common.states import MEMBER_STATES
from pactum.procedures.recognition import DecisionStat

SHIPPED = "unhcr_asylum_decisions_euplus_2015_2025.csv.gz"
REQUIRED = ("year", "coo_iso", "coa_iso", "dec_level", "dec_recognized", "dec_other", "dec_rejected")
_ISO3_TO_MS = {s.iso3: s.code for s in MEMBER_STATES.values()}


FIRST_YEAR = FIRST_STATISTICS_YEAR  # UNHCR's asylum decisions start in 2000
COUNTS = ("dec_recognized", "dec_other", "dec_rejected", "dec_closed")


def _count(r: dict[str | None, Any], column: str, n: int) -> int:
    """A count of decisions: a whole number of 0 or more (a column the file lacks counts 0)."""
    if column not in r:  # dec_closed is optional
        return 0
    raw = (r[column] or "").strip()
    if not (raw.isascii() and raw.isdigit()):
        what = "empty" if not raw else "negative" if raw.startswith("-") else f"{raw!r} is not a whole number"
        raise ValidationProblem.one("file", f"line {n}, column {column}: {what}; give the number of decisions")
    return int(raw)


def _year(r: dict[str | None, Any], n: int, this_year: int) -> int:
    raw = (r["year"] or "").strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4) or not FIRST_YEAR <= int(raw) <= this_year:
        raise ValidationProblem.one(
            "file", f"line {n}, column year: {raw!r} is not a year from {FIRST_YEAR} to {this_year}")
    return int(raw)


def _records(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str | None, Any]]]:
    """The rows with the line each starts on; a row with more or fewer fields than the header (a
    quote left open swallows the rest of the file into one short row) is refused by line."""
    width = len(csv_header(reader, field="file"))
    for n, r in rows_with_lines(reader, field="file"):
        wrong_width = width_problem(r, width)
        if wrong_width is not None:
            raise ValidationProblem.one("file", f"line {n}: {wrong_width}")
        yield n, r


def parse_unhcr_decisions(lines: Iterable[str], source: str = "UNHCR",
                          this_year: int | None = None) -> list[DecisionStat]:
    """Parse UNHCR decisions CSV text; ``ValidationProblem`` naming the line (and the column) on
    bad input: a row of the wrong width, a year before 2000 or after ``this_year`` (default: the
    system date's), a count that is empty, negative or not a whole number."""
    latest = this_year or date.today().year
    reader = csv.DictReader(lines)
    missing = [c for c in REQUIRED if c not in csv_header(reader, field="file")]
    if missing:
        raise ValidationProblem.one("file", f"not a UNHCR decisions file: missing columns {missing}")
    rows: dict[tuple[int, str, str], dict[str, list[int]]] = defaultdict(dict)
    levels: dict[tuple[int, str], set[str]] = defaultdict(set)
    for n, r in _records(reader):
        ms = _ISO3_TO_MS.get((r.get("coa_iso") or "").strip())
        if ms is None:
            continue
        if (r.get("dec_pc") or "P") != "P":
            continue
        level = (r.get("dec_level") or "").strip()
        if level not in ("FI", "FA"):
            continue
        year = _year(r, n, latest)
        vals = [_count(r, c, n) for c in COUNTS]
        nat = (r.get("coo_iso") or "").strip() or UNKNOWN
        if nat == UNHCR_UNKNOWN:  # UNHCR's unknown origin (not Kosovo, which it counts under SRB)
            nat = UNKNOWN
        key = (year, ms, nat)
        acc = rows[key].setdefault(level, [0, 0, 0, 0])
        for i, v in enumerate(vals):
            acc[i] += v
        levels[(year, ms)].add(level)
    out: list[DecisionStat] = []
    for (year, ms, nat), by_level in rows.items():
        level = "FI" if "FI" in levels[(year, ms)] else "FA"
        counts = by_level.get(level)
        if counts is None:
            continue
        label = f"{source} first instance" if level == "FI" else f"{source} first instance and appeal (FA)"
        out.append(DecisionStat(year, ms, nat, counts[0], counts[1], counts[2], counts[3], label))
    out.sort(key=lambda s: (s.year, s.member_state, s.nationality))
    return out


def shipped_statistics() -> list[DecisionStat]:
    """The shipped UNHCR statistics (parsed once per process: the file does not change)."""
    return list(_shipped())


@lru_cache(maxsize=1)
def _shipped() -> tuple[DecisionStat, ...]:
    raw = resources.files("pactum.data.procedures").joinpath(SHIPPED).read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    return tuple(parse_unhcr_decisions(io.StringIO(text), source="UNHCR"))


def iter_lines(data: bytes) -> Iterator[str]:
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):  # a gzip file cut short or damaged
            raise ValidationProblem.one("file", "a damaged or incomplete gzip file") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationProblem.one("file", "not UTF-8 text") from None
    return iter(io.StringIO(text))
