# ruff: noqa: F811 -- the area's `api` fixture is imported from its other test module, and a test names a
# fixture by its parameter
"""Two points of a Union Plan under Regulation (EU) 2024/1350, Art 8.

Emergency admission under a Union Plan that targets countries of first asylum: Regulation (EU)
2024/1350, Art 8(5), read in the Official Journal text: "L'ammissione di emergenza si applica
indipendentemente dalle regioni o dai paesi terzi da cui deve avvenire il reinsediamento o
l'ammissione umanitaria". The plan's countries bind the resettlement and humanitarian admission
lines of a pledge, not its emergency admission lines; an amendment dropping a country only an
emergency line names is not held up by it. And Art 8(3)(a): the resettlement share of the plan
is not less than around 60 % of the total, shown beside the plan's figures and the pledges."""

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


def test_a_union_plan_shows_its_resettlement_share_against_around_60_percent(api, web_client):
    """Art 8(3)(a): "la percentuale di persone oggetto di reinsediamento non è inferiore al 60 % circa
    del numero totale di persone da ammettere". Shown for the plan's figures and the places pledged,
    said when below; not a refusal ("around")."""
    r = api("POST", "com-solidarity", PLAN, {"first_year": 2028, "last_year": 2029, "total_places": 1000,
                                             "resettlement": 550})
    assert r.status_code == 201, r.text
    assert api("PUT", "de-admin", f"{PLAN}/2028-2029/pledges/DE", {"lines": [
        {"category": "resettlement", "places": 300}, {"category": "humanitarian_admission", "places": 100}]}
               ).status_code == 200
    share = api("GET", "euaa-analyst", f"{PLAN}/2028-2029").json()["resettlement_share"]
    assert share == {"minimum_percent": 60.0, "basis": "Regulation (EU) 2024/1350, Article 8(3)(a)",
                     "plan_percent": 55.0, "plan_below": True, "pledged_percent": 75.0, "pledged_below": False}
    page = web_client("euaa-analyst").get("/resettlement/plans/2028-2029").text
    said = page.split('id="resettlement-share">', 1)[1].split("</p>", 1)[0]
    assert "not less than around 60%" in said and "55.0% of the plan's places" in said
    assert said.count("below 60%") == 1 and "75.0% of the places pledged" in said
    # the shipped 2026-2027 plan gives no split: only the pledges' share is known; an exercise has none
    assert api("POST", "com-solidarity", "/api/v1/resettlement/load").status_code == 200
    shipped = api("GET", "euaa-analyst", f"{PLAN}/2026-2027").json()["resettlement_share"]
    assert shipped["plan_percent"] is None and shipped["plan_below"] is None
    assert api("GET", "euaa-analyst", f"{PLAN}/2024-2025").json()["resettlement_share"] is None
