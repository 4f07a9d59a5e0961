"""Regenerate docs/rules/ from the legal parameter tree, the time-limit rules and the YAML cases.

Usage: .venv/bin/python scripts/gen_rules_docs.py [--check]
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import yaml

from pactum.law.rules_doc import CaseRef, render

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
OUT = ROOT / "docs" / "rules"


def load_cases(cases_dir: Path = CASES) -> list[CaseRef]:
    out: list[CaseRef] = []
    for path in sorted(cases_dir.glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data = data.get("cases", [])
        for case in data or []:
            basis = case.get("legal_basis", [])
            d = case.get("date")
            out.append(CaseRef(area=path.parent.name, file=path.name, name=str(case.get("name", "")),
                               legal_basis=tuple([basis] if isinstance(basis, str) else basis),
                               date=d.isoformat() if isinstance(d, date) else (str(d) if d else None)))
    return out


def generate() -> dict[str, str]:
    return render(load_cases())


def main(argv: list[str]) -> int:
    files = generate()
    if "--check" in argv:
        stale = [n for n, text in files.items()
                 if not (OUT / n).exists() or (OUT / n).read_text(encoding="utf-8") != text]
        extra = [p.name for p in OUT.glob("*.md") if p.name not in files]
        if stale or extra:
            print(f"docs/rules is stale: {', '.join(stale + extra)}", file=sys.stderr)
            return 1
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for p in OUT.glob("*.md"):
        if p.name not in files:
            p.unlink()
    for name, text in files.items():
        (OUT / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
