"""The web UI as HTML: login, dashboard, registration form, person view, search, administration."""

from __future__ import annotations

import re

from pactum.services import users
from tests.conftest import principal_of, unlabelled_fields


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "surname": "Diallo", "given_names": "Mamadou", "sex": "M", "date_of_birth": "2001",
        "nationality": "GIN", "kind": "irregular_crossing", "occurred_at": "2026-11-26T04:10",
        "place": "Lampedusa", "route": "Central Mediterranean Route",
        "captured_at": "2026-11-26T08:00", "template_ref": "tpl-9",
    }
    data.update(overrides)
    return data


def test_login_page_logs_in_and_wrong_password_says_so(services):
    from fastapi.testclient import TestClient

    from pactum.api.app import create_app

    with TestClient(create_app(services)) as c:
        assert c.get("/", follow_redirects=False).headers["location"].startswith("/login")
        bad = c.post("/login", data={"username": "it-caseworker", "password": "nope"})
        assert bad.status_code == 401 and "wrong password" in bad.text
        nul = c.post("/login", data={"username": "it-case\x00worker", "password": "pactum-demo"})
        assert nul.status_code == 422 and "Username: must not contain the NUL character" in nul.text
        ok = c.post("/login", data={"username": "it-caseworker", "password": "pactum-demo"},
                    follow_redirects=False)
        assert ok.status_code == 303
        assert "HttpOnly" in ok.headers["set-cookie"] and "SameSite=lax" in ok.headers["set-cookie"]
        assert "Arrivals by route" in c.get("/").text


def test_register_an_arrival_then_see_it_on_the_person_page_and_the_dashboard(web_client):
    c = web_client("it-caseworker")
    r = c.post("/registry/register", data=_form(), follow_redirects=False)
    assert r.status_code == 303, r.text
    page = c.get(r.headers["location"]).text
    assert "Mamadou Diallo" in page and "Registered: identity record" in page
    assert "transmit by" in page
    dashboard = c.get("/").text
    assert "Mamadou Diallo" in dashboard  # its screening deadline is due
    assert 'data-spec=' in dashboard and "Central Mediterranean Route" in dashboard


def test_registration_form_shows_field_errors_and_keeps_the_input(web_client):
    c = web_client("it-caseworker")
    r = c.post("/registry/register", data=_form(nationality="QQQ", date_of_birth="2001-14"))
    assert r.status_code == 422
    assert "identity.nationality" in r.text and "identity.date_of_birth" in r.text
    assert 'value="Diallo"' in r.text


def test_screening_form_completes_with_an_outcome(web_client):
    c = web_client("it-caseworker")
    loc = c.post("/registry/register", data=_form(), follow_redirects=False).headers["location"]
    page = c.get(loc).text
    screening_url = re.search(r'href="(/registry/screenings/[^"]+)"', page).group(1)
    form = c.get(screening_url).text
    assert "(i) Cooperated" in form and "Article 17(1)" in form
    r = c.post(screening_url, data={"version": "1", "cooperated": "yes", "outcome": "asylum",
                                    "applied_for_protection": "yes", "database_hit": "no"},
               follow_redirects=True)
    assert 'badge ok">asylum' in r.text



def test_a_refused_screening_form_says_why_and_keeps_what_was_typed(web_client):
    c = web_client("it-caseworker")
    loc = c.post("/registry/register", data=_form(), follow_redirects=False).headers["location"]
    screening_url = re.search(r'href="(/registry/screenings/[^"]+)"', c.get(loc).text).group(1)
    # each problem names the field as the form labels it (the id is not the officer's word)
    for data, field in (({"version": "x", "languages": "Arabic, French"}, "Version"),
                        ({"version": "1", "languages": "Arabic, French", "outcome": "deported"}, "Outcome"),
                        ({"version": "1", "languages": "Arabic, French", "reason": "r" * 61}, "Reason")):
        r = c.post(screening_url, data=data)
        assert r.status_code == 422, data
        # each line has an id the refused field points to (aria-describedby)
        assert "Please correct" in r.text and re.search(rf'<li id="[^"]+">{field}:', r.text)
        assert 'value="Arabic, French"' in r.text
    # nothing was written: the screening is still open, at its first version
    page = c.get(screening_url).text
    assert 'badge warn">open' in page and 'name="version" value="1"' in page

def test_search_page_finds_by_name_in_own_state_only(web_client):
    it = web_client("it-caseworker")
    it.post("/registry/register", data=_form())
    assert "Mamadou Diallo" in it.get("/registry/search?name=diallo").text
    assert "No record matches." in web_client("de-caseworker").get("/registry/search?name=diallo").text


def test_other_states_person_page_is_not_found(web_client):
    loc = web_client("it-caseworker").post("/registry/register", data=_form(),
                                           follow_redirects=False).headers["location"]
    r = web_client("de-caseworker").get(loc)
    assert r.status_code == 404 and "Not found" in r.text


