"""Where the hit a request rests on came from: a Eurodac hit, or (an AMMR take charge only) a VIS
hit. Read in the Official Journal's Italian text (EUR-Lex HTML as republished in the GitHub
repository d5p2rnkdz9-hub/SOSPATTO, ``public/patto-interattivo/1351.html``): AMMR (Regulation (EU)
2024/1351) Art 39(1), second subparagraph, one month for a take-charge request from a Eurodac hit
with data recorded under Arts 22 and 24 of Regulation (EU) 2024/1358 or a VIS hit; Art 40(2), the
reply to such a request within two weeks; Art 41(1), a take-back notification within two weeks of
the Eurodac hit. Dublin III (Regulation (EU) No 604/2013) runs no period from a VIS hit (Arts 21(1),
23(2)).

Before, a request kept only that it rested on a hit (``eurodac_hit``): one carrying a VIS hit
recorded on the case read "Eurodac hit" on its page and JSON, and its computation said "the
Eurodac or VIS hit"."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade
from pactum.store.tables.responsibility import dublin_requests
from tests.e2e.test_qa17_clause import _case, _move

Who = Callable[[str], Principal]
Login = Callable[[str], TestClient]
Headers = Callable[[str], dict[str, str]]
API = "/api/v1/responsibility"
AMMR = "Regulation (EU) 2024/1351"


def _send(client: TestClient, headers: dict[str, str], case: dict[str, Any], **body: Any) -> Any:
    return client.post(f"{API}/cases/{case['id']}/requests", headers=headers, json=body)


def test_a_take_charge_carrying_a_recorded_vis_hit_says_vis_on_its_json_page_and_computation(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    # registered 2026-10-20; a VIS hit on Italy's data received on 2026-11-02 and recorded; the
    # request sent on Tuesday 2026-11-10 carries it: due by 2026-12-02 (one month from the hit,
    # Art 39(1)), Italy replies by 2026-11-24 (two weeks, Art 40(2))
    _move(services, date(2026, 11, 10))
    de = auth_headers("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-HS-1", registered_on="2026-10-20", entry_on="2026-08-01")
    r = client.post(f"{API}/cases/{case['id']}/hits", headers=de,
                    json={"hit_on": "2026-11-02", "member_state": "IT", "source": "vis", "reference": "ITA-VIS-77"})
    assert r.status_code == 201, r.text
    # the case page's form fills in the recorded hit with its source
    form = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    assert '<option value="vis" selected>VIS</option>' in form and "filled in: the VIS hit of 2026-11-02" in form
    r = _send(client, de, case, kind="take_charge")
    assert r.status_code == 201, r.text
    req = r.json()
    assert (req["eurodac_hit"], req["hit_on"], req["hit_source"]) == (True, "2026-11-02", "vis")
    assert (req["request_deadline"], req["reply_due"]) == ("2026-12-02", "2026-11-24")
    assert [e["kind"] for e in req["evidence"]] == ["vis_hit"]
    words = " ".join(req["deadlines"]["request"]["computation"] + req["deadlines"]["reply"]["computation"])
    assert "1 month from the VIS hit, here 2026-11-02" in words
    assert "Reply to a take-charge request (after a VIS hit)" in words
    assert "Eurodac" not in words
    page = web_client("de-dublin").get(f"/responsibility/requests/{req['id']}").text
    assert '<dt>VIS hit</dt><dd id="hit">2026-11-02</dd>' in page and "<dt>Eurodac hit</dt>" not in page


def test_a_stated_vis_hit_lies_only_on_an_ammr_take_charge_and_is_refused_naming_hit_source(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers) -> None:
    _move(services, date(2026, 11, 10))
    de = auth_headers("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-HS-2", registered_on="2026-10-20", entry_on="2026-08-01")
    r = _send(client, de, case, kind="take_charge", eurodac_hit=True, hit_on="2026-11-02", hit_source="vis")
    assert r.status_code == 201, r.text
    assert (r.json()["hit_source"], r.json()["request_deadline"], r.json()["reply_due"]) == (
        "vis", "2026-12-02", "2026-11-24")
    # the case knows the hit from that request: its request limit says VIS
    got = client.get(f"{API}/cases/{case['id']}", headers=de).json()
    (limit,) = [x for x in got["request_limits"] if x["kind"] == "take_charge"]
    assert limit["hit_source"] == "vis"
    # no hit stated
    other = _case(services, principal("de-caseworker"), "DE-HS-3", registered_on="2026-10-20", entry_on="2026-08-01")
    r = _send(client, de, other, kind="take_charge", hit_source="vis")
    assert r.status_code == 422
    (problem,) = r.json()["detail"]
    assert problem["loc"][-1] == "hit_source" and "no hit is stated" in problem["msg"]
    # Dublin III: no request rests on a VIS hit
    d3 = _case(services, principal("de-caseworker"), "DE-HS-D3", registered_on="2026-06-01", entry_on="2026-05-01")
    r = _send(client, de, d3, kind="take_charge", eurodac_hit=True, hit_on="2026-06-05", hit_source="vis")
    assert r.status_code == 422
    (problem,) = r.json()["detail"]
    assert problem["loc"][-1] == "hit_source" and problem["msg"].startswith(
        "under Dublin III no request rests on a VIS hit")
    # an AMMR take-back notification runs from the Eurodac hit (Art 41(1))
    r = _send(client, de, other, kind="take_back_notification", hit_on="2026-11-02", hit_source="vis",
              take_back_ground="application_under_examination")
    assert r.status_code == 422
    assert any(p["loc"][-1] == "hit_source" and f"{AMMR}, Article 41(1)" in p["msg"] for p in r.json()["detail"])


def test_a_request_naming_another_source_than_the_recorded_hit_is_refused(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers) -> None:
    _move(services, date(2026, 11, 10))
    de = auth_headers("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-HS-4", registered_on="2026-10-20", entry_on="2026-08-01")
    assert client.post(f"{API}/cases/{case['id']}/hits", headers=de, json={
        "hit_on": "2026-11-02", "member_state": "IT", "source": "vis"}).status_code == 201
    r = _send(client, de, case, kind="take_charge", hit_source="eurodac")
    assert r.status_code == 422
    (problem,) = r.json()["detail"]
    assert problem["loc"][-1] == "hit_source"
    assert "the case records the VIS hit of 2026-11-02 on data of IT" in problem["msg"]


def test_the_command_line_and_the_form_state_a_vis_hit(
        services: Services, principal: Who, web_client: Login) -> None:
    # the command line's clock: 2026-11-28 (a Saturday)
    case = _case(services, principal("de-caseworker"), "DE-HS-CLI", registered_on="2026-10-20", entry_on="2026-08-01")
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "de-dublin"}
    body = {"kind": "take_charge", "eurodac_hit": True, "hit_on": "2026-11-02", "hit_source": "vis"}
    r = CliRunner().invoke(app, ["responsibility", "request", case["id"], "-"], env=env, input=json.dumps(body))
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["hit_source"] == "vis"
    d3 = _case(services, principal("de-caseworker"), "DE-HS-CLI3", registered_on="2026-06-01", entry_on="2026-05-01")
    r = CliRunner().invoke(app, ["responsibility", "request", d3["id"], "-"], env=env,
                           input=json.dumps({**body, "hit_on": "2026-06-05"}))
    assert r.exit_code == 2 and "hit_source" in r.output and "VIS" in r.output
    assert len(r.output.strip().splitlines()) == 1
    form = _case(services, principal("de-caseworker"), "DE-HS-WEB", registered_on="2026-10-20", entry_on="2026-08-01")
    r = web_client("de-dublin").post(f"/responsibility/cases/{form['id']}/requests", data={
        "kind": "take_charge", "eurodac_hit": "on", "hit_on": "2026-11-02", "hit_source": "vis"},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    rid = r.headers["location"].split("/")[-1].split("?")[0]
    assert responsibility.get_request(services, principal("de-dublin"), rid)["hit_source"] == "vis"


def test_requests_sent_before_the_migration_rest_on_a_eurodac_hit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "responsibility_0007_recorded_hits")
    at = datetime(2026, 11, 1, 9, tzinfo=UTC)
    old = sa.Table("dublin_requests", sa.MetaData(), autoload_with=engine)
    assert "hit_source" not in old.c
    with engine.begin() as conn:
        conn.execute(insert(old), [{
            "id": "dbr_1", "case_id": "dbc_1", "kind": "take_charge", "regime": "ammr",
            "registered_on": date(2026, 10, 1), "requesting_member_state": "DE", "requested_member_state": "IT",
            "status": "pending", "legal_basis": [], "evidence": [], "eurodac_hit": True, "hit_on": date(2026, 10, 5),
            "detained": False, "unaccompanied_minor": False, "sent_on": date(2026, 11, 1),
            "request_deadline": date(2026, 11, 5), "late": False, "reply_due": date(2026, 11, 16), "deadlines": {},
            "created_by": "de-dublin", "created_at": at, "updated_at": at, "version": 1}])
    upgrade(engine)
    with engine.begin() as conn:
        (row,) = conn.execute(select(dublin_requests.c.id, dublin_requests.c.hit_source))
    assert tuple(row) == ("dbr_1", "eurodac")
    engine.dispose()
