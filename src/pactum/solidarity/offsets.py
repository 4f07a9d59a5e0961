"""Responsibility offsets (AMMR Art 63, procedure Art 69): a contributing Member State takes over the
examination of applications for which a benefitting Member State is responsible, instead of
relocating persons from it.

The rules, each a dated, referenced parameter in ``solidarity.offsets`` (a legal officer corrects
them in the YAML, not here):

* **Requests open** (Art 63(1)): once the relocation pledges reach
  ``relocation_pledge_threshold`` (50%) of the number of relocations indicated in the Commission's
  proposal (Art 12; kept when the Council's act amends the pool), a
  benefitting state may ask contributing states to take over applications instead of relocation.
* **Volunteering** (Art 63): a contributing state may also offer offsets, before that threshold is
  reached, if it pledged at least ``fair_share_pledge_threshold`` (50%) of its fair share as
  relocations. A voluntary take-over replaces a relocation: it is limited to the relocations the
  state pledged and has not carried out yet; after a replacement the Council granted (Arts 61(2)(b),
  62(2)(b)), to those of its pledge as replaced (the relocations it implements).
* **Mandatory** (Art 63(3)(b), ``mandatory_threshold`` 60%, read in the Official Journal text):
  when relocation pledges are below 60% of the reference number used for the mandatory fair
  shares, a contributing state must take over, at the benefitting state's request, up to the part
  of its due fair share (fair share minus granted deduction) that it did not pledge as relocations.
  Or (Art 63(3)(a), ``mandatory_below_minimum``, read in the same text) when they are below the
  number of Art 12(2)(a) (``solidarity.pool.relocations_min``, 30,000). The measure of the obligation
  ("up to the higher of the two numbers", each state capped by its fair share, Art 63(7)): the
  mandatory take-overs of all contributing states reach at most the higher number less the relocation
  pledges (our reading). Or (Art 63(4), ``mandatory_after_deductions``) when the granted deductions
  bring the relocations to be implemented below the higher number: then counted from those.
* **Which applications** (Art 69, ``procedure``, unverified detail): those of persons present in
  the contributing state (the state where the application was registered) for which the benefitting
  state has been determined responsible and still is (its Dublin page's "responsible now"), not
  already transferred to it and not already taken over; not while a Dublin request on the case is
  running (awaiting a reply, refused and open to re-examination, accepted, transfer decided or
  arranged: the procedure between the states decides first; the requesting state may withdraw its
  request); and only applications registered under the AMMR (one registered before it applies stays
  under Regulation (EU) No 604/2013, AMMR Art 84(2), which has no offsets); and only applications
  for which the benefitting state was determined responsible on the criteria of Arts 29 to 33 (Art
  63(8)(b), read in the Official Journal text: not on the family criteria, dependency, the
  discretionary clauses or relocation). Nor (Art 63(8), the other points, read in the same text)
  the application of an unaccompanied minor (a), one whose take-charge time limit of Art 39(1) ran
  out (c), one of an applicant who absconded from the contributing state (d) or of a beneficiary of
  international protection (e); each refusal cites its point. The oldest registrations go first. A person
  whose application was finally rejected in the benefitting state may be taken over (Art 63(9), an option):
  the take-over cites it and APR Arts 55, 56 (subsequent applications).

Everything here is pure: the service reads the rows, calls these functions and writes the change of
the responsible Member State with its audit entry.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from typing import Any

from pactum.law import Trace, param

TAKE_OVER_RULE = "responsibility_offset"


@dataclass(frozen=True, slots=True)
class OffsetRegime:
    relocation_pledges: int
    #: the number indicated in the Commission's proposal (Art 12), which Art 63(1) measures the pledges against
    reference_relocations: int
    share: Fraction | None
    requests_open: bool  # Art 63(1): pledges >= 50% of the Commission proposal's number
    mandatory: bool  # pledges < 60% of the pool's reference number (Art 63(3)(b), read in the Official Journal text)
    trace: list[dict[str, Any]]
    #: the number the mandatory rule compares with: the pool the Council's act set (the parameter's reading)
    mandatory_reference_relocations: int = 0
    mandatory_share: Fraction | None = None
    #: Art 63(3)(a): the number of Art 12(2)(a) the pledges are compared with (None: not compared)
    mandatory_minimum_relocations: int | None = None
    #: the points of Art 63(3) that make offsets mandatory, cited (empty when they are voluntary)
    mandatory_basis: tuple[str, ...] = ()
    #: Art 63(3): "up to the higher of the two numbers referred to in points (a) or (b)": that number (the
    #: relocations of Art 12(2)(a), or 60% of the reference number, rounded down), and what the mandatory
    #: take-overs of all contributing states reach at most with the relocation pledges (our reading:
    #: the higher number less the relocation pledges); None when offsets are not mandatory
    mandatory_up_to: int | None = None
    mandatory_total: int | None = None
    #: Art 63(4): the relocation pledges to be implemented once the granted deductions (Arts 61, 62) are
    #: taken off and the benefitting states' own pledges left out (None: not computed, the pledges themselves)
    relocations_to_implement: int | None = None
    #: of ``relocation_pledges`` (all the relocations pledged in the Council's act, Art 63(1), (3)), those of
    #: the benefitting states, which they do not implement while they benefit (Art 60(3)); Art 63(4) counts them
    not_implemented_relocations: int = 0
    #: the two figures ``mandatory_total`` is the higher of (None where the paragraph does not apply): Art 63(3)
    #: on its own terms, the higher number less the relocations pledged in the Council's act; Art 63(4), the
    #: higher number less the relocations to be implemented
    mandatory_total_pledged: int | None = None
    mandatory_total_to_implement: int | None = None
    #: ``mandatory_total`` in words, with the paragraphs it rests on
    mandatory_total_said: str | None = None
    mandatory_total_basis: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "relocation_pledges": self.relocation_pledges,
            "reference_relocations": self.reference_relocations,
            "relocation_pledges_share": None if self.share is None else round(float(self.share), 4),
            "requests_open": self.requests_open,
            "mandatory_reference_relocations": self.mandatory_reference_relocations,
            "mandatory_share": None if self.mandatory_share is None else round(float(self.mandatory_share), 4),
            "mandatory_minimum_relocations": self.mandatory_minimum_relocations,
            "mandatory": self.mandatory,
            "mandatory_basis": list(self.mandatory_basis),
            "mandatory_up_to": self.mandatory_up_to,
            "mandatory_total": self.mandatory_total,
            "relocations_to_implement": (self.relocation_pledges if self.relocations_to_implement is None
                                         else self.relocations_to_implement),
            "not_implemented_relocations": self.not_implemented_relocations,
            "mandatory_total_pledged": self.mandatory_total_pledged,
            "mandatory_total_to_implement": self.mandatory_total_to_implement,
            "mandatory_total_basis": list(self.mandatory_total_basis),
            "mandatory_total_said": self.mandatory_total_said,
            "trace": self.trace,
        }


def regime(relocation_pledges: int, reference_relocations: int, *, on: date,
           mandatory_reference: int | None = None, minimum_relocations: int | None = None,
           to_implement: int | None = None, not_implemented: int = 0) -> OffsetRegime:
    """Whether offsets may be requested and whether they are mandatory, with the rule applied.

    ``reference_relocations`` is the number indicated in the Commission's proposal (Art 12): Art 63(1)
    opens requests when "the relocation pledges ... set out in the Council implementing act ... are
    equal to or above 50 % of the number indicated in the Commission proposal referred to in
    Article 12", not of the pool the Council's act adopts (which may be smaller). The mandatory rule
    compares with ``mandatory_reference`` (default: the same number); the service gives it the pool's
    reference number as the Council's act set it, as the parameter ``mandatory_threshold`` reads the
    rule (Art 63(3)(b), read in the Official Journal text, Italian version: «del numero di
    riferimento utilizzato per calcolare la quota equa obbligatoria di ricollocamento»). Offsets are also mandatory when the pledges are below ``minimum_relocations``,
    the number of Art 12(2)(a) (Art 63(3)(a), ``mandatory_below_minimum``; None: not compared).

    ``to_implement``: the relocation pledges to be implemented in the pool's year once the granted
    deductions (Arts 61, 62) are taken off. Art 63(4) (``mandatory_after_deductions``, read in the
    Official Journal text) applies paragraph 3 also when deductions bring them below the higher of the two
    numbers; the mandatory take-overs then make up the higher number less the relocations to be
    implemented (our reading). None: no deduction counted.

    ``relocation_pledges`` are all the relocations pledged in the Council's act establishing the pool (Art 57),
    those of the benefitting states included (``not_implemented`` of them): Art 63(1) and (3) measure "gli
    impegni in materia di ricollocazione ... specificata nell'atto di esecuzione del Consiglio di cui
    all'articolo 57", and Art 63(4) names as its own cause that the benefitting states "non sono tenuti ad
    eseguire gli impegni"; ``to_implement`` leaves them out."""
    open_p = param("solidarity.offsets.relocation_pledge_threshold", on=on)
    mand_p = param("solidarity.offsets.mandatory_threshold", on=on)
    mand_ref = reference_relocations if mandatory_reference is None else mandatory_reference
    share = Fraction(relocation_pledges, reference_relocations) if reference_relocations > 0 else None
    mand_share = Fraction(relocation_pledges, mand_ref) if mand_ref > 0 else None
    requests_open = share is not None and share >= Fraction(str(open_p.value))
    below_60 = mand_share is not None and mand_share < Fraction(str(mand_p.value))
    min_p = param("solidarity.offsets.mandatory_below_minimum", on=on) if minimum_relocations is not None else None
    below_min = minimum_relocations is not None and relocation_pledges < minimum_relocations
    sixty = int(Fraction(str(mand_p.value)) * mand_ref)  # 60% of the reference number, rounded down
    higher = max(sixty, minimum_relocations or 0)
    implemented = relocation_pledges if to_implement is None else min(to_implement, relocation_pledges)
    after_p = (param("solidarity.offsets.mandatory_after_deductions", on=on)
               if implemented < relocation_pledges else None)
    below_after = after_p is not None and implemented < higher
    mandatory = below_60 or below_min or below_after
    basis = tuple(p.reference.cite() for p, hit in ((min_p, below_min), (mand_p, below_60), (after_p, below_after))
                  if p is not None and hit)
    t = Trace()
    pct = "n/a" if share is None else f"{float(share):.1%}"
    mand_pct = "n/a" if mand_share is None else f"{float(mand_share):.1%}"
    t.step(
        rule="offset_requests_open",
        legal_basis=[open_p.reference],
        facts={"relocation_pledges": relocation_pledges, "reference_relocations": reference_relocations,
               "reference": "the number indicated in the Commission's proposal (Art 12)"},
        parameters={"relocation_pledge_threshold": open_p.value},
        outcome=(
            f"relocation pledges are {pct} of the {reference_relocations:,} relocations of the Commission's "
            "proposal: "
            + ("at least" if requests_open else "below")
            + f" {float(open_p.value):.0%}, a benefitting state "
            + ("may" if requests_open else "may not")
            + " ask for responsibility offsets under this rule"
            + ("" if requests_open or not mandatory else "; the mandatory rule below applies instead")
        ),
    )
    t.step(
        rule="offsets_mandatory",
        legal_basis=[mand_p.reference],
        facts={"relocation_pledges_share": None if mand_share is None else round(float(mand_share), 4),
               "reference_relocations": mand_ref},
        parameters={"mandatory_threshold": mand_p.value, "unverified": mand_p.unverified},
        outcome=(
            f"relocation pledges are {mand_pct} of the pool's reference number ({mand_ref:,}): "
            + (
                f"below {float(mand_p.value):.0%}, contributing states must take over applications "
                "up to the part of their fair share not pledged as relocations"
                if below_60
                else f"not below {float(mand_p.value):.0%}"
                + (", offsets are mandatory under the other point" if mandatory else ", offsets are voluntary")
            )
        ),
    )
    if min_p is not None and minimum_relocations is not None:
        # the number of Art 12(2), point (a) (relocations; point (b) is the money), as Art 63(3)(a) names it
        min_ref = replace(param("solidarity.pool.relocations_min", on=on).reference, point="a")
        min_said = min_ref.cite().split(", ", 1)[-1]
        t.step(
            rule="offsets_mandatory_below_minimum",
            legal_basis=[min_p.reference],
            facts={"relocation_pledges": relocation_pledges, "minimum_relocations": minimum_relocations,
                   "minimum_of": min_said},
            parameters={"mandatory_below_minimum": min_p.value},
            outcome=(f"relocation pledges ({relocation_pledges:,}) are "
                     + (f"below the {minimum_relocations:,} relocations of {min_said}: contributing states "
                        "must take over applications up to the part of their fair share not pledged as relocations"
                        if below_min else f"not below the {minimum_relocations:,} relocations of {min_said}")),
        )
    if after_p is not None:
        deducted = relocation_pledges - not_implemented - implemented
        causes = []
        if not_implemented:
            causes.append(f"the benefitting states do not implement the {not_implemented:,} relocations they pledged "
                          "while they benefit (Article 60(3))")
        if deducted > 0:
            causes.append(f"the deductions granted (Articles 61, 62) take {deducted:,} relocations off the pledges")
        elif deducted < 0:
            causes.append(f"relocations replacing other contributions (Articles 61(2)(b), 62(2)(b)) add {-deducted:,}")
        t.step(
            rule="offsets_mandatory_after_deductions",
            legal_basis=[after_p.reference],
            facts={"relocation_pledges": relocation_pledges, "deducted_relocations": deducted,
                   "not_implemented_relocations": not_implemented,
                   "relocations_to_implement": implemented, "higher_number": higher},
            parameters={"mandatory_after_deductions": after_p.value},
            outcome=("; ".join(causes) + f": {implemented:,} are to be implemented, "
                     + (f"below the higher of the two numbers of Article 63(3) ({higher:,}): contributing states "
                        "must take over applications as under that paragraph"
                        if below_after else f"not below the higher of the two numbers of Article 63(3) ({higher:,})")),
        )
    up_to = total = total_pledged = total_to_implement = None
    said = None
    total_basis: tuple[str, ...] = ()
    if mandatory:
        up_to = higher
        # Art 63(3) on its own terms: the higher number less the relocations pledged in the Council's act;
        # Art 63(4): paragraph 3 "si applica anche" when those to be implemented are below it, so the higher
        # number less the relocations to be implemented. Both apply together (paragraph 4 only lowers the
        # bar): the take-overs make up the larger gap (our reading)
        total_pledged = max(up_to - relocation_pledges, 0) if (below_60 or below_min) else None
        total_to_implement = max(up_to - implemented, 0) if below_after else None
        total = max(x for x in (total_pledged, total_to_implement, 0) if x is not None)
        p3 = replace(mand_p.reference, point=None).cite()
        total_basis = (p3,) if after_p is None or not below_after else (p3, after_p.reference.cite())
        said = (f"the mandatory take-overs of all contributing states together are at most {total:,} applications: "
                f"the higher of the two numbers of Article 63(3) ({up_to:,}) less the "
                + (f"{relocation_pledges:,} relocations pledged in the Council's implementing act (Article 57)"
                   if total_to_implement is None else
                   f"{implemented:,} relocations to be implemented (Article 63(4)) of the {relocation_pledges:,} "
                   "pledged in the Council's implementing act (Article 57)"
                   + (f", {total_pledged:,} by Article 63(3) alone" if total_pledged is not None
                      else ", Article 63(3) alone not applying (the pledges are not below that number)"))
                + "; voluntary take-overs (Article 63(1), (2)) replace pledged relocations and are not counted in it")
        t.step(
            rule="offsets_mandatory_up_to",
            legal_basis=[replace(mand_p.reference, point=None), *([after_p.reference] if len(total_basis) > 1
                                                                   and after_p is not None else [])],
            facts={"relocation_pledges": relocation_pledges, "minimum_relocations": minimum_relocations,
                   "sixty_percent_of_reference": sixty, "mandatory_total_pledged": total_pledged,
                   "mandatory_total_to_implement": total_to_implement},
            parameters={"mandatory_threshold": mand_p.value},
            outcome=(f"contributing states take responsibility up to the higher of the two numbers, {up_to:,}: "
                     + (f"with the {relocation_pledges:,} relocations pledged"
                        if implemented == relocation_pledges else
                        f"with the {implemented:,} relocations to be implemented after deductions"
                        if not not_implemented else
                        f"with the {implemented:,} relocations to be implemented (Article 63(4))")
                     + f", at most {total:,} applications in all "
                     "(each state up to the part of its fair share not pledged as relocations)"),
        )
    return OffsetRegime(relocation_pledges, reference_relocations, share, requests_open, mandatory, t.to_list(),
                        mand_ref, mand_share, minimum_relocations, basis, up_to, total,
                        None if to_implement is None else implemented, not_implemented,
                        total_pledged, total_to_implement, said, total_basis)


