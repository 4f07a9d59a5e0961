"""A real headless Chromium (Debian's package) driven by Playwright: log in, register an arrival,
see it on the dashboard with the chart drawn."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from pactum.api.app import create_app

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(services) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(create_app(services), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=5)


def login_page(browser, server: str, username: str, path: str, **page_options):  # type: ignore[no-untyped-def]
    """A new page of ``browser`` logged in as the demo user ``username``, opened at ``path``."""
    page = browser.new_page(**page_options)
    page.goto(f"{server}/login?next={path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pactum-demo")
    page.click("button[type=submit]")
    return page


def test_login_register_and_see_it_on_the_dashboard(server, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page()
        page.goto(f"{server}/")
        assert "/login" in page.url
        page.fill("input[name=username]", "it-caseworker")
        page.fill("input[name=password]", "pactum-demo")
        page.click("button[type=submit]")
        page.wait_for_url(f"{server}/")
        page.click("text=Register")
        page.fill("input[name=surname]", "Traore")
        page.fill("input[name=given_names]", "Moussa")
        page.fill("input[name=date_of_birth]", "1999-04")
        page.fill("input[name=nationality]", "MLI")
        page.select_option("select[name=kind]", "sar_disembarkation")
        page.fill("input[name=occurred_at]", "2026-11-27T05:00")
        page.select_option("select[name=route]", "Central Mediterranean Route")
        page.click("#register-form button[type=submit]")
        page.wait_for_selector("text=Registered: identity record")
        assert "Moussa Traore" in page.content()
        page.click("text=Dashboard")
        page.wait_for_selector("#arrivals-chart[data-chart-ready] svg", timeout=15000)
        assert "Moussa Traore" in page.inner_text("#screenings-due")
        page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
        browser.close()
