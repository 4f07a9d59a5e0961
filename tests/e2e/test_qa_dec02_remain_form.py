"""QA walk of 2 December: the case page's form recording an exception to the right to remain
(APR Art 10(3), (4)(b), (c), (5)) keeps what the caseworker typed when it is refused, the finding on
refoulement (Art 10(5)) included: a refusal for another field must not silently untick it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

try:
    from .test_procedures_support import World, login, make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_world  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def test_a_refused_record_keeps_the_finding_on_refoulement_ticked(world: World) -> None:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Kovac", nationality="SRB"))
    web = login(world, "it.caseworker")
    # the facts left blank: refused, everything else as typed
    r = web.post(f"/procedures/cases/{case['id']}/no-right-to-remain",
                 data={"version": str(case["version"]), "ground": "extradition_or_surrender",
                       "destination_kind": "third_country", "destination": "Serbia",
                       "reference": "request no. 12/2026", "reason": "", "non_refoulement_satisfied": "on"})
    assert r.status_code == 422
    card = r.text.split('id="remain-exception"')[1].split("</section>")[0]
    assert 'value="Serbia"' in card and 'value="request no. 12/2026"' in card
    box = re.search(r'<input type="checkbox" name="non_refoulement_satisfied"[^>]*>', card)
    assert box and "checked" in box.group(0), box
    # not ticked when it was not
    r = web.post(f"/procedures/cases/{case['id']}/no-right-to-remain",
                 data={"version": str(case["version"]), "ground": "extradition_or_surrender",
                       "destination_kind": "third_country", "destination": "Serbia", "reason": ""})
    card = r.text.split('id="remain-exception"')[1].split("</section>")[0]
    box = re.search(r'<input type="checkbox" name="non_refoulement_satisfied"[^>]*>', card)
    assert box and "checked" not in box.group(0)


def _alert(page: str) -> str:
    return page.split('role="alert"', 1)[1].split("</div>", 1)[0]


def test_a_refusal_names_the_card_s_fields_not_another_step_s(world: World) -> None:
    """The card's forms share field names with the case's steps (``on``, ``reason``, ``ground``), whose
    labels ("Final on", "Why the draft goes back", "Why the border procedure ceases to apply") a
    refusal of the card must not borrow."""
    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Horvat", nationality="SRB"))
    web = login(world, "it.caseworker")
    r = web.post(f"/procedures/cases/{case['id']}/no-right-to-remain",
                 data={"version": str(case["version"]), "ground": "european_arrest_warrant_surrender",
                       "destination": "DE", "reference": "EAW 1/2026", "reason": ""})
    assert r.status_code == 422
    said = _alert(r.text)
    assert "Facts on which the exception rests: " in said and "draft goes back" not in said
    r = web.post(f"/procedures/cases/{case['id']}/no-right-to-remain",
                 data={"version": str(case["version"]), "ground": "european_arrest_warrant_surrender",
                       "destination": "DE", "reference": "EAW 1/2026", "reason": "arrested on the warrant"},
                 follow_redirects=True)
    assert r.status_code == 200, r.text
    version = re.search(r'name="version" value="(\d+)"', r.text.split('id="remain-exception-lift"')[1]).group(1)
    r = web.post(f"/procedures/cases/{case['id']}/no-right-to-remain/lift",
                 data={"version": version, "lift": "1", "on": "2026-01-05", "reason": ""})
    assert r.status_code == 422
    said = _alert(r.text)
    assert "Final on" not in said and "draft goes back" not in said
    assert "On (the day the ground fell away or the error was found): the day the exception is lifted " \
           "cannot be before the day it was recorded" in said
    assert "Why the exception no longer applies: say why" in said
