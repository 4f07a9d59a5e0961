"""The state of play: the annex at a date, laid out as the annex is (commitment | state of play),
with funding totals per commitment and per partner (gross, and net of the overlaps the annex
states, which are listed), overdue milestones, the platform's live figures and what changed since
an earlier report.

Pure: the caller passes the annex as it stood on the report date (and on the previous date) and
the live indicator values it computed. A live value the platform cannot compute is shown as not
available with its reason, never as a number.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from pactum.followup.funding import (
    LateTranche,
    OverlapRow,
    PartnerFunding,
    Totals,
    by_partner,
    late_tranches,
    overlaps,
    totals,
)
from pactum.followup.items import Change, diff
from pactum.followup.model import (
    Annex,
    Figure,
    FundingLine,
    Milestone,
    PlanStatus,
    Status,
)


def live_key(action: Any) -> str:
    """The live figure an action shows: its indicator over every state's records, or over the
    states it names (``border_procedure_occupancy@BG,RO``)."""
    states = getattr(action, "indicator_states", None) or []
    return f"{action.indicator}@{','.join(states)}" if states else str(action.indicator)


class LiveValue(BaseModel):
    """One platform indicator evaluated on a date."""

    indicator: str
    as_of: date
    available: bool
    label: str | None = None
    area: str | None = None
    value: Any = None
    reason: str | None = None
    states: list[str] = Field(default_factory=list)
    """The Member States whose records it counts, when the action names them (its
    ``indicator_states``); empty: every state's."""
    computed_on: date | None = None
    """The day Pactum computed it (for ``as_of``, from its records as they stood that day): a live
    figure is never the annex's text, whatever the date of that text."""

    @property
    def display(self) -> str:
        if not self.available:
            return f"not available: {self.reason}"
        return format_value(self.value)


#: How old an item's information may be on the day shown before the pages flag it as old: the
#: annex was a state of play prepared for a European Council (twice a year), so information older
#: than six months has missed at least one such update.
INFORMATION_OLD_AFTER_MONTHS = 6


class InformationAge(BaseModel):
    """How old an item's information (its last recorded change, ``dated``) is on the day shown."""

    dated: date
    months: int
    old: bool
    """Older than :data:`INFORMATION_OLD_AFTER_MONTHS`."""
    text: str
    """``41 months old on 2026-11-30``; ``less than a month old on …``."""


def information_age(dated: date, on: date) -> InformationAge:
    """The age in whole months of information dated ``dated`` on ``on`` (23 June 2023 is 41 months
    old on 30 November 2026), and whether the pages flag it as old."""
    months = max(0, (on.year - dated.year) * 12 + on.month - dated.month - (1 if on.day < dated.day else 0))
    text = (f"less than a month old on {on.isoformat()}" if months == 0 else
            f"{months} month{'s' if months != 1 else ''} old on {on.isoformat()}")
    return InformationAge(dated=dated, months=months, old=months > INFORMATION_OLD_AFTER_MONTHS, text=text)


def update_banner(edition_as_of: date, information_as_of: date | None, on: date) -> str | None:
    """What a page of the follow-up on ``on`` says first about how current it is: when the last
    update was recorded and that an item nothing was recorded for since the annex keeps the
    annex's status and text. ``None`` on the annex's own date (the page is the annex)."""
    if on <= edition_as_of:
        return None
    edition = edition_as_of.strftime("%-d %B %Y")
    last = information_as_of or edition_as_of
    if last <= edition_as_of:
        return (f"No update recorded since the annex of {edition}: every status and state of play below is "
                f"the annex's of {edition} ({information_age(edition_as_of, on).text}), not the situation "
                f"on {on.isoformat()}.")
    return (f"Last update recorded on {last.strftime('%-d %B %Y')}. Where nothing was recorded since the annex "
            f"of {edition}, the status and state of play shown are the annex's of {edition}, not the situation "
            f"on {on.isoformat()}: each row says how old its information is.")


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal) or (isinstance(value, float) and value.is_integer()):
        return f"{int(value):,}".replace(",", " ")
    if isinstance(value, float):
        return f"{value:,.2f}".replace(",", " ")
    return str(value)


