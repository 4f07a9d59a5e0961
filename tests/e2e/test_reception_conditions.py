"""A caseworker's decisions on one applicant's material reception conditions (Directive (EU)
2024/1346, Articles 21 and 23; Directive 2013/33/EU, Article 20 before 12 June 2026) through the
API, the CLI and the web forms: recorded with a ground and its citation, refused with field
messages and nothing written, lifted under version control, a state's users seeing their own
state's and the EU bodies the counts only."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.store.tables.platform import audit_log
from pactum.store.tables.reception import reception_condition_decisions
from tests.conftest import unlabelled_fields
from tests.e2e.test_registry_api import ARRIVAL

API = "/api/v1/reception/conditions"


def _person(client, h, ms: str = "IT") -> str:
    arrival = {**ARRIVAL, "encounter": {**ARRIVAL["encounter"], "member_state": ms}}
    r = client.post("/api/v1/registry/arrivals", json=arrival, headers=h)
    assert r.status_code in (200, 201), r.text
    return str(r.json()["person_id"])


def _case(client, h, person: str) -> dict[str, Any]:
    r = client.post("/api/v1/procedures/applications", headers=h, json={
        "person_id": person, "made_on": "2026-11-25", "context": "sar_disembarkation"})
    assert r.status_code == 201, r.text
    return r.json()


def _decision(person: str, **changes: Any) -> dict[str, Any]:
    return {"person_id": person, "measure": "reduce", "conditions": "daily_expenses_allowance",
            "ground": "23_2_b", "decided_on": "2026-11-26",
            "individual_assessment": "Single adult; no special reception needs identified.",
            "reasons": "Did not appear at two interviews without a reason.",
            "health_care_ensured": True, "standard_of_living_ensured": True, **changes}


def _rows(services) -> tuple[int, int]:
    with services.engine.connect() as conn:
        return (int(conn.execute(select(func.count()).select_from(reception_condition_decisions)).scalar_one()),
                int(conn.execute(select(func.count()).select_from(audit_log)
                                 .where(audit_log.c.action.like("reception.conditions%"))).scalar_one()))


def test_a_caseworker_reduces_an_applicants_allowance_and_restores_it(client, auth_headers, services):
    h = auth_headers("it-caseworker")
    person = _person(client, h)
    case = _case(client, h, person)
    r = client.post(API, headers=h, json=_decision(person, person_id=None, case_id=case["reference"]))
    assert r.status_code == 201, r.text
    d = r.json()
    assert (d["member_state"], d["person_id"], d["case_id"]) == ("IT", person, case["id"])
    assert d["legal_basis"] == "Directive (EU) 2024/1346, Article 23(1), first subparagraph, and Article 23(2)(b)"
    assert d["governing_law"] == "Directive (EU) 2024/1346" and d["status"] == "in_force"
    assert "Article 22" in d["guarantees"] and d["effective_from"] == "2026-11-26"
    with services.engine.connect() as conn:
        actions = [a for (a,) in conn.execute(select(audit_log.c.action).where(audit_log.c.entity_id == d["id"]))]
    assert actions == ["reception.conditions_decided"]
    # a second decision on the same conditions while one is in force: lift it first
    again = client.post(API, headers=h, json=_decision(person))
    assert again.status_code == 409 and "lift it before" in again.json()["detail"]
    listed = client.get(API, headers=h)
    assert listed.headers["X-Total-Count"] == "1" and listed.json()["decisions"][0]["id"] == d["id"]
    mine = client.get(f"{API}/applicants/{person}", headers=h).json()
    assert [x["id"] for x in mine["decisions"]] == [d["id"]]
    lift = {"version": 1, "lifted_on": "2026-11-28", "restoration": "part", "reason": "Came to the interview."}
    r = client.post(f"{API}/{d['id']}/lifting", headers=h, json=lift)
    assert r.status_code == 200, r.text
    lifted = r.json()
    assert (lifted["status"], lifted["version"], lifted["restoration"]) == ("lifted", 2, "part")
    assert lifted["lift_basis"].startswith("Directive (EU) 2024/1346, Article 23(3): a duly reasoned decision")
    stale = client.post(f"{API}/{d['id']}/lifting", headers=h, json=lift)
    assert stale.status_code == 409 and "since version 1" in stale.json()["detail"]
    assert client.get(API, headers=h).json()["total"] == 0
    assert client.get(API, headers=h, params={"status": "lifted"}).json()["total"] == 1


def test_bad_input_is_refused_naming_each_field_and_nothing_is_written(client, auth_headers, services):
    h = auth_headers("it-caseworker")
    person = _person(client, h)
    before = _rows(services)
    r = client.post(API, headers=h, json=_decision(person, measure="withdraw", conditions="other_conditions",
                                                   ground="23_2_a", decided_on="2026-11-29",
                                                   health_care_ensured=False))
    assert r.status_code == 422
    fields = {e["loc"][-1]: e["msg"] for e in r.json()["detail"]}
    assert "after today" in fields["decided_on"]
    assert "only on ground (e)" in fields["measure"]
    assert "Article 22" in fields["health_care_ensured"]
    r = client.post(API, headers=h, json=_decision(person, reasons=" ", measure="replace"))
    assert r.status_code == 422
    assert {e["loc"][-1] for e in r.json()["detail"]} >= {"reasons", "measure"}
    # blank reasons and the law's problems in one answer, not the reasons first and the rest after
    r = client.post(API, headers=h, json=_decision(person, reasons=" ", individual_assessment="",
                                                   decided_on="2026-11-30", ground="23_2_z",
                                                   standard_of_living_ensured=False))
    assert r.status_code == 422
    fields = {e["loc"][-1]: e["msg"] for e in r.json()["detail"]}
    assert fields["reasons"] == "required: the reasons of the decision, given in writing"
    assert "individual assessment" in fields["individual_assessment"]
    assert "after today" in fields["decided_on"] and "no ground '23_2_z'" in fields["ground"]
    assert "confirm the standard of living" in fields["standard_of_living_ensured"]
    r = client.post(API, headers=h, json=_decision("per-nobody"))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "person_id"
    r = client.post(API, headers=auth_headers("de-caseworker"), json=_decision(person))
    assert r.status_code == 422 and "not a person registered in DE" in r.json()["detail"][0]["msg"]
    assert _rows(services) == before


def test_before_12_june_2026_the_grounds_of_directive_2013_33_article_20(client, auth_headers):
    h = auth_headers("it-caseworker")
    person = _person(client, h)
    r = client.post(API, headers=h, json=_decision(person, decided_on="2026-05-04"))
    assert r.status_code == 422 and "Directive 2013/33/EU does" in r.json()["detail"][0]["msg"]
    r = client.post(API, headers=h, json=_decision(person, decided_on="2026-05-04", ground="2013_20_1_a",
                                                   measure="withdraw"))
    assert r.status_code == 201, r.text
    assert r.json()["legal_basis"] == "Directive 2013/33/EU, Article 20(1)(a)"
    assert "dignified standard of living" in r.json()["guarantees"]


def _transfer_decision(services, person: str, *, by: str = "IT", to: str = "DE", on: str = "2026-11-20",
                       regime: str = "ammr", ref: str = "IT-DUB-2026-0042") -> str:
    """A Dublin case of ``by`` naming the person and its take charge request to ``to``, accepted,
    with the transfer decision ``by`` took on ``on`` (as the Dublin unit records it)."""
    from datetime import UTC, date, datetime

    from sqlalchemy import insert

    from pactum.store.tables.responsibility import dublin_cases, dublin_requests

    day, now = date.fromisoformat(on), datetime(2026, 11, 28, 9, tzinfo=UTC)
    case_id, request_id = f"dub_{ref}", f"dreq_{ref}"
    with services.engine.begin() as conn:
        conn.execute(insert(dublin_cases).values(
            id=case_id, reference=ref, person_id=person, member_state=by, registered_on=date(2026, 10, 1), facts={},
            regime=regime, responsible_member_state=to, criterion="first_entry", legal_basis=[], trace=[],
            created_by="it-dublin", created_at=now, version=1))
        conn.execute(insert(dublin_requests).values(
            id=request_id, case_id=case_id, kind="take_charge", regime=regime, registered_on=date(2026, 10, 1),
            requesting_member_state=by, requested_member_state=to, status="transfer_decided", legal_basis=[],
            evidence=[], eurodac_hit=False, hit_source="eurodac", detained=False, unaccompanied_minor=False,
            sent_on=date(2026, 10, 5), request_deadline=date(2026, 12, 1), late=False, accepted_on=date(2026, 11, 2),
            transfer_decided_on=day, responsible_member_state=to, deadlines={}, created_by="it-dublin",
            created_at=now, updated_at=now, version=1))
    return request_id


def _transferred(services, request_id: str, on: str) -> None:
    """The transfer of ``request_id`` carried out on ``on``, as the Dublin unit records it."""
    from datetime import date

    from sqlalchemy import update

    from pactum.store.tables.responsibility import dublin_requests

    with services.engine.begin() as conn:
        conn.execute(update(dublin_requests).where(dublin_requests.c.id == request_id).values(
            status="transferred", transferred_on=date.fromisoformat(on)))


def test_article_21_rests_on_the_transfer_decision_to_the_state_required(client, auth_headers, services,
                                                                      web_client):
    """Directive (EU) 2024/1346, Article 21: "from the notification of a transfer decision ... to
    the responsible Member State under Regulation (EU) 2024/1351". Without one of the recording
    state to the state named, for this applicant, on or before the day given, nothing is recorded."""
    h = auth_headers("it-caseworker")
    person = _person(client, h)
    body = {k: v for k, v in _decision(person, measure="not_entitled", conditions=None, ground=None,
                                       required_state="DE").items() if v is not None}
    before = _rows(services)
    r = client.post(API, headers=h, json=body)
    assert r.status_code == 422
    said = {e["loc"][-1]: e["msg"] for e in r.json()["detail"]}
    assert said["required_state"].startswith("no transfer decision of IT to DE on or before 2026-11-26")
    # a transfer decision under Dublin III is not one under Regulation (EU) 2024/1351
    _transfer_decision(services, person, regime="dublin_iii", on="2026-05-20", ref="IT-DUB-2026-0001")
    said = {e["loc"][-1]: e["msg"] for e in client.post(API, headers=h, json=body).json()["detail"]}
    assert "Dublin III" in said["required_state"]
    # a transfer decision to another state, or taken after the day given, is not the one
    _transfer_decision(services, person, to="FR", on="2026-11-20", ref="IT-DUB-2026-0002")
    request = _transfer_decision(services, person, on="2026-11-27", ref="IT-DUB-2026-0042")
    said = {e["loc"][-1]: e["msg"] for e in client.post(API, headers=h, json=body).json()["detail"]}
    assert said == {"decided_on": "2026-11-26 is before the transfer decision of IT to DE (2026-11-27, request "
                                  f"{request}, Dublin case IT-DUB-2026-0042): Article 21 applies from its "
                                  "notification, not before"}
    assert _rows(services) == before
    # until the transfer is carried out the applicant is required to be present in IT, the state of
    # application (Regulation (EU) 2024/1351, Article 17(4)(a)): no Article 21 decision there
    said = {e["loc"][-1]: e["msg"] for e in client.post(API, headers=h, json={**body, "decided_on": "2026-11-27"})
            .json()["detail"]}
    assert said == {"decided_on": f"the transfer to DE decided on 2026-11-27 (request {request}, Dublin case "
                                  "IT-DUB-2026-0042) was not carried out by 2026-11-27: until it is, the applicant is "
                                  "required to be present in IT, the state of application (Regulation (EU) "
                                  "2024/1351, Article 17(4)(a)), where Directive (EU) 2024/1346, Article 21, does not "
                                  "apply; once transferred the applicant is required to be present in DE (Article "
                                  "17(4)(b))"}
    assert _rows(services) == before
    _transferred(services, request, "2026-11-27")  # transferred to DE, found in IT again
    r = client.post(API, headers=h, json={**body, "decided_on": "2026-11-27"})
    assert r.status_code == 201, r.text
    d = r.json()
    assert d["legal_basis"] == "Directive (EU) 2024/1346, Article 21; Regulation (EU) 2024/1351, Article 17(4)"
    assert d["conditions"] == "articles_17_to_20" and "Charter" in d["guarantees"]
    assert d["transfer_decision"]["request_id"] == request
    assert (d["transfer_decision"]["transfer_decided_on"], d["transfer_decision"]["dublin_case_reference"]) == (
        "2026-11-27", "IT-DUB-2026-0042")
    html = web_client("it-caseworker").get(f"/reception/conditions/{d['id']}").text
    assert f"Transfer decision Taken by IT on 2026-11-27 to DE: request {request} (take charge), " \
           "Dublin case IT-DUB-2026-0042" in _text(html)
    assert f'href="/responsibility/requests/{request}"' in html
    # the analyst reads the decision and its transfer decision, not the Dublin request's page
    html = web_client("it-analyst").get(f"/reception/conditions/{d['id']}").text
    assert f"request {request} (take charge)" in _text(html) and "/responsibility/requests/" not in html
    r = client.post(API, headers=h, json={**body, "required_state": "IT"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "required_state"


def test_states_see_their_own_and_the_eu_bodies_the_counts_only(client, auth_headers):
    h = auth_headers("it-caseworker")
    person = _person(client, h)
    d = client.post(API, headers=h, json=_decision(person)).json()
    assert client.get(f"{API}/{d['id']}", headers=auth_headers("it-analyst")).status_code == 200
    assert client.get(f"{API}/{d['id']}", headers=auth_headers("de-caseworker")).status_code == 404
    assert client.get(API, headers=auth_headers("euaa-analyst")).status_code == 403
    counts = client.get(f"{API}/counts", headers=auth_headers("euaa-analyst")).json()
    it = next(s for s in counts["states"] if s["member_state"] == "IT")
    assert (it["applicants"], it["reduce"]) == (1, 1) and counts["total_applicants"] == 1
    assert "person_id" not in json.dumps(counts)
    r = client.post(f"{API}/{d['id']}/lifting", headers=auth_headers("it-analyst"),
                    json={"version": 1, "lifted_on": "2026-11-28", "reason": "x"})
    assert r.status_code == 403


# -- CLI -------------------------------------------------------------------------------------------

runner = CliRunner()


def _colour_links(services, colour: str) -> list[str]:
    """Every identity link set to ``colour`` (the tests' own store); their ids."""
    from sqlalchemy import update

    from pactum.store.tables.identity import identity_links

    with services.engine.begin() as conn:
        conn.execute(update(identity_links).values(colour=colour))
        return [str(i) for i in conn.execute(select(identity_links.c.id).order_by(identity_links.c.id)).scalars()]


def test_article_21_in_a_third_state_rests_on_another_states_transfer_decision(
        client, auth_headers, services, web_client, cli):
    """The most common Article 21 case: Italy notified the applicant of its transfer decision to
    Germany, the applicant moved on to Spain, and Spain found them by the Eurodac hit. Spain is a
    state other than the one where the applicant is required to be present (Regulation (EU)
    2024/1351, Article 17(4): Italy pending the transfer, point (a); Germany once transferred, point
    (b)): its caseworker records that the applicant is not entitled there to the conditions of
    Articles 17 to 20, resting on Italy's transfer decision, of which Spain sees what the hit
    carries (Regulation (EU) 2024/1358, Articles 16 and 17(2)), not Italy's request or Dublin case."""
    in_italy = _person(client, auth_headers("it-caseworker"))
    _case(client, auth_headers("it-caseworker"), in_italy)
    request = _transfer_decision(services, in_italy, on="2026-11-10", ref="IT-DUB-2026-0077")
    es = auth_headers("es-caseworker")
    in_spain = _person(client, es, "ES")
    body = {k: v for k, v in _decision(in_spain, measure="not_entitled", conditions=None, ground=None,
                                       required_state="IT", decided_on="2026-11-28").items() if v is not None}
    before = _rows(services)
    # no hit yet: Spain records no transfer decision and knows of none, so nothing is recorded
    said = {e["loc"][-1]: e["msg"] for e in client.post(API, headers=es, json=body).json()["detail"]}
    assert said["required_state"].startswith("no transfer decision of ES to IT on or before 2026-11-28")
    assert "nor one of another state on a record the Eurodac hit joins to the applicant's" in said["required_state"]
    # the application in Spain records the applicant in Eurodac: the comparison finds Italy's record
    case = _case(client, es, in_spain)
    body = {**{k: v for k, v in body.items() if k != "person_id"}, "case_id": case["id"]}
    # a link awaiting verification (yellow) does not say it is the same person
    _colour_links(services, "yellow")
    assert client.post(API, headers=es, json=body).status_code == 422
    link = _colour_links(services, "white")[0]  # the first of the links between the two persons
    # not transferred by 2026-11-28: the applicant is required to be present in Italy, not Germany
    said = {e["loc"][-1]: e["msg"] for e in client.post(API, headers=es, json={**body, "required_state": "DE"})
            .json()["detail"]}
    assert said == {"required_state": "on 2026-11-28 the applicant is required to be present in IT, not DE: the "
                    "transfer decision of IT to DE of 2026-11-10 (known by the Eurodac hit on a record of IT "
                    f"(identity link {link}; Regulation (EU) 2024/1358, Articles 16 and 17(2))) is the one found, "
                    "and the transfer was not carried out by 2026-11-28: pending it the applicant is required to be "
                    "present in IT, the state of application (Regulation (EU) 2024/1351, Article 17(4)(a)); give IT"}
    # Spain decides once the hit found the applicant, not before
    said = {e["loc"][-1]: e["msg"] for e in client.post(API, headers=es, json={**body, "decided_on": "2026-11-27"})
            .json()["detail"]}
    assert said == {"decided_on": "2026-11-27 is before the Eurodac hit that joins the applicant to a record of IT "
                    f"(identity link {link}, 2026-11-28): ES knew of no transfer decision of another state then; date "
                    "the decision on or after the hit"}
    assert _rows(services) == before
    r = client.post(API, headers=es, json=body)
    assert r.status_code == 201, r.text
    d = r.json()
    assert (d["member_state"], d["required_state"], d["person_id"]) == ("ES", "IT", in_spain)
    assert d["transfer_decision"] == {
        "decided_by": "IT", "requested_member_state": "DE", "transfer_decided_on": "2026-11-10",
        "transferred_on": None, "kind": "take_charge", "known_by": "eurodac_hit", "identity_link_id": link,
        "identity_link_ids": [link], "through": [], "request_id": None, "dublin_case_id": None, "dublin_case_reference": None, "status": None,
        "relocation_id": None}
    assert request not in r.text and "IT-DUB-2026-0077" not in r.text  # Italy's files stay Italy's
    # Article 21, second sentence of its first paragraph: a standard of living kept, the Charter included
    assert "a standard of living in accordance with Union law, the Charter included" in d["guarantees"]
    with services.engine.connect() as conn:
        entry = conn.execute(select(audit_log.c.after).where(audit_log.c.entity_id == d["id"])).scalar_one()
    assert entry["transfer_decision"]["decided_by"] == "IT" and entry["transfer_decision"]["known_by"] == "eurodac_hit"
    web = web_client("es-caseworker")
    text = _text(web.get(f"/reception/conditions/{d['id']}").text)
    assert ("Transfer decision Taken by IT on 2026-11-10 to DE (take charge), known to ES by the Eurodac hit on a "
            f"record of IT: identity link {link}") in text
    assert "not transferred by 2026-11-28: required to be present in IT pending the transfer" in text
    assert "Kept whatever the decision a standard of living in accordance with Union law, the Charter included" in text
    assert request not in text and "IT-DUB-2026-0077" not in text
    # the case and person pages say whose transfer decision grounds it
    for page in (f"/procedures/cases/{case['id']}", f"/registry/persons/{in_spain}"):
        said_on_page = _text(web.get(page).text)
        assert ("Not entitled: reception conditions of articles 17 to 20 since 2026-11-28 (required to be present in "
                "IT; transfer decision of IT to DE of 2026-11-10, known by the Eurodac hit)") in said_on_page, page
    # the CLI shows the same decision
    shown = json.loads(cli("es-caseworker", "show", d["id"]).output)
    assert shown["transfer_decision"]["decided_by"] == "IT"
    # once transferred to Germany the applicant is required to be present there (Article 17(4)(b))
    client.post(f"{API}/{d['id']}/lifting", headers=es, json={
        "version": 1, "lifted_on": "2026-11-28", "reason": "Recorded again after the transfer."})
    _transferred(services, request, "2026-11-28")
    said = {e["loc"][-1]: e["msg"] for e in client.post(API, headers=es, json=body).json()["detail"]}
    assert said["required_state"].startswith("on 2026-11-28 the applicant is required to be present in DE, not IT")
    assert "the transfer was carried out on 2026-11-28" in said["required_state"]
    r = client.post(API, headers=es, json={**body, "required_state": "DE"})
    assert r.status_code == 201, r.text
    assert r.json()["transfer_decision"]["transferred_on"] == "2026-11-28"
    # Italy's own Article 21 path is unchanged: Italy is the state of application, not a third state
    assert client.post(API, headers=auth_headers("it-caseworker"), json={
        **body, "case_id": None, "person_id": in_italy, "required_state": "DE", "decided_on": "2026-11-27"}
        ).status_code == 422


@pytest.fixture
def cli(services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))

    def run(user: str, *args: str, stdin: str | None = None):
        monkeypatch.setenv("PACTUM_CLI_USER", user)
        return runner.invoke(app, ["reception", "conditions", *args], input=stdin)

    return run


