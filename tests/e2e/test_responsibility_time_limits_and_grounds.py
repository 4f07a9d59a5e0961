"""The Dublin unit's request through the API: a detained person's time limit runs from the lodging
(Dublin III Art 28(3); AMMR Art 45(1)), not from a Eurodac hit, and missing it does not shift
responsibility while the ordinary limit runs; the late-request refusal cites the rule applied; a
take back needs its ground (Dublin III Art 18(1)(b)-(d), 20(5); AMMR Art 36(1)(b)-(c)); the state
responsible now after the procedure's events; the window for asking a re-examination."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

try:
    from .test_responsibility_support import World, case_body, make_world
except ImportError:  # tests/e2e is not a package
    from test_responsibility_support import World, case_body, make_world  # type: ignore[no-redef]

# the world's clock: 2026-09-01


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _case(world: World, ref: str, registered_on: str, entry_on: str = "2026-01-01") -> dict[str, Any]:
    r = world.post("de.caseworker", "/cases", case_body(
        ref, application={"registered_in": "DE", "registered_on": registered_on},
        entries=[{"kind": "irregular_crossing", "member_state": "IT", "on": entry_on}]))
    assert r.status_code == 201, r.text
    return r.json()


def _send(world: World, case: dict[str, Any], **body: Any) -> Any:
    return world.post("de.dublin", f"/cases/{case['id']}/requests", {"kind": "take_charge", **body})


def _fields(r: Any) -> dict[str, str]:
    return {".".join(str(x) for x in d["loc"][1:]): d["msg"] for d in r.json()["detail"]}


def test_a_detained_persons_dublin_iii_request_runs_from_the_lodging_not_from_a_hit(world: World) -> None:
    case = _case(world, "DE-DET-1", "2026-06-01")
    assert case["determination"]["regime"] == "dublin_iii"
    # one month from the lodging (2026-07-01) has passed: a hit received later does not restart it
    r = _send(world, case, detained=True, eurodac_hit=True, hit_on="2026-08-31")
    assert r.status_code == 409, r.text
    msg = r.json()["detail"]
    assert "ended on 2026-07-01 (Regulation (EU) No 604/2013, Article 28(3))" in msg
    # missing it ends the detention, not the request: the ordinary limit runs, two months from the
    # hit but no later than three months from the lodging (CJEU C-670/16 Mengesteab): 2026-09-01
    assert "Article 28(3), fourth subparagraph" in msg
    assert "runs until 2026-09-01 (Regulation (EU) No 604/2013, Article 21(1))" in msg
    assert "DE is responsible" not in msg
    r = _send(world, case, eurodac_hit=True, hit_on="2026-08-31")
    assert r.status_code == 201, r.text
    req = r.json()
    assert req["request_deadline"] == "2026-09-01"
    assert any("Mengesteab" in line for line in req["deadlines"]["request"]["computation"])


def test_a_hit_does_not_open_a_take_charge_request_after_three_months_from_the_lodging(world: World) -> None:
    case = _case(world, "DE-MENG-1", "2026-05-20")
    r = _send(world, case, eurodac_hit=True, hit_on="2026-08-25")
    assert r.status_code == 409, r.text
    msg = r.json()["detail"]
    assert msg.startswith("the time limit for this request ended on 2026-08-20 "
                          "(Regulation (EU) No 604/2013, Article 21(1))")
    assert msg.endswith("DE is responsible (Regulation (EU) No 604/2013, Article 21(1), third subparagraph)")


def test_the_law_endpoint_runs_a_detained_request_from_the_lodging(world: World) -> None:
    r = world.client.post("/api/v1/law/time-limits", headers=world.headers("de.dublin"), json={
        "kind": "take_charge_request", "event_at": "2026-11-25", "member_state": "IT", "detained": True,
        "eurodac_hit": True, "application_registered_on": "2026-06-30"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["ends_on"] == "2026-07-30"
    assert any("here 2026-06-30" in line for line in out["computation"])
    assert not any("here 2026-11-25" in line for line in out["computation"])


def test_a_late_detained_request_cites_the_ordinary_limit_that_makes_the_state_responsible(world: World) -> None:
    case = _case(world, "DE-DET-2", "2026-05-01")
    r = _send(world, case, detained=True)
    assert r.status_code == 409, r.text
    msg = r.json()["detail"]
    # the three months of Art 21(1) ended on Saturday 2026-08-01, so Monday 2026-08-03
    assert msg.startswith("the time limit for this request ended on 2026-08-03 "
                          "(Regulation (EU) No 604/2013, Article 21(1))")
    assert msg.endswith("DE is responsible (Regulation (EU) No 604/2013, Article 21(1), third subparagraph)")


def test_a_detained_persons_ammr_request_runs_two_weeks_from_the_registration(world: World) -> None:
    case = _case(world, "DE-DET-3", "2026-08-20", entry_on="2026-06-01")
    assert case["determination"]["regime"] == "ammr"
    r = _send(world, case, detained=True, eurodac_hit=True, hit_on="2026-08-31")
    assert r.status_code == 201, r.text
    req = r.json()
    assert req["request_deadline"] == "2026-09-03"  # Art 45(1): two weeks from the registration
    assert req["deadlines"]["request"]["legal_basis"][0] == "Regulation (EU) 2024/1351, Article 45(1)"
    assert req["reply_due"] == "2026-09-08"  # one week (Art 45(2))
    world.post("de.dublin", f"/requests/{req['id']}/withdraw", {"version": req["version"]})
    world.advance(3)
    r = _send(world, case, detained=True, eurodac_hit=True, hit_on="2026-08-31")
    assert r.status_code == 409
    msg = r.json()["detail"]
    assert "ended on 2026-09-03 (Regulation (EU) 2024/1351, Article 45(1))" in msg
    assert "(Regulation (EU) 2024/1351, Article 39(1))" in msg and "DE is responsible" not in msg


def test_a_take_back_needs_its_ground(world: World) -> None:
    case = _case(world, "DE-TB-1", "2026-06-01")
    assert case["determination"]["criterion"] == "irregular_entry"
    r = _send(world, case, kind="take_back", requested_member_state="IT")
    assert r.status_code == 422
    problems = _fields(r)
    assert set(problems) == {"kind"}
    assert "Article 18(1)(b)" in problems["kind"] and "send a take charge request" in problems["kind"]
    r = _send(world, case, kind="take_back", take_back_ground="indicated_responsible_in_eurodac")
    assert r.status_code == 422 and set(_fields(r)) == {"take_back_ground"}  # an AMMR ground
    r = _send(world, case, kind="take_charge", take_back_ground="application_rejected")
    assert r.status_code == 422 and set(_fields(r)) == {"take_back_ground"}
    r = _send(world, case, kind="take_back", take_back_ground="application_rejected")
    assert r.status_code == 201, r.text
    req = r.json()
    assert req["criterion"] == "application_rejected"
    assert req["legal_basis"] == ["Regulation (EU) No 604/2013, Article 18(1)(d)"]
    ammr = _case(world, "DE-TB-2", "2026-08-20", entry_on="2026-06-01")
    r = _send(world, ammr, kind="take_back_notification", hit_on="2026-08-25")
    assert r.status_code == 422 and set(_fields(r)) == {"kind"}
    assert "Article 36(1)(b)" in _fields(r)["kind"]


def test_a_hit_date_without_a_hit_is_refused(world: World) -> None:
    case = _case(world, "DE-HIT-1", "2026-08-20", entry_on="2026-06-01")
    r = _send(world, case, hit_on="2026-08-25")
    assert r.status_code == 422 and set(_fields(r)) == {"eurodac_hit"}
    r = _send(world, case, eurodac_hit=True)
    assert _fields(r)["hit_on"] == "the date of the Eurodac hit is required when there is a Eurodac hit"


def test_responsible_now_after_a_missed_take_charge_time_limit(world: World) -> None:
    case = _case(world, "DE-NOW-1", "2026-06-01")
    assert case["responsible_now"]["member_state"] == "IT"  # the three months end on 2026-09-01
    world.advance(1)
    case = world.get("de.dublin", f"/cases/{case['id']}").json()
    assert case["determination"]["responsible_member_state"] == "IT"  # the determination, kept
    now = case["responsible_now"]
    assert now["member_state"] == "DE" and now["rule"] == "no_request_in_time" and now["shifted"]
    assert now["legal_basis"] == ["Regulation (EU) No 604/2013, Article 21(1), third subparagraph"]
    (listed,) = [c for c in world.get("de.dublin", "/cases").json() if c["id"] == case["id"]]
    assert listed["responsible_member_state"] == "IT"
    assert listed["responsible_now"]["member_state"] == "DE"


def test_responsible_now_after_the_transfer_period_lapsed(world: World) -> None:
    case = _case(world, "DE-NOW-2", "2026-08-20", entry_on="2026-06-01")
    req = _send(world, case).json()
    req = world.post("it.dublin", f"/requests/{req['id']}/accept", {"version": req["version"]}).json()
    case = world.get("de.dublin", f"/cases/{case['id']}").json()
    assert case["responsible_now"]["member_state"] == "IT"
    assert case["responsible_now"]["rule"] == "accepted"
    world.advance(200)  # six months from the acceptance have passed without a transfer
    case = world.get("de.dublin", f"/cases/{case['id']}").json()
    assert case["determination"]["responsible_member_state"] == "IT"
    now = case["responsible_now"]
    assert now["member_state"] == "DE" and now["rule"] == "transfer_deadline_missed"
    assert now["legal_basis"] == ["Regulation (EU) 2024/1351, Article 37(1)"]
    assert now["since"] == req["transfer_due"]
    (listed,) = [c for c in world.get("de.dublin", "/cases").json() if c["id"] == case["id"]]
    assert listed["responsible_now"]["member_state"] == "DE"
    r = _send(world, case)
    assert r.status_code == 409 and "Article 37(1)" in r.json()["detail"]


def test_a_refusal_shows_the_window_for_asking_a_reexamination(world: World) -> None:
    case = _case(world, "DE-RX-1", "2026-08-20", entry_on="2026-06-01")
    req = _send(world, case).json()
    req = world.post("it.dublin", f"/requests/{req['id']}/refuse",
                     {"version": req["version"], "reasons": "No trace of the entry"}).json()
    assert req["status"] == "refused"
    window = req["reexamination_request_due"]
    assert window is not None and window > "2026-09-01"
    assert req["next_deadline"]["what"] == "re-examination request"
    assert req["next_deadline"]["on"] == window
    assert req["deadlines"]["reexamination_request"]["ends_on"] == window
    (row,) = [r for r in world.get("de.dublin", "/outbox").json() if r["id"] == req["id"]]
    assert row["next_deadline"]["what"] == "re-examination request"


def _earlier(world: World, ref: str, registered_on: str, earlier_on: str) -> dict[str, Any]:
    r = world.post("de.caseworker", "/cases", case_body(
        ref, application={"registered_in": "DE", "registered_on": registered_on},
        entries=[], earlier_applications=[{"member_state": "IT", "registered_on": earlier_on}]))
    assert r.status_code == 201, r.text
    return r.json()


def test_responsible_now_waits_for_a_late_ammr_take_back_notification(world: World) -> None:
    case = _earlier(world, "DE-TBN-NOW", "2026-07-01", "2026-06-20")
    assert case["determination"]["criterion"] == "first_application"
    world.advance(3)  # past the two months of a take-charge request (Art 39(1))
    now = world.get("de.dublin", f"/cases/{case['id']}").json()["responsible_now"]
    # a take-back notification may be sent late and still obliges Italy (AMMR Art 41)
    assert now["member_state"] == "IT" and not now["shifted"] and now["rule"] == "determination"
    assert "Regulation (EU) 2024/1351, Article 41" in now["legal_basis"]
    assert "no take-back notification has been sent yet" in now["reason"]


def test_responsible_now_after_a_missed_dublin_iii_take_back_cites_article_23_3(world: World) -> None:
    case = _earlier(world, "DE-TB-NOW", "2026-05-01", "2026-03-02")
    now = world.get("de.dublin", f"/cases/{case['id']}").json()["responsible_now"]
    assert now["member_state"] == "DE" and now["shifted"] and now["rule"] == "no_request_in_time"
    # three months from the lodging (Art 23(2)), Saturday 2026-08-01 → Monday 2026-08-03
    assert now["reason"].startswith("no take-back request was sent to IT by 2026-08-03")
    assert now["legal_basis"] == ["Regulation (EU) No 604/2013, Article 23(3)"]
