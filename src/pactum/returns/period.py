"""The period for voluntary departure around a suspension of the return decision.

Directive 2008/115/EC (read in its Italian version, EUR-Lex HTML republished in the GitHub
repository d5p2rnkdz9-hub/SOSPATTO, ``public/patto-interattivo/ext-dir-2008-115.html``):

- Art 7(1): the return decision provides for an appropriate period for voluntary departure;
- Art 8(2): where a period was granted, the decision may be enforced only after it has expired;
- Art 13(2): the authority reviewing a return-related decision may temporarily suspend its
  enforcement; Art 9(1)(b): removal is postponed for as long as that suspension lasts.

Court of Justice (Grand Chamber), 19 June 2018, *Gnandi*, C-181/16, ECLI:EU:C:2018:465: a return
decision adopted with or after the rejection of an application for international protection is
compatible with the Directive provided that all its legal effects are suspended pending the appeal;
in particular the period for voluntary departure of Art 7 does not start to run as long as the
person concerned is allowed to remain (the asylum appeal's suspensions: Regulation (EU) 2024/1348
Art 68(1), (2), (4), (5); before the Pact Directive 2013/32/EU Art 46(5)).

Our reading (the Directive does not say it in words; the judgment speaks of a period that has not
started): a period does not run while the decision is suspended, whatever suspends it (the
officer's suspension on an appeal against the return decision, Art 13(2); the asylum appeal; a
suspensive appeal against an amended decision on the destination). The days of the period left on
the day a suspension began (that day included, the days of the period as the decision set it, or as
an earlier suspension moved it) run again from the day after it is lifted (the day of the event not
counted, Reg. (EEC, Euratom) No 1182/71 Art 3(1), second subparagraph), and the last of them, a
Saturday, Sunday or public holiday, moves to the next working day (Art 3(4)). While the suspension
lasts the period has no last day. A suspension that began after the period ended gives no period
back: the obligation to return was not complied with within it (Art 11(1)(b)); enforcement and the
entry ban wait for the lifting (Art 9(1)(b)), no more.

The time to appeal against the negative asylum decision while no appeal is yet lodged (the removal
bar ``appeal_time``): Regulation (EU) 2024/1348 Art 68(1) ("Gli effetti della decisione di rimpatrio
sono sospesi automaticamente fintantoché il richiedente [...] ha[nno] diritto di rimanere") and 68(2)
(the right to remain "fino alla scadenza del termine entro il quale possono esercitare il loro
diritto a un ricorso effettivo dinanzi al giudice di primo grado e, se esercitano tale diritto entro
il termine stabilito, nelle more dell'esito del ricorso"); before the Pact Directive 2013/32/EU Art
46(5). The return decision's effects are suspended during that time as during the appeal, so the
period does not run then either (*Gnandi*): Pactum's reading counts it as a suspension from the day
of the notification (the decision's day) to the last day to appeal, both included, cut short by the
appeal's own suspension where one is lodged within it (the right to remain then lasts "nelle more
dell'esito del ricorso", which that suspension already covers).

Suspensions that overlap or follow each other without a day between (one lifted on 20 October and
the next begun on 20 or 21 October; the time to appeal and the appeal's suspension; one within
another) are one stop of the period (:func:`merged_stops`): the period does not run from the first
day of the first to the day the last is lifted, and no day is counted twice. Read one at a time, the
day of a lifting followed by a suspension on the same day was counted in both (a day of the period
given back twice), and a last day moved to a working day between two suspensions carried the days
of the weekend into the next. Before this release only the time to appeal was merged so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pactum.law import LegalRef, add_period

ART_7_1 = LegalRef.of("return_directive", "7", "1")
PERIODS_3_1 = LegalRef.of("periods", "3", "1")
PERIODS_3_4 = LegalRef.of("periods", "3", "4")
#: The judgment that the period does not run while the person may remain pending the appeal.
GNANDI = "Court of Justice, 19 June 2018, Gnandi, C-181/16, ECLI:EU:C:2018:465"


def legal_basis(suspension_basis: str | None = None) -> list[str]:
    """The provisions the moved period rests on, in the order the page cites them; with the article
    by which the decision is suspended now (``suspension_basis``: Art 13(2) for the officer's
    suspension, the asylum procedure's for the asylum appeal's)."""
    return [ART_7_1.cite(), GNANDI, *([suspension_basis] if suspension_basis else []), PERIODS_3_1.cite(),
            PERIODS_3_4.cite()]


@dataclass(frozen=True)
class Suspension:
    """One suspension of the decision: the day it began and the day it was lifted (``None``: it
    lasts); ``asylum_appeal``: begun by the appeal against the negative asylum decision the return
    decision was issued with (it ends the time to appeal, :class:`AppealTime`)."""

    began_on: date
    lifted_on: date | None = None
    asylum_appeal: bool = False


@dataclass(frozen=True)
class AppealTime:
    """The time to appeal against the negative asylum decision during which the applicant may remain
    and the return decision's effects are suspended (Regulation (EU) 2024/1348 Art 68(1), (2); before
    the Pact Directive 2013/32/EU Art 46(5): ``basis``): from ``from_day`` (the notification, the
    decision's day) to ``until`` (the last day to lodge the appeal), both included. ``appeal_lodged_on``:
    the day the appeal's suspension began, where it began within that time (set by :func:`period_run`)."""

    from_day: date
    until: date
    basis: str
    appeal_lodged_on: date | None = None

    @property
    def ends_on(self) -> date:
        """The last day of the time to appeal as it counts for the period: the appeal's suspension
        takes over from the day it is lodged."""
        return self.appeal_lodged_on or self.until

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.from_day.isoformat(), "until": self.until.isoformat(),
                "appeal_lodged_on": self.appeal_lodged_on.isoformat() if self.appeal_lodged_on else None,
                "basis": self.basis}

    def words(self) -> str:
        lodged = (f", until an appeal was lodged on {self.appeal_lodged_on.isoformat()}"
                  if self.appeal_lodged_on else "")
        return (f"the time to appeal against the negative asylum decision from {self.from_day.isoformat()} to "
                f"{self.until.isoformat()}{lodged}, during which the applicant may remain and the effects of "
                f"the return decision are suspended ({self.basis})")