def test_the_cli_records_lists_and_lifts(cli, client, auth_headers, services):
    person = _person(client, auth_headers("el-caseworker"), "EL")
    r = cli("el-caseworker", "record", "-", stdin=json.dumps(_decision(person, ground="23_2_e",
                                                                      conditions="other_conditions",
                                                                      measure="withdraw")))
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["legal_basis"].endswith("second subparagraph, point (b), and Article 23(2)(e)")
    listed = json.loads(cli("el-caseworker", "list").output)
    assert [x["id"] for x in listed["decisions"]] == [d["id"]]
    before = _rows(services)
    r = cli("el-caseworker", "record", "-", stdin=json.dumps(_decision(person, decided_on="2026-12-05")))
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1 and "decided_on" in r.output
    r = cli("el-caseworker", "record", "-", stdin=json.dumps(_decision(person, decided_on="2026-12-05",
                                                                      reasons="", health_care_ensured=False)))
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
    assert all(f in r.output for f in ("reasons: required", "decided_on: 2026-12-05 is after today",
                                       "health_care_ensured: whatever the decision"))
    assert _rows(services) == before
    r = cli("el-caseworker", "lift", d["id"], "-", stdin=json.dumps(
        {"version": 1, "lifted_on": "2026-11-28", "reason": "Apologised; house rules respected since."}))
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["status"] == "lifted"
    counts = json.loads(cli("euaa-analyst", "counts").output)
    assert counts["scope"] == "EU"
    r = cli("euaa-analyst", "list")
    assert r.exit_code == 2 and "counts per state" in r.output


