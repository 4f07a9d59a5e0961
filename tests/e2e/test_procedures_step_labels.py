"""The case page's step forms speak in sentence case, as every other form of the platform does: a
registered case's "Lodge" step reads "Lodged on" and its button "Lodge" (they read "lodged on" and
"lodge", the raw names of the step and its field), a decision's outcome "Outcome"."""

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


def _steps(html: str) -> str:
    return html.split("<h2>Next steps</h2>", 1)[1].split("</section>", 1)[0]


def test_the_step_forms_label_their_fields_and_buttons_in_sentence_case(world: World) -> None:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Ali", nationality="BGD"))
    steps = _steps(login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text)
    labels = re.findall(r"<label>(?:<input[^>]*> )?([^<]+?) ?<", steps)
    buttons = re.findall(r'<button type="submit">([^<]+)</button>', steps)
    assert labels and buttons
    assert "Lodged on" in labels and "Lodge" in buttons
    assert all(text[:1].isupper() for text in labels + buttons), (labels, buttons)
