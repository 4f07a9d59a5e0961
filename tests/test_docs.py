"""Docs that cannot drift (Datasette's test_docs): settings, CLI and API references, the targets table."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from pathlib import Path

from pactum.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def _gen():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _heading_anchors(markdown: str) -> dict[str, str]:
    """GitHub's heading ids: lowercase, spaces to hyphens, other punctuation dropped, -1, -2 on repeats."""
    anchors: dict[str, str] = {}
    seen: dict[str, int] = {}
    in_code = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        heading = re.match(r"#{1,6} (.+)", line)
        if in_code or not heading:
            continue
        text = heading.group(1).strip()
        slug = "".join(c for c in text.lower()
                       if c in " -" or unicodedata.category(c)[0] in "LMN" or unicodedata.category(c) == "Pc")
        slug = slug.replace(" ", "-")
        repeats = seen.get(slug, 0)
        seen[slug] = repeats + 1
        anchors[f"{slug}-{repeats}" if repeats else slug] = text
    return anchors


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


def test_targets_at_a_glance_links_every_target_section():
    text = (ROOT / "docs" / "performance.md").read_text()
    anchors = _heading_anchors(text)
    table = text.split("\n## Targets at a glance\n", 1)[1].split("\n## ", 1)[0]
    links = re.findall(r"\]\(#([^)]+)\)", table)
    assert links, "no links in the Targets at a glance table"
    broken = [link for link in links if link not in anchors]
    assert not broken, f"Targets at a glance links to no heading: {broken}"
    unlinked = [heading for anchor, heading in anchors.items() if "(target:" in heading and anchor not in links]
    assert not unlinked, f"targets missing from Targets at a glance: {unlinked}"
