"""The follow-up through the HTTP API: loading the annex, reading it, editing with history and
audit, the state of play with live figures, import and export."""

from __future__ import annotations

from sqlalchemy import func, select

from pactum.store.tables.followup import followup_item_versions, followup_items
from pactum.store.tables.platform import audit_log


def _count(services, table):
    with services.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def _load(client, auth_headers, headers=None):
    r = client.post("/api/v1/followup/load", headers=headers or auth_headers("com-analyst"))
    assert r.status_code == 200, r.text
    return r.json()


def test_load_is_idempotent_and_audited(client, auth_headers, services):
    h = auth_headers("com-analyst")
    first = _load(client, auth_headers, h)
    assert first["created"] == _count(services, followup_items) > 100
    assert first["valid_from"] == "2023-06-23"
    audited = _count(services, audit_log)
    second = _load(client, auth_headers, h)
    assert second["created"] == second["updated"] == 0
    assert second["unchanged"] == first["created"]
    assert _count(services, audit_log) == audited


def test_commitments_and_funding_as_in_the_annex(client, auth_headers):
    _load(client, auth_headers)
    h = auth_headers("it-caseworker")  # reading is open to every logged-in user
    rows = client.get("/api/v1/followup/commitments", headers=h).json()
    assert [r["number"] for r in rows] == list(range(1, 16))
    assert rows[0]["funding_eur"] == "395800000"
    c9 = client.get("/api/v1/followup/commitments/9", headers=h).json()
    relocation = next(a for a in c9["actions"] if a["key"] == "9.b")
    assert relocation["figures"][0]["breakdown"] == {
        "IT": "911", "CY": "676", "ES": "48", "MT": "76", "EL": "179"}
    tunisia = client.get("/api/v1/followup/partners/TUN", headers=h).json()
    assert tunisia["totals"]["total_eur"] == "145000000"
    assert tunisia["shared_eur"] == "40000000"
    assert {a["key"] for a in tunisia["actions"]} >= {"2.d", "11.i", "12.d"}
    funding = client.get("/api/v1/followup/funding", headers=h).json()
    assert funding["totals"]["total_eur"] == "1783200000"
    assert client.get("/api/v1/followup/commitments/16", headers=h).status_code == 404
    assert client.get("/api/v1/followup/partners/GHA", headers=h).status_code == 404


def test_action_plans_with_milestones_reached_and_overdue(client, auth_headers):
    _load(client, auth_headers)
    h = auth_headers("it-caseworker")
    rows = client.get("/api/v1/followup/action-plans", params={"as_of": "2023-08-01"}, headers=h).json()
    assert [(r["key"], r["status"]) for r in rows] == [
        ("central_mediterranean", "in_force"), ("western_balkans", "in_force"),
        ("atlantic_western_mediterranean", "in_force"), ("eastern_mediterranean", "under_preparation")]
    atlantic = rows[2]
    assert (atlantic["adopted_on"], atlantic["milestones"], atlantic["milestones_overdue"]) == ("2023-06-06", 1, 1)
    assert rows[0]["actions_total"] == 20
    plan = client.get("/api/v1/followup/action-plans/atlantic_western_mediterranean", headers=h).json()
    assert plan["milestones"][0]["key"] == "AP.M1" and plan["milestones"][0]["due"] == "2023-07-31"
    assert client.get("/api/v1/followup/action-plans/northern_route", headers=h).status_code == 404


def test_reading_needs_a_login(client):
    assert client.get("/api/v1/followup/commitments").status_code == 401


def test_report_of_the_edition_date_reproduces_the_annex(client, auth_headers):
    _load(client, auth_headers)
    sop = client.get("/api/v1/followup/report", params={"as_of": "2023-06-23"},
                     headers=auth_headers("com-analyst")).json()
    assert sop["title"] == "Follow-up after February Special European Council (situation as of 23 June)"
    assert sop["overdue"] == [] and sop["live_shown"] is False
    row9 = sop["commitments"][8]
    actions = [a for _, group in row9["groups"] for a in group]
    assert all(a["live"] is None for a in actions)
    assert "nearly 1900 transfers" in actions[1]["text"]


def test_later_report_shows_live_figures_and_overdue_milestones(client, auth_headers):
    _load(client, auth_headers)
    sop = client.get("/api/v1/followup/report", params={"as_of": "2026-11-28"},
                     headers=auth_headers("com-analyst")).json()
    live = {a["key"]: a["live"] for row in sop["commitments"] for _, group in row["groups"]
            for a in group if a["live"]}
    # The foundation's registrations indicator is computed from the platform's own records.
    assert live["3.a"]["available"] is True and live["3.a"]["value"] == 0
    assert live["3.a"]["as_of"] == "2026-11-28" and live["3.a"]["area"] == "registry"
    overdue = {m["key"] for m in sop["overdue"]}
    assert {"1.M1", "11.M3", "14.M1", "15.M1", "AP.M1"} <= overdue
    assert "2.M1" not in overdue  # "date tbd": no due date, never overdue