@dataclass(frozen=True, slots=True)
class Contributor:
    member_state: str
    fair_share_relocations: int
    deduction_relocations: int
    relocations_pledged: int
    relocated: int  # persons relocated to it so far (arrived)
    taken_over: int  # applications already taken over as offsets in this cycle
    #: Art 63(5): whether the pool's year is over on the day looked at, the relocation pledge to be
    #: implemented (less the granted deduction; None: the pledge) and the relocations it accepted
    #: (Art 67(9), the relocation state's confirmation) by 31 December of the pool's year
    year_over: bool = False
    relocations_to_implement: int | None = None
    accepted_by_year_end: int = 0
    #: the relocations of its pledge as the Council's act on its deduction request lets it implement them,
    #: once a pledged contribution was replaced by another type (Arts 61(2)(b), 62(2)(b)); None: as pledged.
    #: A voluntary take-over replaces one of these, not a relocation replaced by money (our reading)
    relocations_after_replacement: int | None = None


@dataclass(frozen=True, slots=True)
class Entitlement:
    member_state: str
    may_volunteer: bool
    voluntary_limit: int
    mandatory_obligation: int
    taken_over: int
    limit: int  # most applications it may (or must) take over in total
    remaining: int
    trace: list[dict[str, Any]]
    #: Art 63(5): after the pool's year, the pledged relocations it did not accept by 31 December, which it
    #: takes over at a benefitting state's request (0 during the year)
    year_end_obligation: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "member_state": self.member_state,
            "may_volunteer": self.may_volunteer,
            "voluntary_limit": self.voluntary_limit,
            "mandatory_obligation": self.mandatory_obligation,
            "taken_over": self.taken_over,
            "limit": self.limit,
            "remaining": self.remaining,
            "year_end_obligation": self.year_end_obligation,
            "trace": self.trace,
        }


