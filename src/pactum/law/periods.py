"""Periods, dates and time limits as Regulation (EEC, Euratom) No 1182/71 counts them.

Why hand-written: no library implements Reg. 1182/71. Public holidays come from the ``holidays``
package (national holidays of the Member State where the act is to be done, Art. 2(1)); regional
holidays are not applied (see docs/law.md).

The rules implemented (article numbers of Reg. 1182/71):

- Art. 3(1): a period in hours does not count the hour in which the event occurs; a period in
  days, weeks, months or years does not count the day of the event.
- Art. 3(2)(a), (b): periods in hours and days start at the beginning of the first hour/day and end
  with the expiry of the last one.
- Art. 3(2)(c): periods in weeks, months or years end with the expiry of the day in the last week,
  month or year that is the same weekday, or the same date, as the day of the event; if that date
  does not exist in the last month, with the expiry of the last day of that month.
- Art. 2(2), 3(3): periods include Saturdays, Sundays and public holidays unless expressed in
  working days (working days are all days other than public holidays, Sundays and Saturdays).
- Art. 3(4): a period expressed otherwise than in hours whose last day is a public holiday, Sunday
  or Saturday ends with the expiry of the following working day; not for periods calculated
  backwards (retroactively) from a date or event.
- Art. 3(5): any period of two days or more includes at least two working days.

Art. 3(4) and 3(5) give whoever must act a working day. A maximum that runs out by itself (a
storage period, the length of the screening or of a border procedure, an entry ban) is not a time
for anyone to act: ``compute_period(..., extend=False)`` leaves its last day where it falls (the
reading that protects the person; see docs/law.md).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

import holidays

from pactum.common.errors import ValidationProblem
from pactum.law.refs import LegalRef

Unit = Literal["hours", "days", "working_days", "weeks", "months", "years"]
UNITS: tuple[str, ...] = ("hours", "days", "working_days", "weeks", "months", "years")

REG = "Reg. 1182/71"

#: States whose public holidays Pactum knows: the EU Member States (EU codes, EL for Greece) and
#: the Schengen/Dublin associated states.
STATE_CODES: tuple[str, ...] = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "CH", "IS", "LI", "NO",
)
_HOLIDAY_CODE = {"EL": "GR"}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def normalise_state(code: str) -> str:
    """``"gr"`` -> ``"EL"``; raises ``ValueError`` for a code that is not a Member State or an
    associated state."""
    c = (code or "").strip().upper()
    if c == "GR":
        c = "EL"
    if c not in STATE_CODES:
        raise ValueError(f"{code!r} is not a Member State code (EU codes such as DE, FR, EL)")
    return c


@lru_cache(maxsize=4096)
def _holidays_of(state: str, year: int) -> dict[date, str]:
    """National public holidays of ``state`` in ``year`` as a plain dict (a ``HolidayBase`` lookup
    costs far more than a dict lookup, and long periods look up hundreds of days)."""
    cal = holidays.country_holidays(_HOLIDAY_CODE.get(state, state), years=year)
    return {d: str(name) for d, name in cal.items() if d.year == year}


def holiday_name(day: date, member_state: str) -> str | None:
    """The national public holiday of ``member_state`` on ``day``, or ``None``."""
    return _holidays_of(normalise_state(member_state), day.year).get(day)


def is_working_day(day: date, member_state: str) -> bool:
    """Art. 2(2): every day other than a public holiday, a Sunday or a Saturday."""
    return day.weekday() < 5 and holiday_name(day, member_state) is None


def why_not_working(day: date, member_state: str) -> str:
    """Human words for a non-working day: "a Saturday", "a public holiday in DE (Christmas Day)"."""
    parts = []
    if day.weekday() >= 5:
        parts.append(f"a {_WEEKDAYS[day.weekday()]}")
    name = holiday_name(day, member_state)
    if name:
        parts.append(f"a public holiday in {normalise_state(member_state)} ({name})")
    return " and ".join(parts)


def next_working_day(day: date, member_state: str) -> date:
    d = day + timedelta(days=1)
    while not is_working_day(d, member_state):
        d += timedelta(days=1)
    return d


def working_days_between(first: date, last: date, member_state: str) -> int:
    """Number of working days in ``[first, last]`` (both included)."""
    n, d = 0, first
    while d <= last:
        if is_working_day(d, member_state):
            n += 1
        d += timedelta(days=1)
    return n


def _working_days_up_to(first: date, last: date, member_state: str, enough: int) -> int:
    """Working days in ``[first, last]``, counting no further than ``enough``."""
    n, d = 0, first
    while d <= last and n < enough:
        if is_working_day(d, member_state):
            n += 1
        d += timedelta(days=1)
    return n


def _shift_months(day: date, months: int) -> tuple[date, bool]:
    """Same date ``months`` later (or earlier); clamped to the last day of a shorter month.
    Returns the date and whether it was clamped; raises ``OverflowError`` (as ``date`` arithmetic
    with ``timedelta`` does) when that month lies outside the years 1 to 9999."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not MINYEAR <= year <= MAXYEAR:
        raise OverflowError(f"year {year} is out of range")
    last = calendar.monthrange(year, month)[1]
    if day.day > last:
        return date(year, month, last), True
    return date(year, month, day.day), False


