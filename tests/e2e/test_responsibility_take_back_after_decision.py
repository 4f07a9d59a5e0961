"""A take back still lies once an application was decided: the texts make a rejected or
withdrawn application a ground of the take back, not a bar to it (Dublin III Art 18(1)(c)-(d)
with Arts 23 and 24; AMMR Art 36(1)(b) with Art 41, read in the Official Journal's Italian text).
Pactum's refusal of a request on an application its own state decided and notified
(``services.responsibility._notified_decision``: the determination precedes the examination,
Dublin III Art 3(1); AMMR Art 16(1)) refuses a take charge only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

try:
    from .test_procedures_support import World
    from .test_responsibility_firstday_fixes import _application, _decided_and_notified, world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World  # type: ignore[no-redef]
    from test_responsibility_firstday_fixes import (  # type: ignore[no-redef]  # noqa: F401
        _application,
        _decided_and_notified,
        world,
    )

API = "/api/v1/responsibility"


def _case(world: World, person_id: str | None, ref: str, registered_on: str) -> dict[str, Any]:
    """DE's Dublin case of a person who applied in Italy on 2026-03-02 before applying in DE."""
    r = world.client.post(f"{API}/cases", headers=world.headers("de.dublin"), json={
        "reference": ref, "person_id": person_id,
        "facts": {"application": {"registered_in": "DE", "registered_on": registered_on},
                  "earlier_applications": [{"member_state": "IT", "registered_on": "2026-03-02"}]}})
    assert r.status_code == 201, r.text
    case = dict(r.json())
    assert case["determination"]["responsible_member_state"] == "IT"
    return case


def _send(world: World, case: dict[str, Any], **body: Any) -> Any:
    return world.client.post(f"{API}/cases/{case['id']}/requests", headers=world.headers("de.dublin"), json=body)


def test_a_dublin_iii_take_back_lies_once_the_application_was_rejected_or_withdrawn_art_18_1_c_d_23(
        world: World) -> None:
    # lodged in DE on 2026-06-01 (Dublin III): Italy takes back the person whose application it
    # rejected (Art 18(1)(d)) or who withdrew it there (Art 18(1)(c)), by a take-back request
    # within three months of the lodging (Art 23(2)), here on 2026-08-03
    case = _case(world, None, "DE-TB-DEC-1", "2026-06-01")
    assert case["determination"]["regime"] == "dublin_iii"
    r = _send(world, case, kind="take_back", take_back_ground="application_rejected")
    assert r.status_code == 201, r.text
    rejected = r.json()
    assert rejected["legal_basis"] == ["Regulation (EU) No 604/2013, Article 18(1)(d)"]
    r = world.client.post(f"{API}/requests/{rejected['id']}/withdraw", headers=world.headers("de.dublin"),
                          json={"version": rejected["version"]})
    assert r.status_code == 200, r.text
    r = _send(world, case, kind="take_back", take_back_ground="application_withdrawn")
    assert r.status_code == 201, r.text
    assert r.json()["legal_basis"] == ["Regulation (EU) No 604/2013, Article 18(1)(c)"]


def test_an_ammr_take_back_notification_lies_after_the_application_was_decided_and_notified_art_36_1_b_41(
        world: World) -> None:
    # DE decided and notified the person's application: a take charge no longer lies (the
    # determination precedes the examination), but the person applied in Italy before, which
    # Eurodac indicates as responsible: Italy takes the person back on a notification (AMMR Art
    # 36(1)(b), Art 41), whatever became of the application
    pid, app = _application(world)
    case = _case(world, pid, "DE-TB-DEC-2", "2026-08-03")
    assert case["determination"]["regime"] == "ammr"
    _decided_and_notified(world, app["id"])
    world.travel(datetime(2026, 8, 12, 9, 0, tzinfo=UTC))
    shown = world.client.get(f"{API}/cases/{case['id']}", headers=world.headers("de.dublin")).json()
    kinds = {k["kind"]: k for k in shown["new_request"]["kinds"]}
    assert kinds["take_charge"]["lies"] is False
    assert "DE has decided this application at first instance and notified the decision" in kinds["take_charge"]["reason"]
    assert kinds["take_back_notification"]["lies"] is True and kinds["take_back_notification"]["reason"] is None
    r = _send(world, case, kind="take_back_notification", hit_on="2026-08-05",
              take_back_ground="indicated_responsible_in_eurodac")
    assert r.status_code == 201, r.text
    assert r.json()["legal_basis"] == ["Regulation (EU) 2024/1351, Article 36(1)(b)"]