def entitlement(c: Contributor, reg: OffsetRegime, *, on: date, mandatory_left: int | None = None) -> Entitlement:
    """How many applications ``c`` may (voluntary) or must (mandatory) take over in the cycle.
    ``mandatory_left``: what the regime's ``mandatory_total`` leaves to ``c`` once the other states'
    mandatory take-overs are counted (None: not capped)."""
    fs_p = param("solidarity.offsets.fair_share_pledge_threshold", on=on)
    mand_p = param("solidarity.offsets.mandatory_threshold", on=on)
    t = Trace()
    own_threshold = c.fair_share_relocations > 0 and Fraction(c.relocations_pledged, c.fair_share_relocations) >= Fraction(
        str(fs_p.value)
    )
    may_volunteer = reg.requests_open or own_threshold
    t.step(
        rule="offset_volunteer",
        legal_basis=[fs_p.reference],
        facts={
            "requests_open": reg.requests_open,
            "relocations_pledged": c.relocations_pledged,
            "fair_share_relocations": c.fair_share_relocations,
        },
        parameters={"fair_share_pledge_threshold": fs_p.value},
        outcome=(
            "may take over applications instead of relocations: "
            + ("the pool's relocation pledges reached the threshold" if reg.requests_open else
               f"it pledged at least {float(fs_p.value):.0%} of its fair share as relocations")
            if may_volunteer
            else "may not volunteer offsets: the pool's relocation pledges are below the threshold and "
            f"it pledged less than {float(fs_p.value):.0%} of its fair share as relocations"
        ),
    )
    replaced = c.relocations_after_replacement is not None and c.relocations_after_replacement != c.relocations_pledged
    instead_of = c.relocations_after_replacement if replaced and c.relocations_after_replacement is not None \
        else c.relocations_pledged
    voluntary_limit = max(instead_of - c.relocated, 0) if may_volunteer else 0
    if may_volunteer:
        t.step(
            rule="offset_instead_of_relocation",
            legal_basis=[fs_p.reference],
            facts={"relocations_pledged": c.relocations_pledged, "relocated": c.relocated,
                   **({"relocations_after_replacement": instead_of} if replaced else {})},
            parameters={},
            outcome=(f"up to {voluntary_limit:,} applications: the relocations it implements once the replacement "
                     f"the Council granted is counted ({instead_of:,} of the {c.relocations_pledged:,} pledged) not "
                     "carried out yet" if replaced else
                     f"up to {voluntary_limit} applications: the pledged relocations not carried out yet"),
        )
    obligation = 0
    if reg.mandatory:
        due = max(c.fair_share_relocations - c.deduction_relocations, 0)
        obligation = max(due - c.relocations_pledged, 0)
        t.step(
            rule="offset_mandatory_obligation",
            legal_basis=list(reg.mandatory_basis) or [mand_p.reference],
            facts={
                "fair_share_relocations": c.fair_share_relocations,
                "deduction_relocations": c.deduction_relocations,
                "relocations_pledged": c.relocations_pledged,
            },
            parameters={"mandatory_threshold": mand_p.value, "unverified": mand_p.unverified},
            outcome=f"must take over up to {obligation} applications at a benefitting state's request "
            f"(fair share {c.fair_share_relocations} - deduction {c.deduction_relocations} - "
            f"relocations pledged {c.relocations_pledged})",
        )
        if mandatory_left is not None and mandatory_left < obligation:
            obligation = max(mandatory_left, 0)
            t.step(
                rule="offset_mandatory_up_to",
                legal_basis=[replace(mand_p.reference, point=None)],
                facts={"mandatory_total": reg.mandatory_total, "mandatory_left": mandatory_left},
                parameters={},
                outcome=f"at most {obligation} of them: the mandatory take-overs of all contributing states reach "
                f"at most {reg.mandatory_total:,} (the higher of the two numbers less the relocation "
                + ("pledges" if reg.mandatory_total_to_implement is None else
                   "pledges to be implemented, Article 63(4)") + "), "
                f"{mandatory_left:,} of which are left to it",
            )
    year_end = 0
    if c.year_over:
        ye_p = param("solidarity.offsets.unimplemented_pledges_after_year", on=on)
        pledged = c.relocations_pledged if c.relocations_to_implement is None else c.relocations_to_implement
        year_end = max(pledged - c.accepted_by_year_end, 0)
        t.step(
            rule="offset_unimplemented_pledges",
            legal_basis=[ye_p.reference],
            facts={"relocations_to_implement": pledged, "accepted_by_year_end": c.accepted_by_year_end},
            parameters={"unimplemented_pledges_after_year": ye_p.value},
            outcome=(f"the pool's year is over: of the {pledged:,} relocations it was to implement it accepted "
                     f"{c.accepted_by_year_end:,} by 31 December, "
                     + (f"so it must take over up to {year_end:,} applications at a benefitting state's request, "
                        "as soon as possible after the end of the year" if year_end else
                        "so it owes no take-over for pledges not implemented")),
        )
    # Art 63(3)'s obligation is owed beside the pledged relocations (the mandatory total is the higher number
    # *less* the relocation pledges), while Art 63(2)'s offer and Art 63(5)'s year-end obligation both stand
    # "instead of" those pledged relocations: so the obligation adds to the larger of the two, and does not
    # vanish into the voluntary room. Art 63(6) has the state identify the applications it is responsible for
    # "under paragraphs 2 and 3" and Art 63(7) caps those at its fair share: the two grounds add up, and they
    # stay within it (the obligation is the fair share less the deduction less the relocations pledged, the
    # voluntary room at most those relocations). Until 2 December 2026 the limit was the larger of the
    # voluntary room and the obligation, so a state that volunteered lost its room by its mandatory take-overs.
    pledged_room = max(voluntary_limit, year_end)
    limit = obligation + pledged_room
    if obligation and pledged_room:
        t.step(
            rule="offset_limit",
            legal_basis=[replace(mand_p.reference, point=None), replace(fs_p.reference, paragraph="6"),
                         replace(fs_p.reference, paragraph="7")],
            facts={"mandatory_obligation": obligation, "voluntary_limit": voluntary_limit,
                   "year_end_obligation": year_end},
            parameters={},
            outcome=(f"up to {limit:,} applications in all: the {obligation:,} it must take over under Article 63(3) "
                     f"besides the {pledged_room:,} it may take over instead of the relocations it pledged"
                     + (" (Article 63(2))" if voluntary_limit >= year_end else " (Article 63(5))")),
        )
    return Entitlement(
        member_state=c.member_state,
        may_volunteer=may_volunteer,
        voluntary_limit=voluntary_limit,
        mandatory_obligation=obligation,
        taken_over=c.taken_over,
        limit=limit,
        remaining=max(limit - c.taken_over, 0),
        trace=t.to_list(),
        year_end_obligation=year_end,
    )


