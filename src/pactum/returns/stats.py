"""Return statistics counted as Eurostat counts them.

- ``ordered_to_leave`` (``migr_eiord``): third-country nationals found to be illegally present
  who are subject to a decision stating the obligation to leave, counted by the Member State that
  issued the decision, in the year of the decision, each person once per state, year and
  nationality.
- ``returned`` (``migr_eirtn``): third-country nationals who have in fact left following an
  order to leave, counted by the Member State that carried out the return (the executing state
  after a recognition), in the year of departure, each person once per state, year and
  nationality.
- ``return_rate``: returned / ordered to leave in the same year and state. Orders and returns
  are not cohort-linked (as in Eurostat), so a rate may exceed 1; ``None`` when no order was
  issued.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Order:
    person_id: str
    member_state: str
    nationality: str
    issued_on: date


@dataclass(frozen=True)
class Return:
    person_id: str
    member_state: str
    nationality: str
    departed_on: date


def return_rate(ordered: int, returned: int) -> float | None:
    return round(returned / ordered, 4) if ordered else None


def stats_rows(
    year: int, orders: Iterable[Order], returns: Iterable[Return]
) -> list[dict[str, object]]:
    """Rows ``{member_state, nationality, ordered_to_leave, returned, return_rate}``, sorted."""
    ordered: dict[tuple[str, str], set[str]] = {}
    returned: dict[tuple[str, str], set[str]] = {}
    for o in orders:
        if o.issued_on.year == year:
            ordered.setdefault((o.member_state, o.nationality), set()).add(o.person_id)
    for r in returns:
        if r.departed_on.year == year:
            returned.setdefault((r.member_state, r.nationality), set()).add(r.person_id)
    rows = []
    for key in sorted(set(ordered) | set(returned)):
        n_o, n_r = len(ordered.get(key, ())), len(returned.get(key, ()))
        rows.append(
            {
                "member_state": key[0],
                "nationality": key[1],
                "ordered_to_leave": n_o,
                "returned": n_r,
                "return_rate": return_rate(n_o, n_r),
            }
        )
    return rows
