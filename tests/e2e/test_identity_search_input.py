"""Bad input on the identity search and on a link decision is refused naming the field (a QA walk
found an unknown nationality answered with nothing and a blank reason stored). An impossible day
of birth is searched on what can be read of it (test_identity_search.py)."""

from __future__ import annotations


def _fields(r) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {".".join(str(x) for x in d["loc"][1:]): d["msg"] for d in r.json()["detail"]}


def test_an_unknown_nationality_is_refused(client, auth_headers) -> None:
    h = auth_headers("it-caseworker")
    for code in ("ZZZ", "UNK"):
        r = client.post("/api/v1/identity/search", headers=h, json={"surname": "Haddad", "nationality": code})
        assert r.status_code == 422 and set(_fields(r)) == {"nationality"}, r.text
    r = client.post("/api/v1/identity/search", headers=h, json={"surname": "Haddad", "nationality": "syr"})
    assert r.status_code == 200, r.text


def test_a_link_decision_needs_a_reason_that_is_not_blank(client, auth_headers) -> None:
    r = client.post("/api/v1/identity/links/idl_none/decision", headers=auth_headers("it-caseworker"),
                    json={"colour": "white", "reason": "     ", "version": 1})
    assert r.status_code == 422 and set(_fields(r)) == {"reason"}, r.text
