"""Pydantic schemas of the awareness JSON contracts (backtest CLI, forecasts, alerts, indicators)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

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
    widened: bool = Field(False, description="the upper bounds were raised to the persistence forecast's: the "
                                             "last month lay above the model's own 80% interval")


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
    version: int
    note: str | None = Field(default=None, max_length=NOTE_MAX, description="optional; blanks alone are no note")


class WeekPeriod(BaseModel):
    label: str
    start: date
    end: date