@dataclass(frozen=True, slots=True)
class Application:
    """What the offset rules need to know of a Dublin case."""

    id: str
    reference: str
    present_in: str  # the Member State where the application was registered and the person is
    responsible: str
    registered_on: date
    transferred: bool = False  # already transferred to the responsible state
    taken_over: bool = False  # already the object of an offset
    regime: str = "ammr"  # the regime of the determination (``dublin_iii`` before the AMMR applies)
    responsible_now: str | None = None  # who is responsible today, when it differs (None: ``responsible``)
    responsible_now_reason: str = ""
    running_request: str | None = None  # a Dublin request still running, in words (None: none)
    #: the criterion that made ``responsible`` responsible and the articles it rests on (None: not known)
    criterion: str | None = None
    criterion_basis: tuple[str, ...] | None = None
    #: Art 63(8)(a): the applicant is an unaccompanied minor on the day looked at (the case's facts
    #: record it and the date of birth, where known, does not make the applicant of age by then)
    unaccompanied_minor: bool = False
    #: the rule by which ``responsible_now`` was reached (``no_request_in_time``: the time limit of
    #: Art 39(1) ran out without a take-charge request, Art 63(8)(c))
    responsible_now_rule: str | None = None
    #: Art 63(8)(d): the states the applicant absconded from (a transfer period extended for absconding)
    absconded_from: tuple[str, ...] = ()
    #: Art 63(8)(e): the states that granted the person international protection (Eurodac marking, or a
    #: decision or appeal granting it)
    protection_granted_by: tuple[str, ...] = ()
    #: Art 63(9): the states in which the person's application was finally rejected (an asylum case closed
    #: as final with a negative outcome, or an appeal dismissed)
    finally_rejected_in: tuple[str, ...] = ()


