"""What a Member State's solidarity coordinator read wrong on its pledge page (walked on the demo world,
1 December 2026): the distribution's rules said "sar earmark : 1913 relocations" (the rule's code, no
thousands separator); the deductions were "from our fair share" where Art 61(1) (read in the Official
Journal text, Italian version) deducts "i contributi per i quali si è impegnato"; and the list of the
conditions of Art 63(8) stopped at point (e), as though (f) were checked
(tests/e2e/test_solidarity_offsets_conditions.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

from fastapi.testclient import TestClient

try:
    from .test_solidarity_offsets import API, VOLUNTARY, _adopted_pool
except ImportError:  # tests/e2e is not a package
    from test_solidarity_offsets import API, VOLUNTARY, _adopted_pool  # type: ignore[no-redef]

H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_pledge_page_names_the_distribution_rules_and_the_deductions_as_the_regulation_does(
        client: TestClient, auth_headers: H, web_client: W) -> None:
    _adopted_pool(client, auth_headers, VOLUNTARY)
    for ms, n in (("IT", 8_050), ("EL", 3_675)):
        r = client.post(f"{API}/cycles/2026/needs", headers=auth_headers(f"{ms.lower()}-admin"),
                        json={"relocations": n, "financial_eur": 0, "sar": True})
        assert r.status_code in (200, 201), r.text
    html = web_client("de-admin").get("/solidarity/pledge?year=2026").text
    rules = _text(html.split('id="distribution-rules">', 1)[1].split("</ol>", 1)[0])
    assert "Proportional to needs" not in rules and "sar earmark" not in rules
    assert re.search(r"In proportion to needs ?: 4,555 relocations in proportion to needs: EL 1,428, IT 3,127", rules), rules
    assert re.search(r"\b\d{1,3},\d{3} relocations", rules), rules  # 4,555 distributed: thousands separated
    page = _text(html)
    assert "Deductions from" not in page


def test_a_deduction_is_asked_of_the_pledged_contributions(client: TestClient, auth_headers: H, web_client: W) -> None:
    _adopted_pool(client, auth_headers, VOLUNTARY)
    page = _text(web_client("se-admin").get("/solidarity/pledge?year=2026").text)
    assert "Deductions of our pledged contributions" in page
    assert "a full or partial deduction of the contributions it pledged, as the Council's implementing act sets them" in page
