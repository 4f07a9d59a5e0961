"""The rules of the resettlement area, in the order of the Regulation, each with its legal basis.

- Art. 8: a Union Plan runs ``resettlement.union_plan_years`` years from 1 January of its first
  year, is adopted by a Council implementing act and splits its total into resettlement,
  humanitarian admission and emergency admission; pledges fill it and cannot exceed it.
- Art. 6 (unverified): a person who stayed or entered irregularly within the look-back period
  (``resettlement.exclusion.irregular_stay_lookback``) may be refused on that ground.
- Arts 9, 10 (unverified): the ordinary procedure lasts at most ``procedure.ordinary_max``, the
  expedited one ``procedure.expedited_max``; Pactum counts from the referral recorded with the
  case (the Regulation's starting point is not verified), with Reg. 1182/71 arithmetic.

Places are counted as a lawyer counts them: a person *admitted* (decision to admit) takes a
place of the category, from a line of the pledge for their country of first asylum if it has
room, else from the places pledged without a country. Arrivals are counted separately.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pactum.common.countries import country
from pactum.law import NotInForce, Param, add_period, param
from pactum.law.periods import length_words
from pactum.resettlement.model import CATEGORIES, CATEGORY_LABELS, PlanIn

Problems = list[tuple[str, str]]
CountryKey = str | None
#: (category, country of first asylum or None) -> persons or places
Counts = Mapping[tuple[str, CountryKey], int]

UNION_PLAN_BASIS = "Regulation (EU) 2024/1350, Article 8"


def plan_key(first_year: int, last_year: int) -> str:
    return f"{first_year}-{last_year}"


@dataclass(frozen=True)
class PlanFacts:
    key: str
    kind: str
    first_year: int
    last_year: int
    total_places: int
    split: Mapping[str, int | None]
    first_asylum_countries: tuple[str, ...] = ()
    status: str = "open"

    @property
    def starts_on(self) -> date:
        return date(self.first_year, 1, 1)

    @property
    def ends_on(self) -> date:
        return date(self.last_year, 12, 31)


def _n(n: int) -> str:
    return f"{n:,}"


def _label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category).lower()


def _where(first_asylum: CountryKey) -> str:
    return f"from {first_asylum}" if first_asylum else "without a country of first asylum"


# --- Art. 8: the plan ----------------------------------------------------------------------------


def union_plan_years(on: date) -> Param:
    return param("resettlement.union_plan_years", on=on)


def check_plan(data: PlanIn, today: date) -> Problems:
    """What is wrong with a plan as the Commission records it (Art. 8)."""
    problems: Problems = []
    if data.last_year < data.first_year:
        problems.append(("last_year", f"{data.last_year} is before the first year {data.first_year}"))
    if data.kind == "union_plan":
        start = date(data.first_year, 1, 1)
        try:
            applies: Param | None = param("resettlement.applies_from", on=start)
        except NotInForce:
            applies = None
        if applies is None or start <= applies.value:
            since = f" ({applies.value.isoformat()}; {applies.cite()})" if applies is not None else ""
            problems.append(("first_year", f"a Union Plan covers a period after the Regulation applies{since}: "
                                           "record an earlier plan as a pledging exercise"))
        else:
            years = union_plan_years(start)
            if data.last_year - data.first_year + 1 != years.value:
                problems.append(("last_year", f"a Union Plan runs {years.value} years ({years.cite()}): "
                                              f"{data.first_year}-{data.first_year + years.value - 1}"))
    elif data.council_act_reference or data.council_act_date:
        field_ = "council_act_reference" if data.council_act_reference else "council_act_date"
        problems.append((field_, "a pledging exercise has no Council implementing act (only a Union Plan, "
                                 f"{UNION_PLAN_BASIS})"))
    if data.kind == "union_plan":
        if data.council_act_reference and not data.council_act_date:
            problems.append(("council_act_date", "give the date of the Council implementing act"))
        if data.council_act_date and not data.council_act_reference:
            problems.append(("council_act_reference", "give the reference of the Council implementing act"))
    if data.council_act_date and data.council_act_date > today:
        problems.append(("council_act_date", f"{data.council_act_date.isoformat()} is after today "
                                             f"({today.isoformat()})"))
    split = {c: getattr(data, c) for c in CATEGORIES}
    given = {c: v for c, v in split.items() if v is not None}
    if sum(given.values()) > data.total_places:
        problems.append(("total_places", f"the categories add up to {_n(sum(given.values()))}, more than the "
                                         f"total of {_n(data.total_places)}"))
    elif len(given) == len(CATEGORIES) and sum(given.values()) != data.total_places:
        problems.append(("total_places", f"the three categories add up to {_n(sum(given.values()))}, not "
                                         f"the total of {_n(data.total_places)}"))
    return problems


# --- pledges ---------------------------------------------------------------------------------------


def lines_counts(lines: Iterable[Mapping[str, Any]]) -> Counter[tuple[str, CountryKey]]:
    out: Counter[tuple[str, CountryKey]] = Counter()
    for line in lines:
        out[(line["category"], line.get("first_asylum"))] += int(line["places"])
    return out


def by_category(counts: Counts) -> Counter[str]:
    out: Counter[str] = Counter()
    for (category, _), n in counts.items():
        out[category] += n
    return out


def room(pledged: Counts, admitted: Counts, category: str, first_asylum: str) -> int:
    """Places still free for one more person of ``category`` from ``first_asylum``: the line for
    that country, then the places pledged without a country that the other countries' persons
    beyond their own lines have not taken."""
    general = pledged.get((category, None), 0)
    overflow = 0
    for (cat, where), n in admitted.items():
        if cat != category or where == first_asylum or where is None:
            continue
        overflow += max(0, n - pledged.get((cat, where), 0))
    overflow += admitted.get((category, None), 0)
    free_general = max(0, general - overflow)
    own = pledged.get((category, first_asylum), 0)
    mine = admitted.get((category, first_asylum), 0)
    return max(0, own - mine) + max(0, free_general - max(0, mine - own))


def check_pledge(plan: PlanFacts, state: str, pledged: Counts, others: Counter[str], admitted: Counts) -> Problems:
    """A state's pledge under ``plan`` (replacing its previous one): countries the plan targets,
    room left in the plan by category and in total (the other states' pledges are ``others``),
    and places for every person the state has already admitted under the plan."""
    problems: Problems = []
    if plan.first_asylum_countries:
        for (_, where) in pledged:
            if where is not None and where not in plan.first_asylum_countries:
                problems.append(("lines", f"the plan {plan.key} targets {', '.join(plan.first_asylum_countries)}; "
                                          f"{where} is not one of them"))
    mine = by_category(pledged)
    for category in CATEGORIES:
        cap = plan.split.get(category)
        if cap is not None and others[category] + mine[category] > cap:
            problems.append(("lines", f"{_label(category)}: the plan {plan.key} has {_n(cap)} places, "
                                      f"{_n(others[category])} pledged by other states; {_n(mine[category])} "
                                      f"more would exceed it (at most {_n(max(0, cap - others[category]))})"))
    total_others = sum(others.values())
    if total_others + sum(mine.values()) > plan.total_places:
        problems.append(("lines", f"the plan {plan.key} has {_n(plan.total_places)} places, {_n(total_others)} "
                                  f"pledged by other states; {_n(sum(mine.values()))} more would exceed it "
                                  f"(at most {_n(max(0, plan.total_places - total_others))})"))
    for category in CATEGORIES:
        general = pledged.get((category, None), 0)
        overflow = sum(max(0, n - pledged.get((cat, where), 0)) if where is not None else n
                       for (cat, where), n in admitted.items() if cat == category)
        if overflow > general:
            taken = sum(n for (cat, _), n in admitted.items() if cat == category)
            problems.append(("lines", f"{_label(category)}: {state} has admitted {_n(taken)} persons under "
                                      f"{plan.key}; the pledge must keep a place for each of them"))
    return problems


# --- an admission -------------------------------------------------------------------------------


@dataclass
class CaseFacts:
    referred_on: date
    decision: str | None = None
    decided_on: date | None = None
    refusal_ground: str | None = None
    irregular_on: date | None = None
    refusal_reason: str | None = None
    arrived_on: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _after_today(problems: Problems, name: str, value: date | None, today: date) -> None:
    if value is not None and value > today:
        problems.append((name, f"{value.isoformat()} is after today ({today.isoformat()})"))


def lookback(on: date) -> Param:
    return param("resettlement.exclusion.irregular_stay_lookback", on=on)


def _years_before(on: date, years: int) -> date:
    """The same day ``years`` earlier (29 February: the 28th)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def check_case(case: CaseFacts, plan: PlanFacts, today: date) -> Problems:
    """The dates and the decision of one person's admission under ``plan``."""
    problems: Problems = []
    for name in ("referred_on", "decided_on", "arrived_on", "irregular_on"):
        _after_today(problems, name, getattr(case, name), today)
    if case.decision is None and case.decided_on is not None:
        problems.append(("decision", "say whether the person was admitted or refused"))
    if case.decision is not None and case.decided_on is None:
        problems.append(("decided_on", "give the date of the decision"))
    if case.decided_on is not None and case.decided_on < case.referred_on:
        problems.append(("decided_on", f"{case.decided_on.isoformat()} is before the referral "
                                       f"({case.referred_on.isoformat()})"))
    if case.decision == "refused":
        _check_refusal(problems, case)
    else:
        for name in ("refusal_ground", "irregular_on", "refusal_reason"):
            if getattr(case, name) is not None:
                problems.append((name, "only for a refusal"))
    if case.decision == "admitted" and case.decided_on is not None and not (
            plan.starts_on <= case.decided_on <= plan.ends_on):
        problems.append(("decided_on", f"the plan {plan.key} runs from {plan.starts_on.isoformat()} to "
                                       f"{plan.ends_on.isoformat()}: an admission decided on "
                                       f"{case.decided_on.isoformat()} takes no place of it"))
    if case.arrived_on is not None:
        if case.decision != "admitted":
            problems.append(("arrived_on", "only a person admitted arrives under the plan"))
        elif case.decided_on is not None and case.arrived_on < case.decided_on:
            problems.append(("arrived_on", f"{case.arrived_on.isoformat()} is before the decision to admit "
                                           f"({case.decided_on.isoformat()})"))
        # A person admitted under the plan (decided within its years) may arrive after its last
        # day: the arrival is counted under the plan that admitted them (and in UNHCR's year of
        # arrival); it takes no place, the admission took it.
    return problems


def check_referral(referred_on: date, plan: PlanFacts) -> Problems:
    """A person is referred under the plan running on the day: a referral before the plan's first
    day, or after its last, belongs to the plan (or the national programme) running then. Pactum's choice, so that the
    procedure's clock (Arts 9, 10) never runs before the plan does."""
    if not plan.starts_on <= referred_on <= plan.ends_on:
        return [("referred_on", f"the plan {plan.key} runs from {plan.starts_on.isoformat()} to "
                                f"{plan.ends_on.isoformat()}: a person referred on {referred_on.isoformat()} "
                                "is recorded under the plan running then")]
    return []


def _check_refusal(problems: Problems, case: CaseFacts) -> None:
    if case.refusal_ground is None:
        problems.append(("refusal_ground", "give the ground of the refusal"))
    elif case.refusal_ground == "irregular_stay_or_entry":
        if case.refusal_reason is not None:
            problems.append(("refusal_reason", "only for another ground"))
        if case.irregular_on is None:
            problems.append(("irregular_on", "give the date of the irregular stay or entry"))
        else:
            try:
                years = lookback(case.referred_on)
            except NotInForce:
                problems.append(("refusal_ground", f"no exclusion ground applies on {case.referred_on.isoformat()}, "
                                                   "before the Regulation applied"))
                return
            since = _years_before(case.referred_on, int(years.value))
            if case.irregular_on < since:
                problems.append(("irregular_on", f"{case.irregular_on.isoformat()} is more than {years.value} years "
                                                 f"before the referral ({case.referred_on.isoformat()}): the "
                                                 f"exclusion does not apply ({years.cite()}, unverified)"))
            elif case.irregular_on > case.referred_on:
                problems.append(("irregular_on", f"{case.irregular_on.isoformat()} is after the referral "
                                                 f"({case.referred_on.isoformat()})"))
    else:
        if case.irregular_on is not None:
            problems.append(("irregular_on", "only for the ground of irregular stay or entry"))
        if case.refusal_reason is None:
            problems.append(("refusal_reason", "state the ground of the refusal"))


# --- Arts 9, 10: the procedure's duration ----------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    status: str  # "in_time", "late", "running", "overdue", "no_limit"
    deadline: date | None
    limit: str | None  # "7 months"
    basis: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "deadline": self.deadline, "limit": self.limit, "basis": self.basis}


