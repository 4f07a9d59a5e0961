"""Calibration of the demo world on the real Frontex series shipped in ``pactum.data.reference``.

Monthly volumes per route and the nationality mix per route come from the last twelve months of
the Frontex detections data; months after the end of the series repeat the same calendar month of
that last year (the seasonal profile), which is what a planner would assume without a forecast.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from pactum.common.countries import UNKNOWN, is_country


@dataclass(frozen=True)
class Calibration:
    last_month: str
    monthly_by_route: dict[int, dict[str, int]]  # calendar month -> route -> detections
    nationality_mix: dict[str, list[tuple[str, int]]]  # route -> [(alpha3, detections)]


@lru_cache(maxsize=1)
def frontex() -> Calibration:
    path = resources.files("pactum.data.reference") / "frontex_ibc_by_route_nationality_monthly.csv"
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as f:
        rows.extend(csv.DictReader(f))
    last = max(r["month"] for r in rows)
    ly, lm = int(last[:4]), int(last[5:7])
    first_y, first_m = (ly - 1, lm + 1) if lm < 12 else (ly, 1)
    first = f"{first_y:04d}-{first_m:02d}"
    monthly: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    mix: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        if first <= r["month"] <= last:
            n = int(r["detections"])
            monthly[int(r["month"][5:7])][r["route"]] += n
            code = r["nationality_iso3"] if is_country(r["nationality_iso3"]) else UNKNOWN
            mix[r["route"]][code] += n
    return Calibration(
        last_month=last,
        monthly_by_route={m: dict(v) for m, v in monthly.items()},
        nationality_mix={k: sorted(v.items(), key=lambda kv: -kv[1]) for k, v in mix.items()},
    )


@dataclass(frozen=True)
class NameGroup:
    name: str
    male: list[str]
    female: list[str]
    surnames: list[str]
    native: dict[str, str]


@lru_cache(maxsize=1)
def name_groups() -> tuple[dict[str, NameGroup], NameGroup]:
    path = resources.files("pactum.data.reference") / "names.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
    by_nat: dict[str, NameGroup] = {}
    default = None
    for name, g in data.items():
        group = NameGroup(name, g["male"], g["female"], g["surnames"], g.get("native") or {})
        if name == "default":
            default = group
        for nat in g["nationalities"]:
            by_nat[nat] = group
    assert default is not None
    return by_nat, default


def names_for(nationality: str) -> NameGroup:
    by_nat, default = name_groups()
    return by_nat.get(nationality, default)
