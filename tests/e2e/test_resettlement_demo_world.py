"""The demo world's resettlement (step ``resettlement``): beside the real plans' totals, DEMO data
shows what the Regulation lets a Member State and the Commission record: a Union Plan naming the
countries of first asylum it targets (Regulation (EU) 2024/1350, Art 8(3)(c)), ordinary procedures
extended by three months for complex issues (Art 9(9), second sentence) and procedures discontinued
(Art 9(11)). The test clock is 2026-11-28."""

from __future__ import annotations

from pactum.law import add_period
from pactum.services import resettlement
from pactum.services.auth import SYSTEM


def _cases(services, key: str) -> list[dict[str, object]]:
    states = resettlement.get_plan(services, SYSTEM, key)["progress"]["by_state"]
    return [c for s in states for c in resettlement.state_view(
        services, resettlement_user(s["member_state"]), s["member_state"], key)["cases"]]


def resettlement_user(ms: str):
    from pactum.scenario.steps.resettlement import _state_user

    return _state_user(ms)


def test_the_demo_world_shows_targeted_countries_extensions_and_discontinuations(demo_world):
    services = demo_world(scale="S", only=["resettlement"])
    plans = {p["key"]: p for p in resettlement.list_plans(services, SYSTEM)}
    # the real totals are untouched; the Union Plan names the countries targeted (demo data), which
    # bind resettlement and humanitarian admission, not emergency admission (Art 8(5))
    assert (plans["2024-2025"]["total_places"], plans["2026-2027"]["total_places"]) == (60960, 15230)
    union = resettlement.get_plan(services, SYSTEM, "2026-2027")
    assert union["first_asylum_countries"] == ["TUR", "LBN", "JOR", "EGY", "RWA", "ETH", "KEN", "PAK", "IRN"]
    assert union["progress"]["total"]["pledged"] == 15230
    countries = {w["first_asylum"] for w in union["progress"]["by_first_asylum"] if w["first_asylum"]}
    assert {"LBY", "NER"} <= countries  # emergency admission from countries the plan does not target
    cases = _cases(services, "2026-2027")
    extended = [c for c in cases if c["extended_on"]]
    assert len(extended) >= 3
    for c in extended:
        seven = add_period(c["registered_on"], 7, "months", c["member_state"])
        assert c["registered_on"] <= c["extended_on"] <= seven and "demo data" in c["extension_reason"]
        assert c["clock"]["limit"] == "7 months, extended by 3 months"
        assert c["decided_on"] is None or c["extended_on"] < c["decided_on"]
    # an extension saved some procedures from reading late or overdue at seven months
    assert any(c["clock"]["status"] in ("in_time", "running") and c["clock"]["deadline"] > add_period(
        c["registered_on"], 7, "months", c["member_state"]) for c in extended)
    discontinued = [c for c in cases if c["decision"] == "discontinued"]
    assert len(discontinued) >= 3
    assert {c["discontinuation_ground"] for c in discontinued} >= {"consent_withdrawn"}
    # a procedure discontinued after its positive conclusion (consent withdrawn before the entry) reads
    # the conclusion on its clock
    assert all(c["clock"]["status"] == "discontinued" if c["positive_conclusion_on"] is None
               else c["clock"]["status"] in ("in_time", "late") for c in discontinued)
    assert all(c["data_retention"] for c in discontinued)
    # a pledging exercise ran under national programmes: nothing of Art 9 is recorded under it
    old = _cases(services, "2024-2025")
    assert not any(c["extended_on"] or c["decision"] == "discontinued" for c in old)


