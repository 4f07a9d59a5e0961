"""Which alternative measures Art 57(4) converts once the pool's year is over, now that the coordinator assigns
them to the benefitting states that requested them.

Read in the Official Journal text (Italian version): Art 57(4), last sentence, "Qualora non siano richieste
dagli Stati membri beneficiari in un dato anno, tali misure sono convertite in contributi finanziari"; Art
65(1), "Contributi in forma di misure di solidarietà alternative si basano su una richiesta specifica dello
Stato membro beneficiario ... il loro valore concreto è stabilito congiuntamente ... dagli Stati membri
contributori e beneficiari interessati ed è comunicato al coordinatore UE della solidarietà prima
dell'attuazione di tali contributi". A benefitting state's need says the type and level of measures it needs
(Arts 58(2), 59(2)(b)); the specific request of a contributing state's measures is what the two states agree
and the coordinator records as an assignment (Arts 60(2), 65(1)).

Before: a request of any amount, by any benefitting state, kept every state's measures from conversion, and an
assignment changed nothing: with Italy requesting EUR 300,000 and EUR 200,000 of Germany's EUR 400,000 assigned
to it, the other EUR 200,000, which no benefitting state asked of Germany, stayed alternative measures after
31 December, to be carried out for no one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.bootstrap import Services
from pactum.solidarity.cycle import alternative_conversion
from tests.e2e.test_solidarity_alternative_conversion import (
    _after_the_year,
    _pool_in_implementation,
    _progress,
)

API = "/api/v1/solidarity"
URL = f"{API}/cycles/2027/measure-assignments"
ART_57_4 = "Regulation (EU) 2024/1351, Article 57(4)"
H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]


def _assign(client: TestClient, com: dict[str, str], eur: int, on: str = "2027-01-04") -> Any:
    return client.post(URL, headers=com, json={"contributor_member_state": "DE", "beneficiary_member_state": "IT",
                                               "eur": eur, "on": on})


def test_measures_not_assigned_to_a_requesting_state_are_converted_after_the_year(
    client: TestClient, auth_headers: H
) -> None:
    com = auth_headers("com-solidarity")
    # DE pledged EUR 400,000 of alternative measures; IT, under migratory pressure, requests EUR 300,000
    _pool_in_implementation(client, com, it_alternative_eur=300_000)
    assert _assign(client, com, 200_000).status_code == 201
    am = client.get(f"{API}/cycles/2027/overview", headers=com).json()["alternative_measures"]
    assert am["status"] == "requested" and am["converted"] == []
    assert am["assigned"] == [{"member_state": "DE", "eur": 200_000}] and am["assigned_eur"] == 200_000
    assert am["said"].startswith("Alternative solidarity measures are requested in 2027 by IT (EUR 300,000): "
                                 "EUR 200,000 of the EUR 400,000 of measures pledged are assigned")
    assert ("the measures pledged that are neither assigned to a state that requested them nor carried out by "
            "2027-12-31 (EUR 200,000 today) are converted into financial contributions") in am["said"]
    assert am["legal_basis"] == [ART_57_4, "Regulation (EU) 2024/1351, Article 65(1)"]

    _after_the_year(client)
    com = auth_headers("com-solidarity")
    ov = client.get(f"{API}/cycles/2027/overview", headers=com).json()
    am = ov["alternative_measures"]
    # before: status "requested", nothing converted
    assert am["status"] == "converted"
    assert am["converted"] == [{"member_state": "DE", "eur": 200_000}] and am["converted_eur"] == 200_000
    de = next(s for s in ov["accounts"]["states"] if s["member_state"] == "DE")
    assert de["alternative_converted_eur"] == 200_000
    page = client.get(f"{API}/cycles/2027/pledges/DE", headers=auth_headers("de-admin")).json()
    assert page["alternative_measures"]["converted_eur"] == 200_000
    assert page["alternative_measures"]["assigned_eur"] == 200_000
    # DE carries out the EUR 200,000 assigned to IT (Art 65(3): even after the year) and pays the rest
    de_headers = auth_headers("de-admin")
    assert _progress(client, de_headers, alternative_done_eur=200_000).status_code == 200
    r = _progress(client, de_headers, alternative_done_eur=200_001)
    assert r.status_code == 422
    (problem,) = r.json()["detail"]
    assert problem["loc"][-1] == "alternative_done_eur"
    assert problem["msg"] == (
        "EUR 200,001 is more than the alternative measures DE implements for 2027 (EUR 200,000): the EUR 200,000 "
        "of DE's measures neither assigned to a benefitting state that requested them nor carried out by "
        f"2027-12-31 were converted into financial contributions ({ART_57_4}); record them as paid_eur"
    )
    assert _progress(client, de_headers, paid_eur=1_200_000).status_code == 200


def test_measures_carried_out_are_kept_and_everything_assigned_converts_nothing(
    client: TestClient, auth_headers: H
) -> None:
    com = auth_headers("com-solidarity")
    _pool_in_implementation(client, com, it_alternative_eur=400_000)
    assert _assign(client, com, 400_000).status_code == 201
    _after_the_year(client)
    am = client.get(f"{API}/cycles/2027/overview", headers=auth_headers("com-solidarity")).json()[
        "alternative_measures"]
    assert am["status"] == "requested" and am["converted"] == []
    assert "every measure pledged is assigned or carried out: none is converted" in am["said"]


def test_an_assignment_after_the_pools_year_is_refused_naming_its_date(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    _pool_in_implementation(client, com, it_alternative_eur=300_000)
    _after_the_year(client)
    com = auth_headers("com-solidarity")
    r = _assign(client, com, 100_000, on="2028-01-02")
    assert r.status_code == 422 and [d["loc"][-1] for d in r.json()["detail"]] == ["on"]
    assert "is after 2027-12-31, the end of the 2027 pool's year" in r.text and "Article 57(4)" in r.text
    # dated within the year (the value was communicated to the coordinator then), it still counts
    assert _assign(client, com, 100_000, on="2027-12-30").status_code == 201
    am = client.get(f"{API}/cycles/2027/overview", headers=com).json()["alternative_measures"]
    assert am["converted"] == [{"member_state": "DE", "eur": 300_000}]


def test_the_pool_page_and_the_command_line_say_the_conversion(
    client: TestClient, auth_headers: H, web_client: W, services: Services, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    com = auth_headers("com-solidarity")
    _pool_in_implementation(client, com, it_alternative_eur=300_000)
    assert _assign(client, com, 250_000).status_code == 201
    _after_the_year(client)
    html = web_client("com-solidarity").get("/solidarity?year=2027").text
    assert "Converted: DE EUR 150,000." in html
    html = web_client("de-admin").get("/solidarity/pledge?year=2027").text
    assert "Converted into financial contributions: EUR 150,000</strong> of DE's alternative measures" in html
    com = auth_headers("com-solidarity")
    version = client.get(f"{API}/cycles/2027", headers=com).json()["version"]
    assert client.post(f"{API}/cycles/2027/actions/close", headers=com,
                       json={"version": version, "on": "2028-01-03"}).status_code == 200
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "com-solidarity")
    r = CliRunner().invoke(app, ["solidarity", "overview", "2027", "--format", "csv"])
    assert r.exit_code == 0, r.output
    rows = {row["member_state"]: row for row in csv.DictReader(io.StringIO(r.output))}
    assert rows["DE"]["alternative_converted_eur"] == "150000"


def test_the_rule_with_assignments() -> None:
    measures = {"DE": (400_000, 100_000), "FR": (50_000, 0)}
    kw: dict[str, Any] = {"requested": {"IT": 300_000}, "measures": measures}
    # during the year nothing is converted
    during = alternative_conversion(2027, **kw, assigned={"DE": 250_000}, today=date(2027, 12, 31))
    assert during["status"] == "requested" and during["converted"] == []
    # after it: DE keeps the larger of what was assigned and what was carried out; FR, not assigned, converts
    after = alternative_conversion(2027, **kw, assigned={"DE": 250_000}, today=date(2028, 1, 1))
    assert after["converted"] == [{"member_state": "DE", "eur": 150_000}, {"member_state": "FR", "eur": 50_000}]
    carried = alternative_conversion(2027, **kw, assigned={"DE": 50_000}, today=date(2028, 1, 1))
    assert carried["converted"][0] == {"member_state": "DE", "eur": 300_000}
    # with no request at all, as before: every measure not carried out
    none = alternative_conversion(2027, requested={}, measures=measures, today=date(2028, 1, 1))
    assert none["converted"] == [{"member_state": "DE", "eur": 300_000}, {"member_state": "FR", "eur": 50_000}]
