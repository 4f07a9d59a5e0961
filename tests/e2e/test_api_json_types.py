"""JSON bodies refuse a value of the wrong JSON type, naming the field (thirteenth session's sweep
of every JSON body with wrong types: 443 values of the wrong type on 143 fields of 50 of the 56
operations were accepted, converted and mostly stored; 6 were 500s).

The request models are shared with the web forms, which submit text and rely on pydantic's lax
conversion ("3" → 3, "on" → true); the API validates the same models with JSON's own types
(``pactum.common.json_types.JsonBody``). Each test here failed on the old code: the value was
converted and acted on (stored, or refused later for another reason), or was a 500."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import func, select

from pactum.common.json_types import JSON_TYPES
from pactum.store.tables.platform import audit_log, users
from pactum.store.tables.procedures import asylum_applications, safe_country_designations
from pactum.store.tables.responsibility import dublin_cases
from tests.e2e.test_registry_api import ARRIVAL


def _count(services, table) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _fields(response) -> set[str]:
    return {".".join(str(p) for p in e["loc"][1:]) for e in response.json()["detail"]}


def _refused(response, field: str) -> None:
    assert response.status_code == 422, (response.status_code, response.text)
    assert _fields(response) == {field}, response.text


# ----------------------------------------------------------------------------- what people saw


def _case_lodged(client, headers) -> dict[str, Any]:
    person = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=headers).json()["person_id"]
    case = client.post("/api/v1/procedures/applications", headers=headers, json={
        "person_id": person, "made_on": "2026-11-25", "context": "sar_disembarkation"}).json()
    for action, fields in (("register", {"registered_on": "2026-11-25"}), ("lodge", {"lodged_on": "2026-11-26"})):
        r = client.post(f"/api/v1/procedures/applications/{case['id']}/actions", headers=headers,
                        json={"action": action, "version": case["version"], **fields})
        assert r.status_code == 200, r.text
        case = r.json()
    return case


def test_an_interview_language_must_be_text_not_a_number(client, auth_headers, services):
    """``"language": 123`` scheduled an interview in the language "123"."""
    h = auth_headers("it-caseworker")
    case = _case_lodged(client, h)
    url = f"/api/v1/procedures/applications/{case['id']}/actions"
    before = _count(services, audit_log)
    for wrong in (123, True, ["Arabic"]):
        r = client.post(url, headers=h, json={"action": "schedule_interview", "version": case["version"],
                                              "interview_on": "2026-12-01", "language": wrong})
        _refused(r, "language")
    r = client.post(url, headers=h, json={"action": "schedule_interview", "version": "2",
                                          "interview_on": "2026-12-01", "language": "Arabic"})
    _refused(r, "version")
    assert client.get(f"/api/v1/procedures/applications/{case['id']}", headers=h).json()["state"] == "lodged"
    assert _count(services, audit_log) == before
    r = client.post(url, headers=h, json={"action": "schedule_interview", "version": case["version"],
                                          "interview_on": "2026-12-01", "language": "Arabic"})
    assert r.status_code == 200 and r.json()["timeline"][-1]["detail"]["language"] == "Arabic"


def test_a_notification_s_return_decision_terms_are_whole_numbers(client, auth_headers, services):
    """``"voluntary_departure_days": []`` was a 500; ``"entry_ban_years": 2.5`` issued a ban of 2
    years, ``"with_return_decision": "false"`` issued a return decision."""
    h = auth_headers("it-caseworker")
    case = _case_lodged(client, h)
    url = f"/api/v1/procedures/applications/{case['id']}/actions"
    for field, wrong in (("voluntary_departure_days", []), ("voluntary_departure_days", "20"),
                         ("entry_ban_years", 2.5), ("with_return_decision", "false"),
                         ("with_return_decision", 1)):
        r = client.post(url, headers=h, json={"action": "notify", "version": case["version"],
                                              "notified_on": "2026-11-27", field: wrong})
        _refused(r, field)


def test_a_safe_country_designation_s_fields_are_text(client, auth_headers, services):
    """The body was a free JSON object: a note of ``[]`` was stored as the text "[]", a
    reference of 2024 as "2024"."""
    h = auth_headers("it-admin")
    good = {"scope": "IT", "concept": "safe_country_of_origin", "country": "ALB",
            "valid_from": "2026-01-01", "reference": "Decreto 1/2026", "note": "reviewed"}
    before = (_count(services, safe_country_designations), _count(services, audit_log))
    for field, wrong in (("note", []), ("reference", 2024), ("exclusion", {"group": "LGBTI"}),
                         ("valid_from", 20260101), ("country", 8)):
        _refused(client.post("/api/v1/procedures/safe-countries", headers=h, json={**good, field: wrong}), field)
    assert (_count(services, safe_country_designations), _count(services, audit_log)) == before
    r = client.post("/api/v1/procedures/safe-countries", headers=h, json=good)
    assert r.status_code == 201 and r.json()["note"] == "reviewed"
    # what the designation says is still checked by the service, with its own messages
    r = client.post("/api/v1/procedures/safe-countries", headers=h, json={**good, "valid_from": "2026-13-01"})
    assert r.status_code == 422 and r.json()["detail"][0]["msg"] == "not a date (YYYY-MM-DD)"


def test_an_account_is_not_deactivated_by_a_zero(client, auth_headers, services):
    """``"active": 0`` (or "false") deactivated the officer's account."""
    h = auth_headers("it-admin")
    officer = next(u for u in client.get("/api/v1/users", headers=h).json() if u["username"] == "it-caseworker")
    before = _count(services, audit_log)
    for wrong in (0, "false", "0"):
        r = client.patch(f"/api/v1/users/{officer['id']}", headers=h, json={"version": officer["version"], "active": wrong})
        _refused(r, "active")
    with services.engine.connect() as conn:
        assert conn.execute(select(users.c.active).where(users.c.id == officer["id"])).scalar_one() is True
    assert _count(services, audit_log) == before


