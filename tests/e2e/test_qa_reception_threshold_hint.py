"""The pressure threshold's field read "(share of places: 0.85 or 85%)" on the overview and a
state's page while the threshold applied when none is typed is 90%: the hint's example read as a
default the pages did not use. The hint is now worded from the default in use
(``pactum.reception.rules.DEFAULT_THRESHOLD``, the monitoring choice the service applies; the
Directive sets no occupancy rate), so it cannot contradict it, and follows it if it changes."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import pytest
from fastapi.testclient import TestClient

from pactum.reception import rules
from tests.e2e.test_reception_web import _record

Login = Callable[[str], TestClient]


def _label(html: str) -> str:
    m = re.search(r"<label>(Pressure threshold[^<]*)<input", html)
    assert m, "no threshold field"
    return unescape(m.group(1)).strip()


def _applied(html: str) -> str:
    m = re.search(r"Under pressure \(at or above ([0-9.]+)%\)", unescape(html))
    assert m, "no threshold applied on the page"
    return m.group(1)


def test_the_threshold_hint_names_the_default_the_pages_apply(web_client: Login) -> None:
    _record(web_client("it-caseworker"))
    web = web_client("euaa-analyst")
    overview = web.get("/reception").text
    state = web.get("/reception/states/IT").text
    for html in (overview, state):
        label = _label(html)
        assert "0.85" not in label and "85%" not in label
        assert label == "Pressure threshold (share of places, default 0.9 or 90%)"
    # what the overview applies with no threshold typed is that default
    assert _applied(overview) == "90.0"
    assert 'placeholder="0.9"' in state


def test_the_hint_follows_the_default_where_it_is_set(web_client: Login, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules, "DEFAULT_THRESHOLD", 0.8)
    web = web_client("euaa-analyst")
    page = web.get("/reception").text
    assert _label(page) == "Pressure threshold (share of places, default 0.8 or 80%)"
    assert _applied(page) == "80.0"
