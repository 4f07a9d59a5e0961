"""Responsibility offsets once the Council granted replacements of pledged contributions (AMMR Arts 61(2)(b),
62(2)(b)). Read in the Official Journal text (Italian version), the thresholds of Art 63(1) and (3) count the
relocation pledges "specificata/contenuti nell'atto di esecuzione del Consiglio di cui all'articolo 57"
(the act granting a replacement only authorises the state "a derogare" to it, Arts 61(4), 62(5)), and Art 63(4)
counts the "impegni da attuare" after the reductions granted. So a replacement leaves `relocation_pledges`
alone and counts in `relocations_to_implement`, both ways.

The change: a voluntary take-over is made "al posto delle ricollocazioni" (Art 63(2)). On the old code its limit
was the relocations pledged in the Council's act of Art 57, even after the Council let the state replace them
by money (Germany could still take over 4,555 applications instead of relocations of which it implements 3,555)
and however many relocations replaced the money (Austria, whose money became 100 relocations, could take over
none instead of them). Now the limit is the relocations the state implements after the replacement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

try:
    from .test_solidarity_deduction_own_assessment import PRESSURE
    from .test_solidarity_offsets import API, VOLUNTARY, _adopted_pool
except ImportError:  # tests/e2e is not a package
    from test_solidarity_deduction_own_assessment import PRESSURE  # type: ignore[no-redef]
    from test_solidarity_offsets import API, VOLUNTARY, _adopted_pool  # type: ignore[no-redef]

H = Callable[[str], dict[str, str]]
AMMR = "Regulation (EU) 2024/1351"


def _grant_replacement(client: TestClient, auth_headers: H, ms: str, replacement: dict[str, Any]) -> None:
    """``ms`` asks on its own assessment (Art 61(2)) for a replacement only; the Commission finds it justified
    and the Council grants it in full."""
    com = auth_headers("com-solidarity")
    r = client.post(
        f"{API}/cycles/2026/deductions",
        headers=auth_headers(f"{ms.lower()}-admin"),
        json={
            "relocations": 0,
            "on": "2026-11-20",
            "grounds": "article_61",
            "substantiation": PRESSURE,
            "replacement": replacement,
        },
    )
    assert r.status_code == 201, r.text
    d = r.json()
    a = client.post(
        f"{API}/deductions/{d['id']}/assessment",
        headers=com,
        json={"version": d["version"], "justified": True, "on": "2026-11-24"},
    )
    assert a.status_code == 200, a.text
    g = client.post(
        f"{API}/deductions/{d['id']}/decision",
        headers=com,
        json={
            "version": a.json()["version"],
            "granted": True,
            "on": "2026-11-26",
            "council_act_reference": "CID (EU) 2026/78",
        },
    )
    assert g.status_code == 200 and g.json()["status"] == "granted", g.text


def test_replacements_count_from_article_63_4_and_bound_the_voluntary_take_overs(
    client: TestClient, auth_headers: H
) -> None:
    # 30,016 relocations pledged; AT pledged EUR 20m and no relocation
    _adopted_pool(client, auth_headers, VOLUNTARY)
    _grant_replacement(client, auth_headers, "DE", {"relocations": 1000, "by": "financial"})
    _grant_replacement(client, auth_headers, "AT", {"of": "financial", "eur": 2_000_000, "by": "relocations"})

    view = client.get(f"{API}/cycles/2026/offsets", headers=auth_headers("com-solidarity")).json()
    reg = view["regime"]
    # Art 63(1), (3): the pledges of the Council's act of Art 57, as they were
    assert reg["relocation_pledges"] == 30_016 and reg["requests_open"] is True
    # Art 63(4): 30,016 - 1,000 replaced by money + 100 replacing money = 29,116, below the 30,000 of Art 12(2)(a)
    assert reg["relocations_to_implement"] == 29_116
    assert reg["mandatory"] is True and f"{AMMR}, Article 63(4)" in reg["mandatory_basis"]
    assert reg["mandatory_total"] == 884

    rows = {c["member_state"]: c for c in view["contributors"]}
    # instead of relocations it implements: DE 3,555 of the 4,555 it pledged; AT the 100 that replaced its money
    assert rows["DE"]["voluntary_limit"] == 3_555
    assert rows["AT"]["may_volunteer"] is True and rows["AT"]["voluntary_limit"] == 100
    step = next(s for s in rows["DE"]["trace"] if s["rule"] == "offset_instead_of_relocation")
    assert step["facts"]["relocations_after_replacement"] == 3_555
    assert (
        step["outcome"].startswith("up to 3,555 applications")
        and "(3,555 of the 4,555 pledged)" in step["outcome"]
    )
    # a state with no replacement keeps its pledged relocations as the limit
    assert rows["FR"]["voluntary_limit"] == 3_361