def test_the_demo_world_shows_statuses_entries_due_withdrawals_of_consent_and_unhcr_records(demo_world):
    """Art 9(15)-(18): statuses granted after a positive conclusion; Art 9(20): entries due within
    twelve months of it; Art 7(1), 9(11): consent withdrawn before the entry; Art 9(11), 9(13):
    whether UNHCR was given the reason. The first Union Plan began on 1 January 2026, less than
    twelve months before the world's end: no entry is overdue yet, some are due soon."""
    services = demo_world(scale="S", only=["resettlement"])
    cases = _cases(services, "2026-2027")
    admitted = [c for c in cases if c["decision"] == "admitted"]
    granted = [c for c in admitted if c["status_granted"]]
    assert len(granted) >= 0.6 * len(admitted) > 0
    assert {c["status_granted"] for c in granted} >= {"refugee_status", "subsidiary_protection"}
    assert not any(c["category"] == "resettlement" and c["status_granted"] == "national_humanitarian_status"
                   for c in granted)
    assert all(c["status_decided_on"] >= c["positive_conclusion_on"] for c in granted)
    waiting = [c for c in admitted if c["arrived_on"] is None]
    assert all(c["transfer"]["status"] in ("awaiting", "due_soon") for c in waiting)
    # three persons admitted in January 2026 whose travel is delayed: their twelve months end within 60 days
    soon = [c for c in waiting if c["transfer"]["status"] == "due_soon"]
    assert sorted(c["case_reference"] for c in soon) == ["DE-RST-2026-T01", "FR-RST-2026-T02", "IT-RST-2026-T03"]
    plan = resettlement.get_plan(services, SYSTEM, "2026-2027")["transfers"]
    assert (plan["overdue"], plan["due_soon"]) == (0, 3)
    after = [c for c in cases if c["decision"] == "discontinued" and c["positive_conclusion_on"]]
    assert len(after) >= 1 and all(c["discontinuation_ground"] == "consent_withdrawn" for c in after)
    told = [c for c in cases if c["unhcr_informed"]]
    assert len(told) >= 3 and all(c["unhcr_basis"] for c in told)
    assert any(c["unhcr_basis"] and not c["unhcr_informed"] for c in cases)  # some left to record
    # a pledging exercise ran under national programmes: none of it is recorded under it
    old = _cases(services, "2024-2025")
    assert not any(c["status_granted"] or c["unhcr_informed"] for c in old)


def test_the_demo_world_records_the_transmissions_to_eurodac_after_the_decisions_of_article_18_2(demo_world):
    """Regulation (EU) 2024/1350, Art 9(24) (from 12 June 2026); Regulation (EU) 2024/1358, Art 18(2):
    the data are transmitted within 72 hours of a status granted, a refusal under Art 6(1)(f) or a
    discontinuation for consent withdrawn. Most are recorded in time, some late, some children under
    six; a decision before 12 June 2026 has no transmission under Art 9(24)."""
    services = demo_world(scale="S", only=["resettlement"])
    cases = _cases(services, "2026-2027")
    by = {}
    for c in cases:
        by.setdefault(c["eurodac"]["status"], []).append(c)
    assert len(by.get("transmitted_in_time", [])) >= 3
    assert set(by) <= {"none", "not_applicable", "due", "overdue", "transmitted_in_time", "transmitted_late",
                       "under_six"}
    sent = by.get("transmitted_in_time", []) + by.get("transmitted_late", [])
    assert all(c["eurodac"]["decision_on"] <= c["eurodac_transmitted_on"] for c in sent)
    assert all(c["eurodac"]["decision_on"].isoformat() >= "2026-06-12" for c in sent)
    assert all(c["eurodac"]["decision_on"].isoformat() < "2026-06-12" for c in by.get("not_applicable", []))
    assert {c["eurodac"]["trigger"] for c in sent} >= {"status_granted"}
    # a pledging exercise ran under national programmes before Art 9(24) applied
    assert all(c["eurodac"]["status"] == "none" for c in _cases(services, "2024-2025"))


def test_the_demo_world_records_the_transmissions_for_comparison_of_article_18_1(demo_world):
    """Regulation (EU) 2024/1358, Art 18(1) (from 12 June 2026): the biometric data of a person
    registered under the Union Plan are transmitted for comparison after the registration and before
    the conclusion; most are recorded, some late, some refusals concluded without a comparison."""
    services = demo_world(scale="S", only=["resettlement"])
    cases = _cases(services, "2026-2027")
    by = {}
    for c in cases:
        by.setdefault(c["eurodac_comparison"]["status"], []).append(c)
    assert len(by.get("transmitted_in_time", [])) >= 10
    assert by.get("not_needed") and all(c["decision"] == "refused" for c in by["not_needed"])
    sent = by.get("transmitted_in_time", []) + by.get("transmitted_late", [])
    assert all(c["registered_on"] <= c["eurodac_compared_on"] for c in sent)
    assert all(c["eurodac_compared_on"].isoformat() >= "2026-06-12" for c in sent)
    # Eurodac keeps none of them (Art 29(2))
    assert all(c["eurodac_comparison"]["kept_until"] is None for c in cases)
    assert all(c["eurodac_comparison"]["status"] == "none" for c in _cases(services, "2024-2025"))