def test_editing_needs_the_follow_up_editor(client, auth_headers):
    _load(client, auth_headers)
    body = {"version": 1, "changes": {"status": "completed"}}
    for user in ("it-caseworker", "frontex-analyst", "it-admin"):
        r = client.patch("/api/v1/followup/items/action/15.a", json=body, headers=auth_headers(user))
        assert r.status_code == 403, user
    r = client.patch("/api/v1/followup/items/action/15.a", json=body, headers=auth_headers("eu-admin"))
    assert r.status_code == 200, r.text


def test_an_edit_is_versioned_audited_and_dated(client, auth_headers, services):
    h = auth_headers("com-analyst")
    _load(client, auth_headers, h)
    audited = _count(services, audit_log)
    r = client.patch("/api/v1/followup/items/milestone/15.M1", headers=h, json={
        "version": 1, "changes": {"done_on": "2023-10-03"}, "valid_from": "2023-10-03",
        "reason": "package adopted"})
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2
    assert _count(services, audit_log) == audited + 1
    history = client.get("/api/v1/followup/items/milestone/15.M1/history", headers=h).json()
    assert [(e["version"], e["change"]) for e in history] == [(1, "created"), (2, "updated")]
    assert history[1]["fields"] == ["done_on"] and history[1]["actor"] == "com-analyst"
    assert history[1]["reason"] == "package adopted"
    assert history[1]["before"] == {"done_on": None}
    assert history[1]["data"]["done_on"] == "2023-10-03"
    # The June 2023 report is unchanged; a later one no longer lists the milestone as overdue
    # and, since June 2023, shows the change.
    june = client.get("/api/v1/followup/report", params={"as_of": "2023-06-23"}, headers=h).json()
    assert june["commitments"][14]["milestones"][0]["done_on"] is None
    later = client.get("/api/v1/followup/report",
                       params={"as_of": "2026-11-28", "since": "2023-06-23"}, headers=h).json()
    assert "15.M1" not in {m["key"] for m in later["overdue"]}
    assert [(c["kind"], c["key"], c["fields"]) for c in later["changes"]] == [
        ("milestone", "15.M1", ["done_on"])]


def test_stale_version_is_409_and_bad_value_is_422(client, auth_headers, services):
    _load(client, auth_headers)
    h = auth_headers("com-analyst")
    ok = client.patch("/api/v1/followup/items/funding/11.F8", headers=h,
                      json={"version": 1, "changes": {"stage": "allocated"}})
    assert ok.status_code == 200
    stale = client.patch("/api/v1/followup/items/funding/11.F8", headers=h,
                         json={"version": 1, "changes": {"stage": "disbursed"}})
    assert stale.status_code == 409
    versions = _count(services, followup_item_versions)
    bad = client.patch("/api/v1/followup/items/funding/11.F8", headers=h,
                       json={"version": 2, "changes": {"amount_eur": "lots", "stage": "pledged"}})
    assert bad.status_code == 422
    fields = {d["loc"][-1] for d in bad.json()["detail"]}
    assert fields == {"amount_eur", "stage"}
    unknown_partner = client.patch("/api/v1/followup/items/action/11.k", headers=h,
                                   json={"version": 1, "changes": {"partners": ["NGA", "GHA"]}})
    assert unknown_partner.status_code == 422
    assert "GHA is not in the partners list" in unknown_partner.text
    assert _count(services, followup_item_versions) == versions


def test_create_and_delete_an_action(client, auth_headers):
    _load(client, auth_headers)
    h = auth_headers("com-analyst")
    r = client.post("/api/v1/followup/items/action", headers=h, json={
        "parent": "12", "data": {"key": "12.i", "text": "Second senior level meeting with Egypt.",
                                 "lead": "Commission", "partners": ["EGY"], "status": "planned"}})
    assert r.status_code == 201, r.text
    c12 = client.get("/api/v1/followup/commitments/12", headers=h).json()
    assert c12["actions"][-1]["key"] == "12.i"
    again = client.post("/api/v1/followup/items/action", headers=h, json={
        "parent": "12", "data": {"key": "12.i", "text": "x", "lead": "Commission", "status": "planned"}})
    assert again.status_code == 409
    blocked = client.delete("/api/v1/followup/items/commitment/12", params={"version": 1}, headers=h)
    assert blocked.status_code == 409
    gone = client.delete("/api/v1/followup/items/action/12.i", params={"version": 1}, headers=h)
    assert gone.status_code == 204
    c12 = client.get("/api/v1/followup/commitments/12", headers=h).json()
    assert "12.i" not in {a["key"] for a in c12["actions"]}


