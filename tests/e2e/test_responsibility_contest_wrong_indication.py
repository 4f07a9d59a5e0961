"""The state notified contests a take-back notification that rests on a wrong indication in Eurodac
of the Member State responsible (Regulation (EU) 2024/1351, Art 41(3), read in the Official Journal's
Italian text: it confirms receipt «a meno che lo Stato membro notificato non dimostri entro tale
termine che non è competente a norma dell'articolo 37 o che la notifica di ripresa in carico si basa
su un'indicazione errata dello Stato membro competente a norma del regolamento (UE) 2024/1358»).

Italy notifies Germany on Art 36(1)(b) (Germany indicated in Eurodac as the Member State
responsible); Germany demonstrates the indication is wrong. Before, the only grounds of a contest
were cessations (left_territory, returned, residence_document): ``wrong_indication`` was 422 on
``refusal_ground`` (not a permitted value), the form did not offer it, and "Responsible now" had no
words for it. The ground lies only where the notification rests on an indication in Eurodac
(Pactum's reading: not on Art 38(4)'s determination not yet indicated, nor on a take charge)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.e2e.test_responsibility_document_ends_notification import _at, _case, _contest, _notify, _people
from tests.problem_paths import problem_fields

API = "/api/v1/responsibility"
ART_41_3 = "Regulation (EU) 2024/1351, Article 41(3)"
EVIDENCE = (
    "Eurodac record DE-2026-118 corrected on 2026-11-06: DE indicated FR as the Member State responsible"
)


@pytest.fixture
def november(services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """10 November 2026, within the two weeks to confirm or contest a notification."""
    _at(services, monkeypatch, datetime(2026, 11, 10, 12, 0, tzinfo=UTC))


def _indicated(client: Any, auth_headers: Any, services: Any) -> tuple[str, dict[str, Any]]:
    it_person, _ = _people(client, auth_headers, services)
    case_id = _case(client, auth_headers, it_person)
    return case_id, _notify(client, auth_headers, case_id, "indicated_responsible_in_eurodac")


def test_germany_contests_a_notification_resting_on_a_wrong_indication(
    client, auth_headers, services, web_client, november
) -> None:
    case_id, req = _indicated(client, auth_headers, services)
    # the form of the state notified offers the ground, with its article
    page = web_client("de-dublin").get(f"/responsibility/requests/{req['id']}").text
    grounds = page.split('id="refusal-ground-contest"')[1].split("</select>")[0]
    assert 'value="wrong_indication"' in grounds and ART_41_3 in grounds
    assert "Ground of the contest" in page.split('id="refusal-ground-contest"')[1].split("</legend>")[0]
    # the state notified demonstrates it: evidence required, no day of leaving
    r = _contest(client, auth_headers, req, refusal_ground="wrong_indication")
    assert r.status_code == 422 and problem_fields(r) == ["evidence"], r.text
    assert ART_41_3 in r.text
    r = _contest(
        client, auth_headers, req, refusal_ground="wrong_indication", evidence=EVIDENCE, left_on="2026-01-05"
    )
    assert r.status_code == 422 and problem_fields(r) == ["left_on"], r.text
    r = _contest(client, auth_headers, req, refusal_ground="wrong_indication", evidence=EVIDENCE)
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["status"], out["status_label"], out["responsible_member_state"]) == (
        "refused_final",
        "contested",
        "IT",
    )
    assert out["contest_ground"] == {
        "ground": "wrong_indication",
        "label": "the notification rests on a wrong indication in Eurodac of the Member State responsible",
        "legal_basis": ART_41_3,
        "evidence": EVIDENCE,
    }
    assert out["refusal_cessation"] is None  # not a cessation of Germany's obligations
    now = client.get(f"{API}/cases/{case_id}", headers=auth_headers("it-dublin")).json()["responsible_now"]
    assert (now["member_state"], now["rule"], now["legal_basis"]) == ("IT", "refused_final", [ART_41_3])
    assert now["reason"].startswith(
        "DE contested the take-back notification (2026-11-10, Regulation (EU) 2024/1351, Article 41(3)), as the "
        "notification rests on a wrong indication of the Member State responsible in Eurodac (Regulation (EU) "
        f"2024/1358): {EVIDENCE}; IT, where the person is, stays responsible"
    )
    assert "refused" not in now["reason"]
    # both states read the ground on the request page
    for who in ("de-dublin", "it-dublin"):
        shown = web_client(who).get(f"/responsibility/requests/{req['id']}").text
        said = shown.split('id="contest-ground"')[1].split("</dd>")[0]
        assert "The notification rests on a wrong indication in Eurodac" in said and EVIDENCE in said
    # and the statistics count it as contested
    [row] = client.get(f"{API}/statistics", headers=auth_headers("com-analyst")).json()
    assert (row["refused"], row["contested"]) == (0, 1)


def test_the_ground_is_refused_where_it_does_not_lie(
    client, auth_headers, services, web_client, november
) -> None:
    it_person, _ = _people(client, auth_headers, services)
    # a notification on Art 38(4): it rests on a determination not yet indicated in Eurodac
    case_id = _case(client, auth_headers, it_person)
    req = _notify(client, auth_headers, case_id, "during_determination")
    page = web_client("de-dublin").get(f"/responsibility/requests/{req['id']}").text
    assert (
        'value="wrong_indication"' not in page.split('id="refusal-ground-contest"')[1].split("</select>")[0]
    )
    r = _contest(client, auth_headers, req, refusal_ground="wrong_indication", evidence=EVIDENCE)
    assert r.status_code == 422 and problem_fields(r) == ["refusal_ground"], r.text
    assert "during_determination" in r.text and "indicated_responsible_in_eurodac" in r.text
    withdrawn = client.post(
        f"{API}/requests/{req['id']}/withdraw",
        headers=auth_headers("it-dublin"),
        json={"version": req["version"]},
    )
    assert withdrawn.status_code == 200, withdrawn.text
    # a take-charge request is refused with reasons, not contested on an indication
    tc = client.post(
        f"{API}/cases",
        headers=auth_headers("it-dublin"),
        json={
            "reference": "IT-TC-41-3",
            "person_id": None,
            "facts": {
                "application": {"registered_in": "IT", "registered_on": "2026-11-02"},
                "documents": [
                    {
                        "kind": "residence_document",
                        "issued_by": "DE",
                        "valid_from": "2026-01-01",
                        "valid_until": "2027-01-01",
                    }
                ],
            },
        },
    )
    assert tc.status_code == 201, tc.text
    charge = client.post(
        f"{API}/cases/{tc.json()['id']}/requests",
        headers=auth_headers("it-dublin"),
        json={"kind": "take_charge", "requested_member_state": "DE"},
    ).json()
    r = client.post(
        f"{API}/requests/{charge['id']}/refuse",
        headers=auth_headers("de-dublin"),
        json={
            "version": charge["version"],
            "reasons": "Wrong.",
            "refusal_ground": "wrong_indication",
            "evidence": EVIDENCE,
        },
    )
    assert r.status_code == 422 and problem_fields(r) == ["refusal_ground"], r.text
    assert "ground to contest a take-back notification" in r.text
    # an unknown ground is named too
    r = _contest(client, auth_headers, charge, "refuse", refusal_ground="wrong_hit", evidence=EVIDENCE)
    assert r.status_code == 422 and problem_fields(r) == ["refusal_ground"], r.text


def test_the_command_line_and_the_page_contest_on_a_wrong_indication(
    client, auth_headers, services, web_client, november, tmp_path
) -> None:
    from pactum.cli.main import app

    def cli(user: str, *args: str) -> Any:
        env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": user}
        return CliRunner().invoke(app, ["responsibility", *args], env=env)

    _, req = _indicated(client, auth_headers, services)
    body = tmp_path / "contest.json"
    body.write_text(
        json.dumps({"version": req["version"], "reasons": "Not ours.", "refusal_ground": "wrong_indication"})
    )
    r = cli("de-dublin", "act", req["id"], "contest", str(body))
    assert r.exit_code == 2 and r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) == 1
    assert "evidence" in r.stderr
    # the page: the evidence missing is said beside the field, what was typed kept
    web = web_client("de-dublin")
    data = {
        "action": "contest",
        "version": str(req["version"]),
        "reasons": "Not ours.",
        "refusal_ground": "wrong_indication",
    }
    r = web.post(f"/responsibility/requests/{req['id']}", data=data)
    assert r.status_code == 422, r.text
    form = r.text.split('id="refusal-ground-contest"')[1].split("</fieldset>")[0]
    assert 'value="wrong_indication" selected' in form
    assert 'name="evidence" maxlength="2000" value="" aria-invalid="true"' in form.replace("  ", " ")
    # the command line contests with the evidence; the page then says why
    body.write_text(
        json.dumps(
            {
                "version": req["version"],
                "reasons": "Not ours.",
                "refusal_ground": "wrong_indication",
                "evidence": EVIDENCE,
            }
        )
    )
    r = cli("de-dublin", "act", req["id"], "contest", str(body))
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["contest_ground"]["ground"] == "wrong_indication"
    page = web.get(f"/responsibility/requests/{req['id']}").text
    assert EVIDENCE in page.split('id="contest-ground"')[1].split("</dd>")[0]
