"""Eurostat orders to leave and returns (2010-2016), shipped in ``pactum/data/returns``.

Read with the standard library (a small CSV); no network. Figures are persons, as Eurostat
publishes them; orders and returns of one year are not cohort-linked.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

ORDERED = "Third-country nationals ordered to leave"
RETURNED = "Total number of persons returned"
RETURNED_THIRD = "Persons returned to a third country"


@dataclass(frozen=True)
class YearFigures:
    year: int
    geo: str
    ordered_to_leave: int | None
    returned: int | None
    returned_to_third_country: int | None

    @property
    def return_rate(self) -> float | None:
        if not self.ordered_to_leave or self.returned is None:
            return None
        return round(self.returned / self.ordered_to_leave, 4)


@lru_cache(maxsize=1)
def eurostat() -> dict[tuple[str, int], YearFigures]:
    """``(geo, year)`` -> figures; ``geo`` is the Eurostat code (``EL`` for Greece, ``EU28``)."""
    path = resources.files("pactum.data").joinpath(
        "returns/eurostat_orders_to_leave_and_returns_2010_2016.csv"
    )
    raw: dict[tuple[str, int], dict[str, int | None]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = (row["geo"], int(row["year"]))
            raw.setdefault(key, {})[row["indicator"]] = int(row["persons"]) if row["persons"] else None
    return {
        key: YearFigures(key[1], key[0], v.get(ORDERED), v.get(RETURNED), v.get(RETURNED_THIRD))
        for key, v in raw.items()
    }


def return_rate(geo: str, years: tuple[int, ...] = (2014, 2015, 2016)) -> float | None:
    """Returned / ordered to leave summed over ``years`` for a state (or ``EU28``)."""
    data = eurostat()
    ordered = returned = 0
    for y in years:
        f = data.get((geo, y))
        if f and f.ordered_to_leave and f.returned is not None:
            ordered += f.ordered_to_leave
            returned += f.returned
    return round(returned / ordered, 4) if ordered else None
