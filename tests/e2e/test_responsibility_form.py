"""The determination form as a Dublin officer fills it in: field by field (no JSON to type),
lists of family members, documents and entries that grow a row at a time, problems said next to
the input they concern, filled in from a registered person's records (also through the API and
the CLI), and a recorded case that shows the facts it was determined on."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.web import facts_form
from tests.e2e.test_registry_api import ARRIVAL


class _Form(HTMLParser):
    """What a browser submits for the form ``form_id`` as the page shows it (no button pressed):
    inputs' values, ticked checkboxes as ``on``, each select's selected option."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []  # type: ignore[var-annotated]
        self._select: str | None = None
        self._first: str | None = None
        self._chosen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.fields.append((a["name"], "on"))
            elif a.get("type") not in ("submit",):
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select, self._first, self._chosen = a.get("name"), None, False
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = a.get("value") or ""
            if "selected" in a and not self._chosen:
                self.fields.append((self._select, a.get("value") or ""))
                self._chosen = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            if not self._chosen:
                self.fields.append((self._select, self._first or ""))
            self._select = None
        if tag == "form":
            self.inside = False


def submitted(page: str, form_id: str = "facts-form") -> list[tuple[str, str]]:
    parser = _Form(form_id)
    parser.feed(page)
    return parser.fields


FACTS = {
    "application": {"registered_in": "DE", "registered_on": "2026-11-20"},
    "applicant": {"date_of_birth": "2001-05-03", "unaccompanied_minor": False},
    "family_members": [{"relation": "spouse", "member_state": "NL", "status": "applicant",
                        "wishes_in_writing": True, "applied_together": False, "can_take_care": True}],
    "documents": [{"kind": "visa", "issued_by": "FR", "valid_from": "2026-01-01", "valid_until": "2026-02-01",
                   "visa_type": "short_stay"}],
    "diplomas": [],
    "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-03-01",
                 "also_waived_where_registered": False}],
    "stays": [{"member_state": "AT", "from": "2026-03-05", "to": "2026-04-01"}],
    "security_threat": False,
}


def test_the_form_shows_recorded_facts_and_posting_it_unchanged_gives_the_same_facts(
        client, auth_headers, web_client) -> None:
    case = client.post("/api/v1/responsibility/cases", headers=auth_headers("de-dublin"),
                       json={"reference": "DE-F-0", "facts": FACTS})
    assert case.status_code == 201, case.text
    page = web_client("de-dublin").get(f"/responsibility/cases?case_id={case.json()['id']}").text
    form: dict[str, str] = {}
    for k, v in submitted(page):
        form.setdefault(k, v)
    facts, blank = facts_form.facts_of_form(form)
    assert facts == case.json()["facts"]
    assert facts["family_members"] == FACTS["family_members"] and facts["stays"] == FACTS["stays"]
    # one blank row after the rows of each list, ready to fill in
    assert blank == {"family_members": 1, "documents": 1, "diplomas": 1, "entries": 1, "stays": 1,
                     "earlier_applications": 1}
    assert 'name="stays[0].from" value="2026-03-05"' in page
    assert '<option value="NL" selected>NL Netherlands</option>' in page


def test_a_determination_typed_field_by_field(web_client) -> None:
    web = web_client("de-caseworker")
    page = web.get("/responsibility/cases")
    assert page.status_code == 200 and "<textarea" not in page.text
    form = dict(submitted(page.text))
    assert form["application.registered_in"] == "DE"
    form.update({"application.registered_on": "2026-11-20", "documents[0].kind": "visa",
                 "documents[0].issued_by": "FR", "documents[0].valid_from": "2026-11-01",
                 "documents[0].valid_until": "2026-12-01", "determine": "1"})
    r = web.post("/responsibility/cases", data=form)
    assert r.status_code == 200, r.text
    assert "Responsible: <strong>FR</strong>" in r.text and "Regulation (EU) 2024/1351, Article 29(2)" in r.text
    # the facts each rule read, in words rather than JSON
    trace = r.text.split('<table class="trace">', 1)[1].split("</table>", 1)[0]
    assert "documents: (kind: visa; issued_by: FR; valid_from: 2026-11-01; valid_until: 2026-12-01)" in trace
    # the same facts as the API takes them, for whoever scripts it
    shown = json.loads(r.text.split("<pre>", 1)[1].split("</pre>", 1)[0].replace("&#34;", '"'))
    assert shown["documents"] == [{"kind": "visa", "issued_by": "FR", "valid_from": "2026-11-01",
                                   "valid_until": "2026-12-01"}]
    assert shown["family_members"] == [] and "dependency" not in shown


