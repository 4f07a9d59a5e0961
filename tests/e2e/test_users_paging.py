"""The platform's user list comes in pages (it was returned whole): ``limit``/``offset`` and
``X-Total-Count`` on the API, ``authority`` for the platform administrator, the pager on the users
page (a row saved from a later page comes back to it), ``--limit``/``--offset`` on the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.bootstrap import Services

runner = CliRunner()


def names(rows: list[dict[str, Any]]) -> list[str]:
    return [u["username"] for u in rows]


def test_users_come_in_pages_with_their_total(client: TestClient, auth_headers: Callable[[str], dict[str, str]]) -> None:
    h = auth_headers("eu-admin")
    whole = client.get("/api/v1/users", headers=h)
    every = names(whole.json())
    assert whole.headers["X-Total-Count"] == str(len(every)) and len(every) > 4
    # by authority, then user name: a page follows the one before, none overlapping
    assert every == [u["username"] for u in sorted(whole.json(), key=lambda u: (u["authority"], u["username"]))]
    seen: list[str] = []
    for offset in range(0, len(every), 3):
        page = client.get(f"/api/v1/users?limit=3&offset={offset}", headers=h)
        assert page.headers["X-Total-Count"] == str(len(every))
        seen += names(page.json())
    assert seen == every

    italy = client.get("/api/v1/users?authority=it", headers=h)
    assert {u["authority"] for u in italy.json()} == {"IT"} and "it-caseworker" in names(italy.json())
    assert italy.headers["X-Total-Count"] == str(len(italy.json()))
    # a state's administrator counts their own users only
    own = client.get("/api/v1/users?limit=1", headers=auth_headers("it-admin"))
    assert own.headers["X-Total-Count"] == italy.headers["X-Total-Count"] and len(own.json()) == 1

    bad = client.get("/api/v1/users?limit=1001&offset=-1", headers=h)
    assert bad.status_code == 422
    assert [(p["loc"], p["msg"]) for p in bad.json()["detail"]] == [
        (["query", "limit"], "1001 is not from 1 to 1000"), (["query", "offset"], "-1 is negative: give 0 or more")]
    r = client.get("/api/v1/users?authority=DE", headers=auth_headers("it-admin"))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "authority"]
    assert r.json()["detail"][0]["msg"] == "you manage the users of IT only"
    r = client.get("/api/v1/users?authority=XX", headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "authority"]


def test_the_cli_lists_a_page_of_users_and_says_how_many_there_are(services: Services) -> None:
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "eu-admin"}
    every = json.loads(runner.invoke(app, ["users", "list"], env=env).stdout)
    out = runner.invoke(app, ["users", "list", "--limit", "2", "--offset", "1"], env=env)
    assert out.exit_code == 0, out.output
    assert names(json.loads(out.stdout)) == names(every)[1:3]
    assert out.stderr == f"{len(every)} users in all: 2 printed from offset 1; see the next with --offset 3\n"
    out = runner.invoke(app, ["users", "list", "--authority", "IT"], env=env)
    assert {u["authority"] for u in json.loads(out.stdout)} == {"IT"} and out.stderr == ""
    out = runner.invoke(app, ["users", "list", "--limit", "1001"], env=env)
    assert out.exit_code == 2 and out.stderr.strip() == "error: --limit: 1001 is not from 1 to 1000"


def test_the_users_page_pages_and_a_row_saved_comes_back_to_its_page(
    web_client: Callable[[str], TestClient], client: TestClient, auth_headers: Callable[[str], dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pactum.web.views import platform as view

    monkeypatch.setattr(view, "USERS_PAGE", 2)
    italy = client.get("/api/v1/users?authority=IT", headers=auth_headers("eu-admin")).json()
    web = web_client("eu-admin")
    first = web.get("/admin/users", params={"authority": "IT"}).text
    assert f"{len(italy)} users; showing 1–2." in first and 'href="?authority=IT&amp;offset=2" rel="next"' in first
    assert f'id="user-{italy[0]["username"]}"' in first and f'id="user-{italy[2]["username"]}"' not in first
    second = web.get("/admin/users", params={"authority": "IT", "offset": 2}).text
    assert f'id="user-{italy[2]["username"]}"' in second and f'id="user-{italy[0]["username"]}"' not in second

    # a row of the second page saved: back to the second page, the notice naming the user
    target = italy[2]
    roles = [r for r in target["roles"]]
    saved = web.post(f"/admin/users/{target['id']}", data={
        "version": str(target["version"]), "roles": roles, "active": "", "offset": "2", "authority": "IT"},
        follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == (f"/admin/users?saved={target['username']}&authority=IT&offset=2"
                                         f"#user-{target['username']}")
    page = web.get(saved.headers["location"]).text
    assert f"User {target['username']} (IT) saved" in page and "inactive" in page
    assert f'id="user-{target["username"]}"' in page

    # an offset that is not one: said, the first page shown
    bad = web.get("/admin/users", params={"offset": "-2"})
    assert bad.status_code == 422 and "-2 is negative" in bad.text
