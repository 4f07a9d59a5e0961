"""The routing-case runner fails a case whose expectation the rules do not meet."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

RUNNER = Path(__file__).parents[2] / "cases" / "procedures" / "runner.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("procedures_cases_runner", RUNNER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CASE = {"name": "x", "legal_basis": "APR Art 45",
        "input": {"applied_on": "2026-08-03", "member_state": "IT", "context": "sar_disembarkation",
                  "nationality": "BGD"}}


def test_a_wrong_expectation_fails_with_the_difference() -> None:
    runner = load()
    runner.run({**CASE, "expected": {"procedure": "border", "mandatory": True}})
    with pytest.raises(AssertionError, match="procedure: expected 'regular', got 'border'"):
        runner.run({**CASE, "expected": {"procedure": "regular"}})
    with pytest.raises(AssertionError, match="legal_basis lacks"):
        runner.run({**CASE, "expected": {"legal_basis": ["Directive 2013/32/EU, Article 43(1)"]}})
    with pytest.raises(AssertionError, match="expected errors"):
        runner.run({**CASE, "expected": {"error": ["nationality"]}})
