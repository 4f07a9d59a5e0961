"""Relocation matching and the stages of relocation transfers in the web UI, walked as the
Commission's solidarity coordinator and the states' coordinators walk them.

The matching page prefills, for a benefitting state, the places each contributing state still has
for it: the pool's distribution minus the persons already matched (the same numbers through the API
``GET /solidarity/cycles/{year}/matching-capacities`` and the CLI ``solidarity matching-capacities``);
reads the applicants from a CSV file; matches; records the assignments as transfers at stage matched.
On the tracker, the benefitting state's user records the security check and the relocation state's
user the acceptance. Each test failed on the old code: there was no matching page, no capacities
endpoint or command, and the tracker had no stage buttons."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.scenario.world import build
from pactum.services.bootstrap import Services
from pactum.store.tables.solidarity import relocation_transfers
from tests.conftest import unlabelled_fields
from tests.e2e.test_web_crawl import page_problems

API = "/api/v1/solidarity"
H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]
CLOSED = ("excluded", "cancelled")

APPLICANTS = """id,family_id,links,excluded_member_states,status,protection_granted_on,consent_on,nationality
W1,FW,DE:family; FR:language,,applicant,,,SYR
W2,FW,DE:family,,,,,SYR
W3,,FR:previous_residence,DE,applicant,,,AFG
W4,,,,beneficiary,2025-03-02,2026-11-20,ERI
W5,,,,beneficiary,2022-12-01,2026-11-20,ERI
"""


@pytest.fixture
def world(services: Services) -> Services:
    """The demo world's 2026 pool in implementation (CY, EL, ES, IT benefitting), with transfers
    already matched along the distribution."""
    build(services, scale="XS", seed=7, end=date(2026, 11, 28), show_progress=False,
          only=["registry", "solidarity"])
    return services


class _Form(HTMLParser):
    """The fields of one form of a page (by its id): name -> values, as a browser would send them."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []  # type: ignore[var-annotated]
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        elif self.inside and tag == "input" and a.get("name") and a.get("type") != "file":
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value") or ""))
        elif self.inside and tag == "textarea":
            self.textarea = str(a.get("name"))
            self.fields.append((self.textarea, ""))
        elif self.inside and tag == "select":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea and self.fields and self.fields[-1][0] == self.textarea:
            self.fields[-1] = (self.textarea, self.fields[-1][1] + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    p = _Form(form_id)
    p.feed(html)
    assert p.fields, f"no form {form_id}"
    return p.fields


def _data(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """A form's fields as the test client sends them (a field may repeat)."""
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _expected_capacities(client: TestClient, com: dict[str, str], beneficiary: str) -> dict[str, tuple[int, int]]:
    """(allocated, matched) per contributing state, from the distribution and the tracker."""
    dist = client.get(f"{API}/cycles/2026/distribution", headers=com).json()
    tracker = client.get(f"{API}/transfers", headers=com,
                         params={"era": "ammr", "year": 2026, "limit": 5000}).json()
    matched = Counter(t["destination_member_state"] for t in tracker["transfers"]
                      if t["origin_member_state"] == beneficiary and t["stage"] not in CLOSED)
    out = {d["member_state"]: (d["allocation"].get(beneficiary, 0), matched[d["member_state"]]) for d in dist}
    return {k: v for k, v in out.items() if v != (0, 0)}


def _transfers_in_store(services: Services) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(relocation_transfers)).scalar() or 0)


