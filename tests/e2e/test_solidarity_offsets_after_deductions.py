"""AMMR Art 63(4), read in the Official Journal text (Italian version): paragraph 3 "si applica anche
quando gli impegni da attuare durante un determinato anno sono inferiori al più elevato tra i due numeri
di cui alle lettere a) o b) di tale paragrafo a seguito delle riduzioni totali o parziali concesse a norma
dell'articolo 61 o 62". Until 1 December 2026 a deduction the Council granted was not counted: with
30,016 relocations pledged and 100 of Sweden's deducted, the 29,916 to be implemented are below the
30,000 of Art 12(2)(a), yet offsets stayed voluntary and no contributing state owed a take-over."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

try:
    from .test_solidarity_deduction_own_assessment import PRESSURE
    from .test_solidarity_offsets import API, VOLUNTARY, _adopted_pool
except ImportError:  # tests/e2e is not a package
    from test_solidarity_deduction_own_assessment import PRESSURE  # type: ignore[no-redef]
    from test_solidarity_offsets import API, VOLUNTARY, _adopted_pool  # type: ignore[no-redef]

H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]
AMMR = "Regulation (EU) 2024/1351"


def _grant_deduction(client: TestClient, auth_headers: H, ms: str, relocations: int) -> None:
    """``ms`` asks on its own assessment (Art 61(2)), the Commission finds it justified (61(3)) and the
    Council grants it (61(4))."""
    com = auth_headers("com-solidarity")
    r = client.post(f"{API}/cycles/2026/deductions", headers=auth_headers(f"{ms.lower()}-admin"), json={
        "relocations": relocations, "on": "2026-11-20", "grounds": "article_61", "substantiation": PRESSURE})
    assert r.status_code == 201, r.text
    d = r.json()
    a = client.post(f"{API}/deductions/{d['id']}/assessment", headers=com,
                    json={"version": d["version"], "justified": True, "on": "2026-11-24"})
    assert a.status_code == 200, a.text
    g = client.post(f"{API}/deductions/{d['id']}/decision", headers=com, json={
        "version": a.json()["version"], "granted": True, "on": "2026-11-26", "council_act_reference": "CID (EU) 2026/77"})
    assert g.status_code == 200 and g.json()["status"] == "granted", g.text


def test_a_granted_deduction_that_brings_the_relocations_below_30000_makes_offsets_mandatory(
        client: TestClient, auth_headers: H, web_client: W) -> None:
    _adopted_pool(client, auth_headers, VOLUNTARY)
    com = auth_headers("com-solidarity")
    before = client.get(f"{API}/cycles/2026/offsets", headers=com).json()["regime"]
    assert (before["relocation_pledges"], before["relocations_to_implement"], before["mandatory"]) == (30_016, 30_016, False)

    _grant_deduction(client, auth_headers, "SE", 100)
    reg = client.get(f"{API}/cycles/2026/offsets", headers=com).json()["regime"]
    # the pledges of the Council's act are unchanged; those to be implemented are 100 fewer
    assert (reg["relocation_pledges"], reg["relocations_to_implement"]) == (30_016, 29_916)
    assert reg["requests_open"] is True  # Art 63(1) measures the pledges of the Council's act
    assert reg["mandatory"] is True and reg["mandatory_basis"] == [f"{AMMR}, Article 63(4)"]
    # up to the higher of the two numbers, 30,000, less the 29,916 to be implemented
    assert (reg["mandatory_up_to"], reg["mandatory_total"]) == (30_000, 84)
    step = next(s for s in reg["trace"] if s["rule"] == "offsets_mandatory_after_deductions")
    assert step["legal_basis"] == [f"{AMMR}, Article 63(4)"]
    assert step["facts"]["deducted_relocations"] == 100
    assert "29,916 are to be implemented, below the higher of the two numbers of Article 63(3) (30,000)" in step["outcome"]
    # Austria, which pledged money only, now owes take-overs at a benefitting state's request
    view = client.get(f"{API}/cycles/2026/offsets", headers=com).json()
    at = next(c for c in view["contributors"] if c["member_state"] == "AT")
    assert at["mandatory_obligation"] > 0 and at["limit"] == at["mandatory_obligation"]
    assert sum(c["mandatory_obligation"] for c in view["contributors"]) >= 84
    html = web_client("com-solidarity").get("/solidarity?year=2026").text
    said = html.split('id="offsets-mandatory-total">', 1)[1].split("</p>", 1)[0]
    assert "at most <strong>84</strong> applications" in said
    assert "29,916 relocations to be implemented once the deductions granted are taken off the 30,016 pledged" in said


def test_a_deduction_that_leaves_the_relocations_at_or_above_the_higher_number_changes_nothing(
        client: TestClient, auth_headers: H) -> None:
    # 30,016 pledged; 16 deducted leaves exactly 30,000: not below the number of Art 12(2)(a)
    _adopted_pool(client, auth_headers, VOLUNTARY)
    _grant_deduction(client, auth_headers, "SE", 16)
    reg = client.get(f"{API}/cycles/2026/offsets", headers=auth_headers("com-solidarity")).json()["regime"]
    assert (reg["relocations_to_implement"], reg["mandatory"], reg["mandatory_basis"]) == (30_000, False, [])
    step = next(s for s in reg["trace"] if s["rule"] == "offsets_mandatory_after_deductions")
    assert "not below the higher of the two numbers" in step["outcome"]
