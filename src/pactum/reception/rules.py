"""Occupancy, changes, trends and pressure flags of a state's reception reports, each flag with its
legal basis.

Rules, in the order the pages show them:

1. **Occupancy rate** of a type of facility = persons accommodated / places (none when it has no
   place); the **overall rate** counts every type, detention included. Occupancy above capacity is
   recorded as reported (it happens, and hiding it would misreport the state) and flagged.
   A rate is compared with the threshold and subtracted from another exactly
   (:func:`exact_rate`); it is rounded only to be shown (:func:`rate`, :func:`percent`, a change
   in points to one decimal).
2. **Pressure**: a type, or the whole, at or above the threshold (default 90%: an analyst's alert
   level, not a figure of the law; every view lets the reader set it).
3. **Border procedure**: fewer places in border and transit facilities than applicants the
   platform holds in the border procedure on the report's date (procedures area) — the state may
   have reached its adequate capacity (Regulation (EU) 2024/1348, Articles 48 and 49, from 12 June
   2026; before it the border procedure of Directive 2013/32/EU, Article 43).
4. **Waiting list**: applicants entitled to material reception conditions who wait for a place.
5. **Capacity exhausted**: under Directive (EU) 2024/1346, housing (every type but detention) above
   its places while the contingency plan is not activated: where the capacities normally available
   are temporarily exhausted a state may provide different material reception conditions, and it
   then informs the Commission and the Asylum Agency of the activation of its contingency plan
   (Art. 20(10)(b) and third subparagraph, Art. 32(2)). Not under Directive 2013/33/EU, which had
   no contingency plan (its Art. 18(9)(b) allowed the different conditions alone).
6. **Contingency planning**: from the date by which the recast Directive has each Member State
   communicate its contingency plan to the Asylum Agency (``reception.contingency_plan.first_due``,
   12 April 2025, before the Directive otherwise applies), a report saying no plan is in place is
   flagged (Directive (EU) 2024/1346, Article 32); a state under pressure whose plan is not
   activated is told so.

The law governing a report is chosen by the date it describes (``reception.pact_from``): Directive
(EU) 2024/1346 from 12 June 2026, Directive 2013/33/EU before (no contingency-planning duty of its
own; detention under its Article 8). Every citation a report shows (each type's legal basis, each
flag's) follows that date: :func:`facility_basis` (the contingency-planning flag, a duty of the
recast Directive dated on its own, always cites its Article 32). No report is dated before
``reception.reports_from`` (21 July 2015), the first day of a governing instrument on the platform.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from pactum.common import nothing
from pactum.reception import params
from pactum.reception.model import (
    CONTINGENCY_LABELS,
    FACILITY_TYPES,
    NOT_ACCOMMODATED,
    TYPES_BY_CODE,
)

#: The default pressure threshold: an occupancy rate at or above it is flagged. A monitoring
#: choice (the Directive sets no occupancy rate), settable on every view.
DEFAULT_THRESHOLD = 0.90
#: A state that has not reported for more than this many weeks is listed as overdue (settable).
DEFAULT_OVERDUE_WEEKS = 2
#: The trend compares the latest report with the latest one at least this many days older.
TREND_DAYS = 28
#: A change of the overall rate within this many percentage points is "stable".
STABLE_POINTS = 2.0

CONTINGENCY_BASIS = "Directive (EU) 2024/1346, Article 32"
#: The border procedure's capacity: the APR's adequate capacity from 12 June 2026; before it, the
#: border procedure of Directive 2013/32/EU and the housing at the border of Directive 2013/33/EU
#: (no adequate capacity to notify).
BORDER_CAPACITY_BASIS = {True: "Regulation (EU) 2024/1348, Articles 48 and 49",
                         False: TYPES_BY_CODE["border"].legal_basis_2013}
MATERIAL_CONDITIONS_BASIS = {True: "Directive (EU) 2024/1346, Articles 19 and 20",
                             False: "Directive 2013/33/EU, Articles 17 and 18"}
#: Housing capacity exhausted under the recast Directive: a Member State may exceptionally provide
#: different material reception conditions where the housing capacities normally available are
#: temporarily exhausted (Art. 20(10)(b)), and then informs the Commission and the Asylum Agency
#: without delay of the activation of its contingency plan (Art. 20(10), third subparagraph, and
#: Art. 32(2)). Directive 2013/33/EU (Art. 18(9)(b)) allowed the different conditions without a
#: contingency plan to activate.
CAPACITY_EXHAUSTED_BASIS = "Directive (EU) 2024/1346, Article 20(10)(b) and Article 32(2)"
#: The types of facility that house applicants in kind (Art. 20(1)(a) to (c)); detention is not
#: housing under Article 20 (its conditions are Articles 12 and 13).
HOUSING_TYPES = ("initial", "open", "minors", "border")
DETENTION_BASIS = {True: TYPES_BY_CODE["detention"].legal_basis,
                   False: TYPES_BY_CODE["detention"].legal_basis_2013}


@dataclass(frozen=True)
class Flag:
    code: str
    message: str
    legal_basis: str
    facility: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def exact_rate(places: int, accommodated: int) -> float | None:
    """Persons accommodated per place (1.0 = full), unrounded: what a rate is compared with a
    threshold and subtracted from another as; ``None`` when there is no place."""
    if places <= 0:
        return None
    return accommodated / places


def rate(places: int, accommodated: int) -> float | None:
    """:func:`exact_rate` as the reports show it, to 4 decimals (0.8439 = 84.39%): for display
    only, never compared nor subtracted (89,996 persons in 100,000 places show as 0.9 and are
    under a threshold of 90%)."""
    exact = exact_rate(places, accommodated)
    return None if exact is None else round(exact, 4)


def percent(value: float | None) -> str:
    return "no places" if value is None else f"{value * 100:.1f}%"


def governing_instrument(on: date) -> str:
    return params.INSTRUMENT if params.directive_applies(on) else params.PREVIOUS_INSTRUMENT


def facility_basis(code: str, on: date) -> str:
    """The legal basis of a type of facility on ``on``, the date a report describes."""
    t = TYPES_BY_CODE[code]
    return t.legal_basis if params.directive_applies(on) else t.legal_basis_2013


def totals(figures: Mapping[str, int]) -> dict[str, Any]:
    places = sum(figures[f"{t.code}_places"] for t in FACILITY_TYPES)
    accommodated = sum(figures[f"{t.code}_accommodated"] for t in FACILITY_TYPES)
    return {"places": places, "accommodated": accommodated, "rate": rate(places, accommodated),
            "free": max(places - accommodated, 0),
            "not_accommodated": sum(figures[name] for name, _ in NOT_ACCOMMODATED)}


def _exact_points(now: float | None, before: float | None) -> float | None:
    """The change from ``before`` to ``now`` (exact rates) in percentage points, unrounded but for
    the binary noise of the subtraction (82% - 80% is 2 points, not 1.9999999999999907)."""
    if now is None or before is None:
        return None
    return round((now - before) * 100, 9)


def _points(now: float | None, before: float | None) -> float | None:
    """The change from ``before`` to ``now`` in percentage points, to one decimal as shown: the
    difference of the exact rates (:func:`exact_rate`), rounded once."""
    change = _exact_points(now, before)
    return None if change is None else round(change, 1) + 0.0  # + 0.0: never -0.0


def facilities(figures: Mapping[str, int], reported_on: date,
               previous: Mapping[str, int] | None = None) -> list[dict[str, Any]]:
    """One row per type of facility: places, persons, rate, its legal basis on ``reported_on`` and
    the change since ``previous``."""
    out = []
    for t in FACILITY_TYPES:
        places, accommodated = figures[f"{t.code}_places"], figures[f"{t.code}_accommodated"]
        row: dict[str, Any] = {
            "type": t.code, "label": t.label, "legal_basis": facility_basis(t.code, reported_on), "places": places,
            "accommodated": accommodated, "rate": rate(places, accommodated),
            "over_capacity": max(accommodated - places, 0),
            "places_change": None, "accommodated_change": None, "rate_change_points": None,
        }
        if previous is not None:
            p0, a0 = previous[f"{t.code}_places"], previous[f"{t.code}_accommodated"]
            row.update(places_change=places - p0, accommodated_change=accommodated - a0,
                       rate_change_points=_points(exact_rate(places, accommodated), exact_rate(p0, a0)))
        out.append(row)
    return out


def flags(figures: Mapping[str, int], contingency_plan: str, reported_on: date, *,
          threshold: float = DEFAULT_THRESHOLD, border_occupancy: int | None = None) -> list[Flag]:
    """What the report shows that an analyst must see, each with its legal basis."""
    out: list[Flag] = []
    new_law = params.directive_applies(reported_on)
    material = MATERIAL_CONDITIONS_BASIS[new_law]
    for t in FACILITY_TYPES:
        places, accommodated = figures[f"{t.code}_places"], figures[f"{t.code}_accommodated"]
        basis = facility_basis(t.code, reported_on)
        if accommodated > places:
            out.append(Flag("over_capacity", f"{t.label}: {accommodated:,} persons for {places:,} places "
                            f"({accommodated - places:,} above capacity)", basis, t.code))
        elif places and accommodated / places >= threshold:
            out.append(Flag("above_threshold", f"{t.label}: {percent(exact_rate(places, accommodated))} occupied "
                            f"(threshold {percent(threshold)})", basis, t.code))
    total = totals(figures)
    overall = exact_rate(total["places"], total["accommodated"])
    under_pressure = overall is not None and overall >= threshold
    if under_pressure:
        out.append(Flag("pressure", f"Overall occupancy {percent(overall)} is at or above the "
                        f"threshold of {percent(threshold)}", material))
    if border_occupancy is not None and figures["border_places"] < border_occupancy:
        out.append(Flag("border_short", f"{border_occupancy:,} applicants are in the border procedure on "
                        f"{reported_on.isoformat()} (procedures area) for {figures['border_places']:,} places "
                        "in border and transit facilities", BORDER_CAPACITY_BASIS[new_law], "border"))
    if figures["waiting_list"] > 0:
        out.append(Flag("waiting_list", f"{figures['waiting_list']:,} applicants entitled to material "
                        "reception conditions wait for a place", material))
    exhausted = [t for t in FACILITY_TYPES if t.code in HOUSING_TYPES
                 and figures[f"{t.code}_accommodated"] > figures[f"{t.code}_places"]]
    if new_law and exhausted and contingency_plan != "activated":
        where = ", ".join(t.label for t in exhausted)
        plan = "no contingency plan is in place" if contingency_plan == "none" else "the contingency plan is not activated"
        out.append(Flag("capacity_exhausted", f"Housing above its places ({where}): where the capacities normally "
                        "available are exhausted and different material reception conditions are provided, the "
                        "Commission and the Asylum Agency are told without delay of the contingency plan's "
                        f"activation; {plan}", CAPACITY_EXHAUSTED_BASIS))
    if params.contingency_plan_due(reported_on):
        if contingency_plan == "none":
            out.append(Flag("no_contingency_plan", "No contingency plan in place: each Member State "
                            "draws up a contingency plan for the reception of applicants", CONTINGENCY_BASIS))
        elif under_pressure and contingency_plan != "activated":
            out.append(Flag("plan_not_activated", "Under pressure with the contingency plan not activated",
                            CONTINGENCY_BASIS))
    return out


def assess(figures: Mapping[str, int], contingency_plan: str, reported_on: date, *,
           previous: Mapping[str, int] | None = None, threshold: float = DEFAULT_THRESHOLD,
           border_occupancy: int | None = None) -> dict[str, Any]:
    """Everything the pages say of one report: rows per type, totals, change since ``previous``
    (the state's report before it), flags and the law governing it."""
    total = totals(figures)
    change = None
    if previous is not None:
        before = totals(previous)
        change = {"places": total["places"] - before["places"],
                  "accommodated": total["accommodated"] - before["accommodated"],
                  "rate_points": _points(exact_rate(total["places"], total["accommodated"]),
                                         exact_rate(before["places"], before["accommodated"]))}
    found = flags(figures, contingency_plan, reported_on, threshold=threshold,
                  border_occupancy=border_occupancy)
    return {
        "facilities": facilities(figures, reported_on, previous),
        "not_accommodated": [{"type": name, "label": label, "persons": figures[name]}
                             for name, label in NOT_ACCOMMODATED],
        "total": total,
        "change": change,
        "contingency_plan": contingency_plan,
        "contingency_plan_label": CONTINGENCY_LABELS[contingency_plan],
        "border_procedure_occupancy": border_occupancy,
        "threshold": threshold,
        "under_pressure": any(f.code == "pressure" for f in found),
        "flags": [f.as_dict() for f in found],
        "governing_law": governing_instrument(reported_on),
        "detention_legal_basis": DETENTION_BASIS[params.directive_applies(reported_on)],
    }


def trend(points: Sequence[tuple[date, float | None]]) -> dict[str, Any] | None:
    """The overall rate's change from the latest report at least :data:`TREND_DAYS` older than the
    latest (``points`` oldest first, each with its exact rate: :func:`exact_rate`); ``None``
    without such a report or rates. Stable or not is told by the exact change, then rounded."""
    if not points:
        return None
    last_on, last_rate = points[-1]
    earlier = [p for p in points if p[0] <= last_on - timedelta(days=TREND_DAYS)]
    if not earlier or last_rate is None or earlier[-1][1] is None:
        return None
    since, before = earlier[-1]
    exact = _exact_points(last_rate, before)
    change = _points(last_rate, before)
    assert exact is not None and change is not None
    direction = "stable" if abs(exact) < STABLE_POINTS else ("rising" if exact > 0 else "falling")
    return {"since": since.isoformat(), "change_points": change, "direction": direction}


def overdue(last_reported_on: date | None, on: date, weeks: int = DEFAULT_OVERDUE_WEEKS) -> bool:
    """Whether a state whose latest report describes ``last_reported_on`` has not reported for
    more than ``weeks`` weeks on ``on`` (never reported: overdue)."""
    return last_reported_on is None or (on - last_reported_on).days > weeks * 7


def period_window(reported_on: date, period: str) -> tuple[date, date]:
    """The days a report's period covers: the 7 days ending on its date (weekly), or the calendar
    month up to its date (monthly)."""
    if period == "month":
        return reported_on.replace(day=1), reported_on
    return reported_on - timedelta(days=6), reported_on


#: Where the special reception needs a report shows beside its places for minors come from: point
#: (e) of the screening form (Regulation (EU) 2024/1356, Article 17(1)(e)), and the assessment of
#: special reception needs of the recast Directive (Article 25: as soon as possible after the
#: application, completed within 30 days). Before the Screening Regulation applies there is no
#: screening to read: Directive 2013/33/EU, Article 22, had the state assess the needs itself,
#: outside the platform.
SPECIAL_NEEDS_BASIS = "Regulation (EU) 2024/1356, Article 17(1)(e)"
SPECIAL_NEEDS_ASSESSMENT = {True: "Directive (EU) 2024/1346, Article 25", False: "Directive 2013/33/EU, Article 22"}


def special_needs_basis(on: date) -> str:
    """The citation of the screened persons with special reception needs of a report dated ``on``
    (when the screening applies): the screening form's point and the governing Directive's
    assessment of special reception needs."""
    return f"{SPECIAL_NEEDS_BASIS}; assessment: {SPECIAL_NEEDS_ASSESSMENT[params.directive_applies(on)]}"


def has_special_needs(vulnerability: str | None) -> bool:
    """Whether a screening's point (e) (vulnerability check, Regulation (EU) 2024/1356 Article
    17(1)(e)) records special reception needs: it is answered with anything but a statement that
    none were found ("none identified", "no special needs", "n/a", "not applicable", "nothing
    found", "none observed", ...: :mod:`pactum.common.nothing`, the statements of nothing the
    responsibility area reads too)."""
    return not nothing.is_blank(vulnerability) and not nothing.says_nothing(vulnerability, nothing.NO_NEEDS)


def history_spec(state: str, rows: Sequence[Mapping[str, Any]], threshold: float) -> dict[str, Any]:
    """Vega-Lite spec of a state's occupancy rates over time: the overall rate and each type's,
    in percent, with the threshold as a rule. Rows: ``{reported_on, overall_rate, facilities}``."""
    values: list[dict[str, Any]] = []
    for r in rows:
        if r["total"]["rate"] is not None:
            values.append({"date": r["reported_on"], "series": "Overall",
                           "rate": round(r["total"]["rate"] * 100, 1)})
        for f in r["facilities"]:
            if f["rate"] is not None:
                values.append({"date": r["reported_on"], "series": TYPES_BY_CODE[f["type"]].label,
                               "rate": round(f["rate"] * 100, 1)})
    x = {"field": "date", "type": "temporal", "title": "Report date"}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": f"{state}: occupancy rate by type of facility (threshold {percent(threshold)})",
        "description": f"Line chart of {state}'s reported occupancy rates over time, overall and by type "
                       "of facility; the table below gives the same figures.",
        "width": "container",
        "height": 240,
        "layer": [
            {"data": {"values": values}, "mark": {"type": "line", "point": True},
             "encoding": {"x": x,
                          "y": {"field": "rate", "type": "quantitative", "title": "Occupancy (%)"},
                          "color": {"field": "series", "type": "nominal", "title": None},
                          "tooltip": [{"field": "date", "type": "temporal"}, {"field": "series"},
                                      {"field": "rate", "title": "%"}]}},
            {"data": {"values": [{"threshold": round(threshold * 100, 1)}]},
             "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#c0392b"},
             "encoding": {"y": {"field": "threshold", "type": "quantitative"}}},
        ],
    }


