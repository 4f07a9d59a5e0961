"""A correction of a record's identity data reaches the SIS return alerts the state entered from
it (Regulation (EU) 2018/1861, Article 44(1) and (3): the issuing Member State keeps the data it
entered accurate and up to date, and only it corrects them; applied to return alerts by Regulation
(EU) 2018/1860). Italy registered Karim Trabelssi (surname misspelt, date of birth typed wrong)
and issued a return decision with its alert; Germany, where he was met, registered him too, issued
its own decision and alert, and recorded a hit on Italy's alert, which it recognised; Italy
recorded a hit on Germany's alert. Italy corrects its record: its alert follows, a third state's
search with the corrected data finds it, Germany's alert is Germany's to correct, Germany's hit
stays and Germany is told."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from pactum.store.tables.platform import audit_log
from pactum.store.tables.returns import return_alert_hits, return_alerts

try:
    from .test_returns_support import World, browser, get, make_world, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, browser, get, make_world, post  # type: ignore[no-redef]

CHANGED = "withheld (identity data, changed)"
FIX = {"surname": "Trabelsi", "date_of_birth": "1994-03-20"}
REASON = "surname misspelt and birth date typed wrong at the registration; passport checked"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _decision(world: World, officer: str, person: str) -> dict[str, Any]:
    r = post(world, officer, "/decisions", {"person_id": person, "issued_on": "2026-08-20",
                                            "voluntary_departure_days": 7})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _story(world: World) -> dict[str, Any]:
    """Italy's person and decision, Germany's person and decision, Germany's recognised hit on
    Italy's alert and Italy's hit on Germany's alert."""
    it_person = world.person("it.returns", surname="Trabelssi", nationality="TUN")
    it_decision = _decision(world, "it.returns", it_person)
    de_person = world.met("de.returns", "Trabelssi")
    de_decision = _decision(world, "de.returns", de_person)
    it_alert, de_alert = it_decision["alert"]["id"], de_decision["alert"]["id"]
    assert world.find_alert("de.returns", "Trabelssi") == it_alert
    de_hit = post(world, "de.returns", "/hits", {"alert_id": it_alert, "local_person_id": de_person})
    assert de_hit.status_code == 201, de_hit.text
    recognised = post(world, "de.returns", f"/hits/{de_hit.json()['id']}/recognise",
                      {"version": de_hit.json()["version"]})
    assert recognised.status_code == 200, recognised.text
    assert world.find_alert("it.returns", "Trabelssi") == de_alert
    it_hit = post(world, "it.returns", "/hits", {"alert_id": de_alert, "local_person_id": it_person})
    assert it_hit.status_code == 201, it_hit.text
    return {"it_person": it_person, "it_record": it_decision["identity_record_id"], "it_alert": it_alert,
            "it_reference": it_decision["reference"], "de_alert": de_alert,
            "de_reference": de_decision["reference"], "de_hit": recognised.json(), "it_hit": it_hit.json()["id"]}


def _correct(world: World, record: str, changes: dict[str, Any] | None = None) -> Any:
    return world.client.post(f"/api/v1/registry/records/{record}/corrections",
                             json={"changes": changes or FIX, "reason": REASON},
                             headers=world.headers("it.caseworker"))


def _alert(world: World, alert_id: str) -> Any:
    with world.services.engine.connect() as conn:
        return conn.execute(select(return_alerts).where(return_alerts.c.id == alert_id)).mappings().one()


def _alert_entries(world: World, alert_id: str) -> list[Any]:
    with world.services.engine.connect() as conn:
        return list(conn.execute(select(audit_log).where(
            audit_log.c.entity_type == "return_alert", audit_log.c.entity_id == alert_id,
            audit_log.c.action == "returns.alert.identity_corrected").order_by(audit_log.c.seq)).mappings())


