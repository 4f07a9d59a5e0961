"""QA walk 17 of the web UI: the menu offers no page that refuses the user (F1), the error page's
way back works under the content security policy (F4), a refused form names its fields by their
labels in plain words (F9), keyboard users can skip the menu (F16), the follow-up report groups
thousands one way (F15). The layout at 375 px (F7, F8) is checked in a browser:
``test_qa17_web_browser.py``."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel, Field, ValidationError

from pactum.common.errors import ValidationProblem
from pactum.web.render import NATIONAL_PAGES, field_label, problems

#: One user of each kind the demo has: every role of a Member State's authority, and every EU body.
DEMO_ROLES = ("it-caseworker", "it-reviewer", "it-dublin", "it-return", "it-admin", "it-analyst",
              "eu-admin", "auditor", "com-solidarity", "com-analyst", "frontex-analyst", "euaa-analyst")
EU_BODY_USERS = ("eu-admin", "auditor", "com-solidarity", "com-analyst", "frontex-analyst", "euaa-analyst")


def _nav(html: str) -> list[str]:
    main_nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S)
    assert main_nav is not None
    return re.findall(r'<a href="([^"]+)"', main_nav.group(1))


# ------------------------------------------------------------------ F1: the menu


def test_every_menu_link_of_every_role_opens_without_a_refusal(web_client):
    for user in DEMO_ROLES:
        c = web_client(user)
        links = _nav(c.get("/").text)
        assert links, user
        for href in links:
            r = c.get(href)
            assert r.status_code == 200, (user, href, r.status_code)


def test_an_eu_body_is_not_offered_the_pages_of_a_member_states_records(web_client):
    """eu-LISA's administrator was offered Register, Search, Identity links and Returns: the search
    answered 403, the registration 422 on a "member state" field the form does not have, the
    return queue was always empty. A state's administrator keeps them."""
    for user in EU_BODY_USERS:
        c = web_client(user)
        home = c.get("/").text
        offered = set(_nav(home))
        assert not offered & NATIONAL_PAGES, (user, offered & NATIONAL_PAGES)
        assert 'href="/registry/register"' not in home, user  # nor a "Register an arrival" button
    it_admin = set(_nav(web_client("it-admin").get("/").text))
    assert {"/registry/search", "/identity/queue", "/returns"} <= it_admin
    assert "/registry/register" not in it_admin  # the caseworkers register arrivals, not the administrator


def test_the_national_pages_are_refused_or_empty_for_an_eu_body(web_client):
    """Why they are not offered: each one works on the user's Member State only."""
    c = web_client("eu-admin")
    search = c.get("/registry/search", params={"name": "ab"})
    assert search.status_code == 403 and "Member State authority" in search.text
    register = c.post("/registry/register", data={"surname": "Qa", "nationality": "SYR",
                                                  "kind": "irregular_crossing",
                                                  "occurred_at": "2026-11-27T05:00"})
    assert register.status_code in (403, 422) and "/registry/persons/" not in register.headers.get("location", "")


# ------------------------------------------------------------------ F4: the error page's way back


def test_the_error_page_leads_back_by_a_plain_link(web_client):
    """The "Back" link was ``javascript:history.back()``, which the content security policy blocks:
    the only action of every 403 and 404 page did nothing."""
    c = web_client("eu-admin")
    came_from = c.get("/registry/search", params={"name": "ab"},
                      headers={"Referer": "http://testserver/procedures/statistics?year=2025"})
    assert came_from.status_code == 403
    assert "javascript:" not in came_from.text
    assert '<a id="back" href="/procedures/statistics?year=2025">Back</a>' in came_from.text
    # another site's address is not followed; without a Referer the link leads home
    elsewhere = c.get("/no-such-page", headers={"Referer": "https://evil.example/x"})
    assert elsewhere.status_code == 404 and '<a id="back" href="/">Go to the home page</a>' in elsewhere.text
    direct = c.get("/no-such-page")
    assert '<a id="back" href="/">Go to the home page</a>' in direct.text
    assert "script-src 'self'" in direct.headers["content-security-policy"]


def test_a_refused_form_post_leads_back_to_its_form(web_client):
    c = web_client("it-caseworker")
    r = c.post("/admin/users", data={"username": "x"},
               headers={"Referer": "http://testserver/registry/register"})
    assert r.status_code == 403
    assert '<a id="back" href="/registry/register">Back</a>' in r.text


