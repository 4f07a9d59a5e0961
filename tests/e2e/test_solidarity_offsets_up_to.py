"""The measure of the mandatory offsets, AMMR Art 63(3) (read in the Official Journal text, Italian
version): contributing states take responsibility "fino al più elevato tra i due numeri di cui alle
lettere a) e b)", the higher of the number of Art 12(2)(a) (30,000) and 60% of the reference number.
Our reading: with the relocations pledged, the mandatory take-overs of all contributing states reach at
most that number; each state still at most the part of its fair share not pledged as relocations (Art
63(7)). Until 1 December 2026 each state's obligation was its own gap only: with 29,998 relocations
pledged, two short of the 30,000 of Art 12(2)(a), Austria alone had to take over some 500 applications."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from tests.problem_paths import problem_fields as _locs

try:
    from .test_solidarity_offsets import API, VOLUNTARY, _adopted_pool, _case
except ImportError:  # tests/e2e is not a package
    from test_solidarity_offsets import API, VOLUNTARY, _adopted_pool, _case  # type: ignore[no-redef]

H = Callable[[str], dict[str, str]]
P = Callable[[str], Principal]

#: 29,998 relocations pledged: below the 30,000 of Art 12(2)(a) (point (a)), not below 60% of 21,000
TWO_SHORT = {**VOLUNTARY, "SE": VOLUNTARY["SE"] - 18}


def test_mandatory_take_overs_reach_at_most_the_higher_of_the_two_numbers(
        client: TestClient, auth_headers: H, principal: P, services: Services,
        web_client: Callable[[str], TestClient]) -> None:
    _adopted_pool(client, auth_headers, TWO_SHORT)
    view = client.get(f"{API}/cycles/2026/offsets", headers=auth_headers("com-solidarity")).json()
    reg = view["regime"]
    assert reg["relocation_pledges"] == 29_998 and reg["mandatory"] is True
    assert reg["mandatory_basis"] == ["Regulation (EU) 2024/1351, Article 63(3)(a)"]
    assert (reg["mandatory_up_to"], reg["mandatory_total"]) == (30_000, 2)  # max(30,000, 60% of 21,000 = 12,600)
    step = next(s for s in reg["trace"] if s["rule"] == "offsets_mandatory_up_to")
    assert step["legal_basis"] == ["Regulation (EU) 2024/1351, Article 63(3)"]
    at = next(c for c in view["contributors"] if c["member_state"] == "AT")
    assert (at["voluntary_limit"], at["mandatory_obligation"], at["limit"]) == (0, 2, 2)
    at_cw = principal("at-caseworker")
    for i in range(3):
        _case(services, at_cw, f"AT-UP-{i}", f"2026-11-0{i + 2}")
    at_h = auth_headers("at-admin")
    r = client.post(f"{API}/cycles/2026/offsets", headers=at_h,
                    json={"beneficiary_member_state": "IT", "count": 3, "on": "2026-11-28"})
    assert r.status_code == 422 and _locs(r) == ["count"] and "may take over 2 more" in r.text, r.text
    r = client.post(f"{API}/cycles/2026/offsets", headers=at_h,
                    json={"beneficiary_member_state": "IT", "count": 2, "on": "2026-11-28"})
    assert r.status_code == 201 and r.json()["mandatory"] is True, r.text
    # the two the Regulation asks of all contributing states are taken: none is left to the others
    view = client.get(f"{API}/cycles/2026/offsets", headers=auth_headers("com-solidarity")).json()
    assert all(c["mandatory_obligation"] == 0 for c in view["contributors"] if c["member_state"] != "AT")
    # the coordinator's panel says the total the obligations share, not only each state's own gap
    for who, page in (("com-solidarity", "/solidarity?year=2026"), ("at-admin", "/solidarity/pledge?year=2026")):
        html = web_client(who).get(page).text
        said = html.split('id="offsets-mandatory-total">', 1)[1].split("</p>", 1)[0]
        assert "at most <strong>2</strong> applications" in said and "(30,000) less the 29,998 relocations" in said
