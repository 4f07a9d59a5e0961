"""A state that examined an application without a decision on responsibility is the one responsible
for it: CJEU C-56/17 Fathi (4 October 2018), operative part 1, reads Dublin III Art 3(1) as not
precluding the examination of an application on its merits (Art 2(d)) where the state took no
express decision that it was responsible; our reading carries it over to AMMR Art 16(1).

Germany's Dublin case designates Italy (an irregular crossing); no request was sent, and Germany's
asylum authority decided the application (10 August 2026) and notified it (11 August). Pactum
already refused a take-charge request then (``_notified_decision``), but "Responsible now" still
said Italy, "no request has been sent yet": the page contradicted itself."""

from __future__ import annotations

from datetime import UTC, datetime

try:
    from .test_procedures_support import World, login
    from .test_responsibility_firstday_fixes import _application, _case, _decided_and_notified, world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login  # type: ignore[no-redef]
    from test_responsibility_firstday_fixes import (  # type: ignore[no-redef]  # noqa: F401
        _application,
        _case,
        _decided_and_notified,
        world,
    )

API = "/api/v1/responsibility"


def test_the_state_that_examined_the_application_is_responsible_now_art_16_1_fathi(world: World) -> None:
    pid, app = _application(world)
    case = _case(world, pid)
    world.travel(datetime(2026, 8, 10, 9, 0, tzinfo=UTC))
    before = world.client.get(f"{API}/cases/{case['id']}", headers=world.headers("de.dublin")).json()
    assert before["responsible_now"]["member_state"] == "IT"  # not yet decided: Italy, as determined
    _decided_and_notified(world, app["id"])
    world.travel(datetime(2026, 8, 12, 9, 0, tzinfo=UTC))
    shown = world.client.get(f"{API}/cases/{case['id']}", headers=world.headers("de.dublin")).json()
    now = shown["responsible_now"]
    assert (now["member_state"], now["rule"], now["since"], now["shifted"]) == ("DE", "examined", "2026-08-11", True)
    assert now["reason"] == ("DE examined the application without a decision on responsibility: it decided it at "
                             "first instance on 2026-08-10 and notified the decision on 2026-08-11; the one state "
                             "that examines an application is responsible for it, and no take-charge request to IT "
                             "lies any more")
    assert now["legal_basis"] == ["Regulation (EU) 2024/1351, Article 16(1)", "CJEU C-56/17 Fathi"]
    listed = world.client.get(f"{API}/cases", headers=world.headers("de.dublin")).json()
    (row,) = [c for c in (listed["cases"] if isinstance(listed, dict) else listed) if c["id"] == case["id"]]
    assert row["responsible_now"]["member_state"] == "DE"
    page = login(world, "de.dublin").get(f"/responsibility/cases/{case['id']}").text
    assert '<strong id="responsible">DE</strong>' in page
    assert "DE examined the application without a decision on responsibility" in page