def test_a_date_is_text_not_a_number_of_seconds(client, auth_headers, services):
    """``"made_on": 0`` made an application on 1 January 1970."""
    h = auth_headers("it-caseworker")
    person = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=h).json()["person_id"]
    before = _count(services, asylum_applications)
    for wrong in (0, 86400):
        r = client.post("/api/v1/procedures/applications", headers=h,
                        json={"person_id": person, "made_on": wrong, "context": "in_territory"})
        _refused(r, "made_on")
    assert _count(services, asylum_applications) == before


def test_dublin_facts_take_true_and_false_only(client, auth_headers, services):
    """The facts of a Dublin case are typed: ``"wishes_in_writing": "true"`` or ``1`` was read
    as a wish in writing, ``"security_threat": 0`` as no threat, and the case was stored."""
    from tests.e2e.test_responsibility_support import EXAMPLE

    h = auth_headers("it-dublin")
    before = (_count(services, dublin_cases), _count(services, audit_log))
    family = {"relation": "spouse", "member_state": "DE", "status": "beneficiary_of_protection",
              "wishes_in_writing": True}
    for path, wrong in ((("security_threat",), 0), (("family_members", 0, "wishes_in_writing"), "true"),
                        (("family_members", 0, "wishes_in_writing"), 1),
                        (("applicant", "date_of_birth"), 0)):
        facts = copy.deepcopy(EXAMPLE)
        facts["family_members"] = [dict(family)]
        facts.setdefault("applicant", {})
        target: Any = facts
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = wrong
        r = client.post("/api/v1/responsibility/cases", headers=h,
                        json={"reference": "IT-DUB-1", "facts": facts})
        _refused(r, "facts." + ".".join(map(str, path)))
    assert (_count(services, dublin_cases), _count(services, audit_log)) == before


def test_a_follow_up_item_s_fields_keep_their_json_types(client, auth_headers, services):
    """An item's changes are a free JSON object validated by the item's model, which the YAML
    import shares: ``"done_on": 0`` marked a milestone done on 1 January 1970."""
    h = auth_headers("com-analyst")
    assert client.post("/api/v1/followup/load", headers=h).status_code == 200
    before = _count(services, audit_log)
    r = client.patch("/api/v1/followup/items/milestone/15.M1", headers=h,
                     json={"version": 1, "changes": {"done_on": 0}})
    _refused(r, "changes.done_on")
    r = client.patch("/api/v1/followup/items/milestone/15.M1", headers=h,
                     json={"version": "1", "changes": {"done_on": "2023-10-03"}})
    _refused(r, "version")
    r = client.post("/api/v1/followup/items/commitment", headers=h,
                    json={"data": {"number": "99", "title": "x", "source_date": "2023"}})
    assert r.status_code == 422 and "data.number" in _fields(r), r.text
    assert _count(services, audit_log) == before
    r = client.patch("/api/v1/followup/items/milestone/15.M1", headers=h,
                     json={"version": 1, "changes": {"done_on": "2023-10-03"}})
    assert r.status_code == 200, r.text


