# ruff: noqa: F811 -- the area's `api` fixture is imported from its other test module, and a test names a
# fixture by its parameter
"""Emergency admission under a Union Plan that targets countries of first asylum: Regulation (EU)
2024/1350, Art 8(5), read in the Official Journal text: "L'ammissione di emergenza si applica
indipendentemente dalle regioni o dai paesi terzi da cui deve avvenire il reinsediamento o
l'ammissione umanitaria". The plan's countries bind the resettlement and humanitarian admission
lines of a pledge, not its emergency admission lines; an amendment dropping a country only an
emergency line names is not held up by it."""

from __future__ import annotations

from tests.e2e.test_resettlement_api import api  # noqa: F401

PLAN = "/api/v1/resettlement/plans"


def _plan(api) -> dict[str, object]:
    r = api("POST", "com-solidarity", PLAN, {"first_year": 2028, "last_year": 2029, "total_places": 1000,
                                             "first_asylum_countries": ["TUR", "JOR"]})
    assert r.status_code == 201, r.text
    return r.json()


def test_an_emergency_admission_line_may_name_a_country_the_plan_does_not_target(api):
    _plan(api)
    r = api("PUT", "de-admin", f"{PLAN}/2028-2029/pledges/DE", {"lines": [
        {"category": "resettlement", "first_asylum": "TUR", "places": 20},
        {"category": "emergency_admission", "first_asylum": "LBY", "places": 5}]})
    assert r.status_code == 200, r.text
    assert r.json()["by_category"] == {"resettlement": 20, "humanitarian_admission": 0, "emergency_admission": 5}
    # resettlement and humanitarian admission stay bound to the plan's countries
    for category in ("resettlement", "humanitarian_admission"):
        r = api("PUT", "de-admin", f"{PLAN}/2028-2029/pledges/DE", {"version": 1, "lines": [
            {"category": category, "first_asylum": "LBY", "places": 5}]})
        assert r.status_code == 422 and "LBY is not one of them" in r.text, (category, r.text)


def test_an_amendment_is_held_up_only_by_the_countries_resettlement_and_humanitarian_lines_name(api):
    plan = _plan(api)
    assert api("PUT", "de-admin", f"{PLAN}/2028-2029/pledges/DE", {"lines": [
        {"category": "humanitarian_admission", "first_asylum": "JOR", "places": 10},
        {"category": "emergency_admission", "first_asylum": "TUR", "places": 5}]}).status_code == 200
    # dropping TUR: only an emergency admission line names it
    r = api("PATCH", "com-solidarity", f"{PLAN}/2028-2029", {
        "version": plan["version"], "first_asylum_countries": ["JOR"], "reason": "Türkiye no longer targeted"})
    assert r.status_code == 200, r.text
    assert r.json()["first_asylum_countries"] == ["JOR"]
    # dropping JOR: a humanitarian admission line names it
    r = api("PATCH", "com-solidarity", f"{PLAN}/2028-2029", {
        "version": r.json()["version"], "first_asylum_countries": ["LBN"], "reason": "Lebanon instead"})
    assert r.status_code == 422 and "JOR" in r.text and "TUR" not in r.text
