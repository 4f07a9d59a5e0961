"""The take back by the Member State of relocation (Regulation (EU) 2024/1351, Art 38(5), read in the
Official Journal's Italian text: «Lo Stato membro di ricollocazione è tenuto, alle condizioni di cui
agli articoli 41 e 46, a riprendere in carico il richiedente che si trovi in un altro Stato membro
senza un titolo di soggiorno o che vi faccia domanda di protezione internazionale dopo che il primo
Stato membro ha confermato la ricollocazione dell'interessato a norma dell'articolo 67, paragrafo 9, e
prima che sia stato effettuato il trasferimento verso lo Stato membro di ricollocazione a norma
dell'articolo 67, paragrafo 11. Tale obbligo cessa quando lo Stato membro di ricollocazione stabilisce
che il richiedente ha ottenuto un titolo di soggiorno da un altro Stato membro»).

France's applicant (registered there on 2026-09-20) is to be relocated to Germany, which confirmed
the relocation on 2026-10-15 (the solidarity area's record: ``accepted_on``); before the transfer the
person applies in Italy (registered 2026-11-02), where a white identity link joins them to France's
person. Italy notifies Germany on ``relocation_confirmed``; the notification names the relocation it
rests on. Before, no take-back ground lay for it (422 on ``take_back_ground``: not a permitted value)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert
from typer.testing import CliRunner

from pactum.responsibility.relocation_take_back import Relocation, relocation_obliging
from pactum.store.tables.solidarity import relocation_transfers
from tests.e2e.test_responsibility_document_ends_notification import PERMIT, _people, november  # noqa: F401
from tests.problem_paths import problem_fields

API = "/api/v1/responsibility"
ART_38_5 = "Regulation (EU) 2024/1351, Article 38(5)"
FACTS = {
    "application": {"registered_in": "IT", "registered_on": "2026-11-02"},
    "earlier_applications": [{"member_state": "FR", "registered_on": "2026-09-20"}],
}


def _relocation(services: Any, person: str, *, rid: str = "rtr_test_38_5", confirmed: str | None = "2026-10-15",
                arrived: str | None = None, stage: str = "accepted", to: str = "DE") -> None:
    with services.engine.begin() as conn:
        conn.execute(
            insert(relocation_transfers).values(
                id=rid,
                cycle_id=None,
                era="ammr",
                applicant_ref=f"FR-{rid}",
                person_id=person,
                origin_member_state="FR",
                destination_member_state=to,
                stage=stage,
                matched_on=date(2026, 10, 1),
                accepted_on=date.fromisoformat(confirmed) if confirmed else None,
                arrived_on=date.fromisoformat(arrived) if arrived else None,
                trace=[],
                created_at=datetime(2026, 10, 1, tzinfo=UTC),
                version=1,
            )
        )


def _case(client: Any, auth_headers: Any, person: str, ref: str = "IT-38-5") -> str:
    r = client.post(f"{API}/cases", headers=auth_headers("it-dublin"),
                    json={"reference": ref, "person_id": person, "facts": FACTS})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _notify(client: Any, auth_headers: Any, case_id: str, to: str = "DE") -> Any:
    return client.post(
        f"{API}/cases/{case_id}/requests",
        headers=auth_headers("it-dublin"),
        json={"kind": "take_back_notification", "requested_member_state": to,
              "take_back_ground": "relocation_confirmed", "eurodac_hit": True, "hit_on": "2026-11-03"},
    )


def test_the_rule_reads_the_confirmation_and_the_transfer() -> None:
    def rel(confirmed: str | None, arrived: str | None = None, stage: str = "accepted") -> Relocation:
        return Relocation("rtr_1", "FR", "DE", date.fromisoformat(confirmed) if confirmed else None,
                          date.fromisoformat(arrived) if arrived else None, stage)

    on = date(2026, 11, 2)
    assert relocation_obliging([rel("2026-10-15")], "DE", on).relocation is not None
    assert relocation_obliging([rel("2026-11-02")], "DE", on).relocation is not None  # confirmed that day
    assert "only on 2026-11-05" in str(relocation_obliging([rel("2026-11-05")], "DE", on).problem)
    assert "not yet" in str(relocation_obliging([rel(None, stage="matched")], "DE", on).problem)
    gone = relocation_obliging([rel("2026-10-15", "2026-10-30", "arrived")], "DE", on).problem
    assert gone is not None and "transferred to DE on 2026-10-30" in gone and "Article 67(11)" in gone
    assert relocation_obliging([rel("2026-10-15", "2026-11-10", "arrived")], "DE", on).relocation is not None
    assert "was cancelled" in str(relocation_obliging([rel("2026-10-15", stage="cancelled")], "DE", on).problem)
    assert "no relocation of the person to AT" in str(relocation_obliging([rel("2026-10-15")], "AT", on).problem)


def test_italy_notifies_germany_as_the_member_state_of_relocation(
    client, auth_headers, services, web_client, november  # noqa: F811
) -> None:
    it_person, fr_person = _people(client, auth_headers, services)
    case_id = _case(client, auth_headers, it_person)
    # the case page offers the ground, with its article
    page = web_client("it-dublin").get(f"/responsibility/cases/{case_id}").text
    ground = page.split('name="take_back_ground"')[1].split("</select>")[0]
    assert 'value="relocation_confirmed"' in ground and ART_38_5 in ground
    # no relocation recorded: refused on the ground, saying why, nothing sent
    r = _notify(client, auth_headers, case_id)
    assert r.status_code == 422 and problem_fields(r) == ["take_back_ground"], r.text
    assert "no relocation of the person to DE is recorded" in r.text
    assert client.get(f"{API}/cases/{case_id}", headers=auth_headers("it-dublin")).json()[
        "relocation_take_back"] is None
    # the relocation of France's person (the same person by the white link) to Germany, confirmed
    _relocation(services, fr_person)
    # the case says so before a notification is sent
    hint = client.get(f"{API}/cases/{case_id}", headers=auth_headers("it-dublin")).json()["relocation_take_back"]
    assert (hint["requested_member_state"], hint["take_back_ground"], hint["legal_basis"]) == (
        "DE", "relocation_confirmed", ART_38_5)
    shown = web_client("it-dublin").get(f"/responsibility/cases/{case_id}").text
    said = shown.split('id="relocation-take-back-hint"')[1].split("</p>")[0]
    assert "Before a take-back notification to DE:" in said
    assert "relocation rtr_test_38_5 from FR to DE, confirmed by DE on 2026-10-15" in said
    assert "DE, the Member State of relocation, takes the person back" in said
    r = _notify(client, auth_headers, case_id, to="AT")
    assert r.status_code == 422 and "no relocation of the person to AT" in r.text, r.text
    r = _notify(client, auth_headers, case_id)
    assert r.status_code == 201, r.text
    req = r.json()
    assert (req["kind"], req["criterion"], req["legal_basis"]) == (
        "take_back_notification", "relocation_confirmed", [ART_38_5])
    [said] = [e["description"] for e in req["evidence"] if "rtr_test_38_5" in e["description"]]
    assert said == (
        "On the platform's records: relocation rtr_test_38_5 from FR to DE, confirmed by DE on 2026-10-15 "
        "(Regulation (EU) 2024/1351, Article 67(9)), transfer not carried out (Regulation (EU) 2024/1351, "
        f"Article 67(11)); the application was registered in IT on 2026-11-02 ({ART_38_5})"
    )
    assert client.get(f"{API}/cases/{case_id}", headers=auth_headers("it-dublin")).json()[
        "relocation_take_back"] is None  # a notification stands
    # Germany reads it, and may contest only on a residence document (Art 38(5), second sentence)
    shown = web_client("de-dublin").get(f"/responsibility/requests/{req['id']}").text
    assert "rtr_test_38_5" in shown.split('id="evidence"')[1].split("</ul>")[0]
    contest = shown.split('id="refusal-ground-contest"')[1].split("</select>")[0]
    assert 'value="residence_document"' in contest
    assert "Article 38(5), second sentence" in contest
    assert 'value="left_territory"' not in contest and 'value="wrong_indication"' not in contest


def test_a_relocation_transferred_before_the_application_obliges_no_take_back(
    client, auth_headers, services, november  # noqa: F811
) -> None:
    it_person, fr_person = _people(client, auth_headers, services)
    case_id = _case(client, auth_headers, it_person)
    _relocation(services, fr_person, arrived="2026-10-30", stage="arrived")
    r = _notify(client, auth_headers, case_id)
    assert r.status_code == 422 and problem_fields(r) == ["take_back_ground"], r.text
    assert "transferred to DE on 2026-10-30" in r.text


def test_germany_contests_on_a_residence_document_and_the_command_line_sends_it(
    client, auth_headers, services, web_client, november, tmp_path  # noqa: F811
) -> None:
    from pactum.cli.main import app

    def cli(user: str, *args: str) -> Any:
        env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": user}
        return CliRunner().invoke(app, ["responsibility", *args], env=env)

    it_person, fr_person = _people(client, auth_headers, services)
    case_id = _case(client, auth_headers, it_person)
    _relocation(services, fr_person)
    body = tmp_path / "notify.json"
    body.write_text(json.dumps({"kind": "take_back_notification", "requested_member_state": "DE",
                                "take_back_ground": "relocation_confirmed", "eurodac_hit": True,
                                "hit_on": "2026-11-03"}))
    shown = cli("it-dublin", "show", case_id)
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["relocation_take_back"]["relocation_id"] == "rtr_test_38_5"
    r = cli("it-dublin", "request", case_id, str(body))
    assert r.exit_code == 0, r.output
    req = json.loads(r.stdout)
    assert req["criterion"] == "relocation_confirmed"
    # France issued the person a residence document: Germany's obligation ended (Art 38(5), 2nd sentence)
    permit = client.post(f"{API}/persons/{fr_person}/documents", headers=auth_headers("fr-dublin"), json=PERMIT)
    assert permit.status_code == 201, permit.text
    page = web_client("de-dublin").get(f"/responsibility/requests/{req['id']}").text
    hint = page.split('id="residence-document-elsewhere"')[1].split("</p>")[0]
    assert "FR issued the person a residence document on 2026-10-01" in hint
    assert "to take the person back as the Member State of relocation, before the transfer, ends" in hint
    assert "Article 38(5), second sentence" in hint
    r = client.post(f"{API}/requests/{req['id']}/contest", headers=auth_headers("de-dublin"),
                    json={"version": req["version"], "reasons": "France issued a residence permit.",
                          "refusal_ground": "residence_document"})
    assert r.status_code == 200, r.text
    assert r.json()["refusal_cessation"]["legal_basis"] == (
        "Regulation (EU) 2024/1351, Article 38(5), second sentence")
    now = client.get(f"{API}/cases/{case_id}", headers=auth_headers("it-dublin")).json()["responsible_now"]
    assert now["member_state"] == "IT" and now["rule"] == "ceased"
    assert "as its obligation to take the person back as the Member State of relocation, before the transfer, " \
           "ended: FR issued the person a residence document on 2026-10-01" in now["reason"]
    assert "IT, where the person applied, stays responsible" in now["reason"]