def format_value(value: Any) -> str:
    """A live value for people: numbers with thin grouping, a breakdown with its total."""
    if isinstance(value, dict):
        if not value:
            return "none recorded"
        parts = [f"{k} {_number(v)}" for k, v in value.items()]
        numeric = [v for v in value.values() if isinstance(v, int | float | Decimal) and not isinstance(v, bool)]
        if len(numeric) == len(value):
            return f"{_number(sum(numeric))} ({', '.join(parts)})"
        return ", ".join(parts)
    return _number(value)


def eur(value: Decimal | str | int) -> str:
    """EUR 55.8m style, exact: never rounds away a digit the data has."""
    amount = Decimal(str(value))
    if amount >= Decimal(1_000_000):
        millions = (amount / Decimal(1_000_000)).normalize()
        return f"€{format(millions, ',f')}m"
    return f"€{format(amount.normalize(), ',f')}"


class ActionRow(BaseModel):
    key: str
    group: str | None
    text: str
    status: Status
    status_note: str | None
    lead: str
    partners: list[str]
    footnote: str | None
    figures: list[Figure]
    funding_refs: list[str]
    live: LiveValue | None = None
    changed: bool = False
    as_of: date | None = None
    """The date of the action's last recorded change on or before the report's date (how old its
    information is): the version the report shows describes the state from that date."""


class MilestoneRow(BaseModel):
    key: str
    owner: str
    #: The owner as the report names it: "Commitment 15", or an action plan's title.
    owner_title: str
    description: str
    due: date | None
    due_text: str | None
    done_on: date | None
    overdue: bool


class CommitmentRow(BaseModel):
    number: int
    text: str
    source_meeting: str
    source_date: str
    status: Status
    groups: list[tuple[str | None, list[ActionRow]]]
    milestones: list[MilestoneRow]
    funding: list[FundingLine]
    totals: Totals
    changed: bool = False
    has_blocked: bool = False
    as_of: date | None = None
    """The latest of the dates its information is from (the commitment, its actions, milestones
    and funding lines): nothing it says is newer."""


class PlanRow(BaseModel):
    key: str
    title: str
    status: PlanStatus
    text: str
    progress: str
    milestones: list[MilestoneRow]


class StateOfPlay(BaseModel):
    as_of: date
    title: str
    edition_as_of: date
    source: str
    previous: date | None
    commitments: list[CommitmentRow]
    plans_in_force: list[PlanRow]
    plans_in_preparation: list[PlanRow]
    partner_funding: list[PartnerFunding]
    totals: Totals
    overlaps: list[OverlapRow] = []
    """The overlaps between funding lines the annex states (deducted from the net) or suggests."""
    overdue: list[MilestoneRow]
    changes: list[Change]
    live_shown: bool
    information_as_of: date | None = None
    """The date of the latest change recorded on or before the report's date (of any item): the
    newest information the report holds; the edition's date when nothing was recorded since."""
    update_banner: str | None = None
    """:func:`update_banner`: when the last update was recorded, and that the statuses are the
    annex's where nothing was recorded since."""
    overdue_commitments: list[int] = []
    """The commitments with a milestone overdue on the report's date."""
    overdue_in_commitments: int = 0
    """Of :attr:`overdue`, the milestones of commitments (the commitments list counts these)."""
    overdue_plans: list[str] = []
    """The EU action plans (their titles) with a milestone overdue on the report's date."""
    overdue_in_plans: int = 0
    """Of :attr:`overdue`, the milestones of EU action plans."""
    late_tranches: list[LateTranche] = []
    """Expected tranches whose day has passed on the report's date."""


def _milestone_row(owner: str, owner_title: str, m: Milestone, on: date) -> MilestoneRow:
    return MilestoneRow(
        key=m.key, owner=owner, owner_title=owner_title, description=m.description, due=m.due, due_text=m.due_text,
        done_on=m.done_on if m.done_on is not None and m.done_on <= on else None,
        overdue=m.overdue_on(on),
    )