def _alert_search(world: World, officer: str, surname: str, date_of_birth: str) -> list[str]:
    """The return alerts the identity search of ``officer`` discloses for these data."""
    from pactum.services.jobs import load_all

    load_all()["identity_index"].fn(world.services, world.services.clock.now())
    r = world.client.post("/api/v1/identity/search", headers=world.headers(officer),
                          json={"surname": surname, "given_names": "Karim", "date_of_birth": date_of_birth})
    assert r.status_code == 200, r.text
    return [c["alert_id"] for c in r.json()["candidates"] if c["component"] == "sis_return_alert"]


def test_the_states_return_alert_follows_the_correction_of_its_record(world: World) -> None:
    s = _story(world)
    r = _correct(world, s["it_record"])
    assert r.status_code == 200, r.text
    out = r.json()
    # Italy's alert reads back corrected, for Italy and for Germany, which acts on it
    alert = _alert(world, s["it_alert"])
    assert (alert["surnames"], alert["date_of_birth"]) == ("Trabelsi", "1994-03-20")
    assert (alert["forenames"], alert["nationalities"], alert["status"]) == ("Karim", "TUN", "active")
    for officer in ("it.returns", "de.returns"):
        seen = get(world, officer, f"/alerts/{s['it_alert']}").json()
        assert (seen["surnames"], seen["date_of_birth"]) == ("Trabelsi", "1994-03-20")
    # the answer says which alert was corrected, and how
    (corrected,) = out["alerts_corrected"]
    assert corrected["alert_id"] == s["it_alert"] and corrected["decision_reference"] == s["it_reference"]
    assert corrected["identity_record_id"] == s["it_record"]
    assert corrected["changed"] == ["surnames", "date_of_birth"]
    assert corrected["changed_words"] == ["(a) surnames", "(f) date of birth"]
    assert "Regulation (EU) 2018/1861, Article 44(3)" in " ".join(corrected["legal_basis"])
    # one audit entry on the alert: which fields, not their values
    (entry,) = _alert_entries(world, s["it_alert"])
    assert entry["actor"] == "it.caseworker" and entry["after"]["changed"] == ["surnames", "date_of_birth"]
    assert entry["after"]["alert"] == {"surnames": CHANGED, "date_of_birth": CHANGED}
    assert entry["before"]["alert"] == {"surnames": CHANGED, "date_of_birth": CHANGED}
    assert entry["after"]["identity_record_id"] == s["it_record"]
    assert "Trabelsi" not in str(entry["after"]) and "1994-03-20" not in str(entry["after"])
    # the record's own correction entry names the alert corrected with it
    said = world.client.get(f"/api/v1/registry/persons/{s['it_person']}", headers=world.headers("it.caseworker"))
    (correction,) = said.json()["corrections"]
    assert [a["alert_id"] for a in correction["alerts_corrected"]] == [s["it_alert"]]


def test_a_third_states_search_with_the_corrected_data_finds_the_alert(world: World) -> None:
    s = _story(world)
    assert _correct(world, s["it_record"]).status_code == 200
    assert s["it_alert"] in _alert_search(world, "fr.returns", "Trabelsi", "1994-03-20")
    # and France reads, once it has its hit, what the alert now says
    met = world.met("fr.returns", "Trabelsi", date_of_birth="1994-03-20")
    hit = post(world, "fr.returns", "/hits", {"alert_id": s["it_alert"], "local_person_id": met})
    assert hit.status_code == 201, hit.text
    seen = get(world, "fr.returns", f"/alerts/{s['it_alert']}").json()
    assert (seen["surnames"], seen["date_of_birth"]) == ("Trabelsi", "1994-03-20")


def test_another_states_alert_is_untouched_and_left_to_that_state(world: World) -> None:
    s = _story(world)
    before = dict(_alert(world, s["de_alert"]))
    out = _correct(world, s["it_record"]).json()
    assert dict(_alert(world, s["de_alert"])) == before
    assert before["surnames"] == "Trabelssi" and _alert_entries(world, s["de_alert"]) == []
    # Italy sees Germany's alert through its hit: the answer says Germany corrects it
    (other,) = out["other_states_alerts"]
    assert (other["alert_id"], other["issuing_member_state"], other["decision_reference"], other["hit_id"]) == (
        s["de_alert"], "DE", s["de_reference"], s["it_hit"])
    assert "only DE corrects the data it entered in SIS" in other["what_to_do"]
    assert "Regulation (EU) 2018/1861, Article 44(3)" in other["what_to_do"]
    assert s["de_alert"] not in [a["alert_id"] for a in out["alerts_corrected"]]


