"""The follow-up of commitments as data: commitments, actions, milestones, funding, partners and
the EU action plans, as in the annex to the Commission President's letter of 25 June 2023.

One ``Annex`` is the whole document at one date. It is what the shipped YAML holds, what the
import/export formats carry and what the state-of-play report is built from. Amounts are exact
decimals in euro; a float is refused because it cannot carry an amount exactly.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
    model_validator,
)

from pactum.common.countries import STATELESS, UNKNOWN, country
from pactum.common.dates import PartialDate
from pactum.common.states import MEMBER_STATES, member_state
from pactum.common.text import shortened

FORMAT = "pactum.followup/1"

#: ``date`` under another name, for the methods of a model that has a field called ``date``.
Day = date

# The bodies that lead actions in the annex; a Member State leads by its code (e.g. "BG").
LEAD_BODIES: tuple[str, ...] = (
    "Commission",
    "Council",
    "EUAA",
    "Frontex",
    "Europol",
    "Eurojust",
    "IOM",
    "UNHCR",
)


def _dotted(loc: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in loc)


class Status(StrEnum):
    planned = "planned"
    ongoing = "ongoing"
    completed = "completed"
    blocked = "blocked"


class Stage(StrEnum):
    """How far a funding line has gone, as the annex words it (the data README's rule).

    ``indicative``: an amount announced, not yet adopted ("indicatively", "planned for adoption",
    "to be adopted"). ``committed``: the Commission has launched, signed or adopted the call,
    contract, programme or action; for a call, its budget is open to applicants and not yet
    awarded, so "committed" here is not the EU budget's legal commitment of the money.
    ``allocated``: the annex says the money was allocated or made available to named beneficiaries
    (Member States, their programmes); not yet paid. ``disbursed``: paid."""

    indicative = "indicative"
    committed = "committed"
    allocated = "allocated"
    disbursed = "disbursed"


STAGE_ORDER: tuple[Stage, ...] = (
    Stage.indicative,
    Stage.committed,
    Stage.allocated,
    Stage.disbursed,
)


class TrancheStage(StrEnum):
    disbursed = "disbursed"
    expected = "expected"


class PlanStatus(StrEnum):
    in_force = "in_force"
    under_preparation = "under_preparation"


class OverlapRelation(StrEnum):
    """How a funding line's money is also in another line of the annex.

    ``part_of``: the amount (without an amount: the whole line) is inside the other line, e.g. the
    EUR 6m "top up from the regional anti-smuggling programme" of the Western Balkans package.
    ``overlaps``: the two lines share an amount, e.g. "part of this action will contribute to the
    overall EUR 20 million"; without an amount the annex does not say how much."""

    part_of = "part_of"
    overlaps = "overlaps"


class OverlapCertainty(StrEnum):
    """``stated``: the annex's words say the money is counted twice; the net totals deduct it.
    ``possible``: the wording suggests it but does not say it; listed, never deducted."""

    stated = "stated"
    possible = "possible"


def _partial(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("expected a date YYYY, YYYY-MM or YYYY-MM-DD")
    return PartialDate.parse(value)


#: The largest amount (or stated number) a follow-up item holds: EUR 1,000 billion, more than the
#: Union's whole seven-year budget. A larger one is a typing slip (or digits beyond what an exact
#: decimal holds), refused naming its field rather than failing deeper down.
AMOUNT_MAX = Decimal(10) ** 12


def _amount(value: Any) -> Decimal:
    if isinstance(value, float):
        raise ValueError("write amounts as quoted decimals (e.g. '55800000'), not floats")
    if isinstance(value, bool):
        raise ValueError("an amount in euro is required")
    shown = shortened(str(value).strip())
    try:
        amount = Decimal(str(value).strip().replace("_", ""))
    except Exception as exc:  # decimal.InvalidOperation
        raise ValueError(f"'{shown}' is not an amount in euro") from exc
    if not amount.is_finite() or amount < 0:
        raise ValueError("an amount must be a non-negative number of euro")
    if amount > AMOUNT_MAX:
        raise ValueError(f"'{shown}' is more than {AMOUNT_MAX:,f} (EUR 1,000 billion): "
                         "not an amount of the follow-up")
    try:
        exact = amount == amount.quantize(Decimal("0.01"))
    except ArithmeticError:  # decimal.InvalidOperation: more digits than a decimal holds
        exact = False
    if not exact:
        raise ValueError("an amount in euro has at most two decimals")
    return amount


def _country_code(value: Any) -> str:
    return country(str(value)).alpha3


#: The states bound by the Pact by their alpha-3 codes: they are not partner countries.
_PACT_STATES_ALPHA3 = {s.iso3: s for s in MEMBER_STATES.values()}


def _partner_code(value: Any) -> str:
    """A partner country: a third country by ISO 3166 alpha-3 (Kosovo XKX); a state bound by the
    Pact (an EU Member State, Iceland, Liechtenstein, Norway, Switzerland) is not a partner of the
    Union's external migration policy, nor is "stateless" or "unknown". (An action or funding line
    names partners of the list, so this is checked where the list is written.)"""
    code = _country_code(value)
    state = _PACT_STATES_ALPHA3.get(code)
    if state is not None:
        raise ValueError(f"{code} is {state.name}, a state bound by the Pact: a partner is a third country")
    if code in (STATELESS, UNKNOWN):
        raise ValueError(f"{code} is not a country: a partner is a third country")
    return code


def _today(info: ValidationInfo) -> date | None:
    """The day a check of "not after today" compares with: given by the service in the validation
    context (``{"today": date}``) when it reads new input; stored data is not checked again."""
    today = info.context.get("today") if info.context else None
    return today if isinstance(today, date) else None


def _not_after_today(value: date | None, info: ValidationInfo, what: str, shown: str | None = None) -> None:
    """Refuse a date that records something having happened when it is after today."""
    today = _today(info)
    if value is not None and today is not None and value > today:
        raise ValueError(f"{what} cannot be after today ({shown or value.isoformat()} is after "
                         f"{today.isoformat()})")


Partial = Annotated[
    PartialDate,
    BeforeValidator(_partial),
    PlainSerializer(lambda d: str(d), return_type=str),
]
Amount = Annotated[
    Decimal,
    BeforeValidator(_amount),
    PlainSerializer(lambda d: format(d, "f"), return_type=str),
]
CountryCode = Annotated[str, BeforeValidator(_country_code)]
PartnerCode = Annotated[str, BeforeValidator(_partner_code)]
Key = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_.\-]+$")]


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, arbitrary_types_allowed=True)