@dataclass(frozen=True)
class Stop:
    """Days on which the period does not run: from ``began_on`` to ``lifted_on``, both included
    (``None``: it lasts), made of the suspensions (``suspensions``) and the time to appeal
    (``appeal_time``) that overlap or follow each other without a day between."""

    began_on: date
    lifted_on: date | None
    appeal_time: AppealTime | None = None
    suspensions: tuple[Suspension, ...] = ()

    @property
    def parts(self) -> int:
        """How many suspensions and times to appeal the stop is made of."""
        return len(self.suspensions) + (self.appeal_time is not None)


def _joins(held: date | None, began_on: date) -> bool:
    """A stop that begins on ``began_on`` joins one that holds until ``held`` (``None``: it lasts):
    it begins within it or on the day after it was lifted (the days between are none)."""
    return held is None or began_on <= held + timedelta(days=1)


def merged_stops(stops: list[Stop]) -> list[Stop]:
    """``stops`` in the order they began, those that overlap (one begins on or before the day
    another is lifted, or within one that lasts), nest (one within another) or are adjacent (one
    begins the day after another is lifted) merged into one, from the first day to the last
    lifting (``None`` if one of them lasts); disjoint stops (at least one day between) stay apart.
    A merged stop keeps its suspensions in the order they began and the time to appeal it includes."""
    out: list[Stop] = []
    for stop in sorted(stops, key=lambda t: (t.began_on, t.lifted_on is None, t.lifted_on or t.began_on)):
        if out and _joins(out[-1].lifted_on, stop.began_on):
            last = out[-1]
            lifted = (None if last.lifted_on is None or stop.lifted_on is None
                      else max(last.lifted_on, stop.lifted_on))
            out[-1] = Stop(last.began_on, lifted, last.appeal_time or stop.appeal_time,
                           tuple(sorted((*last.suspensions, *stop.suspensions), key=lambda x: x.began_on)))
        else:
            out.append(stop)
    return out


