"""Bounds of the stores, not of the law.

Both stores keep whole numbers in signed 64-bit columns (SQLite's INTEGER, PostgreSQL's BIGINT);
Python's ints have no bound, so an amount, a count or an offset above the columns' bound would
reach the driver and fail there ("Python int too large to convert to SQLite INTEGER"). Every way
in refuses such a number first, naming the field.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

#: The largest whole number a store column holds (2⁶³ − 1).
STORE_INTEGER_MAX = 2**63 - 1

#: The largest value of an ``Integer`` column on PostgreSQL (``integer``, 32 bits; SQLite's holds
#: 64): amounts and counts kept in such columns are bounded by it where they come in.
INTEGER_COLUMN_MAX = 2**31 - 1

#: A whole number stored in an ``Integer`` column: refused above :data:`INTEGER_COLUMN_MAX`,
#: naming the field, instead of failing on PostgreSQL only ("integer out of range", a 500).
ColumnInt = Annotated[int, Field(le=INTEGER_COLUMN_MAX, ge=-INTEGER_COLUMN_MAX - 1)]


#: What the user is told when a whole number is beyond the stores' bound.
TOO_LARGE_MESSAGE = f"must be a whole number between -{STORE_INTEGER_MAX} and {STORE_INTEGER_MAX}"


def too_large_locations(value: object, loc: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Where in a decoded JSON value (dicts, lists, numbers) a whole number lies beyond
    :data:`STORE_INTEGER_MAX`: each place as the path of keys and indexes from ``loc``."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [loc] if abs(value) > STORE_INTEGER_MAX else []
    if isinstance(value, dict):
        return [found for k, v in value.items() for found in too_large_locations(v, (*loc, str(k)))]
    if isinstance(value, list):
        return [found for i, v in enumerate(value) for found in too_large_locations(v, (*loc, i))]
    return []
