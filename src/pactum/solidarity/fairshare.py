"""Fair shares of the Annual Solidarity Pool (AMMR Art 66 and Annex I).

``key_MS = w_pop x Pop_MS / Pop_bound + w_gdp x GDP_MS / GDP_bound`` over the states bound by the
solidarity rules (the weights, 50% / 50%, are ``pactum.law`` parameters), and
``fair share = key x pool``. Shares are whole relocations and whole euros that add up to exactly
the pool: quotas are computed in exact rational arithmetic and rounded by the largest-remainder
(Hamilton) method, ties broken by state code so the answer is reproducible.

The inputs are Eurostat population on 1 January and GDP at current prices, shipped in
``pactum/data/solidarity`` (latest year available offline: 2022, stated as the reference year),
or the figures the Commission loaded for a cycle (:class:`KeyFigures`, read from a CSV file by
:mod:`pactum.solidarity.key_csv`): the latest Eurostat figures when the shipped ones are older.
A World Bank / UN WPP variant (2023) is available on request.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from pactum.common.states import EU_MEMBER_STATES, MEMBER_STATES
from pactum.law import LegalRef, param

Source = Literal["eurostat", "worldbank"]

# Denmark is not bound by the AMMR (Protocol No 22); the associated states (IS, LI, NO, CH) apply
# Dublin/Eurodac rules by agreement but take no part in the Solidarity Pool (AMMR Part IV).
NOT_BOUND_BY_SOLIDARITY: frozenset[str] = frozenset({"DK"})
SOLIDARITY_STATES: tuple[str, ...] = tuple(sorted(s for s in EU_MEMBER_STATES if s not in NOT_BOUND_BY_SOLIDARITY))

_FILES = {
    "eurostat": (
        "eurostat_population_gdp_2020_2022.csv",
        "population_1jan",
        "gdp_current_prices_meur",
        "Eurostat tps00001 (population on 1 January) and tec00001 (GDP, current prices, million EUR)",
    ),
    "worldbank": (
        "worldbank_unwpp_population_gdp_2021_2023.csv",
        "population_midyear_unwpp",
        "gdp_current_usd",
        "UN DESA World Population Prospects 2024 (mid-year population) and World Bank WDI "
        "NY.GDP.MKTP.CD (GDP, current US$)",
    ),
}


@dataclass(frozen=True, slots=True)
class KeyInput:
    member_state: str
    population: int
    gdp: Fraction


@dataclass(frozen=True, slots=True)
class KeyFigures:
    """Population and GDP of every bound state for one reference year, from a named source: the
    figures the Commission loaded for a cycle (they replace the shipped data for that cycle)."""

    reference_year: int
    source: str
    rows: dict[str, KeyInput]
    gdp_unit: str = "million EUR"


@lru_cache(maxsize=4)
def _rows(source: Source) -> dict[int, dict[str, KeyInput]]:
    fname, pop_col, gdp_col, _ = _FILES[source]
    out: dict[int, dict[str, KeyInput]] = {}
    path = resources.files("pactum").joinpath(f"data/solidarity/{fname}")
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = "EL" if row["geo_eurostat"] == "EL" else row["geo_eurostat"]
            if code not in MEMBER_STATES or not row[pop_col] or not row[gdp_col]:
                continue
            out.setdefault(int(row["year"]), {})[code] = KeyInput(
                member_state=code, population=int(float(row[pop_col])), gdp=Fraction(row[gdp_col])
            )
    return out


def available_years(source: Source = "eurostat") -> list[int]:
    """Years for which the shipped data cover every state bound by the solidarity rules."""
    return sorted(y for y, rows in _rows(source).items() if all(s in rows for s in SOLIDARITY_STATES))


def reference_year(pool_year: int, source: Source = "eurostat") -> int:
    """The latest data year before the pool year that covers every bound state."""
    years = [y for y in available_years(source) if y < pool_year]
    if not years:
        raise ValueError(f"no {source} population and GDP data before {pool_year}")
    return years[-1]


def largest_remainder(quotas: dict[str, Fraction], total: int) -> dict[str, int]:
    """Round ``quotas`` (summing to ``total``) to integers summing to exactly ``total``.

    Each state gets the integer part of its quota; the units left go one each to the largest
    fractional remainders (ties: alphabetical state code).
    """
    floors = {k: q.numerator // q.denominator for k, q in quotas.items()}
    left = total - sum(floors.values())
    order = sorted(quotas, key=lambda k: (-(quotas[k] - floors[k]), k))
    for k in order[: max(left, 0)]:
        floors[k] += 1
    return floors


@dataclass(frozen=True, slots=True)
class Pool:
    year: int
    relocations: int
    financial_eur: int
    legal_basis: list[str]
    note: str


def pool_for(year: int) -> Pool:
    """The pool size for ``year``: the Council's reference numbers when adopted for that year,
    otherwise the Art 12(2) minimum the Commission must propose."""
    on = date(year, 12, 31)
    ref = param("solidarity.pool.reference_relocations", on=on)
    ref_eur = param("solidarity.pool.reference_financial_eur", on=on)
    if ref.valid_from.year == year:
        return Pool(
            year=year,
            relocations=int(ref.value),
            financial_eur=int(ref_eur.value),
            legal_basis=[ref.reference.cite()],
            note=f"Reference numbers adopted by the Council for {year}.",
        )
    mn = param("solidarity.pool.relocations_min", on=on)
    mn_eur = param("solidarity.pool.financial_min_eur", on=on)
    return Pool(
        year=year,
        relocations=int(mn.value),
        financial_eur=int(mn_eur.value),
        legal_basis=[mn.reference.cite()],
        note=f"No Council act recorded for {year}: the minimum the Commission proposes (Art 12(2)).",
    )


@dataclass(frozen=True, slots=True)
class FairShare:
    member_state: str
    name: str
    population: int
    gdp: float
    population_share: float
    gdp_share: float
    key: float
    fair_share_relocations: int
    fair_share_eur: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "member_state": self.member_state,
            "name": self.name,
            "population": self.population,
            "gdp": self.gdp,
            "population_share": self.population_share,
            "gdp_share": self.gdp_share,
            "key": self.key,
            "key_percent": round(self.key * 100, 4),
            "fair_share_relocations": self.fair_share_relocations,
            "fair_share_eur": self.fair_share_eur,
        }


def fair_shares(
    pool: Pool,
    *,
    source: Source = "eurostat",
    data_year: int | None = None,
    states: tuple[str, ...] = SOLIDARITY_STATES,
    figures: KeyFigures | None = None,
) -> dict[str, Any]:
    """Every bound state's key and fair share of ``pool``; the shares add up to the pool exactly.
    ``figures``: the key's inputs loaded for the cycle, used instead of the shipped data."""
    if figures is not None:
        year, rows = figures.reference_year, figures.rows
        data_source, unit = figures.source, figures.gdp_unit
    else:
        year = data_year if data_year is not None else reference_year(pool.year, source)
        rows = _rows(source).get(year, {})
        data_source, unit = _FILES[source][3], ("million EUR" if source == "eurostat" else "US$")
    missing = [s for s in states if s not in rows]
    if missing:
        raise ValueError(f"no {source if figures is None else 'loaded'} data for {', '.join(missing)} in {year}")
    on = date(pool.year, 12, 31)
    w_pop = param("solidarity.reference_key.population_weight", on=on)
    w_gdp = param("solidarity.reference_key.gdp_weight", on=on)
    wp, wg = Fraction(str(w_pop.value)), Fraction(str(w_gdp.value))
    pop_total = sum(rows[s].population for s in states)
    gdp_total = sum((rows[s].gdp for s in states), Fraction(0))
    keys = {s: wp * Fraction(rows[s].population, pop_total) + wg * rows[s].gdp / gdp_total for s in states}
    total_key = sum(keys.values(), Fraction(0))
    keys = {s: k / total_key for s, k in keys.items()}  # weights sum to 1 by law; guard exactness
    reloc = largest_remainder({s: k * pool.relocations for s, k in keys.items()}, pool.relocations)
    eur = largest_remainder({s: k * pool.financial_eur for s, k in keys.items()}, pool.financial_eur)
    shares = [
        FairShare(
            member_state=s,
            name=MEMBER_STATES[s].name,
            population=rows[s].population,
            gdp=float(rows[s].gdp),
            population_share=float(Fraction(rows[s].population, pop_total)),
            gdp_share=float(rows[s].gdp / gdp_total),
            key=float(keys[s]),
            fair_share_relocations=reloc[s],
            fair_share_eur=eur[s],
        )
        for s in sorted(states, key=lambda s: -keys[s])
    ]
    return {
        "year": pool.year,
        "reference_year": year,
        "data_source": data_source,
        "figures_loaded": figures is not None,
        "gdp_unit": unit,
        "pool": {
            "relocations": pool.relocations,
            "financial_eur": pool.financial_eur,
            "legal_basis": pool.legal_basis,
            "note": pool.note,
        },
        "weights": {"population": float(wp), "gdp": float(wg)},
        "rounding": "largest remainder (Hamilton); ties by state code",
        # the weights' article (both in Art 66) and the formula's annex, each cited once
        "legal_basis": list(dict.fromkeys([w_pop.reference.cite(), w_gdp.reference.cite(),
                                           LegalRef(w_pop.reference.instrument, w_pop.reference.celex,
                                                    "Annex I").cite()])),
        "states": [f.as_dict() for f in shares],
        "totals": {
            "relocations": sum(reloc.values()),
            "financial_eur": sum(eur.values()),
            "population": pop_total,
        },
        "not_bound": sorted(NOT_BOUND_BY_SOLIDARITY),
    }