def test_a_refused_fact_is_said_next_to_its_input_and_the_typing_is_kept(web_client, services) -> None:
    from sqlalchemy import func, select

    from pactum.store.tables.responsibility import dublin_cases

    web = web_client("de-dublin")
    form = {"application.registered_in": "DE", "application.registered_on": "2026-11-20",
            "documents[0].kind": "visa", "documents[0].issued_by": "FR", "documents[0].valid_from": "2026-11-01",
            "documents[0].valid_until": "2026-10-01", "entries[0].kind": "irregular_crossing",
            "entries[0].member_state": "IT", "entries[0].on": "2026-12-01",
            "reference": "DE-F-1", "save": "1"}
    r = web.post("/responsibility/cases", data=form)
    assert r.status_code == 422
    assert ('<span class="error field-error" id="documents[0].valid_until-error">is before valid_from (2026-11-01)'
            in r.text)
    assert 'aria-describedby="entries[0].on-error"' in r.text
    assert "Document 1, Valid until: is before valid_from (2026-11-01)" in r.text
    assert "Entry 1, On: is after the application was registered (2026-11-20)" in r.text
    assert 'name="documents[0].valid_from" value="2026-11-01"' in r.text and 'value="DE-F-1"' in r.text
    with services.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(dublin_cases)).scalar() == 0
    # a value of no list's choices is kept and named, not dropped
    r = web.post("/responsibility/cases", data={**form, "documents[0].valid_until": "2026-12-01",
                                                "entries[0].on": "2026-10-01", "entries[0].kind": "swimming"})
    assert r.status_code == 422 and "Entry 1, Kind: &#39;swimming&#39; is not one of the choices" in r.text
    assert '<option value="swimming" selected>swimming</option>' in r.text
    # recording needs the officer's reference
    r = web.post("/responsibility/cases", data={**form, "documents[0].valid_until": "2026-12-01",
                                                "entries[0].on": "2026-10-01", "reference": ""})
    assert r.status_code == 422 and "reference: required to record the case" in r.text


def test_a_list_grows_a_row_at_a_time_and_blank_rows_are_not_facts(web_client) -> None:
    web = web_client("de-dublin")
    form = {"application.registered_in": "DE", "application.registered_on": "2026-11-20",
            "family_members[0].relation": "", "family_members[0].member_state": "",
            "family_members[0].can_take_care": "on",
            "family_members[1].relation": "child", "family_members[1].member_state": "SE",
            "family_members[1].status": "beneficiary_of_protection", "family_members[1].can_take_care": "on",
            "family_members[1].wishes_in_writing": "on", "add": "family_members"}
    r = web.post("/responsibility/cases", data=form)
    assert r.status_code == 200 and 'id="result"' not in r.text
    # the filled row first, then the blank row posted and the one added
    assert '<legend>Family member 3</legend>' in r.text and '<legend>Family member 4</legend>' not in r.text
    fields = dict(submitted(r.text))
    assert fields["family_members[0].relation"] == "child" and fields["family_members[1].relation"] == ""
    r = web.post("/responsibility/cases", data={**form, "add": "", "determine": "1"})
    assert r.status_code == 200
    # the child who is a beneficiary of protection, both having said so in writing (AMMR Art 26)
    assert "Responsible: <strong>SE</strong>" in r.text
    # a crafted post naming rows beyond any file is refused, naming the list
    many = {f"entries[{i}].kind": "irregular_crossing" for i in range(facts_form.MAX_ROWS + 1)}
    r = web.post("/responsibility/cases", data={**form, **many, "determine": "1"})
    assert r.status_code == 422 and f"entries: at most {facts_form.MAX_ROWS} rows on one form" in r.text


def _registered_with_application(client, auth_headers) -> str:  # type: ignore[no-untyped-def]
    h = auth_headers("it-caseworker")
    arrival = {**ARRIVAL, "identity": {**ARRIVAL["identity"], "date_of_birth": "1996-03-14"}}
    body = client.post("/api/v1/registry/arrivals", json=arrival, headers=h).json()
    s = body["screening"]
    answered = client.patch(f"/api/v1/registry/screenings/{s['id']}", headers=h, json={
        "version": 1, "family_in_member_state": "brother in Sweden (Malmö)"})
    assert answered.status_code == 200, answered.text
    app_ = client.post("/api/v1/procedures/applications", headers=h, json={
        "person_id": body["person_id"], "made_on": "2026-11-26", "registered_on": "2026-11-27",
        "context": "in_territory"})
    assert app_.status_code == 201, app_.text
    return str(body["person_id"])


