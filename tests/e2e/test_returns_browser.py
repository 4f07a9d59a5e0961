"""The return story in a real headless Chromium: Italy issues a decision on the form, Germany
finds the alert through the search, records the hit, recognises the decision and confirms the
departure; Italy sees the alert deleted."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn

from pactum.api.app import create_app
from pactum.services import jobs

try:
    from .test_returns_support import World, make_world
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, make_world  # type: ignore[no-redef]

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


@pytest.fixture
def server(world: World) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    srv = uvicorn.Server(
        uvicorn.Config(create_app(world.services), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=5)


def test_recognition_and_return_in_a_browser(world: World, server: str) -> None:
    from playwright.sync_api import sync_playwright

    person = world.person("it.returns", surname="Trabelsi", nationality="TUN", given_names="Karim")
    met = world.met("de.returns", "Trabelsi")  # the person Germany encountered: the hit names them
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)

        def login(username: str):  # type: ignore[no-untyped-def]
            page = browser.new_context().new_page()
            page.goto(f"{server}/login?next=/returns")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", "a-long-password")
            page.click("button[type=submit]")
            page.wait_for_url(f"{server}/returns")
            return page

        it = login("it.returns")
        it.click("text=New return decision")
        it.fill("input[name=person_id]", person)
        it.fill("input[name=issued_on]", "2026-08-20")
        it.fill("input[name=voluntary_departure_days]", "7")
        it.fill("input[name=entry_ban_years]", "2")
        it.click("text=Issue decision and enter the return alert")
        it.wait_for_url(f"{server}/returns/decisions/*")
        decision_url = it.url
        assert "2026-08-27" in it.content()

        jobs.load_all()["identity_index"].fn(world.services, datetime(2026, 9, 1, tzinfo=UTC))

        de = login("de.returns")
        de.click("text=Find a return alert")
        de.fill("input[name=surname]", "Trabelsi")
        de.fill("input[name=given_names]", "Karim")
        de.fill("input[name=date_of_birth]", "1994-03-02")
        de.click("form[action='/returns/search'] button")
        de.fill("input[name=local_person_id]", met)
        de.fill("input[name=place]", "Munich")
        de.click("text=Record hit")
        de.wait_for_url(f"{server}/returns/hits/*")
        de.click("text=Recognise and enforce the decision")
        de.wait_for_selector("text=Confirm departure")
        de.fill("input[name=departed_on]", "2026-09-01")
        de.click("text=Confirm departure")
        de.wait_for_load_state()

        it.goto(decision_url)
        content = it.content()
        assert "confirmed by DE" in content and "departure confirmed" in content
        browser.close()