# -- web -------------------------------------------------------------------------------------------


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_web_form_records_refuses_beside_the_field_and_lifts(web_client, client, auth_headers, services):
    person = _person(client, auth_headers("it-caseworker"))
    web = web_client("it-caseworker")
    home = web.get("/reception")
    assert 'href="/reception/conditions"' in home.text
    page = web.get("/reception/conditions")
    assert page.status_code == 200 and unlabelled_fields(page.text) == []
    assert "None" not in _text(page.text)
    form = {"person_id": person, "measure": "withdraw", "conditions": "other_conditions", "ground": "23_2_b",
            "decided_on": "2026-11-26", "individual_assessment": "Single adult.", "reasons": "Missed interviews.",
            "health_care_ensured": "1"}
    before = _rows(services)
    r = web.post("/reception/conditions", data=form)
    assert r.status_code == 422
    assert 'id="measure-error"' in r.text and "only on ground (e)" in _text(r.text)
    assert 'id="standard_of_living_ensured-error"' in r.text
    assert "Missed interviews." in r.text  # what was typed is kept
    r = web.post("/reception/conditions", data={**form, "reasons": "  ", "decided_on": "2026-12-01"})
    assert r.status_code == 422
    assert all(f'id="{f}-error"' in r.text for f in ("reasons", "decided_on", "measure", "standard_of_living_ensured"))
    assert "the reasons of the decision, given in writing" in _text(r.text) and "after today" in _text(r.text)
    assert _rows(services) == before
    r = web.post("/reception/conditions", data={**form, "measure": "reduce", "standard_of_living_ensured": "1"},
                 follow_redirects=False)
    assert r.status_code == 303, r.text
    page = web.get(r.headers["location"])
    text = _text(page.text)
    assert "Directive (EU) 2024/1346, Article 23(1), second subparagraph, point (a), and Article 23(2)(b)" in text
    assert unlabelled_fields(page.text) == [] and "None" not in text
    listing = web.get("/reception/conditions").text
    assert "Mohammed Haddad" in _text(listing) and "Reduced" in _text(listing)
    assert f'href="/registry/persons/{person}"' in listing
    lifting = r.headers["location"] + "/lifting"
    r = web.post(lifting, data={"version": "1", "lifted_on": "2026-11-20", "reason": "Cooperates."})
    assert r.status_code == 422 and 'id="lifted_on-error"' in r.text and "before the decision" in _text(r.text)
    r = web.post(lifting, data={"version": "1", "lifted_on": "2026-11-28", "reason": " "})
    assert r.status_code == 422 and 'id="reason-error"' in r.text
    r = web.post(lifting,
                 data={"version": "1", "lifted_on": "2026-11-28", "restoration": "all", "reason": "Cooperates."},
                 follow_redirects=False)
    assert r.status_code == 303
    assert "Lifted on 2026-11-28" in _text(web.get(r.headers["location"]).text)


