"""An edit of one follow-up item is refused at the field the caller wrote (``changes.partners`` of
the PATCH, ``data.…`` of a new item), not at the item's place in the whole annex
(``commitments.0.actions.1.partners``); a problem the change causes in another item names that
item."""

from __future__ import annotations

from sqlalchemy import func, select

from pactum.services import followup
from pactum.services.auth import SYSTEM
from pactum.store.tables.followup import followup_item_versions


def _loaded(client, auth_headers):
    h = auth_headers("com-analyst")
    assert client.post("/api/v1/followup/load", headers=h).status_code == 200
    return h


def _versions(services) -> int:
    with services.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(followup_item_versions)).scalar()


def test_a_partner_not_in_the_list_is_refused_at_changes_partners(client, auth_headers, services):
    h = _loaded(client, auth_headers)
    versions = _versions(services)
    r = client.patch("/api/v1/followup/items/action/1.b", json={"version": 1, "changes": {"partners": ["ITA"]}},
                     headers=h)
    assert r.status_code == 422
    assert r.json()["detail"] == [{"loc": ["body", "changes", "partners"],
                                   "msg": "partner ITA is not in the partners list", "type": "value_error"}]
    assert _versions(services) == versions


def test_an_unknown_field_is_refused_at_changes_bogus(client, auth_headers):
    h = _loaded(client, auth_headers)
    r = client.patch("/api/v1/followup/items/action/1.b", json={"version": 1, "changes": {"bogus": 1}}, headers=h)
    assert r.status_code == 422
    assert [d["loc"] for d in r.json()["detail"]] == [["body", "changes", "bogus"]]


def test_a_new_item_is_refused_at_its_data_field(client, auth_headers):
    h = _loaded(client, auth_headers)
    body = {"parent": "1", "data": {"key": "1.z", "text": "A new action", "lead": "Commission",
                                    "status": "ongoing", "partners": ["ITA"], "bogus": 1}}
    r = client.post("/api/v1/followup/items/action", json=body, headers=h)
    assert r.status_code == 422
    assert [d["loc"] for d in r.json()["detail"]] == [["body", "data", "bogus"]]
    del body["data"]["bogus"]
    r = client.post("/api/v1/followup/items/action", json=body, headers=h)
    assert r.status_code == 422
    assert [d["loc"] for d in r.json()["detail"]] == [["body", "data", "partners"]]


def test_a_removal_that_breaks_another_item_names_it(client, auth_headers):
    h = _loaded(client, auth_headers)
    r = client.delete("/api/v1/followup/items/partner/MKD", params={"version": 1}, headers=h)
    assert r.status_code == 422
    details = r.json()["detail"]
    assert {tuple(d["loc"]) for d in details} == {("path", "key")}
    assert "action 11.d, partners: partner MKD is not in the partners list" in [d["msg"] for d in details]


def test_the_web_edit_form_says_it_beside_the_partners_field(services, web_client):
    followup.load(services, SYSTEM)
    c = web_client("com-analyst")
    r = c.post("/followup/items/action/1.b/edit", data={"version": "1", "partners": "ITA", "valid_from": "2026-11-28"})
    assert r.status_code == 422
    assert 'id="error-partners">partner ITA is not in the partners list</p>' in r.text
