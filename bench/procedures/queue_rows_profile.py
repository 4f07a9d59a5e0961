"""Profile: CPU time of the queue page's two Python parts for a 5,000-case queue, before and after
the change of 28 November 2026, on the same rows in the same run.

    .venv/bin/python bench/procedures/queue_rows_profile.py --db pactum_bench_procedures_NNN

Needs a database kept by ``caseworker_queue.py --keep``. Measures (process CPU ms, median of 15
after a warm-up, each variant twice, interleaved):

- ``rows_html``: the rows' HTML by the function of commit ``28daf96`` (markupsafe ``escape`` on
  every cell) against the current ``_queue_rows_html`` (escaped values looked up), after checking
  both give the same HTML (since the queue names the applicant, 29 November, the current function
  writes one more cell per row: the old one is given the rows without the name, and the check
  compares the HTML without that cell);
- ``fetch``: the 5,000 rows through SQLAlchemy ``Row`` objects against the driver's tuples
  (``_plain_rows``), with the number of objects the cyclic garbage collector tracks afterwards.

Writes ``bench/results/procedures_queue_rows_profile.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import statistics
import subprocess
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from pactum.services.procedures import A, _plain_rows, _queue_select
from pactum.web.views.procedures import _queue_rows_html

ROOT = Path(__file__).resolve().parents[2]
BEFORE = "28daf96"


def cpu_ms(fn: Any, runs: int = 15) -> float:
    fn()
    xs = []
    for _ in range(runs):
        t = time.process_time()
        fn()
        xs.append((time.process_time() - t) * 1000)
    return round(statistics.median(xs), 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    args = ap.parse_args()
    src = subprocess.run(["git", "show", f"{BEFORE}:src/pactum/web/views/procedures.py"],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    ns: dict[str, Any] = {}
    exec("from typing import Any\nfrom datetime import date\nfrom markupsafe import Markup, escape\n"
         + src[src.index("_OVERDUE ="):src.index('@router.get("/procedures")')], ns)
    before = ns["_queue_rows_html"]
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.db}"
    eng = create_engine(url)
    q = _queue_select([A.c.assigned_to == "bench-caseworker", A.c.closed.is_(False)], 5000, 0)
    today = date(2026, 11, 28)
    load0 = os.getloadavg()
    with eng.connect() as c:
        rows = _plain_rows(c, q)
        unnamed = [r[:11] for r in rows]  # the function of 28daf96 writes no applicant's name
        assert len(rows) == 5000 and str(before(unnamed, today)) == re.sub(
            r"(</a>(?: <span class=\"badge\">UAM</span>)?</td>)<td>[^<]*</td>", r"\1",
            str(_queue_rows_html(rows, today)))
        html = [cpu_ms(lambda: before(unnamed, today)), cpu_ms(lambda: _queue_rows_html(rows, today)),
                cpu_ms(lambda: before(unnamed, today)), cpu_ms(lambda: _queue_rows_html(rows, today))]

        def tracked(fetch: Any) -> int:
            gc.collect()
            n0 = len(gc.get_objects())
            got = fetch()
            gc.collect(0)
            n = len(gc.get_objects()) - n0
            del got
            return n

        sa_rows = lambda: c.execute(q).all()  # noqa: E731
        plain = lambda: _plain_rows(c, q)  # noqa: E731
        fetch = [cpu_ms(sa_rows), cpu_ms(plain), cpu_ms(sa_rows), cpu_ms(plain)]
        result = {
            "benchmark": "procedures queue rows: HTML and fetch, before/after, same run",
            "command": f"bench/procedures/queue_rows_profile.py --db {args.db}",
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "load_average_at_start": load0,
                        "load_average_at_end": os.getloadavg()},
            "rows": len(rows),
            "rows_html_cpu_ms": {"before_28daf96": [html[0], html[2]], "now": [html[1], html[3]]},
            "fetch_cpu_ms": {"sqlalchemy_rows": [fetch[0], fetch[2]], "driver_tuples": [fetch[1], fetch[3]]},
            "gc_tracked_objects_after_fetch": {"sqlalchemy_rows": tracked(sa_rows),
                                               "driver_tuples": tracked(plain)},
        }
    eng.dispose()
    out = ROOT / "bench" / "results" / "procedures_queue_rows_profile.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