class Edition(_Base):
    as_of: date
    title: str = Field(min_length=1)
    source: str = ""
    source_date: date | None = None


class Partner(_Base):
    code: PartnerCode
    name: str = Field(min_length=1)
    region: str | None = None
    pillars: list[str] = Field(default_factory=list)
    note: str | None = None


class Figure(_Base):
    """A number stated in the state of play, with the date it describes."""

    key: Key
    label: str = Field(min_length=1)
    value: Amount
    unit: str = Field(min_length=1)
    as_of: date
    qualifier: str | None = None
    breakdown: dict[str, Amount] | None = None

    @field_validator("as_of")
    @classmethod
    def _as_of(cls, value: date, info: ValidationInfo) -> date:
        _not_after_today(value, info, "the date a stated number describes")
        return value


class Action(_Base):
    key: Key
    text: str = Field(min_length=1)
    group: str | None = None
    lead: str
    partners: list[CountryCode] = Field(default_factory=list)
    status: Status
    status_note: str | None = None
    start_on: Partial | None = None
    end_on: Partial | None = None
    indicator: str | None = None
    #: The Member States whose records the live figure counts, when the action names them (5.a:
    #: the pilot schemes of Bulgaria and Romania); empty: every state's (the Union's follow-up).
    indicator_states: list[str] = Field(default_factory=list)
    footnote: str | None = None
    figures: list[Figure] = Field(default_factory=list)
    funding_refs: list[Key] = Field(default_factory=list)

    @field_validator("indicator_states")
    @classmethod
    def _indicator_states(cls, value: list[str]) -> list[str]:
        out: list[str] = []
        for code in value:
            try:
                state = member_state(code)
            except ValueError:
                raise ValueError(f"'{code}' is not a Member State code (two letters, e.g. BG)") from None
            if state in out:
                raise ValueError(f"{state} is named twice")
            out.append(state)
        return out

    @field_validator("lead")
    @classmethod
    def _lead(cls, value: str) -> str:
        if value in LEAD_BODIES:
            return value
        try:
            return member_state(value)
        except ValueError:
            raise ValueError(
                f"'{value}' is not a lead body; use one of {', '.join(LEAD_BODIES)} "
                "or a Member State code"
            ) from None

    @field_validator("end_on")
    @classmethod
    def _end_on(cls, value: PartialDate | None, info: ValidationInfo) -> PartialDate | None:
        if value is not None and info.data.get("status") is Status.completed:
            _not_after_today(value.earliest(), info, "a completed action's end_on", str(value))
        return value

    @model_validator(mode="after")
    def _dates(self) -> Action:
        if self.start_on and self.end_on and self.end_on.latest() < self.start_on.earliest():
            raise ValueError("end_on is before start_on")
        if self.indicator_states and not self.indicator:
            raise ValueError("indicator_states: the states scope a live indicator; name the indicator too")
        return self


