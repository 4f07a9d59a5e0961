# ruff: noqa: F811 -- the area's `api`, `cli` and `pledged` fixtures are imported from its other test modules, and
# a test names a fixture by its parameter
"""The transmission to Eurodac before the conclusion (Regulation (EU) 2024/1358, Art 18(1)): the
biometric data of every person of at least six registered for an admission procedure under the Union
Framework, transmitted as soon as possible after the registration (Art 9(3) of Regulation (EU)
2024/1350) and at the latest before the conclusion on the admission, unless the state reaches a
negative conclusion without a comparison; compared (Art 27(2)) and not recorded in Eurodac (Art
29(2)); recorded by the state's caseworkers. Before 2026-12-02 Pactum did not model it: a case read
no such obligation. Through the API, the CLI and the state's page. The test clock is 2026-11-28."""

from __future__ import annotations

import json

from tests.e2e.test_resettlement_api import api  # noqa: F401
from tests.e2e.test_resettlement_cli import cli  # noqa: F401
from tests.e2e.test_resettlement_registration_api import _person, pledged  # noqa: F401
from tests.e2e.test_resettlement_registration_web import STATE, _row

PLAN = "/api/v1/resettlement/plans"
ADM = "/api/v1/resettlement/admissions"


def _case(api, ref: str, **kw: object) -> dict[str, object]:
    r = api(
        "POST",
        "de-caseworker",
        f"{PLAN}/2026-2027/admissions",
        _person(ref, referred_on="2026-07-01", registered_on="2026-07-10", **kw),
    )
    assert r.status_code == 201, r.text
    return r.json()


def test_a_registered_person_is_due_for_comparison_until_the_conclusion_and_overdue_after(api, pledged):
    pending = _case(api, "DE-C1")
    c = pending["eurodac_comparison"]
    assert (c["status"], c["registered_on"], c["category"], c["basis"]) == (
        "due",
        "2026-07-10",
        "admission_procedure",
        "Regulation (EU) 2024/1358, Article 18(1)",
    )
    # the data are compared and not stored (Art 27(2), Art 29(2)): Eurodac keeps nothing of them
    assert c["kept_until"] is None
    assert c["retention"] == (
        "not recorded in Eurodac (Regulation (EU) 2024/1358, Article 29(2)): compared, then not stored"
    )
    assert "caseworkers" in c["transmitted_by"]
    # a case concluded without a transmission is overdue (Art 18(3): the state is not relieved of it)
    refused = _case(
        api, "DE-C2", decision="refused", decided_on="2026-11-20", refusal_ground="danger_to_public_order"
    )
    assert (refused["eurodac_comparison"]["status"], refused["eurodac_comparison"]["conclusion_on"]) == (
        "overdue",
        "2026-11-20",
    )
    # a person not registered yet: the obligation runs from the registration
    r = api(
        "POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-C3", referred_on="2026-07-01")
    )
    assert r.json()["eurodac_comparison"]["status"] == "awaiting_registration"


