"""Reading the shipped and imported series (Frontex routes and nationalities, Eurostat, UNHCR)."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pactum.common.routes import route_names

DATA = "pactum.data.awareness"
FRONTEX_ROUTES = "frontex_ibc_by_route_monthly.csv"
FRONTEX_NATIONALITY = "frontex_ibc_by_route_nationality_monthly.csv"
EUROSTAT = "eurostat_asylum_applicants_monthly_2008_2020.csv"
UNHCR = "unhcr_asylum_applications_euplus.csv"
TOPOJSON = "countries-50m.topo.json"


def data_path(name: str) -> Path:
    return Path(str(resources.files(DATA).joinpath(name)))


@lru_cache(maxsize=1)
def shipped_route_series() -> dict[str, dict[str, float]]:
    """The shipped Frontex series: route -> {month -> detections}, in the platform's route order."""
    out: dict[str, dict[str, float]] = {r: {} for r in route_names()}
    with data_path(FRONTEX_ROUTES).open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            out.setdefault(rec["route"], {})[rec["month"]] = float(rec["detections"])
    return out