class Milestone(_Base):
    key: Key
    description: str = Field(min_length=1)
    action: Key | None = None
    due: date | None = None
    due_text: str | None = None
    done_on: date | None = None

    @field_validator("done_on")
    @classmethod
    def _done_on(cls, value: date | None, info: ValidationInfo) -> date | None:
        _not_after_today(value, info, "the day a milestone was done")
        return value

    def overdue_on(self, on: date) -> bool:
        """Due before ``on`` and not done by then."""
        if self.due is None or self.due >= on:
            return False
        return self.done_on is None or self.done_on > on


class Tranche(_Base):
    """A part of a funding line paid out (``disbursed``, ``on`` the day it was paid) or awaited
    (``expected``, ``due`` the day it is expected by)."""

    amount_eur: Amount
    stage: TrancheStage
    on: date | None = None
    due: date | None = None
    text: str | None = None

    @field_validator("on")
    @classmethod
    def _on(cls, value: date | None, info: ValidationInfo) -> date | None:
        if info.data.get("stage") is TrancheStage.disbursed:
            _not_after_today(value, info, "the day a tranche was disbursed")
        return value

    def paid_by(self, on: date | None) -> bool:
        """Disbursed on or before ``on`` (any day when ``on`` is None); a disbursement the annex
        gives without a day was made before the annex that reports it."""
        if self.stage is not TrancheStage.disbursed:
            return False
        return on is None or self.on is None or self.on <= on

    def late_on(self, on: date) -> bool:
        """An expected tranche whose day (``due``, else ``on``) has passed on ``on``."""
        when = self.due or self.on
        return self.stage is TrancheStage.expected and when is not None and when < on


class Component(_Base):
    amount_eur: Amount
    text: str = Field(min_length=1)


class Overlap(_Base):
    """Money of this funding line that another line of the annex (``with_line``) also counts, in
    the annex's own words (``quote``: its wording, verbatim; several passages joined by " … ")."""

    with_line: Key
    relation: OverlapRelation
    amount_eur: Amount | None = None
    certainty: OverlapCertainty = OverlapCertainty.stated
    quote: str = Field(min_length=1)

    def counted_eur(self, line: FundingLine, other: FundingLine) -> Decimal:
        """The amount counted twice: the amount given; without one, the whole line if it is part
        of the other, else as much as the smaller line (the most the annex's words allow)."""
        if self.amount_eur is not None:
            return self.amount_eur
        if self.relation is OverlapRelation.part_of:
            return line.amount_eur
        return min(line.amount_eur, other.amount_eur)

    @property
    def amount_stated(self) -> bool:
        """Whether the annex gives the amount (a line wholly part of another gives its own)."""
        return self.amount_eur is not None or self.relation is OverlapRelation.part_of


class FundingLine(_Base):
    key: Key
    action: Key | None = None
    amount_eur: Amount
    instrument: str = Field(min_length=1)
    stage: Stage
    beneficiary: str = Field(min_length=1)
    partners: list[CountryCode] = Field(default_factory=list)
    date: Partial | None = None
    note: str | None = None
    tranches: list[Tranche] = Field(default_factory=list)
    components: list[Component] = Field(default_factory=list)
    overlaps: list[Overlap] = Field(default_factory=list)

    @model_validator(mode="after")
    def _parts(self) -> FundingLine:
        if self.components:
            total = sum((c.amount_eur for c in self.components), Decimal(0))
            if total != self.amount_eur:
                raise ValueError(
                    f"components add up to {total} EUR but the line is {self.amount_eur} EUR"
                )
        tranches = sum((t.amount_eur for t in self.tranches), Decimal(0))
        if tranches > self.amount_eur:
            raise ValueError(f"tranches ({tranches} EUR) exceed the line ({self.amount_eur} EUR)")
        seen: set[str] = set()
        for o in self.overlaps:
            if o.with_line == self.key:
                raise ValueError(f"funding line {self.key} cannot overlap with itself")
            if o.with_line in seen:
                raise ValueError(f"the overlap with funding line {o.with_line} is given twice")
            seen.add(o.with_line)
            if o.amount_eur is not None and o.amount_eur > self.amount_eur:
                raise ValueError(f"the overlap with {o.with_line} ({o.amount_eur} EUR) exceeds the line "
                                 f"({self.amount_eur} EUR)")
        return self

    @property
    def disbursed_eur(self) -> Decimal:
        """Paid out, whatever the day: the whole line at the ``disbursed`` stage, else its
        disbursed tranches (see :meth:`disbursed_on` for what was paid by a date)."""
        return self.disbursed_on(None)

    def disbursed_on(self, on: Day | None) -> Decimal:
        """Paid out on or before ``on``: a tranche paid after it does not count in a report of
        that day."""
        if self.stage is Stage.disbursed:
            return self.amount_eur
        return sum((t.amount_eur for t in self.tranches if t.paid_by(on)), Decimal(0))

    @property
    def regional(self) -> bool:
        """Shared with other partners: the line names more than one partner, or the annex calls it
        regional ("€9m regional programme, including Pakistan": the others are not named)."""
        words = f"{self.instrument} {self.beneficiary}"
        return len(self.partners) > 1 or re.search(r"\bregional\b", words, re.IGNORECASE) is not None


