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
    arrivals = {"IT": Arrivals(irregular_crossings=2672), "XX": Arrivals(irregular_crossings=7328)}
    caps = capacities(arrivals, date(2026, 7, 1))
    assert caps["IT"].capacity == 8016 and caps["IT"].annual_maximum == 16032
    assert capacities(arrivals, date(2027, 7, 1))["IT"].annual_maximum == 24048


def test_capacity_reached_and_reference_years() -> None:
    caps = capacities({"EL": Arrivals(1), "IT": Arrivals(1)}, date(2026, 7, 1),
                      occupancy={"EL": 15000, "IT": 14999})
    assert caps["EL"].capacity_reached and not caps["IT"].capacity_reached
    assert reference_period(date(2026, 7, 1)) == (date(2023, 1, 1), date(2025, 12, 31))
    assert capacities({}, date(2026, 7, 1)) == {}


def test_refusals_of_entry_count_in_each_state_share_worked_by_hand() -> None:
    # Over the three reference years: Italy 300 irregular crossings + 500 SAR arrivals + 200
    # refusals of entry = 1,000; Hungary 400 + 0 + 1,100 = 1,500; Poland 100 + 0 + 2,400 = 2,500.
    # Union total 5,000. Capacity = 30,000 x state / 5,000: 6,000, 9,000 and 15,000 places;
    # in the first year (x 2) annual maxima of 12,000, 18,000 and 30,000.
    arrivals = {"IT": Arrivals(300, 500, 200), "HU": Arrivals(400, 0, 1100),
                "PL": Arrivals(100, 0, 2400)}
    caps = capacities(arrivals, date(2026, 7, 1))
    assert {ms: (c.capacity, c.annual_maximum) for ms, c in caps.items()} == {
        "IT": (6000, 12000), "HU": (9000, 18000), "PL": (15000, 30000)}
    assert caps["PL"].as_dict()["share_percent"] == 50.0
    assert caps["IT"].explanation == [
        "IT: irregular crossings 300 + arrivals after search and rescue 500 + refusals of entry "
        "200 = 1,000",
        "share: 1,000 / 5,000 (all bound states) = 20.00%",
        "adequate capacity: 30,000 × 1,000 / 5,000 = 6,000 places (rounded half up)",
        "annual maximum: 6,000 × 2 = 12,000 applications",
    ]
    # Leaving the refusals out (as before they were recorded) would give Italy 800 / 1,300 of the
    # Union capacity: 18,462 places instead of 6,000.
    without = {ms: Arrivals(a.irregular_crossings, a.sar_arrivals) for ms, a in arrivals.items()}
    assert capacities(without, date(2026, 7, 1))["IT"].capacity == 18462


def test_capacity_is_rounded_half_up_to_whole_places() -> None:
    # 30,000 x 1 / 60,000 = 0.5 place -> 1; 30,000 x 59,999 / 60,000 = 29,999.5 -> 30,000
    caps = capacities({"MT": Arrivals(0, 0, 1), "XX": Arrivals(59999)}, date(2026, 7, 1))
    assert (caps["MT"].capacity, caps["XX"].capacity) == (1, 30000)
    assert capacities({"MT": Arrivals()}, date(2026, 7, 1))["MT"].explanation[2] == (
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
