"""Every legal case in tests/cases/responsibility/*.yaml, run through the determination contract."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

_RUNNER = Path(__file__).parents[2] / "cases" / "responsibility" / "runner.py"
_spec = importlib.util.spec_from_file_location("responsibility_case_runner", _RUNNER)
assert _spec is not None and _spec.loader is not None
runner = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(runner)

CASES = runner.load_cases()


def test_there_are_at_least_80_cases_across_both_regimes() -> None:
    regimes = {c["expected"].get("regime") for _, c in CASES}
    assert len(CASES) >= 80
    assert {"ammr", "dublin_iii"} <= regimes


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[n for n, _ in CASES])
def test_case(case: dict[str, Any]) -> None:
    runner.run(case)
