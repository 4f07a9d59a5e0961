"""An entry ban imposed after issue because the obligation to return was not complied with
(Directive 2008/115/EC Art 11(1)(b)): once the period for voluntary departure ended without a
departure recorded, the issuing state's return officer imposes it on the decision, through the API,
the command line and the decision page; the return alert then says the decision is accompanied by
an entry ban (Reg. (EU) 2018/1860 Art 4(1)(z)) and the entry-ban alert is entered on departure, as
for a ban given with the decision."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pactum.store.tables.platform import audit_log
from pactum.store.tables.returns import return_alerts

try:
    from .test_returns_support import World, browser, cli, cli_world, get, make_world, post
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, browser, cli, cli_world, get, make_world, post  # type: ignore[no-redef]

# the world's clock reads 2026-09-01: a decision of 2026-08-20 with 7 days had its last day on 2026-08-27
PAST = {"issued_on": "2026-08-20", "voluntary_departure_days": 7, "grounds": ["illegal_stay"]}


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _issue(world: World, surname: str = "Mansour", **more: Any) -> dict[str, Any]:
    person = world.person("it.returns", surname=surname, nationality="TUN")
    r = post(world, "it.returns", "/decisions", {"person_id": person, **(more or PAST)})
    assert r.status_code == 201, r.text
    return r.json()


def _ban(world: World, d: dict[str, Any], **more: Any) -> Any:
    body = {"version": d["version"], "imposed_on": "2026-09-01", "entry_ban_years": 3,
            "reasons": "did not leave within the period granted; found at the same address", **more}
    return post(world, "it.returns", f"/decisions/{d['id']}/entry-ban", body)


def _fields(r: Any) -> dict[str, str]:
    return {p["loc"][-1]: p["msg"] for p in r.json()["detail"]}


def test_the_officer_imposes_the_ban_once_the_period_ended_without_departure(world: World) -> None:
    d = _issue(world)
    assert d["entry_ban_months"] is None and d["voluntary_departure_last_day"] == "2026-08-27"
    due = d["entry_ban_due"]
    assert due["period_ended_on"] == "2026-08-27"
    assert "Directive 2008/115/EC, Article 11(1)(b)" in due["label"]
    assert "obligation to return has not been complied with" in due["label"]
    assert d["alert"]["entry_ban"] is False

    # on the period's last day the person could still comply
    r = _ban(world, d, imposed_on="2026-08-27")
    assert r.status_code == 422
    assert "runs until 2026-08-27" in _fields(r)["imposed_on"] and "2026-08-28" in _fields(r)["imposed_on"]
    # more than five years needs a serious threat (Art 11(2), the parameter returns.entry_ban.max_duration)
    r = _ban(world, d, entry_ban_years=6)
    assert r.status_code == 422 and "serious_threat" in _fields(r)["entry_ban_years"]
    assert "Art 11(2)" in _fields(r)["entry_ban_years"]
    r = _ban(world, d, entry_ban_years=None)
    assert r.status_code == 422 and "entry_ban_years" in _fields(r)
    # a stale version
    r = _ban(world, {**d, "version": d["version"] + 5})
    assert r.status_code == 409
    # nothing was written by the refusals
    assert get(world, "it.returns", f"/decisions/{d['id']}").json()["entry_ban_months"] is None

    r = _ban(world, d, entry_ban_years=None, entry_ban_months=18)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["entry_ban_months"] == 18 and out["entry_ban_imposed_on"] == "2026-09-01"
    assert out["entry_ban_reasons"].startswith("did not leave")
    assert out["version"] == d["version"] + 1
    assert out["entry_ban_due"] is None
    assert "Directive 2008/115/EC, Article 11(1)(b)" in out["legal_basis"]
    assert out["alert"]["entry_ban"] is True  # field (z) of the return alert
    with world.services.engine.begin() as conn:
        audited = conn.execute(select(audit_log.c.action, audit_log.c.after)
                               .where(audit_log.c.entity_id == d["id"],
                                      audit_log.c.action == "returns.decision.impose_entry_ban")).all()
        alert_audit = conn.execute(select(audit_log.c.after).where(
            audit_log.c.entity_id == d["alert"]["id"], audit_log.c.action == "returns.alert.update")).all()
        stored = conn.execute(select(return_alerts.c.entry_ban).where(return_alerts.c.id == d["alert"]["id"])).scalar()
    assert len(audited) == 1 and audited[0].after["entry_ban_months"] == 18
    assert alert_audit and alert_audit[-1].after["entry_ban"] is True and stored is True

    # a second ban is refused
    r = _ban(world, out)
    assert r.status_code == 422
    assert "already accompanied by an entry ban of 18 months, imposed on 2026-09-01" in _fields(r)["entry_ban_years"]

    # the ban runs from the actual departure: the entry-ban alert is entered then, as for a ban at issue
    r = post(world, "it.returns", f"/decisions/{d['id']}/departure",
             {"version": out["version"], "departed_on": "2026-09-01", "mode": "enforced"})
    assert r.status_code == 200, r.text
    gone = r.json()
    assert gone["entry_ban_starts_on"] == "2026-09-01" and gone["entry_ban_ends_on"] == "2028-03-01"
    assert gone["entry_ban_alert"]["starts_on"] == "2026-09-01" and gone["entry_ban_alert"]["status"] == "active"


def test_the_ban_is_refused_while_the_period_runs_after_departure_or_when_not_enforceable(world: World) -> None:
    running = _issue(world, "Running", issued_on="2026-09-01", voluntary_departure_days=30, grounds=["illegal_stay"])
    assert running["entry_ban_due"] is None
    r = _ban(world, running)
    assert r.status_code == 422 and f"runs until {running['voluntary_departure_last_day']}" in _fields(r)["imposed_on"]

    left = _issue(world, "Left")
    left = post(world, "it.returns", f"/decisions/{left['id']}/departure",
                {"version": left["version"], "departed_on": "2026-08-25", "mode": "voluntary"}).json()
    assert left["entry_ban_due"] is None
    r = _ban(world, left)
    assert r.status_code == 422
    assert "departure is recorded on 2026-08-25" in _fields(r)["imposed_on"]
    assert "complied with" in _fields(r)["imposed_on"]

    for action, words in (("withdraw", "withdrawn"), ("suspend", "suspended")):
        d = _issue(world, action.title())
        d = post(world, "it.returns", f"/decisions/{d['id']}/{action}", {"version": d["version"], "reason": "x"}).json()
        assert d["entry_ban_due"] is None
        r = _ban(world, d)
        assert r.status_code == 422 and words in _fields(r)["imposed_on"]

    # a ban given at issue (no period granted: Art 11(1)(a)) is the decision's one ban
    at_issue = _issue(world, "Banned", issued_on="2026-08-20", voluntary_departure_days=0,
                      grounds=["risk_of_absconding"], entry_ban_years=2)
    r = _ban(world, at_issue)
    assert r.status_code == 422
    assert "already accompanied by an entry ban of 2 years (with the decision at issue)" in _fields(r)["entry_ban_years"]

    # the future is refused; another state does not impose the issuing state's ban
    d = _issue(world, "Future")
    r = _ban(world, d, imposed_on="2026-09-02")
    assert r.status_code == 422 and "future" in _fields(r)["imposed_on"]
    r = post(world, "de.returns", f"/decisions/{d['id']}/entry-ban",
             {"version": d["version"], "imposed_on": "2026-09-01", "entry_ban_years": 1, "reasons": "x"})
    assert r.status_code in (403, 404)


def test_the_command_line_imposes_the_ban_and_refuses_in_one_line(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    world = cli_world(tmp_path, monkeypatch)
    d = _issue(world)
    body = {"version": d["version"], "imposed_on": "2026-08-27", "entry_ban_years": 2, "reasons": "did not leave"}
    r = cli(monkeypatch, "it.returns", "entry-ban", d["id"], "-", stdin=json.dumps(body))
    assert r.exit_code == 2, r.output
    assert "imposed_on" in r.output and "runs until 2026-08-27" in r.output
    body["imposed_on"] = "2026-08-28"
    r = cli(monkeypatch, "it.returns", "entry-ban", d["id"], "-", stdin=json.dumps(body))
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["entry_ban_years"] == 2 and out["entry_ban_imposed_on"] == "2026-08-28"
    assert out["alert"]["entry_ban"] is True


def test_the_decision_page_notes_article_11_1_b_and_offers_the_form_only_when_it_applies(world: World) -> None:
    d = _issue(world)
    running = _issue(world, "Running", issued_on="2026-09-01", voluntary_departure_days=30, grounds=["illegal_stay"])
    web = browser(world, "it.returns")
    page = web.get(f"/returns/decisions/{running['id']}").text
    assert 'id="entry-ban-due"' not in page and 'id="action-entry-ban"' not in page

    page = web.get(f"/returns/decisions/{d['id']}").text
    assert 'id="entry-ban-due"' in page and 'id="action-entry-ban"' in page
    assert "ended on 2026-08-27 without a departure recorded" in page
    assert "Directive 2008/115/EC, Article 11(1)(b)" in page

    form = {"version": str(d["version"]), "imposed_on": "2026-09-01", "entry_ban_years": "7", "entry_ban_months": "",
            "reasons": "did not leave"}
    r = web.post(f"/returns/decisions/{d['id']}/entry-ban", data=form, follow_redirects=False)
    assert r.status_code == 422
    assert "Entry ban, years: more than 5 years needs the ground" in r.text
    assert 'value="7"' in r.text and "did not leave</textarea>" in r.text  # what was typed is kept

    r = web.post(f"/returns/decisions/{d['id']}/entry-ban", data={**form, "serious_threat": "yes"},
                 follow_redirects=True)
    assert r.status_code == 200
    assert "Entry ban imposed" in r.text
    assert "7 years from departure" in r.text and "imposed on 2026-09-01" in r.text
    assert 'id="entry-ban-due"' not in r.text and 'id="action-entry-ban"' not in r.text
