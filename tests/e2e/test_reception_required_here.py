"""Where the applicant is required to be present when a transfer decision or a relocation brings
them to the recording state (Regulation (EU) 2024/1351, Article 17(4), read in the Italian text on
2026-12-02: «Il richiedente è tenuto ad essere presente: a) nello Stato membro di cui ai paragrafi 1 e
2 in attesa della determinazione dello Stato membro competente e, se del caso, dell'attuazione della
procedura di trasferimento; b) nello Stato membro competente; o c) nello Stato membro di
ricollocazione a seguito di un trasferimento a norma dell'articolo 67, paragrafo 11»).

Until now a transfer decision of another state *to* the recording state was not read, nor a
relocation: an applicant transferred back to Italy after Italy's own transfer to Germany stayed
"required to be present in DE" in Italy (its reduction refused, its Article 21 decision accepted),
and an applicant Italy relocated to Germany stayed required in Italy."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from html import unescape
from typing import Any

import pytest
from sqlalchemy import insert
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.store.tables.solidarity import relocation_transfers
from tests.e2e.test_reception_article21_chains import _art21, _link, _no_links, _said
from tests.e2e.test_reception_conditions import _decision, _person, _rows, _transfer_decision, _transferred

API = "/api/v1/reception/conditions"


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def _relocation(
    services,
    person: str,
    *,
    origin: str = "IT",
    to: str = "DE",
    decided: str = "2026-11-05",
    arrived: str | None = "2026-11-12",
    stage: str = "arrived",
    era: str = "ammr",
) -> str:
    """A relocation of ``person`` from ``origin`` to ``to`` as the solidarity area records it: the
    transfer decision (Article 67(10)) and, when ``arrived``, the arrival (Article 68(1))."""
    rid = f"rtr_test_{person[-6:]}_{stage}"
    with services.engine.begin() as conn:
        conn.execute(
            insert(relocation_transfers).values(
                id=rid,
                cycle_id=None,
                era=era,
                applicant_ref=f"REL-{person[-6:]}",
                person_id=person,
                origin_member_state=origin,
                destination_member_state=to,
                stage=stage,
                matched_on=date(2026, 10, 20),
                accepted_on=date(2026, 10, 30),
                transfer_decided_on=date.fromisoformat(decided),
                arrived_on=date.fromisoformat(arrived) if arrived else None,
                trace=[],
                created_at=datetime(2026, 10, 20, 9, tzinfo=UTC),
                version=1,
            )
        )
    return rid


@pytest.fixture
def cli(services, monkeypatch: pytest.MonkeyPatch, tmp_path):
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))

    def run(user: str, *args: str):
        monkeypatch.setenv("PACTUM_CLI_USER", user)
        return CliRunner().invoke(app, ["reception", "conditions", *args])

    return run


def _applicant(client, h: dict[str, str], person: str) -> dict[str, Any]:
    r = client.get(f"{API}/applicants/{person}", headers=h)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_transferred_back_here_the_applicant_is_required_here(
    client, auth_headers, services, web_client, cli
):
    """Italy transferred the applicant to Germany (2026-07-10); Germany then took a transfer
    decision to Italy (2026-11-10), carried out on 2026-11-15: on 2026-11-26 the applicant is
    required to be present in Italy, the state responsible (Article 17(4)(b)). Italy's reduction
    is recorded (Article 23(1) reaches them), its Article 21 decision naming Germany is refused, and
    the applicant's reading, the CLI and the case page say "required here", from Germany's decision."""
    it_h = auth_headers("it-caseworker")
    it = _person(client, it_h)
    de = _person(client, auth_headers("de-caseworker"), "DE")
    _no_links(services)
    out = _transfer_decision(services, it, by="IT", to="DE", on="2026-07-01", ref="IT-DUB-2026-0601")
    _transferred(services, out, "2026-07-10")
    link = _link(services, it, de, day="2026-11-05")
    back = _transfer_decision(services, de, by="DE", to="IT", on="2026-11-10", ref="DE-DUB-2026-0602")

    _transferred(services, back, "2026-11-15")
    rows = _rows(services)
    said = _said(client.post(API, headers=it_h, json=_art21(it, "DE", "2026-11-26")))
    assert said == {
        "required_state": (
            "on 2026-11-26 the applicant is required to be present in IT, the state recording the decision: transfer "
            "decision of DE to IT of 2026-11-10, known by the Eurodac hit, transferred on 2026-11-15 (Regulation (EU) "
            "2024/1351, Article 17(4)(b): the state responsible, the transfer carried out); Directive (EU) 2024/1346, "
            "Article 21, withholds the conditions only in a state other than the one where the applicant is required "
            "to be present"
        )
    }
    assert _rows(services) == rows  # nothing written

    # the reduction Italy decides is recorded: the applicant is required to be present in Italy
    r = client.post(API, headers=it_h, json=_decision(it))
    assert r.status_code == 201, r.text

    d = _applicant(client, it_h, it)
    assert d["required_elsewhere"] is None
    here = d["required_here"]
    assert (here["member_state"], here["legal_basis"]) == (
        "IT",
        "Regulation (EU) 2024/1351, Article 17(4)(b): the state responsible, the transfer carried out",
    )
    t = here["transfer_decision"]
    assert (
        t["decided_by"],
        t["requested_member_state"],
        t["transfer_decided_on"],
        t["transferred_on"],
        t["known_by"],
        t["identity_link_id"],
        t["request_id"],
        t["relocation_id"],
    ) == ("DE", "IT", "2026-11-10", "2026-11-15", "eurodac_hit", link, None, None)
    assert "DE-DUB-2026-0602" not in json.dumps(d)  # Germany's files stay Germany's

    shown = cli("it-caseworker", "applicant", it)
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["required_here"] == here

    said_page = _text(web_client("it-caseworker").get(f"/registry/persons/{it}").text)
    assert (
        "Required to be present here (IT): transfer decision of DE to IT of 2026-11-10, known by the Eurodac "
        "hit, transferred on 2026-11-15 (Regulation (EU) 2024/1351, Article 17(4)(b): the state responsible, "
        "the transfer carried out): Article 21 does not withhold the conditions here."
    ) in said_page


def test_a_transfer_decision_to_the_state_where_the_applicant_is_found(client, auth_headers, services):
    """Spain took a transfer decision to Italy (2026-11-10), not carried out; the applicant is found
    in Italy, the state responsible. Pactum's reading of Article 17(4)(a) ("se del caso"): no
    transfer is left to implement, the applicant is required to be present in Italy. Italy's
    reduction is recorded; an Article 21 decision of Italy naming Spain is refused, saying why."""
    it_h = auth_headers("it-caseworker")
    it = _person(client, it_h)
    es = _person(client, auth_headers("es-caseworker"), "ES")
    _no_links(services)
    _link(services, it, es, day="2026-11-20")
    _transfer_decision(services, es, by="ES", to="IT", on="2026-11-10", ref="ES-DUB-2026-0701")

    said = _said(client.post(API, headers=it_h, json=_art21(it, "ES", "2026-11-26")))
    assert said["required_state"].startswith(
        "on 2026-11-26 the applicant is required to be present in IT, the state recording the decision: transfer "
        "decision of ES to IT of 2026-11-10, known by the Eurodac hit, not transferred yet (Regulation (EU) "
        "2024/1351, Article 17(4)(b): the state responsible, where the applicant is found before the transfer "
        "(Pactum's reading of point (a): no transfer left to implement))"
    )
    r = client.post(API, headers=it_h, json=_decision(it))
    assert r.status_code == 201, r.text
    d = _applicant(client, it_h, it)
    assert d["required_elsewhere"] is None
    assert d["required_here"]["member_state"] == "IT"
    assert d["required_here"]["transfer_decision"]["decided_by"] == "ES"


def test_relocated_the_applicant_is_required_in_the_state_of_relocation(
    client, auth_headers, services, web_client
):
    """Italy relocated the applicant to Germany (transfer decision 2026-11-05, arrived 2026-11-12;
    Article 67(10) and (11)): from the arrival the applicant is required to be present in Germany
    (Article 17(4)(c)). Found again in Italy, Italy's reduction is refused (Article 23(1)) and its
    Article 21 decision naming Germany rests on the relocation; Germany reads the applicant as
    required there. A relocation not carried out is not read."""
    it_h, de_h = auth_headers("it-caseworker"), auth_headers("de-caseworker")
    it = _person(client, it_h)
    de = _person(client, de_h, "DE")
    _no_links(services)
    # decided, not carried out: the applicant is still required in Italy, the reduction is recorded
    _relocation(services, it, arrived=None, stage="transfer_decided")
    first = client.post(API, headers=it_h, json=_decision(it, decided_on="2026-11-10"))
    assert first.status_code == 201, first.text
    assert (
        client.post(
            f"{API}/{first.json()['id']}/lifting",
            headers=it_h,
            json={"version": 1, "lifted_on": "2026-11-11", "restoration": "all", "reason": "Review."},
        ).status_code
        == 200
    )

    rid = _relocation(services, it)
    rows = _rows(services)
    said = _said(client.post(API, headers=it_h, json=_decision(it)))
    assert said == {
        "measure": (
            "on 2026-11-26 the applicant is required to be present in DE, not IT: relocation of IT to DE (transfer "
            "decision of 2026-11-05), arrived on 2026-11-12 (Regulation (EU) 2024/1351, Article 17(4)); Directive (EU) "
            "2024/1346, Article 23(1), reaches the applicants required to be present on the state's territory, and in "
            "IT Article 21 withholds the conditions of Articles 17 to 20: record measure not_entitled with "
            "required_state DE"
        )
    }
    assert _rows(services) == rows

    r = client.post(API, headers=it_h, json=_art21(it, "DE", "2026-11-26"))
    assert r.status_code == 201, r.text
    t = r.json()["transfer_decision"]
    assert (
        t["kind"],
        t["known_by"],
        t["decided_by"],
        t["requested_member_state"],
        t["transfer_decided_on"],
        t["transferred_on"],
        t["relocation_id"],
        t["request_id"],
    ) == ("relocation", "relocation_transfer", "IT", "DE", "2026-11-05", "2026-11-12", rid, None)
    page = _text(web_client("it-caseworker").get(f"/reception/conditions/{r.json()['id']}").text)
    assert (
        "Relocation of IT to DE: transfer decision of 2026-11-05 (Regulation (EU) 2024/1351, Article 67(10)), "
        f"arrived on 2026-11-12 (relocation transfer {rid}): required to be present in DE, the state of relocation"
    ) in page
    d = _applicant(client, it_h, it)
    assert d["required_here"] is None
    assert (d["required_elsewhere"]["member_state"], d["required_elsewhere"]["legal_basis"]) == (
        "DE",
        "Regulation (EU) 2024/1351, Article 17(4)(c): the state of relocation after the transfer "
        "(Article 67(11))",
    )
    said_page = _text(web_client("it-caseworker").get(f"/registry/persons/{it}").text)
    assert "(required to be present in DE; relocation of IT to DE, arrived on 2026-11-12)" in said_page
    assert "Required to be present in DE, not here: relocation of IT to DE" in said_page

    # Germany, whose record the Eurodac hit joins to Italy's, reads the applicant as required there
    _link(services, de, it, day="2026-11-13")
    g = _applicant(client, de_h, de)
    assert g["required_elsewhere"] is None
    assert g["required_here"]["member_state"] == "DE"
    assert g["required_here"]["transfer_decision"]["known_by"] == "eurodac_hit"
    assert g["other_states_article21"][0]["here"] == "required_here"


def test_the_forms_start_on_the_states_day(client, auth_headers, services, web_client):
    """At 22:30 UTC on 30 November it is already 1 December in Athens: Greece's caseworker finds
    the decision form, the restoration form and the report form dated on Greece's day, the day the
    platform checks the dates against (a decision "after today" is refused on the state's day)."""
    el_h = auth_headers("el-caseworker")
    person = _person(client, el_h, "EL")
    services.clock.set(datetime(2026, 11, 30, 22, 30, tzinfo=UTC))
    el_h = auth_headers("el-caseworker")  # a session of the clock's day
    web = web_client("el-caseworker")
    assert 'name="decided_on" required value="2026-12-01"' in web.get("/reception/conditions").text
    r = client.post(API, headers=el_h, json=_decision(person, decided_on="2026-12-01"))
    assert r.status_code == 201, r.text
    assert (
        'name="lifted_on" required value="2026-12-01"'
        in web.get(f"/reception/conditions/{r.json()['id']}").text
    )
    assert 'name="reported_on" value="2026-12-01"' in web.get("/reception/report").text


def test_the_csv_files_are_named_on_the_states_day(client, auth_headers, services, web_client):
    """The overview and the weekly series read a state's user's reports up to the state's day; their
    files are named on that day too (22:30 UTC on 30 November: 1 December in Athens)."""
    services.clock.set(datetime(2026, 11, 30, 22, 30, tzinfo=UTC))
    h = auth_headers("el-caseworker")
    web = web_client("el-caseworker")
    for path in ("overview.csv", "series.csv"):
        name = "reception-overview" if path == "overview.csv" else "reception-occupancy-by-week"
        r = client.get(f"/api/v1/reception/{path}", headers=h)
        assert r.status_code == 200, r.text
        assert f'filename="{name}-2026-12-01.csv"' in r.headers["content-disposition"], path
        w = web.get(f"/reception/{path}")
        assert w.status_code == 200, w.text
        assert f'filename="{name}-2026-12-01.csv"' in w.headers["content-disposition"], path


def test_a_third_states_article_21_decision_rests_on_another_states_relocation(client, auth_headers, services):
    """Italy relocated the applicant to Germany (arrived 2026-11-12); France finds the applicant, a
    Eurodac hit joining its record to Italy's (2026-11-13). For France the applicant is required to
    be present in Germany, the state of relocation (Article 17(4)(c)): France's Article 21 decision
    naming Germany rests on Italy's relocation, known to France by the hit; one naming Italy is
    refused with the relocation named (it said no transfer decision was recorded)."""
    it = _person(client, auth_headers("it-caseworker"))
    fr_h = auth_headers("fr-caseworker")
    fr = _person(client, fr_h, "FR")
    _no_links(services)
    rid = _relocation(services, it)
    link = _link(services, fr, it, day="2026-11-13")
    rows = _rows(services)
    said = _said(client.post(API, headers=fr_h, json=_art21(fr, "IT", "2026-11-26")))
    assert said == {
        "required_state": (
            "on 2026-11-26 the applicant is required to be present in DE, not IT: relocation of IT to DE (transfer "
            "decision of 2026-11-05), known by the Eurodac hit, arrived on 2026-11-12 (Regulation (EU) 2024/1351, "
            "Article 17(4)(c): the state of relocation after the transfer (Article 67(11))); give DE"
        )
    }
    assert _rows(services) == rows
    r = client.post(API, headers=fr_h, json=_art21(fr, "DE", "2026-11-26"))
    assert r.status_code == 201, r.text
    t = r.json()["transfer_decision"]
    assert (t["kind"], t["decided_by"], t["requested_member_state"], t["relocation_id"], t["identity_link_id"]) == (
        "relocation", "IT", "DE", rid, link)
    d = _applicant(client, fr_h, fr)
    assert d["required_elsewhere"]["member_state"] == "DE"
    assert d["required_elsewhere"]["legal_basis"].startswith("Regulation (EU) 2024/1351, Article 17(4)(c)")


def test_another_states_article_21_decision_is_read_against_where_the_applicant_is_required_now(
    client, auth_headers, services, web_client
):
    """France took a transfer decision to Italy (2026-11-01); Belgium, finding the applicant, recorded
    its Article 21 decision naming France, where they were required pending the transfer (Article
    17(4)(a)). France then carried the transfer out (2026-11-13): the applicant is required to be
    present in Italy (Article 17(4)(b)). France reads Belgium's decision against that: not
    "required here" (it said "Here is where the applicant is required to be present" beside
    "Required to be present in IT, not here"), but where they are required now, and why."""
    fr_h = auth_headers("fr-caseworker")
    fr = _person(client, fr_h, "FR")
    be = _person(client, auth_headers("be-caseworker"), "BE")
    _no_links(services)
    out = _transfer_decision(services, fr, by="FR", to="IT", on="2026-11-01", ref="FR-DUB-2026-0701")
    _link(services, be, fr, day="2026-11-05")
    r = client.post(API, headers=auth_headers("be-caseworker"), json=_art21(be, "FR", "2026-11-08"))
    assert r.status_code == 201, r.text
    before = _applicant(client, fr_h, fr)["other_states_article21"][0]
    assert (before["here"], before["required_now"], before["required_now_by"]) == ("required_here", "FR", None)
    _transferred(services, out, "2026-11-13")
    d = _applicant(client, fr_h, fr)
    o = d["other_states_article21"][0]
    assert (o["decided_by"], o["required_state"], o["here"], o["required_now"]) == ("BE", "FR", "not_entitled_here", "IT")
    assert o["required_now_by"] == (
        "transfer decision of FR to IT of 2026-11-01, transferred on 2026-11-13 (Regulation (EU) 2024/1351, "
        "Article 17(4)(b): the state responsible, the transfer carried out)"
    )
    assert d["required_elsewhere"]["member_state"] == "IT"
    page = _text(web_client("fr-caseworker").get(f"/registry/persons/{fr}").text)
    assert "Article 21 decision of BE in force since 2026-11-08: not entitled there, required to be present in FR" in page
    assert "Since then the applicant is required to be present in IT: transfer decision of FR to IT of 2026-11-01" in page
    assert "Here is where the applicant is required to be present" not in page
    assert "Required to be present in IT, not here" in page
