"""Article 21 of Directive (EU) 2024/1346 across more than two states, and what another state's
Article 21 decision means for the state that reads its applicant.

Read in the Official Journal text (Italian version, 2026-12-02): from the notification of a
transfer decision to the state responsible under Regulation (EU) 2024/1351 the applicant is not
entitled to the reception conditions of Articles 17 to 20 "in nessuno Stato membro diverso da
quello in cui sono tenuti ad essere presenti" (Article 21); Article 23(1) reaches "i richiedenti che
sono tenuti ad essere presenti sul loro territorio in conformità dell'articolo 17, paragrafo 4, del
regolamento (UE) 2024/1351".

The applicant: notified of Italy's transfer decision to Germany (not transferred, so required to be
present in Italy: Article 17(4)(a)), found in Spain (a white link between Italy's and Spain's
records), then in France (a white link between Spain's and France's records only). Until now
France found no transfer decision (only direct links were read), did not see Spain's Article 21
decision, and could record an Article 23 reduction for an applicant required to be present in
Italy."""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert, select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services import reception_conditions as rc
from pactum.store.tables.identity import identity_links
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import identity_records
from tests.conftest import principal_of
from tests.e2e.test_reception_conditions import _decision, _person, _rows, _transfer_decision

API = "/api/v1/reception/conditions"
runner = CliRunner()


def _link(services, a: str, b: str, *, colour: str = "white", day: str = "2026-11-20", n: int = 0) -> str:
    """A link between a record of person ``a`` and a record of person ``b``, made on ``day``."""
    with services.engine.begin() as conn:
        ra = (
            conn.execute(select(identity_records.c.id).where(identity_records.c.person_id == a))
            .scalars()
            .first()
        )
        rb = (
            conn.execute(select(identity_records.c.id).where(identity_records.c.person_id == b))
            .scalars()
            .first()
        )
        link_id = f"idl_test_{a[-6:]}_{b[-6:]}_{colour}_{n}"
        at = datetime.fromisoformat(day).replace(hour=10, tzinfo=UTC)
        conn.execute(
            insert(identity_links).values(
                id=link_id,
                record_id=ra,
                linked_record_id=rb,
                colour=colour,
                status="pending"
                if colour == "yellow"
                else ("automatic" if colour == "white" else "verified"),
                verifying_authority="IT",
                match_probability=0.99,
                biometric_score=0.97,
                basis={},
                created_at=at,
                decided_at=None if colour in ("yellow", "white") else at,
                version=1,
            )
        )
    return link_id


def _no_links(services) -> None:
    with services.engine.begin() as conn:
        conn.execute(delete(identity_links))


def _art21(person: str, required: str, on: str) -> dict[str, Any]:
    return {
        k: v
        for k, v in _decision(
            person,
            measure="not_entitled",
            conditions=None,
            ground=None,
            required_state=required,
            decided_on=on,
        ).items()
        if v is not None
    }


def _said(r) -> dict[str, str]:
    assert r.status_code == 422, r.text
    return {e["loc"][-1]: e["msg"] for e in r.json()["detail"]}


@pytest.fixture
def world(client, auth_headers, services) -> dict[str, str]:
    """IT's applicant notified of IT's transfer decision to DE (2026-11-10), ES's and FR's persons of
    the same applicant; no link yet."""
    it = _person(client, auth_headers("it-caseworker"))
    _transfer_decision(services, it, on="2026-11-10", ref="IT-DUB-2026-0501")
    es = _person(client, auth_headers("es-caseworker"), "ES")
    fr = _person(client, auth_headers("fr-caseworker"), "FR")
    _no_links(services)
    return {"IT": it, "ES": es, "FR": fr}