@dataclass(frozen=True)
class PeriodRun:
    """The period for voluntary departure as the suspensions recorded leave it.

    ``set_last_day``: the last day the decision (or its amended decision) set; ``ends_on``: its
    last day after the suspensions (``None`` while a suspension that began within the period
    lasts: the period does not run); ``days_left``: the days of the period left while it is
    paused; ``steps``: the computation in words, one a suspension."""

    set_last_day: date
    ends_on: date | None
    days_left: int | None = None
    paused_since: date | None = None
    steps: list[str] = field(default_factory=list)
    #: the time to appeal that moved the period (``None``: none did)
    appeal_time: AppealTime | None = None

    @property
    def moved(self) -> bool:
        return self.ends_on != self.set_last_day

    @property
    def paused(self) -> bool:
        return self.ends_on is None

    def ended_before(self, on: date) -> bool:
        """The period ended before ``on`` (its last day included in the period)."""
        return self.ends_on is not None and self.ends_on < on

    def runs_on(self, on: date) -> bool:
        """The period has not ended on ``on``: it runs, or it is paused by a suspension."""
        return not self.ended_before(on)

    def to_dict(self, suspension_basis: str | None = None) -> dict[str, Any]:
        """The period as the API gives it; ``suspension_basis``: the article by which the decision is
        suspended now, cited while the period is paused."""
        basis = suspension_basis if self.paused else None
        return {
            "set_last_day": self.set_last_day.isoformat(),
            "ends_on": self.ends_on.isoformat() if self.ends_on else None,
            "moved": self.moved,
            "paused": self.paused,
            "paused_since": self.paused_since.isoformat() if self.paused_since else None,
            "days_left": self.days_left,
            "steps": list(self.steps),
            "suspension_basis": basis,
            "legal_basis": self.legal_basis(basis),
            "label": self.label(basis),
            # added: the time to appeal that moved the period, and why it moved in words
            "appeal_time": self.appeal_time.to_dict() if self.appeal_time else None,
            "why_moved": self.why_moved(),
        }

    def legal_basis(self, suspension_basis: str | None = None) -> list[str]:
        if not (self.moved or self.steps):
            return [ART_7_1.cite()]
        out = legal_basis(suspension_basis)
        if self.appeal_time is not None and self.appeal_time.basis not in out:
            out.insert(2, self.appeal_time.basis)
        return out

    def why_moved(self) -> str:
        """Why the period's last day moved, in words (empty where it did not)."""
        if self.appeal_time is None:
            return "the period did not run while the decision was suspended" if self.steps else ""
        suspended = any(step.startswith("suspended") or "; suspended on" in step for step in self.steps)
        return ("the period did not run during the time to appeal against the negative asylum decision "
                f"(until {self.appeal_time.ends_on.isoformat()}, {self.appeal_time.basis})"
                + (" nor while the decision was suspended" if suspended else ""))

    def label(self, suspension_basis: str | None = None) -> str:
        if self.paused:
            assert self.paused_since is not None
            cited = f"{GNANDI}; {suspension_basis}" if suspension_basis else GNANDI
            return (f"not running while the decision is suspended (since {self.paused_since.isoformat()}): "
                    f"{_days(self.days_left or 0)} of the period left, which run from the day after the "
                    f"suspension is lifted ({cited})")
        assert self.ends_on is not None
        if self.moved:
            return (f"last day {self.ends_on.isoformat()}, moved from {self.set_last_day.isoformat()}: "
                    f"{self.why_moved()} ({GNANDI})")
        return f"last day {self.ends_on.isoformat()}"


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _working_day_end(lifted_on: date, days: int, member_state: str) -> date:
    result = add_period(lifted_on, amount=days, unit="days", member_state=member_state)
    return result.date() if isinstance(result, datetime) else result


