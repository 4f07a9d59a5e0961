"""Funding totals: per commitment, per partner, per instrument and per stage, in exact decimals.

A regional line (several partner countries, e.g. the EUR 30m Western Balkans programme) is
counted in full under each partner it names, because the annex does not split it; the partner
totals say how much of theirs is such a shared line, and the grand total counts every line once.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from pydantic import BaseModel, Field

from pactum.followup.model import STAGE_ORDER, Annex, FundingLine, Stage

ZERO = Decimal(0)


class Totals(BaseModel):
    lines: int = 0
    total_eur: Decimal = ZERO
    by_stage: dict[Stage, Decimal] = Field(default_factory=lambda: {s: ZERO for s in STAGE_ORDER})
    disbursed_eur: Decimal = ZERO

    def add(self, line: FundingLine) -> None:
        self.lines += 1
        self.total_eur += line.amount_eur
        self.by_stage[line.stage] += line.amount_eur
        self.disbursed_eur += line.disbursed_eur


def totals(lines: Iterable[FundingLine]) -> Totals:
    t = Totals()
    for line in lines:
        t.add(line)
    return t


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


def by_commitment(annex: Annex) -> list[CommitmentFunding]:
    return [CommitmentFunding(number=c.number, totals=totals(c.funding)) for c in annex.commitments]


def by_partner(annex: Annex) -> list[PartnerFunding]:
    out: list[PartnerFunding] = []
    lines = [f for _, f in annex.funding_lines()]
    for p in annex.partners:
        mine = [f for f in lines if p.code in f.partners]
        if not mine:
            continue
        shared = sum((f.amount_eur for f in mine if len(f.partners) > 1), ZERO)
        out.append(PartnerFunding(code=p.code, name=p.name, totals=totals(mine), shared_eur=shared))
    out.sort(key=lambda pf: (-pf.totals.total_eur, pf.name))
    return out


def by_instrument(annex: Annex) -> list[GroupFunding]:
    groups: dict[str, list[FundingLine]] = {}
    for _, f in annex.funding_lines():
        groups.setdefault(f.instrument, []).append(f)
    out = [GroupFunding(label=k, totals=totals(v)) for k, v in groups.items()]
    out.sort(key=lambda g: (-g.totals.total_eur, g.label))
    return out


def by_stage(annex: Annex) -> Totals:
    return totals(f for _, f in annex.funding_lines())
