"""The reference key's inputs for a cycle as a CSV file (AMMR Art 66, Annex I): the population and
GDP of every Member State bound by the solidarity rules for one reference year, which the Commission
loads when the shipped Eurostat figures are older than the latest ones.

One row per state, the header naming the columns (any order)::

    member_state,population,gdp_meur
    AT,9104772,477246.2
    BE,11742796,583748.7

* ``member_state``: the state's code (``GR`` is read as ``EL``);
* ``population``: persons on 1 January of the reference year (Eurostat ``tps00001``), whole;
* ``gdp_meur``: GDP at market prices, current prices, million EUR (Eurostat ``tec00001``), a
  decimal number with a point (``477246.2``), no thousands separator;
* ``country``: optional, the state's name as the source writes it (not read).

Every one of the 26 bound states is given exactly once; the states the pool does not bind (Denmark,
Protocol No 22; the associated states IS, LI, NO, CH), which a Eurostat extract lists too, are
skipped and said. A file is read whole or refused: each problem names the line (the header is
line 1) and the column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from pactum.common.csvrows import UnreadableCsv, header_problems, rows_with_lines, width_problem
from pactum.common.errors import ValidationProblem
from pactum.common.states import MEMBER_STATES, member_state
from pactum.common.text import shortened
from pactum.solidarity.fairshare import SOLIDARITY_STATES, KeyInput

COLUMNS: tuple[str, ...] = ("member_state", "population", "gdp_meur", "country")
REQUIRED: tuple[str, ...] = ("member_state", "population", "gdp_meur")
#: The problems said at once.
MAX_PROBLEMS = 20
#: More rows than a Eurostat extract of the EU and EFTA states has, by far.
MAX_ROWS = 200
#: A population or a GDP (million EUR) larger than this is a typing error (the EU has 450m people
#: and a GDP of some 17m million EUR).
MAX_POPULATION = 1_000_000_000
MAX_GDP_MEUR = Decimal(100_000_000)

TEMPLATE = "member_state,population,gdp_meur\r\n" + "".join(f"{s},,\r\n" for s in SOLIDARITY_STATES)


@dataclass(slots=True)
class KeyFile:
    """The rows read, by state, and the states skipped because the pool does not bind them."""

    rows: dict[str, KeyInput] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def _population(raw: str, where: str, problems: list[tuple[str, str]]) -> int | None:
    if not raw.isdigit():
        problems.append((where, f"'{shortened(raw, 20)}' is not a whole number of persons (digits only)"))
        return None
    n = int(raw)
    if not 0 < n <= MAX_POPULATION:
        problems.append((where, f"{n:,} persons is not a state's population"))
        return None
    return n


def _gdp(raw: str, where: str, problems: list[tuple[str, str]]) -> Fraction | None:
    try:
        d = Decimal(raw)
    except InvalidOperation:
        d = None
    if d is None or not d.is_finite() or "," in raw or "e" in raw.lower():
        problems.append((where, f"'{shortened(raw, 20)}' is not a number of million EUR (e.g. 477246.2, "
                                "a point before the decimals, no thousands separator)"))
        return None
    if not Decimal(0) < d <= MAX_GDP_MEUR:
        problems.append((where, f"{raw} million EUR is not a state's GDP"))
        return None
    return Fraction(d)


def parse(text: str) -> KeyFile:
    """The key's inputs of ``text`` (CSV with a header); a :class:`ValidationProblem` naming
    ``line N.column`` for each bad cell (``line 1`` for the header, ``file`` for a state missing)."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ValidationProblem.one("file", "no figures: upload a CSV file or paste its text")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    problems = header_problems(reader, COLUMNS, REQUIRED)
    if problems:
        raise ValidationProblem(problems)
    out = KeyFile()
    seen: dict[str, int] = {}
    count = 0
    try:
        for line, rec in rows_with_lines(reader):
            if len(problems) >= MAX_PROBLEMS:
                break
            if not any((v or "").strip() for k, v in rec.items() if k is not None) and not rec.get(None):
                continue  # a line of empty cells
            wrong = width_problem(rec, len(reader.fieldnames or []))
            if wrong is not None:
                problems.append((f"line {line}", wrong))
                continue
            count += 1
            if count > MAX_ROWS:
                problems.append((f"line {line}", f"more than {MAX_ROWS} rows: one row per Member State"))
                break
            cell = {k: (v or "").strip() for k, v in rec.items()}
            try:
                ms = member_state(cell["member_state"])
            except ValueError as exc:
                problems.append((f"line {line}.member_state", str(exc)))
                continue
            if ms in seen:
                problems.append((f"line {line}.member_state", f"{ms} is already on line {seen[ms]}"))
                continue
            seen[ms] = line
            n = len(problems)
            population = _population(cell["population"], f"line {line}.population", problems)
            gdp = _gdp(cell["gdp_meur"], f"line {line}.gdp_meur", problems)
            if len(problems) > n or population is None or gdp is None:
                continue
            if ms not in SOLIDARITY_STATES:
                out.skipped.append(ms)  # Denmark and the associated states: not in the key
                continue
            out.rows[ms] = KeyInput(member_state=ms, population=population, gdp=gdp)
    except UnreadableCsv as exc:  # the problems of the lines before it are said too
        problems.extend(exc.problems)
    if not problems:
        absent = [s for s in SOLIDARITY_STATES if s not in seen]
        if absent:
            problems.append(("file", f"no row for {', '.join(absent)}: the key needs every one of the "
                                     f"{len(SOLIDARITY_STATES)} states bound by the solidarity rules"))
    if problems:
        raise ValidationProblem(problems[:MAX_PROBLEMS])
    out.skipped.sort()
    return out


def not_bound() -> list[str]:
    """The states a key file may list that the key skips (Denmark and the associated states)."""
    return sorted(s for s in MEMBER_STATES if s not in SOLIDARITY_STATES)