def test_without_a_hit_another_states_alert_is_not_named(world: World) -> None:
    it_person = world.person("it.returns", surname="Trabelssi", nationality="TUN")
    it_decision = _decision(world, "it.returns", it_person)
    _decision(world, "de.returns", world.met("de.returns", "Trabelssi"))
    out = _correct(world, it_decision["identity_record_id"]).json()
    assert [a["alert_id"] for a in out["alerts_corrected"]] == [it_decision["alert"]["id"]]
    assert out["other_states_alerts"] == []


def test_the_hit_germany_acted_on_stays_and_germany_is_told(world: World) -> None:
    s = _story(world)
    with world.services.engine.connect() as conn:
        hit_before = dict(conn.execute(select(return_alert_hits).where(
            return_alert_hits.c.id == s["de_hit"]["id"])).mappings().one())
    out = _correct(world, s["it_record"]).json()
    with world.services.engine.connect() as conn:
        hit_after = dict(conn.execute(select(return_alert_hits).where(
            return_alert_hits.c.id == s["de_hit"]["id"])).mappings().one())
    assert hit_after == hit_before and hit_after["status"] == "recognised"
    (corrected,) = out["alerts_corrected"]
    assert corrected["hits_informed"] == [{"hit_id": s["de_hit"]["id"], "executing_member_state": "DE"}]
    # Germany reads it on the hit (supplementary information from Italy) and in its notifications
    hit = get(world, "de.returns", f"/hits/{s['de_hit']['id']}").json()
    said = " ".join(m["body"] for m in hit["messages"] if m["from_member_state"] == "IT")
    assert "IT corrected the identity data of its return alert" in said and "(a) surnames" in said
    assert "Trabelsi" not in said and "1994-03-20" not in said
    notes = get(world, "de.returns", "/notifications?kind=hit_message").json()
    assert any(n["hit_id"] == s["de_hit"]["id"] for n in notes)


def test_a_field_the_alert_does_not_hold_leaves_it_as_it_is(world: World) -> None:
    s = _story(world)
    before = dict(_alert(world, s["it_alert"]))
    out = _correct(world, s["it_record"], {"father_name": "Ahmed"}).json()
    assert out["alerts_corrected"] == []
    assert dict(_alert(world, s["it_alert"])) == before and _alert_entries(world, s["it_alert"]) == []


def test_a_deleted_alert_is_not_written_again(world: World) -> None:
    it_person = world.person("it.returns", surname="Trabelssi", nationality="TUN")
    d = _decision(world, "it.returns", it_person)
    gone = post(world, "it.returns", f"/decisions/{d['id']}/departure",
                {"version": d["version"], "departed_on": "2026-08-25"})
    assert gone.status_code == 200, gone.text
    out = _correct(world, d["identity_record_id"]).json()
    assert out["alerts_corrected"] == []
    alert = _alert(world, d["alert"]["id"])
    assert (alert["status"], alert["surnames"], alert["date_of_birth"]) == ("deleted", None, None)


