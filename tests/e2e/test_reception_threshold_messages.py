"""The pressure threshold's refusals gave one fixed example, "0.85 is 85%", whatever was typed and
beside a default of 90%: ``threshold=95`` was told "0.85 is 85%" (not what was meant), ``0`` or ``-1``
too (no percentage was typed), a page's ``8500%`` was told "85 is not a share of the places" (not what
was typed) and the CLI's ``--threshold 85%`` was told it "is not a number (… 0.85 is 85%)", as if 85%
were what it asked for. The field takes a share of the places above 0 and at most 3 (the API, the
CLI, a page's address; a page's filter also reads a percentage with its sign): each message now says
so with an example worded from what was typed (``for 95% give 0.95``) or from the default in use."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app

API = "/api/v1/reception/overview"
runner = CliRunner()


def _api_message(client, auth_headers, value: str) -> str:
    r = client.get(API, params={"threshold": value}, headers=auth_headers("euaa-analyst"))
    assert r.status_code == 422, r.text
    [problem] = r.json()["detail"]
    assert problem["loc"] == ["query", "threshold"]
    return str(problem["msg"])


def test_the_api_answers_a_percentage_with_its_share_and_other_values_with_the_default(client, auth_headers):
    assert _api_message(client, auth_headers, "95") == (
        "95 is not a share of the places above 0 and at most 3: for 95% give 0.95"
    )
    for value in ("0", "-1", "1000"):
        said = _api_message(client, auth_headers, value)
        assert (
            said
            == f"{value} is not a share of the places above 0 and at most 3 (such as 0.9 for 90%, the default)"
        )
        assert "0.85" not in said


def _page_error(web, value: str) -> str:
    page = web.get("/reception", params={"threshold": value})
    assert page.status_code == 422, page.text
    m = re.search(r'id="threshold-error"[^>]*>(.*?)</', page.text, re.S)
    assert m, page.text
    return unescape(m.group(1))


def test_a_page_says_its_refusal_of_what_was_typed(web_client):
    web = web_client("euaa-analyst")
    said = _page_error(web, "8500%")
    assert "8500% is not a percentage above 0% and at most 300% (such as 90%, the default)" in said
    assert "85 is not" not in said
    said = _page_error(web, "95")
    assert "95 is not a share of the places above 0 and at most 3: for 95% give 0.95, or type 95%" in said
    said = _page_error(web, "abc")
    assert (
        "'abc' is not a number: give a share of the places (0.9 for 90%, the default) or a percentage (90%)"
        in said
    )
    assert "0.85" not in said


@pytest.fixture
def cli(services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "euaa-analyst")
    return lambda *args: runner.invoke(app, ["reception", *args])


def test_the_cli_says_a_percentage_is_given_as_its_share(cli):
    r = cli("overview", "--threshold", "85%")
    assert r.exit_code == 2
    assert (
        r.output.strip()
        == "error: --threshold: '85%' is a percentage; give the share of the places: 0.85 for 85%"
    )
    r = cli("overview", "--threshold", "abc")
    assert r.exit_code == 2
    assert r.output.strip() == (
        "error: --threshold: 'abc' is not a number: give a share of the places (such as "
        "0.9 for 90%, the default)"
    )
    r = cli("overview", "--threshold", "95")
    assert r.exit_code == 2 and "for 95% give 0.95" in r.output and "0.85" not in r.output
    assert cli("overview", "--threshold", "0.95").exit_code == 0
    r = cli("overview", "--threshold", "-5%")
    assert r.exit_code == 2
    assert r.output.strip() == (
        "error: --threshold: '-5%' is a percentage, and out of range: give a share of the places above 0 and at "
        "most 3 (such as 0.9 for 90%, the default)"
    )
