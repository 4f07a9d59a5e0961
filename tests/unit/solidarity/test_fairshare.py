"""The fair-share key (AMMR Art 66, Annex I) and largest-remainder rounding."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from pactum.solidarity.fairshare import (
    SOLIDARITY_STATES,
    Pool,
    available_years,
    fair_shares,
    largest_remainder,
    pool_for,
    reference_year,
)


def test_largest_remainder_gives_the_leftover_units_to_the_largest_remainders() -> None:
    quotas = {"A": Fraction(43, 10), "B": Fraction(27, 10), "C": Fraction(3, 1)}
    assert largest_remainder(quotas, 10) == {"A": 4, "B": 3, "C": 3}


def test_largest_remainder_breaks_ties_by_state_code() -> None:
    quotas = {"B": Fraction(3, 2), "A": Fraction(3, 2)}
    assert largest_remainder(quotas, 3) == {"A": 2, "B": 1}


@given(st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=30),
       st.integers(min_value=0, max_value=10**7))
def test_largest_remainder_sums_exactly_and_stays_within_one(weights: list[int], total: int) -> None:
    w = sum(weights)
    quotas = {f"S{i}": Fraction(x * total, w) for i, x in enumerate(weights)}
    out = largest_remainder(quotas, total)
    assert sum(out.values()) == total
    # the quota property: each share is its quota rounded down or up
    assert all(out[k] in (q.numerator // q.denominator, -(-q.numerator // q.denominator)) for k, q in quotas.items())


def test_reference_year_is_the_latest_complete_eurostat_year() -> None:
    assert available_years()[-1] == 2022
    assert reference_year(2026) == 2022
    assert reference_year(2026, "worldbank") == 2023


def test_denmark_is_not_in_the_key() -> None:
    assert "DK" not in SOLIDARITY_STATES and len(SOLIDARITY_STATES) == 26


def test_pool_2026_is_the_councils_and_later_years_the_article_12_minimum() -> None:
    p26, p27 = pool_for(2026), pool_for(2027)
    assert (p26.relocations, p26.financial_eur) == (21000, 420_000_000)
    assert "2025/2642" in p26.legal_basis[0]
    assert (p27.relocations, p27.financial_eur) == (30000, 600_000_000)
    assert "Article 12(2)" in p27.legal_basis[0]


def test_key_is_half_population_half_gdp_and_shares_sum_to_the_pool() -> None:
    out = fair_shares(Pool(2026, 21001, 420_000_017, ["x"], ""))
    assert sum(s["fair_share_relocations"] for s in out["states"]) == 21001
    assert sum(s["fair_share_eur"] for s in out["states"]) == 420_000_017
    for s in out["states"]:
        assert abs(s["key"] - (s["population_share"] + s["gdp_share"]) / 2) < 1e-12
        assert abs(s["fair_share_relocations"] - s["key"] * 21001) < 1
    de = next(s for s in out["states"] if s["member_state"] == "DE")
    assert de["population"] == 83237124  # Eurostat, 1 January 2022
