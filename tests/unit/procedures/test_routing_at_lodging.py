"""Routing again at lodging (APR Art 79(3)): the same facts, read back from the first routing's
trace, routed under the law the day of lodging chose, with the parameters and lists in force that
day."""

from __future__ import annotations

from datetime import date

from pactum.procedures.model import RoutingInput
from pactum.procedures.routing import route, routing_input, routing_regime
from pactum.procedures.safe_countries import shipped_entries
from pactum.procedures.statistics import shipped_statistics

MADE = {"applied_on": "2026-06-05", "member_state": "EL", "context": "apprehended_at_external_border",
        "nationality": "PAK", "unaccompanied_minor": False, "misled_authorities": True, "security_threat": False,
        "subsequent_application": False, "first_country_of_asylum": None, "safe_third_country_connection": "TUR",
        "vulnerabilities": ["torture_victim"]}


def test_made_before_the_pact_and_lodged_from_it_the_facts_are_routed_again_under_the_apr() -> None:
    stats, lists = shipped_statistics(), shipped_entries()
    first = route(RoutingInput(**MADE), stats, lists).model_dump(mode="json")
    assert routing_regime(first) == "pre_pact"
    # the trace holds every fact the application was routed on
    assert routing_input(first) == MADE
    again = route(RoutingInput(**routing_input(first)), stats, lists, lodged_on=date(2026, 6, 15))
    assert routing_regime(again.model_dump(mode="json")) == "pact"
    made = again.trace[0]
    assert (made["facts"]["applied_on"], made["facts"]["lodged_on"]) == ("2026-06-05", "2026-06-15")
    assert made["outcome"] == ("Asylum Procedure Regulation (EU) 2024/1348 applies: the application was lodged "
                               "on 2026-06-15 (Regulation (EU) 2024/1348, Article 79(3))")
    # the APR's recognition-rate threshold, in force from 12 June 2026, is read on the day of lodging
    rate = next(s for s in again.trace if s["rule"] == "recognition_rate")
    assert rate["parameters"]["apr.accelerated.recognition_rate_threshold"] == 20.0
    assert (again.procedure, again.mandatory) == ("border", True)
    assert again.grounds[:2] == ["misled_authorities", "low_recognition_rate"]