#: Art 63(9) (read in the Official Journal text, Italian version): "Lo Stato membro contributore può
#: applicare il presente articolo ai cittadini di paesi terzi o agli apolidi la cui domanda è stata
#: definitivamente respinta nello Stato membro beneficiario. Si applicano gli articoli 55 e 56 del
#: regolamento (UE) 2024/1348": an option, not a condition; said on the take-over.
FINALLY_REJECTED_BASIS = "Regulation (EU) 2024/1351, Article 63(9)"
SUBSEQUENT_APPLICATION_BASIS = "Regulation (EU) 2024/1348, Articles 55 and 56"


#: Art 63(8)(b) (read in the Official Journal text, Italian version): a responsibility offset applies only
#: where the benefitting state was determined responsible on the basis of the criteria of Arts 29 to 33
#: (residence documents and visas, diplomas, visa-waived entry, airport transit, entry).
OFFSET_CRITERIA_ARTICLES = frozenset({29, 30, 31, 32, 33})
OFFSET_CRITERIA_BASIS = "Regulation (EU) 2024/1351, Article 63(8)(b)"

#: The other conditions of Art 63(8) (read in the Official Journal text, Italian version: "Il presente
#: articolo si applica solo se: a) il richiedente non è un minore non accompagnato; ... c) il termine ...
#: di cui all'articolo 39, paragrafo 1, non è ancora scaduto; d) il richiedente non è fuggito dallo
#: Stato membro contributore; e) l'interessato non è beneficiario di protezione internazionale; f)
#: l'interessato non è una persona ammessa"), each cited by its point when it refuses an application.
#: Point (f) is not checked: Pactum holds no link between a person and an admission (docs/solidarity.md).
OFFSET_CONDITION_BASIS = {point: f"Regulation (EU) 2024/1351, Article 63(8)({point})" for point in "abcde"}


