"""Follow-up benchmark: reading the annex, loading it, rebuilding it for a date with a long edit
history, and producing the state-of-play report (HTML and PDF).

Baseline, measured in the same run: the state of play right after loading (one version per item)
against the same report after ``--edits`` dated edits have piled up in the history.

    .venv/bin/python bench/followup/bench_followup.py --edits 1000 --reps 20
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pactum.common.clock import FixedClock
from pactum.followup import annex_data, codec
from pactum.services import followup
from pactum.services.auth import SYSTEM
from pactum.services.bootstrap import Services
from pactum.settings import Settings
from pactum.store.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]


def timed(fn: Callable[[], Any], reps: int) -> dict[str, float]:
    runs = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return {"reps": reps, "median_ms": round(statistics.median(runs) * 1000, 2),
            "min_ms": round(min(runs) * 1000, 2), "max_ms": round(max(runs) * 1000, 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--pdf-reps", type=int, default=3)
    args = parser.parse_args()

    text = annex_data.shipped_text()
    annex = annex_data.shipped()
    csv_text = codec.dump_csv(annex)
    results: dict[str, Any] = {
        "benchmark": "followup",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_at_start": [round(x, 1) for x in os.getloadavg()],
                    "note": "2 cores shared with other engineers' test runs and builds at the time"},
        "parse_yaml": timed(lambda: codec.load_yaml(text), args.reps),
        "parse_csv": timed(lambda: codec.load_csv(csv_text), args.reps),
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        clock = FixedClock(datetime(2026, 11, 28, 12, tzinfo=UTC))
        services = Services(settings=Settings(database_url=f"sqlite:///{path}", var_dir=Path(tmp)),
                            clock=clock)
        upgrade(services.engine)
        t0 = time.perf_counter()
        loaded = followup.load(services, SYSTEM)
        results["load_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        results["items"] = loaded.created
        later = date(2026, 11, 28)
        results["baseline_state_of_play_after_load"] = timed(
            lambda: followup.state_of_play(services, later, since=date(2023, 6, 23)), args.reps)

        # Pile up dated edits: actions change status back and forth over three years.
        keys = [a.key for _, a in annex.actions()]
        statuses = ["ongoing", "completed", "planned"]
        t0 = time.perf_counter()
        for i in range(args.edits):
            key = keys[i % len(keys)]
            current = followup.item_view(services, "action", key)
            new = statuses[(statuses.index(current["data"]["status"]) + 1) % 3] \
                if current["data"]["status"] in statuses else "ongoing"
            followup.update_item(services, SYSTEM, "action", key, followup.ItemEdit(
                version=current["version"], changes={"status": new},
                valid_from=date(2023, 7, 1) + timedelta(days=i % 1200)))
        results["edits"] = args.edits
        results["edit_ms_each"] = round((time.perf_counter() - t0) * 1000 / args.edits, 2)
        results["state_of_play_with_history"] = timed(
            lambda: followup.state_of_play(services, later, since=date(2023, 6, 23)), args.reps)
        sop = followup.state_of_play(services, later, since=date(2023, 6, 23))
        results["changes_listed"] = len(sop.changes)
        results["render_html"] = timed(lambda: followup.render_html(sop), args.reps)
        html = followup.render_html(sop)
        results["render_pdf"] = timed(lambda: followup.render_pdf(html), args.pdf_reps)
        results["pdf_bytes"] = len(followup.render_pdf(html))
        services.engine.dispose()
    results["machine"]["load_average_at_end"] = [round(x, 1) for x in os.getloadavg()]
    out = ROOT / "bench" / "results" / "followup.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
