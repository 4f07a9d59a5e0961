"""Pydantic schemas of the awareness JSON contracts (backtest CLI, forecasts, alerts, indicators)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MODELS = ("seasonal_naive", "ets", "arima", "theta", "ensemble")


class BacktestModelScore(BaseModel):
    model: str
    mase: float
    coverage_80: float


class BacktestResult(BaseModel):
    """The contract printed by ``pactum awareness backtest``."""

    route: str
    horizon: int
    origins: int
    models: list[BacktestModelScore]
    chosen: str

    def score(self, model: str) -> BacktestModelScore:
        for s in self.models:
            if s.model == model:
                return s
        raise KeyError(model)

    @property
    def mase_ratio(self) -> float:
        """The chosen model's MASE over the seasonal naive MASE (below 1: beats the baseline)."""
        base = self.score("seasonal_naive").mase
        return self.score(self.chosen).mase / base if base > 0 else 1.0


class ForecastPoint(BaseModel):
    month: str
    mean: float
    lo_80: float
    hi_80: float


class RouteForecast(BaseModel):
    route: str
    nationality: str | None = None
    model: str
    origin: str = Field(description="last observed month used for fitting, YYYY-MM")
    points: list[ForecastPoint]
    widened: bool = Field(default=False, description="the upper bounds were raised to the persistence forecast's: the "
                                             "last month lay above the model's own 80% interval")
    capped: bool = Field(default=False, description="a nationality's forecast lowered to its route's: a nationality is "
                                            "part of the route, so neither its forecast nor its interval's bounds "
                                            "exceed the route's")


class MonthChange(BaseModel):
    month: str
    value: float
    previous_month: float | None
    change_month_pct: float | None
    same_month_last_year: float | None
    change_year_pct: float | None


class NationalityShare(BaseModel):
    nationality: str
    value: float
    share: float


class AlertOut(BaseModel):
    id: str
    source: str
    route: str
    month: str
    rule: str
    observed: float
    threshold: float
    message: str
    drivers: list[dict[str, object]]
    created_at: datetime
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    note: str | None = None  # the acknowledging analyst's, if any
    version: int
    caveat: str | None = None  # data quality: the rise is mostly of unknown nationality (pactum.awareness.quality)


#: The longest note an acknowledgement keeps, as the platform's other free-text reasons.
NOTE_MAX = 2000


class AlertAcknowledge(BaseModel):
    """An acknowledgement: the version seen and an optional note. Blanks around the note are
    dropped before its length is checked (as the CLI and the web do): a note of 2,000 characters
    with a blank after it is taken, not refused. Any other field is refused."""

    model_config = ConfigDict(extra="forbid")

    version: int
    note: Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=NOTE_MAX)] = Field(
        default=None, description="optional; blanks around it dropped, blanks alone are no note")


class WeekPeriod(BaseModel):
    label: str
    start: date
    end: date
