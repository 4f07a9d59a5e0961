"""Rows of a CSV file as the imports read them: with the line each starts on, and a row whose
number of fields differs from the header's named as such.

``csv.DictReader`` puts a row's extra fields under the key ``None`` and fills a short row's
missing ones with ``None``; a quote opened and never closed swallows the rest of the file into
one short row, whose cells then hold line breaks.

A file Python's ``csv`` cannot read at all (a cell longer than its ``field_size_limit``, 131,072
characters, as a quote never closed makes of the rest of a large file) raises ``csv.Error`` from
the header or from a row: :func:`csv_header` and :func:`rows_with_lines` turn it into an
:class:`UnreadableCsv` problem naming the line, so that every import refuses such a file with its
422 / exit 2 rather than an unexpected error.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from pactum.common.errors import ValidationProblem


class UnreadableCsv(ValidationProblem):
    """A line Python's ``csv`` cannot read: one problem, ``("line N", reason)``, or with a
    ``field`` (the importer's own shape) ``(field, "line N: reason")``."""

    def __init__(self, line: int, reason: str, field: str | None = None):
        self.line, self.reason = line, reason
        super().__init__([(f"line {line}", reason) if field is None else (field, f"line {line}: {reason}")])


def _reason(exc: csv.Error) -> str:
    text = str(exc)
    if text.startswith("field larger than field limit"):
        return (f"a cell is longer than {csv.field_size_limit():,} characters "
                "(is a quote opened and never closed?)")
    return f"not readable as CSV: {text}"


def _unreadable(reader: csv.DictReader[str], exc: csv.Error, field: str | None) -> UnreadableCsv:
    # the reader counts the lines it has ended: the one it failed on is the next
    return UnreadableCsv(reader.line_num + 1, _reason(exc), field)


def csv_header(reader: csv.DictReader[str], *, field: str | None = None) -> list[str]:
    """``reader``'s header (its ``fieldnames``, read now if not yet), or :class:`UnreadableCsv`
    naming line 1 when ``csv`` cannot read it (a header line of 200 KB, say)."""
    try:
        return list(reader.fieldnames or [])
    except csv.Error as exc:
        raise _unreadable(reader, exc, field) from None


def rows_with_lines(reader: csv.DictReader[str], *,
                    field: str | None = None) -> Iterator[tuple[int, dict[Any, Any]]]:
    """Each row of ``reader`` with the line it starts on: the line the reader ended it on less the
    line breaks inside its cells (a quoted cell may span lines), so that a blank line the reader
    skipped before the row is counted too. A line ``csv`` cannot read raises
    :class:`UnreadableCsv` naming it (``field``: as :class:`UnreadableCsv` says)."""
    csv_header(reader, field=field)
    last = reader.line_num
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _unreadable(reader, exc, field) from None
        if reader.line_num == last + 1:  # a row on one line (most): it holds no line break
            line = last = reader.line_num
        else:
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


_DIGITS = frozenset("0123456789")


def whole_number_cell(raw: str, *, negative: bool = False, maximum: int | None = None) -> int:
    """A CSV cell's whole number as a person writes it in a file: ASCII digits only, blanks around
    them dropped, a leading minus only where ``negative`` numbers mean something, at most
    ``maximum`` (default: the stores' bound, :data:`pactum.common.limits.STORE_INTEGER_MAX`).

    Python's ``int()`` and ``float()`` also read ``1_000``, ``+100``, ``1e3`` and digits of other
    scripts, which no export writes and an officer would not recognise as the number stored.
    Raises ``ValueError`` with the message the import puts under ``line N.column``."""
    from pactum.common.limits import STORE_INTEGER_MAX
    from pactum.common.text import shortened

    bound = STORE_INTEGER_MAX if maximum is None else maximum
    text = raw.strip()
    sign = negative and text.startswith("-")
    digits = text[1:] if sign else text
    if not digits or not set(digits) <= _DIGITS:
        if not text:
            raise ValueError("empty: give a whole number")
        if text.startswith("-") and not negative and set(text[1:]) <= _DIGITS and text[1:]:
            raise ValueError(f"{text!r} is negative: give a whole number of 0 or more")
        plain = "digits only" + (", with a leading minus if negative" if negative else "")
        raise ValueError(f"{shortened(text, 20)!r} is not a whole number: write {plain} (such as 1000)")
    significant = digits.lstrip("0")
    if len(significant) > len(str(bound)) or int(significant or "0") > bound:
        raise ValueError(f"{shortened(text, 25)!r} is more than {bound:,}")
    value = int(digits)
    return -value if sign else value


#: What a spreadsheet reads as the start of a formula (CSV injection): such a cell is exported
#: after an apostrophe, so that it opens as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` as exported: after an apostrophe where a spreadsheet would read it as a formula
    (and where it is such a text after apostrophes already, so that :func:`from_spreadsheet_safe`
    gives back exactly the text: ``'=x`` is exported ``''=x``)."""
    return "'" + cell if cell.lstrip("'")[:1] in FORMULA_STARTS else cell


def from_spreadsheet_safe(cell: str) -> str:
    """The text :func:`spreadsheet_safe` exported as ``cell``: its one added apostrophe dropped
    (an import reading back an export; any other cell is as written)."""
    return cell[1:] if cell[:1] == "'" and cell.lstrip("'")[:1] in FORMULA_STARTS else cell


def csv_table(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """``rows`` as CSV text, the header first, lines ending CRLF (as the audit export): a missing
    value as an empty cell, a boolean as true/false, text made :func:`spreadsheet_safe`."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        cells = []
        for name in columns:
            value = row.get(name)
            if value is None:
                cells.append("")
            elif isinstance(value, bool):
                cells.append("true" if value else "false")
            elif isinstance(value, str):
                cells.append(spreadsheet_safe(value))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    return out.getvalue()


def header_problems(reader: csv.DictReader[str], columns: Sequence[str],
                    required: Sequence[str]) -> list[tuple[str, str]]:
    """Strip ``reader``'s header names in place and say, as problems of ``line 1``, the columns it
    names that are not ``columns``, the ``required`` ones it lacks and those it names twice."""
    from pactum.common.text import plural, shortened

    header = [h.strip() for h in csv_header(reader)]
    reader.fieldnames = header
    problems: list[tuple[str, str]] = []
    unknown = [h for h in header if h not in columns]
    missing = [c for c in required if c not in header]
    doubled = sorted({h for h in header if header.count(h) > 1})
    if unknown:
        problems.append(("line 1", f"unknown {plural(len(unknown), 'column')} "
                                   f"{', '.join(shortened(u, 30) for u in unknown)}; the columns are {', '.join(columns)}"))
    if missing:
        problems.append(("line 1", f"missing {plural(len(missing), 'column')} {', '.join(missing)}"))
    if doubled:
        problems.append(("line 1", f"{plural(len(doubled), 'column')} named twice: {', '.join(doubled)}"))
    return problems
