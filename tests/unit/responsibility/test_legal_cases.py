"""The legal cases (run by the collector in tests/cases/conftest.py) cover what the issue asks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

CASES = [c for p in sorted((Path(__file__).parents[2] / "cases" / "responsibility").glob("*.yaml"))
         for c in yaml.safe_load(p.read_text(encoding="utf-8"))]


def test_at_least_80_determination_cases_across_both_regimes() -> None:
    determinations = [c for c in CASES if c.get("type") not in ("cessation", "border_procedure") and "error" not in c["expected"]]
    regimes = Counter(c["expected"]["regime"] for c in determinations)
    assert len(determinations) >= 80
    assert regimes["ammr"] >= 30 and regimes["dublin_iii"] >= 30


def test_every_criterion_code_is_exercised() -> None:
    from pactum.responsibility.model import CRITERIA

    used = {c["expected"].get("criterion") for c in CASES}
    assert set(CRITERIA) <= used, set(CRITERIA) - used


def test_every_case_cites_an_article() -> None:
    assert all(c["legal_basis"].startswith(("Regulation (EU)", "Regulation (EC)")) for c in CASES)
