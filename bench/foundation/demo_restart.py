"""Time a second `make demo`: from the command to the login page answering, on a built world.

    flock /tmp/pactum-bench.lock .venv/bin/python bench/foundation/demo_restart.py --runs 3

Needs the demo world built (`var/pactum.db`, made by a first `make demo`). Each run starts
`make demo` in the repository, polls http://127.0.0.1:8000/login every 0.1 s until it answers
HTTP 200, records the seconds since the start, then stops the server. The target (issue 2): a
second `make demo` reuses what exists and starts in seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
URL = "http://127.0.0.1:8000/login"


def _answers() -> bool:
    try:
        with urllib.request.urlopen(URL, timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _once(timeout_s: float) -> float:
    if _answers():
        raise SystemExit("something already answers on port 8000; stop it first")
    t0 = time.perf_counter()
    proc = subprocess.Popen(["make", "demo"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        while not _answers():
            if proc.poll() is not None:
                raise SystemExit(f"make demo exited with {proc.returncode} before the login page answered")
            if time.perf_counter() - t0 > timeout_s:
                raise SystemExit(f"the login page did not answer within {timeout_s} s")
            time.sleep(0.1)
        return time.perf_counter() - t0
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--out", default=str(ROOT / "bench/results/foundation_demo_restart.json"))
    args = ap.parse_args()
    if not (ROOT / "var" / "pactum.db").exists():
        raise SystemExit("no demo world: run `make demo` once first (it builds var/pactum.db)")
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    load_before = os.getloadavg()
    seconds = []
    for _ in range(args.runs):
        seconds.append(round(_once(args.timeout), 2))
        time.sleep(1)
    result = {
        "command": "make demo (second run, world built)", "started_utc": started,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "seconds_to_login_page": seconds, "median_s": statistics.median(seconds), "machine": "2 cores, 24 GiB",
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
