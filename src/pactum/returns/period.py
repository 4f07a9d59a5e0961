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
    lasts)."""

    began_on: date
    lifted_on: date | None = None


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
            "legal_basis": legal_basis(basis) if (self.moved or self.steps) else [ART_7_1.cite()],
            "label": self.label(basis),
        }

    def label(self, suspension_basis: str | None = None) -> str:
        if self.paused:
            assert self.paused_since is not None
            cited = f"{GNANDI}; {suspension_basis}" if suspension_basis else GNANDI
            return (f"not running while the decision is suspended (since {self.paused_since.isoformat()}): "
                    f"{_days(self.days_left or 0)} of the period left, which run from the day after the "
                    f"suspension is lifted ({cited})")
        assert self.ends_on is not None
        if self.moved:
            return (f"last day {self.ends_on.isoformat()}, moved from {self.set_last_day.isoformat()}: the period "
                    f"did not run while the decision was suspended ({GNANDI})")
        return f"last day {self.ends_on.isoformat()}"


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _working_day_end(lifted_on: date, days: int, member_state: str) -> date:
    result = add_period(lifted_on, amount=days, unit="days", member_state=member_state)
    return result.date() if isinstance(result, datetime) else result


def period_run(*, starts_on: date, last_day: date | None, suspensions: list[Suspension],
               member_state: str) -> PeriodRun | None:
    """The period for voluntary departure that runs from the day after ``starts_on`` (the decision's
    day, or its amended decision's that set the period) to ``last_day``, moved by ``suspensions``
    (read in the order they began). ``None`` where no period was granted (Art 7(4)): nothing to
    move.

    A suspension that began on or before the period's last day as it then stood stops it: the days
    left (from the day the suspension began, or the period's first day if it began earlier, to that
    last day, both included) run again from the day after the lifting, the last moved to a working
    day (Reg. 1182/71 Art 3(1), 3(4)). One still lasting leaves the period without a last day. One
    that began after the last day, or ended before the period started, changes nothing."""
    if last_day is None:
        return None
    first_day = starts_on + timedelta(days=1)
    end = last_day
    steps: list[str] = []
    for s in sorted(suspensions, key=lambda s: s.began_on):
        if s.lifted_on is not None and s.lifted_on < first_day:
            continue  # lifted before the period's first day (an amended decision set it afresh)
        if s.began_on > end:
            steps.append(f"suspended on {s.began_on.isoformat()}, after the period ended on {end.isoformat()}: "
                         "the period is not given back (the obligation to return was not complied with within it)")
            continue
        from_day = max(s.began_on, first_day)
        left = (end - from_day).days + 1
        if s.lifted_on is None:
            steps.append(f"suspended on {s.began_on.isoformat()} with {_days(left)} of the period left "
                         f"({from_day.isoformat()} to {end.isoformat()}): the period does not run while the "
                         "suspension lasts")
            return PeriodRun(set_last_day=last_day, ends_on=None, days_left=left, paused_since=s.began_on,
                             steps=steps)
        new_end = _working_day_end(s.lifted_on, left, member_state)
        steps.append(f"suspended on {s.began_on.isoformat()} with {_days(left)} of the period left "
                     f"({from_day.isoformat()} to {end.isoformat()}), lifted on {s.lifted_on.isoformat()}: they run "
                     f"from {(s.lifted_on + timedelta(days=1)).isoformat()}, last day {new_end.isoformat()}")
        end = new_end
    return PeriodRun(set_last_day=last_day, ends_on=end, steps=steps)


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
