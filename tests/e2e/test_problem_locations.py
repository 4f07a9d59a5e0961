"""A 422's locations read the same whichever check refused the input: the request models'
(FastAPI, pydantic) and the services' own rules both give keys as text and list positions as
numbers, so a client walks every ``loc`` into the body it sent the same way."""

from __future__ import annotations

from pactum.api.errors import field_location


def test_a_field_the_services_name_is_split_into_keys_and_positions() -> None:
    assert field_location("applicants[0].links[1].kind") == ["applicants", 0, "links", 1, "kind"]
    assert field_location("changes.tranches.0.on") == ["changes", "tranches", 0, "on"]
    assert field_location("line 2.dec_level") == ["line 2", "dec_level"]  # a CSV line is a name
    assert field_location("on") == ["on"]


def test_the_model_and_the_rules_give_positions_alike(client, auth_headers) -> None:
    h = auth_headers("it-dublin")
    facts = {"application": {"registered_in": "IT", "registered_on": "2026-09-01"}}
    # the request model refuses a relation it does not know ...
    model = client.post("/api/v1/responsibility/determinations", headers=h, json={
        **facts, "family_members": [{"relation": "cousin", "member_state": "FR", "status": "applicant"}]})
    # ... the rules refuse a diploma issued after the application
    rules = client.post("/api/v1/responsibility/determinations", headers=h, json={
        **facts, "diplomas": [{"issued_by": "FR", "issued_on": "2026-10-01"}]})
    assert model.status_code == rules.status_code == 422
    assert model.json()["detail"][0]["loc"] == ["body", "family_members", 0, "relation"]
    assert rules.json()["detail"][0]["loc"] == ["body", "diplomas", 0, "issued_on"]
