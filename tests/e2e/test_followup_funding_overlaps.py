"""The funding total as a Commission analyst defends it: gross and net of the amounts the annex
itself says are counted twice (the Western Balkans top-up, the Sudan contribution from the action
for Egypt), with the overlaps listed, on the funding page, in the API, the report (HTML and PDF)
and in the by-partner sums; the export/import round trip still changes nothing; the charts' specs
name the Vega-Lite version vendored with the page."""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from pathlib import Path

import pytest

from pactum.services import followup
from pactum.services.auth import SYSTEM
from tests.unit.followup.annex_overlaps import annex_with_overlaps


@pytest.fixture
def loaded(services):
    followup.load(services, SYSTEM, annex_with_overlaps())
    return services


def test_api_funding_gives_gross_net_and_the_overlaps(loaded, client, auth_headers):
    o = client.get("/api/v1/followup/funding", headers=auth_headers("com-analyst")).json()
    t = o["totals"]
    assert t["total_eur"] == t["gross_eur"] == "1783200000"
    assert t["net_eur"] == "1757200000" and t["overlap_eur"] == "26000000"
    assert t["net_ceiling_eur"] == "1777200000" and t["possible_overlap_eur"] == "87000000"
    assert [(x["line"], x["with_line"], x["amount_eur"], x["deducted"]) for x in o["overlaps"]] == [
        ("2.F3", "11.F9", "87000000", False), ("11.F10", "11.F9", "20000000", True),
        ("12.F3", "12.F2", "6000000", True)]
    egypt = next(p for p in o["by_partner"] if p["code"] == "EGY")
    assert (egypt["totals"]["total_eur"], egypt["totals"]["net_eur"]) == ("290000000", "270000000")
    albania = next(p for p in o["by_partner"] if p["code"] == "ALB")
    assert albania["totals"]["net_eur"] == "84000000"
    assert next(line for line in o["lines"] if line["key"] == "12.F3")["net_eur"] == "54000000"
    egypt_page = client.get("/api/v1/followup/partners/EGY", headers=auth_headers("com-analyst")).json()
    assert egypt_page["totals"]["net_eur"] == "270000000"
    assert {x["line"] for x in egypt_page["overlaps"]} == {"2.F3", "11.F10"}
    rows = {r["number"]: r for r in client.get("/api/v1/followup/commitments",
                                               headers=auth_headers("com-analyst")).json()}
    assert (rows[12]["funding_eur"], rows[12]["funding_net_eur"]) == ("130000000", "124000000")


def test_funding_page_says_net_and_gross_and_lists_the_overlaps(loaded, web_client):
    r = web_client("com-analyst").get("/followup/funding")
    assert r.status_code == 200
    total = re.search(r'<p id="funding-total">.*?</p>', r.text, re.S)
    assert total is not None
    said = " ".join(re.sub(r"<[^>]+>", " ", total.group(0)).split())
    assert "net of the overlaps the annex states: €1,757.2m (up to €1,777.2m" in said
    assert "Gross (every line once): €1,783.2m in 24 lines, €26m of it counted twice" in said
    assert "A further €87m may be counted twice (not deducted" in said
    assert 'id="overlaps"' in r.text and "top up from the regional anti-smuggling programme" in r.text
    egypt = re.search(r'<a href="/followup/partners/EGY">Egypt</a>.*?</tr>', r.text, re.S)
    assert egypt is not None
    cells = re.findall(r'<td class="num">(.*?)</td>', egypt.group(0), re.S)
    assert cells[0].startswith("€270m") and cells[1] == "€290m" and cells[3] == "€87m"
    # the charts draw the net: Egypt's bar is 270, the Western Balkans' 84
    specs = [json.loads(html.unescape(s)) for s in re.findall(r"data-spec='(.*?)'", r.text, re.S)]
    partner = next(s for s in specs if s["title"].startswith("By partner"))
    bars = {row["partner"]: row["amount"] for row in partner["data"]["values"]}
    assert bars["Egypt"] == 270 and bars["Albania"] == 84


def test_commitment_and_partner_pages_show_their_net(loaded, web_client):
    c = web_client("it-caseworker")
    page = c.get("/followup/commitments/12").text
    net = re.search(r'<tr id="net-total">.*?</tr>', page, re.S)
    assert net is not None and "€124m" in net.group(0) and "€6m" in net.group(0)
    assert 'id="commitment-overlaps"' in page
    egypt = c.get("/followup/partners/EGY").text
    said = " ".join(re.sub(r"<[^>]+>", " ", re.search(r'<p id="partner-total">.*?</p>', egypt, re.S).group(0)).split())
    assert said.startswith("Funding: €270m net of the overlaps the annex states (up to €290m); gross €290m")
    assert "a further €87m may be counted twice (not deducted)" in said


def test_pdf_report_no_longer_claims_every_line_is_counted_once(loaded, client, auth_headers):
    h = auth_headers("com-analyst")
    sop = client.get("/api/v1/followup/report", params={"as_of": "2023-06-23"}, headers=h).json()
    assert sop["totals"]["net_eur"] == "1757200000"
    assert [o["line"] for o in sop["overlaps"]] == ["2.F3", "11.F10", "12.F3"]
    egypt = next(p for p in sop["partner_funding"] if p["code"] == "EGY")
    assert egypt["totals"]["net_eur"] == "270000000"
    html = followup.render_html(followup.state_of_play(loaded, followup.date(2023, 6, 23)))
    assert "the total above counts every line once" not in html
    assert "Amounts the annex counts twice" in html
    pdf = client.get("/api/v1/followup/report.pdf", params={"as_of": "2023-06-23"}, headers=h)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_export_then_import_of_the_overlaps_changes_nothing(loaded, client, auth_headers):
    h = auth_headers("com-analyst")
    for fmt in ("csv", "yaml"):
        text = client.get("/api/v1/followup/export", params={"format": fmt}, headers=h).text
        assert "top up from the regional anti-smuggling programme" in text
        r = client.post("/api/v1/followup/import", params={"format": fmt}, content=text.encode(),
                        headers={**h, "Content-Type": "text/plain"})
        assert r.status_code == 200, r.text
        assert r.json()["created"] == r.json()["updated"] == r.json()["deleted"] == 0