def test_the_pages_name_the_applicant_and_the_asylum_case_not_their_ids(web_client, client, auth_headers):
    """The list and a decision's page say whose conditions they are by name, with the asylum case's
    reference; the caseworker opens the person from there, the state's analyst reads the name only."""
    h = auth_headers("it-caseworker")
    person = _person(client, h)
    case = _case(client, h, person)
    r = client.post(API, headers=h, json=_decision(person, case_id=case["reference"]))
    assert r.status_code == 201, r.text
    d = r.json()
    web = web_client("it-caseworker")
    for page in (web.get("/reception/conditions").text, web.get(f"/reception/conditions/{d['id']}").text):
        text = _text(page)
        assert "Mohammed Haddad" in text and f"asylum case {case['reference']}" in text
        assert case["id"] not in text and f'href="/registry/persons/{person}"' in page
    assert _text(web.get(f"/reception/conditions/{d['id']}").text).count(person) == 1  # "(person …)" once
    for page in (web_client("it-analyst").get("/reception/conditions").text,
                 web_client("it-analyst").get(f"/reception/conditions/{d['id']}").text):
        assert "Mohammed Haddad" in _text(page) and "/registry/persons/" not in page


def test_an_eu_analyst_reads_the_counts_page(web_client):
    page = web_client("euaa-analyst").get("/reception/conditions")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Counts only" in text and "Record a decision" not in text and "None" not in text


