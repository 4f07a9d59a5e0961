"""The conditions of AMMR Art 63(8) on a responsibility offset, read in the Official Journal text
(Italian version): the article applies only where (a) the applicant is not an unaccompanied minor,
(b) the benefitting state was determined responsible on the criteria of Arts 29 to 33, (c) the time
limit of Art 39(1) has not yet expired, (d) the applicant has not absconded from the contributing
state, (e) the person is not a beneficiary of international protection (and (f) not an admitted
person, which Pactum's records cannot tell). Each application a condition excludes is refused with a
422 naming ``case_ids[i]`` and the point, is not counted among those that can be taken over, and a
take-over by number says which points left too few."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.registry.model import RegisterArrival
from pactum.responsibility.schemas import CaseCreate, RequestAction, RequestCreate
from pactum.services import registry, responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.store.tables.responsibility import dublin_cases
from tests.problem_paths import problem_fields as _locs

try:
    from .test_solidarity_offsets import API, VOLUNTARY, _adopted_pool, _case
except ImportError:  # tests/e2e is not a package
    from test_solidarity_offsets import API, VOLUNTARY, _adopted_pool, _case  # type: ignore[no-redef]

H = Callable[[str], dict[str, str]]
P = Callable[[str], Principal]


def _person(services: Services, who: Principal, surname: str) -> str:
    return registry.register_arrival(services, who, RegisterArrival.model_validate({
        "identity": {"given_names": "Karim", "surname": surname, "sex": "M", "date_of_birth": "1994-03-02",
                     "place_of_birth": "Sfax", "nationality": "SYR", "documents": []},
        "encounter": {"member_state": who.member_state, "occurred_at": "2026-09-20T10:00:00+00:00",
                      "kind": "irregular_crossing", "place": "Munich"}})).person_id


def _person_case(services: Services, who: Principal, ref: str, person_id: str) -> dict[str, Any]:
    return responsibility.create_case(services, who, CaseCreate.model_validate({
        "reference": ref, "person_id": person_id, "applicant_name": "Karim",
        "facts": {"application": {"registered_in": "DE", "registered_on": "2026-10-20"},
                  "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-08-01"}]}}))


def _eligible(client: TestClient, auth_headers: H) -> int:
    view = client.get(f"{API}/cycles/2026/offsets", headers=auth_headers("com-solidarity")).json()
    return sum(e["applications"] for e in view["eligible_applications"]
               if (e["beneficiary_member_state"], e["contributor_member_state"]) == ("IT", "DE"))


def test_each_condition_of_article_63_8_refuses_the_application_naming_its_point(
        client: TestClient, auth_headers: H, principal: P, services: Services,
        web_client: Callable[[str], TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _adopted_pool(client, auth_headers, VOLUNTARY)
    de_cw, de_unit, it_unit = principal("de-caseworker"), principal("de-dublin"), principal("it-dublin")
    free = _case(services, de_cw, "DE-C-FREE", "2026-11-02")
    assert _eligible(client, auth_headers) == 1

    # (a) the case's facts record an unaccompanied minor (born 2012: 14 on the take-over's day)
    minor = _case(services, de_cw, "DE-C-UAM", "2026-11-03")
    with services.engine.begin() as conn:
        row = conn.execute(dublin_cases.select().where(dublin_cases.c.id == minor["id"])).one()
        facts = dict(row.facts)
        facts["applicant"] = {"unaccompanied_minor": True, "date_of_birth": "2012-05-01"}
        conn.execute(update(dublin_cases).where(dublin_cases.c.id == minor["id"]).values(facts=facts))
    # (c) no take-charge request within two months of the registration (Art 39(1)): DE is responsible
    lapsed = _case(services, de_cw, "DE-C-LATE", "2026-09-01")
    # (d) accepted by Italy, then the transfer period extended because the applicant absconded from DE
    gone = _case(services, de_cw, "DE-C-GONE", "2026-10-05")
    req = responsibility.send_request(services, de_unit, gone["id"], RequestCreate.model_validate(
        {"kind": "take_charge", "requested_member_state": "IT"}))
    req = responsibility.act(services, it_unit, req["id"], "accept", RequestAction(version=req["version"]))
    responsibility.act(services, de_unit, req["id"], "extend_transfer",
                       RequestAction(version=req["version"], extension_reason="absconding"))
    # (e) a person whose Eurodac applicant data DE marked as a beneficiary of international protection
    person = _person(services, de_cw, "Haddad")
    with services.uow() as uow:
        registry.record_application_in_eurodac(uow, de_cw, person_id=person, made_on=date(2026, 9, 21))
        registry.mark_protection_granted(uow, de_cw, person_id=person, granted_on=date(2026, 11, 20))
        uow.commit()
    protected = _person_case(services, de_cw, "DE-C-BIP", person)
    for c in (minor, protected):
        assert c["determination"]["responsible_member_state"] == "IT"
        assert c["determination"]["criterion"] == "irregular_entry"

    # none of them is among the applications that can be taken over
    assert _eligible(client, auth_headers) == 1
    ids = [minor["id"], lapsed["id"], gone["id"], protected["id"]]
    r = client.post(f"{API}/cycles/2026/offsets", headers=auth_headers("de-admin"),
                    json={"beneficiary_member_state": "IT", "case_ids": ids, "on": "2026-11-28"})
    assert r.status_code == 422 and _locs(r) == [f"case_ids[{i}]" for i in range(4)], r.text
    msgs = [d["msg"] for d in r.json()["detail"]]
    assert "DE-C-UAM is an unaccompanied minor" in msgs[0]
    assert msgs[0].endswith("(Regulation (EU) 2024/1351, Article 63(8)(a))")
    assert "time limit of Article 39(1)" in msgs[1] and "Article 63(8)(c)" in msgs[1]
    assert "absconded from DE" in msgs[2] and "Article 63(8)(d)" in msgs[2]
    assert "beneficiary of international protection (granted by DE)" in msgs[3] and "Article 63(8)(e)" in msgs[3]
    for c in (minor, protected):  # nothing written
        got = responsibility.get_case(services, de_cw, c["id"])
        assert got["determination"]["responsible_member_state"] == "IT"

    # the offsets view counts them by the point that excludes them
    view = client.get(f"{API}/cycles/2026/offsets", headers=auth_headers("de-admin")).json()
    assert {e["legal_basis"]: e["applications"] for e in view["excluded_applications"]} == {
        f"Regulation (EU) 2024/1351, Article 63(8)({p})": 1 for p in "acde"}

    # by number: one can be taken over, and the refusal of two says which points excluded the others
    r = client.post(f"{API}/cycles/2026/offsets", headers=auth_headers("de-admin"),
                    json={"beneficiary_member_state": "IT", "count": 2, "on": "2026-11-28"})
    assert r.status_code == 422 and _locs(r) == ["count"], r.text
    msg = r.json()["detail"][0]["msg"]
    assert "only 1 application of persons" in msg and "(s)" not in msg
    assert "1 under Regulation (EU) 2024/1351, Article 63(8)(a)" in msg
    assert "1 under Regulation (EU) 2024/1351, Article 63(8)(e)" in msg
    # the same on the pledge page's form and from the command line
    de = web_client("de-admin")
    page = de.get("/solidarity/pledge?year=2026").text
    assert 'id="offset-excluded"' in page and "Article 63(8)(d)" in page.split('id="offset-excluded"', 1)[1]
    # point (f) is said not to be checked, rather than left out of the list as though it were
    assert "Point (f), a person admitted under Regulation (EU) 2024/1350, is not checked" in page
    bad = de.post("/solidarity/offsets", data={"year": "2026", "beneficiary_member_state": "IT", "count": "2",
                                               "on": "2026-11-28"})
    assert bad.status_code == 422 and "Article 63(8)(a)" in bad.text
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "de-admin")
    f = tmp_path / "o.json"
    f.write_text(json.dumps({"beneficiary_member_state": "IT", "case_ids": [gone["id"]], "on": "2026-11-28"}))
    out = CliRunner().invoke(app, ["solidarity", "offset-take-over", "2026", str(f)])
    assert out.exit_code == 2 and len(out.output.strip().splitlines()) == 1, out.output
    assert "case_ids[0]" in out.output and "Article 63(8)(d)" in out.output
    r = client.post(f"{API}/cycles/2026/offsets", headers=auth_headers("de-admin"),
                    json={"beneficiary_member_state": "IT", "count": 1, "on": "2026-11-28"})
    assert r.status_code == 201, r.text
    assert [t["case_id"] for t in r.json()["taken_over"]] == [free["id"]]


def test_an_applicant_of_age_by_the_take_over_is_no_longer_an_unaccompanied_minor(
        client: TestClient, auth_headers: H, principal: P, services: Services) -> None:
    """Art 63(8)(a) speaks in the present: an applicant recorded as an unaccompanied minor at the
    registration who is 18 by the day looked at (``ammr.responsibility_definitions.minor_age``) is
    not excluded; one whose date of birth is unknown keeps the flag."""
    _adopted_pool(client, auth_headers, VOLUNTARY)
    de_cw = principal("de-caseworker")
    grown = _case(services, de_cw, "DE-C-18", "2026-11-02")
    unknown = _case(services, de_cw, "DE-C-DOB", "2026-11-03")
    with services.engine.begin() as conn:
        for c, applicant in ((grown, {"unaccompanied_minor": True, "date_of_birth": "2008-11-01"}),
                             (unknown, {"unaccompanied_minor": True})):
            row = conn.execute(dublin_cases.select().where(dublin_cases.c.id == c["id"])).one()
            conn.execute(update(dublin_cases).where(dublin_cases.c.id == c["id"]).values(
                facts={**row.facts, "applicant": applicant}))
    r = client.post(f"{API}/cycles/2026/offsets", headers=auth_headers("de-admin"),
                    json={"beneficiary_member_state": "IT", "case_ids": [grown["id"], unknown["id"]],
                          "on": "2026-11-28"})
    assert r.status_code == 422 and _locs(r) == ["case_ids[1]"], r.text
    assert "Article 63(8)(a)" in r.json()["detail"][0]["msg"]
