"""Found on the Commission coordinator's daily walk of the pool: recording the Council's act with a
SAR earmark of 150%, a pool in euros of 'abc' and the relocations typed wrong said only the first
of them; the coordinator corrected it, sent again, and heard of the next. Every number of the form
that cannot be read is now said at once, each beside its field; nothing is recorded."""

from __future__ import annotations

from fastapi.testclient import TestClient

from pactum.services.bootstrap import Services
from tests.e2e.test_solidarity_web_actions import API, H, W, errors, forms, new_cycle, send


def test_every_number_typed_wrong_is_said_at_once(services: Services, web_client: W, client: TestClient,
                                                  auth_headers: H) -> None:
    headers = auth_headers("com-solidarity")
    new_cycle(client, headers, status="pledging", IT="under_pressure")
    com = web_client("com-solidarity")
    html = com.get("/solidarity?year=2027").text
    status, page = send(com, html, "cycle-action-form", on="2026-11-10", council_act_reference="CID 2026/9",
                        sar_earmark="150", pool_financial_eur="abc", pool_relocations="thirty")
    assert status == 422
    said = errors(page, "action-errors")
    assert "SAR earmark (%): must be at most 100" in said
    assert any(s.startswith("Pool: financial contributions (EUR): 'abc'") for s in said), said
    assert any(s.startswith("Pool: relocations") and "'thirty'" in s for s in said), said
    assert len(said) == 3
    typed = forms(page)["cycle-action-form"][1]
    assert (typed["sar_earmark"], typed["pool_financial_eur"], typed["pool_relocations"]) == ("150", "abc", "thirty")
    for field in ("sar_earmark", "pool_financial_eur", "pool_relocations"):
        assert f'name="{field}"' in page and page.count('aria-invalid="true"') >= 3
    assert client.get(f"{API}/cycles/2027", headers=headers).json()["status"] == "pledging"