def _articles(basis: tuple[str, ...]) -> set[int]:
    return {int(m[1]) for c in basis if c.startswith("Regulation (EU) 2024/1351")
            for m in [re.search(r"Article (\d+)", c)] if m is not None}


def ineligibility(app: Application, *, beneficiary: str, contributor: str) -> str | None:
    """Why ``app`` cannot be taken over by ``contributor`` from ``beneficiary`` (None if it can)."""
    if app.taken_over:
        return f"application {app.reference} was already taken over as a responsibility offset"
    if app.responsible != beneficiary:
        return f"{beneficiary} is not responsible for application {app.reference} ({app.responsible} is)"
    if app.present_in != contributor:
        return (f"application {app.reference} was registered in {app.present_in}: {contributor} takes over "
                "only applications of persons present on its territory")
    if app.transferred:
        return f"the applicant of {app.reference} was already transferred to {beneficiary}"
    if app.regime != "ammr":
        return (f"application {app.reference} was registered on {app.registered_on.isoformat()}, before the AMMR "
                "applies: responsibility for it is determined under Regulation (EU) No 604/2013 (AMMR Art 84(2)), "
                "which has no responsibility offsets")
    if app.unaccompanied_minor:
        return (f"the applicant of {app.reference} is an unaccompanied minor: a responsibility offset applies only "
                f"where the applicant is not an unaccompanied minor ({OFFSET_CONDITION_BASIS['a']})")
    if app.criterion_basis is not None and not (_articles(app.criterion_basis) & OFFSET_CRITERIA_ARTICLES):
        rests = "; ".join(app.criterion_basis) or "no criterion of Arts 29 to 33"
        return (f"{beneficiary} is responsible for application {app.reference} under the criterion "
                f"'{app.criterion}' ({rests}): a responsibility offset applies only where the benefitting state "
                f"was determined responsible on the criteria of Articles 29 to 33 ({OFFSET_CRITERIA_BASIS})")
    if app.protection_granted_by:
        return (f"the applicant of {app.reference} is a beneficiary of international protection (granted by "
                f"{', '.join(app.protection_granted_by)}): a responsibility offset applies only where the person "
                f"is not a beneficiary of international protection ({OFFSET_CONDITION_BASIS['e']})")
    if contributor in app.absconded_from:
        return (f"the applicant of {app.reference} absconded from {contributor} (its transfer period was extended "
                f"for absconding): a responsibility offset applies only where the applicant has not absconded "
                f"from the contributing state ({OFFSET_CONDITION_BASIS['d']})")
    if app.responsible_now_rule == "no_request_in_time":
        return (f"{beneficiary} is no longer responsible for application {app.reference}: "
                f"{app.responsible_now_reason or (app.responsible_now or '?') + ' is'}; the time limit of Article "
                "39(1) for a take-charge request has expired, and a responsibility offset applies only where it "
                f"has not yet expired ({OFFSET_CONDITION_BASIS['c']})")
    if app.running_request is not None:
        return (f"a Dublin procedure is running on application {app.reference} ({app.running_request}): it is "
                "taken over only once no request is running (the requesting state may withdraw it)")
    if app.responsible_now is not None and app.responsible_now != beneficiary:
        return (f"{beneficiary} is no longer responsible for application {app.reference}: "
                f"{app.responsible_now_reason or app.responsible_now + ' is'}")
    return None


