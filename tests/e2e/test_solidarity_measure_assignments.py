"""Pledged measures not matched to a particular beneficiary: the Commission's coordinator assigns a
contributing state's alternative solidarity measures to a benefitting state that requested them.

AMMR, read in the Official Journal text (Italian version): alternative measures "si basano su una
richiesta specifica dello Stato membro beneficiario" and their value "è stabilito congiuntamente ... dagli
Stati membri contributori e beneficiari interessati ed è comunicato al coordinatore UE della solidarietà
prima dell'attuazione" (Art 65(1)); the coordinator "coordina la messa in opera dei contributi di
solidarietà per garantire una distribuzione equilibrata ... tra gli Stati membri beneficiari" (Art 60(2)).
Financial contributions are not assigned: they are "trasferimenti di importi ... al bilancio dell'Unione"
(Art 64(1)) for actions the benefitting states identify (Art 64(2)); relocations are split by the pool's
distribution. Before, a pledge's alternative measures were counted against the requests of all benefitting
states together and never matched to one of them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.bootstrap import Services
from tests.e2e.test_solidarity_alternative_conversion import _pool_in_implementation

API = "/api/v1/solidarity"
URL = f"{API}/cycles/2027/measure-assignments"
H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]


def _fields(r) -> set[str]:
    return {str(d["loc"][-1]) for d in r.json()["detail"]}


def test_the_coordinator_assigns_germanys_measures_to_italy_which_requested_them(
    client: TestClient, auth_headers: H
) -> None:
    com = auth_headers("com-solidarity")
    # DE pledged EUR 400,000 of alternative measures; IT (under migratory pressure) requested EUR 300,000
    _pool_in_implementation(client, com, it_alternative_eur=300_000)
    before = client.get(URL, headers=com).json()
    assert before["assignments"] == []
    assert before["contributors"] == [
        {"member_state": "DE", "pledged_eur": 400_000, "replaced_eur": 0, "by_replacement_eur": 0,
         "to_implement_eur": 400_000, "assigned_eur": 0, "unassigned_eur": 400_000, "replacement_of": [],
         "replacement_legal_basis": []}
    ]
    assert before["beneficiaries"] == [
        {"member_state": "IT", "requested_eur": 300_000, "assigned_eur": 0, "unassigned_eur": 300_000}
    ]

    r = client.post(
        URL,
        headers=com,
        json={
            "contributor_member_state": "DE",
            "beneficiary_member_state": "IT",
            "eur": 200_000,
            "on": "2027-01-04",
        },
    )
    assert r.status_code == 201, r.text
    a = r.json()
    assert (a["contributor_member_state"], a["beneficiary_member_state"], a["measure_type"], a["eur"]) == (
        "DE",
        "IT",
        "alternative",
        200_000,
    )
    assert a["assigned_on"] == "2027-01-04"
    assert a["legal_basis"] == [
        "Regulation (EU) 2024/1351, Article 65(1)",
        "Regulation (EU) 2024/1351, Article 60(2)",
    ]
    after = client.get(URL, headers=com).json()
    assert after["contributors"][0]["unassigned_eur"] == 200_000
    assert after["beneficiaries"][0] == {
        "member_state": "IT",
        "requested_eur": 300_000,
        "assigned_eur": 200_000,
        "unassigned_eur": 100_000,
    }
    # Italy's and Germany's users read the assignment their state is party to
    it = client.get(URL, headers=auth_headers("it-admin")).json()
    assert [x["id"] for x in it["assignments"]] == [a["id"]]

    # more than Italy still requests: the field and the figures
    more = client.post(
        URL,
        headers=com,
        json={"contributor_member_state": "DE", "beneficiary_member_state": "IT", "eur": 150_000},
    )
    assert more.status_code == 422 and _fields(more) == {"eur"}
    assert (
        "at most EUR 100,000: IT requested EUR 300,000 of alternative measures, of which EUR 200,000"
        in more.text
    )
    # the default day is today in Brussels (the clock is at 12:00 UTC on 4 January 2027)
    rest = client.post(
        URL,
        headers=com,
        json={"contributor_member_state": "DE", "beneficiary_member_state": "IT", "eur": 100_000},
    )
    assert rest.status_code == 201 and rest.json()["assigned_on"] == "2027-01-04"


def test_what_does_not_lie_is_refused_naming_the_field(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    _pool_in_implementation(client, com, it_alternative_eur=300_000)

    def post(**body) -> object:
        return client.post(
            URL,
            headers=com,
            json={"contributor_member_state": "DE", "beneficiary_member_state": "IT", "eur": 100_000, **body},
        )

    financial = post(measure_type="financial")
    assert financial.status_code == 422 and _fields(financial) == {"measure_type"}
    assert "Article 64(1)" in financial.text and "Union budget" in financial.text
    relocations = post(measure_type="relocations", eur=None)
    assert relocations.status_code == 422 and _fields(relocations) == {"measure_type"}
    assert "distribution" in relocations.text and "Article 60(2)" in relocations.text
    unknown = post(measure_type="money")
    assert unknown.status_code == 422 and _fields(unknown) == {"measure_type"}
    # FR is no benefitting state; AT pledged no alternative measures
    not_benefitting = post(beneficiary_member_state="FR")
    assert not_benefitting.status_code == 422 and _fields(not_benefitting) == {"beneficiary_member_state"}
    assert "FR is not a benefitting state of the 2027 pool" in not_benefitting.text
    no_measures = post(contributor_member_state="AT")
    assert no_measures.status_code == 422 and _fields(no_measures) == {"contributor_member_state"}
    assert "AT pledged no alternative solidarity measures for 2027" in no_measures.text
    # Italy's own pledge is not implemented while it benefits
    own = post(contributor_member_state="IT", beneficiary_member_state="IT")
    assert own.status_code == 422 and "beneficiary_member_state" in _fields(own)
    beyond = post(eur=500_000)
    assert beyond.status_code == 422 and _fields(beyond) == {"eur"}
    assert "at most EUR 400,000: DE pledged EUR 400,000" in beyond.text
    nothing = post(eur=0)
    assert nothing.status_code == 422 and _fields(nothing) == {"eur"}
    future = post(on="2027-01-05")
    assert future.status_code == 422 and _fields(future) == {"on"} and "2027-01-04 in Brussels" in future.text
    bad_code = post(beneficiary_member_state="XX")
    assert bad_code.status_code == 422 and _fields(bad_code) == {"beneficiary_member_state"}
    # a state's user does not assign: the coordinator does
    assert (
        client.post(
            URL,
            headers=auth_headers("it-admin"),
            json={"contributor_member_state": "DE", "beneficiary_member_state": "IT", "eur": 1},
        ).status_code
        == 403
    )
    assert client.get(URL, headers=com).json()["assignments"] == []


def test_a_state_that_requested_nothing_receives_no_measures(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    _pool_in_implementation(client, com)  # IT requests no alternative measures
    r = client.post(
        URL,
        headers=com,
        json={"contributor_member_state": "DE", "beneficiary_member_state": "IT", "eur": 100_000},
    )
    assert r.status_code == 422 and _fields(r) == {"beneficiary_member_state"}
    assert "IT requested no alternative solidarity measures for 2027" in r.text and "Article 65(1)" in r.text


@pytest.fixture
def cli_env(services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "com-solidarity")
    return tmp_path


def test_the_command_line_assigns_and_refuses_in_one_line(
    client: TestClient, auth_headers: H, cli_env: Path
) -> None:
    _pool_in_implementation(client, auth_headers("com-solidarity"), it_alternative_eur=300_000)
    runner = CliRunner()
    bad = cli_env / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "contributor_member_state": "DE",
                "beneficiary_member_state": "IT",
                "measure_type": "financial",
                "eur": 100_000,
            }
        )
    )
    r = runner.invoke(app, ["solidarity", "measure-assign", "2027", str(bad)])
    assert r.exit_code == 2 and "measure_type" in r.output and len(r.output.strip().splitlines()) == 1
    good = cli_env / "good.json"
    good.write_text(
        json.dumps(
            {
                "contributor_member_state": "DE",
                "beneficiary_member_state": "IT",
                "eur": 50_000,
                "on": "2026-11-20",
            }
        )
    )  # the command line's own clock
    r = runner.invoke(app, ["solidarity", "measure-assign", "2027", str(good)])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["eur"] == 50_000
    r = runner.invoke(app, ["solidarity", "measure-assignments", "2027"])
    assert r.exit_code == 0 and json.loads(r.output)["beneficiaries"][0]["assigned_eur"] == 50_000


def test_the_pool_page_assigns_and_says_what_was_refused(
    client: TestClient, auth_headers: H, web_client: W
) -> None:
    _pool_in_implementation(client, auth_headers("com-solidarity"), it_alternative_eur=300_000)
    web = web_client("com-solidarity")
    page = unescape(web.get("/solidarity?year=2027").text)
    section = page.split('id="measure-assignments"', 1)[1].split("</section>", 1)[0]
    assert "Alternative measures assigned to benefitting states" in section
    assert 'id="measure-assignment-form"' in section and "Article 65(1)" in section
    row = re.search(r"<tr[^>]*><td>DE</td>(.*?)</tr>", section)[1]  # type: ignore[index]
    assert "400,000" in row

    refused = web.post(
        "/solidarity/measure-assignment",
        data={
            "year": "2027",
            "measure_type": "alternative",
            "contributor_member_state": "DE",
            "beneficiary_member_state": "FR",
            "eur": "100000",
            "on": "2027-01-04",
        },
        follow_redirects=False,
    )
    assert refused.status_code == 422
    said = unescape(refused.text).split('id="assignment-errors"', 1)[1].split("</div>", 1)[0]
    assert "Benefitting state" in said and "FR is not a benefitting state of the 2027 pool" in said
    assert 'value="FR"' in refused.text  # what was typed is kept
    field = re.search(r'<input name="beneficiary_member_state"[^>]*>', refused.text)[0]  # type: ignore[index]
    assert 'aria-invalid="true"' in field

    done = web.post(
        "/solidarity/measure-assignment",
        data={
            "year": "2027",
            "measure_type": "alternative",
            "contributor_member_state": "DE",
            "beneficiary_member_state": "IT",
            "eur": "250000",
            "on": "2027-01-04",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    after = unescape(web.get(done.headers["location"]).text)
    assert "EUR 250,000 of DE's alternative measures are assigned to IT" in after
    assigned = after.split('id="measures-assigned"', 1)[1].split("</table>", 1)[0]
    assert "<td>DE</td><td>IT</td>" in assigned and "250,000" in assigned


def test_the_day_is_brusselss_day(client: TestClient, auth_headers: H, web_client: W) -> None:
    """At 23:30 UTC on 3 January 2027 it is already 4 January in Brussels: the coordinator's assignment dated
    4 January is not in the future, and the pool page's form proposes that day."""
    from datetime import UTC, datetime

    com = auth_headers("com-solidarity")
    _pool_in_implementation(client, com, it_alternative_eur=300_000)
    client.app.state.services.clock.set(datetime(2027, 1, 3, 23, 30, tzinfo=UTC))  # type: ignore[attr-defined]
    r = client.post(
        URL,
        headers=com,
        json={"contributor_member_state": "DE", "beneficiary_member_state": "IT", "eur": 1_000},
    )
    assert r.status_code == 201, r.text
    assert r.json()["assigned_on"] == "2027-01-04"
    page = web_client("com-solidarity").get("/solidarity?year=2027").text
    form = page.split('id="measure-assignment-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="on" type="date" value="2027-01-04"' in form