def series_spec(scope: str, weeks: Sequence[Mapping[str, Any]], threshold: float) -> dict[str, Any]:
    """Vega-Lite spec of the occupancy by reporting week (rows of the overview's ``series``: week,
    week_ending, places, accommodated, rate): the rate in percent, with the threshold as a rule."""
    values = [{"week": w["week"], "date": w["week_ending"], "rate": round(w["accommodated"] / w["places"] * 100, 1),
               "places": w["places"], "accommodated": w["accommodated"]}
              for w in weeks if w["places"]]
    who = "EU" if scope == "EU" else scope
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": f"{who}: occupancy by reporting week (threshold {percent(threshold)})",
        "description": f"Line chart of the {who} occupancy rate at the end of each week, from each state's latest "
                       "report; the table below gives the same figures.",
        "width": "container",
        "height": 200,
        "layer": [
            {"data": {"values": values}, "mark": {"type": "line", "point": True},
             "encoding": {"x": {"field": "date", "type": "temporal", "title": "Week ending"},
                          "y": {"field": "rate", "type": "quantitative", "title": "Occupancy (%)"},
                          "tooltip": [{"field": "week"}, {"field": "rate", "title": "%"},
                                      {"field": "accommodated", "title": "persons", "format": ","},
                                      {"field": "places", "title": "places", "format": ","}]}},
            {"data": {"values": [{"threshold": round(threshold * 100, 1)}]},
             "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#c0392b"},
             "encoding": {"y": {"field": "threshold", "type": "quantitative"}}},
        ],
    }
