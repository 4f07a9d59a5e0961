"""Where a return decision is issued, and no SIS return alert for one France issues in its outermost
regions (Guadeloupe FR-971, Martinique FR-972, French Guiana FR-973, La Réunion FR-974, Mayotte
FR-976, Saint-Martin FR-MF).

Pactum's reading (docs/returns.md): Regulation (EU) 2018/1860 is a development of the Schengen
acquis, its alerts serve the verification and enforcement of return decisions (Art 3(1)) across the
area where the acquis applies, and the acquis applies to France's European territory only
(Convention implementing the Schengen Agreement, Art 138, first paragraph). The decision, its period
and its entry ban stay (Directive 2008/115/EC applies there, Art 355(1) TFEU). Before, a decision
recorded no place of issue and every decision of France's got an alert; its days were counted on
Paris's clock whatever the place (migration ``returns_0017_decision_region``)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import inspect, select

from pactum.store.migrate import alembic_config, upgrade
from pactum.store.tables.returns import entry_ban_alerts, return_alerts, return_decisions

try:
    from .test_returns_support import World, browser, cli, cli_world, get, make_world, post
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, browser, cli, cli_world, get, make_world, post  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _at(world: World, moment: str) -> None:
    world.clock.set(datetime.fromisoformat(moment))


def _french_person(world: World, surname: str) -> str:
    return world.met("fr.returns", surname, nationality="COM")


def _issue(world: World, officer: str, person: str, **extra: Any) -> Any:
    body = {
        "person_id": person,
        "issued_on": "2026-09-01",
        "voluntary_departure_days": 30,
        "grounds": ["illegal_stay"],
        **extra,
    }
    return post(world, officer, "/decisions", body)


def _alerts(world: World, decision_id: str) -> list[Any]:
    with world.services.engine.connect() as conn:
        return conn.execute(
            select(return_alerts).where(return_alerts.c.return_decision_id == decision_id)
        ).all()


def test_a_decision_issued_in_mayotte_gets_no_return_alert_and_says_why(world: World) -> None:
    _at(world, "2026-09-01T09:00:00+00:00")
    person = _french_person(world, "Attoumani")
    r = _issue(world, "fr.returns", person, region="FR-976", entry_ban_years=2)
    assert r.status_code == 201, r.text
    d = r.json()
    assert d["region"] == "FR-976" and d["region_name"] == "Mayotte"
    assert d["alert"] is None
    why = d["alert_not_entered"]
    assert why["status"] == "not_entered" and why["region"] == "FR-976"
    assert "Mayotte (FR-976)" in why["reason"]
    assert any("Article 138" in b for b in why["legal_basis"])
    assert any("2018/1860, Article 3(1)" in b for b in why["legal_basis"])
    assert any("Article 138" in b for b in d["legal_basis"])
    assert [s["rule"] for s in d["trace"]].count("return_alert_not_entered") == 1
    assert _alerts(world, d["id"]) == []
    # the decision, its period and its entry ban stand: the Directive applies in the region
    assert d["voluntary_departure_last_day"] == "2026-10-01" and d["entry_ban_months"] == 24
    assert get(world, "fr.returns", f"/decisions/{d['id']}").json()["alert_not_entered"] == why


def test_a_decision_without_region_or_in_a_european_region_keeps_its_alert(world: World) -> None:
    _at(world, "2026-09-01T09:00:00+00:00")
    paris = _issue(world, "fr.returns", _french_person(world, "Martin")).json()
    assert paris["region"] is None and paris["alert_not_entered"] is None
    assert paris["alert"]["status"] == "active" and len(_alerts(world, paris["id"])) == 1


def test_a_region_not_of_the_issuing_state_is_refused_naming_region(world: World) -> None:
    _at(world, "2026-09-01T09:00:00+00:00")
    it_person = world.person("it.returns", surname="Rossi", nationality="TUN")
    r = _issue(world, "it.returns", it_person, region="FR-976")
    assert r.status_code == 422
    (e,) = r.json()["detail"]
    assert e["loc"] == ["body", "region"] and "FR-976 (Mayotte) is not a region of IT" in e["msg"]
    fr_person = _french_person(world, "Soilihi")
    for code, said in (
        ("FR-999", "'FR-999' is not a region"),
        ("ES-CN", "ES-CN (Canary Islands) is not a region of FR"),
    ):
        r = _issue(world, "fr.returns", fr_person, region=code)
        assert r.status_code == 422, r.text
        (e,) = r.json()["detail"]
        assert e["loc"] == ["body", "region"] and said in e["msg"], e
    with world.services.engine.connect() as conn:
        assert conn.execute(select(return_decisions.c.id)).all() == []


def test_the_decisions_day_is_counted_on_the_regions_clock(world: World) -> None:
    # 21:30 UTC on 1 September: 2 September in La Réunion (UTC+4), still 1 September in Paris
    _at(world, "2026-09-01T09:00:00+00:00")
    person = _french_person(world, "Hoarau")
    _at(world, "2026-09-01T21:30:00+00:00")
    r = _issue(world, "fr.returns", person, issued_on="2026-09-02")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "issued_on"]
    r = _issue(world, "fr.returns", person, issued_on="2026-09-02", region="FR-974")
    assert r.status_code == 201, r.text
    assert r.json()["issued_on"] == "2026-09-02" and r.json()["alert"] is None


def test_the_entry_ban_of_a_decision_without_alert_still_gets_its_alert_on_departure(world: World) -> None:
    _at(world, "2026-09-01T09:00:00+00:00")
    d = _issue(world, "fr.returns", _french_person(world, "Madi"), region="FR-976", entry_ban_years=1).json()
    _at(world, "2026-09-10T09:00:00+00:00")
    r = post(
        world,
        "fr.returns",
        f"/decisions/{d['id']}/departure",
        {"version": d["version"], "departed_on": "2026-09-10", "mode": "voluntary"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "departed" and r.json()["alert"] is None
    with world.services.engine.connect() as conn:
        bans = conn.execute(
            select(entry_ban_alerts).where(entry_ban_alerts.c.return_decision_id == d["id"])
        ).all()
    assert [(b.starts_on.isoformat(), b.ends_on.isoformat()) for b in bans] == [("2026-09-10", "2027-09-10")]


def test_the_form_offers_the_states_regions_and_the_page_says_no_alert(world: World) -> None:
    _at(world, "2026-09-01T09:00:00+00:00")
    person = _french_person(world, "Ali")
    fr = browser(world, "fr.returns")
    page = fr.get("/returns/decisions/new").text
    assert (
        'name="region"' in page
        and 'value="FR-976"' in page
        and "Mayotte (FR-976), outside the Schengen area" in page
    )
    assert 'name="region"' not in browser(world, "it.returns").get("/returns/decisions/new").text
    r = fr.post(
        "/returns/decisions/new", data={"person_id": person, "issued_on": "2026-09-01", "region": "FR-XX"}
    )
    assert r.status_code == 422 and 'name="region" id="decision-region" aria-invalid="true"' in r.text
    r = fr.post(
        "/returns/decisions/new",
        data={
            "person_id": person,
            "issued_on": "2026-09-01",
            "voluntary_departure_days": "30",
            "grounds": "illegal_stay",
            "region": "FR-976",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and "done=issued-no-alert" in r.headers["location"]
    page = fr.get(r.headers["location"]).text
    assert 'id="alert-not-entered"' in page and "in Mayotte (FR-976)" in page
    assert "no return alert is entered in SIS" in page


def test_the_cli_issues_with_a_region_and_refuses_another_states(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = cli_world(tmp_path, monkeypatch)
    _at(world, "2026-09-01T09:00:00+00:00")
    person = _french_person(world, "Youssouf")
    body = {"person_id": person, "issued_on": "2026-09-01", "grounds": ["illegal_stay"], "region": "FR-973"}
    # the command line reads the real clock: the day is in the past
    r = cli(monkeypatch, "fr.returns", "issue", "-", stdin=json.dumps(body))
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["region"] == "FR-973" and out["alert"] is None
    assert out["alert_not_entered"]["region_name"] == "French Guiana"
    r = cli(monkeypatch, "fr.returns", "issue", "-", stdin=json.dumps({**body, "region": "PT-20"}))
    assert r.exit_code == 2 and "region" in r.output and "PT-20 (Azores) is not a region of FR" in r.output


def test_migration_adds_the_region_and_keeps_earlier_decisions_without_one(world: World) -> None:
    _at(world, "2026-09-01T09:00:00+00:00")
    d = _issue(world, "fr.returns", _french_person(world, "Said")).json()
    engine = world.services.engine
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "returns_0016_extension_kept")
    assert "region" not in {c["name"] for c in inspect(engine).get_columns("return_decisions")}
    upgrade(engine)
    assert "region" in {c["name"] for c in inspect(engine).get_columns("return_decisions")}
    again = get(world, "fr.returns", f"/decisions/{d['id']}").json()
    assert again["region"] is None and again["alert"]["status"] == "active"
