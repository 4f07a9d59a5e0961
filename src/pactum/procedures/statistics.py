"""Reading first-instance decision statistics (UNHCR Refugee Data Finder format).

The platform seeds its decision statistics from UNHCR's asylum decisions by origin and EU+ asylum
country (``pactum/data/procedures``); ``pactum statistics import FILE`` refreshes them from a newer
export in the same format. Rows are first-instance decisions (``dec_level`` ``FI``); for a state and
year that reports only combined first-instance-and-appeal figures (``FA``: e.g. Austria, Bulgaria,
Cyprus in recent years) those are used and the source says so. Persons (``dec_pc`` ``P``) only.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources

from pactum.common.errors import ValidationProblem
from pactum.common.states import MEMBER_STATES
from pactum.procedures.recognition import DecisionStat

SHIPPED = "unhcr_asylum_decisions_euplus_2015_2025.csv.gz"
REQUIRED = ("year", "coo_iso", "coa_iso", "dec_level", "dec_recognized", "dec_other", "dec_rejected")
_ISO3_TO_MS = {s.iso3: s.code for s in MEMBER_STATES.values()}


def _int(v: str | None) -> int:
    if v is None or v.strip() == "":
        return 0
    return int(float(v))


def parse_unhcr_decisions(lines: Iterable[str], source: str = "UNHCR") -> list[DecisionStat]:
    """Parse UNHCR decisions CSV text; ``ValidationProblem`` naming the line on bad input."""
    reader = csv.DictReader(lines)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationProblem.one("file", f"not a UNHCR decisions file: missing columns {missing}")
    rows: dict[tuple[int, str, str], dict[str, list[int]]] = defaultdict(dict)
    levels: dict[tuple[int, str], set[str]] = defaultdict(set)
    for n, r in enumerate(reader, start=2):
        ms = _ISO3_TO_MS.get((r.get("coa_iso") or "").strip())
        if ms is None:
            continue
        if (r.get("dec_pc") or "P") != "P":
            continue
        level = (r.get("dec_level") or "").strip()
        if level not in ("FI", "FA"):
            continue
        try:
            year = int(r["year"])
            vals = [_int(r.get("dec_recognized")), _int(r.get("dec_other")),
                    _int(r.get("dec_rejected")), _int(r.get("dec_closed"))]
        except ValueError:
            raise ValidationProblem.one("file", f"line {n}: a year or a count is not a number") from None
        if any(v < 0 for v in vals):
            raise ValidationProblem.one("file", f"line {n}: negative count")
        nat = (r.get("coo_iso") or "").strip() or "XXX"
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
