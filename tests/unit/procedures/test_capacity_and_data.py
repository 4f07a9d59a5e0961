"""Border capacity from the law's formula, decision statistics from UNHCR files, safe-country
entries as an authorised user submits them."""

from __future__ import annotations

import gzip
from datetime import date

import pytest

from pactum.common.errors import ValidationProblem
from pactum.procedures.capacity import Arrivals, capacities, reference_period
from pactum.procedures.recognition import DecisionStat, eu_recognition_rate
from pactum.procedures.safe_countries import shipped_entries, validate_entry
from pactum.procedures.statistics import iter_lines, parse_unhcr_decisions, shipped_statistics


def test_italy_share_gives_the_capacity_of_decision_2024_2150() -> None:
    # Italy's 26.72% of the arrivals gives 8,016 places, 16,032 in year one, 24,048 in year two
    # (the formula the estimate follows, checked after the Decision's time, when it is the capacity)
    arrivals = {"IT": Arrivals(irregular_crossings=2672), "XX": Arrivals(irregular_crossings=7328)}
    caps = capacities(arrivals, date(2026, 7, 1))
    assert caps["IT"].estimate == 8016 and caps["IT"].estimate_annual_maximum == 16032
    assert capacities(arrivals, date(2027, 7, 1))["IT"].estimate_annual_maximum == 24048


# Commission Implementing Decision (EU) 2024/2150 (DOMAIN.md §3.1): capacity / maximum year 1 / 2
DECISION_FIGURES = {"IT": (8016, 16032, 24048), "HU": (7716, 15432, 23148), "ES": (3301, 6602, 9903),
                    "EL": (2188, 4376, 6564), "PL": (1564, 3128, 4692)}


def test_the_decision_fixes_the_capacities_while_it_is_in_force() -> None:
    # the platform's records give Italy a very different share: the Decision's figures apply
    # from 12 June 2026 until the next act (15 October 2027), the records only estimate
    arrivals = {"IT": Arrivals(1, 2, 1), "DE": Arrivals(0, 0, 2)}
    for ms, (places, year_one, year_two) in DECISION_FIGURES.items():
        c = capacities({**arrivals, ms: arrivals.get(ms, Arrivals(1))}, date(2026, 8, 1))[ms]
        assert (c.capacity, c.annual_maximum, c.source) == (places, year_one, "decision")
        assert c.as_dict()["capacity_legal_basis"].startswith(
            "Commission Implementing Decision (EU) 2024/2150, Article 1")
        assert capacities({ms: Arrivals(1)}, date(2027, 7, 1))[ms].annual_maximum == year_two
    it = capacities(arrivals, date(2026, 8, 1))["IT"]
    assert it.estimate == 20000 and it.as_dict()["estimate"]["capacity"] == 20000
    assert it.explanation[0] == (
        "IT: adequate capacity 8,016 places, fixed by Commission Implementing Decision (EU) "
        "2024/2150, Article 1 (from 2026-06-12 until the next implementing act, due on 2027-10-15)")
    assert "estimate from the platform's records (for comparison, not the law):" in it.explanation
    assert "adequate capacity: 30,000 × 4 / 6 = 20,000 places (rounded half up)" in it.explanation
    # a state whose figure the platform does not hold: the estimate, said to be one
    de = capacities(arrivals, date(2026, 8, 1))["DE"]
    # (the estimates share only what the Decision's figures leave: 30,000 - 22,785 = 7,215)
    assert (de.capacity, de.source, de.estimate) == (7215, "estimate", 10000)
    assert de.explanation[-1] == (
        "capacity used (an estimate, not the law): 7,215 places, the state's share by its arrivals "
        "of the 7,215 places the figures fixed by Commission Implementing Decision (EU) 2024/2150 "
        "leave of the Union's 30,000")
    assert "holds no figure of Commission Implementing Decision (EU) 2024/2150" in de.explanation[0]
    # the last day of the Decision's figures, and the first after it: no act held, the estimate
    assert capacities(arrivals, date(2027, 10, 14))["IT"].capacity == 8016
    after = capacities(arrivals, date(2027, 10, 15))["IT"]
    assert (after.capacity, after.source) == (20000, "estimate")
    assert "no act of the Commission fixing the adequate capacities" in after.explanation[0]


def test_capacity_reached_and_reference_years() -> None:
    caps = capacities({"EL": Arrivals(1), "IT": Arrivals(1)}, date(2026, 7, 1),
                      occupancy={"EL": 2188, "IT": 8015})
    assert caps["EL"].capacity_reached and not caps["IT"].capacity_reached
    # states without a fixed figure share what the Decision's figures leave (7,215 places):
    # DE 3,608 and FR 3,607 (the one place left over goes to the first by code)
    est = capacities({"FR": Arrivals(1), "DE": Arrivals(1)}, date(2026, 7, 1),
                     occupancy={"FR": 3607, "DE": 3607})
    assert (est["DE"].capacity, est["FR"].capacity) == (3608, 3607)
    assert est["FR"].capacity_reached and not est["DE"].capacity_reached
    assert reference_period(date(2026, 7, 1)) == (date(2023, 1, 1), date(2025, 12, 31))
    assert capacities({}, date(2026, 7, 1)) == {}


