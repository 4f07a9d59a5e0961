"""Funding totals: per commitment, per partner, per instrument and per stage, in exact decimals,
gross and net of the overlaps the annex states.

**Gross** (``total_eur``, also ``gross_eur``) adds every line's amount once. The annex itself says
some of its amounts are also counted in another line: the EUR 60m Western Balkans package "is
composed of … a €6 million top up from the regional anti-smuggling programme" (the EUR 30m line),
and "part of this action [EUR 120m for Egypt] will contribute to the overall €20 million" for the
refugees from Sudan. A line records such an overlap (``FundingLine.overlaps``, citing the annex).

**Net** (``net_eur``) deducts, once, every *stated* overlap between two lines of the group being
added up (a commitment's lines, a partner's, all of them): the amount given; where the annex says
money is shared but not how much, as much as the smaller line (so the net counts no euro twice;
``unstated_overlap_eur`` says how much of the deduction is such an upper bound, and the net is
then a floor: at most that much higher). A *possible* overlap (the wording suggests one, e.g. two
Egypt amounts of the same Southern Neighbourhood action) is listed and added up in
``possible_overlap_eur`` but never deducted. By stage, a deduction is taken at the stage of the
line that records the overlap.

A regional line (several partner countries, e.g. the EUR 30m Western Balkans programme, or one the
annex calls regional, e.g. the EUR 9m "regional programme, including Pakistan") is counted in full
under each partner it names, because the annex does not split it; the partner totals say how much
of theirs is such a shared line, and the grand total counts every line once.

**Member States** are read from a line's beneficiary: the codes of the states bound by the Pact
it writes ("BG, RO" names Bulgaria and Romania, "CY" Cyprus; ``GR`` is read as ``EL``). A line for
"Member States" in general names none: the annex does not split it, and it is counted under no
state. A line naming several states is counted in full under each.

**Paid out** (``disbursed_eur``) on a date counts the tranches paid on or before that date.
The annex names calls and actions, not the EU funding instruments they draw on (BMVI, AMIF,
NDICI-Global Europe…): the totals "by instrument" group by the call or action as the annex words
it; no grouping by instrument is inferred.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field, computed_field

from pactum.common.states import MEMBER_STATES, member_state
from pactum.followup.model import (
    STAGE_ORDER,
    Annex,
    FundingLine,
    OverlapCertainty,
    OverlapRelation,
    Stage,
)

ZERO = Decimal(0)


class OverlapRow(BaseModel):
    """One overlap between two funding lines, as the totals count it."""

    line: str
    """The line that records the overlap."""
    with_line: str
    relation: OverlapRelation
    certainty: OverlapCertainty
    amount_eur: Decimal
    """The amount counted twice (for an amount the annex does not give: the most it can be)."""
    amount_stated: bool
    """Whether the annex gives the amount; if not, ``amount_eur`` is an upper bound."""
    deducted: bool
    """Whether the net totals deduct it (the stated overlaps)."""
    quote: str
    line_instrument: str = ""
    with_instrument: str = ""
    partners: list[str] = Field(default_factory=list)
    """The partners both lines name (whose partner totals the overlap concerns)."""


class Totals(BaseModel):
    lines: int = 0
    total_eur: Decimal = ZERO
    """Gross: every line's amount added once (the annex's own overlaps included)."""
    by_stage: dict[Stage, Decimal] = Field(default_factory=lambda: {s: ZERO for s in STAGE_ORDER})
    disbursed_eur: Decimal = ZERO
    gross_eur: Decimal = ZERO
    """The same as ``total_eur``, named for what it is."""
    overlap_eur: Decimal = ZERO
    """The stated overlaps between the lines added up, deducted once each."""
    unstated_overlap_eur: Decimal = ZERO
    """Of ``overlap_eur``, what the annex gives no amount for (deducted at its most)."""
    net_eur: Decimal = ZERO
    """Gross less the stated overlaps: no euro counted twice."""
    net_by_stage: dict[Stage, Decimal] = Field(default_factory=lambda: {s: ZERO for s in STAGE_ORDER})
    possible_overlap_eur: Decimal = ZERO
    """Overlaps the wording suggests but does not state: listed, not deducted."""

    def add(self, line: FundingLine, on: date | None = None) -> None:
        """Add one line's amount (gross and net) and what it paid out by ``on`` (any day when
        None); overlaps are deducted by :func:`totals`."""
        self.lines += 1
        self.total_eur += line.amount_eur
        self.gross_eur += line.amount_eur
        self.net_eur += line.amount_eur
        self.by_stage[line.stage] += line.amount_eur
        self.net_by_stage[line.stage] += line.amount_eur
        self.disbursed_eur += line.disbursed_on(on)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def net_ceiling_eur(self) -> Decimal:
        """The most the net can be: the overlaps without an amount taken as nothing."""
        return self.net_eur + self.unstated_overlap_eur


def overlaps_among(lines: Iterable[FundingLine]) -> list[OverlapRow]:
    """The overlaps between two of ``lines`` (both must be among them), in document order."""
    chosen = list(lines)
    by_key = {f.key: f for f in chosen}
    out: list[OverlapRow] = []
    for f in chosen:
        for o in f.overlaps:
            other = by_key.get(o.with_line)
            if other is None:
                continue
            out.append(OverlapRow(
                line=f.key, with_line=other.key, relation=o.relation, certainty=o.certainty,
                amount_eur=o.counted_eur(f, other), amount_stated=o.amount_stated,
                deducted=o.certainty is OverlapCertainty.stated, quote=o.quote,
                line_instrument=f.instrument, with_instrument=other.instrument,
                partners=[p for p in f.partners if p in other.partners],
            ))
    return out


def totals(lines: Iterable[FundingLine], on: date | None = None) -> Totals:
    """Gross and net totals of ``lines``; the net deducts the stated overlaps between them. Paid
    out: what the lines paid by ``on`` (a report's date)."""
    chosen = list(lines)
    t = Totals()
    for line in chosen:
        t.add(line, on)
    stage_of = {f.key: f.stage for f in chosen}
    for o in overlaps_among(chosen):
        if not o.deducted:
            t.possible_overlap_eur += o.amount_eur
            continue
        t.overlap_eur += o.amount_eur
        t.net_eur -= o.amount_eur
        t.net_by_stage[stage_of[o.line]] -= o.amount_eur
        if not o.amount_stated:
            t.unstated_overlap_eur += o.amount_eur
    return t


def line_net(annex: Annex) -> dict[str, Decimal]:
    """Each line's amount less the stated overlaps it records (what it adds to the net total)."""
    lines = [f for _, f in annex.funding_lines()]
    out = {f.key: f.amount_eur for f in lines}
    for o in overlaps_among(lines):
        if o.deducted:
            out[o.line] -= o.amount_eur
    return out


class CommitmentFunding(BaseModel):
    number: int
    totals: Totals


class PartnerFunding(BaseModel):
    code: str
    name: str
    totals: Totals
    shared_eur: Decimal = ZERO
    """Part of the total from lines shared with other partners (regional programmes)."""


class GroupFunding(BaseModel):
    label: str
    totals: Totals


def by_commitment(annex: Annex, on: date | None = None) -> list[CommitmentFunding]:
    return [CommitmentFunding(number=c.number, totals=totals(c.funding, on)) for c in annex.commitments]


def by_partner(annex: Annex, on: date | None = None) -> list[PartnerFunding]:
    """Each partner's lines, net of the stated overlaps between two lines both naming it; the
    largest net first. ``shared_eur``: its regional lines (:attr:`FundingLine.regional`)."""
    out: list[PartnerFunding] = []
    lines = [f for _, f in annex.funding_lines()]
    for p in annex.partners:
        mine = [f for f in lines if p.code in f.partners]
        if not mine:
            continue
        shared = sum((f.amount_eur for f in mine if f.regional), ZERO)
        out.append(PartnerFunding(code=p.code, name=p.name, totals=totals(mine, on), shared_eur=shared))
    out.sort(key=lambda pf: (-pf.totals.net_eur, -pf.totals.total_eur, pf.name))
    return out


def by_instrument(annex: Annex, on: date | None = None,
                  lines: Iterable[FundingLine] | None = None) -> list[GroupFunding]:
    """Totals per call or action as the annex words it (``instrument``; the annex names no EU
    funding instrument, so none is inferred)."""
    groups: dict[str, list[FundingLine]] = {}
    for f in (lines if lines is not None else (f for _, f in annex.funding_lines())):
        groups.setdefault(f.instrument, []).append(f)
    out = [GroupFunding(label=k, totals=totals(v, on)) for k, v in groups.items()]
    out.sort(key=lambda g: (-g.totals.total_eur, g.label))
    return out


def by_stage(annex: Annex, on: date | None = None) -> Totals:
    return totals((f for _, f in annex.funding_lines()), on)


_STATE_CODE = re.compile(r"\b[A-Z]{2}\b")


def member_states_of(line: FundingLine) -> list[str]:
    """The states bound by the Pact a line's beneficiary names by their codes ("BG, RO" → BG,
    RO; ``GR`` → EL), in the order written; none for "Member States" in general."""
    found: list[str] = []
    for token in _STATE_CODE.findall(line.beneficiary):
        try:
            code = member_state(token)
        except ValueError:
            continue
        if code in MEMBER_STATES and code not in found:
            found.append(code)
    return found


class StateFunding(BaseModel):
    """The lines whose beneficiary names one Member State (a line naming several in full under
    each)."""

    code: str
    name: str
    totals: Totals
    shared_eur: Decimal = ZERO
    """Part of the total from lines that name other states too ("BG, RO")."""
    lines: list[str] = Field(default_factory=list)


def by_member_state(annex: Annex, on: date | None = None) -> list[StateFunding]:
    """Each Member State a beneficiary names, with its lines' totals; the largest first."""
    lines = [f for _, f in annex.funding_lines()]
    named = {f.key: member_states_of(f) for f in lines}
    codes = sorted({code for states in named.values() for code in states})
    out = []
    for code in codes:
        mine = [f for f in lines if code in named[f.key]]
        out.append(StateFunding(
            code=code, name=MEMBER_STATES[code].name, totals=totals(mine, on),
            shared_eur=sum((f.amount_eur for f in mine if len(named[f.key]) > 1), ZERO),
            lines=[f.key for f in mine]))
    out.sort(key=lambda s: (-s.totals.total_eur, s.code))
    return out


class LateTranche(BaseModel):
    """An expected tranche whose day has passed on the report's date and that is still expected."""

    line: str
    instrument: str
    amount_eur: Decimal
    due: date
    text: str | None = None


def late_tranches(annex: Annex, on: date) -> list[LateTranche]:
    """The expected tranches of every line whose day (``due``, else ``on``) is before ``on``."""
    out: list[LateTranche] = []
    for _, f in annex.funding_lines():
        for t in f.tranches:
            when = t.due or t.on
            if t.late_on(on) and when is not None:
                out.append(LateTranche(line=f.key, instrument=f.instrument, amount_eur=t.amount_eur,
                                       due=when, text=t.text))
    return out


def overlaps(annex: Annex) -> list[OverlapRow]:
    """Every overlap the annex records, stated and possible, in document order."""
    return overlaps_among(f for _, f in annex.funding_lines())
