# ruff: noqa: F811 -- the area's `api` and `cli` fixtures are imported from its other test modules, and a
# test names a fixture by its parameter
"""The grounds on which a Member State refuses to admit a person referred are the points of
Art 6 of Regulation (EU) 2024/1350 (read in the Official Journal text): six on which admission
*shall* be refused (Art 6(1)), four on which it *may* be (Art 6(2)), each cited; ``other`` is a
conclusion those points do not cover, stated in words. The ground "irregular stay or entry in the
five years before", which Pactum offered and Art 6 does not contain, is gone. Test clock 2026-11-28."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.e2e.test_resettlement_cli import cli  # noqa: F401

PLAN = "/api/v1/resettlement/plans"
ART6 = "Regulation (EU) 2024/1350, Article 6"
GROUNDS = {  # ground: (citation, mandatory)
    "nationality_rights_elsewhere": (f"{ART6}(1)(a)", True),
    "exclusion_crimes": (f"{ART6}(1)(b)", True),
    "danger_to_public_order": (f"{ART6}(1)(c)", True),
    "refusal_of_entry_alert": (f"{ART6}(1)(d)", True),
    "protection_already_granted": (f"{ART6}(1)(e)", True),
    "refused_by_a_member_state": (f"{ART6}(1)(f)", True),
    "consent_not_given_or_withdrawn": (f"{ART6}(2)(a)", False),
    "other_offence": (f"{ART6}(2)(b)", False),
    "refused_orientation_programme": (f"{ART6}(2)(c)", False),
    "vulnerability_support_lacking": (f"{ART6}(2)(d)", False),
}


@pytest.fixture
def api(client, auth_headers):
    def call(method: str, user: str, path: str, body: object = None):
        return client.request(method, path, json=body, headers=auth_headers(user))

    assert call("POST", "com-solidarity", "/api/v1/resettlement/load").status_code == 200
    r = call("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 20}]})
    assert r.status_code == 200, r.text
    return call


def _refused(ref: str, **kw: object) -> dict[str, object]:
    return {"case_reference": ref, "nationality": "SYR", "first_asylum": "TUR", "category": "resettlement",
            "procedure": "ordinary", "referred_on": "2026-01-15", "registered_on": "2026-01-20",
            "decision": "refused", "decided_on": "2026-04-01", **kw}


@pytest.mark.parametrize("ground", list(GROUNDS))
def test_a_refusal_on_each_point_of_article_6_is_recorded_with_its_citation(api, ground):
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _refused("DE-G1", refusal_ground=ground))
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["refusal_ground"] == ground
    assert (case["refusal_basis"], case["refusal_mandatory"]) == GROUNDS[ground]
    assert case["refusal_reason"] is None
    state = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()
    assert state["progress"]["total"]["admitted"] == 0  # a person refused takes no place


def test_the_irregular_stay_ground_is_refused_as_unknown_naming_the_field_and_the_grounds(api):
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
            _refused("DE-G2", refusal_ground="irregular_stay_or_entry"))
    assert r.status_code == 422
    [problem] = r.json()["detail"]
    assert problem["loc"] == ["body", "refusal_ground"]
    assert all(g in problem["msg"] for g in [*GROUNDS, "other"])
    # nor is its date taken any more
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
            _refused("DE-G2", refusal_ground="danger_to_public_order", irregular_on="2024-01-01"))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "irregular_on"]
    assert api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()["cases"] == []  # nothing half-written


def test_other_is_stated_in_words_and_a_point_of_article_6_takes_no_reason(api):
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _refused(
        "DE-G3", refusal_ground="other", refusal_reason="Not within the scope of the Union Plan"))
    assert r.status_code == 201 and r.json()["refusal_basis"] is None and r.json()["refusal_mandatory"] is None
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _refused(
        "DE-G4", refusal_ground="other_offence", refusal_reason="Theft"))
    assert r.status_code == 422
    assert r.json()["detail"] == [{"loc": ["body", "refusal_reason"], "msg": "only for another ground: "
                                   "Article 6(2)(b) is the ground", "type": r.json()["detail"][0]["type"]}]


def test_the_grounds_are_listed_with_their_citation_and_whether_refusal_is_mandatory(api):
    r = api("GET", "euaa-analyst", "/api/v1/resettlement/refusal-grounds")
    assert r.status_code == 200
    got = {g["code"]: (g["basis"], g["mandatory"]) for g in r.json()}
    assert got == {**GROUNDS, "other": (None, None)}
    words = {g["code"]: g["words"] for g in r.json()}
    # the look-back periods come from the law tree: three years (Art 6(1)(f), 6(2)(a))
    assert "in the 3 years before the admission" in words["refused_by_a_member_state"]
    assert "in the 3 years before the admission" in words["consent_not_given_or_withdrawn"]
    assert "at least 1 year" in words["other_offence"]
    assert not any("irregular" in w for w in words.values())


def test_the_cases_csv_gives_the_citation_of_the_ground(api):
    api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _refused("DE-G5", refusal_ground="exclusion_crimes"))
    r = api("GET", "de-admin", f"{PLAN}/2026-2027/states/DE/cases.csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert "irregular_on" not in rows[0]
    assert (rows[0]["refusal_ground"], rows[0]["refusal_basis"]) == ("exclusion_crimes", f"{ART6}(1)(b)")


def test_the_state_page_lists_the_grounds_by_their_article_must_then_may(web_client):
    com = web_client("com-solidarity")
    assert com.post("/api/v1/resettlement/load").status_code == 200
    de = web_client("de-admin")
    r = de.post("/resettlement/plans/2026-2027/states/DE/pledge",
                data={"rows": "3", "category_0": "resettlement", "first_asylum_0": "TUR", "places_0": "2"})
    assert r.status_code in (200, 303)
    page = de.get("/resettlement/plans/2026-2027/states/DE").text
    assert 'name="irregular_on"' not in page and "Irregular stay" not in page
    must = page.index(f'<optgroup label="Must be refused ({ART6}(1))">')
    may = page.index(f'<optgroup label="May be refused ({ART6}(2))">')
    assert must < page.index('value="danger_to_public_order">Article 6(1)(c): Reasonable grounds') < may
    assert may < page.index('value="vulnerability_support_lacking">Article 6(2)(d): ') < page.index(
        '<optgroup label="Other">')
    # a refusal recorded from the form shows its ground by its point
    r = de.post("/resettlement/plans/2026-2027/states/DE/admissions", data={
        "case_reference": "DE-W9", "nationality": "SYR", "first_asylum": "TUR", "category": "resettlement",
        "procedure": "ordinary", "referred_on": "2026-02-01", "decision": "refused", "decided_on": "2026-03-01",
        "refusal_ground": "refusal_of_entry_alert"}, follow_redirects=True)
    assert r.status_code == 200 and "DE-W9" in r.text
    assert "Article 6(1)(d): An alert for the purpose of refusing entry" in r.text and "(must be refused)" in r.text


def test_the_cli_lists_the_grounds_and_refuses_an_unknown_one_in_one_line(cli) -> None:
    r = cli("euaa-analyst", "grounds")
    assert r.exit_code == 0, r.output
    assert [g["code"] for g in json.loads(r.output)] == [*GROUNDS, "other"]
    cli("com-solidarity", "load")
    cli("de-admin", "pledge", "2026-2027", "DE", "-", stdin='{"lines": [{"category": "resettlement", "places": 2}]}')
    r = cli("de-caseworker", "admit", "2026-2027", "-",
            stdin=json.dumps(_refused("DE-C9", refusal_ground="irregular_stay_or_entry")))
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "refusal_ground" in r.output


def test_a_pledging_exercise_refusal_is_not_put_under_article_6(api):
    """Art 6 governs admission under the Regulation: the 2024-2025 pledging exercise ran under
    national programmes, so its refusals are recorded as other, with their reason."""
    r = api("PUT", "de-admin", f"{PLAN}/2024-2025/pledges/DE", {"lines": [{"category": "resettlement", "places": 2}]})
    assert r.status_code == 200, r.text
    r = api("POST", "de-caseworker", f"{PLAN}/2024-2025/admissions", _refused(
        "DE-P1", referred_on="2025-01-15", registered_on="2025-01-20", decided_on="2025-04-01",
        refusal_ground="danger_to_public_order"))
    assert r.status_code == 422
    [problem] = r.json()["detail"]
    assert problem["loc"] == ["body", "refusal_ground"]
    assert problem["msg"].startswith(f"{ART6}(1)(c) governs admission under the Regulation; 2024-2025 is a pledging")
    r = api("POST", "de-caseworker", f"{PLAN}/2024-2025/admissions", _refused(
        "DE-P1", referred_on="2025-01-15", registered_on="2025-01-20", decided_on="2025-04-01",
        refusal_ground="other", refusal_reason="National programme's criteria"))
    assert r.status_code == 201, r.text


def test_the_law_tree_has_the_periods_of_article_6_and_the_entry_into_force_of_article_16():
    from datetime import date

    from pactum.law import param
    from pactum.law.tree import UnknownParameter

    with pytest.raises(UnknownParameter):
        param("resettlement.exclusion.irregular_stay_lookback", on=date(2026, 11, 28))
    for path, where in (("resettlement.refusal.prior_refusal_window", "(1)(f)"),
                        ("resettlement.refusal.consent_window", "(2)(a)")):
        p = param(path, on=date(2026, 11, 28))
        assert (p.value, p.unit, p.cite(), p.unverified) == (3, "years", f"{ART6}{where}", False)
    applies = param("resettlement.applies_from", on=date(2026, 11, 28))
    assert (applies.value, applies.cite(), applies.unverified) == (
        date(2024, 6, 11), "Regulation (EU) 2024/1350, Article 16(1)", False)


def test_the_json_contract_and_the_cited_grounds_are_the_same_list():
    from pactum.resettlement.model import REFUSAL_GROUND_CODES
    from pactum.resettlement.rules import REFUSAL_GROUNDS

    assert REFUSAL_GROUND_CODES == tuple(REFUSAL_GROUNDS) == (*GROUNDS, "other")
    assert all(len(code) <= 30 for code in REFUSAL_GROUND_CODES)  # the column's width