# ------------------------------------------------------------------ F9: refused forms in plain words


class _Form(BaseModel):
    person_id: str
    made_on: date
    context: str = Field(pattern="^(border_crossing_point|in_territory)$")
    colour: Any = None
    reason: str = Field(min_length=3)
    reasons: list[str] = Field(min_length=1)
    capacity: int


def _refused(**data: Any) -> list[str]:
    values = {"person_id": "per_1", "made_on": "2026-11-30", "context": "in_territory", "reason": "why",
              "reasons": ["a"], "capacity": "3"} | data
    with pytest.raises(ValidationError) as caught:
        _Form.model_validate(values)
    return problems(caught.value)


def test_a_blank_field_is_required_under_its_label_not_its_id():
    said = _refused(person_id=None, made_on="", capacity="", reasons=[], reason="ab")
    assert said == ["Person: required", "Made on: required", "Reason: at least 3 characters",
                    "Reasons: choose at least one", "Charter capacity (seats): required"]
    assert not any("Input should be" in s or "person_id" in s for s in said)


def test_a_wrong_value_is_quoted_with_what_the_field_takes():
    assert _refused(made_on="31/02/2026") == ["Made on: '31/02/2026' is not a date (YYYY-MM-DD)"]
    assert _refused(capacity="abc") == ["Charter capacity (seats): 'abc' is not a whole number"]


def test_a_services_problem_is_said_with_the_fields_label_and_plain_words():
    said = problems(ValidationProblem([
        ("event_at", "Invalid isoformat string: ''"), ("colour", "Input should be 'white', 'green' or 'red'"),
        ("current_password", "not your current password"), ("Person", "String should have at least 1 character"),
        ("weight_family", "'x' is not a whole number"), ("identity.documents.0.country", "required"),
        ("", "refused as a whole")]))
    assert said == ["Event: required", "Decision: choose one of: white, green or red",
                    "Current password: not your current password", "Person: required",
                    "Weight family: 'x' is not a whole number",
                    # a nested part of a command is labelled by its own form (the registration's)
                    "identity.documents.0.country: required", "refused as a whole"]
    assert field_label("reasons.0") == "Reasons"


def test_an_empty_application_form_names_its_fields(web_client):
    r = web_client("it-caseworker").post("/procedures/new", data={"person_id": "", "context": "", "made_on": ""})
    assert r.status_code == 422
    text = r.text.replace("&#39;", "'")
    assert "Person: required" in text and "Made on: required" in text
    assert "Input should be" not in text and "person_id:" not in text and "made_on:" not in text


# ------------------------------------------------------------------ F16: skip to the content


def test_the_first_link_of_every_page_skips_to_the_content(web_client):
    c = web_client("it-caseworker")
    for path in ("/", "/registry/register", "/procedures/new", "/law/parameters", "/no-such-page"):
        page = c.get(path).text
        body = page.split("<body>", 1)[1]
        first = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body)
        assert first is not None and 'href="#content"' in first.group(0), (path, first)
        assert "Skip to main content" in body.split("</a>", 1)[0]
        assert re.search(r'<main id="content"', page), path


# ------------------------------------------------------------------ F15: the follow-up report


def test_the_follow_up_report_groups_thousands_with_commas(services, web_client, monkeypatch):
    from pactum.services import followup
    from pactum.services.auth import SYSTEM

    followup.load(services, SYSTEM)
    computed = followup.live_values

    def large(conn: Any, annex: Any, on: date) -> dict[str, Any]:
        out = computed(conn, annex, on)
        for i, (name, live) in enumerate(out.items()):
            value = 2321 if i % 2 == 0 else {"IT": 1200, "EL": 1121}
            out[name] = live.model_copy(update={"available": True, "value": value, "reason": None})
        return out

    monkeypatch.setattr(followup, "live_values", large)
    page = web_client("com-analyst").get("/followup/report", params={"as_of": "2026-11-28"}).text
    assert "Live on 2026-11-28: <strong>2,321</strong>" in page
    assert "<strong>2,321 (IT 1,200, EL 1,121)</strong>" in page
    assert "2 321" not in page and "1 200" not in page