def test_correct_json_is_taken_as_before(client, auth_headers):
    """A whole number for a decimal and ``3.0`` for a whole number are accepted (pydantic's
    default); dates come as text."""
    h = auth_headers("it-caseworker")
    assert client.post("/api/v1/procedures/routing", headers=h, json={
        "applied_on": "2026-11-25", "member_state": "IT", "context": "sar_disembarkation",
        "nationality": "TUN", "unaccompanied_minor": False}).status_code == 200
    r = client.post("/api/v1/awareness/alerts/evaluate", headers=auth_headers("frontex-analyst"),
                    json={"rise_pct": 50, "baseline_months": 3.0, "min_volume": 500})
    assert r.status_code == 200, r.text
    r = client.post("/api/v1/identity/search", headers=h, json={"surname": "Haddad", "limit": 20.0})
    assert r.status_code == 200, r.text
    r = client.post("/api/v1/registry/arrivals", headers=h, json={**ARRIVAL, "held_over_72h": False})
    assert r.status_code == 201, r.text


# ----------------------------------------------------------------------------- every fixed route

X = "zz_01ZZZZZZZZZZZZZZZZZZZZZZZZ"  # ids: the body is validated before the service looks them up
TRANSFER = {"applicant_ref": "A1", "origin_member_state": "IT", "destination_member_state": "DE",
            "matched_on": "2026-11-20"}
FACTS = {"application": {"registered_in": "IT", "registered_on": "2026-11-20"}}

