"""The follow-up editor's actions on the web: a new item of each kind, removing an item from a date,
and importing a whole CSV file after a preview of what it changes; refused to everyone else."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import func, select

from pactum.services import followup
from pactum.services.auth import SYSTEM
from pactum.store.tables.followup import followup_item_versions
from pactum.store.tables.platform import audit_log
from tests.conftest import unlabelled_fields

EDITOR = "com-analyst"


@pytest.fixture
def loaded(services):
    followup.load(services, SYSTEM)
    return services


def _versions(services) -> int:
    with services.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(followup_item_versions)).scalar_one()


def _hidden(html: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)}


def _export_csv(client, auth_headers) -> str:
    r = client.get("/api/v1/followup/export", params={"format": "csv"}, headers=auth_headers(EDITOR))
    assert r.status_code == 200
    return r.text


def _csv_with(text: str, change) -> str:
    """The exported CSV with ``change(row)`` applied to each row (None drops the row)."""
    reader = csv.DictReader(io.StringIO(text))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    for row in reader:
        row = change(row)
        if row is not None:
            writer.writerow(row)
    return out.getvalue()


# ------------------------------------------------------------------ a new item


# each kind, the page that lists its items and links to its form
LIST_PAGES = {
    "commitment": "/followup", "partner": "/followup/partners",
    "action": "/followup/commitments/2", "milestone": "/followup/commitments/2",
    "funding": "/followup/commitments/2", "action_plan": "/followup/action-plans",
    "plan_milestone": "/followup/action-plans/atlantic_western_mediterranean",
}


def test_each_kind_has_a_new_item_form_reached_from_the_page_that_lists_it(loaded, web_client):
    c = web_client(EDITOR)
    for kind, page in LIST_PAGES.items():
        listing = c.get(page).text
        link = re.search(rf'href="(/followup/items/{kind}/new[^"]*)"', listing)
        assert link, (kind, page)
        form = c.get(unescape(link.group(1)))
        assert form.status_code == 200, (kind, form.text)
        assert "<h1>New " in form.text and 'action="/followup/items/' + kind + '/new"' in form.text
        assert unlabelled_fields(form.text) == [], kind
        assert " readonly" not in form.text  # the key, number or code of a new item is typed
    # the edit form's fields, the same widgets: a funding line's stage is a choice, its tranches YAML
    funding = c.get("/followup/items/funding/new?parent=2").text
    assert '<select name="stage"' in funding and 'name="tranches" rows="5" class="mono"' in funding
    assert '<option value="2" selected>Commitment 2:' in funding
    assert c.get("/followup/items/edition/new").status_code == 404
    assert c.get("/followup/items/nonsense/new").status_code == 404


def test_editor_creates_an_action_and_finds_it_in_the_api_and_on_its_commitment_page(
        loaded, web_client, client, auth_headers, services):
    c = web_client(EDITOR)
    r = c.post("/followup/items/action/new", data={
        "parent": "2", "key": "2.z", "text": "Montenegro: readmission talks opened.", "group": "",
        "lead": "Commission", "partners": "", "status": "ongoing", "status_note": "",
        "start_on": "2026-11-02", "end_on": "", "indicator": "", "footnote": "", "figures": "",
        "funding_refs": "", "valid_from": "2026-11-20", "reason": "talks opened"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/followup/items/action/2.z/history?done=created"
    history = c.get(r.headers["location"]).text
    assert "Created action 2.z as version 1, in the state of play from 2026-11-20" in history
    assert 'href="/followup/commitments/2"' in history and "talks opened" in history

    api = client.get("/api/v1/followup/items/action/2.z", headers=auth_headers("it-caseworker"))
    assert api.status_code == 200
    assert api.json()["parent"] == "2" and api.json()["data"]["status"] == "ongoing"
    assert api.json()["data"]["text"] == "Montenegro: readmission talks opened."
    page = c.get("/followup/commitments/2").text
    assert 'id="action-2.z"' in page and "Montenegro: readmission talks opened." in page
    # from its date only
    assert 'id="action-2.z"' not in c.get("/followup/commitments/2", params={"as_of": "2026-11-19"}).text
    with services.engine.connect() as conn:
        audited = conn.execute(select(audit_log.c.action, audit_log.c.actor).where(
            audit_log.c.entity_type == "followup_item", audit_log.c.entity_id == "action:2.z")).all()
    assert [(a.action, a.actor) for a in audited] == [("followup.created", EDITOR)]


def test_a_new_commitment_and_partner_from_their_lists(loaded, web_client):
    c = web_client(EDITOR)
    r = c.post("/followup/items/commitment/new", data={
        "number": "16", "source_meeting": "European Council", "source_date": "2026-10",
        "text": "The European Council calls for a new pact follow-up.", "valid_from": "", "reason": ""},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    assert c.get("/followup").text.count('href="/followup/commitments/') == 16
    r = c.post("/followup/items/partner/new", data={
        "code": "GHA", "name": "Ghana", "region": "West Africa", "pillars": "border management\nreturns",
        "note": "", "valid_from": "2026-11-28"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert 'href="/followup/partners/GHA"' in c.get("/followup/partners").text


def test_a_refused_new_item_keeps_what_was_typed_and_says_each_problem_next_to_its_field(loaded, web_client, services):
    c = web_client(EDITOR)
    before = _versions(services)
    typed = {"parent": "11", "key": "11.F99", "action": "", "amount_eur": "200m", "instrument": "NDICI typed",
             "stage": "committed", "beneficiary": "", "partners": "TUN", "date": "", "note": "kept note",
             "tranches": "", "components": "", "valid_from": "2026-12-31", "reason": "kept reason"}
    r = c.post("/followup/items/funding/new", data=typed)
    assert r.status_code == 422
    assert 'id="error-amount_eur"' in r.text and "not an amount in euro" in r.text
    for value in ("11.F99", "NDICI typed", "kept note", "kept reason", "200m", "2026-12-31"):
        assert f'value="{value}"' in r.text or f">{value}</textarea>" in r.text, value
    assert '<option value="11" selected>' in r.text
    # an existing key: 409, the form kept
    r = c.post("/followup/items/action/new", data={"parent": "2", "key": "2.j", "text": "again",
                                                   "lead": "Commission", "status": "planned"})
    assert r.status_code == 409 and "action 2.j already exists" in r.text and 'value="2.j"' in r.text
    assert _versions(services) == before


# ------------------------------------------------------------------ removing an item


def test_editor_removes_an_action_from_a_date_and_the_history_keeps_it(loaded, web_client, services):
    c = web_client(EDITOR)
    form = c.get("/followup/items/action/2.j/edit").text
    assert 'action="/followup/items/action/2.j/remove"' in form and 'id="remove"' in form
    assert 'href="/followup/items/action/2.j/edit#remove"' in c.get("/followup/items/action/2.j/history").text
    r = c.post("/followup/items/action/2.j/remove", data={
        "version": "1", "valid_from": "2026-11-01", "reason": "appointed", "confirm": "yes"},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    history = c.get(r.headers["location"]).text
    assert "Removed action 2.j from 2026-11-01" in history
    assert "<td>deleted</td><td>2026-11-01</td>" in history and "appointed" in history
    assert "/followup/items/action/2.j/edit" not in history  # nothing to edit any more
    assert 'id="action-2.j"' not in c.get("/followup/report", params={"as_of": "2026-11-28"}).text
    assert 'id="action-2.j"' not in c.get("/followup/report", params={"as_of": "2026-11-01"}).text
    assert 'id="action-2.j"' in c.get("/followup/report", params={"as_of": "2026-10-31"}).text
    assert c.get("/followup/items/action/2.j/edit").status_code == 404
    with services.engine.connect() as conn:
        audited = conn.execute(select(audit_log.c.action, audit_log.c.actor).where(
            audit_log.c.entity_type == "followup_item", audit_log.c.entity_id == "action:2.j")).all()
    assert ("followup.deleted", EDITOR) in [(a.action, a.actor) for a in audited]


def test_a_removal_needs_the_tick_a_past_date_and_the_version_read(loaded, web_client, services):
    c = web_client(EDITOR)
    before = _versions(services)
    r = c.post("/followup/items/action/2.j/remove", data={
        "version": "1", "valid_from": "2026-12-01", "reason": "typed reason"})
    assert r.status_code == 422
    assert "Nothing was removed" in r.text
    assert 'id="remove-error-confirm"' in r.text and "tick the box to confirm the removal" in r.text
    assert 'value="typed reason"' in r.text and 'value="2026-12-01"' in r.text
    r = c.post("/followup/items/action/2.j/remove", data={"version": "1", "valid_from": "2026-12-01",
                                                          "confirm": "yes"})
    assert r.status_code == 422 and 'id="remove-error-valid_from"' in r.text
    assert "cannot be dated in the future" in r.text
    # a version someone else has changed since
    followup.update_item(services, SYSTEM, "action", "2.j", followup.ItemEdit(version=1, changes={"status": "ongoing"}))
    after_edit = _versions(services)
    r = c.post("/followup/items/action/2.j/remove", data={"version": "1", "valid_from": "2026-11-28",
                                                          "confirm": "yes"})
    assert r.status_code == 409 and "changed by someone else" in r.text
    # a commitment that still has items under it
    r = c.post("/followup/items/commitment/2/remove", data={"version": "1", "valid_from": "2026-11-28",
                                                            "confirm": "yes"})
    assert r.status_code == 409 and "remove them first" in r.text
    assert _versions(services) == after_edit == before + 1


# ------------------------------------------------------------------ importing a CSV file


def test_import_of_an_exported_csv_with_one_change_previews_then_applies_it(
        loaded, web_client, client, auth_headers, services):
    c = web_client(EDITOR)
    assert 'href="/followup/import"' in c.get("/followup").text
    exported = _export_csv(client, auth_headers)
    changed = _csv_with(exported, lambda row: {**row, "status": "completed", "status_note": ""}
                        if (row["kind"], row["key"]) == ("action", "2.j") else row)
    before = _versions(services)
    preview = c.post("/followup/import", data={"format": "auto", "valid_from": "2026-11-20"},
                     files={"file": ("followup.csv", changed.encode(), "text/csv")})
    assert preview.status_code == 200, preview.text
    assert 'id="plan-changed"' in preview.text
    table = preview.text.split('id="plan-changed"', 1)[1].split("</table>", 1)[0]
    assert "<td>2.j</td>" in table and "status" in table and table.count("<tr>") == 2  # header and one row
    assert "No item is created." in preview.text and "No item is removed." in preview.text
    assert "0 items created, 1 changed, 0 removed" in preview.text
    assert _versions(services) == before  # nothing written by the preview

    fields = _hidden(preview.text)
    r = c.post("/followup/import/confirm", data=fields, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/followup?as_of=2026-11-20&imported=1&created=0&changed=1&removed=0"
    assert "Imported: 0 items created, 1 changed and 0 removed" in c.get(r.headers["location"]).text
    assert _versions(services) == before + 1
    action = next(a for _, a in followup.current(services, date(2026, 11, 20)).actions() if a.key == "2.j")
    assert action.status.value == "completed"
    old = next(a for _, a in followup.current(services, date(2026, 11, 19)).actions() if a.key == "2.j")
    assert old.status.value == "blocked"
    assert "imported (csv)" in c.get("/followup/items/action/2.j/history").text
    # the same file again: nothing to do, no button
    again = c.post("/followup/import", data={"format": "csv", "valid_from": "2026-11-20"},
                   files={"file": ("changed.txt", changed.encode(), "text/plain")})
    assert again.status_code == 200 and "importing it changes nothing" in again.text
    assert "/followup/import/confirm" not in again.text


def test_an_import_confirmed_after_the_follow_up_changed_shows_the_new_preview(
        loaded, web_client, client, auth_headers, services):
    c = web_client(EDITOR)
    dropped = _first_plan_milestone(services)
    without = _csv_with(_export_csv(client, auth_headers),
                        lambda row: None if (row["kind"], row["key"]) == ("plan_milestone", dropped) else row)
    preview = c.post("/followup/import", data={"format": "csv", "valid_from": "2026-11-28"},
                     files={"file": ("f.csv", without.encode(), "text/csv")})
    assert preview.status_code == 200 and 'id="plan-removed"' in preview.text
    followup.update_item(services, SYSTEM, "action", "2.j",
                         followup.ItemEdit(version=1, changes={"status": "ongoing"}))
    before = _versions(services)
    r = c.post("/followup/import/confirm", data=_hidden(preview.text))
    assert r.status_code == 409
    assert "changed since the preview" in r.text
    assert "<td>2.j</td>" in r.text.split('id="plan-changed"', 1)[1].split("</table>", 1)[0]
    assert _versions(services) == before
    r = c.post("/followup/import/confirm", data=_hidden(r.text), follow_redirects=False)
    assert r.status_code == 303 and "removed=1" in r.headers["location"]


def _first_plan_milestone(services) -> str:
    return next(m.key for plan in followup.current(services).action_plans for m in plan.milestones)


def test_a_malformed_csv_is_refused_naming_line_and_column_with_nothing_written(
        loaded, web_client, client, auth_headers, services):
    c = web_client(EDITOR)
    exported = _export_csv(client, auth_headers)
    lines = exported.splitlines()
    line_no = next(i for i, line in enumerate(lines, start=1) if line.startswith("funding,1.F1,"))
    bad = _csv_with(exported, lambda row: {**row, "stage": "promised"}
                    if (row["kind"], row["key"]) == ("funding", "1.F1") else row)
    before = _versions(services)
    r = c.post("/followup/import", data={"format": "auto", "valid_from": "2026-11-28", },
               files={"file": ("followup.csv", bad.encode(), "text/csv")})
    assert r.status_code == 422
    assert "Nothing was imported" in r.text
    assert f"Line {line_no}, column stage: Input should be" in r.text
    assert 'id="error-file"' in r.text and 'value="2026-11-28"' in r.text
    assert "/followup/import/confirm" not in r.text
    # not UTF-8: the line of the first bad byte
    latin = exported.replace("Várhelyi", "V\udce1rhelyi").encode("utf-8", "surrogateescape")
    bad_line = latin.split(b"\xe1", 1)[0].count(b"\n") + 1
    r = c.post("/followup/import", data={"format": "csv"}, files={"file": ("f.csv", latin, "text/csv")})
    assert r.status_code == 422 and f"Line {bad_line}: not UTF-8 text: byte 0xe1" in r.text
    # a header lacking a column
    r = c.post("/followup/import", data={"format": "csv"},
               files={"file": ("f.csv", b"kind,key\nedition,\n", "text/csv")})
    assert r.status_code == 422 and "Line 1: the header lacks" in r.text
    # no file, an unknown name without a format chosen, a date to come
    r = c.post("/followup/import", data={"format": "auto", "valid_from": "2026-12-01"},
               files={"file": ("notes.txt", exported.encode(), "text/plain")})
    assert r.status_code == 422 and 'id="error-format"' in r.text
    r = c.post("/followup/import", data={"format": "csv", "valid_from": "2026-12-01"},
               files={"file": ("f.csv", exported.encode(), "text/csv")})
    assert r.status_code == 422 and 'id="error-valid_from"' in r.text and "future" in r.text
    r = c.post("/followup/import", data={"format": "csv"}, files={"file": ("", b"", "text/csv")})
    assert r.status_code == 422 and "choose the file to import" in r.text
    # a tampered confirmation
    r = c.post("/followup/import/confirm", data={"text": "not base64!", "format": "csv", "plan": "x",
                                                 "valid_from": "2026-11-28"})
    assert r.status_code == 422 and "did not come back whole" in r.text
    assert _versions(services) == before


# ------------------------------------------------------------------ only the follow-up editor


def test_users_without_the_editor_role_are_refused_and_offered_nothing(loaded, web_client, client, auth_headers,
                                                                       services):
    exported = _export_csv(client, auth_headers)
    before = _versions(services)
    for user in ("it-caseworker", "it-admin", "euaa-analyst"):
        c = web_client(user)
        for page in ("/followup", "/followup/partners", "/followup/commitments/2", "/followup/report?as_of=2026-11-28"):
            text = c.get(page).text
            assert "/new" not in text and "/followup/import" not in text, (user, page)
        assert "/edit#remove" not in c.get("/followup/items/action/2.j/history").text
        assert c.get("/followup/items/action/new").status_code == 403
        assert c.post("/followup/items/action/new", data={"parent": "2", "key": "2.y", "text": "x",
                                                          "lead": "Commission", "status": "planned"}).status_code == 403
        assert c.post("/followup/items/action/2.j/remove", data={"version": "1", "confirm": "yes"}).status_code == 403
        assert c.get("/followup/import").status_code == 403
        assert c.post("/followup/import", data={"format": "csv"},
                      files={"file": ("f.csv", exported.encode(), "text/csv")}).status_code == 403
        assert c.post("/followup/import/confirm", data={"text": "", "format": "csv", "plan": "x"}).status_code == 403
    # the administrator of an EU body may
    assert web_client("eu-admin").get("/followup/import").status_code == 200
    assert _versions(services) == before


def test_a_nul_in_a_new_item_or_a_removal_comes_back_on_its_page(loaded, web_client):
    c = web_client(EDITOR)
    r = c.post("/followup/items/partner/new", data={"code": "MNE", "name": "Monte\x00negro"})
    assert r.status_code == 422 and "<h1>New partner country</h1>" in r.text and 'value="Montenegro"' in r.text
    r = c.post("/followup/items/action/2.j/remove", data={"version": "1", "reason": "a\x00b", "confirm": "yes"})
    assert r.status_code == 422 and 'id="remove"' in r.text and 'value="ab"' in r.text


def test_an_edit_of_a_stale_version_is_refused_on_its_form_with_the_text_kept(loaded, web_client, services):
    followup.update_item(services, SYSTEM, "action", "2.j", followup.ItemEdit(version=1, changes={"status": "ongoing"}))
    r = web_client(EDITOR).post("/followup/items/action/2.j/edit", data={
        "version": "1", "status_note": "typed note", "valid_from": "2026-11-28"})
    assert r.status_code == 409
    assert "is at version 2, you edited version 1" in r.text and ">typed note</textarea>" in r.text