def test_the_form_filled_in_from_a_persons_records_records_the_case_of_that_person(
        client, auth_headers, web_client) -> None:
    person_id = _registered_with_application(client, auth_headers)
    web = web_client("it-dublin")
    person_page = web.get(f"/registry/persons/{person_id}").text
    assert f'href="/responsibility/cases?person_id={person_id}"' in person_page
    page = web.get(f"/responsibility/cases?person_id={person_id}")
    assert page.status_code == 200
    assert "brother in Sweden (Malmö)" in page.text  # the screening's answer, to turn into a family member
    form = dict(submitted(page.text))
    assert form["person_id"] == person_id and form["applicant_name"] == "Mohammed Haddad"
    assert form["application.registered_in"] == "IT" and form["application.registered_on"] == "2026-11-27"
    assert form["applicant.date_of_birth"] == "1996-03-14"
    assert (form["entries[0].kind"], form["entries[0].member_state"], form["entries[0].on"]) == (
        "sar_disembarkation", "IT", "2026-11-25")
    form.update({"family_members[0].relation": "sibling", "family_members[0].member_state": "SE",
                 "family_members[0].status": "beneficiary_of_protection",
                 "reference": "IT-F-9", "save": "1"})
    r = web.post("/responsibility/cases", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    case_url = r.headers["location"].split("?")[0]
    case = web.get(case_url).text
    # a sibling is not a family member under Art 26 of the AMMR: the disembarkation in Italy decides
    assert 'id="responsible">IT<' in case
    assert "<th>Relation</th>" in case and "<td>sibling</td>" in case and "<td>SE</td>" in case
    assert f'href="/responsibility/cases?case_id={case_url.rsplit("/", 1)[1]}"' in case
    assert "IT-F-9" in web.get(f"/registry/persons/{person_id}").text
    again = dict(submitted(web.get(f"/responsibility/cases?case_id={case_url.rsplit('/', 1)[1]}").text))
    assert again["family_members[0].relation"] == "sibling" and again["person_id"] == person_id


def test_the_draft_facts_through_the_api_and_the_cli(client, auth_headers, services) -> None:
    person_id = _registered_with_application(client, auth_headers)
    r = client.get(f"/api/v1/responsibility/persons/{person_id}/facts", headers=auth_headers("it-dublin"))
    assert r.status_code == 200, r.text
    draft = r.json()
    assert draft["facts"] == {
        "application": {"registered_in": "IT", "registered_on": "2026-11-27"},
        "applicant": {"date_of_birth": "1996-03-14", "unaccompanied_minor": False},
        "entries": [{"kind": "sar_disembarkation", "member_state": "IT", "on": "2026-11-25"}]}
    assert {s["field"] for s in draft["sources"]} == {
        "application.registered_on", "applicant.date_of_birth", "applicant.unaccompanied_minor", "entries[0]"}
    assert any("brother in Sweden" in t for t in draft["to_check"])
    # the draft is the determination's own JSON: it determines as it is
    determined = client.post("/api/v1/responsibility/determinations", json=draft["facts"],
                             headers=auth_headers("it-dublin"))
    assert determined.status_code == 200 and determined.json()["responsible_member_state"] == "IT"
    # another state's officer does not see the person
    assert client.get(f"/api/v1/responsibility/persons/{person_id}/facts",
                      headers=auth_headers("de-dublin")).status_code == 404

    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "it-dublin"}
    out = CliRunner().invoke(app, ["responsibility", "facts", person_id, "--facts-only"], env=env)
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == draft["facts"]
    missing = CliRunner().invoke(app, ["responsibility", "facts", "per_nobody"], env=env)
    assert missing.exit_code == 2 and missing.stderr.count("\n") == 1 and "per_nobody" in missing.stderr


def test_records_of_the_same_person_in_other_states_become_entries_or_points_to_check(
        client, auth_headers, services) -> None:
    from sqlalchemy import insert, select

    from pactum.store.tables.identity import identity_links
    from pactum.store.tables.registry import identity_records

    person_id = _registered_with_application(client, auth_headers)
    el = client.post("/api/v1/registry/arrivals", headers=auth_headers("el-caseworker"), json={
        **ARRIVAL, "encounter": {"member_state": "EL", "occurred_at": "2026-06-20T06:30:00Z",
                                 "kind": "irregular_crossing"}}).json()
    at = client.post("/api/v1/registry/arrivals", headers=auth_headers("at-caseworker"), json={
        **ARRIVAL, "encounter": {"member_state": "AT", "occurred_at": "2026-07-20T06:30:00Z",
                                 "kind": "irregular_crossing"}}).json()
    with services.engine.begin() as conn:
        own = conn.execute(select(identity_records.c.id).where(identity_records.c.person_id == person_id)).scalar()
        for n, (other, colour, status) in enumerate(((el, "white", "automatic"), (at, "yellow", "pending"))):
            conn.execute(insert(identity_links).values(
                id=f"idl_test_{n}", record_id=own, linked_record_id=other["identity_record_id"], colour=colour,
                status=status, verifying_authority="IT", match_probability=0.99, basis={},
                created_at=services.clock.now(), version=1))
    draft = client.get(f"/api/v1/responsibility/persons/{person_id}/facts", headers=auth_headers("it-dublin")).json()
    # the crossing into Greece of the same person is an entry; Austria's record awaits verification
    assert draft["facts"]["entries"] == [
        {"kind": "irregular_crossing", "member_state": "EL", "on": "2026-06-20"},
        {"kind": "sar_disembarkation", "member_state": "IT", "on": "2026-11-25"}]
    assert any("identity_links" not in t and "AT" in t and "awaits verification" in t for t in draft["to_check"])
    determined = client.post("/api/v1/responsibility/determinations", json=draft["facts"],
                             headers=auth_headers("it-dublin")).json()
    assert determined["responsible_member_state"] == "EL"
