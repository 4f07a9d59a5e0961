"""The cards on the right to remain mark the fields a refusal is about (WCAG 2.1 3.3.1, 1.3.1). The
card "Exception to the right to remain" (APR Art 10(3)-(5)) showed its error lines but left its
fields unmarked: a screen reader reaching "State or court" did not say it was refused nor why. Now
each refused field has ``aria-invalid="true"`` and ``aria-describedby`` naming its line of the
summary, as the other forms of the web UI (``render.invalid``), and only the refused form's fields
are marked."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

try:
    from .test_procedures_support import World, login, make_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_world, ok  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def marked(form: str, tag: str, name: str) -> str | None:
    """The id of the summary line the field ``name`` of ``form`` points to, if it is marked invalid."""
    found = re.search(rf'<{tag}[^>]*name="{name}"[^>]*>', form)
    assert found is not None, name
    field = found.group(0)
    if 'aria-invalid="true"' not in field:
        return None
    described = re.search(r'aria-describedby="([^"]+)"', field)
    assert described is not None
    return described.group(1)


def line(form: str, problem_id: str) -> str:
    found = re.search(rf'<li id="{problem_id}">([^<]+)</li>', form)
    assert found is not None, problem_id
    return found.group(1)


def a_case(world: World, surname: str) -> dict[str, Any]:
    pid = world.person("it.caseworker", surname=surname, nationality="ERI", kind="in_territory_application")
    return world.apply("it.caseworker", pid, context="in_territory")


def test_the_record_of_an_exception_marks_its_refused_fields(world: World) -> None:
    case = a_case(world, "Tesfay")
    web = login(world, "it.caseworker")
    r = web.post(f"/procedures/cases/{case['id']}/no-right-to-remain",
                 data={"version": str(case["version"]), "ground": "extradition_or_surrender",
                       "destination_kind": "third_country", "destination": "", "reference": "",
                       "reason": "extradition requested for prosecution"})
    assert r.status_code == 422
    form = r.text.split('action="/procedures/cases/' + case["id"] + '/no-right-to-remain"')[1].split("</form>")[0]
    destination = marked(form, "input", "destination")
    reference = marked(form, "input", "reference")
    refoulement = marked(form, "input", "non_refoulement_satisfied")
    assert destination and line(form, destination).startswith("State or court: ")
    assert reference and line(form, reference).startswith("European arrest warrant or extradition request: ")
    assert refoulement and "refoulement" in line(form, refoulement)
    assert len({destination, reference, refoulement}) == 3
    for name, tag in (("ground", "select"), ("destination_kind", "select"), ("reason", "textarea")):
        assert marked(form, tag, name) is None, name
    # what was typed is kept, and no other form of the page is marked
    assert "extradition requested for prosecution" in form
    assert r.text.count('aria-invalid="true"') == 3


def test_the_lift_marks_its_refused_fields(world: World) -> None:
    case = a_case(world, "Haile")
    case = ok(world.post("it.caseworker", f"/applications/{case['id']}/no-right-to-remain",
                         {"version": case["version"], "ground": "danger_to_public_order_or_national_security",
                          "reason": "convicted of a serious crime", "non_refoulement_satisfied": True}))
    web = login(world, "it.caseworker")
    r = web.post(f"/procedures/cases/{case['id']}/no-right-to-remain/lift",
                 data={"version": str(case["version"]), "lift": "1", "on": "2026-08-04", "reason": ""})
    assert r.status_code == 422
    form = r.text.split('id="remain-exception-lift"')[1].split("</form>")[0]
    on, reason = marked(form, "input", "on"), marked(form, "textarea", "reason")
    assert on and "cannot be after today (2026-08-03)" in line(form, on)
    assert reason and line(form, reason).startswith("Why the exception no longer applies: ")
    assert r.text.count('aria-invalid="true"') == 2


def test_the_record_of_the_delay_assessment_marks_its_refused_field(world: World) -> None:
    pid = world.person("it.caseworker", surname="Berhe", nationality="ERI", kind="in_territory_application")
    case = world.apply("it.caseworker", pid, context="in_territory", subsequent_application=True)
    web = login(world, "it.caseworker")
    r = web.post(f"/procedures/cases/{case['id']}/remain-exception",
                 data={"version": str(case["version"]), "removal_decision": "return decision of 2026-07-20",
                       "reason": "lodged the day before the flight"})
    assert r.status_code == 422
    form = r.text.split('action="/procedures/cases/' + case["id"] + '/remain-exception"')[1].split("</form>")[0]
    box = marked(form, "input", "non_refoulement_considered")
    assert box and line(form, box).startswith("Removal was found not to breach the principle of non-refoulement: ")
    assert marked(form, "input", "removal_decision") is None and marked(form, "textarea", "reason") is None
    assert r.text.count('aria-invalid="true"') == 1