def excluded_by_condition(apps: list[Application], *, beneficiary: str, contributor: str) -> dict[str, int]:
    """How many of ``apps`` for which ``beneficiary`` is responsible and whose applicants are in
    ``contributor`` a condition of Art 63(8) excludes, by the point cited (in the order of the points)."""
    out: Counter[str] = Counter()
    for a in apps:
        if a.responsible == beneficiary and a.present_in == contributor:
            basis = excluding_condition(a, beneficiary=beneficiary, contributor=contributor)
            if basis is not None:
                out[basis] += 1
    return dict(sorted(out.items()))


def excluding_condition(app: Application, *, beneficiary: str, contributor: str) -> str | None:
    """The point of Art 63(8) that excludes ``app`` (cited), or None when none does."""
    why = ineligibility(app, beneficiary=beneficiary, contributor=contributor) or ""
    m = re.search(r"Regulation \(EU\) 2024/1351, Article 63\(8\)\([a-f]\)", why)
    return None if m is None else m[0]


def select_applications(
    apps: list[Application], *, beneficiary: str, contributor: str, count: int
) -> list[Application]:
    """The ``count`` eligible applications registered longest ago (ties by reference)."""
    eligible = [a for a in apps if ineligibility(a, beneficiary=beneficiary, contributor=contributor) is None]
    eligible.sort(key=lambda a: (a.registered_on, a.reference, a.id))
    return eligible[:count]


