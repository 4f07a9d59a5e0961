"""Border capacity from the law's formula, decision statistics from UNHCR files, safe-country
entries as an authorised user submits them."""

from __future__ import annotations

import gzip
from datetime import date

import pytest

from pactum.common.errors import ValidationProblem
from pactum.procedures.capacity import capacities, reference_period
from pactum.procedures.recognition import DecisionStat, eu_recognition_rate
from pactum.procedures.safe_countries import shipped_entries, validate_entry
from pactum.procedures.statistics import iter_lines, parse_unhcr_decisions, shipped_statistics


def test_italy_share_gives_the_capacity_of_decision_2024_2150() -> None:
    # Italy's 26.72% of the arrivals gives 8,016 places, 16,032 in year one, 24,048 in year two
    caps = capacities({"IT": 2672, "XX": 7328}, date(2026, 7, 1))
    assert caps["IT"].capacity == 8016 and caps["IT"].annual_maximum == 16032
    assert capacities({"IT": 2672, "XX": 7328}, date(2027, 7, 1))["IT"].annual_maximum == 24048


def test_capacity_reached_and_reference_years() -> None:
    caps = capacities({"EL": 1, "IT": 1}, date(2026, 7, 1), occupancy={"EL": 15000, "IT": 14999})
    assert caps["EL"].capacity_reached and not caps["IT"].capacity_reached
    assert reference_period(date(2026, 7, 1)) == (date(2023, 1, 1), date(2025, 12, 31))
    assert capacities({}, date(2026, 7, 1)) == {}


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
