"""Optimal individual relocation matching, solved exactly with HiGHS.

HiGHS (``highspy``) is a pure solver library with no framework behind it, so the adapter lives in
the domain package; it reads and writes only plain Python and numpy values.

The problem (see :mod:`pactum.solidarity.matching`): place applicants in receiving states with
limited places; a family goes to one state or stays; excluded states and the state an applicant is
in are never chosen; maximise first the persons relocated, then the sum of the weight of each
relocated person's strongest link to the state chosen.

Formulation (why it is fast)
----------------------------
A straightforward MIP has one binary per applicant and allowed state (30,000 x 26 = 780,000
binaries) and takes minutes. Two facts of the problem make it much smaller without losing
optimality:

1. **Interchangeable units form classes.** An indivisible *unit* is a single applicant or a whole
   family. Two units with the same size, the same set of allowed states and the same link score in
   every state are interchangeable: only how many of them go where matters. A class ``c`` holds
   ``n_c`` such units; integer ``x[c,s]`` counts the units of ``c`` placed in ``s``.
2. **States without a link are pooled.** A unit placed where it has no link scores 0, so for the
   objective the zero-score states of a class are interchangeable. Each class keeps a variable
   ``x[c,s]`` only for states where it scores > 0 and one variable ``z[c]`` for "placed at score 0".
   The zero placements of every class of the same unit size ``k`` and allowed set ``A`` flow into a
   pool ``(k, A)``, and integer ``y[k,A,s]`` (s in A) counts the pool's units placed in ``s``.

Model (all variables non-negative integers)::

    class c:      sum_s x[c,s] + z[c]                 <= n_c
    pool (k,A):   sum_{c in pool} z[c] - sum_s y[k,A,s] = 0
    state s:      sum_c k_c x[c,s] + sum_pools k y[k,A,s] <= places_s
    phase 1:      max  R = sum_c k_c (sum_s x[c,s] + z[c])
    phase 2:      R >= R*;  max  S = sum_c sum_s score[c,s] x[c,s]

Phase 2 may only under-count (a pool unit sent to a state where it does have a link counts 0), so
the model's optimum equals the true optimum and the disaggregated answer, re-scored exactly by
:func:`~pactum.solidarity.matching.check_assignment`, attains it. With singles only the constraint
matrix is a network matrix (totally unimodular) and the LP relaxation is already integral; the
family variables are the only real integers.

How each phase is proven
------------------------
Every objective coefficient of a phase is an integer, so every integer solution's value is a
multiple of their greatest common divisor ``g`` (phase 1: the unit sizes, usually 1; phase 2: the
link weights in use, 10 with the default weights 100/40/30/20/10). A solution worth ``v`` is
therefore optimal as soon as the bound ``b`` satisfies ``b < v + g``. Each phase:

1. solves the LP relaxation (``b`` = its optimum; phase 2 by the interior point method with
   crossover, which is faster there); if the LP solution is integral it is optimal;
2. otherwise fixes the family columns to the floor of their LP values and re-solves the rest (a
   network, so integral): if that solution is worth ``g * floor(b / g)`` it is optimal;
3. otherwise runs branch-and-bound warm-started from that solution, with an absolute gap
   ``g - 0.5``: status *optimal* is then the same proof.

Status *optimal* in both phases is a proof of lexicographic optimality; ``solver.phases[].proof``
says which step gave it.

Disaggregation hands the counts back to concrete units in input order, so the answer is
deterministic for a given input.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np

from pactum.solidarity.matching import MatchingResult, Problem, result_from_assignment

# Objectives are integral multiples of a phase's gcd g: any absolute gap below g proves optimality.
_ABS_GAP = 0.5


def _gcd(costs: list[float]) -> int:
    """Greatest common divisor of the (integer) non-zero objective coefficients; 1 if none."""
    g = 0
    for c in costs:
        if c:
            g = math.gcd(g, int(c))
            if g == 1:
                break
    return g or 1

try:
    from importlib.metadata import version as _pkg_version

    HIGHS_VERSION = _pkg_version("highspy")
except Exception:  # pragma: no cover - metadata always present in an installed venv
    HIGHS_VERSION = "unknown"


def _silence_banner() -> None:
    """HiGHS prints a banner on stdout when the first instance of a process is created.

    The CLI writes JSON on stdout, so the first instance is created with stdout sent to
    /dev/null at the file-descriptor level; later instances print nothing.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(devnull)
        os.close(saved)