def test_the_command_line_says_which_alerts_were_corrected(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from pactum.cli.main import app

    s = _story(world)
    monkeypatch.setenv("PACTUM_DATABASE_URL", world.services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(world.services.settings.var_dir))
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    r = CliRunner().invoke(app, ["registry", "correct", s["it_record"], "--surname", "Trabelsi",
                                 "--date-of-birth", "1994-03-20", "--reason", REASON])
    assert r.exit_code == 0, r.output
    assert (f"corrected SIS return alert {s['it_alert']} (decision {s['it_reference']}) with {s['it_record']}: "
            "(a) surnames, (f) date of birth; DE told on hit") in r.stderr
    assert f"note: DE's return alert {s['de_reference']} on this person is not corrected" in r.stderr
    assert '"alerts_corrected"' in r.stdout
    assert _alert(world, s["it_alert"])["surnames"] == "Trabelsi"


def test_the_person_page_confirms_the_alerts_corrected_and_names_the_other_states(world: World) -> None:
    s = _story(world)
    web = browser(world, "it.caseworker")
    form = web.get(f"/registry/records/{s['it_record']}/correct")
    assert form.status_code == 200
    r = web.post(f"/registry/records/{s['it_record']}/correct",
                 data={"surname": "Trabelsi", "given_names": "Karim", "sex": "M", "date_of_birth": "1994-03-20",
                       "place_of_birth": "Sfax", "nationality": "TUN", "document_type": "passport",
                       "document_number": "PTRA123", "document_country": "TUN", "version": "1",
                       "reason": REASON}, follow_redirects=True)  # the record's version: never corrected
    assert r.status_code == 200, r.text
    page = r.text
    assert f"SIS return alert of decision {s['it_reference']} corrected with record {s['it_record']}" in page
    assert "(a) surnames, (f) date of birth" in page
    assert f"DE (hit {s['de_hit']['id']})" in page and "whose hits stay as recorded" in page
    assert f"DE&#39;s return alert {s['de_reference']} on this person is not corrected" in page
    assert f'href="/returns/hits/{s["it_hit"]}"' in page
    assert _alert(world, s["it_alert"])["surnames"] == "Trabelsi"


def _crossing_and_applicants_copy(world: World) -> tuple[str, str, str, dict[str, Any]]:
    """Karim registered by Italy at a crossing, then his application recorded in Eurodac (the
    applicant's record, a copy of the crossing's, misspelling included), and a return decision
    whose alert is entered from his latest record: the applicant's copy."""
    from datetime import date

    from pactum.services import registry
    from pactum.store.tables.registry import identity_records

    person = world.person("it.returns", surname="Trabelssi", nationality="TUN")
    with world.services.uow() as uow:
        registry.record_application_in_eurodac(uow, world.principals["it.caseworker"], person_id=person,
                                               made_on=date(2026, 6, 22))
        uow.commit()
    with world.services.engine.connect() as conn:
        records = dict(conn.execute(select(identity_records.c.category, identity_records.c.id).where(
            identity_records.c.person_id == person)).all())
    decision = _decision(world, "it.returns", person)
    assert decision["alert"]["identity_record_id"] == records["applicant"]
    return person, records["irregular_crossing"], records["applicant"], decision


def test_the_alert_follows_the_record_it_was_entered_from_when_corrected_with_it(world: World) -> None:
    _person, crossing, applicant, decision = _crossing_and_applicants_copy(world)
    r = world.client.post(f"/api/v1/registry/records/{crossing}/corrections",
                          json={"changes": FIX, "reason": REASON, "also_records": [applicant]},
                          headers=world.headers("it.caseworker"))
    assert r.status_code == 200, r.text
    (corrected,) = r.json()["alerts_corrected"]
    assert (corrected["alert_id"], corrected["identity_record_id"]) == (decision["alert"]["id"], applicant)
    (listed,) = r.json()["also_corrected"]
    assert [a["alert_id"] for a in listed["alerts_corrected"]] == [decision["alert"]["id"]]
    assert _alert(world, decision["alert"]["id"])["surnames"] == "Trabelsi"


def test_correcting_another_record_alone_says_the_alert_keeps_its_data(world: World) -> None:
    _person, crossing, applicant, decision = _crossing_and_applicants_copy(world)
    out = _correct(world, crossing).json()
    assert out["alerts_corrected"] == []
    assert _alert(world, decision["alert"]["id"])["surnames"] == "Trabelssi"
    (warning,) = out["warnings"]
    assert (f"The SIS return alert of decision {decision['reference']} was entered from record {applicant}, "
            "not corrected with this one: it keeps (a) surnames, (f) date of birth as they were") in warning