def take_over_step(app: Application, *, contributor: str, mandatory: bool, cycle_year: int, on: date,
                   requests_open: bool = True, mandatory_basis: tuple[str, ...] = (),
                   year_end: bool = False) -> dict[str, Any]:
    """The trace step appended to the Dublin case whose responsibility passes to ``contributor``. It
    cites the rule actually applied, then the procedure (Art 69): a mandatory take-over the mandatory
    rule: the points of Art 63(3) that applied (``mandatory_basis``, :attr:`OffsetRegime.mandatory_basis`;
    by default ``mandatory_threshold``, point (b)); a voluntary one, the benefitting state's request once relocation
    pledges reached the threshold (``relocation_pledge_threshold``, Art 63(1)) when they did
    (``requests_open``), else the contributing state's own offer (``fair_share_pledge_threshold``).
    ``year_end``: a take-over after the pool's year of pledged relocations not accepted by its end (Art
    63(5), ``unimplemented_pledges_after_year``), cited instead of the others."""
    if year_end:
        rule = "solidarity.offsets.unimplemented_pledges_after_year"
        mandatory_basis = ()
    elif mandatory:
        rule = "solidarity.offsets.mandatory_threshold"
    elif requests_open:
        rule = "solidarity.offsets.relocation_pledge_threshold"
    else:
        rule = "solidarity.offsets.fair_share_pledge_threshold"
    proc_p = param("solidarity.offsets.procedure", on=on)
    rule_cited = (list(mandatory_basis) if mandatory and mandatory_basis and not year_end
                  else [param(rule, on=on).reference.cite()])
    rejected = app.responsible in app.finally_rejected_in
    basis = list(dict.fromkeys([*rule_cited, *([FINALLY_REJECTED_BASIS] if rejected else []), proc_p.reference.cite()]))
    t = Trace()  # ``on``: the day of the take-over, from which the contributing state is responsible
    t.step(
        rule=TAKE_OVER_RULE,
        legal_basis=basis,
        facts={
            "previously_responsible": app.responsible,
            "present_in": app.present_in,
            "solidarity_cycle": cycle_year,
            "on": on.isoformat(),
            "mandatory": mandatory,
            **({"pledged_relocations_not_accepted_by_year_end": True} if year_end else {}),
            **({"finally_rejected_in_benefitting_state": True} if rejected else {}),
        },
        parameters={},
        outcome=f"{contributor} takes over the examination from {app.responsible} as a responsibility offset: "
        f"{contributor} is responsible"
        + (f"; the applicant's application was finally rejected in {app.responsible}: {contributor} applies "
           f"{FINALLY_REJECTED_BASIS}, and {SUBSEQUENT_APPLICATION_BASIS} (subsequent applications) apply"
           if rejected else ""),
    )
    return t.to_list()[0]