_silence_banner()


@dataclass(slots=True)
class _Class:
    size: int
    allowed: tuple[str, ...]
    scores: tuple[tuple[str, int], ...]  # (state, score > 0)
    units: list[list[int]] = field(default_factory=list)


@dataclass(slots=True)
class PhaseReport:
    name: str
    status: str
    objective: int
    dual_bound: float | None  # None when the solver stopped before it had a bound
    gap: float | None  # relative gap; None when unknown
    seconds: float
    nodes: int
    incumbents: list[tuple[float, float]]  # (seconds since start of solve, objective)
    proof: str = ""


@dataclass(slots=True)
class SolveReport:
    classes: int
    units: int
    variables: int
    integer_variables: int
    rows: int
    build_seconds: float
    phases: list[PhaseReport]
    total_seconds: float
    optimal: bool

    def first_within(self, rel: float) -> float | None:
        """Seconds from the start until a lexicographically near-optimal solution was known.

        A solution counts once it relocates the proven maximum (phase 1 finished) and its link
        score is within ``rel`` (e.g. 0.001 = 0.1%) of the proven optimum of phase 2.
        """
        if len(self.phases) < 2:
            return None
        p1, p2 = self.phases
        target = p2.objective * (1 - rel)
        offset = self.build_seconds + p1.seconds
        for t, obj in p2.incumbents:
            if obj >= target - 1e-9:
                return offset + t
        return None


def _classes(problem: Problem) -> list[_Class]:
    by_key: dict[tuple[int, tuple[str, ...], tuple[tuple[str, int], ...]], _Class] = {}
    for unit in problem.units():
        allowed = tuple(problem.allowed_states(unit))
        if not allowed:
            continue
        scores = []
        for s in allowed:
            sc = sum(problem.score(i, s) for i in unit)
            if sc > 0:
                scores.append((s, sc))
        key = (len(unit), allowed, tuple(scores))
        cls = by_key.get(key)
        if cls is None:
            cls = by_key[key] = _Class(size=len(unit), allowed=allowed, scores=tuple(scores))
        cls.units.append(unit)
    return list(by_key.values())


