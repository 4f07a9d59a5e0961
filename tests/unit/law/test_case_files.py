"""The law's YAML legal cases: readable by a legal officer, complete, and covering what the issue
asks for (month ends, leap years, weekends, holidays of one state only, hours across midnight, both
regimes around the cut-over, Eurodac-hit and detention variants)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

CASES = Path(__file__).resolve().parents[2] / "cases" / "law"


def _cases() -> list[dict]:
    out = []
    for f in sorted(CASES.glob("*.yaml")):
        out.extend(yaml.safe_load(f.read_text(encoding="utf-8")))
    return out


def test_every_case_has_name_date_input_expected_and_legal_basis() -> None:
    cases = _cases()
    assert len(cases) >= 60
    for c in cases:
        assert set(c) >= {"name", "date", "input", "expected", "legal_basis"}, c.get("name")
        assert isinstance(c["date"], date), c["name"]
        assert c["expected"], c["name"]


def test_the_cases_cover_what_the_issue_names() -> None:
    cases = _cases()
    inputs = [c["input"] for c in cases]
    names = " ".join(c["name"].lower() for c in cases)
    assert any("31 january" in c["name"].lower() and "one month" in c["name"].lower() for c in cases)
    assert "leap year" in names
    assert "saturday" in names and "sunday" in names
    assert "working day in italy" in names and "holiday in germany" in names
    assert "midnight" in names
    regimes = {c["expected"].get("regime") for c in cases}
    assert {"dublin_iii", "ammr", "pre_pact", "pact"} <= regimes
    registered = {i.get("application_registered_on") for i in inputs}
    assert {date(2026, 6, 30), date(2026, 7, 1), date(2026, 7, 2)} <= registered
    assert sum(1 for i in inputs if i.get("eurodac_hit")) >= 5
    assert sum(1 for i in inputs if i.get("detained")) >= 5
    assert sum(1 for c in cases if "error" in c["expected"]) >= 10
