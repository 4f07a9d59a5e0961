"""A detained person's Dublin procedure through the API: a detention ordered after the registration
runs the AMMR request's limit one week from the placing in detention (AMMR Art 45(1), second
subparagraph) without reopening an ordinary limit that has passed; the shorter transfer limit for a
detained person ends the detention, not the transfer period, so responsibility does not shift when
it passes (Dublin III Art 28(3), fourth subparagraph; AMMR Art 45(3))."""

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


def _case(world: World, ref: str, registered_on: str) -> dict[str, Any]:
    r = world.post("de.caseworker", "/cases", case_body(
        ref, application={"registered_in": "DE", "registered_on": registered_on},
        entries=[{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-06-01"}]))
    assert r.status_code == 201, r.text
    assert r.json()["determination"]["regime"] == "ammr"
    return r.json()


def _send(world: World, case: dict[str, Any], **body: Any) -> Any:
    return world.post("de.dublin", f"/cases/{case['id']}/requests", {"kind": "take_charge", **body})


def _fields(r: Any) -> dict[str, str]:
    return {".".join(str(x) for x in d["loc"][1:]): d["msg"] for d in r.json()["detail"]}


def test_a_detention_ordered_after_the_registration_gives_one_week_from_it(world: World) -> None:
    case = _case(world, "DE-DL-1", "2026-08-20")
    r = _send(world, case, detained=True, detained_on="2026-08-28")
    assert r.status_code == 201, r.text
    req = r.json()
    assert req["detained_on"] == "2026-08-28"
    # one week from the placing in detention, not two weeks from the registration (2026-09-03)
    assert req["request_deadline"] == "2026-09-04"
    request = req["deadlines"]["request"]
    assert request["legal_basis"][0] == "Regulation (EU) 2024/1351, Article 45(1)"
    assert any("placed in detention on 2026-08-28" in line for line in request["computation"])
    # detained on the day of the registration: the two weeks from the registration
    world.post("de.dublin", f"/requests/{req['id']}/withdraw", {"version": req["version"]})
    r = _send(world, case, detained=True, detained_on="2026-08-20")
    assert r.status_code == 201, r.text
    assert r.json()["request_deadline"] == "2026-09-03"


def test_a_detention_date_needs_the_detention_and_a_past_day(world: World) -> None:
    case = _case(world, "DE-DL-2", "2026-08-20")
    r = _send(world, case, detained_on="2026-08-28")
    assert r.status_code == 422 and set(_fields(r)) == {"detained_on"}
    assert "not stated to be detained" in _fields(r)["detained_on"]
    r = _send(world, case, detained=True, detained_on="2026-09-02")
    assert r.status_code == 422 and _fields(r) == {"detained_on": "is in the future"}
    assert world.get("de.dublin", f"/cases/{case['id']}").json()["requests"] == []


def test_a_late_detention_does_not_reopen_the_ordinary_time_limit(world: World) -> None:
    case = _case(world, "DE-DL-3", "2026-07-01")
    world.advance(3)  # the two months of Art 39(1) ended on 2026-09-01
    r = _send(world, case, detained=True, detained_on="2026-09-03")
    assert r.status_code == 409, r.text
    msg = r.json()["detail"]
    assert msg.startswith("the time limit for this request ended on 2026-09-01 "
                          "(Regulation (EU) 2024/1351, Article 39(1))")
    assert msg.endswith("DE is responsible (Regulation (EU) 2024/1351, Article 39(1), third subparagraph)")


def test_the_detained_transfer_limit_ends_the_detention_not_the_period(world: World) -> None:
    case = _case(world, "DE-DL-4", "2026-08-25")
    req = _send(world, case, detained=True).json()
    assert req["reply_due"] == "2026-09-08"  # one week (Art 45(2))
    req = world.post("it.dublin", f"/requests/{req['id']}/accept", {"version": req["version"]}).json()
    assert req["status"] == "accepted"
    assert req["transfer_due"] == "2027-03-01"  # six months (Art 46(1)), not the detention's five weeks
    held = req["deadlines"]["transfer_while_detained"]
    assert held["ends_on"] == "2026-10-06"
    assert held["legal_basis"][0] == "Regulation (EU) 2024/1351, Article 45(3)"
    assert any("may no longer be detained" in line and "2027-03-01" in line for line in held["computation"])
    world.advance(40)  # past the five weeks
    later = world.get("de.dublin", f"/requests/{req['id']}").json()
    assert later["status"] == "accepted" and later["responsible_member_state"] == "IT"
    assert later["transfer_due"] == "2027-03-01"


def test_a_detained_persons_request_accepted_by_silence_keeps_the_six_months(world: World) -> None:
    case = _case(world, "DE-DL-5", "2026-08-25")
    req = _send(world, case, detained=True).json()
    world.advance(8)  # no reply within the week: accepted on 2026-09-08 (Art 45(2))
    got = world.get("de.dublin", f"/requests/{req['id']}").json()
    assert got["status"] == "accepted_tacitly" and got["accepted_on"] == "2026-09-08"
    assert got["transfer_due"] == "2027-03-08"
    assert got["deadlines"]["transfer_while_detained"]["ends_on"] == "2026-10-13"
