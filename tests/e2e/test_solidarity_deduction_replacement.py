"""A deduction request that asks for pledged relocations to be replaced by another type of solidarity
contribution (AMMR Arts 61(2)(b), 62(2)(b): "se il contributo per il quale si è impegnato possa essere
sostituito da un diverso tipo di contributo di solidarietà"), and the Council's act granting less than
was asked (Arts 61(4), 62(5): whether the state "sia autorizzato a derogare").

On the old code the request said whether its contribution could be replaced only as free text, which
changed nothing in the pool; a body with ``replacement`` was refused (422, extra field), and the
Council's act granted or refused the request as made (``granted_relocations`` refused too)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.bootstrap import Services
from tests.e2e.test_solidarity_web_actions import ART_62_2, errors, forms, new_cycle, notice, send

API = "/api/v1/solidarity"
H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]
ACT = "Council Implementing Decision (EU) 2027/7"


def _world(client: TestClient, auth_headers: H) -> dict[str, str]:
    """The 2027 pool in implementation: AT (facing a significant migratory situation) pledged 200
    relocations, DE 300; IT is under migratory pressure with a need of 1,000 relocations."""
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="implementation", pledges={"AT": 200, "DE": 300},
              AT="significant_migratory_situation", IT="under_pressure")
    return com


def _ask(client: TestClient, auth_headers: H, **body: object) -> dict:
    r = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("at-admin"),
                    json={"on": "2027-01-04", "substantiation": ART_62_2} | body)
    assert r.status_code == 201, r.text
    return r.json()


def _assessed(client: TestClient, com: dict[str, str], d: dict, on: str = "2027-01-04") -> dict:
    r = client.post(f"{API}/deductions/{d['id']}/assessment", headers=com,
                    json={"version": d["version"], "justified": True, "on": on})
    assert r.status_code == 200, r.text
    return r.json()


def _account(client: TestClient, com: dict[str, str], ms: str) -> dict:
    overview = client.get(f"{API}/cycles/2027/overview", headers=com).json()
    return next(s for s in overview["accounts"]["states"] if s["member_state"] == ms)


def test_pledged_relocations_replaced_by_money_as_the_council_grants_it(client: TestClient,
                                                                       auth_headers: H) -> None:
    com = _world(client, auth_headers)
    d = _ask(client, auth_headers, relocations=0, replacement={"relocations": 150, "by": "financial"})
    # the request asks for no deduction, only for 150 of its pledged relocations to be replaced by money of
    # the same value: EUR 20,000 a relocation (Art 12(3)), the types of measure being of equal value
    assert d["replacement"] | {"legal_basis": None} == {
        "of": "relocations", "relocations": 150, "amount_eur": None, "by": "financial", "eur_per_relocation": 20_000,
        "eur": 3_000_000, "replacing_relocations": None, "description": None,
        "said": "150 pledged relocations replaced by financial contributions of EUR 3,000,000",
        "granted_relocations": None, "granted_amount_eur": None, "granted": None, "granted_eur": None,
        "granted_said": None, "legal_basis": None}
    assert d["replacement"]["legal_basis"][:3] == [
        "Regulation (EU) 2024/1351, Article 62(2)(b)", "Regulation (EU) 2024/1351, Article 56(2)",
        "Regulation (EU) 2024/1351, Article 56(2)(b)"]
    assert "Article 12(3)" in d["replacement"]["legal_basis"][3]
    # asked, nothing changes yet: the pool distributes the 200 relocations of AT's pledge
    assert _account(client, com, "AT")["replacement"] is None
    a = _assessed(client, com, d)
    # the Council's act authorises the replacement of 100 relocations only (a partial grant)
    r = client.post(f"{API}/deductions/{d['id']}/decision", headers=com, json={
        "version": a["version"], "granted": True, "on": "2027-01-04", "council_act_reference": ACT,
        "granted_replacement_relocations": 100})
    assert r.status_code == 200, r.text
    done = r.json()
    assert (done["status"], done["partial_grant"], done["granted_relocations"]) == ("granted", True, 0)
    assert (done["replacement"]["granted_relocations"], done["replacement"]["granted_eur"]) == (100, 2_000_000)
    account = _account(client, com, "AT")
    # the pledge of the Council's act establishing the pool stays as it was; what AT implements changes
    assert (account["pledged_relocations"], account["pledged_financial_eur"]) == (200, 0)
    assert account["replacement"] == {"relocations": 100, "replaced_financial_eur": 0, "replaced_alternative_eur": 0,
                                      "replacing_relocations": 0, "financial_eur": 2_000_000, "alternative_eur": 0,
                                      "relocations_after": 100, "financial_eur_after": 2_000_000,
                                      "alternative_eur_after": 0}
    assert account["deduction_relocations"] == 0 and account["pledged_relocation_equivalents"] == 200
    csv = client.get(f"{API}/cycles/2027/overview.csv", headers=com).text.splitlines()
    head = csv[0].split(",")
    at_row = dict(zip(head, next(r for r in csv if r.startswith("2027,AT,")).split(","), strict=True))
    assert (at_row["pledged_relocations"], at_row["replaced_relocations"], at_row["replacement_financial_eur"]) == (
        "200", "100", "2000000")
    overview = client.get(f"{API}/cycles/2027/overview", headers=com).json()
    assert (overview["accounts"]["totals"]["replaced_relocations"],
            overview["accounts"]["totals"]["replacement_financial_eur"]) == (100, 2_000_000)
    # the pool distributes 100 of AT's relocations to IT; the money is counted with the pool's
    dist = {x["member_state"]: x for x in client.get(f"{API}/cycles/2027/distribution", headers=com).json()}
    assert (dist["AT"]["relocations"], dist["AT"]["allocation"]) == (100, {"IT": 100})
    it = client.get(f"{API}/cycles/2027/pledges/IT", headers=auth_headers("it-admin")).json()
    assert it["receives"]["financial"]["pool_pledged_eur"] == 2_000_000
    # a further request can replace at most the 100 relocations AT's pledge still holds
    r = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("at-admin"), json={
        "on": "2027-01-04", "substantiation": ART_62_2, "relocations": 0,
        "replacement": {"relocations": 101, "by": "financial"}})
    assert r.status_code == 422
    assert [(e["loc"][-2:], e["msg"]) for e in r.json()["detail"]] == [
        (["replacement", "relocations"], "at most 100: AT pledged 200 relocations, of which 100 granted or asked "
                                         "to be replaced already")]


def test_alternative_measures_replace_relocations_and_are_said(client: TestClient, auth_headers: H) -> None:
    com = _world(client, auth_headers)
    r = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("at-admin"), json={
        "on": "2027-01-04", "substantiation": ART_62_2, "relocations": 0,
        "replacement": {"relocations": 50, "by": "alternative"}})
    assert r.status_code == 422 and [e["loc"][-2:] for e in r.json()["detail"]] == [["replacement", "description"]]
    d = _ask(client, auth_headers, relocations=20, replacement={
        "relocations": 50, "by": "alternative", "description": "Twelve asylum caseworkers seconded to IT for 2027"})
    a = _assessed(client, com, d)
    done = client.post(f"{API}/deductions/{d['id']}/decision", headers=com, json={
        "version": a["version"], "granted": True, "on": "2027-01-04", "council_act_reference": ACT}).json()
    # granted as asked: 20 relocation equivalents deducted, 50 relocations replaced by measures worth EUR 1,000,000
    assert (done["partial_grant"], done["granted_relocations"], done["replacement"]["granted_relocations"]) == (
        False, 20, 50)
    account = _account(client, com, "AT")
    assert account["deduction_relocations"] == 20
    assert account["replacement"]["alternative_eur_after"] == 1_000_000
    # the deduction is taken off the alternative measures first (relocations_to_implement): 150 relocations stay
    dist = {x["member_state"]: x for x in client.get(f"{API}/cycles/2027/distribution", headers=com).json()}
    assert dist["AT"]["relocations"] == 150


def test_the_council_grants_part_of_a_deduction(client: TestClient, auth_headers: H) -> None:
    com = _world(client, auth_headers)
    d = _ask(client, auth_headers, relocations=40)
    a = _assessed(client, com, d)
    url = f"{API}/deductions/{d['id']}/decision"
    base = {"version": a["version"], "on": "2027-01-04", "council_act_reference": ACT}

    def refused(**body: object) -> list[tuple[str, str]]:
        r = client.post(url, headers=com, json=base | body)
        assert r.status_code == 422, r.text
        return [(e["loc"][-1], e["msg"]) for e in r.json()["detail"]]

    assert refused(granted=True, granted_relocations=41) == [
        ("granted_relocations", "at most 40: AT asked for a deduction of 40 relocations")]
    assert refused(granted=True, granted_replacement_relocations=5) == [
        ("granted_replacement_relocations", "AT asked for no replacement of pledged relocations")]
    assert refused(granted=True, granted_relocations=0) == [
        ("granted", "the act grants neither a deduction nor a replacement: record it as a refusal")]
    assert refused(granted=False, granted_relocations=10) == [
        ("granted_relocations", "a refusal grants nothing: leave it out")]
    done = client.post(url, headers=com, json=base | {"granted": True, "granted_relocations": 25}).json()
    assert (done["status"], done["relocations"], done["granted_relocations"], done["partial_grant"]) == (
        "granted", 40, 25, True)
    assert _account(client, com, "AT")["deduction_relocations"] == 25
    # a new request counts the 25 granted, not the 40 asked
    fair_share = _account(client, com, "AT")["fair_share_relocations"]
    r = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("at-admin"), json={
        "on": "2027-01-04", "substantiation": ART_62_2, "relocations": fair_share - 24})
    assert r.status_code == 422 and f"at most {fair_share - 25:,}" in r.json()["detail"][0]["msg"]


def test_a_request_replaces_only_what_was_pledged(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="implementation", AT="significant_migratory_situation", IT="under_pressure")
    r = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("at-admin"), json={
        "on": "2027-01-04", "substantiation": ART_62_2, "relocations": 0,
        "replacement": {"relocations": 10, "by": "financial", "description": "money"}})
    assert r.status_code == 422
    assert [(e["loc"][-1], e["msg"]) for e in r.json()["detail"]] == [
        ("relocations", "AT pledged no relocations: only a contribution it pledged can be replaced by another type "
                        "of contribution"),
        ("description", "only alternative solidarity measures are described: financial contributions are an amount")]
    # neither a deduction nor a replacement: nothing is asked
    r = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("at-admin"), json={
        "on": "2027-01-04", "substantiation": ART_62_2, "relocations": 0})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "relocations"


def test_the_pages_take_the_replacement_and_the_partial_grant(client: TestClient, auth_headers: H,
                                                              web_client: W) -> None:
    com_h = _world(client, auth_headers)
    at = web_client("at-admin")
    html = at.get("/solidarity/pledge?year=2027").text
    typed = {"relocations": "0", "on": "2027-01-04", "replacement_relocations": "150", **ART_62_2}
    status, page = send(at, html, "deduction-form", **typed, replacement_by="alternative")
    assert status == 422 and errors(page, "deduction-errors") == [
        "Alternative measures: say which alternative solidarity measures replace the relocations "
        "(Regulation (EU) 2024/1351, Article 56(2)(c))"]
    assert forms(page)["deduction-form"][1]["replacement_relocations"] == "150"
    status, where = send(at, html, "deduction-form", **typed, replacement_by="financial")
    assert status == 303, where
    html = at.get(where).text
    assert notice(html) == ("Replacement of 150 pledged relocations by financial contributions of EUR 3,000,000 "
                            "requested: the Commission assesses it by 2027-02-01. It is listed under "
                            "\u201cDeductions\u201d below.")
    mine = html.split('id="deduction-requests"', 1)[1].split("</table>", 1)[0]
    assert "150 pledged relocations replaced by financial contributions of EUR 3,000,000" in mine

    com = web_client("com-solidarity")
    pool = com.get("/solidarity?year=2027").text
    d = client.get(f"{API}/cycles/2027/overview", headers=com_h).json()["deductions"][0]
    assert "150 pledged relocations replaced by financial contributions" in pool.split(
        'id="deductions-pending"', 1)[1].split("</table>", 1)[0]
    status, where = send(com, pool, f"assessment-{d['id']}", on="2027-01-04", justified="yes")
    assert status == 303, where
    pool = com.get(where).text
    fields = forms(pool)[f"decision-{d['id']}"][1]
    assert fields["granted_relocations"] == "0" and fields["granted_replacement_relocations"] == "150"
    status, page = send(com, pool, f"decision-{d['id']}", on="2027-01-04", granted="yes",
                        council_act_reference=ACT, granted_replacement_relocations="151")
    assert status == 422 and errors(page, "decision-errors") == [
        "Replacement granted (relocations): at most 150: AT asked for the replacement of 150 relocations"]
    status, where = send(com, pool, f"decision-{d['id']}", on="2027-01-04", granted="yes",
                         council_act_reference=ACT, granted_replacement_relocations="100")
    assert status == 303, where
    after = com.get(where).text
    assert notice(after) == ("AT's deduction request granted in part by the Council's implementing act: the deduction "
                             "and the pledged relocations replaced are shown in the table below.")
    row = after.split('<table id="deductions">', 1)[1].split("</table>", 1)[0]
    assert "granted: 100 pledged relocations replaced by financial contributions of EUR 2,000,000" in row
    accounts = after.split('<table id="accounts">', 1)[1].split("</table>", 1)[0]
    assert "100 replaced by EUR 2,000,000" in accounts
    html = at.get("/solidarity/pledge?year=2027").text
    assert "granted: 100 pledged relocations replaced by financial contributions of EUR 2,000,000" in html
    assert 'id="replacement-granted"' in html


def test_the_command_line_takes_the_replacement_and_the_partial_grant(
        services: Services, client: TestClient, auth_headers: H, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    com = _world(client, auth_headers)
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    runner = CliRunner()  # its services keep the tests' clock, 1 December 2026
    f = tmp_path / "d.json"
    monkeypatch.setenv("PACTUM_CLI_USER", "at-admin")
    f.write_text(json.dumps({"relocations": 0, "on": "2026-11-20", "substantiation": ART_62_2,
                             "replacement": {"relocations": 250, "by": "financial"}}))
    r = runner.invoke(app, ["solidarity", "deduction", "2027", str(f)])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1 and "replacement.relocations" in r.output
    f.write_text(json.dumps({"relocations": 0, "on": "2026-11-20", "substantiation": ART_62_2,
                             "replacement": {"relocations": 60, "by": "financial"}}))
    r = runner.invoke(app, ["solidarity", "deduction", "2027", str(f)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["replacement"]["eur"] == 1_200_000
    a = _assessed(client, com, d, on="2026-11-25")
    monkeypatch.setenv("PACTUM_CLI_USER", "com-solidarity")
    f.write_text(json.dumps({"version": a["version"], "granted": True, "on": "2026-11-27",
                             "council_act_reference": ACT, "granted_replacement_relocations": 30}))
    r = runner.invoke(app, ["solidarity", "deduction-decide", d["id"], str(f)])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["replacement"]["granted_eur"] == 600_000
    assert _account(client, com, "AT")["replacement"]["relocations_after"] == 170


def test_a_pledge_keeps_the_relocations_asked_to_be_replaced(client: TestClient, auth_headers: H) -> None:
    """While pledging is open a state may change its pledge: not below the relocations its deduction
    request asks to replace (the replacement is of them)."""
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", AT="significant_migratory_situation", IT="under_pressure")
    assert client.post(f"{API}/cycles/2027/pledges", headers=com,
                       json={"member_state": "AT", "relocations": 80}).status_code == 200
    r = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("at-admin"), json={
        "on": "2026-11-20", "substantiation": ART_62_2, "relocations": 0,
        "replacement": {"relocations": 50, "by": "financial"}})
    assert r.status_code == 201, r.text
    version = client.get(f"{API}/cycles/2027/pledges/AT", headers=com).json()["pledge"]["version"]
    r = client.post(f"{API}/cycles/2027/pledges", headers=com,
                    json={"member_state": "AT", "relocations": 40, "version": version})
    assert r.status_code == 422
    assert [(e["loc"][-1], e["msg"]) for e in r.json()["detail"]] == [
        ("relocations", "at least 50: AT's deduction requests ask, or the Council's act allowed, to replace 50 of its "
                        "pledged relocations by another type of contribution (Regulation (EU) 2024/1351, Articles "
                        "61(2)(b), 62(2)(b))")]
    assert client.post(f"{API}/cycles/2027/pledges", headers=com,
                       json={"member_state": "AT", "relocations": 50, "version": version}).status_code == 200


def test_the_councils_act_is_refused_naming_every_problem_at_once(client: TestClient, auth_headers: H,
                                                                  web_client: W) -> None:
    """No act named and a negative number granted: both said in one refusal (on the old code the act's
    reference was refused alone, the number only once it was named), through the API and the page."""
    com = _world(client, auth_headers)
    d = _ask(client, auth_headers, relocations=40, replacement={"relocations": 50, "by": "financial"})
    a = _assessed(client, com, d)
    r = client.post(f"{API}/deductions/{d['id']}/decision", headers=com, json={
        "version": a["version"], "granted": True, "on": "2027-01-04", "council_act_reference": " ",
        "granted_relocations": -5, "granted_replacement_relocations": 51})
    assert r.status_code == 422, r.text
    assert [(e["loc"][-1], e["msg"]) for e in r.json()["detail"]] == [
        ("council_act_reference", "name the Council implementing act that decides the request"),
        ("granted_relocations", "a number of relocations, 0 or more"),
        ("granted_replacement_relocations", "at most 50: AT asked for the replacement of 50 relocations")]
    # a refusal that grants a number, dated before the assessment, with no act: all three
    r = client.post(f"{API}/deductions/{d['id']}/decision", headers=com, json={
        "version": a["version"], "granted": False, "on": "2027-01-03", "granted_relocations": 5})
    assert [e["loc"][-1] for e in r.json()["detail"]] == ["council_act_reference", "granted_relocations", "on"]
    pool = web_client("com-solidarity").get("/solidarity?year=2027").text
    status, page = send(web_client("com-solidarity"), pool, f"decision-{d['id']}", on="2027-01-04", granted="yes",
                        council_act_reference="", granted_relocations="-5")
    assert status == 422 and errors(page, "decision-errors") == [
        "Council implementing act: name the Council implementing act that decides the request",
        "Deduction granted (relocations): a number of relocations, 0 or more"]
    # a date left blank on the form is said with the act's problems, not alone
    status, page = send(web_client("com-solidarity"), pool, f"decision-{d['id']}", on="", granted="yes",
                        council_act_reference="", granted_relocations="-5")
    assert status == 422 and [e.split(":")[0] for e in errors(page, "decision-errors")] == [
        "Council act adopted on", "Council implementing act", "Deduction granted (relocations)"]
    assert client.get(f"{API}/cycles/2027/overview", headers=com).json()["deductions"][0]["status"] == "assessed"


def test_a_deduction_request_is_refused_naming_every_problem_at_once(client: TestClient, auth_headers: H,
                                                                     web_client: W) -> None:
    """A negative deduction and a replacement of nothing, asked by a state on its own assessment with no
    grounds: all said in one refusal (on the old code the negative deduction was refused alone)."""
    _world(client, auth_headers)
    r = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("at-admin"), json={
        "on": "2027-01-04", "substantiation": ART_62_2, "relocations": -3,
        "replacement": {"relocations": 0, "by": "alternative"}})
    assert r.status_code == 422
    assert [e["loc"][-2:] for e in r.json()["detail"]] == [
        ["body", "relocations"], ["replacement", "relocations"], ["replacement", "description"]]
    r = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("de-admin"), json={
        "on": "2027-01-04", "relocations": -3})
    assert r.status_code == 422
    assert [e["loc"][-1] for e in r.json()["detail"]] == ["relocations", "grounds"]
    at = web_client("at-admin")
    html = at.get("/solidarity/pledge?year=2027").text
    status, page = send(at, html, "deduction-form", **ART_62_2, relocations="", on="", replacement_relocations="x")
    assert status == 422 and [e.split(":")[0] for e in errors(page, "deduction-errors")] == [
        "Relocations", "Requested on", "Pledged relocations to replace"]


def test_a_request_for_a_replacement_only_says_it_deducts_none(client: TestClient, auth_headers: H,
                                                                web_client: W) -> None:
    """A request that asks only for pledged relocations to be replaced deducts none: the lists say so
    (on the old code they showed "0" relocations with no word of why), a request with a deduction its number."""
    com = _world(client, auth_headers)
    d = _ask(client, auth_headers, relocations=0, replacement={"relocations": 30, "by": "financial"})
    cell = f'<td class="num"><span class="muted" id="replacement-only-{d["id"]}">none (replacement only)</span></td>'
    pledge = web_client("at-admin").get("/solidarity/pledge?year=2027").text
    assert cell in pledge.split('id="deduction-requests"', 1)[1].split("</table>", 1)[0]
    pool = web_client("com-solidarity").get("/solidarity?year=2027").text
    assert cell in pool.split('id="deductions-pending"', 1)[1].split("</table>", 1)[0]
    every = pool.split('<table id="deductions">', 1)[1].split("</table>", 1)[0]
    assert f'<td id="deduction-{d["id"]}"><span class="muted" id="replacement-only-{d["id"]}">none (replacement only)' \
           "</span> (Article 62)" in every
    _assessed(client, com, d)
    pool = web_client("com-solidarity").get("/solidarity?year=2027").text
    assert cell in pool.split('id="deductions-assessed"', 1)[1].split("</table>", 1)[0]
    other = _ask(client, auth_headers, relocations=12)
    pledge = web_client("at-admin").get("/solidarity/pledge?year=2027").text
    assert f"replacement-only-{other['id']}" not in pledge and '<td class="num">12</td>' in pledge


def test_the_command_line_says_every_problem_of_the_councils_act_on_one_line(
        services: Services, client: TestClient, auth_headers: H, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    com = _world(client, auth_headers)
    d = _ask(client, auth_headers, relocations=10, on="2026-11-20")
    a = _assessed(client, com, d, on="2026-11-25")
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "com-solidarity")
    f = tmp_path / "decision.json"
    f.write_text(json.dumps({"version": a["version"], "granted": True, "on": "2026-11-27",
                             "council_act_reference": "", "granted_relocations": -5}))
    r = CliRunner().invoke(app, ["solidarity", "deduction-decide", d["id"], str(f)])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1, r.output
    assert "council_act_reference" in r.output and "granted_relocations" in r.output
