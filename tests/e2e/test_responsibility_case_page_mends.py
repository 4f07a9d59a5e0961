"""The Dublin unit's case page as a browser walk read it (2026-12-01):

- "Responsible now" cited AMMR Article 41 twice on an AMMR take-back case: in the sentence ("sent
  late, it still obliges IT to take the person back, Regulation (EU) 2024/1351, Article 41") and
  again in the bracketed legal basis. Each article is now cited once, in the brackets.
- a hit row said "no take-back request lies on this case now: DE is responsible now: DE examined
  the application …": who is responsible was said twice over.
- the send-request form offered "Take charge" on a case whose state asked had an earlier
  application (only a take back lies: Dublin III Arts 18(1)(b), 23; AMMR Arts 36(1)(b), 41) and
  refused it on submit. The form offers only what the service accepts (``new_request``)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import update

from pactum.store.tables.procedures import asylum_applications

try:
    from .test_procedures_support import World, login
    from .test_responsibility_cessation_on_records import AFTER_RETURN, _rejected_in_italy, _returned_by_italy
    from .test_responsibility_firstday_fixes import _application, world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login  # type: ignore[no-redef]
    from test_responsibility_cessation_on_records import (  # type: ignore[no-redef]
        AFTER_RETURN,
        _rejected_in_italy,
        _returned_by_italy,
    )
    from test_responsibility_firstday_fixes import _application, world  # type: ignore[no-redef]  # noqa: F401

API = "/api/v1/responsibility"


def _earlier(world: World, ref: str, registered_on: str, earlier_on: str) -> dict[str, Any]:
    """DE's case of a person who applied in Italy on ``earlier_on`` before: Italy takes them back."""
    r = world.client.post(f"{API}/cases", headers=world.headers("de.dublin"), json={
        "reference": ref, "facts": {"application": {"registered_in": "DE", "registered_on": registered_on},
                                    "earlier_applications": [{"member_state": "IT", "registered_on": earlier_on}]}})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _get(world: World, case: dict[str, Any]) -> dict[str, Any]:
    r = world.client.get(f"{API}/cases/{case['id']}", headers=world.headers("de.dublin"))
    assert r.status_code == 200, r.text
    return dict(r.json())


def _why(page: str) -> str:
    m = re.search(r'<p id="responsible-why">(.*?)</p>', page, re.S)
    assert m is not None, page
    return re.sub(r"<[^>]+>", "", m.group(1))


def test_responsible_now_cites_ammr_article_41_once(world: World) -> None:
    case = _earlier(world, "DE-TBN-41", "2026-07-01", "2026-06-20")
    world.travel(datetime(2026, 10, 1, 9, 0, tzinfo=UTC))  # past the two months of a take charge (Art 39(1))
    now = _get(world, case)["responsible_now"]
    assert "Regulation (EU) 2024/1351, Article 41" in now["legal_basis"]
    why = _why(login(world, "de.dublin").get(f"/responsibility/cases/{case['id']}").text)
    assert "sent late, it still obliges IT to take the person back" in why
    assert why.count("Regulation (EU) 2024/1351, Article 41") == 1, why