def nominal_end(event_day: date, amount: int, unit: str, member_state: str = "DE") -> date:
    """The last day of a forward period by Art. 3(1)-(3) alone, before the Art. 3(4) and 3(5)
    extensions (``member_state`` matters only for working days)."""
    if unit == "days":
        return event_day + timedelta(days=amount)
    if unit == "weeks":
        return event_day + timedelta(weeks=amount)
    if unit in ("months", "years"):
        return _shift_months(event_day, amount if unit == "months" else amount * 12)[0]
    if unit == "working_days":
        end, counted = event_day, 0
        while counted < amount:
            end += timedelta(days=1)
            if is_working_day(end, member_state):
                counted += 1
        return end
    raise ValueError(f"nominal_end: unit {unit!r} is not a unit of days")


def _fmt(d: date | datetime) -> str:
    if isinstance(d, datetime):
        return d.isoformat(timespec="minutes")
    return d.isoformat()


def _day(d: date) -> str:
    return f"{_WEEKDAYS[d.weekday()]} {d.isoformat()}"


@dataclass
class Period:
    """A period computed under Reg. 1182/71, with every step in words."""

    event: date | datetime
    amount: int
    unit: str
    member_state: str
    backwards: bool
    starts_at: date | datetime
    end: date | datetime
    steps: list[str] = field(default_factory=list)
    legal_basis: list[LegalRef] = field(default_factory=list)

    @property
    def in_hours(self) -> bool:
        return self.unit == "hours"

    def _cite(self, article: str, paragraph: str | None = None, point: str | None = None) -> None:
        ref = LegalRef.of("periods", article, paragraph, point)
        if ref not in self.legal_basis:
            self.legal_basis.append(ref)


def compute_period(start: date | datetime, amount: int, unit: str, member_state: str,
                   backwards: bool = False, extend: bool = True) -> Period:
    """Compute the period of ``amount`` ``unit`` running from the event at ``start``.

    Forward periods return their last day (``end``; a ``datetime`` for periods in hours: the
    moment the period expires). Backward periods (``backwards=True``) return the earliest day the
    period reaches back to: the period covers ``end`` up to the day before the event.

    ``extend=False``: the period is a maximum that runs out by itself, not a time for someone to
    act: a storage period after which personal data are erased, or a ceiling on a restriction of
    liberty or on a prohibition (the screening, the border procedures, an entry ban). Its last day
    is not moved to a working day (Art. 3(4) and 3(5) give whoever must act a working day; moving
    the end of a ceiling would prolong the restriction beyond what the law allows), and the
    computation says so.
    """
    problems: list[tuple[str, str]] = []
    if unit not in UNITS:
        problems.append(("unit", f"unknown unit {unit!r}; one of {', '.join(UNITS)}"))
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        problems.append(("amount", "must be a whole number of at least 1"))
    try:
        state = normalise_state(member_state)
    except ValueError as exc:
        problems.append(("member_state", str(exc)))
        state = ""
    if unit == "hours" and not isinstance(start, datetime):
        problems.append(("start", "a period in hours runs from a moment: give a date and a time"))
    if not isinstance(start, date):
        problems.append(("start", "must be a date or a date and time"))
    if problems:
        raise ValidationProblem(problems)

    try:
        if unit == "hours":
            assert isinstance(start, datetime)
            return _hours(start, amount, state, backwards)
        event_day = start.date() if isinstance(start, datetime) else start
        p = Period(event=start, amount=amount, unit=unit, member_state=state, backwards=backwards,
                   starts_at=event_day, end=event_day)
        if backwards:
            return _backwards_days(p, event_day)
        return _forward_days(p, event_day, extend)
    except OverflowError:
        length = length_words(amount, unit)
        raise ValidationProblem.one("start", f"a period of {length} from {start.isoformat()} runs "
                                             f"outside the years 1 to 9999 the calendar holds") from None


