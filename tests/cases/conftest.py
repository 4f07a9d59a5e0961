"""Legal cases as YAML, for every area (ARCHITECTURE.md lesson 3).

A file ``tests/cases/<area>/<topic>.yaml`` holds a list of cases a legal officer can read::

    - name: Take-charge request after the AMMR cut-over ends on the next working day
      date: 2026-08-31                 # the legally relevant date of the case
      legal_basis: Regulation (EU) 2024/1351, Article 39(1)
      input: {...}                     # what the area's runner receives
      expected: {...}                  # the fields the result must have

Each area registers its runner by putting ``tests/cases/<area>/runner.py`` next to its YAML files,
exposing ``run(case) -> actual``. If ``run`` returns a mapping, it is compared with ``expected``
field by field (nested mappings recursively, only the fields ``expected`` names; dates compared
as ISO text) and every difference is reported on its own line. A runner may instead make its own
assertions and return ``None``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

CASES_DIR = Path(__file__).parent
REQUIRED = ("name", "input", "expected", "legal_basis")

_runners: dict[Path, ModuleType] = {}


class CaseDifference(AssertionError):
    """The result differs from ``expected``; ``lines`` says where."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def normalise(value: Any) -> Any:
    """Dates and datetimes as ISO text, tuples as lists, so YAML and JSON results compare."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    return value


def differences(expected: Any, actual: Any, where: str = "") -> list[str]:
    """Readable differences between ``expected`` and ``actual`` (only fields ``expected`` names)."""
    expected, actual = normalise(expected), normalise(actual)
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where or 'result'}: expected a mapping, got {actual!r}"]
        out: list[str] = []
        for key, want in expected.items():
            path = f"{where}.{key}" if where else key
            if key not in actual:
                out.append(f"{path}: expected {want!r}, but the result has no such field")
            else:
                out.extend(differences(want, actual[key], path))
        return out
    if expected != actual:
        return [f"{where or 'result'}: expected {expected!r}, got {actual!r}"]
    return []


def load_runner(area_dir: Path) -> ModuleType:
    if area_dir not in _runners:
        path = area_dir / "runner.py"
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: an area with YAML cases must provide run(case)")
        spec = importlib.util.spec_from_file_location(f"legal_cases_runner_{area_dir.name}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if not callable(getattr(module, "run", None)):
            raise AttributeError(f"{path} must expose run(case)")
        _runners[area_dir] = module
    return _runners[area_dir]


def read_cases(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "cases" in data:
        data = data["cases"]
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of cases")
    names: set[str] = set()
    for i, case in enumerate(data, 1):
        if not isinstance(case, dict):
            raise ValueError(f"{path}: case {i} is not a mapping")
        missing = [k for k in REQUIRED if k not in case]
        if missing:
            raise ValueError(f"{path}: case {i} ({case.get('name', 'unnamed')}) lacks {', '.join(missing)}")
        if case["name"] in names:
            raise ValueError(f"{path}: two cases are named {case['name']!r}")
        names.add(case["name"])
    return data


class LegalCaseFile(pytest.File):
    def collect(self) -> Iterator[LegalCase]:
        runner = load_runner(self.path.parent)
        for case in read_cases(self.path):
            yield LegalCase.from_parent(self, name=case["name"], case=case, runner=runner)


class LegalCase(pytest.Item):
    def __init__(self, *, case: dict[str, Any], runner: ModuleType, **kwargs: Any):
        super().__init__(**kwargs)
        self.case = case
        self.runner = runner

    def runtest(self) -> None:
        actual = self.runner.run(self.case)
        if actual is None:
            return
        lines = differences(self.case["expected"], actual)
        if lines:
            raise CaseDifference(lines)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseDifference):
            head = [f"Legal case: {self.case['name']}",
                    f"  legal basis: {self.case['legal_basis']}"]
            if "date" in self.case:
                head.append(f"  date: {normalise(self.case['date'])}")
            return "\n".join(head + ["  differences:"] + [f"    {line}" for line in excinfo.value.lines])
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.path.parent.name}/{self.path.name}: {self.name}"


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> LegalCaseFile | None:
    if file_path.suffix in (".yaml", ".yml") and file_path.parent.parent == CASES_DIR:
        return LegalCaseFile.from_parent(parent, path=file_path)
    return None