# (user, method, path, valid body, field path, a value of the wrong JSON type)
CASES: list[tuple[str, str, str, dict[str, Any], tuple[Any, ...], Any]] = [
    ("it-caseworker", "POST", "/registry/arrivals", ARRIVAL, ("held_over_72h",), "true"),
    ("it-caseworker", "POST", "/registry/arrivals",
     {**ARRIVAL, "identity": {**ARRIVAL["identity"], "documents": [{**ARRIVAL["identity"]["documents"][0], "expiry": "2030-01-01"}]}},
     ("identity", "documents", 0, "expiry"), 0),
    ("it-caseworker", "PATCH", f"/registry/screenings/{X}", {"version": 1, "cooperated": True}, ("cooperated",), 1),
    ("it-caseworker", "PATCH", f"/registry/screenings/{X}", {"version": 1}, ("version",), "1"),
    ("it-caseworker", "POST", f"/registry/eurodac/{X}/erase", {"reason": "Fingerprints of another man"}, ("reason",), 5),
    ("frontex-analyst", "POST", "/awareness/backtests", {"route": "Central Mediterranean Route"}, ("horizon",), "3"),
    ("frontex-analyst", "POST", "/awareness/alerts/evaluate", {}, ("rise_pct",), "50"),
    ("frontex-analyst", "POST", "/awareness/alerts/evaluate", {}, ("baseline_months",), True),
    ("frontex-analyst", "POST", f"/awareness/alerts/{X}/acknowledge", {"version": 1}, ("version",), "1"),
    ("com-analyst", "PATCH", "/followup/items/milestone/15.M1", {"version": 1, "changes": {}}, ("version",), True),
    ("it-caseworker", "POST", "/identity/search", {"surname": "Haddad"}, ("limit",), "20"),
    ("it-caseworker", "POST", f"/identity/links/{X}/decision", {"colour": "green", "reason": "different persons", "version": 1},
     ("version",), "1"),
    ("it-caseworker", "POST", "/identity/templates", {"identity_record_id": X, "vector": [0.1] * 8},
     ("vector", 0), "0.1"),
    ("it-caseworker", "POST", "/identity/biometric-search", {"vector": [0.1] * 8}, ("k",), "5"),
    ("it-caseworker", "POST", "/law/time-limits",
     {"kind": "take_charge_request", "event_at": "2026-11-20", "member_state": "IT",
      "application_registered_on": "2026-11-20"}, ("eurodac_hit",), "1"),
    ("it-caseworker", "POST", "/law/time-limits",
     {"kind": "take_charge_request", "event_at": "2026-11-20", "member_state": "IT"},
     ("application_registered_on",), 0),
    ("it-caseworker", "POST", "/procedures/routing",
     {"applied_on": "2026-11-25", "member_state": "IT", "context": "in_territory", "nationality": "TUN"},
     ("unaccompanied_minor",), "true"),
    ("it-caseworker", "POST", "/procedures/applications", {"person_id": X, "made_on": "2026-11-25",
                                                           "context": "in_territory"}, ("security_threat",), 1),
    ("it-caseworker", "POST", f"/procedures/applications/{X}/actions",
     {"action": "register", "version": 1, "registered_on": "2026-11-25"}, ("registered_on",), 20261125),
    ("it-caseworker", "POST", f"/procedures/applications/{X}/actions",
     {"action": "add_evidence", "version": 1, "description": "birth certificate"}, ("kind",), {}),
    ("it-caseworker", "POST", f"/procedures/applications/{X}/actions",
     {"action": "draft_decision", "version": 1, "outcome": "rejected_unfounded"}, ("reasons",), ["no fear"]),
    ("it-caseworker", "POST", "/procedures/refusals-of-entry",
     {"refused_on": "2026-11-25", "border_type": "sea", "border_section": "Lampedusa", "nationality": "TUN",
      "reasons": ["C"]}, ("refused_on",), 0),
    ("it-dublin", "POST", "/responsibility/determinations", FACTS, ("security_threat",), "false"),
    ("it-dublin", "POST", "/responsibility/determinations",
     {**FACTS, "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-11-10"}]},
     ("entries", 0, "also_waived_where_registered"), 1),
    ("it-dublin", "POST", "/responsibility/cessation",
     {"registered_on": "2025-01-10", "responsible_member_state": "DE", "on": "2026-11-20"}, ("on",), 0),
    ("it-dublin", "POST", f"/responsibility/cases/{X}/requests", {"kind": "take_charge"}, ("detained",), "true"),
    ("de-dublin", "POST", f"/responsibility/requests/{X}/accept", {"version": 1}, ("version",), "1"),
    ("de-dublin", "POST", f"/responsibility/requests/{X}/record_appeal",
     {"version": 1, "appeal_lodged_on": "2026-11-20"}, ("suspensive_effect",), "yes"),
    ("it-return", "POST", "/returns/decisions", {"person_id": X, "issued_on": "2026-11-25"}, ("entry_ban_years",), "2"),
    ("it-return", "PATCH", f"/returns/decisions/{X}/facts", {"version": 1}, ("absconded",), "false"),
    ("it-return", "POST", f"/returns/decisions/{X}/suspend", {"version": 1, "reason": "appeal"}, ("version",), "1"),
    ("it-return", "POST", f"/returns/decisions/{X}/lift-suspension", {"version": 1, "reason": "r"}, ("version",), True),
    ("it-return", "POST", f"/returns/decisions/{X}/withdraw", {"version": 1, "reason": "r"}, ("version",), "1"),
    ("it-return", "POST", f"/returns/decisions/{X}/departure", {"version": 1, "departed_on": "2026-11-25"},
     ("departed_on",), 0),
    ("de-return", "POST", f"/returns/hits/{X}/recognise", {"version": 1}, ("version",), "1"),
    ("de-return", "POST", f"/returns/hits/{X}/refuse", {"version": 1, "reason": "r"}, ("version",), "1"),
    ("it-return", "POST", "/returns/readmission-requests", {"return_decision_id": X, "sent_on": "2026-11-25"},
     ("sent_on",), 0),
    ("it-return", "POST", f"/returns/readmission-requests/{X}/answer",
     {"accepted": True, "answered_on": "2026-11-25"}, ("accepted",), "false"),
    ("it-return", "POST", "/returns/operations",
     {"destination_country": "TUN", "planned_date": "2026-12-10", "capacity": 20, "escorts": 4},
     ("capacity",), "20"),
    ("it-return", "POST", "/returns/operations",
     {"destination_country": "TUN", "planned_date": "2026-12-10", "capacity": 20, "escorts": 4},
     ("frontex_support",), 0),
    ("it-return", "POST", f"/returns/operations/{X}/participants/{X}/outcome", {"departed": True},
     ("departed",), "true"),
    ("it-return", "POST", f"/returns/operations/{X}/confirm", {"version": 1}, ("version",), "1"),
    ("it-return", "POST", "/returns/avr",
     {"return_decision_id": X, "programme": "AVRR", "funding_source": "AMIF", "amount_eur": 1500,
      "opened_on": "2026-11-25"}, ("opened_on",), 0),
    ("it-return", "POST", f"/returns/avr/{X}/departure", {"version": 1, "departed_on": "2026-11-25"},
     ("version",), "1"),
    ("it-return", "POST", f"/returns/avr/{X}/cancel", {"version": 1, "reason": "r"}, ("version",), "1"),
    ("com-solidarity", "POST", "/solidarity/relocation-matching",
     {"capacities": [{"member_state": "DE", "places": 2}], "applicants": []}, ("capacities", 0, "places"), "2"),
    ("com-solidarity", "POST", "/solidarity/relocation-matching",
     {"capacities": [], "applicants": [], "weights": {"family": 10}}, ("weights", "family"), "10"),
    ("com-solidarity", "POST", "/solidarity/cycles", {"year": 2027, "proposal_on": "2026-10-15"},
     ("pool_relocations",), "30000"),
    ("com-solidarity", "POST", "/solidarity/cycles/2026/actions/adopt", {"version": 1, "on": "2026-11-20"},
     ("sar_earmark",), "0.1"),
    ("it-admin", "POST", "/solidarity/cycles/2026/needs", {"relocations": 100}, ("sar",), "yes"),
    ("nl-admin", "POST", "/solidarity/cycles/2026/pledges", {"relocations": 10}, ("financial_eur",), "5"),
    ("com-solidarity", "POST", "/solidarity/cycles/2026/pledges/NL/progress", {"version": 1}, ("paid_eur",), True),
    ("it-admin", "POST", "/solidarity/cycles/2026/deductions", {"relocations": 5, "on": "2026-11-20"},
     ("relocations",), "5"),
    ("com-solidarity", "POST", f"/solidarity/deductions/{X}/decision", {"version": 1, "on": "2026-11-20"},
     ("granted",), 1),
    ("com-solidarity", "POST", "/solidarity/cycles/2026/offsets",
     {"beneficiary_member_state": "IT", "contributor_member_state": "DE", "on": "2026-11-20"}, ("count",), "1"),
    ("com-solidarity", "POST", "/solidarity/transfers", {"transfers": [TRANSFER]},
     ("transfers", 0, "matched_on"), 0),
    ("com-solidarity", "POST", "/solidarity/transfers/import", {"transfers": [TRANSFER]},
     ("transfers", 0, "matched_on"), 86400),
    ("com-solidarity", "POST", f"/solidarity/transfers/{X}/events", {"event": "security_cleared",
                                                                      "on": "2026-11-20"}, ("version",), "1"),
]


