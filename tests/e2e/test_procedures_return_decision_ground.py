"""An application rejected as inadmissible because it was made late after a return decision:
Regulation (EU) 2024/1348 (APR) Art 38(1)(e), read in the Italian text of the Regulation. The
determining authority may reject the application where a return decision was issued to the applicant
(Directive 2008/115/EC Art 6) and the application was made only after seven working days from the
day the applicant received it, provided they had been informed of the consequences and no new
relevant elements arose since. The examination on that ground ends within ten working days of
lodging (APR Art 35(1), second subparagraph). Working days are counted as Reg. 1182/71 counts
them, with Italy's public holidays (8 December, the Immaculate Conception)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.store.tables.identity import identity_links
from pactum.store.tables.registry import identity_records
from pactum.store.tables.returns import return_decisions

try:
    from .test_procedures_support import World, login, make_cli_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_cli_world, ok  # type: ignore[no-redef]

GROUND = "return_decision_late_application"
ART_38_1_E = "Regulation (EU) 2024/1348, Article 38(1)(e)"
CONFIRMED = {"informed_of_consequences": True, "no_new_elements": True}
REASONS = "the applicant applied ten working days after the return decision, informed of the consequences"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    w = make_cli_world(tmp_path, monkeypatch)
    w.travel(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    return w


def problems(r: Any) -> dict[str, str]:
    assert r.status_code == 422, r.text
    return {str(d["loc"][-1]): d["msg"] for d in r.json()["detail"]}


def return_decision(world: World, person_id: str, issued_on: date, *, member_state: str = "IT",
                    status: str = "issued", reference: str = "IT-RD-2026-0042") -> None:
    """A return decision (Directive 2008/115/EC Art 6) the returns area recorded for the person."""
    at = world.clock.now()
    with world.services.engine.begin() as conn:
        conn.execute(insert(return_decisions).values(
            id=f"rd_{reference}", person_id=person_id, member_state=member_state, reference=reference,
            issued_on=issued_on, issued_by=f"{member_state.lower()}.returns", nationality="BGD", grounds=[],
            voluntary_departure_days=7, legal_basis=[], trace=[], status=status, identity_confirmed=True,
            travel_document=False, fit_to_travel=True, absconded=False, created_at=at, version=1))


def interviewed(world: World, made_on: str, *, rd_issued_on: date | None = None,
                surname: str = "Uddin") -> dict[str, Any]:
    """An Italian case of a person made, registered, lodged and interviewed on ``made_on`` (the
    APR applies), the person having received (``rd_issued_on``) a return decision in Italy."""
    pid = world.person("it.caseworker", surname=surname, nationality="BGD", kind="irregular_crossing",
                       occurred_at="2026-11-02T06:00:00+00:00")
    if rd_issued_on is not None:
        return_decision(world, pid, rd_issued_on)
    case = world.apply("it.caseworker", pid, made_on=made_on, registered_on=made_on, context="in_territory")
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on=made_on))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on=made_on, language="Bengali"))
    return ok(world.act("it.caseworker", case, "hold_interview", held_on=made_on, interpreter_language="Bengali"))


def draft(world: World, case: dict[str, Any], **fields: Any) -> Any:
    return world.act("it.caseworker", case, "draft_decision", outcome="inadmissible",
                     inadmissibility_ground=GROUND, reasons=REASONS, **fields)


def test_made_ten_working_days_after_the_return_decision_is_inadmissible_citing_art_38_1_e(world: World) -> None:
    # received Friday 13 November 2026; seven working days end Tuesday 24 November; made Friday 27 November
    case = interviewed(world, "2026-11-27", rd_issued_on=date(2026, 11, 13))
    case = ok(draft(world, case, **CONFIRMED))
    assert case["state"] == "draft_decision" and case["draft"]["inadmissibility_ground"] == GROUND
    drafted = case["timeline"][-1]["detail"]
    assert drafted["inadmissibility_legal_basis"] == ART_38_1_E
    rd = drafted["return_decision"]
    assert (rd["reference"], rd["received_on"], rd["last_day"], rd["made_on"]) == (
        "IT-RD-2026-0042", "2026-11-13", "2026-11-24", "2026-11-27")
    assert "no separate day of receipt" in rd["received_on_source"]
    assert rd["informed_of_consequences"] is True and rd["no_new_elements"] is True
    assert rd["legal_basis"][0] == ART_38_1_E
    # the decision notice states the ground's article
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-11-28"))
    n = ok(world.client.get(f"/api/v1/procedures/cases/{case['reference']}/notice",
                            headers=world.headers("it.caseworker")))
    assert n["decision"]["inadmissibility_ground"] == GROUND
    assert ART_38_1_E in n["legal_basis"]


def test_made_within_seven_working_days_is_refused_naming_the_last_day_a_holiday_not_counted(
        world: World) -> None:
    world.travel(datetime(2026, 12, 21, 12, 0, tzinfo=UTC))
    # received Friday 4 December 2026: 7, (8 December a public holiday in Italy), 9, 10, 11, 14, 15,
    # 16 December; made on Wednesday 16 December, the last of the seven working days
    case = interviewed(world, "2026-12-16", rd_issued_on=date(2026, 12, 4))
    assert problems(draft(world, case, **CONFIRMED)) == {"inadmissibility_ground": (
        f"{ART_38_1_E}: the application was made on 2026-12-16, within 7 working days of the return decision "
        "IT-RD-2026-0042 received on 2026-12-04 (until 2026-12-16)")}
    again = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert again["state"] == "interview_held" and again["version"] == case["version"]  # nothing written
    assert again["late_after_return_decision"] is None  # no notice: made within the seven working days


def test_the_day_of_receipt_given_in_the_draft_counts_instead_of_the_day_of_issue(world: World) -> None:
    world.travel(datetime(2026, 12, 21, 12, 0, tzinfo=UTC))
    # issued Tuesday 1 December (seven working days to 11 December), received Friday 4 December
    case = interviewed(world, "2026-12-16", rd_issued_on=date(2026, 12, 1))
    assert problems(draft(world, case, return_decision_received_on="2026-12-04", **CONFIRMED)) == {
        "inadmissibility_ground": (
            f"{ART_38_1_E}: the application was made on 2026-12-16, within 7 working days of the return "
            "decision IT-RD-2026-0042 received on 2026-12-04 (until 2026-12-16)")}
    assert problems(draft(world, case, return_decision_received_on="2026-11-30", **CONFIRMED)) == {
        "return_decision_received_on": "cannot be before the return decision IT-RD-2026-0042 was issued (2026-12-01)"}
    drafted = ok(draft(world, case, **CONFIRMED))["timeline"][-1]["detail"]["return_decision"]
    assert (drafted["received_on"], drafted["last_day"]) == ("2026-12-01", "2026-12-11")


def test_refused_without_a_return_decision_of_the_person_in_the_state(world: World) -> None:
    case = interviewed(world, "2026-11-27")
    # one of Germany, and a withdrawn one of Italy, are not return decisions issued to the applicant here
    return_decision(world, case["person_id"], date(2026, 11, 2), member_state="DE", reference="DE-RD-2026-0001")
    return_decision(world, case["person_id"], date(2026, 11, 2), status="withdrawn", reference="IT-RD-2026-0001")
    assert problems(draft(world, case, **CONFIRMED)) == {"inadmissibility_ground": (
        f"{ART_38_1_E}: no return decision is recorded for this person in IT issued on or before the day the "
        "application was made (2026-11-27); the ground needs one (Directive 2008/115/EC, Article 6)")}
    assert ok(world.get("it.caseworker", f"/applications/{case['id']}"))["late_after_return_decision"] is None


def test_refused_without_the_two_confirmations_of_the_text(world: World) -> None:
    case = interviewed(world, "2026-11-27", rd_issued_on=date(2026, 11, 13))
    assert problems(draft(world, case)) == {
        "informed_of_consequences": ("confirm that the applicant was informed of the consequences of not making "
                                     f"an application within the time limit ({ART_38_1_E})"),
        "no_new_elements": f"confirm that no new relevant elements have arisen since the time limit expired ({ART_38_1_E})"}
    assert set(problems(draft(world, case, informed_of_consequences=True, no_new_elements=False))) == {
        "no_new_elements"}
    # a confirmation of another JSON type is refused by its name
    assert "informed_of_consequences" in problems(draft(world, case, informed_of_consequences="yes",
                                                        no_new_elements=True))


def test_not_offered_under_the_directive(world: World) -> None:
    world.travel(datetime(2026, 6, 5, 9, 0, tzinfo=UTC))
    pid = world.person("it.caseworker", surname="Rahman", nationality="ERI", kind="irregular_crossing",
                       occurred_at="2026-06-01T06:00:00+00:00")
    return_decision(world, pid, date(2026, 5, 4))
    case = world.apply("it.caseworker", pid, made_on="2026-06-05", registered_on="2026-06-05",
                       context="apprehended_at_external_border")
    world.travel(datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-06-08"))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-06-20", language="Tigrinya"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-06-20",
                        interpreter_language="Tigrinya"))
    assert problems(draft(world, case, **CONFIRMED)) == {"inadmissibility_ground": (
        "one of protection_in_another_member_state, first_country_of_asylum, safe_third_country, "
        "subsequent_application, dependant_separate_application under Directive 2013/32/EU: the "
        "application was lodged on 2026-06-08 (Regulation (EU) 2024/1348, Article 79(3))")}
    got = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert got["late_after_return_decision"] is None and GROUND not in got["inadmissibility_grounds"]


def test_case_page_and_api_say_the_ground_may_apply_and_when_its_examination_ends(world: World) -> None:
    case = interviewed(world, "2026-11-27", rd_issued_on=date(2026, 11, 13))
    got = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    facts = got["late_after_return_decision"]
    # ten working days from lodging on Friday 27 November: 8 December (a holiday) not counted -> 14 December
    assert (facts["ground"], facts["legal_basis"], facts["return_decision_reference"], facts["received_on"],
            facts["last_day"], facts["made_on"], facts["examination_ends_on"]) == (
        GROUND, ART_38_1_E, "IT-RD-2026-0042", "2026-11-13", "2026-11-24", "2026-11-27", "2026-12-14")
    assert facts["examination_legal_basis"] == "Regulation (EU) 2024/1348, Article 35(1)"
    assert got["inadmissibility_grounds"][GROUND] == ART_38_1_E
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}")
    assert page.status_code == 200
    html = page.text
    assert 'id="late-after-return-decision"' in html
    assert (f"{ART_38_1_E} may apply: the applicant received the return decision IT-RD-2026-0042 on 2026-11-13"
            in html)
    assert "the admissibility examination on that ground ends on 2026-12-14" in html
    # the draft form offers the ground, its two confirmations and the day of receipt
    assert f'<option value="{GROUND}">' in html
    # each ground of APR Art 38(1) in words, (d) as its text says it (it read "international court relocation")
    assert ('<option value="international_court_relocation">safe relocation provided for by an international '
            "criminal court or tribunal (Regulation (EU) 2024/1348, Article 38(1)(d))</option>") in html
    assert 'name="informed_of_consequences"' in html and 'name="no_new_elements"' in html
    assert 'name="return_decision_received_on" value=""' in html


def test_web_form_drafts_on_the_ground_with_its_checkboxes(world: World) -> None:
    case = interviewed(world, "2026-11-27", rd_issued_on=date(2026, 11, 13))
    web = login(world, "it.caseworker")
    form = {"action": "draft_decision", "version": str(case["version"]), "outcome": "inadmissible",
            "inadmissibility_ground": GROUND, "reasons": REASONS, "return_decision_received_on": ""}
    r = web.post(f"/procedures/cases/{case['id']}/act", data=form)
    assert r.status_code == 422 and "informed of the consequences" in r.text
    r = web.post(f"/procedures/cases/{case['id']}/act",
                 data={**form, "informed_of_consequences": "on", "no_new_elements": "on"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    got = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert got["state"] == "draft_decision" and got["draft"]["inadmissibility_ground"] == GROUND


def test_cli_step_takes_the_same_fields(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    case = interviewed(world, "2026-11-27", rd_issued_on=date(2026, 11, 13))
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    step = {"action": "draft_decision", "version": case["version"], "outcome": "inadmissible",
            "inadmissibility_ground": GROUND, "reasons": REASONS}
    r = CliRunner().invoke(app, ["procedures", "act", case["id"], "-"], input=json.dumps(step))
    assert r.exit_code == 2 and "informed_of_consequences" in r.output
    r = CliRunner().invoke(app, ["procedures", "act", case["id"], "-"],
                           input=json.dumps({**step, **CONFIRMED, "return_decision_received_on": "2026-11-13"}))
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["timeline"][-1]["detail"]["inadmissibility_legal_basis"] == ART_38_1_E


def _record_of(world: World, person_id: str) -> str:
    with world.services.engine.connect() as conn:
        return str(conn.execute(select(identity_records.c.id)
                                .where(identity_records.c.person_id == person_id)).scalar())


def _link(world: World, a: str, b: str, colour: str) -> str:
    """A verified multiple-identity link of Italy between the records of persons ``a`` and ``b``:
    white (the same person) or green (two persons)."""
    link_id, record, linked = f"idl_rd_{colour}_{b[-6:]}", _record_of(world, a), _record_of(world, b)
    with world.services.engine.begin() as conn:
        conn.execute(insert(identity_links).values(
            id=link_id, record_id=record, linked_record_id=linked, colour=colour,
            status="verified", verifying_authority="IT", match_probability=0.97,
            basis={"component": "national", "explanation": {}, "match_weight": 6.0},
            created_at=world.clock.now(), version=1))
    return link_id


def test_a_return_decision_on_a_record_linked_as_the_same_person_makes_the_ground_apply_a_green_link_not(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # the return decision was issued on 13 November to the person's other record (another spelling)
    other = world.person("it.caseworker", surname="Udin", nationality="BGD", kind="irregular_crossing",
                         occurred_at="2026-11-02T06:00:00+00:00")
    return_decision(world, other, date(2026, 11, 13))
    # another person (a green link: verified as two persons) received a later return decision
    stranger = world.person("it.caseworker", surname="Uddain", nationality="BGD", kind="irregular_crossing",
                            occurred_at="2026-11-02T06:00:00+00:00")
    return_decision(world, stranger, date(2026, 11, 16), reference="IT-RD-2026-0050")
    case = interviewed(world, "2026-11-27")
    assert ok(world.get("it.caseworker", f"/applications/{case['id']}"))["late_after_return_decision"] is None
    _link(world, case["person_id"], stranger, "green")
    assert ok(world.get("it.caseworker", f"/applications/{case['id']}"))["late_after_return_decision"] is None
    assert problems(draft(world, case, **CONFIRMED)) == {"inadmissibility_ground": (
        f"{ART_38_1_E}: no return decision is recorded for this person in IT issued on or before the day the "
        "application was made (2026-11-27); the ground needs one (Directive 2008/115/EC, Article 6)")}
    link = _link(world, case["person_id"], other, "white")
    got = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    facts = got["late_after_return_decision"]
    assert (facts["return_decision_reference"], facts["last_day"]) == ("IT-RD-2026-0042", "2026-11-24")
    assert facts["issued_to"] == {"person_id": other, "own": False, "link": {
        "id": link, "colour": "white", "status": "verified", "verifying_authority": "IT"}}
    said = (f"the return decision IT-RD-2026-0042 (issued to the linked record {other}, which the white "
            f"multiple-identity link {link} says is the same person) on 2026-11-13")
    assert said in facts["note"]
    assert said in login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    shown = CliRunner().invoke(app, ["procedures", "show", case["reference"]])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["late_after_return_decision"]["issued_to"]["person_id"] == other
    drafted = ok(draft(world, case, **CONFIRMED))["timeline"][-1]["detail"]["return_decision"]
    assert (drafted["reference"], drafted["issued_to"]["person_id"], drafted["issued_to"]["own"]) == (
        "IT-RD-2026-0042", other, False)


def test_a_draft_on_the_ground_makes_its_ten_working_days_the_case_deadline_on_page_api_and_cli(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    case = interviewed(world, "2026-11-27", rd_issued_on=date(2026, 11, 13))
    # the ground may apply, but the authority has not taken it up: the accelerated procedure's three
    # months run (a Bangladeshi applicant: the low recognition rate, APR Art 42(1)(j))
    assert (case["deadline"]["kind"], case["deadline"]["due"]) == ("examination_accelerated", "2027-03-01")
    case = ok(draft(world, case, **CONFIRMED))
    # ten working days from lodging on Friday 27 November, 8 December (a holiday in Italy) not counted
    kind = "examination_admissibility_late_after_return_decision"
    assert (case["deadline"]["kind"], case["deadline"]["due"], case["deadline"]["legal_basis"]) == (
        kind, "2026-12-14", "Regulation (EU) 2024/1348, Article 35(1)")
    assert (case["next_deadline"], case["next_deadline_kind"]) == ("2026-12-14", kind)
    r = world.get("it.caseworker", "/queue")
    assert r.status_code == 200, r.text
    [row] = r.json()
    assert (row["next_deadline"], row["next_deadline_kind"]) == ("2026-12-14", kind)
    html = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text
    box = html.split("<h2>Next legal deadline</h2>", 1)[1].split("</section>", 1)[0]
    assert "<strong>2026-12-14</strong> examination admissibility late after return decision" in box
    assert "the examination on that ground ends within 10 working days of lodging" in box
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    r = CliRunner().invoke(app, ["procedures", "queue"])
    assert r.exit_code == 0, r.output
    [line] = json.loads(r.output)
    assert (line["next_deadline"], line["next_deadline_kind"]) == ("2026-12-14", kind)
    # returned for revision, the draft still names the ground; approved, the examination is over
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    assert case["deadline"]["due"] == "2026-12-14"
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-11-28"))
    assert case["deadline"] is None