def test_export_import_round_trip_changes_nothing(client, auth_headers):
    _load(client, auth_headers)
    h = auth_headers("com-analyst")
    for fmt in ("yaml", "csv"):
        text = client.get("/api/v1/followup/export", params={"format": fmt}, headers=h).text
        r = client.post("/api/v1/followup/import", params={"format": fmt}, content=text,
                        headers={**h, "Content-Type": "text/plain"})
        assert r.status_code == 200, r.text
        assert r.json()["created"] == r.json()["updated"] == r.json()["deleted"] == 0


def test_malformed_import_names_line_and_field_and_writes_nothing(client, auth_headers, services):
    _load(client, auth_headers)
    h = auth_headers("com-analyst")
    text = client.get("/api/v1/followup/export", params={"format": "csv"}, headers=h).text
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("funding,14.F1,"))
    lines[index] = lines[index].replace("480000000", "480 million")
    lines[1] = lines[1].replace("Follow-up after", "Changed title: follow-up after")
    versions = _count(services, followup_item_versions)
    r = client.post("/api/v1/followup/import", params={"format": "csv"},
                    content="\n".join(lines) + "\n", headers={**h, "Content-Type": "text/plain"})
    assert r.status_code == 422
    (detail,) = r.json()["detail"]
    assert detail["loc"][-1] == "amount_eur"
    assert detail["msg"].startswith(f"line {index + 1}:")
    assert _count(services, followup_item_versions) == versions


def test_pdf_report(client, auth_headers):
    _load(client, auth_headers)
    r = client.get("/api/v1/followup/report.pdf", params={"as_of": "2023-06-23"},
                   headers=auth_headers("com-analyst"))
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_partners_with_actions_and_funding(client, auth_headers):
    _load(client, auth_headers)
    rows = client.get("/api/v1/followup/partners", headers=auth_headers("it-caseworker")).json()
    by_code = {r["partner"]["code"]: r for r in rows}
    assert by_code["MAR"]["funding"]["total_eur"] == "192000000"
    assert by_code["MAR"]["funding"]["disbursed_eur"] == "35000000"
    assert by_code["SDN"]["actions"] == 1


def test_overdue_milestones_job(services):
    from datetime import UTC, datetime

    from pactum.services import followup
    from pactum.services.auth import SYSTEM
    from pactum.services.jobs import load_all

    job = load_all()["followup-overdue-milestones"]
    assert job.fn(services, datetime(2026, 11, 28, tzinfo=UTC)) == "follow-up not loaded"
    followup.load(services, SYSTEM)
    assert job.fn(services, datetime(2023, 6, 23, tzinfo=UTC)) == \
        "0 follow-up milestones overdue on 2023-06-23"
    summary = job.fn(services, datetime(2023, 7, 2, tzinfo=UTC))
    assert summary == "2 follow-up milestones overdue on 2023-07-02: 2.M4, 8.M1"


def test_import_without_an_item_removes_it_from_that_date_only(client, auth_headers):
    h = auth_headers("com-analyst")
    _load(client, auth_headers, h)
    text = client.get("/api/v1/followup/export", params={"format": "csv"}, headers=h).text
    kept = [line for line in text.splitlines() if not line.startswith("action,13.b,")]
    assert len(kept) == len(text.splitlines()) - 1
    r = client.post("/api/v1/followup/import", params={"format": "csv", "as_of": "2026-11-01"},
                    content="\n".join(kept) + "\n", headers={**h, "Content-Type": "text/plain"})
    assert r.status_code == 200, r.text
    assert (r.json()["deleted"], r.json()["created"], r.json()["updated"]) == (1, 0, 0)
    changes = client.get("/api/v1/followup/changes", params={"since": "2026-10-31", "as_of": "2026-11-28"},
                         headers=h).json()
    assert [(c["change"], c["kind"], c["key"]) for c in changes] == [("removed", "action", "13.b")]
    june = client.get("/api/v1/followup/commitments/13", params={"as_of": "2023-06-23"}, headers=h).json()
    now = client.get("/api/v1/followup/commitments/13", headers=h).json()
    assert [a["key"] for a in june["actions"]] == ["13.a", "13.b"]
    assert [a["key"] for a in now["actions"]] == ["13.a"]


def test_a_milestone_is_not_done_on_a_future_date(client, auth_headers):
    h = auth_headers("com-analyst")
    _load(client, auth_headers, h)
    r = client.patch("/api/v1/followup/items/milestone/15.M1", headers=h, json={
        "version": 1, "changes": {"done_on": "2031-06-01"}, "reason": "typed a year wrong"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "done_on", r.text
    assert client.get("/api/v1/followup/items/milestone/15.M1/history", headers=h).json()[-1]["version"] == 1
