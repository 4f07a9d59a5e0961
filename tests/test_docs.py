"""Docs that cannot drift (Datasette's test_docs): settings, CLI and API references."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from pactum.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def _gen():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_setting_is_documented():
    text = (ROOT / "docs" / "settings.md").read_text()
    missing = [f"PACTUM_{name.upper()}" for name in Settings.model_fields
               if f"`PACTUM_{name.upper()}`" not in text]
    assert not missing, f"undocumented settings: {missing}"


def test_cli_reference_is_current():
    assert (ROOT / "docs" / "cli.md").read_text() == _gen().cli_markdown(), "run `make docs`"


def test_api_reference_is_current():
    assert (ROOT / "docs" / "api.md").read_text() == _gen().api_markdown(), "run `make docs`"


def test_readme_gives_the_two_commands_and_the_demo_logins():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    from pactum.scenario.steps.registry import DEMO_PASSWORD

    assert DEMO_PASSWORD in readme
