"""The recognition rate of APR Art 42(1)(j) counts decisions granting international protection
(refugee status, subsidiary protection) over all first-instance decisions: a national humanitarian
status is a decision, not international protection. UNHCR's "complementary protection" mixes the two;
Spain's humanitarian grants to Venezuelans (and Colombians, Peruvians, Brazilians) are counted as
national status, other complementary grants as subsidiary protection, and a rate whose range straddles
the threshold says so."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.common.states import EU_MEMBER_STATES
from pactum.procedures.recognition import (
    DecisionStat,
    NationalStatus,
    eu_recognition_rate,
    shipped_national_statuses,
)
from pactum.procedures.statistics import parse_unhcr_decisions, shipped_statistics

ON = date(2026, 11, 30)  # an application under the APR: reference year 2025


def _rate(nationality: str, on: date = ON):
    return eu_recognition_rate(shipped_statistics(), nationality, on, EU_MEMBER_STATES)


def test_spains_humanitarian_status_for_venezuelans_is_not_international_protection() -> None:
    r = _rate("VEN")
    d = r.as_dict(20.0)
    assert d["reference_year"] == 2025
    # the total of decisions is unchanged (humanitarian grants are decisions) ...
    assert d["total_decisions"] == 62_830
    # ... but Spain's 56,261 humanitarian grants are not decisions granting international protection
    assert d["humanitarian_status_decisions"] == 56_261
    assert d["national_status_attributed"][0]["member_state"] == "ES"
    assert "humanitarian" in d["national_status_attributed"][0]["status"]
    assert d["positive_decisions"] == d["refugee_status_decisions"] + d["subsidiary_protection_decisions"]
    assert d["positive_decisions"] + d["humanitarian_status_decisions"] + d["rejected_decisions"] == 62_830
    assert d["rate_percent"] == 2.75 and d["at_or_below_threshold"] is True  # was 92.29%
    assert d["rate_range_percent"] == [0.95, 2.75] and d["uncertain"] is False
    assert "56,261" in d["explanation"] and "at or below the 20.0% threshold" in d["explanation"]


def test_the_rate_keeps_its_json_contract_and_adds_fields() -> None:
    d = _rate("BGD").as_dict(20.0)
    old = ["nationality", "reference_year", "rate_percent", "positive_decisions", "total_decisions",
           "states_reporting", "source", "threshold_percent", "at_or_below_threshold"]
    assert all(k in d for k in old)
    assert (d["rate_percent"], d["positive_decisions"], d["total_decisions"]) == (3.09, 1198, 38736)


@pytest.mark.parametrize(("nationality", "at_most"), [("VEN", 10), ("COL", 10), ("PER", 10), ("BRA", 10)])
def test_latin_american_rates_are_below_ten_percent_as_euaa_reports(nationality: str, at_most: float) -> None:
    # DOMAIN.md §9.2: EU+ 2023, international protection only, Venezuela, Colombia, Peru, Brazil < 5-10%
    for on in (date(2024, 6, 1), ON):
        r = _rate(nationality, on)
        assert r.rate is not None and r.rate < at_most, (nationality, on, r.rate)


@pytest.mark.parametrize(("nationality", "at_least"), [
    ("SYR", 90), ("UKR", 90), ("PSE", 85), ("YEM", 80), ("ERI", 80), ("BLR", 80), ("MLI", 65),
    ("SDN", 65), ("BFA", 60), ("CHN", 60), ("NIC", 50)])
def test_complementary_protection_elsewhere_counts_as_subsidiary_protection(nationality: str,
                                                                           at_least: float) -> None:
    # DOMAIN.md §9.2, EU+ 2023 on international protection only: Syria 94%, Ukraine 92%, Palestine 87%,
    # Yemen 84%, Eritrea 83%, Belarus 81%, Mali 72%, Sudan 67%, Burkina Faso 67%, China 63%, Nicaragua
    # 53%. Counting UNHCR's complementary protection as not international protection would put Ukraine
    # at 3%, Mali at 13% and Belarus at 19%: it is subsidiary protection there.
    r = _rate(nationality, date(2024, 6, 1))
    assert r.year == 2023 and r.rate is not None and r.rate >= at_least, (nationality, r.rate)


def test_only_the_named_state_s_complementary_protection_is_national_status() -> None:
    stats = [DecisionStat(2025, "ES", "VEN", 10, 900, 90), DecisionStat(2025, "FR", "VEN", 0, 100, 900)]
    r = eu_recognition_rate(stats, "VEN", ON, EU_MEMBER_STATES)
    # Spain's 900 are humanitarian status; France's 100 are subsidiary protection
    assert (r.positive, r.decided, r.rate) == (110, 2000, 5.5)
    assert r.outcomes.humanitarian == 900
    none_attributed = eu_recognition_rate(stats, "VEN", ON, EU_MEMBER_STATES, national=[])
    assert none_attributed.rate == 50.5
    other = eu_recognition_rate(stats, "VEN", ON, EU_MEMBER_STATES,
                                national=[NationalStatus("FR", "VEN", "x", "y")])
    assert other.rate == 45.5
    assert ("ES", "VEN") in {(n.member_state, n.nationality) for n in shipped_national_statuses()}


def test_a_rate_whose_range_straddles_the_threshold_is_uncertain_and_not_at_or_below_it() -> None:
    # refugee status 15%, complementary protection 10% not attributed: 15-25% around the 20% threshold
    stats = [DecisionStat(2025, "DE", "IRQ", 150, 100, 750)]
    r = eu_recognition_rate(stats, "IRQ", ON, EU_MEMBER_STATES)
    d = r.as_dict(20.0)
    assert d["rate_percent"] == 25.0 and d["rate_range_percent"] == [15.0, 25.0]
    assert d["uncertain"] is True and d["at_or_below_threshold"] is False
    assert "do not show the rate to be at or below it" in d["explanation"]
    # the shipped 2025 figures: Syria 17-44%, Iraq 18-27% are uncertain and above the threshold
    for nat in ("SYR", "IRQ"):
        shipped = _rate(nat).as_dict(20.0)
        assert shipped["uncertain"] is True and shipped["at_or_below_threshold"] is False, shipped


@pytest.mark.parametrize("code", ["XXX", "UNK", "XXA"])
def test_unknown_origin_and_stateless_have_no_rate(code: str) -> None:
    stats = [DecisionStat(2025, "DE", code, 0, 0, 1000)]
    r = eu_recognition_rate(stats, code, ON, EU_MEMBER_STATES)
    assert r.rate is None and r.year is None
    d = r.as_dict(20.0)
    assert d["at_or_below_threshold"] is False and d["explanation"]


def test_kosovo_says_unhcr_counts_it_with_serbia() -> None:
    d = _rate("XKX").as_dict(20.0)
    assert d["rate_percent"] is None and "SRB" in d["explanation"]


def test_unhcr_unknown_origin_is_read_as_unknown_not_kosovo() -> None:
    csv = ("year,coo_iso,coa_iso,dec_level,dec_pc,dec_recognized,dec_other,dec_rejected,dec_closed\n"
           "2025,UNK,DEU,FI,P,10,5,85,3\n2025,,FRA,FI,P,1,0,9,0\n")
    stats = parse_unhcr_decisions(iter(csv.splitlines()))
    assert {s.nationality for s in stats} == {"XXX"}
    assert not any(s.nationality in ("UNK", "XKX") for s in shipped_statistics())