def test_refusals_of_entry_count_in_each_state_share_worked_by_hand() -> None:
    # Over the three reference years: Italy 300 irregular crossings + 500 SAR arrivals + 200
    # refusals of entry = 1,000; Hungary 400 + 0 + 1,100 = 1,500; Poland 100 + 0 + 2,400 = 2,500.
    # Union total 5,000. Estimate = 30,000 x state / 5,000: 6,000, 9,000 and 15,000 places;
    # in the first year (x 2) annual maxima of 12,000, 18,000 and 30,000.
    arrivals = {"IT": Arrivals(300, 500, 200), "HU": Arrivals(400, 0, 1100),
                "PL": Arrivals(100, 0, 2400)}
    caps = capacities(arrivals, date(2026, 7, 1))
    assert {ms: (c.estimate, c.estimate_annual_maximum) for ms, c in caps.items()} == {
        "IT": (6000, 12000), "HU": (9000, 18000), "PL": (15000, 30000)}
    assert caps["PL"].as_dict()["share_percent"] == 50.0
    assert caps["IT"].estimate_explanation == [
        "IT: irregular crossings 300 + arrivals after search and rescue 500 + refusals of entry "
        "200 = 1,000",
        "share: 1,000 / 5,000 (all bound states) = 20.00%",
        "adequate capacity: 30,000 × 1,000 / 5,000 = 6,000 places (rounded half up)",
        "annual maximum: 6,000 × 2 = 12,000 applications",
    ]
    # Leaving the refusals out (as before they were recorded) would give Italy 800 / 1,300 of the
    # Union capacity: 18,462 places instead of 6,000.
    without = {ms: Arrivals(a.irregular_crossings, a.sar_arrivals) for ms, a in arrivals.items()}
    assert capacities(without, date(2026, 7, 1))["IT"].estimate == 18462


def test_capacity_is_rounded_half_up_to_whole_places() -> None:
    # 30,000 x 1 / 60,000 = 0.5 place -> 1; 30,000 x 59,999 / 60,000 = 29,999.5 -> 30,000
    caps = capacities({"MT": Arrivals(0, 0, 1), "XX": Arrivals(59999)}, date(2026, 7, 1))
    assert (caps["MT"].estimate, caps["XX"].estimate) == (1, 30000)
    # the capacities in force are whole places that never add up to more than the Union's
    after = capacities({"MT": Arrivals(0, 0, 1), "XX": Arrivals(59999)}, date(2027, 10, 15))
    assert (after["MT"].capacity, after["XX"].capacity) == (1, 29999)
    assert capacities({"MT": Arrivals()}, date(2026, 7, 1))["MT"].explanation[3] == (
        "adequate capacity: 0 places (no arrivals recorded in the period)")


CSV = """year,coo_iso,coa_iso,dec_level,dec_pc,dec_recognized,dec_other,dec_rejected,dec_closed
2025,PAK,ITA,FI,P,10,5,85,3
2025,PAK,AUT,FA,P,2,0,8,0
2025,PAK,DEU,FI,P,1,0,9,0
2025,PAK,DEU,AR,P,100,0,0,0
2025,PAK,NOR,FI,P,0,0,500,0
2025,PAK,GRC,FI,C,50,0,0,0
"""


def test_unhcr_file_first_instance_and_combined_levels() -> None:
    stats = parse_unhcr_decisions(iter(CSV.splitlines()))
    by_state = {s.member_state: s for s in stats}
    assert set(by_state) == {"IT", "AT", "DE", "NO"}  # cases (C) not persons are left out
    assert by_state["AT"].source.endswith("(FA)")  # Austria reports only FA
    assert by_state["DE"].positive == 1  # the administrative review (AR) row is not first instance
    rate = eu_recognition_rate(stats, "PAK", date(2026, 8, 1), ["IT", "AT", "DE"])
    assert (rate.positive, rate.decided, rate.rate) == (18, 120, 15.0)


def test_bad_statistics_files_are_refused() -> None:
    with pytest.raises(ValidationProblem, match="missing columns"):
        parse_unhcr_decisions(iter(["a,b", "1,2"]))
    with pytest.raises(ValidationProblem, match="line 2"):
        parse_unhcr_decisions(iter(CSV.replace("2025,PAK,ITA,FI,P,10", "2025,PAK,ITA,FI,P,ten")
                                   .splitlines()))
    assert list(iter_lines(gzip.compress(b"x\n"))) == ["x\n"]


def test_shipped_statistics_cover_the_eu_with_greece_as_el() -> None:
    stats = shipped_statistics()
    states = {s.member_state for s in stats}
    assert "EL" in states and "GR" not in states
    assert {s.year for s in stats} >= set(range(2015, 2026))
    assert all(isinstance(s, DecisionStat) for s in stats[:10])


def test_safe_country_entries_are_checked_field_by_field() -> None:
    with pytest.raises(ValidationProblem) as e:
        validate_entry({"scope": "XX", "concept": "nice", "country": "QQQ", "valid_from": "soon"})
    assert {f for f, _ in e.value.problems} == {"scope", "concept", "country", "valid_from", "reference"}
    with pytest.raises(ValidationProblem, match="Union level"):
        validate_entry({"scope": "IT", "concept": "candidate_country", "country": "ALB",
                        "valid_from": "2026-06-12", "reference": "x"})
    eu = {e.country for e in shipped_entries() if e.concept == "safe_country_of_origin"}
    assert eu == {"BGD", "COL", "EGY", "IND", "XKX", "MAR", "TUN"}