def test_a_chain_of_same_person_links_reaches_the_transfer_decision(
    world, client, auth_headers, services, web_client
):
    """France is joined to Italy's record only through Spain's: the chain is followed, and France's
    Article 21 decision rests on Italy's transfer decision, known from the chain's last link."""
    fr = auth_headers("fr-caseworker")
    ab = _link(services, world["IT"], world["ES"], day="2026-11-20")
    bc = _link(services, world["ES"], world["FR"], day="2026-11-27")
    body = _art21(world["FR"], "IT", "2026-11-28")
    before = _rows(services)
    # decided before the chain's last link: France knew of no transfer decision then
    said = _said(client.post(API, headers=fr, json={**body, "decided_on": "2026-11-26"}))
    assert said == {
        "decided_on": "2026-11-26 is before the Eurodac hits that join the applicant to a record of IT "
        f"(through a record of ES: identity links {bc}, {ab}; the last on 2026-11-27): FR "
        "knew of no transfer decision of another state then; date the decision on or after "
        "the hit"
    }
    # the state required pending the transfer is Italy, not Germany
    said = _said(client.post(API, headers=fr, json={**body, "required_state": "DE"}))
    assert said["required_state"].startswith(
        "on 2026-11-28 the applicant is required to be present in IT, not DE"
    )
    assert (
        f"known by the Eurodac hits joining the applicant to a record of IT through a record of ES: identity "
        f"links {bc}, {ab}"
    ) in said["required_state"]
    assert _rows(services) == before
    r = client.post(API, headers=fr, json=body)
    assert r.status_code == 201, r.text
    d = r.json()
    assert d["transfer_decision"] == {
        "decided_by": "IT",
        "requested_member_state": "DE",
        "transfer_decided_on": "2026-11-10",
        "transferred_on": None,
        "kind": "take_charge",
        "known_by": "eurodac_hit",
        "identity_link_id": bc,
        "identity_link_ids": [bc, ab],
        "through": ["ES"],
        "request_id": None,
        "dublin_case_id": None,
        "dublin_case_reference": None,
        "status": None,
        "relocation_id": None,
    }
    assert "IT-DUB-2026-0501" not in r.text
    text = " ".join(
        unescape(
            re.sub(r"<[^>]+>", " ", web_client("fr-caseworker").get(f"/reception/conditions/{d['id']}").text)
        ).split()
    )
    assert (
        f"known to FR by the Eurodac hits on a record of IT: through a record of ES, identity links {bc}, {ab}"
        in text
    )
    page = " ".join(
        unescape(
            re.sub(r"<[^>]+>", " ", web_client("fr-caseworker").get(f"/registry/persons/{world['FR']}").text)
        ).split()
    )
    assert "transfer decision of IT to DE of 2026-11-10, known by the Eurodac hits through ES" in page


def test_a_green_or_yellow_link_breaks_the_chain(world, client, auth_headers, services):
    """White and red say two records are one person; yellow awaits verification and joins nobody;
    green says two persons are two, whatever a chain of white links says."""
    fr = auth_headers("fr-caseworker")
    body = _art21(world["FR"], "IT", "2026-11-28")
    _link(services, world["IT"], world["ES"])
    _link(services, world["ES"], world["FR"], colour="yellow")
    assert _said(client.post(API, headers=fr, json=body))["required_state"].startswith(
        "no transfer decision of FR to IT on or before 2026-11-28"
    )
    _link(services, world["ES"], world["FR"], colour="red", day="2026-11-21")
    # verified: one person; a green link between France's and Italy's persons says they are two
    _link(services, world["FR"], world["IT"], colour="green", day="2026-11-22")
    assert _said(client.post(API, headers=fr, json=body))["required_state"].startswith(
        "no transfer decision of FR to IT on or before 2026-11-28"
    )
    with services.engine.begin() as conn:
        conn.execute(delete(identity_links).where(identity_links.c.colour == "green"))
    assert client.post(API, headers=fr, json=body).status_code == 201


def test_the_chain_is_bounded_and_cycle_safe(client, auth_headers, services):
    """A cycle of links is followed once; a chain longer than MAX_LINK_HOPS persons is not followed
    past it."""
    states = ["IT", "ES", "FR", "DE", "AT", "BE", "NL"]
    persons = [_person(client, auth_headers(f"{s.lower()}-caseworker"), s) for s in states]
    _no_links(services)
    for a, b in itertools.pairwise(persons):
        _link(services, a, b)
    _link(services, persons[2], persons[0], n=1)  # a cycle IT - ES - FR - IT
    with services.engine.connect() as conn:
        net = rc.same_person_network(conn, persons[0], "IT")
    assert rc.MAX_LINK_HOPS == 4
    # the cycle's direct link makes FR one person away: BE is four, NL five (not followed)
    assert sorted(net[p].member_state for p in net) == sorted(states[1:6])
    assert net[persons[2]].through == ()  # the direct link of the cycle, not the way round through ES
    assert net[persons[4]].through == ("FR", "DE") and len(net[persons[4]].links) == 3


