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