def length_words(amount: Any, unit: str | None) -> str:
    """A period's length in words: "1 month", "2 months", "1 working day" (a value without a unit
    as it is)."""
    if unit is None:
        return str(amount)
    words = unit.replace("_", " ")
    return f"{amount} {words[:-1] if amount == 1 and words.endswith('s') else words}"


def _verb(amount: int, verb: str) -> str:
    """The verb agreeing with the length: "1 month ends", "2 months end"."""
    if amount != 1:
        return verb
    return f"{verb}es" if verb.endswith(("s", "sh", "ch")) else f"{verb}s"


def add_period(start: date | datetime, amount: int, unit: str, member_state: str,
               backwards: bool = False, extend: bool = True) -> date | datetime:
    """Reg. 1182/71 arithmetic: the last day of the period (a ``datetime`` for hours).

    ``add_period(date(2026, 1, 31), 1, "months", "IT")`` -> ``date(2026, 2, 28)`` (Saturday ->
    Monday 2 March 2026 after Art. 3(4)). ``extend=False`` for a maximum that runs out by itself
    (an entry ban of the length imposed, a storage period): its last day is not moved to a working
    day (see ``compute_period``).
    """
    return compute_period(start, amount, unit, member_state, backwards, extend=extend).end


def _hours(start: datetime, amount: int, state: str, backwards: bool) -> Period:
    hour = start.replace(minute=0, second=0, microsecond=0)
    if backwards:
        p = Period(event=start, amount=amount, unit="hours", member_state=state, backwards=True,
                   starts_at=hour, end=hour - timedelta(hours=amount))
        p.steps.append(f"Event at {_fmt(start)}: the hour in which it occurs is not counted; counted "
                       f"backwards, the period of {amount} hours reaches back to {_fmt(p.end)} "
                       f"(Art. 3(1) and 3(2)(a) {REG})")
        p._cite("3", "1")
        p._cite("3", "2", "a")
        return p
    first = hour + timedelta(hours=1)
    end = first + timedelta(hours=amount)
    p = Period(event=start, amount=amount, unit="hours", member_state=state, backwards=False,
               starts_at=first, end=end)
    p.steps.append(f"Event at {_fmt(start)}: the hour in which it occurs is not counted; the period "
                   f"starts at {_fmt(first)} (Art. 3(1) {REG})")
    p.steps.append(f"{amount} hours from {_fmt(first)} expire at {_fmt(end)} (Art. 3(2)(a) {REG})")
    p.steps.append(f"A period in hours is not extended for Saturdays, Sundays or public holidays "
                   f"(Art. 3(4) {REG} applies only to periods expressed otherwise than in hours)")
    p._cite("3", "1")
    p._cite("3", "2", "a")
    return p


