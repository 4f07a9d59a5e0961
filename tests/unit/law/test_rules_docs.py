"""docs/rules/ is generated from the parameter tree, the time-limit rules and the legal cases; it
must never drift from them."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from pactum.law.rules_doc import CaseRef, parse_citation, render

ROOT = Path(__file__).resolve().parents[3]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_rules_docs", ROOT / "scripts" / "gen_rules_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_rules_is_up_to_date() -> None:
    files = _generator().generate()
    out = ROOT / "docs" / "rules"
    stale = [name for name, text in files.items()
             if not (out / name).exists() or (out / name).read_text(encoding="utf-8") != text]
    extra = sorted(p.name for p in out.glob("*.md") if p.name not in files)
    assert not stale and not extra, (
        f"docs/rules is stale ({', '.join(stale + extra)}): run .venv/bin/python scripts/gen_rules_docs.py")


def test_an_article_lists_its_parameters_time_limits_and_cases() -> None:
    case = CaseRef(area="law", file="x.yaml", name="Reply in one month", date="2026-08-05",
                   legal_basis=("Regulation (EU) 2024/1351, Article 40(1)",))
    ammr = render([case])["ammr.md"]
    section = ammr.split("## Article 40\n", 1)[1].split("\n## ", 1)[0]
    assert "`ammr.take_charge.reply`" in section and "1 month from 2026-07-01" in section
    assert "`take_charge_reply` (ammr)" in section and "`take_charge_reply` (ammr, Eurodac hit)" in section
    assert "- `law/x.yaml`: Reply in one month (2026-08-05)" in section


def test_citations_are_parsed_to_instrument_and_article() -> None:
    parsed = parse_citation("Regulation (EEC, Euratom) No 1182/71, Article 3(2)(c)")
    assert parsed is not None and parsed[0].code == "periods" and parsed[1] == "3"
    assert parse_citation("CJEU C-225/16 Ouhrami") is None


def test_lists_of_articles_and_judgments_in_a_legal_basis() -> None:
    from pactum.law.rules_doc import parse_citations

    assert [(i.code, a) for i, a in parse_citations("Directive 2008/115/EC, Articles 7(4) and 11(1)(a)")] == [
        ("return_directive", "7"), ("return_directive", "11")]
    assert [(i.code, a) for i, a in parse_citations("Directive 2008/115/EC, Article 11(2); CJEU C-225/16 Ouhrami")] == [
        ("return_directive", "11")]
    assert parse_citations("CJEU C-225/16 Ouhrami") == []