def solve(
    problem: Problem,
    *,
    time_limit: float | None = None,
    threads: int | None = None,
    track_incumbents: bool = False,
) -> tuple[MatchingResult, SolveReport]:
    """Solve ``problem`` to proven lexicographic optimality (or report the gap at ``time_limit``)."""
    t0 = time.perf_counter()
    classes = _classes(problem)
    states = sorted(s for s, p in problem.capacities.items() if p > 0)
    state_row = {s: i for i, s in enumerate(states)}

    cols_lower: list[float] = []
    cols_upper: list[float] = []
    reloc_cost: list[float] = []
    score_cost: list[float] = []
    col_entries: list[list[tuple[int, float]]] = []
    x_cols: list[tuple[int, str, int]] = []  # (class index, state, column)
    z_col: dict[int, int] = {}
    y_cols: list[tuple[tuple[int, tuple[str, ...]], str, int]] = []
    family_cols: list[int] = []  # columns counting whole families (size > 1): the real integers

    n_states = len(states)
    n_class_rows = len(classes)
    pools: dict[tuple[int, tuple[str, ...]], int] = {}
    for c in classes:
        pools.setdefault((c.size, c.allowed), len(pools))
    class_row0 = n_states
    pool_row0 = n_states + n_class_rows

    def add_col(lo: float, up: float, reloc: float, score: float, entries: list[tuple[int, float]]) -> int:
        cols_lower.append(lo)
        cols_upper.append(up)
        reloc_cost.append(reloc)
        score_cost.append(score)
        col_entries.append(entries)
        return len(cols_lower) - 1

    for ci, c in enumerate(classes):
        n = len(c.units)
        for s, sc in c.scores:
            cap_units = problem.capacities[s] // c.size
            col = add_col(0, min(n, cap_units), c.size, sc, [(state_row[s], c.size), (class_row0 + ci, 1.0)])
            x_cols.append((ci, s, col))
            if c.size > 1:
                family_cols.append(col)
        pool_row = pool_row0 + pools[(c.size, c.allowed)]
        z_col[ci] = add_col(0, n, c.size, 0, [(class_row0 + ci, 1.0), (pool_row, 1.0)])
    pool_units: dict[tuple[int, tuple[str, ...]], int] = defaultdict(int)
    for c in classes:
        pool_units[(c.size, c.allowed)] += len(c.units)
    for key, pi in pools.items():
        size, allowed = key
        for s in allowed:
            up = min(pool_units[key], problem.capacities[s] // size)
            col = add_col(0, up, 0, 0, [(state_row[s], float(size)), (pool_row0 + pi, -1.0)])
            y_cols.append((key, s, col))
            if size > 1:
                family_cols.append(col)

    n_rows = n_states + n_class_rows + len(pools)
    row_lower = np.empty(n_rows)
    row_upper = np.empty(n_rows)
    for s, i in state_row.items():
        row_lower[i] = -highspy.kHighsInf
        row_upper[i] = problem.capacities[s]
    for ci, c in enumerate(classes):
        row_lower[class_row0 + ci] = -highspy.kHighsInf
        row_upper[class_row0 + ci] = len(c.units)
    row_lower[pool_row0:] = 0.0
    row_upper[pool_row0:] = 0.0

    n_cols = len(cols_lower)
    start = np.zeros(n_cols + 1, dtype=np.int32)
    index: list[int] = []
    value: list[float] = []
    for j, entries in enumerate(col_entries):
        for r, v in entries:
            index.append(r)
            value.append(v)
        start[j + 1] = len(index)

    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = n_rows
    lp.col_cost_ = np.array(reloc_cost, dtype=np.float64)
    lp.col_lower_ = np.array(cols_lower, dtype=np.float64)
    lp.col_upper_ = np.array(cols_upper, dtype=np.float64)
    lp.row_lower_ = row_lower
    lp.row_upper_ = row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_cols

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", _ABS_GAP)
    h.setOptionValue("random_seed", 0)
    if threads is not None:
        h.setOptionValue("threads", threads)
    if time_limit is not None:
        # HiGHS applies the limit to each solver call; the phases share what is left of it.
        h.setOptionValue("time_limit", float(time_limit))
    h.passModel(lp)
    phase_upper = np.array(cols_upper, dtype=np.float64)
    build_seconds = time.perf_counter() - t0

    incumbents: list[tuple[float, float]] = []
    phase_start = [time.perf_counter()]
    if track_incumbents:

        def on_improve(event: Any) -> None:
            incumbents.append(
                (time.perf_counter() - phase_start[0], float(event.data_out.objective_function_value))
            )

        h.cbMipImprovingSolution.subscribe(on_improve)

    phases: list[PhaseReport] = []

    def _run() -> None:
        """One solver call within what is left of ``time_limit`` (HiGHS counts per call)."""
        if time_limit is not None:
            h.setOptionValue("time_limit", max(time_limit - (time.perf_counter() - t0), 1.0))
        h.run()

    def run(name: str, start: Any = None, g: int = 1, lp_solver: str = "choose") -> tuple[PhaseReport, list[float]]:
        """Solve one phase: the LP relaxation first; the MIP only if that is not integral.

        An integral optimum of the relaxation is optimal for the MIP (its bound is attained), which
        is the usual case here: the single-applicant part is a network. Otherwise branch-and-bound
        runs from the relaxation's bound, warm-started with ``start``.
        """
        incumbents.clear()
        phase_start[0] = time.perf_counter()
        h.setOptionValue("solve_relaxation", True)
        h.setOptionValue("solver", lp_solver)
        _run()
        h.setOptionValue("solver", "choose")
        lp_status = h.getModelStatus()
        values = np.asarray(h.getSolution().col_value, dtype=np.float64)
        integral = (
            lp_status == highspy.HighsModelStatus.kOptimal
            and values.size == n_cols
            and bool(np.all(np.abs(values - np.round(values)) < 1e-6))
        )
        if integral:
            secs = time.perf_counter() - phase_start[0]
            obj = float(h.getInfo().objective_function_value)
            rep = PhaseReport(
                name=name,
                status="Optimal",
                objective=round(obj),
                dual_bound=obj,
                gap=0.0,
                seconds=secs,
                nodes=0,
                incumbents=[(secs, obj)],
                proof="integral optimum of the LP relaxation",
            )
            phases.append(rep)
            return rep, [float(v) for v in np.round(values)]
        # Rounding: fix the family columns to the floor of their LP values and solve the rest,
        # which is a network (integral LP). If that attains the LP bound, it is optimal.
        bound = float(h.getInfo().objective_function_value)
        rounded: list[float] | None = None
        if lp_status == highspy.HighsModelStatus.kOptimal and family_cols:
            fidx = np.array(family_cols, dtype=np.int32)
            lo_saved = np.array([cols_lower[j] for j in family_cols], dtype=np.float64)
            up_saved = np.array(phase_upper[fidx], dtype=np.float64)
            fixed = np.floor(values[fidx] + 1e-9)
            h.changeColsBounds(len(fidx), fidx, fixed, fixed)
            _run()
            vals2 = np.asarray(h.getSolution().col_value, dtype=np.float64)
            if (
                h.getModelStatus() == highspy.HighsModelStatus.kOptimal
                and vals2.size == n_cols
                and bool(np.all(np.abs(vals2 - np.round(vals2)) < 1e-6))
            ):
                rounded = [float(v) for v in np.round(vals2)]
                robj = float(h.getInfo().objective_function_value)
            h.changeColsBounds(len(fidx), fidx, lo_saved, up_saved)
            if rounded is not None and round(robj) >= g * np.floor((bound + 1e-6) / g):
                secs = time.perf_counter() - phase_start[0]
                rep = PhaseReport(
                    name=name,
                    status="Optimal",
                    objective=round(robj),
                    dual_bound=bound,
                    gap=0.0,
                    seconds=secs,
                    nodes=0,
                    incumbents=[(secs, robj)],
                    proof=(
                        "rounded LP solution attains the LP relaxation bound"
                        if g == 1 or round(robj) >= np.floor(bound + 1e-6)
                        else f"rounded LP solution attains the LP relaxation bound rounded down to a "
                        f"multiple of {g} (every objective value is a multiple of {g})"
                    ),
                )
                phases.append(rep)
                return rep, rounded
            if rounded is not None:
                incumbents_seed = (time.perf_counter() - phase_start[0], robj)
                start = highspy.HighsSolution()
                start.col_value = rounded
                start.value_valid = True
        h.setOptionValue("solve_relaxation", False)
        h.setOptionValue("mip_abs_gap", g - _ABS_GAP)
        if start is not None:
            h.setSolution(start)
        incumbents.clear()
        if rounded is not None:
            incumbents.append(incumbents_seed)
        _run()
        secs = time.perf_counter() - phase_start[0]
        status = h.getModelStatus()
        info = h.getInfo()
        obj = float(info.objective_function_value)
        rep = PhaseReport(
            name=name,
            status=h.modelStatusToString(status),
            objective=round(obj),
            dual_bound=float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None,
            gap=float(info.mip_gap) if np.isfinite(info.mip_gap) and abs(info.mip_gap) < highspy.kHighsInf else None,
            seconds=secs,
            nodes=int(info.mip_node_count),
            incumbents=list(incumbents) or [(secs, obj)],
            proof=(
                f"branch-and-bound, absolute gap < {g} on an objective that is a multiple of {g}"
                if status == highspy.HighsModelStatus.kOptimal
                else "stopped before optimality was proven: see gap and bound"
            ),
        )
        phases.append(rep)
        sol = h.getSolution()
        return rep, [float(round(v)) for v in sol.col_value]

    solution: list[float]
    if n_cols == 0:
        phases = [
            PhaseReport("relocated", "Optimal", 0, 0.0, 0.0, 0.0, 0, [(0.0, 0.0)], "no possible placement"),
            PhaseReport("link_score", "Optimal", 0, 0.0, 0.0, 0.0, 0, [(0.0, 0.0)], "no possible placement"),
        ]
        solution = []
    else:
        p1, solution = run("relocated", g=_gcd(reloc_cost))
        if p1.status == "Optimal":
            h.addRow(
                float(p1.objective),
                highspy.kHighsInf,
                n_cols,
                np.arange(n_cols, dtype=np.int32),
                np.array(reloc_cost, dtype=np.float64),
            )
            h.changeColsCost(n_cols, np.arange(n_cols, dtype=np.int32), np.array(score_cost, dtype=np.float64))
            start_sol = highspy.HighsSolution()
            start_sol.col_value = list(solution)
            start_sol.value_valid = True
            if time_limit is not None:
                remaining = max(time_limit - (time.perf_counter() - t0), 1.0)
                h.setOptionValue("time_limit", remaining)
            # The phase-2 relaxation (new objective, one more row) is about 3x faster by the interior
            # point method with crossover (a vertex, as the rounding needs) than by dual simplex.
            p2, cand = run("link_score", start_sol, g=_gcd(score_cost), lp_solver="ipm")
            if len(cand) == n_cols and p2.status in ("Optimal", "Time limit reached"):
                solution = cand

    optimal = len(phases) == 2 and all(p.status == "Optimal" for p in phases)
    assignment = _disaggregate(problem, classes, solution, x_cols, z_col, y_cols)
    total = time.perf_counter() - t0
    report = SolveReport(
        classes=len(classes),
        units=sum(len(c.units) for c in classes),
        variables=n_cols,
        integer_variables=n_cols,
        rows=n_rows,
        build_seconds=build_seconds,
        phases=phases,
        total_seconds=total,
        optimal=optimal,
    )
    solver_info: dict[str, Any] = {
        "name": "HiGHS",
        "version": HIGHS_VERSION,
        "method": "lexicographic MIP on aggregated classes (phase 1: persons relocated; "
        "phase 2: link score with persons relocated fixed at the phase-1 optimum)",
        "optimal": optimal,
        "status": "optimal" if optimal else "feasible, not proven optimal",
        "phases": [
            {
                "objective": p.name,
                "status": p.status,
                "value": p.objective,
                "bound": p.dual_bound,
                "gap": p.gap,
                "proof": p.proof,
                "seconds": round(p.seconds, 4),
            }
            for p in phases
        ],
        "classes": len(classes),
        "variables": n_cols,
        "rows": n_rows,
        "seconds": round(total, 4),
    }
    result = result_from_assignment(problem, assignment, solver_info)
    return result, report


def _disaggregate(
    problem: Problem,
    classes: list[_Class],
    solution: list[float],
    x_cols: list[tuple[int, str, int]],
    z_col: dict[int, int],
    y_cols: list[tuple[tuple[int, tuple[str, ...]], str, int]],
) -> dict[str, str]:
    assignment: dict[str, str] = {}
    if not solution:
        return assignment
    cursor = [0] * len(classes)

    def take(ci: int, count: int) -> list[list[int]]:
        c = classes[ci]
        units = c.units[cursor[ci] : cursor[ci] + count]
        cursor[ci] += count
        return units

    for ci, s, col in x_cols:
        for unit in take(ci, round(solution[col])):
            for i in unit:
                assignment[problem.applicants[i].id] = s
    pool_members: dict[tuple[int, tuple[str, ...]], list[list[int]]] = defaultdict(list)
    for ci, c in enumerate(classes):
        pool_members[(c.size, c.allowed)].extend(take(ci, round(solution[z_col[ci]])))
    pool_cursor: dict[tuple[int, tuple[str, ...]], int] = defaultdict(int)
    for key, s, col in y_cols:
        n = round(solution[col])
        start = pool_cursor[key]
        for unit in pool_members[key][start : start + n]:
            for i in unit:
                assignment[problem.applicants[i].id] = s
        pool_cursor[key] = start + n
    return assignment