def _forward_days(p: Period, event_day: date, extend: bool = True) -> Period:
    state, amount, unit = p.member_state, p.amount, p.unit
    first = event_day + timedelta(days=1)
    p.starts_at = first
    p.steps.append(f"The day of the event ({event_day.isoformat()}) is not counted; the period "
                   f"starts on {first.isoformat()} (Art. 3(1) {REG})")
    p._cite("3", "1")
    if unit == "days":
        end = event_day + timedelta(days=amount)
        p.steps.append(f"{length_words(amount, unit)} from {first.isoformat()} {_verb(amount, 'end')} on {_day(end)} "
                       f"(Art. 3(2)(b) {REG}; Saturdays, Sundays and public holidays count, Art. 3(3))")
        p._cite("3", "2", "b")
        p._cite("3", "3")
    elif unit == "weeks":
        end = event_day + timedelta(weeks=amount)
        p.steps.append(f"{length_words(amount, unit)} {_verb(amount, 'end')} on the same weekday as the event: {_day(end)} "
                       f"(Art. 3(2)(c) {REG})")
        p._cite("3", "2", "c")
    elif unit in ("months", "years"):
        months = amount if unit == "months" else amount * 12
        end, clamped = _shift_months(event_day, months)
        if clamped:
            p.steps.append(f"{length_words(amount, unit)} from {event_day.isoformat()}: that date does not exist in "
                           f"{end.strftime('%B %Y')}, so the period ends on the last day of the month, "
                           f"{_day(end)} (Art. 3(2)(c) {REG})")
        else:
            p.steps.append(f"{length_words(amount, unit)} {_verb(amount, 'end')} on the same date as the event: {_day(end)} "
                           f"(Art. 3(2)(c) {REG})")
        p._cite("3", "2", "c")
    else:  # working_days
        end, skipped = event_day, []
        counted = 0
        while counted < amount:
            end += timedelta(days=1)
            if is_working_day(end, state):
                counted += 1
            else:
                name = holiday_name(end, state)
                if name:
                    skipped.append(f"{end.isoformat()} ({name})")
        text = (f"{length_words(amount, unit)} in {state} (Saturdays, Sundays and public holidays not "
                f"counted, Art. 2(2) and 3(3) {REG}) {_verb(amount, 'end')} on {_day(end)}")
        if skipped:
            text += "; public holidays skipped: " + ", ".join(skipped)
        p.steps.append(text)
        p._cite("2", "2")
        p._cite("3", "3")
    # the length of the period as expressed (a period of 1 working day is not "two days or more")
    nominal_days = amount if unit == "working_days" else (end - event_day).days
    if not extend:
        p.steps.append(_not_extended_step(first, end, state, nominal_days))
        p.end = end
        return p
    # Art. 3(4): last day not a working day -> end of the following working day.
    if not is_working_day(end, state):
        new_end = next_working_day(end, state)
        reasons = []
        d = end
        while d < new_end:
            reasons.append(f"{d.isoformat()} is {why_not_working(d, state)}")
            d += timedelta(days=1)
        p.steps.append("; ".join(reasons) + f": extended to {_day(new_end)} (Art. 3(4) {REG})")
        p._cite("3", "4")
        end = new_end
    # Art. 3(5): a period of two days or more includes at least two working days.
    if nominal_days >= 2:
        count = _working_days_up_to(first, end, state, 2)
        if count < 2:
            new_end = end
            while working_days_between(first, new_end, state) < 2:
                new_end = next_working_day(new_end, state)
            p.steps.append(f"The period {first.isoformat()} to {end.isoformat()} contains only {count} "
                           f"working day{'s' if count != 1 else ''} in {state}: extended to "
                           f"{_day(new_end)} so that it contains two (Art. 3(5) {REG})")
            p._cite("3", "5")
            end = new_end
    p.end = end
    return p


NOT_EXTENDED = "not extended to a working day: a maximum that runs out by itself"


def _not_extended_step(first: date, end: date, state: str, nominal_days: int) -> str:
    """The step of a maximum that runs out by itself: what Art. 3(4) or 3(5) would have done to a
    time to act, and that it is not done here."""
    reasons = []
    if not is_working_day(end, state):
        reasons.append(f"{end.isoformat()} is {why_not_working(end, state)}")
    if nominal_days >= 2:
        count = _working_days_up_to(first, end, state, 2)
        if count < 2:
            reasons.append(f"the period {first.isoformat()} to {end.isoformat()} contains only {count} "
                           f"working day{'s' if count != 1 else ''} in {state}")
    text = ("; ".join(reasons) + ": " if reasons else "") + NOT_EXTENDED
    text = text[0].upper() + text[1:]
    return (f"{text}, not a time for anyone to act (Art. 3(4) and 3(5) {REG} give a working day to "
            f"whoever must act): it ends on {_day(end)}")


def _backwards_days(p: Period, event_day: date) -> Period:
    amount, unit = p.amount, p.unit
    p.starts_at = event_day
    if unit == "days":
        end = event_day - timedelta(days=amount)
    elif unit == "weeks":
        end = event_day - timedelta(weeks=amount)
    elif unit in ("months", "years"):
        end, _ = _shift_months(event_day, -(amount if unit == "months" else amount * 12))
    else:
        end = event_day
        counted = 0
        while counted < amount:
            end -= timedelta(days=1)
            if is_working_day(end, p.member_state):
                counted += 1
    p.steps.append(f"Counted backwards from {event_day.isoformat()} (that day not counted, Art. 3(1) "
                   f"{REG}): {length_words(amount, unit)} {_verb(amount, 'reach')} back to {_day(end)}")
    p.steps.append(f"A period counted backwards is not extended for Saturdays, Sundays or public "
                   f"holidays (Art. 3(4) second subparagraph {REG})")
    p._cite("3", "1")
    p._cite("3", "4")
    p.end = end
    return p
