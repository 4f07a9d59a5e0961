"""A first-country-of-asylum or safe-third-country ground rests on a third country (APR Art 38(1)(a),
(b) with Arts 58, 59; Directive 2013/32/EU Art 33(2)(b), (c)): the routing names it, in its JSON
(``third_countries``), its trace and on the case and routing pages. Where the routing is rebuilt
from the case's stored facts (a trace stored without the steps that give them all, routed again at
lodging under APR Art 79(3)), the country is read from the trace where it records it; where nothing
records it, the routing says it is not recorded rather than leaving the ground out silently."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from pactum.store.tables.procedures import asylum_applications

try:
    from .test_procedures_support import World, login, make_cli_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_cli_world, ok  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    w = make_cli_world(tmp_path, monkeypatch)
    w.travel(datetime(2026, 6, 5, 9, 0, tzinfo=UTC))
    return w


def _person(world: World, surname: str) -> str:
    return world.person("it.caseworker", surname=surname, nationality="BGD", kind="irregular_crossing",
                        occurred_at="2026-06-01T06:00:00+00:00")


def _stored_trace_without(world: World, case: dict[str, Any], *rules: str) -> None:
    """The case's routing as a case stored before its trace recorded every fact: without ``rules``."""
    routing = dict(case["routing"])
    routing.pop("third_countries", None)
    routing["trace"] = [s for s in routing["trace"] if s["rule"] not in rules]
    with world.services.engine.begin() as conn:
        conn.execute(update(asylum_applications).where(asylum_applications.c.id == case["id"])
                     .values(routing=routing))


def test_the_routing_names_the_first_country_of_asylum(world: World) -> None:
    world.travel(datetime(2026, 8, 3, 9, 0, tzinfo=UTC))
    case = world.apply("it.caseworker", _person(world, "Rahman"), made_on="2026-08-03", registered_on="2026-08-03",
                       context="in_territory", first_country_of_asylum="TUR")
    assert case["procedure"] == "admissibility" and "first_country_of_asylum" in case["routing_grounds"]
    [tc] = case["routing"]["third_countries"]
    assert (tc["ground"], tc["country"], tc["recorded"]) == ("first_country_of_asylum", "TUR", True)
    assert tc["legal_basis"] == ["Regulation (EU) 2024/1348, Article 38(1)(a)", "Regulation (EU) 2024/1348, Article 58"]
    assert tc["note"].startswith(f"first country of asylum: {tc['country_name']} (TUR;")
    step = next(s for s in case["routing"]["trace"] if s["rule"] == "admissibility_grounds")
    assert step["outcome"] == "grounds met: first_country_of_asylum (TUR)"
    html = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text
    assert f"First country of asylum ({tc['country_name']}, TUR)" in html or (
        f"first country of asylum ({tc['country_name']}, TUR)" in html)
    assert 'id="third-countries"' in html
    # the routing answer names it too
    answer = ok(world.post("it.caseworker", "/routing", {
        "applied_on": "2026-08-03", "member_state": "IT", "context": "in_territory", "nationality": "BGD",
        "safe_third_country_connection": "ALB"}))
    assert [(t["ground"], t["country"]) for t in answer["third_countries"]] == [("safe_third_country", "ALB")]


def test_routed_again_from_stored_facts_the_safe_third_country_is_kept_and_named(world: World) -> None:
    case = world.apply("it.caseworker", _person(world, "Hossain"), made_on="2026-06-05", registered_on="2026-06-05",
                       context="in_territory", safe_third_country_connection="ALB")
    assert case["routing_grounds"] == ["safe_third_country"]
    # stored without the border-scope step: the facts are not all in the trace, the row stands in
    _stored_trace_without(world, case, "border_procedure_scope")
    world.travel(datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-06-15"))
    # the safe third country the trace recorded is routed again under the APR: admissibility
    assert (case["procedure"], case["routing_grounds"]) == ("admissibility", ["safe_third_country"])
    again = case["routing"]["rerouted"]
    assert again["not_recorded"] == [] and "not recorded" not in again["note"]
    assert [(t["country"], t["recorded"]) for t in again["before"]["third_countries"]] == [("ALB", True)]
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert [(t["ground"], t["country"]) for t in shown["routing"]["third_countries"]] == [("safe_third_country", "ALB")]


def test_where_nothing_records_the_country_the_routing_says_it_is_not_recorded(world: World) -> None:
    case = world.apply("it.caseworker", _person(world, "Miah"), made_on="2026-06-05", registered_on="2026-06-05",
                       context="in_territory", safe_third_country_connection="ALB")
    # a trace stored without the admissibility step either: nothing keeps the third country
    _stored_trace_without(world, case, "border_procedure_scope", "admissibility_grounds")
    # before lodging, the stored routing read back says the ground's country is not recorded
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    [tc] = shown["routing"]["third_countries"]
    assert (tc["ground"], tc["country"], tc["recorded"]) == ("safe_third_country", None, False)
    assert tc["note"].startswith("safe third country: the country is not recorded (Directive 2013/32/EU, Article 33(2)(c))")
    world.travel(datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-06-15"))
    again = case["routing"]["rerouted"]
    assert again["not_recorded"] == ["safe_third_country"]
    assert again["note"].endswith(
        "; the first routing found safe third country, whose third country is not recorded in the facts it was "
        "routed again on: not examined again (record the country on the case's file before a decision on that "
        "ground)")
    assert [(t["ground"], t["country"], t["recorded"]) for t in again["before"]["third_countries"]] == [
        ("safe_third_country", None, False)]
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert [(t["ground"], t["recorded"]) for t in shown["routing"]["third_countries"]] == [
        ("safe_third_country", False)]
    html = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text
    said = html.split('id="third-countries">', 1)[1].split("</ul>", 1)[0]
    assert "Safe third country: the country is not recorded" in said and "not recorded</span>" in said
