"""Found on the Greek caseworker's daily walk of the links to verify: a decision refused (no colour
chosen, a reason of one letter, a colour that is none) said why above the page, but the radio
buttons and the reason were not marked: a screen reader reaching them heard nothing wrong
(WCAG 2.1 3.3.1, 1.3.1). Each field in error is now marked invalid and described by its message;
what was typed is kept."""

from __future__ import annotations

import re

from tests.e2e.test_qa18_identity_links import _arrival, _link, _register


def _pending(client, auth_headers, services) -> str:
    a = _register(client, auth_headers, "el-caseworker",
                  _arrival("EL", "irregular_crossing", "Omar", "Haddad", "2026-11-15", "P3333333"))
    b = _register(client, auth_headers, "el-caseworker",
                  _arrival("EL", "irregular_crossing", "Omar", "Hadad", "2026-11-20", "P4444444"))
    _link(services, "idl_walk_1", a["identity_record_id"], b["identity_record_id"], "EL")
    return "idl_walk_1"


def _describing(page: str, attrs: str) -> list[str]:
    ids = re.findall(rf'{attrs}[^>]*aria-invalid="true" aria-describedby="([^"]+)"', page)
    return [re.search(rf'id="{i}">([^<]*)<', page).group(1) for i in ids]  # type: ignore[union-attr]


def test_a_refused_decision_marks_the_colour_and_the_reason(client, auth_headers, services, web_client):
    link = _pending(client, auth_headers, services)
    officer = web_client("el-caseworker")
    r = officer.post(f"/identity/links/{link}", data={"version": "1", "colour": "", "reason": "x"})
    assert r.status_code == 422
    colours = _describing(r.text, '<input type="radio" name="colour" value="(?:white|green|red)"')
    assert colours == ["Decision: required"] * 3
    assert _describing(r.text, '<textarea name="reason"') == ["Reason: at least 3 characters"]
    assert '<textarea name="reason" required minlength="3" aria-invalid="true" aria-describedby="problem-2">x<' in r.text


def test_a_colour_that_is_none_marks_only_the_colour_and_keeps_the_reason(client, auth_headers, services,
                                                                          web_client):
    link = _pending(client, auth_headers, services)
    r = web_client("el-caseworker").post(f"/identity/links/{link}", data={
        "version": "1", "colour": "purple", "reason": "registered twice"})
    assert r.status_code == 422
    assert _describing(r.text, '<textarea name="reason"') == []
    assert ">registered twice</textarea>" in r.text
    said = _describing(r.text, '<input type="radio" name="colour" value="white"')
    assert len(said) == 1 and said[0].startswith("Decision: &#39;purple&#39; is not one of the choices")
