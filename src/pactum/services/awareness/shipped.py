"""Regenerate ``forecasts_shipped.json``: the forecasts of the shipped Frontex release.

    python -m pactum.services.awareness.shipped

Runs, on a scratch store holding only the shipped releases and the shipped backtests, the same
calls the demo world makes (``refresh_forecasts`` and ``evaluate_alerts``) with every fit
computed afresh, and writes each fit with its exact inputs. ``forecasting.forecast`` serves a
shipped fit only for identical inputs, so the file never changes a result: it only saves the
minutes of CPU that fitting AutoARIMA and the ensemble on every route and nationality costs.
Regenerate it when the shipped data, the forecasting code or statsforecast changes (a test
re-fits some entries and compares).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from pactum.services.awareness import forecasting


def record_demo_fits() -> list[dict[str, Any]]:
    from pactum.services import awareness
    from pactum.services.auth import SYSTEM
    from pactum.services.bootstrap import Services
    from pactum.settings import Settings
    from pactum.store.migrate import upgrade

    saved_path = forecasting.SHIPPED_FITS
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(settings=Settings(database_url=f"sqlite:///{tmp}/fits.db", var_dir=Path(tmp)))
        upgrade(services.engine)
        awareness.import_shipped(services, SYSTEM)
        awareness.load_shipped_backtests(services, SYSTEM)
        forecasting.SHIPPED_FITS = Path(tmp) / "none.json"  # fit everything afresh
        forecasting.shipped_fits.cache_clear()
        recorded: list[dict[str, Any]] = []
        forecasting._RECORDING = recorded
        try:
            awareness.refresh_forecasts(services, SYSTEM)
            awareness.evaluate_alerts(services, SYSTEM)
        finally:
            forecasting._RECORDING = None
            forecasting.SHIPPED_FITS = saved_path
            forecasting.shipped_fits.cache_clear()
            services.engine.dispose()
    unique = {forecasting.fit_key(f["inputs"]): f for f in recorded}
    return [unique[k] for k in sorted(unique)]


def main() -> None:
    fits = record_demo_fits()
    doc = {
        "source": "frontex (shipped release) with the shipped backtests (backtests_h3.json)",
        "produced_by": "python -m pactum.services.awareness.shipped",
        "note": "Fits of the demo world's forecasts (refresh_forecasts and evaluate_alerts) on the shipped "
                "releases; forecasting.forecast serves one only for identical inputs.",
        "fits": fits,
    }
    forecasting.SHIPPED_FITS.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(f"{len(fits)} fits written to {forecasting.SHIPPED_FITS}")


if __name__ == "__main__":
    main()