def test_another_states_article_21_decision_is_seen_and_read_for_what_it_means_here(
    world, client, auth_headers, services, web_client, monkeypatch, tmp_path: Path
):
    """Spain records its Article 21 decision (required to be present in Italy). France, which finds
    the applicant through Spain's record, sees it and what it means there (Article 21 applies in
    France too); Italy, the state named, sees that it is where the applicant is required to be
    present. France's Article 23 reduction is refused: Article 23(1) reaches the applicants required
    to be present on the state's territory; Italy's is recorded."""
    _link(services, world["IT"], world["ES"], day="2026-11-20")
    bc = _link(services, world["ES"], world["FR"], day="2026-11-27")
    es = client.post(API, headers=auth_headers("es-caseworker"), json=_art21(world["ES"], "IT", "2026-11-24"))
    assert es.status_code == 201, es.text
    fr = auth_headers("fr-caseworker")
    seen = client.get(f"{API}/applicants/{world['FR']}", headers=fr)
    assert seen.status_code == 200, seen.text
    body = seen.json()
    assert body["decisions"] == []
    assert body["other_states_article21"] == [
        {
            "decided_by": "ES",
            "required_state": "IT",
            "decided_on": "2026-11-24",
            "effective_from": "2026-11-24",
            "status": "in_force",
            "lifted_on": None,
            "here": "not_entitled_here",
            "required_now": "IT",
            "required_now_by": None,
            "identity_link_id": bc,
            "identity_link_ids": [bc],
            "through": [],
            "known_on": "2026-11-27",
            "legal_basis": "Directive (EU) 2024/1346, Article 21; Regulation (EU) 2024/1351, Article 17(4)",
        }
    ]
    assert body["required_elsewhere"]["member_state"] == "IT"
    assert body["required_elsewhere"]["transfer_decision"]["through"] == ["ES"]
    assert "reasons" not in json.dumps(body["other_states_article21"]) and world["ES"] not in seen.text
    # Italy, the state named, reads Spain's decision as saying the applicant is required to be present there
    it = client.get(f"{API}/applicants/{world['IT']}", headers=auth_headers("it-caseworker")).json()
    assert [(o["decided_by"], o["here"]) for o in it["other_states_article21"]] == [("ES", "required_here")]
    assert it["required_elsewhere"] is None
    # the person pages say it
    page = " ".join(
        unescape(
            re.sub(r"<[^>]+>", " ", web_client("fr-caseworker").get(f"/registry/persons/{world['FR']}").text)
        ).split()
    )
    assert (
        "Article 21 decision of ES in force since 2026-11-24: not entitled there, required to be present in IT"
        in page
    )
    assert (
        "Article 21 applies here too (a state other than IT): no decision of this state records it yet"
        in page
    )
    page = " ".join(
        unescape(
            re.sub(r"<[^>]+>", " ", web_client("it-caseworker").get(f"/registry/persons/{world['IT']}").text)
        ).split()
    )
    assert (
        "Here is where the applicant is required to be present: Article 21 does not withhold the conditions"
        in page
    )
    # France's reduction is refused naming measure, nothing written; Italy's is recorded
    before = _rows(services)
    said = _said(client.post(API, headers=fr, json=_decision(world["FR"], decided_on="2026-11-28")))
    assert said["measure"] == (
        "on 2026-11-28 the applicant is required to be present in IT, not FR: transfer decision of IT to DE of "
        "2026-11-10, known by the Eurodac hits through ES, not transferred yet (Regulation (EU) 2024/1351, Article "
        "17(4)); Directive (EU) 2024/1346, Article 23(1), reaches the applicants required to be present on the "
        "state's territory, and in FR Article 21 withholds the conditions of Articles 17 to 20: record measure "
        "not_entitled with required_state IT"
    )
    assert _rows(services) == before
    r = client.post(
        API, headers=auth_headers("it-caseworker"), json=_decision(world["IT"], decided_on="2026-11-28")
    )
    assert r.status_code == 201, r.text
    # France records its Article 21 decision; its page then says so beside Spain's
    mine = client.post(API, headers=fr, json=_art21(world["FR"], "IT", "2026-11-28"))
    assert mine.status_code == 201
    assert [(o["decided_by"], o["here"]) for o in mine.json()["other_states_article21"]] == [
        ("ES", "not_entitled_here")
    ]
    with services.engine.connect() as conn:
        entry = conn.execute(
            select(audit_log.c.after).where(audit_log.c.entity_id == mine.json()["id"])
        ).scalar_one()
    assert [o["decided_by"] for o in entry["other_states_article21"]] == ["ES"]
    decision_page = " ".join(
        unescape(
            re.sub(
                r"<[^>]+>",
                " ",
                web_client("fr-caseworker").get(f"/reception/conditions/{mine.json()['id']}").text,
            )
        ).split()
    )
    assert (
        "Article 21 decisions of other states ES on 2026-11-24: not entitled there, required to be present in "
        "IT; in force"
    ) in decision_page
    page = " ".join(
        unescape(
            re.sub(r"<[^>]+>", " ", web_client("fr-caseworker").get(f"/registry/persons/{world['FR']}").text)
        ).split()
    )
    assert "Article 21 applies here too, as the decision above records" in page
    # the CLI reads the same
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "fr-caseworker")
    out = runner.invoke(app, ["reception", "conditions", "applicant", world["FR"]])
    assert out.exit_code == 0, out.output
    shown = json.loads(out.output)
    assert [o["decided_by"] for o in shown["other_states_article21"]] == ["ES"]
    monkeypatch.setenv("PACTUM_CLI_USER", "fr-caseworker")
    out = runner.invoke(
        app,
        ["reception", "conditions", "record", "-"],
        input=json.dumps(_decision(world["FR"], conditions="other_conditions", decided_on="2026-11-28")),
    )
    assert out.exit_code == 2 and out.output.startswith(
        "error: measure: on 2026-11-28 the applicant is required"
    )


