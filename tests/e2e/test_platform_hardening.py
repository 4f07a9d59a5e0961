"""What a QA walk of access control asked of the platform: logins that cannot be guessed at
speed nor tell which names exist, passwords that are not trivial, no administrator granting
themself roles (tests in test_platform_users_and_audit.py), a state's audit view that shows what
the platform administrator did to its users, the answers' security headers, and forms posted from
an opaque origin refused."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from pactum.store.tables.platform import audit_log


def _login(client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def test_five_failed_logins_close_a_name_for_fifteen_minutes(client, services) -> None:
    for _ in range(5):
        assert _login(client, "it-caseworker", "wrong-guess-1").status_code == 401
    # the right password is refused too while the name is closed, with when it opens again
    r = _login(client, "it-caseworker", "pactum-demo")
    assert r.status_code == 429 and "try again after 12:15 UTC" in r.json()["detail"]
    # and says in how many seconds, as a client or proxy reads it (RFC 9110 10.2.3)
    assert r.headers["Retry-After"] == str(15 * 60)
    services.clock.set(services.clock.now() + timedelta(minutes=5))
    page = client.post("/login", data={"username": "it-caseworker", "password": "pactum-demo"})
    assert page.status_code == 429 and "too many failed logins" in page.text
    assert page.headers["Retry-After"] == str(10 * 60)
    # another name is not affected
    assert _login(client, "de-caseworker", "pactum-demo").status_code == 200
    services.clock.set(services.clock.now() + timedelta(minutes=11))
    assert _login(client, "it-caseworker", "pactum-demo").status_code == 200
    with services.engine.connect() as conn:
        failed = conn.execute(select(audit_log.c.actor, audit_log.c.authority, audit_log.c.after).where(
            audit_log.c.action == "user.login_failed")).all()
    assert len(failed) == 5 and {(f.actor, f.authority) for f in failed} == {("it-caseworker", "IT")}
    assert all("password" not in f.after for f in failed)


def test_an_unknown_name_is_answered_as_a_known_one(client, services, monkeypatch) -> None:
    checked: list[str] = []
    verify = services.passwords.verify

    def spy(password_hash: str, password: str) -> bool:
        checked.append(password_hash)
        return verify(password_hash, password)

    monkeypatch.setattr(services.passwords, "verify", spy)
    unknown = _login(client, "nobody-here", "pactum-demo")
    known = _login(client, "it-caseworker", "not-the-password")
    assert unknown.status_code == known.status_code == 401
    assert unknown.json() == known.json()
    # the unknown name's password is checked against a hash as well: the same work, the same time
    assert len(checked) == 2 and all(h.startswith("$argon2") for h in checked)
    for _ in range(5):
        _login(client, "nobody-here", "guess")
    assert _login(client, "nobody-here", "guess").status_code == 429  # closed alike


def test_trivial_passwords_are_refused(client, auth_headers, services) -> None:
    h = auth_headers("it-admin")
    body = {"username": "it-new-officer", "full_name": "New officer", "authority": "IT", "roles": ["caseworker"]}
    for password, why in (("aaaaaaaa", "at least 5 different characters"),
                          ("Password1", "commonest passwords"),
                          ("12345678", "commonest passwords"),
                          ("abcdefghij", "consecutive"),
                          ("xx-it-new-officer-xx", "user name")):
        r = client.post("/api/v1/users", json={**body, "password": password}, headers=h)
        assert r.status_code == 422 and why in r.text, (password, r.text)
    r = client.post("/api/v1/users", json={**body, "password": "correct horse battery"}, headers=h)
    assert r.status_code == 201, r.text
    r = client.post("/api/v1/auth/password", json={"current_password": "pactum-demo", "new_password": "qwertyuiop"},
                    headers=auth_headers("it-caseworker"))
    assert r.status_code == 422 and "commonest passwords" in r.text


def test_a_states_audit_view_shows_what_the_platform_administrator_did_to_its_users(
        client, auth_headers, services) -> None:
    r = client.post("/api/v1/users", headers=auth_headers("eu-admin"), json={
        "username": "it-extra-caseworker", "full_name": "Extra caseworker", "authority": "IT",
        "roles": ["caseworker"], "password": "correct horse battery"})
    assert r.status_code == 201, r.text
    created = r.json()["id"]
    italy = client.get("/api/v1/audit", headers=auth_headers("it-admin")).json()
    entries = italy["entries"] if isinstance(italy, dict) else italy
    assert any(e["action"] == "user.created" and e["entity_id"] == created and e["actor"] == "eu-admin"
               for e in entries)
    germany = client.get("/api/v1/audit", headers=auth_headers("de-admin")).json()
    entries = germany["entries"] if isinstance(germany, dict) else germany
    assert not any(e["entity_id"] == created for e in entries)


def test_answers_carry_security_headers(client, auth_headers, web_client) -> None:
    page = web_client("it-caseworker").get("/")
    api = client.get("/api/v1/registry/persons", headers=auth_headers("it-caseworker"))
    for r in (page, api):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert "script-src 'self' 'unsafe-eval'" in r.headers["content-security-policy"]
    static = client.get("/static/css/pactum.css")
    assert "no-store" not in static.headers.get("cache-control", "")


def test_a_form_posted_from_an_opaque_origin_is_refused(web_client) -> None:
    c = web_client("it-admin")
    r = c.post("/logout", headers={"origin": "null"}, follow_redirects=False)
    assert r.status_code == 403 and "cross-site" in r.text
    assert c.get("/", follow_redirects=False).status_code == 200  # still logged in
    assert c.post("/logout", follow_redirects=False).status_code == 303
