"""Situational awareness and early warning (annex items 1, 2 and 4).

Pure Python: indicator arithmetic (changes, top nationalities, shares), backtest metrics (MASE,
interval coverage), the model choice, alert rules, ISO-week periods and chart specifications.
Forecast fitting (statsforecast), aggregation (DuckDB / SQL) and storage live in
``pactum.services.awareness``.
"""

from pactum.awareness.metrics import choose_model, interval_coverage, mase, seasonal_naive_scale
from pactum.awareness.schemas import BacktestModelScore, BacktestResult

__all__ = [
    "BacktestModelScore",
    "BacktestResult",
    "choose_model",
    "interval_coverage",
    "mase",
    "seasonal_naive_scale",
]
