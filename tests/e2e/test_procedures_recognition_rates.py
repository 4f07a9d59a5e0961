"""The recognition rates as a lawyer and an analyst meet them: the API's rate for Venezuelans counts
Spain's humanitarian status as a decision but not as international protection, so a Venezuelan at the
external border goes to the mandatory border procedure; UNHCR's unknown origin is "Unknown", never
Kosovo, and has no rate."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

Headers = Callable[[str], dict[str, str]]
Login = Callable[[str], TestClient]


def test_venezuelan_rate_and_routing_at_the_spanish_border(client: TestClient, auth_headers: Headers) -> None:
    h = auth_headers("es-caseworker")
    rate = client.get("/api/v1/procedures/recognition-rates/VEN?on=2026-11-30", headers=h)
    assert rate.status_code == 200, rate.text
    rr = rate.json()
    assert rr["rate_percent"] == 2.75 and rr["total_decisions"] == 62_830  # was 92.29% of 62,830
    assert rr["humanitarian_status_decisions"] == 56_261 and rr["threshold_percent"] == 20.0
    assert rr["at_or_below_threshold"] is True and "humanitarian" in rr["explanation"]
    routed = client.post("/api/v1/procedures/routing", headers=h, json={
        "applied_on": "2026-11-20", "member_state": "ES", "context": "apprehended_at_external_border",
        "nationality": "VEN"})
    assert routed.status_code == 200, routed.text
    body = routed.json()
    assert (body["procedure"], body["mandatory"], body["grounds"]) == ("border", True, ["low_recognition_rate"])
    assert "Regulation (EU) 2024/1348, Article 45(1)" in body["legal_basis"]
    assert body["recognition_rate"]["humanitarian_status_decisions"] == 56_261


def test_routing_page_shows_how_the_rate_was_counted(web_client: Login) -> None:
    page = web_client("es-caseworker").post("/procedures/routing", data={
        "applied_on": "2026-11-20", "member_state": "ES", "context": "apprehended_at_external_border",
        "nationality": "VEN"})
    assert page.status_code == 200
    said = " ".join(re.sub(r"<[^>]+>", " ", page.text).split())
    assert "2.75%" in said and "Not counted as international protection" in said


def test_an_uncertain_rate_says_so_and_is_not_a_ground(client: TestClient, auth_headers: Headers) -> None:
    rr = client.get("/api/v1/procedures/recognition-rates/SYR?on=2026-11-30",
                    headers=auth_headers("com-analyst")).json()
    assert rr["uncertain"] is True and rr["at_or_below_threshold"] is False
    assert rr["rate_range_percent"][0] < 20.0 < rr["rate_range_percent"][1]
    assert "Eurostat" in rr["explanation"]


def test_unknown_origin_is_never_kosovo_nor_a_nationality_with_a_rate(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    h = auth_headers("com-analyst")
    for code in ("UNK", "XXX"):
        rr = client.get(f"/api/v1/procedures/recognition-rates/{code}?on=2026-11-30", headers=h).json()
        assert rr["rate_percent"] is None and "unknown" in rr["explanation"], rr
    kosovo = client.get("/api/v1/procedures/recognition-rates/XKX?on=2026-11-30", headers=h).json()
    assert kosovo["rate_percent"] is None and "SRB" in kosovo["explanation"]
    bad = client.get("/api/v1/procedures/recognition-rates/QQQ?on=2026-11-30", headers=h)
    assert bad.status_code == 422 and "nationality" in bad.text
    routed = client.post("/api/v1/procedures/routing", headers=auth_headers("es-caseworker"), json={
        "applied_on": "2026-11-20", "member_state": "ES", "context": "apprehended_at_external_border",
        "nationality": "UNK"})
    assert routed.status_code == 422 and "XKX for Kosovo" in routed.text
    html = web_client("euaa-analyst").get("/procedures/statistics?year=2025").text
    table = html.split('<table id="statistics">', 1)[1].split("</table>", 1)[0]
    assert "Kosovo" not in table
    unknown = re.search(r"<tr><td>Unknown \(XXX\)</td>(.*?)</tr>", table)
    assert unknown and "no rate for routing" in unknown.group(1)


def test_statistics_split_humanitarian_status_from_international_protection(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    table = client.get("/api/v1/procedures/statistics?year=2025", headers=auth_headers("com-analyst")).json()
    ven = next(r for r in table["rows"] if r["nationality"] == "VEN")
    assert (ven["total"], ven["humanitarian_status"], ven["complementary_protection"]) == (62_830, 56_261, 57_387)
    assert ven["subsidiary_protection"] == 57_387 - 56_261 and ven["recognition_rate"] == 2.7
    html = web_client("euaa-analyst").get("/procedures/statistics?year=2025").text
    row = re.search(r"<tr><td>Venezuela[^<]*\(VEN\)</td>(.*?)</tr>", html)
    assert row and "56,261" in row.group(1) and re.search(r"≤ 20(\.0)?%", row.group(1))
    syria = re.search(r"<tr><td>Syria[^<]*\(SYR\)</td>(.*?)</tr>", html)
    assert syria and "uncertain" in syria.group(1)
