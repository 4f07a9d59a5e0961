"""User administration and the audit log as the QA walk found them: an administrator locking their
authority out of user administration, names and passwords the web could not change, no way to
change one's own password, an audit log without export, ids instead of names, times without offset,
and a dashboard that hid how many screenings are due."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.common.errors import Unauthenticated
from pactum.services import users
from tests.conftest import principal_of

runner = CliRunner()


def _user(services, username: str, as_user: str = "eu-admin") -> users.UserPublic:
    return users.user_by_username(services, principal_of(services, as_user), username)


# ------------------------------------------------------------------ 1. an administrator's own admin role


def test_an_administrator_cannot_change_their_own_roles(client, auth_headers, web_client, services):
    # separation of duties: no administrator removes or grants themself a role; another one can
    me = _user(services, "it-admin")
    h = auth_headers("it-admin")
    for roles in (["analyst"], ["admin", "caseworker", "dublin_unit", "return_officer", "auditor"]):
        r = client.patch(f"/api/v1/users/{me.id}", json={"version": me.version, "roles": roles}, headers=h)
        assert r.status_code == 409 and "your own roles" in r.text, roles
    # the web Save on one's own row: refused in the row, nothing changed
    r = web_client("it-admin").post(f"/admin/users/{me.id}", data={"version": str(me.version),
                                                                   "roles": "analyst", "active": "on"})
    assert r.status_code == 409 and "your own roles" in r.text
    after = _user(services, "it-admin")
    assert after.roles == me.roles and after.version == me.version
    # saving one's own row with the same roles (a new name) is fine
    r = client.patch(f"/api/v1/users/{me.id}", json={"version": me.version, "roles": me.roles,
                                                      "full_name": "Italian administrator"}, headers=h)
    assert r.status_code == 200 and r.json()["roles"] == me.roles


def test_no_change_leaves_an_authority_without_an_active_administrator(client, auth_headers, services):
    h = auth_headers("eu-admin")
    it_admin = _user(services, "it-admin")
    for body in ({"roles": ["caseworker"]}, {"active": False}):
        r = client.patch(f"/api/v1/users/{it_admin.id}", json={"version": it_admin.version, **body}, headers=h)
        assert r.status_code == 409 and "last active administrator of IT" in r.text, body
    assert _user(services, "it-admin").roles == it_admin.roles
    # with a second administrator of IT, the first may lose the role
    other = _user(services, "it-caseworker")
    r = client.patch(f"/api/v1/users/{other.id}", json={"version": other.version, "roles": ["admin"]}, headers=h)
    assert r.status_code == 200
    r = client.patch(f"/api/v1/users/{it_admin.id}", json={"version": it_admin.version, "roles": ["caseworker"]},
                     headers=h)
    assert r.status_code == 200 and r.json()["roles"] == ["caseworker"]


# ------------------------------------------------------------------ 2. names and passwords


def test_the_web_administration_changes_a_name_and_sets_a_password(web_client, services):
    admin = web_client("it-admin")
    target = _user(services, "it-caseworker")
    victim = web_client("it-caseworker")
    assert victim.get("/", follow_redirects=False).status_code == 200
    page = admin.get("/admin/users").text
    assert f'href="/admin/users/{target.id}/edit"' in page
    form = admin.get(f"/admin/users/{target.id}/edit")
    assert form.status_code == 200 and f'value="{target.full_name}"' in form.text
    # refused: too short, not confirmed; the name typed is kept, no password is shown back
    r = admin.post(f"/admin/users/{target.id}/edit", data={"version": str(target.version), "full_name": "Giulia Rossi",
                                                          "password": "short", "confirm_password": "short"})
    assert r.status_code == 422 and "at least 8 characters" in r.text and 'value="Giulia Rossi"' in r.text
    r = admin.post(f"/admin/users/{target.id}/edit", data={"version": str(target.version), "full_name": "Giulia Rossi",
                                                          "password": "new-secret-1", "confirm_password": "other"})
    assert r.status_code == 422 and "confirm_password" in r.text and "new-secret-1" not in r.text
    assert _user(services, "it-caseworker").version == target.version
    r = admin.post(f"/admin/users/{target.id}/edit", data={
        "version": str(target.version), "full_name": "Giulia Rossi", "password": "new-secret-1",
        "confirm_password": "new-secret-1"}, follow_redirects=False)
    assert r.status_code == 303
    assert "New password set" in admin.get(r.headers["location"]).text
    changed = _user(services, "it-caseworker")
    assert changed.full_name == "Giulia Rossi"
    users.authenticate(services, "it-caseworker", "new-secret-1")
    with pytest.raises(Unauthenticated):
        users.authenticate(services, "it-caseworker", "pactum-demo")
    # the user's sessions ended
    assert victim.get("/", follow_redirects=False).status_code in (302, 303, 307)
    entry = next(e for e in admin.get("/api/v1/audit", params={"entity_id": target.id}).json()
                 if e["action"] == "user.updated")
    assert entry["after"] == {"full_name": "Giulia Rossi", "password": "changed"}
    assert "new-secret-1" not in json.dumps(entry)
    # a name only: the password stays
    r = admin.post(f"/admin/users/{target.id}/edit", data={"version": str(changed.version), "full_name": "G. Rossi",
                                                          "password": "", "confirm_password": ""},
                   follow_redirects=False)
    assert r.status_code == 303
    assert _user(services, "it-caseworker").full_name == "G. Rossi"
    users.authenticate(services, "it-caseworker", "new-secret-1")
    # another authority's user is not this administrator's
    de = _user(services, "de-caseworker")
    assert admin.get(f"/admin/users/{de.id}/edit").status_code == 404
    r = admin.post(f"/admin/users/{de.id}/edit", data={"version": str(de.version), "full_name": "X",
                                                      "password": "long-enough-2", "confirm_password": "long-enough-2"})
    assert r.status_code == 404
    users.authenticate(services, "de-caseworker", "pactum-demo")


def test_every_user_changes_their_own_password_on_the_web(web_client, services):
    c = web_client("it-caseworker")
    other = web_client("it-caseworker")  # another session of the same user
    page = c.get("/account")
    assert page.status_code == 200 and 'name="current_password"' in page.text
    assert 'href="/account"' in c.get("/").text
    r = c.post("/account/password", data={"current_password": "wrong", "new_password": "brand-new-1",
                                          "confirm_password": "brand-new-1"})
    assert r.status_code == 422 and "current_password: not your current password" in r.text
    r = c.post("/account/password", data={"current_password": "pactum-demo", "new_password": "brand-new-1",
                                          "confirm_password": "brand-new-2"})
    assert r.status_code == 422 and "confirm_password" in r.text
    r = c.post("/account/password", data={"current_password": "pactum-demo", "new_password": "short",
                                          "confirm_password": "short"})
    assert r.status_code == 422 and "new_password" in r.text
    r = c.post("/account/password", data={"current_password": "pactum-demo", "new_password": "brand-new-1",
                                          "confirm_password": "brand-new-1"}, follow_redirects=False)
    assert r.status_code == 303
    assert "Your password was changed" in c.get(r.headers["location"]).text  # this session stays
    assert other.get("/", follow_redirects=False).status_code in (302, 303, 307)  # the other ended
    users.authenticate(services, "it-caseworker", "brand-new-1")
    entries = web_client("auditor").get("/api/v1/audit", params={"action": "user.password_changed"}).json()
    assert [e["actor"] for e in entries] == ["it-caseworker"] and "brand-new-1" not in json.dumps(entries)


def test_every_user_changes_their_own_password_through_the_api_and_the_cli(client, auth_headers, services):
    h, other = auth_headers("it-caseworker"), auth_headers("it-caseworker")
    bad = client.post("/api/v1/auth/password", json={"current_password": "nope", "new_password": "brand-new-1"},
                      headers=h)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "current_password"
    ok = client.post("/api/v1/auth/password", json={"current_password": "pactum-demo",
                                                    "new_password": "brand-new-1"}, headers=h)
    assert ok.status_code == 204
    assert client.get("/api/v1/me", headers=h).status_code == 200  # the token it was made with
    assert client.get("/api/v1/me", headers=other).status_code == 401  # another token: ended
    users.authenticate(services, "it-caseworker", "brand-new-1")

    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "it-caseworker"}
    r = runner.invoke(app, ["users", "password", "--current-password", "wrong", "--new-password", "brand-new-2"],
                      env=env)
    assert r.exit_code == 2 and "--current-password: " in r.stderr
    r = runner.invoke(app, ["users", "password", "--current-password", "brand-new-1",
                            "--new-password", "brand-new-2"], env=env)
    assert r.exit_code == 0, r.output
    users.authenticate(services, "it-caseworker", "brand-new-2")
    r = runner.invoke(app, ["users", "password", "--current-password", "x", "--new-password", "brand-new-3"],
                      env={"PACTUM_DATABASE_URL": services.settings.database_url})
    assert r.exit_code == 2 and "PACTUM_CLI_USER" in r.stderr


# ------------------------------------------------------------------ 3. the audit log


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_audit_log_names_users_and_writes_times_with_their_offset(client, auth_headers, web_client, services):
    target = _user(services, "it-caseworker")
    admin = auth_headers("it-admin")
    assert client.patch(f"/api/v1/users/{target.id}", json={"version": target.version, "full_name": "G. Rossi"},
                        headers=admin).status_code == 200
    h = auth_headers("auditor")
    entries = client.get("/api/v1/audit", params={"action": "user.updated"}, headers=h).json()
    assert entries and entries[0]["entity_id"] == target.id and entries[0]["entity_name"] == "it-caseworker"
    assert entries[0]["at"].endswith("+00:00")
    created = client.get("/api/v1/audit", params={"action": "user.created"}, headers=auth_headers("eu-admin")).json()
    assert created[0]["at"].endswith("+00:00") and created[0]["after"]["created_at"].endswith("+00:00")
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "auditor"}
    cli = json.loads(runner.invoke(app, ["audit", "list", "--action", "user.updated"], env=env).stdout)
    assert cli == entries
    page = web_client("auditor").get("/audit", params={"action": "user.updated"}).text
    row = page.split("user.updated</td>", 1)[1].split("</tr>", 1)[0]
    assert ">it-caseworker</a>" in row and target.id in row


def test_the_audit_log_is_exported_as_csv_with_the_same_filters(client, auth_headers, web_client, services):
    from tests.e2e.test_registry_api import ARRIVAL

    for _ in range(3):
        client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker"))
    h = auth_headers("auditor")
    params = {"actor": "it-caseworker", "action": "arrival."}
    as_json = client.get("/api/v1/audit", params=params, headers=h).json()
    r = client.get("/api/v1/audit.csv", params=params, headers=h)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = _rows(r.text)
    assert [int(x["seq"]) for x in rows] == [e["seq"] for e in as_json] and len(rows) == 3
    assert rows[0]["at"] == as_json[0]["at"] and rows[0]["at"].endswith("+00:00")
    assert json.loads(rows[0]["after"]) == as_json[0]["after"] and rows[0]["hash"] == as_json[0]["hash"]
    # every entry, not a page of them: the export goes on past the API's page
    everything = _rows(client.get("/api/v1/audit.csv", headers=h).text)
    assert len(everything) == len(client.get("/api/v1/audit", params={"limit": 1000}, headers=h).json())
    bad = client.get("/api/v1/audit.csv", params={"since": "2026-11-28", "until": "2026-11-01"}, headers=h)
    assert bad.status_code == 422
    assert client.get("/api/v1/audit.csv", headers=auth_headers("it-caseworker")).status_code == 403

    # the page offers the same file with its filters
    auditor = web_client("auditor")
    page = auditor.get("/audit", params=params).text
    link = unescape(re.search(r'<a href="([^"]+)" id="export"', page).group(1))
    assert link.startswith("/audit.csv?") and "actor=it-caseworker" in link
    assert auditor.get(link).text == r.text
    assert auditor.get("/audit.csv", params={"since": "yesterday"}).status_code == 422

    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "auditor"}
    cli = runner.invoke(app, ["audit", "list", "--format", "csv", "--actor", "it-caseworker", "--action", "arrival."],
                        env=env)
    assert cli.exit_code == 0, cli.output
    assert _rows(cli.stdout) == rows
    assert runner.invoke(app, ["audit", "list", "--format", "xml"], env=env).exit_code == 2


def test_a_cell_a_spreadsheet_would_compute_is_exported_as_text(services):
    from pactum.services import audit

    text = audit.entries_csv([{"seq": 1, "at": "2026-11-28T12:00:00+00:00", "actor": "=cmd|' /C calc'!A0",
                               "authority": "IT", "action": "x.y", "entity_type": "user", "entity_id": "@SUM(1)",
                               "entity_name": None, "before": None, "after": {"a": 1}, "prev_hash": "0",
                               "hash": "1"}])
    row = _rows(text)[0]
    assert row["actor"].startswith("'=") and row["entity_id"].startswith("'@") and row["after"] == '{"a": 1}'


# ------------------------------------------------------------------ 4. the dashboard's screenings


def test_the_dashboard_says_how_many_screenings_are_due_and_lists_them_all(client, auth_headers, web_client,
                                                                          monkeypatch):
    from tests.e2e.test_registry_api import ARRIVAL

    monkeypatch.setattr("pactum.web.views.platform.SCREENINGS_SHOWN", 2)
    c = web_client("it-caseworker")
    client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker"))
    assert "All 1 open screening shown." in c.get("/").text
    for _ in range(2):
        client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker"))
    page = c.get("/").text
    table = page.split('id="screenings-due"', 1)[1].split("</table>", 1)[0]
    assert table.count("/registry/screenings/") == 2
    assert "2 of 3 open screenings shown" in page
    link = unescape(re.search(r'<a href="([^"]+)">show all 3</a>', page).group(1))
    everything = c.get(link).text
    assert everything.split('id="screenings-due"', 1)[1].split("</table>", 1)[0].count("/registry/screenings/") == 3
    assert "All 3 open screenings shown" in everything