def build(
    annex: Annex,
    as_of: date,
    *,
    live: dict[str, LiveValue] | None = None,
    previous: Annex | None = None,
    previous_date: date | None = None,
    item_dates: dict[tuple[str, str], date] | None = None,
) -> StateOfPlay:
    """The state of play on ``as_of`` from the annex as it stood that day.

    Live figures are shown for a date after the edition's own date (the edition reproduces the
    numbers typed at the time); ``previous`` is the annex as it stood on ``previous_date``.
    ``item_dates`` gives, per item (``(kind, key)``), the date from which the version shown
    describes it (the item's last recorded change): how old each item's information is.
    """
    dates = item_dates or {}

    def dated(*idents: tuple[str, str]) -> date | None:
        found = [dates[i] for i in idents if i in dates]
        return max(found) if found else None

    live = live or {}
    show_live = as_of > annex.edition.as_of
    changes = diff(previous, annex) if previous_date is not None else []
    changed = {(c.kind, c.key) for c in changes}
    rows: list[CommitmentRow] = []
    for c in annex.commitments:
        groups: list[tuple[str | None, list[ActionRow]]] = []
        for a in c.actions:
            row = ActionRow(
                key=a.key, group=a.group, text=a.text, status=a.status, status_note=a.status_note,
                lead=a.lead, partners=list(a.partners), footnote=a.footnote,
                figures=list(a.figures), funding_refs=list(a.funding_refs),
                live=live.get(live_key(a)) if (show_live and a.indicator) else None,
                changed=("action", a.key) in changed, as_of=dated(("action", a.key)),
            )
            if a.indicator and show_live and row.live is None:
                row.live = LiveValue(indicator=a.indicator, as_of=as_of, available=False,
                                     reason="the indicator was not computed for this report")
            if groups and groups[-1][0] == a.group:
                groups[-1][1].append(row)
            else:
                groups.append((a.group, [row]))
        item_changed = any(
            (kind, key) in changed
            for kind, key in [("commitment", c.key)]
            + [("milestone", m.key) for m in c.milestones]
            + [("funding", f.key) for f in c.funding]
        )
        rows.append(
            CommitmentRow(
                number=c.number, text=c.text, source_meeting=c.source_meeting,
                source_date=str(c.source_date), status=c.status, groups=groups,
                milestones=[_milestone_row(c.key, f"Commitment {c.number}", m, as_of) for m in c.milestones],
                funding=list(c.funding), totals=totals(c.funding, as_of),
                changed=item_changed, has_blocked=c.has_blocked,
                as_of=dated(("commitment", c.key), *[("action", a.key) for a in c.actions],
                            *[("milestone", m.key) for m in c.milestones],
                            *[("funding", f.key) for f in c.funding]),
            )
        )
    plans = [
        PlanRow(key=p.key, title=p.title, status=p.status, text=p.text, progress=p.progress,
                milestones=[_milestone_row(p.key, p.title, m, as_of) for m in p.milestones])
        for p in annex.action_plans
    ]
    overdue = [m for r in rows for m in r.milestones if m.overdue]
    in_commitments = len(overdue)
    overdue += [m for p in plans for m in p.milestones if m.overdue]
    return StateOfPlay(
        as_of=as_of,
        title=annex.edition.title,
        edition_as_of=annex.edition.as_of,
        source=annex.edition.source,
        previous=previous_date,
        commitments=rows,
        plans_in_force=[p for p in plans if p.status is PlanStatus.in_force],
        plans_in_preparation=[p for p in plans if p.status is PlanStatus.under_preparation],
        partner_funding=by_partner(annex, as_of),
        totals=totals((f for _, f in annex.funding_lines()), as_of),
        overlaps=overlaps(annex),
        overdue=overdue,
        changes=changes,
        live_shown=show_live,
        information_as_of=max(dates.values()) if dates else None,
        update_banner=update_banner(annex.edition.as_of, max(dates.values()) if dates else None, as_of),
        overdue_commitments=[r.number for r in rows if any(m.overdue for m in r.milestones)],
        overdue_in_commitments=in_commitments,
        overdue_plans=[p.title for p in plans if any(m.overdue for m in p.milestones)],
        overdue_in_plans=len(overdue) - in_commitments,
        late_tranches=late_tranches(annex, as_of),
    )