def test_the_transmission_for_comparison_is_recorded_in_time_or_late_and_refused_when_it_cannot_be(
    api, pledged
):
    case = _case(api, "DE-C4")
    url = f"{ADM}/{case['id']}"
    # refused: before the registration, after today, the exception on a case not refused
    for body, field, words in (
        (
            {"eurodac_compared_on": "2026-07-09"},
            "eurodac_compared_on",
            "before the registration (2026-07-10)",
        ),
        ({"eurodac_compared_on": "2026-11-29"}, "eurodac_compared_on", "after today"),
        (
            {"eurodac_comparison_not_needed": True},
            "eurodac_comparison_not_needed",
            "negative conclusion reached without a comparison",
        ),
    ):
        r = api("PATCH", "de-caseworker", url, {"version": case["version"], **body})
        assert r.status_code == 422, r.text
        assert r.json()["detail"][0]["loc"][-1] == field and words in r.text
    # a day before 12 June 2026, when Article 18(1) began to apply
    early = api(
        "POST",
        "de-caseworker",
        f"{PLAN}/2026-2027/admissions",
        _person("DE-C4E", referred_on="2026-06-01", registered_on="2026-06-02"),
    ).json()
    r = api(
        "PATCH",
        "de-caseworker",
        f"{ADM}/{early['id']}",
        {"version": early["version"], "eurodac_compared_on": "2026-06-05"},
    )
    assert r.status_code == 422 and "before 12 June 2026" in r.text
    # the administrator records the rest of a case, not a transmission to Eurodac
    r = api("PATCH", "de-admin", url, {"version": case["version"], "eurodac_compared_on": "2026-07-15"})
    assert r.status_code == 403 and "caseworker" in r.text
    r = api("PATCH", "de-caseworker", url, {"version": case["version"], "eurodac_compared_on": "2026-07-15"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["eurodac_compared_on"], d["eurodac_comparison"]["status"]) == (
        "2026-07-15",
        "transmitted_in_time",
    )
    # concluded the same day is still in time; a transmission after the conclusion is late
    late = _case(
        api, "DE-C5", decision="refused", decided_on="2026-11-20", refusal_ground="danger_to_public_order"
    )
    r = api(
        "PATCH",
        "de-caseworker",
        f"{ADM}/{late['id']}",
        {"version": late["version"], "eurodac_compared_on": "2026-11-21"},
    )
    assert r.json()["eurodac_comparison"]["status"] == "transmitted_late"
    # a negative conclusion reached without a comparison (Art 18(1), second sentence)
    waived = _case(
        api, "DE-C6", decision="refused", decided_on="2026-11-20", refusal_ground="exclusion_crimes"
    )
    r = api(
        "PATCH",
        "de-caseworker",
        f"{ADM}/{waived['id']}",
        {"version": waived["version"], "eurodac_comparison_not_needed": True},
    )
    assert r.status_code == 200, r.text
    assert r.json()["eurodac_comparison"]["status"] == "not_needed"


def test_a_pledging_exercise_or_a_conclusion_before_12_june_2026_has_no_such_transmission():
    from datetime import date

    from pactum.resettlement import rules

    registered = rules.CaseFacts(referred_on=date(2026, 3, 1), registered_on=date(2026, 3, 5))
    today = date(2026, 11, 28)
    assert rules.eurodac_comparison_clock("pledging_exercise", registered, today).status == "none"
    before = rules.CaseFacts(
        referred_on=date(2026, 3, 1),
        registered_on=date(2026, 3, 5),
        decision="admitted",
        decided_on=date(2026, 6, 11),
    )
    assert rules.eurodac_comparison_clock("union_plan", before, today).status == "not_applicable"
    after = rules.CaseFacts(
        referred_on=date(2026, 3, 1),
        registered_on=date(2026, 3, 5),
        decision="admitted",
        decided_on=date(2026, 6, 12),
    )
    assert rules.eurodac_comparison_clock("union_plan", after, today).status == "overdue"
    # withdrawn before any conclusion without a transmission: nothing was late
    ended = rules.CaseFacts(
        referred_on=date(2026, 3, 1),
        registered_on=date(2026, 3, 5),
        decision="withdrawn",
        decided_on=date(2026, 7, 1),
    )
    assert rules.eurodac_comparison_clock("union_plan", ended, today).status == "ended"


def test_the_cli_records_the_transmission_for_comparison(api, pledged, cli):
    case = _case(api, "DE-C8")
    res = cli(
        "de-caseworker",
        "compare-eurodac",
        case["id"],
        "--transmitted-on",
        "2026-07-20",
        "--version",
        str(case["version"]),
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert (out["eurodac_compared_on"], out["eurodac_comparison"]["status"]) == (
        "2026-07-20",
        "transmitted_in_time",
    )
    # another user: one line, exit 2, citing the transmission for comparison (Art 18(1)), which writes
    # no Eurodac record (it cited Art 18(2) and "the registry's Eurodac records")
    res = cli("de-admin", "compare-eurodac", case["id"], "--not-needed", "--version", str(out["version"]))
    assert res.exit_code == 2 and "caseworker" in res.output
    assert "Article 18(1)" in res.output and "not recorded in Eurodac, Article 29(2)" in res.output
    assert "Article 18(2)" not in res.output and "registry's Eurodac records" not in res.output


def test_the_cli_names_its_own_options_in_the_services_refusals(api, pledged, cli):
    """A refusal of the service names the option typed, not the API's field (it said
    ``eurodac_compared_on: 2026-12-30 is after today``)."""
    case = _case(api, "DE-C9")
    res = cli("de-caseworker", "compare-eurodac", case["id"], "--transmitted-on", "2026-12-30",
              "--version", str(case["version"]))
    assert res.exit_code == 2, res.output
    line = res.output.strip().removeprefix("error: ")
    assert line.startswith("--transmitted-on: ") and "eurodac_compared_on" not in line


def test_the_state_page_shows_and_records_the_transmission_for_comparison(api, pledged, web_client):
    case = _case(api, "DE-C9")
    page = web_client("de-caseworker").get(STATE)
    row = _row(page.text, "DE-C9")
    assert "Biometric data for comparison (Article 18(1))" in row and "due before the conclusion" in row
    assert "Record the transmission for comparison" in page.text
    # the administrator reads it, without the form
    assert "Record the transmission for comparison" not in web_client("de-admin").get(STATE).text
    r = web_client("de-caseworker").post(
        f"{STATE}/admissions/{case['id']}",
        data={"version": case["version"], "eurodac_compared_on": "2026-07-20"},
        follow_redirects=True,
    )
    assert r.status_code == 200, r.text
    row = _row(r.text, "DE-C9")
    assert "transmitted for comparison 2026-07-20, before the conclusion" in row
