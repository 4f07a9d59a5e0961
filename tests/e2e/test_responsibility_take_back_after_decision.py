"""A take back still lies once the application in the state asked was decided: the texts make a
rejected or withdrawn application there a ground of the take back, not a bar to it (Dublin III Art
18(1)(c)-(d) with Arts 23 and 24; AMMR Art 36(1)(b) with Art 41, read in the Official Journal's
Italian text). The requesting state's own decision on the new application is another matter: it
examined that application and is responsible for it (rule ``examined``), so neither a take charge
nor a take back lies then."""

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


def test_an_ammr_take_back_notification_no_longer_lies_once_the_state_examined_the_application_art_35_37_1(
        world: World) -> None:
    # DE decided and notified the person's application itself. The grounds of a take back are what
    # became of the application in the state asked (Italy's); Germany's own decision on the new
    # application is its examination of it: the state that decides to examine an application
    # becomes responsible and the obligations of Art 36, the take back included, pass to it (AMMR
    # Arts 35(1), 37(1); CJEU C-56/17 Fathi, no express decision needed). So no notification lies
    # any more, as no take charge does (this test said one did until the take-back case was brought
    # under the rule ``examined``: tests/e2e/test_responsibility_examined_requests.py).
    pid, app = _application(world)
    case = _case(world, pid, "DE-TB-DEC-2", "2026-08-03")
    assert case["determination"]["regime"] == "ammr"
    _decided_and_notified(world, app["id"])
    world.travel(datetime(2026, 8, 12, 9, 0, tzinfo=UTC))
    shown = world.client.get(f"{API}/cases/{case['id']}", headers=world.headers("de.dublin")).json()
    assert (shown["responsible_now"]["member_state"], shown["responsible_now"]["rule"]) == ("DE", "examined")
    assert shown["responsible_now"]["reason"].endswith("and no take-back notification to IT lies any more")
    kinds = {k["kind"]: k for k in shown["new_request"]["kinds"]}
    assert kinds["take_charge"]["lies"] is False
    assert "DE has decided this application at first instance and notified the decision" in kinds["take_charge"]["reason"]
    assert kinds["take_back_notification"]["lies"] is False
    assert kinds["take_back_notification"]["reason"].startswith("DE is responsible now: DE examined the application")
    r = _send(world, case, kind="take_back_notification", hit_on="2026-08-05",
              take_back_ground="indicated_responsible_in_eurodac")
    assert r.status_code == 409, r.text
    assert "no take-back notification to IT lies any more" in str(r.json()["detail"])