def test_a_hit_row_says_once_who_is_responsible_now(world: World) -> None:
    # lodged in DE on 2026-06-01 (Dublin III) by a person who applied in Italy on 2026-03-02; a
    # Eurodac hit recorded, then DE examined the application: no take back lies any more
    pid, app = _application(world)
    with world.services.engine.begin() as conn:
        conn.execute(update(asylum_applications).where(asylum_applications.c.id == app["id"]).values(
            made_on=date(2026, 5, 29), registered_on=date(2026, 5, 29), lodged_on=date(2026, 6, 1)))
    r = world.client.post(f"{API}/cases", headers=world.headers("de.dublin"), json={
        "reference": "DE-TB-HIT-1", "person_id": pid,
        "facts": {"application": {"registered_in": "DE", "registered_on": "2026-06-01"},
                  "earlier_applications": [{"member_state": "IT", "registered_on": "2026-03-02"}]}})
    assert r.status_code == 201, r.text
    case = r.json()
    r = world.client.post(f"{API}/cases/{case['id']}/hits", headers=world.headers("de.dublin"), json={
        "hit_on": "2026-06-03", "member_state": "IT", "source": "eurodac", "category": "applicant"})
    assert r.status_code in (200, 201), r.text
    with world.services.engine.begin() as conn:
        conn.execute(update(asylum_applications).where(asylum_applications.c.id == app["id"]).values(
            state="notified", outcome="rejected_unfounded", decided_on=date(2026, 7, 1),
            notified_on=date(2026, 7, 2)))
    shown = _get(world, case)
    (hit,) = shown["hits"]
    effect = hit["effect"]
    assert "; but no take-back request lies on this case now: DE is responsible now" in effect, effect
    assert effect.count("responsible now") == 1, effect
    assert "DE is responsible now: DE" not in effect
    page = login(world, "de.dublin").get(f"/responsibility/cases/{case['id']}").text
    row = page.split('<table id="recorded-hits">', 1)[1].split("</table>", 1)[0]
    assert "no take-back request lies on this case now: DE is responsible now (Regulation (EU) No 604/2013, " \
           "Article 3(1); CJEU C-56/17 Fathi)" in row
    assert row.count("responsible now") == 1


def test_the_request_form_offers_no_take_charge_where_only_a_take_back_lies(world: World) -> None:
    # registered in DE on 2026-07-01 (AMMR); the person applied in Italy on 2026-06-20: Italy takes
    # the person back (AMMR Art 36(1)(b)); a take charge to it is refused (send_request)
    case = _earlier(world, "DE-TBN-FORM", "2026-07-01", "2026-06-20")
    assert case["determination"]["responsible_member_state"] == "IT"
    kinds = {k["kind"]: k for k in _get(world, case)["new_request"]["kinds"]}
    assert kinds["take_charge"]["lies"] is False
    assert kinds["take_charge"]["reason"].startswith("the person applied for international protection in IT on "
                                                     "2026-06-20: IT takes the person back")
    assert kinds["take_charge"]["legal_basis"] == ["Regulation (EU) 2024/1351, Article 36(1)(b), Article 41"]
    assert kinds["take_back_notification"]["lies"] is True
    page = login(world, "de.dublin").get(f"/responsibility/cases/{case['id']}").text
    assert '<option value="take_charge"' not in page
    assert '<option value="take_back_notification"' in page
    notice = page.split('id="no-request"', 1)[1].split("</div>", 1)[0]
    assert ("Take charge: not offered. The person applied for international protection in IT on 2026-06-20: IT "
            "takes the person back, it does not take charge of them; send a take-back notification. "
            '<span class="muted">(Regulation (EU) 2024/1351, Article 36(1)(b), Article 41)</span>') in notice
    # the service still refuses it as before, on the form's "Kind"
    r = world.client.post(f"{API}/cases/{case['id']}/requests", headers=world.headers("de.dublin"),
                          json={"kind": "take_charge", "requested_member_state": "IT"})
    assert r.status_code == 422, r.text


def test_once_the_take_back_obligation_ended_a_take_charge_to_that_state_is_offered_and_accepted(
        world: World) -> None:
    # Italy rejected the person's application and removed them (AMMR Art 37(5)): the application in
    # Germany is a new one; an irregular crossing into Italy designates it again, by a take charge.
    # The page offered it but the service refused it ("the person applied … in IT: send a take-back
    # notification"): the refusal by the earlier application now yields to the cessation, as the form
    pid, _ = _application(world)
    _rejected_in_italy(world, pid)
    _returned_by_italy(world, pid, departed_on=date(2026, 5, 10))
    r = world.client.post(f"{API}/cases", headers=world.headers("de.dublin"), json={
        "reference": "DE-CES-TC", "person_id": pid,
        "facts": {**AFTER_RETURN, "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-07-20"}]}})
    assert r.status_code == 201, r.text
    case = r.json()
    assert _get(world, case)["responsible_now"]["rule"] == "ceased"
    page = login(world, "de.dublin").get(f"/responsibility/cases/{case['id']}").text
    assert '<option value="take_charge"' in page
    r = world.client.post(f"{API}/cases/{case['id']}/requests", headers=world.headers("de.dublin"),
                          json={"kind": "take_charge", "requested_member_state": "IT"})
    assert r.status_code == 201, r.text