def test_capacities_are_the_distribution_minus_what_is_matched_in_the_api_the_cli_and_the_page(
        world: Services, client: TestClient, auth_headers: H, web_client: W, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    com = auth_headers("com-solidarity")
    expected = _expected_capacities(client, com, "IT")
    assert any(m for _, m in expected.values()), "the demo world has matched persons from IT"
    r = client.get(f"{API}/cycles/2026/matching-capacities", params={"beneficiary": "IT"}, headers=com)
    assert r.status_code == 200, r.text
    api = r.json()
    assert api["beneficiary_member_state"] == "IT" and api["cycle_status"] == "implementation"
    got = {c["member_state"]: (c["allocated"], c["matched"]) for c in api["capacities"]}
    assert got == expected
    # beneficiaries of protection go where an agreement with IT is recorded (the demo records some)
    agreed = {a["contributor_member_state"] for a in client.get(
        f"{API}/cycles/2026/beneficiary-agreements", params={"member_state": "IT"}, headers=com).json()
        if a["beneficiary_member_state"] == "IT" and a["in_force"]}
    assert agreed and agreed < set(got)
    for c in api["capacities"]:
        assert c["remaining"] == max(c["allocated"] - c["matched"], 0)
        assert c["accepts_beneficiaries"] is (c["member_state"] in agreed)
    assert api["totals"]["remaining"] == sum(c["remaining"] for c in api["capacities"]) > 0
    assert "Regulation (EU) 2024/1351, Article 60" in api["legal_basis"]
    # the CLI prints the same JSON
    monkeypatch.setenv("PACTUM_DATABASE_URL", world.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "com-solidarity")
    out = CliRunner().invoke(app, ["solidarity", "matching-capacities", "2026", "--beneficiary", "IT"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == api
    # the page prefills each state's places with what remains, next to the figures it comes from
    page = web_client("com-solidarity").get("/solidarity/matching", params={"year": 2026, "beneficiary": "IT"})
    assert page.status_code == 200
    assert page_problems(page.text)[0] == []
    fields = dict(form_fields(page.text, "matching-form"))
    assert {k.removeprefix("places_"): int(v) for k, v in fields.items() if k.startswith("places_")} == {
        c["member_state"]: c["remaining"] for c in api["capacities"]}
    assert {k: fields[f"weight_{k}"] for k in ("family", "language")} == {"family": "100", "language": "20"}
    assert "Relocation matching" in page.text and "/solidarity/matching/applicants-template.csv" in page.text
    # a state's users may not use it (the distribution is the Commission's), nor does the tab show
    it = web_client("it-admin")
    assert it.get("/solidarity/matching").status_code == 403
    assert 'href="/solidarity/matching' not in it.get("/solidarity/transfers").text
    assert client.get(f"{API}/cycles/2026/matching-capacities", params={"beneficiary": "IT"},
                      headers=auth_headers("it-admin")).status_code == 403
    assert client.get(f"{API}/cycles/2026/matching-capacities", params={"beneficiary": "XX"},
                      headers=com).status_code == 422


def test_the_template_csv_is_the_documented_header_and_reads_back(world: Services, web_client: W) -> None:
    r = web_client("com-solidarity").get("/solidarity/matching/applicants-template.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.text.splitlines()[0] == "id,family_id,links,excluded_member_states,status,protection_granted_on,consent_on,nationality"


def test_the_coordinator_matches_records_and_the_states_record_their_stages(
        world: Services, client: TestClient, auth_headers: H, web_client: W) -> None:
    com = web_client("com-solidarity")
    before = _transfers_in_store(world)

    def matched_per_state() -> dict[str, int]:
        caps = client.get(f"{API}/cycles/2026/matching-capacities", params={"beneficiary": "IT"},
                          headers=auth_headers("com-solidarity")).json()
        return {c["member_state"]: c["matched"] for c in caps["capacities"]}

    matched_before = matched_per_state()
    page = com.get("/solidarity/matching", params={"year": 2026, "beneficiary": "IT"})
    fields = [(k, v) for k, v in form_fields(page.text, "matching-form") if not k.startswith("places_")]
    # places: 3 in DE, 2 in FR, none elsewhere
    places = [("places_DE", "3"), ("places_FR", "2")]
    r = com.post("/solidarity/matching", data=_data([*fields, *places]),
                 files={"applicants_file": ("applicants.csv", APPLICANTS.encode(), "text/csv")})
    assert r.status_code == 200, _text(r.text)[:2000]
    assert page_problems(r.text)[0] == []
    text = _text(r.text)
    assert "4 of the 5 persons relocated" in text, text
    assert "Proven optimal by HiGHS" in text
    assert _transfers_in_store(world) == before  # matching writes nothing
    # the family goes together to DE (family link), W3 excluded DE and goes to FR, W5's protection is too old (3 years or more before the Council's act of 19.12.2025)
    rows = re.findall(r"<tr><td>(W\d)</td><td>([^<]*)</td><td>([A-Z]{2})</td><td>([^<]*)</td></tr>", r.text)
    got = {aid: (dest, link) for aid, _, dest, link in rows}
    assert got["W1"] == ("DE", "family") and got["W2"] == ("DE", "family")
    assert got["W3"] == ("FR", "previous residence")
    assert "W5" not in got and "3 years or more" in text
    # W4, a beneficiary of protection, goes only to a state that agreed to receive them from IT
    agreed = {a["contributor_member_state"] for a in client.get(
        f"{API}/cycles/2026/beneficiary-agreements", params={"member_state": "IT"},
        headers=auth_headers("com-solidarity")).json() if a["beneficiary_member_state"] == "IT" and a["in_force"]}
    assert got["W4"][0] in agreed
    # the uploaded file is kept in the text field, so the page shows what was read
    assert "W4,,,,beneficiary" in unescape(r.text)
    # record them, on the matching's date
    record = form_fields(r.text, "record-form")
    assert sorted(v for k, v in record if k == "assigned") == sorted(f"{d}:{a}" for a, (d, _) in got.items())
    done = com.post("/solidarity/matching/record", data=_data(record), follow_redirects=False)
    assert done.status_code == 303, _text(done.text)[:2000]
    assert _transfers_in_store(world) == before + 4
    tracker = com.get(done.headers["location"])
    assert "4 persons matched from IT recorded as relocation transfers at stage matched" in _text(tracker.text)
    assert page_problems(tracker.text)[0] == []
    api = client.get(f"{API}/transfers", headers=auth_headers("com-solidarity"),
                     params={"year": 2026, "stage": "matched", "limit": 5000}).json()
    ours = {t["applicant_ref"]: t for t in api["transfers"] if t["applicant_ref"] in got}
    assert {a: (t["destination_member_state"], t["stage"], t["origin_member_state"]) for a, t in ours.items()} == {
        a: (d, "matched", "IT") for a, (d, _) in got.items()}
    assert ours["W1"]["family_ref"] == "FW" and ours["W1"]["link_kind"] == "family" and ours["W1"]["nationality"] == "SYR"
    assert ours["W4"]["person_status"] == "beneficiary" and ours["W4"]["consent_on"] == "2026-11-20"
    # the capacities now count them as matched: the places that remain went down by as many
    after = matched_per_state()
    assert {k: after[k] - matched_before.get(k, 0) for k in after if after[k] != matched_before.get(k, 0)} == dict(
        Counter(d for d, _ in got.values()))
    w1 = ours["W1"]
    # IT (benefitting state) sees the security-check buttons on its transfer, not the acceptance
    it = web_client("it-admin")
    page_it = it.get("/solidarity/transfers", params={"year": 2026, "stage": "matched"})
    row = re.search(rf'<tr id="transfer-{w1["id"]}">.*?</tr>', page_it.text, re.S)
    assert row is not None
    assert "Security check cleared" in row.group(0) and "Security threat" in row.group(0)
    assert "Accepted" not in row.group(0)
    assert unlabelled_fields(page_it.text) == []
    ok = it.post(f"/solidarity/transfers/{w1['id']}/events",
                 data={"event": "security_cleared", "on": "2026-11-28", "version": str(w1["version"]),
                       "year": "2026", "stage": "matched"}, follow_redirects=False)
    assert ok.status_code == 303, _text(ok.text)[:1000]
    assert "Security check cleared: recorded" in _text(it.get(ok.headers["location"]).text)
    # IT may not record DE's acceptance: refused next to the transfer, nothing written
    t1 = client.get(f"{API}/transfers", headers=auth_headers("com-solidarity"),
                    params={"year": 2026, "stage": "security_cleared", "limit": 5000}).json()
    w1 = next(t for t in t1["transfers"] if t["id"] == w1["id"])
    assert w1["stage"] == "security_cleared" and w1["security_cleared_on"] == "2026-11-28"
    refused = it.post(f"/solidarity/transfers/{w1['id']}/events",
                      data={"event": "accepted", "on": "2026-11-28", "version": str(w1["version"]), "year": "2026",
                            "origin": "IT"})
    assert refused.status_code == 403
    row = re.search(rf'<tr id="transfer-{w1["id"]}">.*?</tr>', refused.text, re.S)
    assert row is not None and "'accepted' is recorded by DE" in unescape(row.group(0))
    # the page of the refusal is the tracker as it was filtered, with its count, pager and CSV
    assert 'name="origin" list="member-states" autocomplete="off" size="3" maxlength="2" value="IT"' in refused.text
    assert 'id="transfers-count"' in refused.text
    assert 'href="/solidarity/transfers.csv?year=2026&amp;origin=IT"' in refused.text
    again = client.get(f"{API}/transfers", headers=auth_headers("com-solidarity"),
                       params={"year": 2026, "stage": "security_cleared", "limit": 5000}).json()
    assert next(t for t in again["transfers"] if t["id"] == w1["id"])["version"] == w1["version"]
    # DE (relocation state) accepts from its own tracker
    de = web_client("de-admin")
    page_de = de.get("/solidarity/transfers", params={"year": 2026})
    row = re.search(rf'<tr id="transfer-{w1["id"]}">.*?</tr>', page_de.text, re.S)
    assert row is not None and "Accepted" in row.group(0) and "Transfer decided" not in row.group(0)
    ok = de.post(f"/solidarity/transfers/{w1['id']}/events",
                 data={"event": "accepted", "on": "2026-11-28", "version": str(w1["version"]), "year": "2026"},
                 follow_redirects=False)
    assert ok.status_code == 303
    # a stale version is refused next to the transfer, with what happened
    stale = de.post(f"/solidarity/transfers/{w1['id']}/events",
                    data={"event": "arrived", "on": "2026-11-28", "version": str(w1["version"])})
    assert stale.status_code == 409
    final = client.get(f"{API}/transfers", headers=auth_headers("com-solidarity"),
                       params={"year": 2026, "stage": "accepted", "limit": 5000}).json()
    assert next(t for t in final["transfers"] if t["id"] == w1["id"])["accepted_on"] == "2026-11-28"


def test_a_malformed_csv_is_refused_naming_line_and_column_with_everything_kept(world: Services, web_client: W) -> None:
    com = web_client("com-solidarity")
    before = _transfers_in_store(world)
    page = com.get("/solidarity/matching", params={"year": 2026, "beneficiary": "IT"})
    fields = form_fields(page.text, "matching-form")
    bad = ("id,links,excluded_member_states,nationality\n"
           "B1,DE:family,,SYR\n"
           "B2,DE-family,,SYR\n"
           "B3,FR:friendship,XX,SYR\n"
           "B1,,,,\n")
    typed = [(k, v) for k, v in fields if k not in ("applicants_csv", "weight_diploma")]
    r = com.post("/solidarity/matching", data=_data([*typed, ("applicants_csv", bad), ("weight_diploma", "7x")]))
    assert r.status_code == 422
    text = _text(r.text)
    assert "line 3.links: 'DE-family' is not STATE:kind" in text
    assert "line 4.links: unknown link kind 'friendship'" in text
    assert "line 4.excluded_member_states: 'XX'" in text
    assert "line 5: 5 fields where the header has 4" in text
    assert "Diploma: '7x' is not a whole number" in text
    # what was typed is kept
    assert "B3,FR:friendship,XX,SYR" in unescape(r.text) and 'value="7x"' in r.text
    assert page_problems(r.text)[0] == []
    # a file that is not text, and an unknown column
    r = com.post("/solidarity/matching", data=_data(typed),
                 files={"applicants_file": ("a.csv", b"\xff\xfe\x00\x01", "text/csv")})
    assert r.status_code == 422 and "CSV file: line 1: not UTF-8 text: byte 0xff" in _text(r.text)
    r = com.post("/solidarity/matching", data=_data([*typed, ("applicants_csv", "id,age\nC1,30\n")]))
    assert r.status_code == 422 and "line 1: unknown column age" in _text(r.text)
    # a beneficiary without written consent date when recorded: refused on its line, nothing written
    good = "id,status,protection_granted_on\nD1,beneficiary,2025-01-01\nD2,,\n"
    r = com.post("/solidarity/matching", data=_data([*[(k, v) for k, v in typed if not k.startswith("places_")],
                                                      ("places_DE", "2"), ("applicants_csv", good)]))
    assert r.status_code == 200
    assert "a beneficiary is relocated only with their written consent" in _text(r.text)
    record = form_fields(r.text, "record-form")
    tampered = [(k, v) for k, v in record if k != "assigned"] + [("assigned", "DE:D2"), ("assigned", "DE:D1")]
    refused = com.post("/solidarity/matching/record", data=_data(tampered))
    assert refused.status_code == 422
    assert "may not be relocated" in _text(refused.text)
    assert _transfers_in_store(world) == before


def test_an_analyst_matches_but_does_not_record_and_a_state_user_is_refused(world: Services, web_client: W) -> None:
    analyst = web_client("com-analyst")
    page = analyst.get("/solidarity/matching", params={"year": 2026, "beneficiary": "EL"})
    assert page.status_code == 200
    fields = form_fields(page.text, "matching-form")
    r = analyst.post("/solidarity/matching", data=_data([*[(k, v) for k, v in fields if k != "applicants_csv"],
                                                          ("applicants_csv", "id\nE1\nE2\n")]))
    assert r.status_code == 200, _text(r.text)[:1000]
    assert 'id="record-form"' not in r.text and "Only the Commission" in r.text
    before = _transfers_in_store(world)
    refused = analyst.post("/solidarity/matching/record", data=_data([
        *[(k, v) for k, v in fields if k != "applicants_csv"], ("applicants_csv", "id\nE1\n"),
        ("assigned", f"{dict(fields)['state']}:E1")]))
    assert refused.status_code == 403
    it = web_client("it-admin")
    r = it.post("/solidarity/matching", data=_data([*[(k, v) for k, v in fields if k != "applicants_csv"],
                                                    ("applicants_csv", "id\nE1\n")]))
    assert r.status_code == 403 and "Commission" in _text(r.text)
    assert _transfers_in_store(world) == before
