"""UNHCR resettlement arrivals in the EU Member States and the four states associated with Dublin
and Eurodac (Iceland, Liechtenstein, Norway, Switzerland), by year, as shipped in
``pactum/data/resettlement/unhcr_resettlement_arrivals.csv`` (see its README for the source and
how it is aggregated)."""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources

from pactum.common.states import EU_MEMBER_STATES

ATTRIBUTION = "Source: UNHCR Refugee Population Statistics Database (refugees R package v2025.12.1), CC BY 4.0"
#: What each total covers. Neither is "the states bound by Regulation (EU) 2024/1350": Denmark is
#: not bound (Protocol No 22) and the associated states are not bound by the Framework.
COVERS = {
    "eu27": "the 27 EU Member States, Denmark included as UNHCR counts it (Denmark is not bound by "
            "Regulation (EU) 2024/1350, Protocol No 22)",
    "eu_plus": "EU27 and Iceland, Liechtenstein, Norway and Switzerland (associated with Dublin and Eurodac, "
               "not bound by Regulation (EU) 2024/1350)",
}


@lru_cache(maxsize=1)
def arrivals() -> dict[tuple[int, str], int]:
    """(year, state) -> persons resettled to that state in that year."""
    text = resources.files("pactum.data").joinpath("resettlement", "unhcr_resettlement_arrivals.csv") \
        .read_text(encoding="utf-8")
    return {(int(r["year"]), r["member_state"]): int(r["resettlement_arrivals"])
            for r in csv.DictReader(io.StringIO(text))}


def by_year(first_year: int | None = None, member_state: str | None = None) -> list[dict[str, int | None]]:
    """Per year: EU27 arrivals (Denmark included), EU+ arrivals (EU27 and IS, LI, NO, CH; see
    :data:`COVERS`), and ``member_state``'s
    (None where UNHCR has no row for it that year)."""
    data = arrivals()
    years = sorted({y for y, _ in data if first_year is None or y >= first_year})
    out: list[dict[str, int | None]] = []
    for y in years:
        eu27 = sum(n for (yy, ms), n in data.items() if yy == y and ms in EU_MEMBER_STATES)
        euplus = sum(n for (yy, _), n in data.items() if yy == y)
        out.append({"year": y, "eu27": eu27, "eu_plus": euplus,
                    "member_state": data.get((y, member_state)) if member_state else None})
    return out