def _with(body: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(body)
    target: Any = out
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return out


@pytest.mark.parametrize(("user", "method", "path", "body", "field", "wrong"), CASES,
                         ids=[f"{c[1]} {c[2].replace(X, '{id}')} {'.'.join(map(str, c[4]))}" for c in CASES])
def test_each_route_refuses_a_wrong_json_type_by_name(client, auth_headers, services, user, method, path,
                                                      body, field, wrong):
    headers = auth_headers(user)
    if path.startswith("/followup"):
        assert client.post("/api/v1/followup/load", headers=auth_headers("com-analyst")).status_code == 200
    before = _count(services, audit_log)
    r = client.request(method, "/api/v1" + path, headers=headers, json=_with(body, field, wrong))
    _refused(r, ".".join(map(str, field)))
    assert _count(services, audit_log) == before  # nothing written


def test_every_json_body_of_the_api_is_validated_with_json_types():
    """A new route declaring ``body: Model`` instead of ``body: JsonBody[Model]`` fails here."""
    import importlib
    import pkgutil

    import pactum.api.routers as routers

    json_bodies, loose = 0, []
    for info in pkgutil.iter_modules(routers.__path__):
        module = importlib.import_module(f"pactum.api.routers.{info.name}")
        for route in module.router.routes:
            if not isinstance(route, APIRoute):
                continue
            for param in route.dependant.body_params:
                if getattr(param.field_info, "media_type", "application/json") != "application/json":
                    continue  # a file (CSV, YAML) sent as text
                json_bodies += 1
                if JSON_TYPES not in param.field_info.metadata:
                    loose.append(f"{sorted(route.methods)} {route.path}")
    assert json_bodies >= 56 and loose == []