def period_run(*, starts_on: date, last_day: date | None, suspensions: list[Suspension],
               member_state: str, appeal_time: AppealTime | None = None) -> PeriodRun | None:
    """The period for voluntary departure that runs from the day after ``starts_on`` (the decision's
    day, or its amended decision's that set the period) to ``last_day``, moved by ``suspensions``
    (read in the order they began) and by ``appeal_time``, the time to appeal against the negative
    asylum decision during which the applicant may remain (:class:`AppealTime`). ``None`` where no
    period was granted (Art 7(4)): nothing to move.

    A suspension that began on or before the period's last day as it then stood stops it: the days
    left (from the day the suspension began, or the period's first day if it began earlier, to that
    last day, both included) run again from the day after the lifting, the last moved to a working
    day (Reg. 1182/71 Art 3(1), 3(4)). One still lasting leaves the period without a last day. One
    that began after the last day, or ended before the period started, changes nothing. The time to
    appeal counts as a suspension from its first day to its last (or to the day the appeal's own
    suspension began within it, which then goes on from it: one stop, not two). Suspensions and the
    time to appeal that overlap, nest or follow each other without a day between are one stop
    (:func:`merged_stops`): no day of the period is counted twice."""
    if last_day is None:
        return None
    first_day = starts_on + timedelta(days=1)
    end = last_day
    steps: list[str] = []
    stops = [Stop(s.began_on, s.lifted_on, None, (s,)) for s in suspensions]
    if appeal_time is not None and appeal_time.until >= appeal_time.from_day:
        lodged = min((s.began_on for s in suspensions if s.asylum_appeal
                      and appeal_time.from_day <= s.began_on <= appeal_time.until), default=None)
        applied = AppealTime(appeal_time.from_day, appeal_time.until, appeal_time.basis, lodged)
        stops.append(Stop(applied.from_day, applied.ends_on, applied))
    used: AppealTime | None = None
    for stop in merged_stops(stops):
        began_on, lifted_on, at, parts = stop.began_on, stop.lifted_on, stop.appeal_time, stop.suspensions
        if lifted_on is not None and lifted_on < first_day:
            continue  # lifted before the period's first day (an amended decision set it afresh)
        if at is not None:
            used = at
        what = _stop_words(stop)
        if began_on > end:
            steps.append(f"{what}, after the period ended on {end.isoformat()}: "
                         "the period is not given back (the obligation to return was not complied with within it)")
            continue
        from_day = max(began_on, first_day)
        left = (end - from_day).days + 1
        if lifted_on is None:
            steps.append(f"{what} with {_days(left)} of the period left "
                         f"({from_day.isoformat()} to {end.isoformat()}): the period does not run while the "
                         "suspension lasts")
            lasting = max((s.began_on for s in parts), default=began_on)
            return PeriodRun(set_last_day=last_day, ends_on=None, days_left=left, paused_since=lasting,
                             steps=steps, appeal_time=used)
        new_end = _working_day_end(lifted_on, left, member_state)
        if at is None and len(parts) == 1:
            steps.append(f"{what} with {_days(left)} of the period left "
                         f"({from_day.isoformat()} to {end.isoformat()}), lifted on {lifted_on.isoformat()}: they run "
                         f"from {(lifted_on + timedelta(days=1)).isoformat()}, last day {new_end.isoformat()}")
        else:
            steps.append(f"{what}: the period did not run until {lifted_on.isoformat()}, with {_days(left)} of it "
                         f"left ({from_day.isoformat()} to {end.isoformat()}): they run from "
                         f"{(lifted_on + timedelta(days=1)).isoformat()}, last day {new_end.isoformat()}")
        end = new_end
    return PeriodRun(set_last_day=last_day, ends_on=end, steps=steps, appeal_time=used)


def _stop_words(stop: Stop) -> str:
    """The stop in words: a suspension alone as before ("suspended on …"); the time to appeal and the
    suspensions it includes one after the other; two or more suspensions that overlap or follow each
    other, each with its days, and that they were read as one (no day counted twice)."""
    parts = [f"suspended on {s.began_on.isoformat()}" + (f", lifted on {s.lifted_on.isoformat()}" if s.lifted_on else "")
             for s in stop.suspensions]
    if stop.appeal_time is not None:
        return "; ".join([stop.appeal_time.words(), *parts])
    if len(parts) == 1:
        return f"suspended on {stop.began_on.isoformat()}"
    until = (f"to {stop.lifted_on.isoformat()}" if stop.lifted_on is not None else "that lasts")
    return ("; ".join(parts) + f": suspensions that overlap or follow each other without a day between, read as "
            f"one suspension from {stop.began_on.isoformat()} {until} (no day is counted twice)")


def suspensions_from(events: list[tuple[str, date]]) -> list[Suspension]:
    """The suspensions a decision's recorded changes make, in their order: ``("suspend", day)``
    begins one, ``("lift_suspension", day)`` ends the one that lasts; any other change (a
    withdrawal) ends nothing here. A lifting without a suspension before it is ignored."""
    out: list[Suspension] = []
    began: date | None = None
    for action, day in events:
        if action == "suspend" and began is None:
            began = day
        elif action == "lift_suspension" and began is not None:
            out.append(Suspension(began, day))
            began = None
    if began is not None:
        out.append(Suspension(began, None))
    return out
