"""The assisted voluntary return form and API report every problem of what was typed at once (as
the other returns forms do): an amount below zero, an empty programme and a day before the return
decision come back together, each on its field, instead of the amount first and the day only once
the amount was corrected.

Italy issued a return decision to Bangladesh for Amin Uddin on 20 August 2026 (today is 1 September)."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest

try:
    from .test_returns_support import World, browser, cli, cli_world, get, make_world, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, browser, cli, cli_world, get, make_world, post  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _decision(world: World) -> dict[str, Any]:
    person = world.person("it.returns", surname="Uddin", nationality="BGD")
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20"})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _fields(r: Any) -> dict[str, str]:
    return {p["loc"][-1]: p["msg"] for p in r.json()["detail"]}


def test_the_api_reports_the_amount_the_names_and_the_day_in_one_answer(world: World) -> None:
    d = _decision(world)
    r = post(world, "it.returns", "/avr", {"return_decision_id": d["id"], "programme": " ", "funding_source": "AMIF",
                                          "amount_eur": "-5", "opened_on": "2026-08-19"})
    assert r.status_code == 422, r.text
    assert _fields(r) == {
        "programme": "is required",
        "amount_eur": "cannot be below 0",
        "opened_on": "an assisted voluntary return case under this return decision cannot be opened before it was "
                     "issued on 2026-08-20"}
    r = post(world, "it.returns", "/avr", {"return_decision_id": d["id"], "programme": "IOM AVRR",
                                          "funding_source": "x" * 201, "amount_eur": "10.005", "opened_on": "2026-09-02"})
    assert _fields(r) == {"funding_source": "at most 200 characters", "amount_eur": "at most 2 decimal places (cents)",
                          "opened_on": "an assisted voluntary return case cannot be opened on a future date"}
    assert get(world, "it.returns", "/avr").json() == []
    r = post(world, "it.returns", "/avr", {"return_decision_id": d["id"], "programme": "IOM AVRR",
                                          "funding_source": "AMIF", "amount_eur": "0", "opened_on": "2026-09-01"})
    assert r.status_code == 201, r.text


def test_the_decision_page_marks_every_field_of_the_form_at_once(world: World) -> None:
    d = _decision(world)
    web = browser(world, "it.returns")
    r = web.post(f"/returns/decisions/{d['id']}/avr", data={"programme": "IOM AVRR", "funding_source": "AMIF",
                                                            "amount_eur": "-100", "opened_on": "2026-09-05"})
    assert r.status_code == 422
    page = html.unescape(r.text)
    assert "Amount (EUR): cannot be below 0" in page
    assert "Opened on: an assisted voluntary return case cannot be opened on a future date" in page
    form = page.split("<legend>Assisted voluntary return</legend>", 1)[1].split("</fieldset>", 1)[0]
    marked = [chunk.split('name="', 1)[1].split('"', 1)[0] for chunk in form.split("<input")[1:]
              if 'aria-invalid="true"' in chunk.split(">", 1)[0]]
    assert marked == ["amount_eur", "opened_on"]
    assert 'value="-100"' in form and 'value="2026-09-05"' in form


def test_the_command_line_says_every_problem_on_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = cli_world(tmp_path, monkeypatch)
    d = _decision(world)
    bad = cli(monkeypatch, "it.returns", "avr", "-", stdin=json.dumps(
        {"return_decision_id": d["id"], "programme": "IOM AVRR", "funding_source": "AMIF", "amount_eur": "-1",
         "opened_on": "2026-08-01"}))
    assert bad.exit_code == 2
    (line,) = bad.output.strip().splitlines()
    assert "amount_eur" in line and "cannot be below 0" in line and "opened_on" in line and "2026-08-20" in line


def test_a_blank_amount_on_the_form_is_refused_naming_it_not_read_as_zero(world: World) -> None:
    """The amount of assistance is required, as the API and the command line require it: an officer
    who leaves it blank is told so (and what was typed is kept), no case of EUR 0 is opened; the
    form offers no amount of its own to submit unread."""
    d = _decision(world)
    web = browser(world, "it.returns")
    shown = web.get(f"/returns/decisions/{d['id']}").text
    form = shown.split("<legend>Assisted voluntary return</legend>", 1)[1].split("</fieldset>", 1)[0]
    assert 'name="amount_eur" value=""' in form
    r = web.post(f"/returns/decisions/{d['id']}/avr", data={"programme": "ERRIN", "funding_source": "AMIF",
                                                            "amount_eur": "", "opened_on": "2026-08-25"})
    assert r.status_code == 422
    page = html.unescape(r.text)
    assert "Amount (EUR): required" in page
    form = page.split("<legend>Assisted voluntary return</legend>", 1)[1].split("</fieldset>", 1)[0]
    assert 'value="ERRIN"' in form and 'value="2026-08-25"' in form
    assert get(world, "it.returns", "/avr").json() == []
    api = post(world, "it.returns", "/avr", {"return_decision_id": d["id"], "programme": "ERRIN",
                                            "funding_source": "AMIF", "opened_on": "2026-08-25"})
    assert api.status_code == 422 and _fields(api) == {"amount_eur": "Field required"}
