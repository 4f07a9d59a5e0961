"""Rows of a CSV file as the imports read them: with the line each starts on, and a row whose
number of fields differs from the header's named as such.

``csv.DictReader`` puts a row's extra fields under the key ``None`` and fills a short row's
missing ones with ``None``; a quote opened and never closed swallows the rest of the file into
one short row, whose cells then hold line breaks.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from typing import Any


def rows_with_lines(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[Any, Any]]]:
    """Each row of ``reader`` with the line it starts on: the line the reader ended it on less the
    line breaks inside its cells (a quoted cell may span lines), so that a blank line the reader
    skipped before the row is counted too."""
    last = reader.line_num
    for row in reader:
        breaks = sum(v.count("\n") for v in _cells(row))
        line, last = max(reader.line_num - breaks, last + 1), reader.line_num
        yield line, row


def _cells(row: Mapping[Any, Any]) -> Iterator[str]:
    """Every cell's text of ``row``, the fields beyond the header's included."""
    for k, v in row.items():
        if isinstance(v, str):
            yield v
        elif k is None and v:
            yield from (x for x in v if isinstance(x, str))


def extra_fields(row: Mapping[Any, Any]) -> int:
    """How many fields ``row`` has beyond the header's (0 when none)."""
    return len(row.get(None) or ())


def fields_given(row: Mapping[Any, Any]) -> int:
    """How many of the header's fields a short ``row`` gives."""
    return sum(v is not None for k, v in row.items() if k is not None)


def is_short(row: Mapping[Any, Any]) -> bool:
    return any(v is None for k, v in row.items() if k is not None)


def unclosed_quote_hint(row: Mapping[Any, Any]) -> str:
    """`` (a quote is opened and never closed)`` when a short row's cells hold line breaks."""
    spans = any("\n" in v for k, v in row.items() if k is not None and isinstance(v, str))
    return " (a quote is opened and never closed)" if spans else ""


def width_problem(row: Mapping[Any, Any], width: int) -> str | None:
    """Why ``row`` does not fit a header of ``width`` fields (``7 fields where the header has 6``),
    or None when it fits."""
    if extra_fields(row):
        return f"{width + extra_fields(row)} fields where the header has {width}"
    if is_short(row):
        return f"{fields_given(row)} fields where the header has {width}{unclosed_quote_hint(row)}"
    return None
