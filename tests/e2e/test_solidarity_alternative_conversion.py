"""Alternative solidarity measures no benefitting state requests in the pool's year are converted into
financial contributions (AMMR Art 57(4), last sentence, read in the Official Journal text, Italian version:
"Qualora non siano richieste dagli Stati membri beneficiari in un dato anno, tali misure sono convertite in
contributi finanziari").

Before: a benefitting state's need could not say that it requested alternative measures (``alternative_eur``
was refused as an unknown field), and a contributing state whose alternative measures nobody requested
could record neither their conversion nor the payment of the money they became (``paid_eur`` above its
pledged financial contribution was a 422): the pool's accounts kept measures that no one would receive."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.bootstrap import Services
from pactum.solidarity.cycle import alternative_conversion
from tests.e2e.test_solidarity_web_actions import into_2027, new_cycle, send

API = "/api/v1/solidarity"
ART_57_4 = "Regulation (EU) 2024/1351, Article 57(4)"
W = Callable[[str], TestClient]
H = Callable[[str], dict[str, str]]
runner = CliRunner()


def _pool_in_implementation(
    client: TestClient, com: dict[str, str], *, it_alternative_eur: int | None = None
) -> None:
    """The 2027 pool: IT under migratory pressure needs 100 relocations (and, if given, alternative measures);
    DE pledges EUR 1,000,000 and EUR 400,000 of alternative measures; implementation from 4 January 2027."""
    new_cycle(client, com, status="pledging", IT="under_pressure")
    assert (
        client.post(
            f"{API}/cycles/2027/pledges",
            headers=com,
            json={
                "member_state": "DE",
                "financial_eur": 1_000_000,
                "alternative_eur": 400_000,
                "alternative_description": "two asylum caseworkers seconded for a year",
            },
        ).status_code
        == 200
    )
    need: dict[str, Any] = {"member_state": "IT", "relocations": 100}
    if it_alternative_eur is not None:
        need["alternative_eur"] = it_alternative_eur
    r = client.post(f"{API}/cycles/2027/needs", headers=com, json=need)
    assert r.status_code == 200, r.text
    version = client.get(f"{API}/cycles/2027", headers=com).json()["version"]
    assert (
        client.post(
            f"{API}/cycles/2027/actions/adopt",
            headers=com,
            json={"version": version, "on": "2026-11-01", "council_act_reference": "CID 2026/1"},
        ).status_code
        == 200
    )
    into_2027(client)
    version = client.get(f"{API}/cycles/2027", headers=com).json()["version"]
    assert (
        client.post(
            f"{API}/cycles/2027/actions/start_implementation",
            headers=com,
            json={"version": version, "on": "2027-01-04"},
        ).status_code
        == 200
    )


def _after_the_year(client: TestClient) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    services.clock.set(datetime(2028, 1, 3, 12, tzinfo=UTC))


def _progress(client: TestClient, headers: dict[str, str], **values: int) -> Any:
    version = client.get(f"{API}/cycles/2027/pledges/DE", headers=headers).json()["pledge"]["version"]
    return client.post(
        f"{API}/cycles/2027/pledges/DE/progress", headers=headers, json={"version": version, **values}
    )


def test_measures_no_benefitting_state_requested_are_converted_once_the_year_is_over(
    client: TestClient, auth_headers: H
) -> None:
    com = auth_headers("com-solidarity")
    _pool_in_implementation(client, com)
    # during the year: not requested so far, converted unless a benefitting state asks by 31 December
    am = client.get(f"{API}/cycles/2027/overview", headers=com).json()["alternative_measures"]
    assert am["status"] == "pending" and am["converted"] == [] and am["legal_basis"] == [ART_57_4]
    assert "unless one does by 2027-12-31" in am["said"]
    assert _progress(client, com, alternative_done_eur=100_000).status_code == 200
    _after_the_year(client)
    com = auth_headers("com-solidarity")
    ov = client.get(f"{API}/cycles/2027/overview", headers=com).json()
    am = ov["alternative_measures"]
    # the EUR 300,000 not carried out become financial contributions; the EUR 100,000 carried out stay
    assert am["status"] == "converted"
    assert am["converted"] == [{"member_state": "DE", "eur": 300_000}] and am["converted_eur"] == 300_000
    assert am["said"] == (
        "No benefitting state requested alternative solidarity measures in 2027: the measures "
        "pledged and not carried out (EUR 300,000) are converted into financial contributions "
        f"({ART_57_4})."
    )
    de = next(s for s in ov["accounts"]["states"] if s["member_state"] == "DE")
    assert de["alternative_converted_eur"] == 300_000 and de["pledged_alternative_eur"] == 400_000
    page = client.get(f"{API}/cycles/2027/pledges/DE", headers=auth_headers("de-admin")).json()
    assert page["alternative_measures"]["converted_eur"] == 300_000
    # the beneficiary's page counts the converted money among the pool's financial contributions
    it = client.get(f"{API}/cycles/2027/pledges/IT", headers=auth_headers("it-admin")).json()
    assert it["receives"]["financial"]["pool_pledged_eur"] == 1_300_000
    # DE pays the money its measures became (before: more than its pledged EUR 1,000,000 was a 422) ...
    de_headers = auth_headers("de-admin")
    r = _progress(client, de_headers, paid_eur=1_300_000)
    assert r.status_code == 200, r.text
    r = _progress(client, de_headers, paid_eur=1_300_001)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][-1] == "paid_eur"
    assert (
        "with EUR 300,000 of alternative measures converted into financial contributions"
        in r.json()["detail"][0]["msg"]
    )
    # ... and carries out no more of the measures converted
    r = _progress(client, de_headers, alternative_done_eur=150_000)
    assert r.status_code == 422
    (problem,) = r.json()["detail"]
    assert problem["loc"][-1] == "alternative_done_eur"
    assert problem["msg"] == (
        "EUR 150,000 is more than the alternative measures DE implements for 2027 (EUR 100,000): no benefitting "
        "state requested alternative measures in 2027, so the EUR 300,000 not carried out were converted into "
        f"financial contributions ({ART_57_4}); record them as paid_eur"
    )


def test_measures_a_benefitting_state_requested_are_carried_out_not_converted(
    client: TestClient, auth_headers: H
) -> None:
    """The measures assigned to the state that requested them are carried out; since 2 December 2026 those no
    benefitting state requested of the contributing state (none assigned) are converted even where another
    request was recorded (``tests/e2e/test_solidarity_assigned_measures_conversion.py``)."""
    com = auth_headers("com-solidarity")
    # before: "alternative_eur" in a need was a 422 (an unknown field)
    _pool_in_implementation(client, com, it_alternative_eur=50_000)
    it = client.get(f"{API}/cycles/2027/pledges/IT", headers=auth_headers("it-admin")).json()
    assert it["receives"]["need"]["alternative_eur"] == 50_000
    assert client.post(f"{API}/cycles/2027/measure-assignments", headers=com, json={
        "contributor_member_state": "DE", "beneficiary_member_state": "IT", "eur": 50_000}).status_code == 201
    _after_the_year(client)
    com = auth_headers("com-solidarity")
    ov = client.get(f"{API}/cycles/2027/overview", headers=com).json()
    assert ov["needs"][0]["alternative_eur"] == 50_000
    am = ov["alternative_measures"]
    assert am["requested"] == [{"member_state": "IT", "eur": 50_000}]
    assert am["converted"] == [{"member_state": "DE", "eur": 350_000}]
    assert _progress(client, com, alternative_done_eur=50_000).status_code == 200
    r = _progress(client, com, paid_eur=1_350_001)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "paid_eur"


def test_a_need_of_alternative_measures_is_checked_as_the_other_figures(
    client: TestClient, auth_headers: H
) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", IT="under_pressure")
    r = client.post(
        f"{API}/cycles/2027/needs", headers=com, json={"member_state": "IT", "alternative_eur": -1}
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "alternative_eur"
    r = client.post(
        f"{API}/cycles/2027/needs", headers=com, json={"member_state": "IT", "alternative_eur": 600_000_001}
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "alternative_eur"
    assert "a single state's need cannot exceed the whole pool" in r.json()["detail"][0]["msg"]
    # a need of alternative measures only names the need; the other figures it leaves out are kept
    assert (
        client.post(
            f"{API}/cycles/2027/needs", headers=com, json={"member_state": "IT", "relocations": 40}
        ).status_code
        == 200
    )
    r = client.post(
        f"{API}/cycles/2027/needs", headers=com, json={"member_state": "IT", "alternative_eur": 75_000}
    )
    assert r.status_code == 200 and (r.json()["relocations"], r.json()["alternative_eur"]) == (40, 75_000)


def test_the_pages_ask_and_say_it(client: TestClient, auth_headers: H, web_client: W) -> None:
    com = auth_headers("com-solidarity")
    _pool_in_implementation(client, com)
    it = web_client("it-admin")
    html = it.get("/solidarity/pledge?year=2027").text
    assert 'name="alternative_eur"' in html and "Alternative solidarity measures requested (EUR)" in html
    status, where = send(it, html, "need-form", relocations="100", financial_eur="0", alternative_eur="-5")
    assert (
        status == 422
        and 'name="alternative_eur" type="number" min="0" value="-5" aria-invalid="true"' in where
    )
    status, where = send(it, html, "need-form", relocations="100", financial_eur="0", alternative_eur="25000")
    assert status == 303, where
    assert "and alternative solidarity measures of EUR 25,000" in it.get(where).text
    html = web_client("com-solidarity").get("/solidarity?year=2027").text
    assert "alternative measures of EUR 25,000" in html
    assert "Alternative solidarity measures are requested in 2027 by IT (EUR 25,000)" in html
    # without the request, after the year: the pool page and DE's page say what was converted
    assert (
        client.post(
            f"{API}/cycles/2027/needs",
            headers=auth_headers("com-solidarity"),
            json={"member_state": "IT", "alternative_eur": 0},
        ).status_code
        == 200
    )
    _after_the_year(client)
    html = web_client("com-solidarity").get("/solidarity?year=2027").text
    assert 'id="converted-DE"' in html and "(EUR 400,000 converted into financial contributions)" in html
    assert "Converted: DE EUR 400,000." in html
    html = web_client("de-admin").get("/solidarity/pledge?year=2027").text
    assert "Converted into financial contributions: EUR 400,000</strong> of DE's alternative measures" in html


@pytest.fixture
def env(services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "com-solidarity")
    return tmp_path


def test_the_command_line_records_the_request_and_exports_the_conversion(
    client: TestClient, auth_headers: H, env: Path
) -> None:
    com = auth_headers("com-solidarity")
    _pool_in_implementation(client, com)
    f = env / "need.json"
    f.write_text(json.dumps({"member_state": "IT", "alternative_eur": -3}))
    r = runner.invoke(app, ["solidarity", "need", "2027", str(f)])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1 and "alternative_eur" in r.output
    # the Commission closes the cycle once the year is over: the command line (on today's clock) reads it
    _after_the_year(client)
    com = auth_headers("com-solidarity")
    version = client.get(f"{API}/cycles/2027", headers=com).json()["version"]
    assert (
        client.post(
            f"{API}/cycles/2027/actions/close", headers=com, json={"version": version, "on": "2028-01-03"}
        ).status_code
        == 200
    )
    r = runner.invoke(app, ["solidarity", "overview", "2027", "--format", "csv"])
    assert r.exit_code == 0, r.output
    rows = {row["member_state"]: row for row in csv.DictReader(io.StringIO(r.output))}
    assert (
        rows["DE"]["alternative_converted_eur"] == "400000"
        and rows["total"]["alternative_converted_eur"] == "400000"
    )
    assert rows["IT"]["need_alternative_eur"] == "0"


def test_the_rule_by_itself() -> None:
    """Which status on which day: none pledged, requested, pending in the year, converted after it."""
    measures = {"DE": (400_000, 100_000), "FR": (50_000, 50_000)}
    kw: dict[str, Any] = {"requested": {}, "measures": measures}
    assert alternative_conversion(2027, requested={}, measures={}, today=date(2028, 2, 1))["status"] == "none"
    assert alternative_conversion(2027, **kw, today=date(2027, 12, 31))["status"] == "pending"
    done = alternative_conversion(2027, **kw, today=date(2028, 1, 1))
    assert done["status"] == "converted" and done["converted"] == [{"member_state": "DE", "eur": 300_000}]
    assert alternative_conversion(2027, **kw, today=date(2027, 6, 1), closed=True)["status"] == "converted"
    asked = alternative_conversion(
        2027, requested={"IT": 1, "EL": 0}, measures=measures, today=date(2027, 12, 31)
    )
    assert asked["status"] == "requested" and asked["requested"] == [{"member_state": "IT", "eur": 1}]
    # after the year, a request keeps only the measures assigned to the state that made it (or carried out)
    kept = alternative_conversion(
        2027, requested={"IT": 1}, measures=measures, today=date(2028, 1, 1), assigned={"DE": 1}
    )
    assert kept["status"] == "converted" and kept["converted"] == [{"member_state": "DE", "eur": 300_000}]
