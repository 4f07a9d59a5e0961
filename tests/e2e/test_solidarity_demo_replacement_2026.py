"""The demo world's 2026 pool shows a benefitting state's request for alternative solidarity measures (AMMR
Arts 58(2), 65(1)) and a contributing state's pledged money replaced in part by alternative measures under the
Council's act on its deduction request (Arts 62(2)(b), 62(5)): on the old code the demo had neither, so the pool
page, the overview and its CSV never showed them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient

from pactum.services import solidarity
from pactum.services.auth import SYSTEM
from pactum.services.bootstrap import Services

W = Callable[[str], TestClient]
H = Callable[[str], dict[str, str]]


@pytest.fixture
def world(demo_world: Callable[..., Services]) -> Services:
    return demo_world(scale="XS", only=["solidarity"], end=date(2026, 11, 28))


def test_italy_requests_alternative_measures_and_a_replacement_of_money_is_granted_in_part(
    world: Services, client: TestClient, auth_headers: H, web_client: W
) -> None:
    ov = solidarity.pool_overview(world, SYSTEM, 2026)
    needs = {n["member_state"]: n for n in ov["needs"]}
    assert needs["IT"]["alternative_eur"] == 3_000_000
    # Art 57(4): alternative measures are requested, so none is converted into money
    assert ov["alternative_measures"]["converted_eur"] == 0

    ded = [
        d
        for ms in ("EE", "BG")
        for d in solidarity.deduction_requests(world, SYSTEM, 2026, ms)
        if d["replacement"]
    ]
    assert len(ded) == 1
    d = ded[0]
    ms, r = d["member_state"], d["replacement"]
    assert ms in ("EE", "BG") and d["status"] == "granted" and d["relocations"] == 0
    assert r["of"] == "financial" and r["by"] == "alternative"
    assert 0 < r["granted_amount_eur"] < r["amount_eur"]  # granted in part by the Council (Art 62(5))
    assert d["requested_on"] == date(2026, 7, 6) and d["decided_on"] == date(2026, 9, 21)

    row = next(s for s in ov["accounts"]["states"] if s["member_state"] == ms)
    rep = row["replacement"]
    assert rep["replaced_financial_eur"] == r["granted_amount_eur"]
    assert rep["alternative_eur"] == r["granted_amount_eur"]  # of equal value (Art 56(2))
    assert rep["financial_eur_after"] == row["pledged_financial_eur"] - r["granted_amount_eur"]
    totals = ov["accounts"]["totals"]
    assert (
        totals["replaced_financial_eur"] == totals["replacement_alternative_eur"] == r["granted_amount_eur"]
    )
    assert totals["replaced_relocations"] == totals["replacement_relocations"] == 0

    text = client.get(
        "/api/v1/solidarity/cycles/2026/overview.csv", headers=auth_headers("com-solidarity")
    ).text
    rows = {x["member_state"]: x for x in csv.DictReader(io.StringIO(text))}
    assert int(rows[ms]["replaced_financial_eur"]) == r["granted_amount_eur"]
    assert int(rows[ms]["replacement_alternative_eur"]) == r["granted_amount_eur"]
    assert int(rows["IT"]["need_alternative_eur"]) == 3_000_000

    html = web_client("com-solidarity").get("/solidarity?year=2026").text
    assert f'id="replaced-financial-{ms}"' in html
    assert f"(EUR {r['granted_amount_eur']:,} replaced)" in html
    assert "alternative measures of EUR 3,000,000" in html
    assert 'id="replaced-said"' in html