def test_admin_creates_a_user_for_own_authority_and_audit_page_verifies_the_chain(web_client):
    admin = web_client("it-admin")
    r = admin.post("/admin/users", data={"username": "it-new", "full_name": "New Officer",
                                         "authority": "IT", "password": "longenough1",
                                         "roles": "caseworker"}, follow_redirects=True)
    assert "it-new" in r.text
    dup = admin.post("/admin/users", data={"username": "it-new", "full_name": "X", "authority": "IT",
                                           "password": "longenough1", "roles": "caseworker"})
    assert dup.status_code == 422 and "already taken" in dup.text
    audit = admin.get("/audit").text
    assert "Hash chain intact" in audit and "user.created" in audit
    # an entry with no data says so, not "null"; one with data shows it under its name
    assert "<pre>null</pre>" not in audit
    created = audit.split("user.created", 1)[1].split("</tr>", 1)[0]
    assert "<strong>After</strong>" in created and "it-new" in created and "<strong>Before</strong>" not in created
    session = audit.split("web_session.opened", 1)[1].split("</tr>", 1)[0]
    assert "none recorded" in session



def test_user_administration_refuses_an_unknown_role_or_version_by_name(web_client, services):
    admin = web_client("it-admin")
    r = admin.post("/admin/users", data={"username": "it-new2", "full_name": "New Officer", "authority": "IT",
                                         "password": "longenough1", "roles": "superuser"})
    assert r.status_code == 422 and "Roles: " in r.text and "superuser" in r.text
    assert "it-new2" not in {u.username for u in users.users_page(services, principal_of(services, "it-admin"), limit=1000)["users"]}
    # the form keeps what the administrator typed (not the password)
    assert 'value="it-new2"' in r.text and 'value="New Officer"' in r.text and "longenough1" not in r.text
    other = admin.post("/admin/users", data={"username": "de-new", "full_name": "Neuer Beamter", "authority": "DE",
                                             "password": "longenough1", "roles": "caseworker"})
    assert other.status_code == 422 and "Authority: you create users of IT only" in other.text
    target = users.user_by_username(services, principal_of(services, "it-admin"), "it-caseworker")
    for data, field in (({"version": "one", "roles": "caseworker", "active": "on"}, "Version: "),
                        ({"version": str(target.version), "roles": "overlord", "active": "on"}, "Roles: ")):
        r = admin.post(f"/admin/users/{target.id}", data=data)
        assert r.status_code == 422 and field in r.text, data
    after = users.user_by_username(services, principal_of(services, "it-admin"), "it-caseworker")
    assert after.version == target.version and after.roles == target.roles and after.active

def test_caseworker_cannot_open_user_administration(web_client):
    r = web_client("it-caseworker").get("/admin/users")
    assert r.status_code == 403


def test_cross_site_form_post_is_refused(web_client):
    c = web_client("it-caseworker")
    r = c.post("/registry/register", data=_form(), headers={"Origin": "https://evil.example"})
    assert r.status_code == 403


def test_the_navigation_marks_only_the_page_one_is_on(web_client):
    import re

    c = web_client("it-caseworker")
    for path, label in (("/procedures/border", "Border procedure"), ("/procedures", "Asylum cases"),
                        ("/procedures/cases/unknown", "Asylum cases"), ("/", "Dashboard")):
        page = c.get(path).text
        current = re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', page)
        assert current == [label], (path, current)


def test_the_navigation_offers_no_page_that_refuses_the_user(web_client):
    import re

    for user in ("eu-admin", "it-admin", "it-caseworker", "com-solidarity", "auditor"):
        c = web_client(user)
        links = re.findall(r'<a href="([^"]+)"[^>]*>', c.get("/").text.split("</nav>")[0])
        assert links, user
        for href in links:
            assert c.get(href).status_code == 200, (user, href)


def test_no_tab_of_a_page_links_to_a_page_that_refuses_the_user(web_client):
    """The tabs under a page's heading (inbox/outbox, queue/statistics, pledge pages) offer only
    pages the user may open: a Commission analyst is not sent to a Dublin unit's inbox, an EU user
    not to a Member State's own pledge form."""
    import re

    for user in ("eu-admin", "it-caseworker", "it-dublin", "it-return", "com-solidarity", "frontex-analyst",
                 "auditor"):
        c = web_client(user)
        pages = re.findall(r'<a href="([^"]+)"[^>]*>', c.get("/").text.split("</nav>")[0])
        offered = set()
        for page in pages:
            for tabs in re.findall(r'<nav class="tabs"[^>]*>(.*?)</nav>', c.get(page).text, re.S):
                offered.update(re.findall(r'<a href="([^"]+)"', tabs))
        for href in sorted(offered):
            r = c.get(href.replace("&amp;", "&"))
            assert r.status_code == 200, (user, href, r.status_code)
    # an EU user's "Pledge pages" lead to the pool's table of states, each linked to its page
    c = web_client("com-solidarity")
    r = c.get("/solidarity/pledge", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/solidarity#accounts"



def test_every_form_field_on_the_navigation_pages_has_a_label(web_client):
    for user in ("eu-admin", "it-admin", "it-caseworker", "it-dublin", "it-return", "com-solidarity", "auditor"):
        c = web_client(user)
        for href in re.findall(r'<a href="([^"]+)"[^>]*>', c.get("/").text.split("</nav>")[0]):
            assert unlabelled_fields(c.get(href).text) == [], (user, href)
