# ruff: noqa: F811 -- the area's `api` and `cli` fixtures are imported from its other test modules, and a
# test names a fixture by its parameter
"""A state's officer finds the persons referred at one stage (no decision yet, awaiting
registration, overdue, admitted but not arrived, ...) on the state's page, through the API
(``?stage=``), the cases CSV and the CLI (``cases --stage``); the figures still count every case;
a stage that names none is refused naming ``stage``. The test clock is 2026-11-28."""

from __future__ import annotations

import csv
import io
import re

from tests.e2e.test_qa18_resettlement_api import _loc
from tests.e2e.test_resettlement_api import api  # noqa: F401
from tests.e2e.test_resettlement_cli import cli  # noqa: F401
from tests.e2e.test_resettlement_registration_api import _person, pledged  # noqa: F401

PLAN = "/api/v1/resettlement/plans"
STATE = "/api/v1/resettlement/states/DE"


def _cases(api) -> None:
    for ref, kw in (("DE-P1", {}),  # not registered: pending, awaiting registration
                    ("DE-P2", {"registered_on": "2026-03-01"}),  # overdue since 2026-10-01
                    ("DE-P3", {"registered_on": "2026-03-01", "decision": "admitted", "decided_on": "2026-05-01"}),
                    ("DE-P4", {"registered_on": "2026-03-01", "decision": "admitted", "decided_on": "2026-05-01",
                               "arrived_on": "2026-06-01"}),
                    ("DE-P5", {"registered_on": "2026-03-01", "decision": "refused", "decided_on": "2026-05-01",
                               "refusal_ground": "refused_orientation_programme"})):
        r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person(ref, **kw))
        assert r.status_code == 201, r.text


def _refs(view) -> list[str]:
    return sorted(c["case_reference"] for c in view["cases"])


def test_the_api_and_the_csv_keep_the_persons_at_one_stage(api, pledged):
    _cases(api)
    expected = {"pending": ["DE-P1", "DE-P2"], "awaiting_registration": ["DE-P1"], "overdue": ["DE-P2"],
                "awaiting_arrival": ["DE-P3"], "admitted": ["DE-P3", "DE-P4"], "refused": ["DE-P5"],
                "withdrawn": []}
    for stage, refs in expected.items():
        view = api("GET", "de-admin", f"{STATE}?stage={stage}").json()
        assert _refs(view) == refs, stage
        assert view["stage"] == stage and view["cases_at_stage"] == len(refs)
        # the figures are the plan's, every case counted
        assert view["case_counts"] == {"pending": 2, "admitted": 2, "refused": 1}
        rows = list(csv.DictReader(io.StringIO(api("GET", "de-admin",
                                                   f"{PLAN}/2026-2027/states/DE/cases.csv?stage={stage}").text)))
        assert sorted(r["case_reference"] for r in rows) == refs, stage
    assert len(api("GET", "de-admin", STATE).json()["cases"]) == 5
    r = api("GET", "de-admin", f"{STATE}?stage=late")
    assert r.status_code == 422 and _loc(r) == [["query", "stage"]] and "awaiting_arrival" in r.text


def test_the_cli_prints_the_persons_at_one_stage(api, pledged, cli):
    _cases(api)
    r = cli("de-caseworker", "cases", "DE", "--stage", "awaiting_arrival")
    assert r.exit_code == 0, r.output
    assert [row["case_reference"] for row in csv.DictReader(io.StringIO(r.output))] == ["DE-P3"]
    r = cli("de-caseworker", "cases", "DE", "--stage", "late")
    assert r.exit_code == 2 and "stage" in r.output and len(r.output.strip().splitlines()) == 1


def test_the_state_page_filters_its_persons_referred_by_stage(api, pledged, web_client):
    _cases(api)
    de = web_client("de-caseworker")
    page = de.get("/resettlement/plans/2026-2027/states/DE?stage=awaiting_arrival").text
    assert re.findall(r'<tr id="case-(DE-P\d)">', page) == ["DE-P3"]
    assert "1 person admitted, not arrived yet" in page
    assert '<option value="awaiting_arrival" selected>' in page
    assert "cases.csv?stage=awaiting_arrival" in page
    csv_text = de.get("/resettlement/plans/2026-2027/states/DE/cases.csv?stage=awaiting_arrival").text
    assert [r["case_reference"] for r in csv.DictReader(io.StringIO(csv_text))] == ["DE-P3"]
    r = de.get("/resettlement/plans/2026-2027/states/DE?stage=late")
    assert r.status_code == 422 and 'id="stage-error"' in r.text and "is not a stage" in r.text
    assert len(re.findall(r'<tr id="case-(DE-P\d)">', r.text)) == 5  # every person, the filter refused
