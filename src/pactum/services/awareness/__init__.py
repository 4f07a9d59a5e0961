"""Situational awareness services: external series import, backtests and the model chosen per
route, forecasts, early-warning alerts (acknowledged and audited), dashboard and weekly report.

Rights: every function takes the principal and requires the ``analyst`` role (administrators may
import releases). What every analyst of every state then reads (imports, the monthly figures'
refresh, stored backtests and forecasts, acknowledging an alert on a shared series) is an EU body's
analyst's (or administrator's) to change. A Member State's analyst sees the platform's own encounters of that state only;
Frontex, Eurostat and UNHCR series are public and visible to every analyst.
"""

from pactum.services.awareness.service import (
    ANALYST_ROLES,
    acknowledge_alert,
    arrivals_csv,
    dashboard,
    early_warning,
    evaluate_alerts,
    get_route,
    import_release,
    import_shipped,
    list_alerts,
    list_backtests,
    load_shipped_backtests,
    may_import,
    may_refresh,
    refresh,
    refresh_forecasts,
    route_series,
    run_backtest,
)

__all__ = [
    "ANALYST_ROLES",
    "acknowledge_alert",
    "arrivals_csv",
    "dashboard",
    "early_warning",
    "evaluate_alerts",
    "get_route",
    "import_release",
    "import_shipped",
    "list_alerts",
    "list_backtests",
    "load_shipped_backtests",
    "may_import",
    "may_refresh",
    "refresh",
    "refresh_forecasts",
    "route_series",
    "run_backtest",
]
