"""API contract (QA session 18, fixer F1): a misspelt field is refused by name, never dropped; a
PATCH that changes nothing is refused without a new version or an empty audit entry; a filter
value that names nothing is a 422, another state's data a 403; a return operation is not planned
for 9999; the asylum queue says its total. Each test failed on the old code."""

from __future__ import annotations

from sqlalchemy import func, select

from pactum.store.tables.platform import audit_log, users
from pactum.store.tables.procedures import safe_country_designations
from tests.e2e.test_api_json_types import _case_lodged
from tests.e2e.test_registry_api import ARRIVAL


def _count(services, table) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _locs(r) -> list[list[str]]:
    return [d["loc"] for d in r.json()["detail"]]


def _officer(client, h, name="it-caseworker"):
    return next(u for u in client.get("/api/v1/users", headers=h).json() if u["username"] == name)


# ------------------------------------------------------------------ W5-1: unknown fields refused


def test_a_misspelt_notification_field_is_refused_not_a_notification_without_return_decision(
        client, auth_headers, services):
    h = auth_headers("it-caseworker")
    case = _case_lodged(client, h)
    url = f"/api/v1/procedures/applications/{case['id']}/actions"
    before = _count(services, audit_log)
    r = client.post(url, headers=h, json={"action": "notify", "version": case["version"],
                                          "notified_on": "2026-11-27", "with_return_decison": True})
    assert r.status_code == 422, r.text
    assert _locs(r) == [["body", "with_return_decison"]]
    msg = r.json()["detail"][0]["msg"]
    assert "unknown field" in msg and "with_return_decision" in msg and "notified_on" in msg
    assert _count(services, audit_log) == before
    # a step's correct fields still go through
    r = client.post(url, headers=h, json={"action": "schedule_interview", "version": case["version"],
                                          "interview_on": "2026-12-01", "language": "Arabic"})
    assert r.status_code == 200, r.text


def test_a_step_without_fields_refuses_any(client, auth_headers):
    h = auth_headers("it-caseworker")
    case = _case_lodged(client, h)
    r = client.post(f"/api/v1/procedures/applications/{case['id']}/actions", headers=h,
                    json={"action": "submit_for_review", "version": case["version"], "note": "x"})
    assert r.status_code == 422 and _locs(r) == [["body", "note"]]
    assert "no fields" in r.json()["detail"][0]["msg"]


def test_a_misspelt_user_field_is_refused_and_nothing_changes(client, auth_headers, services):
    h = auth_headers("it-admin")
    officer = _officer(client, h)
    before = _count(services, audit_log)
    r = client.patch(f"/api/v1/users/{officer['id']}", headers=h, json={"version": officer["version"], "activ": False})
    assert r.status_code == 422 and _locs(r) == [["body", "activ"]], r.text
    assert _officer(client, h)["version"] == officer["version"]
    assert _count(services, audit_log) == before
    r = client.post("/api/v1/users", headers=h, json={
        "username": "it-new-one", "full_name": "New", "authority": "IT", "roles": ["caseworker"],
        "password": "correct horse battery", "role": "admin"})
    assert r.status_code == 422 and _locs(r) == [["body", "role"]]
    r = client.post("/api/v1/auth/token", json={"username": "it-admin", "password": "pactum-demo", "otp": "1"})
    assert r.status_code == 422 and _locs(r) == [["body", "otp"]]
    r = client.post("/api/v1/auth/password", headers=h, json={
        "current_password": "pactum-demo", "new_password": "correct horse battery", "confirm": "x"})
    assert r.status_code == 422 and _locs(r) == [["body", "confirm"]]


def test_a_misspelt_safe_country_end_date_is_refused_not_a_designation_without_end(
        client, auth_headers, services):
    h = auth_headers("it-admin")
    before = _count(services, safe_country_designations)
    r = client.post("/api/v1/procedures/safe-countries", headers=h, json={
        "scope": "IT", "concept": "safe_country_of_origin", "country": "ALB", "valid_from": "2026-01-01",
        "valid_untill": "2026-12-31", "reference": "Decreto 1/2026"})
    assert r.status_code == 422 and _locs(r) == [["body", "valid_untill"]], r.text
    assert _count(services, safe_country_designations) == before


def test_a_misspelt_follow_up_date_is_refused_not_effective_today(client, auth_headers):
    h = auth_headers("com-analyst")
    assert client.post("/api/v1/followup/load", headers=h).status_code == 200
    item = client.get("/api/v1/followup/items/partner/MKD", headers=h)
    version = item.json()["version"] if item.status_code == 200 else 1
    r = client.patch("/api/v1/followup/items/partner/MKD", headers=h, json={
        "version": version, "changes": {"name": "North Macedonia (the Republic of)"}, "valid_fromm": "2026-12-01"})
    assert r.status_code == 422 and _locs(r) == [["body", "valid_fromm"]], r.text
    r = client.post("/api/v1/followup/items/partner", headers=h, json={
        "data": {"code": "MNE", "name": "Montenegro"}, "valid_fromm": "2026-12-01"})
    assert r.status_code == 422 and _locs(r) == [["body", "valid_fromm"]], r.text


# -------------------------------------------------------------- W5-5: a PATCH changing nothing