def procedure_clock(kind: str, procedure: str, referred_on: date, decided_on: date | None,
                    member_state: str, today: date) -> Clock:
    """The procedure's maximum duration, counted from the referral, and where the case stands:
    decided in time or late, running or overdue. A case under a pledging exercise (before the
    Regulation) or referred before the Regulation applied has no maximum."""
    if kind != "union_plan":
        return Clock("no_limit", None, None, None)
    try:
        limit = param(f"resettlement.procedure.{procedure}_max", on=referred_on)
    except NotInForce:
        return Clock("no_limit", None, None, None)
    deadline = add_period(referred_on, int(limit.value), str(limit.unit), member_state)
    assert isinstance(deadline, date)
    basis = f"{limit.cite()} (unverified)" if limit.unverified else limit.cite()
    words = length_words(limit.value, limit.unit)
    if decided_on is not None:
        return Clock("in_time" if decided_on <= deadline else "late", deadline, words, basis)
    return Clock("running" if today <= deadline else "overdue", deadline, words, basis)


# --- progress ------------------------------------------------------------------------------------


def _zero() -> dict[str, int]:
    return {"pledged": 0, "admitted": 0, "arrived": 0}


def progress(pledges: Mapping[str, Counts], admitted: Mapping[str, Counts], arrived: Mapping[str, Counts]
             ) -> dict[str, Any]:
    """Pledged vs admitted vs arrived, per category, per state and per country of first asylum
    (places pledged without a country are their own row). Every figure adds up: the states' rows
    sum to the categories', the countries' rows to the same totals."""
    states = sorted(set(pledges) | set(admitted) | set(arrived))
    cats = {c: _zero() for c in CATEGORIES}
    total = _zero()
    rows = []
    where: dict[CountryKey, dict[str, int]] = {}
    for ms in states:
        row: dict[str, Any] = {"member_state": ms, "by_category": {c: _zero() for c in CATEGORIES}, "total": _zero()}
        for what, source in (("pledged", pledges), ("admitted", admitted), ("arrived", arrived)):
            for (category, first_asylum), n in source.get(ms, {}).items():
                row["by_category"][category][what] += n
                row["total"][what] += n
                cats[category][what] += n
                total[what] += n
                where.setdefault(first_asylum, _zero())[what] += n
        rows.append(row)
    countries = [{"first_asylum": k, "name": country(k).name if k else "Not specified", **v}
                 for k, v in sorted(where.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))]
    return {"by_category": cats, "total": total, "by_state": rows, "by_first_asylum": countries}
