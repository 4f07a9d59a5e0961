"""The generic error page says a refused field by its label and the problem in words.

A page whose filters are refused before its view runs (a number that is not one), or whose service
refuses what the page was asked (a ValidationProblem the page has no form to show next to), falls to
the error page. It named the field by its code and gave pydantic's wording ("limit: Input should be
a valid integer, unable to parse string as an integer"); an officer reads "Limit: 'many' is not a
whole number". It is also the page of a signed-in officer, with the navigation of their roles.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient


def _main(html: str) -> str:
    match = re.search(r"<main[^>]*>(.*)</main>", html, re.S)
    assert match is not None
    return match.group(1)


def test_a_filter_that_is_not_a_number_is_named_by_its_label(web_client: Callable[[str], TestClient]) -> None:
    r = web_client("it-caseworker").get("/procedures?limit=many")
    assert r.status_code == 422
    main = _main(r.text)
    assert "Please correct the input" in main
    assert "Limit: &#39;many&#39; is not a whole number" in main, main
    assert "Input should be" not in main and "limit:" not in main
    assert 'href="/logout"' in r.text or "Log out" in r.text  # the officer's own page, still signed in


def test_a_service_refusal_on_a_page_is_said_in_words(web_client: Callable[[str], TestClient]) -> None:
    """A refusal of the page's service, with no form to show it next to: the field's label."""
    c = web_client("it-caseworker")
    r = c.get("/procedures?nationality=ZZZZ")
    assert r.status_code == 422
    assert "<p class=\"error\" role=\"alert\">Nationality: " in _main(r.text), _main(r.text)
    r = c.get("/procedures/statistics?year=1")
    assert r.status_code == 422 and "Year: give a year between" in _main(r.text)


def test_a_page_for_other_roles_says_which_roles_in_words(web_client: Callable[[str], TestClient],
                                                          auth_headers: Callable[[str], dict[str, str]]) -> None:
    r = web_client("it-dublin").get("/awareness")
    assert r.status_code == 403
    assert "This needs the role of Analyst or Administrator, which your account does not hold." in _main(r.text)
    # the API keeps the roles' codes, its contract
    api = web_client("it-dublin").get("/api/v1/awareness/dashboard", headers=auth_headers("it-dublin"))
    assert api.status_code == 403 and api.json()["detail"] == "this action needs one of the roles: analyst, admin"
