"""The linkage model page (match weights per comparison level, verified outcomes) is in the menus of
those who verify links or study the model — a Dublin unit, an administrator, an analyst — and no
longer in a caseworker's or a return officer's, whose menus it crowded (a first-day walk); the page
still opens for them."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

Login = Callable[[str], TestClient]


def _menu(html: str) -> str:
    return html.split("<nav", 1)[1].split("</nav>", 1)[0]


def test_the_linkage_model_is_in_the_verifiers_and_analysts_menus_only(web_client: Login) -> None:
    for user in ("it-dublin", "it-admin", "it-analyst", "frontex-analyst"):
        assert 'href="/identity/model"' in _menu(web_client(user).get("/").text), user
    for user in ("it-caseworker", "it-return"):
        client = web_client(user)
        assert 'href="/identity/model"' not in _menu(client.get("/").text), user
        assert client.get("/identity/model").status_code == 200, user