def test_the_case_and_person_pages_say_the_applicants_conditions_are_reduced(client, auth_headers, web_client):
    """The asylum officer reading the case, and the person page, see that the allowance is reduced,
    with a link to the decision; a Dublin unit (not a reader of these decisions) does not."""
    h = auth_headers("it-caseworker")
    person = _person(client, h)
    case = _case(client, h, person)
    web = web_client("it-caseworker")
    said = _text(web.get(f"/procedures/cases/{case['id']}").text)
    assert "Reception conditions Not reduced or withdrawn: no decision in force" in said
    d = client.post(API, headers=h, json=_decision(person)).json()
    for page in (f"/procedures/cases/{case['id']}", f"/registry/persons/{person}"):
        html = web.get(page).text
        assert f'href="/reception/conditions/{d["id"]}"' in html, page
        assert "Reduced: daily expenses allowance since 2026-11-26" in _text(html), page
    other = web_client("it-dublin").get(f"/registry/persons/{person}")
    assert other.status_code == 200 and 'id="reception-conditions"' not in other.text


def test_the_demo_world_finds_an_applicant_who_moved_on_after_a_transfer_decision(client, auth_headers, services):
    """The reception step records a third state's Article 21 decision where the world holds an
    applicant notified of a transfer decision whom the Eurodac hit joins to that state's person:
    the state, the person, where they are required to be present, a day after the hit."""
    import random
    from datetime import date
    from types import SimpleNamespace

    from pactum.scenario.steps.reception import _art21_hit

    world = SimpleNamespace(services=services, end=date(2026, 12, 1))
    in_italy = _person(client, auth_headers("it-caseworker"))
    _case(client, auth_headers("it-caseworker"), in_italy)
    _transfer_decision(services, in_italy, on="2026-11-10", ref="IT-DUB-2026-0099")
    assert _art21_hit(world, random.Random(0), set()) is None  # nobody found in a third state yet
    in_spain = _person(client, auth_headers("es-caseworker"), "ES")
    _case(client, auth_headers("es-caseworker"), in_spain)  # the application's Eurodac hit on Italy's record
    used: set[str] = set()
    found = _art21_hit(world, random.Random(0), used)
    assert found is not None
    state, person, required, on, transfer = found
    assert (state, person, required) == ("ES", in_spain, "IT") and used == {in_spain}
    assert on == date(2026, 11, 30)  # two to six days after the hit (2026-11-28), the day before the end at most
    assert transfer.requesting_member_state == "IT" and transfer.requested_member_state == "DE"