def test_an_editor_records_an_overlap_on_a_funding_line(loaded, client, auth_headers):
    h = auth_headers("com-analyst")
    item = client.get("/api/v1/followup/items/funding/12.F2", headers=h).json()
    bad = client.patch("/api/v1/followup/items/funding/12.F2", headers=h, json={
        "version": item["version"], "changes": {"overlaps": [
            {"with_line": "12.F3", "relation": "overlaps", "amount_eur": "6000000", "quote": "again"}]}})
    assert bad.status_code == 422  # 12.F3 already records its overlap with 12.F2
    assert "given twice" in bad.text
    r = client.patch("/api/v1/followup/items/funding/8.F3", headers=h, json={
        "version": client.get("/api/v1/followup/items/funding/8.F3", headers=h).json()["version"],
        "changes": {"overlaps": [{"with_line": "8.F2", "relation": "part_of", "certainty": "possible",
                                  "quote": "reception capacity near the external border (€50 million)"}]}})
    assert r.status_code == 200, r.text
    t = client.get("/api/v1/followup/funding", headers=h).json()["totals"]
    assert t["possible_overlap_eur"] == "97000000" and t["net_eur"] == "1757200000"


def test_chart_specs_name_the_vendored_vega_lite_major_version(loaded, web_client):
    from pactum.web.views.followup import VEGA_LITE_SCHEMA

    vendored = json.loads(Path(str(resources.files("pactum.web").joinpath(
        "static/vendor/package.json"))).read_text())["dependencies"]["vega-lite"]
    major = vendored.split(".")[0]
    assert VEGA_LITE_SCHEMA.endswith(f"/vega-lite/v{major}.json")
    page = web_client("com-analyst").get("/followup/funding").text
    assert page.count(f"vega-lite/v{major}.json") == 3
    assert "vega-lite/v5.json" not in page


def test_the_editor_records_an_overlap_on_the_funding_line_form(loaded, web_client, services):
    c = web_client("com-analyst")
    form = c.get("/followup/items/funding/8.F3/edit")
    assert form.status_code == 200 and 'name="overlaps"' in form.text
    version = re.search(r'name="version" value="(\d+)"', form.text).group(1)
    r = c.post("/followup/items/funding/8.F3/edit", data={
        "version": version, "valid_from": "2026-11-20", "reason": "a reading of the annex",
        "overlaps": "- with_line: 8.F9\n  relation: part_of\n  quote: the annex"}, follow_redirects=False)
    assert r.status_code == 422  # no line 8.F9: said at the field
    assert "funding line 8.F9 does not exist" in r.text
    r = c.post("/followup/items/funding/8.F3/edit", data={
        "version": version, "valid_from": "2026-11-20", "reason": "a reading of the annex",
        "overlaps": "- with_line: 8.F2\n  relation: part_of\n  certainty: possible\n  quote: the annex"},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    t = followup.funding(services).totals
    assert t.possible_overlap_eur == 97_000_000 and t.net_eur == 1_757_200_000


def test_partners_list_gives_each_partner_s_net(loaded, web_client):
    page = web_client("it-caseworker").get("/followup/partners").text
    egypt = re.search(r'<a href="/followup/partners/EGY">Egypt</a>.*?</tr>', page, re.S)
    assert egypt is not None
    cells = re.findall(r'<td class="num">(.*?)</td>', egypt.group(0), re.S)
    assert cells[1].startswith("€270m") and "(up to €290m)" in cells[1] and cells[2] == "€290m"
    serbia = re.search(r'<a href="/followup/partners/SRB">Serbia</a>.*?</tr>', page, re.S).group(0)
    assert re.findall(r'<td class="num">(.*?)</td>', serbia, re.S)[1:3] == ["€84m", "€90m"]


def test_a_funding_line_stored_before_the_overlaps_is_edited_as_any_other(loaded, web_client, services):
    """A line recorded before overlaps existed (its data without the field) offers the field on
    its form, and an edit of its note changes its note only."""
    from sqlalchemy import select, update

    from pactum.store.tables.followup import followup_item_versions, followup_items

    with services.engine.begin() as conn:
        for table in (followup_items, followup_item_versions):
            for row in conn.execute(select(table.c.id, table.c.data).where(
                    table.c.kind == "funding", table.c.key == "8.F3")).all():
                old = {k: v for k, v in row.data.items() if k != "overlaps"}
                conn.execute(update(table).where(table.c.id == row.id).values(data=old))
    c = web_client("com-analyst")
    form = c.get("/followup/items/funding/8.F3/edit")
    assert 'name="overlaps"' in form.text
    version = re.search(r'name="version" value="(\d+)"', form.text).group(1)
    r = c.post("/followup/items/funding/8.F3/edit", data={
        "version": version, "valid_from": "2026-11-20", "note": "works completed", "overlaps": ""},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    entries = followup.history(services, "funding", "8.F3")
    assert entries[-1].fields == ["note"]
