"""A batch of a state's reception reports as a CSV file (``pactum reception import``).

One row per report, the header naming the columns (any order)::

    reported_on,period,initial_places,initial_accommodated,open_places,open_accommodated,...,contingency_plan,note
    2026-11-02,week,400,380,5000,4700,...,in_place,

``reported_on`` is required; a figure left blank is 0; ``period`` is ``week`` (blank) or ``month``;
``contingency_plan`` is ``none`` (blank), ``in_place`` or ``activated``. The columns are the
fields of the API's JSON body (:class:`pactum.reception.model.ReportCreate`).

A file is read whole or refused: each problem names the line (the header is line 1) and the column
(``line 3.open_places``), so that nothing is half-written. Every problem of every line is said in
one answer: a line with a negative figure and a date that may not be reported names both, and the
dates are checked (by the caller's ``date_problem``: before the first day a report may describe,
after today, already reported) on the lines whose other cells are wrong too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import TypeAdapter, ValidationError

from pactum.common.csvrows import header_problems, rows_with_lines, width_problem
from pactum.common.errors import ValidationProblem, plain_message
from pactum.reception.model import FIGURES, ReportCreate

COLUMNS: tuple[str, ...] = ("reported_on", "period", *FIGURES, "contingency_plan", "note")
REQUIRED: tuple[str, ...] = ("reported_on",)
#: Twenty years of weekly reports, by far more than one file needs.
MAX_ROWS = 1_100
MAX_PROBLEMS = 20

_DATE = TypeAdapter(date)

TEMPLATE = ",".join(COLUMNS) + "\r\n" + ",".join(
    ["2026-11-23", "week"] + ["100", "80"] * 5 + ["10", "0", "in_place", ""]) + "\r\n"


def _row_model(row: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column in COLUMNS:
        raw = (row.get(column) or "").strip()
        if not raw:
            continue
        if column in FIGURES:
            text = raw.replace(" ", "").replace("\u00a0", "")
            data[column] = int(text) if text.lstrip("+-").isdecimal() and text.lstrip("+-").isascii() else raw
        else:
            data[column] = raw
    return data


def _reported_on(row: dict[str, Any]) -> date | None:
    """The row's ``reported_on`` when it is a date (whatever its other cells say), else None."""
    raw = (row.get("reported_on") or "").strip()
    try:
        return _DATE.validate_python(raw) if raw else None
    except ValidationError:
        return None


def parse(text: str, date_problem: Callable[[date], str | None] | None = None) -> list[tuple[int, ReportCreate]]:
    """The reports of ``text`` with the line each is on; a :class:`ValidationProblem` naming
    ``line N.column`` for each problem (``line 1`` for the header) when any is wrong: every bad
    cell of every line, a date the file gives twice, and what ``date_problem`` says of a line's
    date (``None``: nothing), the lines whose other cells are wrong included."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ValidationProblem.one("file", "no reports: the file is empty")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    problems = header_problems(reader, COLUMNS, REQUIRED)
    header = list(reader.fieldnames or [])
    if problems:
        raise ValidationProblem(problems)
    out: list[tuple[int, ReportCreate]] = []
    seen: dict[date, int] = {}
    more = False
    for rows, (line, row) in enumerate(rows_with_lines(reader)):
        if rows >= MAX_ROWS:
            problems.append((f"line {line}", f"more than {MAX_ROWS:,} reports in one file; split it"))
            break
        wrong = width_problem(row, len(header))
        if wrong:
            problems.append((f"line {line}", wrong))
        else:
            report: ReportCreate | None = None
            try:
                report = ReportCreate.model_validate(_row_model(row))
            except ValidationError as exc:
                for e in exc.errors(include_url=False):
                    column = str(e["loc"][0]) if e["loc"] else "row"
                    problems.append((f"line {line}.{column}", plain_message(str(e["msg"]))))
            on = report.reported_on if report is not None else _reported_on(row)
            said = None if on is None else (
                f"{on.isoformat()} is already reported on line {seen[on]}" if on in seen
                else date_problem(on) if date_problem is not None else None)
            if said is not None:
                problems.append((f"line {line}.reported_on", said))
            if on is not None:
                seen.setdefault(on, line)
            if report is not None and said is None:
                out.append((line, report))
        if len(problems) >= MAX_PROBLEMS:
            more = True
            break
    if problems:
        problems = problems[:MAX_PROBLEMS]
        if more:
            problems.append(("file", f"at most {MAX_PROBLEMS} problems are said in one answer: correct them "
                                     "and import the file again, which says any other"))
        raise ValidationProblem(problems)
    if not out:
        raise ValidationProblem.one("file", "no reports: the file has a header and no row")
    return out

