"""Baselines for the relocation optimiser: first-come-first-served and random assignment.

Both respect every rule of the problem (places, families together, exclusions, never the state
the person is in), so the comparison with the optimiser is about quality, not legality:

* **first-come-first-served** takes units (singles and whole families) in input order and gives
  each the state of its strongest link that still has room, otherwise the allowed state with the
  most places left;
* **random** takes units in a random order and gives each a random allowed state with room.
"""

from __future__ import annotations

import random

from pactum.solidarity.matching import Problem


def _fits(problem: Problem, unit: list[int], s: str, left: dict[str, int]) -> bool:
    return left.get(s, 0) >= len(unit)


def first_come_first_served(problem: Problem) -> dict[str, str]:
    left = dict(problem.capacities)
    out: dict[str, str] = {}
    for unit in problem.units():
        allowed = [s for s in problem.allowed_states(unit) if _fits(problem, unit, s, left)]
        if not allowed:
            continue
        best = max(allowed, key=lambda s: (sum(problem.score(i, s) for i in unit), left[s], s))
        left[best] -= len(unit)
        for i in unit:
            out[problem.applicants[i].id] = best
    return out


def random_assignment(problem: Problem, rng: random.Random) -> dict[str, str]:
    left = dict(problem.capacities)
    out: dict[str, str] = {}
    units = problem.units()
    rng.shuffle(units)
    for unit in units:
        allowed = [s for s in problem.allowed_states(unit) if _fits(problem, unit, s, left)]
        if not allowed:
            continue
        s = rng.choice(allowed)
        left[s] -= len(unit)
        for i in unit:
            out[problem.applicants[i].id] = s
    return out