class Commitment(_Base):
    number: int = Field(ge=1)
    source_meeting: str = Field(min_length=1)
    source_date: Partial
    text: str = Field(min_length=1)

    @field_validator("source_date")
    @classmethod
    def _source_date(cls, value: PartialDate, info: ValidationInfo) -> PartialDate:
        _not_after_today(value.earliest(), info, "the date of the meeting that made the commitment",
                         str(value))
        return value
    actions: list[Action] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    funding: list[FundingLine] = Field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.number)

    @property
    def status(self) -> Status:
        """The commitment's overall status, read from its actions (docs/followup.md): all
        completed → completed; any ongoing or completed → ongoing (work has begun, not all of it
        is done); otherwise planned, or blocked if only blocked ones remain. Whether an action is
        blocked is :attr:`has_blocked` (the "blocked" filter lists those commitments too)."""
        statuses = {a.status for a in self.actions}
        if not statuses:
            return Status.planned
        if statuses == {Status.completed}:
            return Status.completed
        if statuses & {Status.ongoing, Status.completed}:
            return Status.ongoing
        if Status.planned in statuses:
            return Status.planned
        return Status.blocked

    @property
    def has_blocked(self) -> bool:
        """Whether an action of the commitment waits on someone else."""
        return any(a.status is Status.blocked for a in self.actions)


class ActionPlan(_Base):
    key: Key
    title: str = Field(min_length=1)
    status: PlanStatus
    text: str = Field(min_length=1)
    adopted_on: date | None = None
    actions_total: int | None = Field(default=None, ge=0)
    actions_summary: str | None = None
    progress: str = ""
    milestones: list[Milestone] = Field(default_factory=list)

    @field_validator("adopted_on")
    @classmethod
    def _adopted_on(cls, value: date | None, info: ValidationInfo) -> date | None:
        if info.data.get("status") is PlanStatus.in_force:
            _not_after_today(value, info, "the adoption of a plan in force")
        return value


