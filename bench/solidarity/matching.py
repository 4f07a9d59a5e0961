"""Benchmark of the relocation optimiser, with first-come-first-served and random baselines.

Instances come from :func:`pactum.solidarity.instances.generate` (MED5 origins and nationalities in
proportion to the 2024 UNHCR applications shipped with Pactum; ~35% of persons in families of 2-5;
5% with 1-3 excluded states; places for 80% of applicants across the 27 EU states).

    .venv/bin/python bench/solidarity/matching.py                  # 30,000 and 150,000
    .venv/bin/python bench/solidarity/matching.py --sizes 30000 --naive-seconds 120

Writes ``bench/results/solidarity_matching.json``. The naive baseline is the straightforward MIP
(one binary per applicant and allowed state, family equalities), phase 1 only, run with a time
limit to show why the aggregated formulation is needed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import highspy
import numpy as np

from pactum.solidarity.baselines import first_come_first_served, random_assignment
from pactum.solidarity.instances import generate
from pactum.solidarity.matching import Problem, check_assignment, validate_request
from pactum.solidarity.optimiser import HIGHS_VERSION, solve

OUT = Path(__file__).resolve().parents[1] / "results" / "solidarity_matching.json"


def _quality(problem: Problem, assignment: dict[str, str], seconds: float) -> dict[str, Any]:
    ev = check_assignment(problem, assignment)
    return {
        "relocated": ev.relocated,
        "link_score": ev.link_score,
        "placed_with_meaningful_link": ev.meaningful_link,
        "share_with_meaningful_link": round(ev.meaningful_link / ev.relocated, 4) if ev.relocated else 0.0,
        "seconds": round(seconds, 3),
    }


def naive_phase1(problem: Problem, time_limit: float) -> dict[str, Any]:
    """One binary per applicant x allowed state; families tied by equalities; max persons."""
    t0 = time.perf_counter()
    states = sorted(s for s, p in problem.capacities.items() if p > 0)
    srow = {s: i for i, s in enumerate(states)}
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", 2)
    cols: dict[tuple[int, str], int] = {}
    units = problem.units()
    entries_row: list[list[tuple[int, float]]] = [[] for _ in states]
    person_rows: list[list[int]] = []
    fam_rows: list[tuple[int, int]] = []
    for unit in units:
        allowed = problem.allowed_states(unit)
        for i in unit:
            prow = []
            for s in allowed:
                c = len(cols)
                cols[(i, s)] = c
                entries_row[srow[s]].append((c, 1.0))
                prow.append(c)
            person_rows.append(prow)
        for i in unit[1:]:
            for s in allowed:
                fam_rows.append((cols[(unit[0], s)], cols[(i, s)]))
    n = len(cols)
    h.addVars(n, np.zeros(n), np.ones(n))
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), [highspy.HighsVarType.kInteger] * n)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.ones(n))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    for s, ents in zip(states, entries_row, strict=True):
        if ents:
            idx = np.array([c for c, _ in ents], dtype=np.int32)
            h.addRow(-highspy.kHighsInf, problem.capacities[s], len(idx), idx, np.ones(len(idx)))
    for prow in person_rows:
        if prow:
            h.addRow(-highspy.kHighsInf, 1.0, len(prow), np.array(prow, dtype=np.int32), np.ones(len(prow)))
    for a, b in fam_rows:
        h.addRow(0.0, 0.0, 2, np.array([a, b], dtype=np.int32), np.array([1.0, -1.0]))
    build = time.perf_counter() - t0
    h.run()
    info = h.getInfo()
    return {
        "variables": n,
        "rows": h.getNumRow(),
        "build_seconds": round(build, 2),
        "solve_seconds": round(time.perf_counter() - t0 - build, 2),
        "time_limit": time_limit,
        "status": h.modelStatusToString(h.getModelStatus()),
        "relocated_best_found": (
            round(info.objective_function_value) if np.isfinite(info.objective_function_value) else None
        ),
        "dual_bound": info.mip_dual_bound if np.isfinite(info.mip_dual_bound) else None,
        "gap": info.mip_gap if np.isfinite(info.mip_gap) else None,
    }


def run(size: int, seed: int, naive_seconds: float, time_limit: float | None = None,
        weights: dict[str, int] | None = None) -> dict[str, Any]:
    started = datetime.now(UTC).isoformat(timespec="seconds")
    load_before = os.getloadavg()
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    req = generate(random.Random(seed), size)
    if weights:
        req.weights = {**(req.weights or {}), **weights}
    problem = validate_request(req)
    gen = time.perf_counter() - t0
    persons_in_families = sum(len(m) for m in problem.families.values())
    t1 = time.perf_counter()
    result, rep = solve(problem, threads=2, track_incumbents=True, time_limit=time_limit)
    wall = time.perf_counter() - t1
    solve_cpu = time.process_time() - cpu0
    load_after_solve = os.getloadavg()
    assignment = {a.applicant_id: a.member_state for a in result.assignments}
    opt_q = _quality(problem, assignment, wall)
    t2 = time.perf_counter()
    fcfs = first_come_first_served(problem)
    fcfs_q = _quality(problem, fcfs, time.perf_counter() - t2)
    t3 = time.perf_counter()
    rnd = random_assignment(problem, random.Random(seed + 1))
    rnd_q = _quality(problem, rnd, time.perf_counter() - t3)
    out: dict[str, Any] = {
        "started_utc": started,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after_solve": [round(x, 2) for x in load_after_solve],
        "applicants": len(problem.applicants),
        "seed": seed,
        "weights": problem.weights,
        "persons_in_families": persons_in_families,
        "families": len(problem.families),
        "with_exclusions": sum(1 for a in problem.applicants if a.excluded),
        "places": sum(problem.capacities.values()),
        "receiving_states": len(problem.capacities),
        "generate_seconds": round(gen, 2),
        "time_limit": time_limit,
        "optimiser": {
            **opt_q,
            "proven_optimal": rep.optimal,
            "classes": rep.classes,
            "units": rep.units,
            "variables": rep.variables,
            "rows": rep.rows,
            "build_seconds": round(rep.build_seconds, 3),
            "process_cpu_seconds_generate_and_solve": round(solve_cpu, 3),
            "seconds_to_first_solution_within_0_1_percent": (
                round(v, 3) if (v := rep.first_within(0.001)) is not None else None
            ),
            "phases": [
                {"objective": p.name, "status": p.status, "value": p.objective, "bound": p.dual_bound,
                 "gap": p.gap, "seconds": round(p.seconds, 3), "nodes": p.nodes, "proof": p.proof}
                for p in rep.phases
            ],
            "final_gap": None if any(p.gap is None for p in rep.phases) else max(p.gap or 0.0 for p in rep.phases),
        },
        "first_come_first_served": fcfs_q,
        "random": rnd_q,
    }
    if naive_seconds > 0:
        out["naive_mip_phase1"] = naive_phase1(problem, naive_seconds)
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    out["finished_utc"] = datetime.now(UTC).isoformat(timespec="seconds")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="30000,150000")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--naive-seconds", type=float, default=0.0)
    ap.add_argument("--time-limit-large", type=float, default=600.0,
                    help="solver time limit for instances above 30,000 applicants (gap reported)")
    ap.add_argument("--seeds", default=None, help="comma-separated seeds (each size runs once per seed)")
    ap.add_argument("--weights", default="", help="override link weights, e.g. previous_residence=41")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    weights = {k: int(v) for k, v in (kv.split("=") for kv in args.weights.split(",") if kv)}
    seeds = [int(x) for x in args.seeds.split(",")] if args.seeds else [args.seed]
    runs = []
    for size, seed in ((int(s), sd) for s in args.sizes.split(",") for sd in seeds):
        r = run(size, seed, args.naive_seconds if size <= 30000 else 0.0,
                None if size <= 30000 else args.time_limit_large, weights or None)
        print(json.dumps({k: r[k] for k in ("applicants", "optimiser", "first_come_first_served", "random")}, indent=1),
              flush=True)
        runs.append(r)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "benchmark": "solidarity relocation matching",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "highs": HIGHS_VERSION,
                    "note": "2 cores shared with other engineers' builds and tests running at the same time"},
        "command": "bench/solidarity/matching.py " + " ".join(f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items()),
        "runs": runs,
    }, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
