"""The fields a 422 names, written as the services name them: the API gives each problem's
``loc`` as FastAPI does (``["body", "capacities", 0, "places"]``); the tests compare the path
after its source as ``capacities[0].places``."""

from __future__ import annotations

from typing import Any


def field_path(loc: list[Any]) -> str:
    """``["capacities", 0, "places"]`` as ``capacities[0].places``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def problem_fields(response: Any) -> list[str]:
    """The fields of a 422's problems in order, each without its source (body, query, path)."""
    return [field_path(d["loc"][1:]) for d in response.json()["detail"]]