def test_an_empty_user_patch_is_refused_without_a_new_version_or_audit_entry(client, auth_headers, services):
    h = auth_headers("it-admin")
    officer = _officer(client, h)
    before = _count(services, audit_log)
    for body in ({"version": officer["version"]}, {"version": officer["version"], "active": True}):
        r = client.patch(f"/api/v1/users/{officer['id']}", headers=h, json=body)
        assert r.status_code == 422 and _locs(r) == [["body", "body"]], r.text
        assert "nothing to change" in r.json()["detail"][0]["msg"]
    with services.engine.connect() as conn:
        assert conn.execute(select(users.c.version).where(users.c.id == officer["id"])).scalar_one() == officer["version"]
    assert _count(services, audit_log) == before
    r = client.patch(f"/api/v1/users/{officer['id']}", headers=h, json={"version": officer["version"], "full_name": "Renamed"})
    assert r.status_code == 200 and r.json()["version"] == officer["version"] + 1


def test_an_empty_screening_patch_is_refused_without_a_new_version_or_audit_entry(client, auth_headers, services):
    h = auth_headers("it-caseworker")
    s = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=h).json()["screening"]
    url = f"/api/v1/registry/screenings/{s['id']}"
    r = client.patch(url, json={"version": 1, "health_check": "no acute condition"}, headers=h)
    assert r.status_code == 200 and r.json()["version"] == 2
    before = _count(services, audit_log)
    for body, says in (({"version": 2}, "nothing to change"),
                       ({"version": 2, "health_check": "no acute condition"}, "nothing changed")):
        r = client.patch(url, json=body, headers=h)
        assert r.status_code == 422 and _locs(r) == [["body", "body"]], r.text
        assert says in r.json()["detail"][0]["msg"]
    assert _count(services, audit_log) == before
    r = client.patch(url, json={"version": 2, "languages": "Arabic"}, headers=h)
    assert r.status_code == 200 and r.json()["version"] == 3


def test_a_screening_form_saved_unchanged_says_so_without_writing(services, web_client, auth_headers, client):
    h = auth_headers("it-caseworker")
    s = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=h).json()["screening"]
    now = client.get(f"/api/v1/registry/screenings/{s['id']}", headers=h).json()
    form = {"version": str(now["version"])}
    for name in ("residence_before_arrival", "languages", "reason", "health_check", "vulnerability",
                 "family_in_member_state", "outcome"):
        form[name] = now.get(name) or ""
    for name in ("applied_for_protection", "database_hit", "cooperated"):
        form[name] = {True: "yes", False: "no", None: ""}[now.get(name)]
    c = web_client("it-caseworker")  # its login is audited
    before = _count(services, audit_log)
    r = c.post(f"/registry/screenings/{s['id']}", data=form, follow_redirects=False)
    assert r.status_code == 422 and "Nothing changed: every point given is as the screening has it" in r.text
    assert "Body:" not in r.text
    assert _count(services, audit_log) == before


# ---------------------------------------------------------------- W5-4: the password's location


def test_a_weak_password_is_refused_at_the_password_field(client, auth_headers):
    r = client.post("/api/v1/users", headers=auth_headers("it-admin"), json={
        "username": "it-new-officer", "full_name": "New officer", "authority": "IT", "roles": ["caseworker"],
        "password": "xx-it-new-officer-xx"})
    assert r.status_code == 422 and _locs(r) == [["body", "password"]], r.text
    assert "must not contain the user name" in r.json()["detail"][0]["msg"]


# ------------------------------------------------ W5-7, W5-8: filters that name nothing; rights


def test_an_unknown_return_decision_status_is_refused_naming_the_statuses(client, auth_headers):
    h = auth_headers("it-return")
    r = client.get("/api/v1/returns/decisions?status=bogus", headers=h)
    assert r.status_code == 422 and _locs(r) == [["query", "status"]], r.text
    assert "issued" in r.json()["detail"][0]["msg"] and "withdrawn" in r.json()["detail"][0]["msg"]
    assert client.get("/api/v1/returns/decisions?status=issued", headers=h).status_code == 200


def test_an_unknown_nationality_in_the_queue_is_refused(client, auth_headers):
    h = auth_headers("it-caseworker")
    r = client.get("/api/v1/procedures/queue?nationality=ZZZ", headers=h)
    assert r.status_code == 422 and _locs(r) == [["query", "nationality"]], r.text
    assert client.get("/api/v1/procedures/queue?nationality=syr", headers=h).status_code == 200


def test_another_state_s_refusals_of_entry_are_a_missing_right(client, auth_headers):
    r = client.get("/api/v1/procedures/refusals-of-entry?member_state=IT", headers=auth_headers("de-caseworker"))
    assert r.status_code == 403, r.text
    assert "DE only" in r.json()["detail"]


# ------------------------------------------------------------ W5-9: a plausible planned date


def test_a_return_operation_is_not_planned_for_the_year_9999(client, auth_headers):
    h = auth_headers("it-return")
    body = {"destination_country": "TUN", "planned_date": "9999-12-31", "capacity": 20, "escorts": 4}
    r = client.post("/api/v1/returns/operations", headers=h, json=body)
    assert r.status_code == 422 and _locs(r) == [["body", "planned_date"]], r.text
    assert "not a rule of law" in r.json()["detail"][0]["msg"]
    r = client.post("/api/v1/returns/operations", headers=h, json={**body, "planned_date": "2027-06-01"})
    assert r.status_code == 201, r.text


# ---------------------------------------------------------------- W5-6: the queue's total


def test_the_queue_says_its_total(client, auth_headers):
    h = auth_headers("it-caseworker")
    for _ in range(3):
        _case_lodged(client, h)
    r = client.get("/api/v1/procedures/queue?limit=2", headers=h)
    assert r.status_code == 200 and len(r.json()) == 2
    assert r.headers["X-Total-Count"] == "3"
    r = client.get("/api/v1/procedures/queue?limit=2&offset=2", headers=h)
    assert len(r.json()) == 1 and r.headers["X-Total-Count"] == "3"
    assert {"id", "person_name", "days_left", "overdue", "mandatory"} <= set(r.json()[0])
