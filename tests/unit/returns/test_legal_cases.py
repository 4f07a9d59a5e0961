"""The returns YAML cases (voluntary departure, entry ban) run through their runner.

The generic collector in ``tests/cases/conftest.py`` runs them too; this module keeps them in the
returns unit suite so a change to the rules fails here first.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
import yaml

CASES = Path(__file__).parents[2] / "cases" / "returns"
_spec = importlib.util.spec_from_file_location(
    "returns_case_runner", CASES / "runner.py"
)
assert _spec and _spec.loader
runner = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(runner)


def _cases() -> list[Any]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text()):
            out.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return out


def test_there_are_cases_for_both_rules() -> None:
    assert {p.stem for p in CASES.glob("*.yaml")} >= {
        "voluntary_departure",
        "entry_ban",
    }


@pytest.mark.parametrize("case", _cases())
def test_case(case: dict[str, Any]) -> None:
    assert case.get("legal_basis"), "every case names its legal basis"
    runner.check(case["expected"], runner.run(case["input"]))