def test_the_web_form_refuses_a_reduction_beside_measure_for_an_applicant_required_elsewhere(
    world, client, auth_headers, services, web_client
):
    """The caseworker's form says why beside the measure, keeps what was typed and writes nothing;
    the Article 21 decision it points to is then recorded through the same form."""
    _link(services, world["IT"], world["ES"], day="2026-11-20")
    _link(services, world["ES"], world["FR"], day="2026-11-27")
    web = web_client("fr-caseworker")
    form = {
        "person_id": world["FR"],
        "measure": "reduce",
        "conditions": "daily_expenses_allowance",
        "ground": "23_2_a",
        "decided_on": "2026-11-28",
        "individual_assessment": "Single adult.",
        "reasons": "Left the reception centre.",
        "health_care_ensured": "1",
        "standard_of_living_ensured": "1",
    }
    before = _rows(services)
    r = web.post("/reception/conditions", data=form)
    assert r.status_code == 422
    assert 'id="measure-error"' in r.text and "Left the reception centre." in r.text
    said = " ".join(unescape(re.sub(r"<[^>]+>", " ", r.text)).split())
    assert "on 2026-11-28 the applicant is required to be present in IT, not FR" in said
    assert "record measure not_entitled with required_state IT" in said
    assert _rows(services) == before
    r = web.post(
        "/reception/conditions",
        data={**form, "measure": "not_entitled", "conditions": "", "ground": "", "required_state": "IT"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def test_each_read_of_the_applicant_walks_the_same_person_links_once(
    world, client, auth_headers, services, web_client, monkeypatch
):
    """The applicant's decisions (API) and the person page read other states' Article 21 decisions
    and where the applicant is required to be present from one walk of the same-person links, and
    say the same as before: Spain's decision seen through the chain, Italy required."""
    _link(services, world["IT"], world["ES"], day="2026-11-20")
    _link(services, world["ES"], world["FR"], day="2026-11-27")
    es = client.post(API, headers=auth_headers("es-caseworker"), json=_art21(world["ES"], "IT", "2026-11-24"))
    assert es.status_code == 201, es.text
    walks: list[str] = []
    walk = rc.same_person_network

    def counted(conn, person_id, ms, **kw):
        walks.append(person_id)
        return walk(conn, person_id, ms, **kw)

    monkeypatch.setattr(rc, "same_person_network", counted)
    body = client.get(f"{API}/applicants/{world['FR']}", headers=auth_headers("fr-caseworker")).json()
    assert walks == [world["FR"]]
    assert [o["decided_by"] for o in body["other_states_article21"]] == ["ES"]
    assert body["required_elsewhere"]["member_state"] == "IT"
    walks.clear()
    seen = rc.in_force_of_person(services, principal_of(services, "fr-caseworker"), world["FR"])
    assert walks == [world["FR"]]
    assert seen is not None
    assert [(o.get("decided_by"), o.get("presence"), o.get("member_state")) for o in seen if o.get("other_state")
            or o.get("presence")] == [("ES", None, None), (None, True, "IT")]