class Annex(_Base):
    format: str = FORMAT
    edition: Edition
    partners: list[Partner] = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list)
    action_plans: list[ActionPlan] = Field(default_factory=list)

    @field_validator("format")
    @classmethod
    def _format(cls, value: str) -> str:
        if value != FORMAT:
            raise ValueError(f"unknown format '{value}'; expected '{FORMAT}'")
        return value

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> Annex:
        if info.context and info.context.get("defer_references"):
            return self
        problems = self.reference_problems()
        if problems:
            raise ValueError("; ".join(f"{_dotted(loc)}: {msg}" for loc, msg in problems))
        return self

    def reference_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Duplicate keys and references to things that do not exist, each with its location."""
        problems: list[tuple[tuple[str | int, ...], str]] = []
        seen: dict[tuple[str, str], int] = {}

        def unique(kind: str, key: str, loc: tuple[str | int, ...]) -> None:
            if (kind, key) in seen:
                problems.append((loc, f"{kind} '{key}' appears twice"))
            seen[(kind, key)] = 1

        for i, p in enumerate(self.partners):
            unique("partner", p.code, ("partners", i, "code"))
        known_partners = {p.code for p in self.partners}
        funding_keys = {f.key for c in self.commitments for f in c.funding}
        for ci, c in enumerate(self.commitments):
            cloc: tuple[str | int, ...] = ("commitments", ci)
            unique("commitment", c.key, (*cloc, "number"))
            actions = {a.key for a in c.actions}
            for ai, a in enumerate(c.actions):
                aloc = (*cloc, "actions", ai)
                unique("action", a.key, (*aloc, "key"))
                for code in a.partners:
                    if code not in known_partners:
                        problems.append(
                            ((*aloc, "partners"), f"partner {code} is not in the partners list")
                        )
                for ref in a.funding_refs:
                    if ref not in funding_keys:
                        problems.append(
                            ((*aloc, "funding_refs"), f"funding line {ref} does not exist")
                        )
            for mi, m in enumerate(c.milestones):
                mloc = (*cloc, "milestones", mi)
                unique("milestone", m.key, (*mloc, "key"))
                if m.action is not None and m.action not in actions:
                    problems.append(
                        ((*mloc, "action"), f"action {m.action} is not under commitment {c.key}")
                    )
            for fi, f in enumerate(c.funding):
                floc = (*cloc, "funding", fi)
                unique("funding line", f.key, (*floc, "key"))
                if f.action is not None and f.action not in actions:
                    problems.append(
                        ((*floc, "action"), f"action {f.action} is not under commitment {c.key}")
                    )
                for code in f.partners:
                    if code not in known_partners:
                        problems.append(
                            ((*floc, "partners"), f"partner {code} is not in the partners list")
                        )
        problems += self._overlap_problems()
        for pi, plan in enumerate(self.action_plans):
            unique("action plan", plan.key, ("action_plans", pi, "key"))
            for mi, m in enumerate(plan.milestones):
                unique("milestone", m.key, ("action_plans", pi, "milestones", mi, "key"))
        return problems

    def _overlap_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """An overlap must name a line of the annex, fit in it, be given once for a pair of lines,
        and the stated overlaps of a line (an amount the annex does not give counted at its most)
        must not add up to more than the line, so that no euro is deducted twice."""
        problems: list[tuple[tuple[str | int, ...], str]] = []
        lines = {f.key: f for c in self.commitments for f in c.funding}
        pairs: set[frozenset[str]] = set()
        deducted: dict[str, Decimal] = {}
        for ci, c in enumerate(self.commitments):
            for fi, f in enumerate(c.funding):
                for oi, o in enumerate(f.overlaps):
                    oloc: tuple[str | int, ...] = ("commitments", ci, "funding", fi, "overlaps", oi)
                    other = lines.get(o.with_line)
                    if other is None:
                        problems.append(((*oloc, "with_line"), f"funding line {o.with_line} does not exist"))
                        continue
                    pair = frozenset((f.key, other.key))
                    if pair in pairs:
                        problems.append(((*oloc, "with_line"),
                                         f"the overlap of {f.key} and {other.key} is given twice "
                                         "(give it under one of the two lines)"))
                        continue
                    pairs.add(pair)
                    amount = o.counted_eur(f, other)
                    if o.amount_stated and amount > other.amount_eur:
                        problems.append(((*oloc, "amount_eur"),
                                         f"{amount} EUR cannot be part of funding line {other.key} "
                                         f"({other.amount_eur} EUR)"))
                        continue
                    if o.certainty is OverlapCertainty.stated:  # deducted: at most once per euro
                        for key in (f.key, other.key):
                            deducted[key] = deducted.get(key, Decimal(0)) + amount
                            if deducted[key] > lines[key].amount_eur:
                                problems.append(((*oloc, "amount_eur"),
                                                 f"the stated overlaps of funding line {key} add up to "
                                                 f"more than the line ({lines[key].amount_eur} EUR)"))
        return problems

    # -- look-ups ---------------------------------------------------------------------------

    def commitment(self, number: int) -> Commitment:
        for c in self.commitments:
            if c.number == number:
                return c
        raise KeyError(number)

    def partner(self, code: str) -> Partner:
        for p in self.partners:
            if p.code == code:
                return p
        raise KeyError(code)

    def funding_lines(self) -> list[tuple[Commitment, FundingLine]]:
        return [(c, f) for c in self.commitments for f in c.funding]

    def actions(self) -> list[tuple[Commitment, Action]]:
        return [(c, a) for c in self.commitments for a in c.actions]

    def milestones(self) -> list[tuple[str, Milestone]]:
        """Every milestone with the label of what it belongs to ("1" or an action plan key)."""
        out: list[tuple[str, Milestone]] = [(c.key, m) for c in self.commitments for m in c.milestones]
        out += [(p.key, m) for p in self.action_plans for m in p.milestones]
        return out
