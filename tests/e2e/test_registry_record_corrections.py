"""Correcting a record's identity data on every channel: the API's ``POST
/api/v1/registry/records/{id}/corrections``, ``pactum registry correct`` and the person page's
"Correct identity data"; and the registration and screening forms' refused fields marked and
described for a screen reader."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from typer.testing import CliRunner

from pactum.cli.main import app as cli
from pactum.registry.model import RegisterArrival
from pactum.services import identity, registry
from tests.integration.test_registry_corrections_service import _arrival as service_arrival
from tests.integration.test_registry_corrections_service import _registered


def _arrival(surname: str, given: str, **kw: Any) -> RegisterArrival:
    """An arrival of the service tests, born in Sfax (the forms below post the place unchanged)."""
    return service_arrival(surname, given, place_of_birth="Sfax", **kw)


def _two_persons(services: Any, principal: Any) -> tuple[Any, Any]:
    """One man registered twice in Italy, the second time with given name and surname swapped and
    another date of birth: no link between the two records until the second is corrected."""
    it = principal("it-caseworker")
    first = _registered(services, it, _arrival("Haddad", "Karim"))
    second = _registered(services, it, _arrival("Karim", "Hadad", dob="1990-01-07", when="2026-11-22T09:00:00Z"))
    assert identity.links_of_person(services, it, second.person_id) == []
    return first, second


_SWAP = {"surname": "Haddad", "given_names": "Karim", "date_of_birth": "1994-05-02"}


def test_the_api_corrects_a_record_and_answers_the_comparison_made_with_the_corrected_data(
        client, auth_headers, services, principal):
    first, second = _two_persons(services, principal)
    url = f"/api/v1/registry/records/{second.identity_record_id}/corrections"
    body = {"changes": _SWAP, "reason": "given name and surname swapped, date of birth typed wrong"}
    assert client.post(url, json=body, headers=auth_headers("el-caseworker")).status_code == 404
    assert client.post("/api/v1/registry/records/idr_nope/corrections", json=body,
                       headers=auth_headers("it-caseworker")).status_code == 404
    assert client.post(url, json=body, headers=auth_headers("it-dublin")).status_code == 403
    bad = client.post(url, json={**body, "changes": {"date_of_birth": "1994-13-40"}},
                      headers=auth_headers("it-caseworker"))
    assert bad.status_code == 422
    assert [d["loc"] for d in bad.json()["detail"]] == [["body", "changes", "date_of_birth"]]
    bad = client.post(url, json={**body, "changes": {"date_of_birth": 1994}}, headers=auth_headers("it-caseworker"))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "changes", "date_of_birth"]
    bad = client.post(url, json={"changes": _SWAP, "reason": " "}, headers=auth_headers("it-caseworker"))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "reason"]
    bad = client.post(url, json={**body, "changes": {"surname": "Karim"}}, headers=auth_headers("it-caseworker"))
    assert bad.status_code == 422 and bad.json()["detail"] == [
        {"loc": ["body", "changes"], "msg": "nothing changed: every field given is as the record has it",
         "type": "value_error"}]

    r = client.post(url, json=body, headers=auth_headers("it-caseworker"))
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["record"]["surname"], out["record"]["given_names"], out["record"]["date_of_birth"]) == (
        "Haddad", "Karim", "1994-05-02")
    assert out["changed"] == ["surname", "given_names", "surname_latin", "given_names_latin", "date_of_birth"]
    (made,) = out["comparison"]["links_made"]
    assert made["colour"] == "yellow" and made["status"] == "pending"
    assert first.identity_record_id in [c["identity_record_id"] for c in out["comparison"]["candidates"]]
    # the same correction again changes nothing
    again = client.post(url, json=body, headers=auth_headers("it-caseworker"))
    assert again.status_code == 422 and again.json()["detail"][0]["loc"] == ["body", "changes"]
    # the person's record says it was corrected, by whom, what and why
    person = client.get(f"/api/v1/registry/persons/{second.person_id}", headers=auth_headers("it-caseworker"))
    (said,) = person.json()["corrections"]
    assert (said["identity_record_id"], said["by"], said["reason"]) == (
        second.identity_record_id, "it-caseworker", "given name and surname swapped, date of birth typed wrong")
    assert said["changed"] == out["changed"]


def test_the_command_corrects_a_record_and_says_what_changed_and_what_the_comparison_found(
        services, principal):
    _first, second = _two_persons(services, principal)
    rec = second.identity_record_id
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "it-caseworker"}
    runner = CliRunner()
    bad = runner.invoke(cli, ["registry", "correct", rec, "--date-of-birth", "1994-13-40", "--reason", "typo"],
                        env=env)
    assert bad.exit_code == 2 and bad.stderr.startswith("error: --date-of-birth: ") and bad.stdout == ""
    assert len(bad.stderr.strip().splitlines()) == 1
    bad = runner.invoke(cli, ["registry", "correct", rec, "--surname", "Karim", "--reason", "check"], env=env)
    assert bad.exit_code == 2 and "nothing changed" in bad.stderr
    bad = runner.invoke(cli, ["registry", "correct", "idr_nope", "--surname", "X", "--reason", "r"], env=env)
    assert bad.exit_code == 2 and "no identity record idr_nope in IT" in bad.stderr
    r = runner.invoke(cli, ["registry", "correct", rec, "--surname", "Haddad", "--given-names", "Karim",
                            "--date-of-birth", "1994-05-02", "--reason", "names swapped at registration"], env=env)
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["record"]["surname"] == "Haddad" and len(out["comparison"]["links_made"]) == 1
    assert (f"corrected {rec}: surname, given names, surname latin, given names latin, date of birth changed"
            in r.stderr)
    link = out["comparison"]["links_made"][0]
    assert re.search(rf"identity comparison of {rec}: \d+ candidates?, 1 link(;|$)", r.stderr, re.M)
    assert f"link {link['id']} yellow pending" in r.stderr


def test_the_person_page_offers_the_correction_and_shows_it_with_the_links_it_made(
        web_client, services, principal):
    first, second = _two_persons(services, principal)
    rec, page_url = second.identity_record_id, f"/registry/persons/{second.person_id}"
    it = web_client("it-caseworker")
    assert f'href="/registry/records/{rec}/correct"' in it.get(page_url).text
    dublin = web_client("it-dublin")
    assert "Correct identity data" not in dublin.get(page_url).text
    assert dublin.get(f"/registry/records/{rec}/correct").status_code == 403
    assert web_client("el-caseworker").get(f"/registry/records/{rec}/correct").status_code == 404

    form = it.get(f"/registry/records/{rec}/correct").text
    assert 'name="surname" value="Karim"' in form and 'name="given_names" value="Hadad"' in form
    assert 'name="surname_latin" value=""' in form  # a copy of the name as written follows it
    assert 'name="version" value="1"' in form
    typed = {"surname": "Haddad", "given_names": "Karim", "sex": "M", "date_of_birth": "1994-13-40",
             "place_of_birth": "Sfax", "nationality": "TUN", "document_type": "passport", "version": "1",
             "reason": "given name and surname swapped"}
    refused = it.post(f"/registry/records/{rec}/correct", data=typed, follow_redirects=False)
    assert refused.status_code == 422
    assert 'id="problem-1">Date of birth: ' in refused.text
    assert re.search(r'name="date_of_birth"[^>]*value="1994-13-40" aria-invalid="true" '
                     r'aria-describedby="problem-1"', refused.text)
    assert 'name="surname" value="Haddad">' in refused.text  # what was typed is kept, not marked
    same = it.post(f"/registry/records/{rec}/correct", data={**typed, "surname": "Karim", "given_names": "Hadad",
                                                             "date_of_birth": "1990-01-07"}, follow_redirects=False)
    assert same.status_code == 422 and "Nothing changed: every field given is as the record has it" in same.text

    services.clock.set(services.clock.now() + timedelta(hours=1))
    saved = it.post(f"/registry/records/{rec}/correct", data={**typed, "date_of_birth": "1994-05-02"},
                    follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].startswith(f"{page_url}?corrected={rec}")
    page = it.get(saved.headers["location"]).text
    notice = page.split('id="corrected"', 1)[1].split("</div>", 1)[0]
    assert f"Corrected: identity record {rec}" in notice and "1 new link (" in notice
    corrections = page.split('id="corrections"', 1)[1].split("</table>", 1)[0]
    assert "it-caseworker (IT)" in corrections and "given name and surname swapped" in corrections
    assert "surname, given names" not in corrections and "date of birth" in corrections.lower()
    link_id = re.search(r'href="/identity/links/(IDL_[^"]+)"', page).group(1)
    assert "made when record" in page and "after its correction" in page
    # the first person's page: the new link, made with the corrected data
    assert link_id in it.get(f"/registry/persons/{first.person_id}").text


def test_a_link_made_before_a_correction_says_so_on_the_person_page_and_the_link_page(
        web_client, services, principal):
    it_officer = principal("it-caseworker")
    first = _registered(services, it_officer, _arrival("Gharbi", "Walid"))
    second = _registered(services, it_officer, _arrival("Garbi", "Walid", when="2026-11-22T09:00:00Z"))
    (link,) = identity.links_of_person(services, it_officer, second.person_id)
    it = web_client("it-caseworker")
    assert "corrected after this link was made" not in it.get(f"/identity/links/{link['id']}").text.lower()
    services.clock.set(services.clock.now() + timedelta(hours=1))
    form = {"surname": "Gharbi", "given_names": "Walid", "sex": "M", "date_of_birth": "1994-05-02",
            "place_of_birth": "Sfax", "nationality": "TUN", "document_type": "passport", "version": "1",
            "reason": "surname misspelt at registration"}
    r = it.post(f"/registry/records/{second.identity_record_id}/correct", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    for person in (first.person_id, second.person_id):
        page = it.get(f"/registry/persons/{person}").text
        note = page.split(f'id="corrected-since-{link["id"]}-1"', 1)[1].split("</div>", 1)[0]
        assert f"Record {second.identity_record_id} corrected after this link was made" in note
        assert "evidence compared the data as they were" in note
    link_page = it.get(f"/identity/links/{link['id']}").text
    notice = link_page.split('id="corrected-since"', 1)[1].split("</div>", 1)[0]
    assert f"Record {second.identity_record_id} (IT) corrected" in notice and "surname misspelt" in notice
    history = link_page.split('id="history"', 1)[1].split("</section>", 1)[0]
    assert f"record {second.identity_record_id} corrected by it-caseworker" in history


def test_the_registration_form_marks_each_refused_field_and_describes_it(web_client):
    it = web_client("it-caseworker")
    r = it.post("/registry/register", data={"surname": "Refusedtest", "nationality": "ITA", "date_of_birth": "1994-13",
                                            "kind": "irregular_crossing", "occurred_at": "2026-11-27T05:39",
                                            "document_type": "passport"}, follow_redirects=False)
    assert r.status_code == 422
    for name, path, said in (("nationality", "identity-nationality", "Nationality: "),
                             ("date_of_birth", "identity-date_of_birth", "Date of birth: ")):
        assert re.search(rf'name="{name}"[^>]*aria-invalid="true" aria-describedby="{path}-error"', r.text), name
        assert re.search(rf'<span class="error field-error" id="{path}-error">{said}', r.text), name
    assert 'name="surname" value="Refusedtest">' in r.text  # a field not refused is not marked
    # a name missing altogether is said beside the surname and the given names
    r = it.post("/registry/register", data={"nationality": "SYR", "kind": "irregular_crossing",
                                            "occurred_at": "2026-11-27T05:39"}, follow_redirects=False)
    assert r.status_code == 422
    assert 'aria-describedby="identity-surname-error"' in r.text
    assert 'aria-describedby="identity-given_names-error"' in r.text


def test_the_screening_form_marks_each_refused_field_and_describes_it(web_client, services, principal):
    reg = registry.register_arrival(services, principal("it-caseworker"),
                                    _arrival("Screened", "Sami", when="2026-11-27T09:00:00Z"))
    assert reg.screening is not None
    it = web_client("it-caseworker")
    r = it.post(f"/registry/screenings/{reg.screening.id}",
                data={"version": "1", "applied_for_protection": "yes", "outcome": "return"}, follow_redirects=False)
    assert r.status_code == 422
    problems = dict(re.findall(r'<li id="(problem-\d+)">([^<]+)</li>', r.text))
    marked = re.findall(r'name="(\w+)"[^>]*aria-invalid="true" aria-describedby="([^"]+)"', r.text)
    assert {name for name, _ in marked} == {"outcome", "database_hit"}
    for name, ids in marked:
        assert all(i in problems for i in ids.split()), (name, ids, problems)
    assert any("return" in problems[i] for name, ids in marked if name == "outcome" for i in ids.split())
