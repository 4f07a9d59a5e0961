"""Demo world: the Voluntary Solidarity Mechanism's transfers and the 2026 Solidarity Pool in progress.

Calibration (sources in DOMAIN.md 2.3-2.4 and the June 2023 letter):
- VSM: first transfer in August 2022 (Italy to France); by 23 June 2023 "nearly 1900 transfers":
  911 from Italy, 676 from Cyprus, 48 from Spain, 76 from Malta, 179 from Greece (the letter's
  footnote), to DE, FR, FI, NO, RO, BG, HR, PT and LU; more than 4,000 by 5 February 2024, to 12 EU+
  countries (DOMAIN.md 2.4, S37; the EUAA's count): after the letter, three more of the states that
  pledged (BE, IE, LT: which three is not stated by the source, generated). The tracker counts these
  rows, so ``pactum solidarity transfers --era vsm --as-of 2023-06-23`` reproduces the footnote.
  Destination shares and nationalities are generated (nationalities from the 2024 UNHCR mix of each
  origin).
- 2026 pool: the Commission's decision of 11.11.2025 (CY, EL, IT, ES under pressure; AT, BG, HR,
  CZ, EE, PL in a significant migratory situation; BE, NL, DE, FR, IE among the states at risk),
  the Council's act of 19.12.2025 (21,000 / EUR 420m, SAR earmark from ``pactum.law``), pledges
  (DE 4,555 and FR 3,361 relocations as reported, unverified; HU and SK none; the others generated
  around their fair share), full deductions for AT, CZ, HR and PL (asked for while pledging, assessed
  by the Commission, granted by the Council's act of 19.12.2025 that adjusted their contributions to
  0, DOMAIN.md 2.3), then monthly relocation matching
  with the optimiser along the pool's distribution (each contributing state offers each benefitting
  state a monthly slice of what its pledge distributes to that state, never more in all) and
  transfers at every stage by the world's end; about 8% of the single applicants put forward are
  beneficiaries of international protection (granted within 3 years, written consent), the rest
  applicants. Italy's need asks for alternative solidarity measures too (EUR 3m, generated), and the first of
  EE and BG that pledged money asks on 6.7.2026 to replace half of it by alternative measures for Italy
  (Art 62(2)(b)), granted in part by the Council's act of 21.9.2026 (generated). On the world's last day
  each contributing state that may take over applications
  does so for up to 5 of the oldest Dublin cases of persons on its territory for which a benefitting
  state is responsible (responsibility offsets, Arts 63 and 69).
- 2027 cycle, under way on the world's last day (from 15.10.2026): the Commission's Report, pressure
  decision and pool proposal on the day they are due (Arts 9, 11, 12; the proposal at the Art 12(2)
  minimum, 30,000 / EUR 600m), the High-Level EU Solidarity Forum's pledging exercise within its 15
  days (Art 13), where the contributing states pledge and AT, CZ, HR and PL ask for a full deduction
  again, assessed by the Commission three weeks later (Art 61(3)); the Council's act (due by the end
  of the year, Art 57) is not yet adopted. On 24.11.2026 EE (or BG, the first that pledged relocations),
  facing a significant migratory situation with its reception full, asks to replace its pledged
  relocations by financial contributions of the same value (Art 62(2)(b)): awaiting the Commission's
  assessment on the world's last day. The designations are the 2026 decision's carried over
  and the pledges and needs are generated as 2026's are (nothing of the real 2027 cycle is in
  DOMAIN.md): the coordinator's screens show a cycle at its pledging stage beside one being
  implemented.
"""

from __future__ import annotations

import heapq
import random
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import Any

from pactum.law import param
from pactum.scenario.world import ScenarioContext, Step
from pactum.services import solidarity
from pactum.services.auth import SYSTEM
from pactum.solidarity.fairshare import fair_shares, largest_remainder, pool_for
from pactum.solidarity.instances import generate, nationality_mix
from pactum.solidarity.matching import CapacityIn, MatchingRequest
from pactum.solidarity.schemas import (
    BeneficiaryAgreementIn,
    CycleAction,
    CycleCreate,
    DeductionAssessment,
    DeductionDecision,
    DeductionIn,
    DeductionSubstantiation,
    DesignationIn,
    NeedIn,
    OffsetTakeOver,
    PledgeIn,
    ReplacementIn,
    TransferRecord,
    TransfersImport,
)

LETTER_DATE = date(2023, 6, 23)
VSM_BY_LETTER = {"IT": 911, "CY": 676, "ES": 48, "MT": 76, "EL": 179}
VSM_FIRST = date(2022, 8, 1)
#: The 2026 pool's first day of implementation in the demo world: the day the Pact applies, on
#: which the pool's reference figures and the relocation equivalent are read from the law
POOL_STARTS = date(2026, 6, 12)
VSM_FEB_2024 = (date(2024, 2, 5), 4000)
VSM_DESTINATIONS = [("DE", 45), ("FR", 30), ("PT", 6), ("FI", 4), ("LU", 4), ("RO", 3), ("BG", 3), ("HR", 3), ("NO", 2)]
#: After the letter, to 12 EU+ countries by 5 February 2024 (S37): three more of the states that pledged (S39)
VSM_DESTINATIONS_LATER = [*VSM_DESTINATIONS, ("BE", 2), ("IE", 2), ("LT", 1)]

UNDER_PRESSURE = ("CY", "EL", "IT", "ES")
SIGNIFICANT = ("AT", "BG", "HR", "CZ", "EE", "PL")
AT_RISK = ("BE", "NL", "DE", "FR", "IE")
REPORTED_PLEDGES = {"DE": 4555, "FR": 3361}
NO_PLEDGE = ("HU", "SK")
DEDUCTING = ("AT", "CZ", "HR", "PL")
#: The Council's act establishing the 2026 pool, which also adjusted the deducting states' contributions to 0
COUNCIL_ACT_2026 = ("Council Implementing Decision (EU) 2025/2642", date(2025, 12, 19))
#: when the deducting states asked (while pledging) and the Commission assessed their requests
DEDUCTION_REQUESTED, DEDUCTION_ASSESSED = date(2025, 11, 25), date(2025, 12, 5)
SAR_BENEFICIARIES = ("IT", "EL", "ES")
#: The 2027 cycle: its proposal on the day it is due, the Forum's pledging 12 days later (within the 15
#: days of ``solidarity.cycle.forum_within``), the Commission's assessment of the deductions 3 weeks after
#: the requests (within the 4 weeks of ``solidarity.deduction.assessment_within``)
PROPOSAL_2027, FORUM_2027, ASSESSED_2027 = date(2026, 10, 15), date(2026, 10, 27), date(2026, 11, 17)
#: A state facing a significant migratory situation that pledged relocations for 2027 asks to replace them by
#: financial contributions of the same value (Art 62(2)(b)): the first of these with relocations pledged
REPLACING_2027, REPLACEMENT_ASKED_2027 = ("EE", "BG"), date(2026, 11, 24)
#: The alternative solidarity measures a benefitting state requests for 2026 (Arts 58(2), 65(1); EUR, generated):
#: Italy asks for reception containers and staff at its disembarkation points
ALTERNATIVE_NEEDS_2026 = {"IT": 3_000_000}
ALTERNATIVE_NEED_SAID = "reception containers and staff at the disembarkation points"
#: 2026: a state facing a significant migratory situation, with no deduction, asks to replace part of the
#: financial contributions it pledged by alternative measures for Italy (Art 62(2)(b)); the Commission finds it
#: justified three weeks later (within the 4 weeks of Art 62(4)) and the Council's implementing act (Art 62(5))
#: grants it in part. The first of these states with money pledged asks; the figures are generated.
REPLACING_2026 = ("EE", "BG")
REPLACEMENT_2026 = (date(2026, 7, 6), date(2026, 7, 27), date(2026, 9, 21))


def _at(ctx: ScenarioContext, d: date, hour: int = 10) -> None:
    ctx.at(datetime(d.year, d.month, d.day, hour, tzinfo=UTC))


def _pick(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _vsm(ctx: ScenarioContext, rng: random.Random) -> None:
    mix = nationality_mix()
    records: list[TransferRecord] = []
    span = (LETTER_DATE - VSM_FIRST).days
    n = 0

    def add(origin: str, arrived: date) -> None:
        nonlocal n
        n += 1
        matched = arrived - timedelta(days=rng.randint(35, 90))
        records.append(TransferRecord(
            applicant_ref=f"VSM-{origin}-{n:05d}", nationality=_pick(rng, mix.get(origin, mix["IT"])),
            origin_member_state=origin,
            destination_member_state=("FR" if arrived < date(2022, 9, 1) else _pick(
                rng, VSM_DESTINATIONS if arrived <= LETTER_DATE else VSM_DESTINATIONS_LATER)),
            matched_on=matched, security_cleared_on=matched + timedelta(days=rng.randint(5, 15)),
            accepted_on=matched + timedelta(days=rng.randint(16, 25)),
            transfer_decided_on=matched + timedelta(days=rng.randint(26, 34)), arrived_on=arrived))

    for origin, count in VSM_BY_LETTER.items():
        for _ in range(count):
            add(origin, VSM_FIRST + timedelta(days=rng.randint(0, span)))
    # After the letter: to a little over 4,000 by 5 February 2024, same origin mix.
    later = VSM_FEB_2024[1] + 50 - sum(VSM_BY_LETTER.values())
    weights = list(VSM_BY_LETTER.items())
    for _ in range(later):
        add(_pick(rng, weights), LETTER_DATE + timedelta(days=rng.randint(1, (VSM_FEB_2024[0] - LETTER_DATE).days)))
    _at(ctx, VSM_FEB_2024[0])
    solidarity.import_transfers(ctx.services, SYSTEM, None, TransfersImport(transfers=records))


def _open_cycle(ctx: ScenarioContext, year: int, proposal_on: date, forum_on: date | None) -> dict[str, Any]:
    """The Commission's Report, pressure decision and proposal of ``year``'s cycle (the designations of
    the 2026 decision), and the Forum's pledging exercise unless ``forum_on`` is None; the cycle as it
    is then."""
    s = ctx.services
    _at(ctx, proposal_on)
    solidarity.create_cycle(s, SYSTEM, CycleCreate(
        year=year, proposal_on=proposal_on,
        designations=[DesignationIn(member_state=m, status="under_pressure") for m in UNDER_PRESSURE]
        + [DesignationIn(member_state=m, status="significant_migratory_situation") for m in SIGNIFICANT]
        + [DesignationIn(member_state=m, status="at_risk") for m in AT_RISK]))
    c = solidarity.get_cycle(s, SYSTEM, year)
    if forum_on is None:
        return c
    _at(ctx, forum_on)
    return solidarity.cycle_action(s, SYSTEM, year, "open_pledging", CycleAction(version=c["version"], on=forum_on))


def _art_62_2_content(ms: str) -> DeductionSubstantiation:
    """What a request of a state the Commission's decision identified as facing a significant migratory
    situation includes (Art 62(2), points (a) to (d)); the demo world's words, generated."""
    return DeductionSubstantiation(
        stabilisation=f"A full deduction keeps {ms}'s reception places for the persons already on its territory.",
        replacement=f"{ms}'s pledged contribution could not be replaced by another type without the same strain.",
        vulnerabilities=f"{ms} extends its reception capacity and its registration staff during the year.",
        capacity_reached=f"{ms}'s reception system is at its maximum capacity, which leaves it no place for the "
                         "relocations pledged.")


def _deduction_requests(ctx: ScenarioContext, year: int, shares: dict[str, Any], requested: date,
                        assessed: date) -> dict[str, dict[str, Any]]:
    """The states facing a significant migratory situation ask for a full deduction of their fair
    share on ``requested``; the Commission finds each justified on ``assessed``."""
    s = ctx.services
    _at(ctx, requested)
    requests = {ms: solidarity.request_deduction(s, SYSTEM, year, DeductionIn(
        member_state=ms, relocations=shares[ms]["fair_share_relocations"], on=requested,
        substantiation=_art_62_2_content(ms))) for ms in DEDUCTING}
    _at(ctx, assessed)
    return {ms: solidarity.assess_deduction(s, SYSTEM, d["id"], DeductionAssessment(
        version=d["version"], justified=True, on=assessed)) for ms, d in requests.items()}


def _pledges_and_needs(ctx: ScenarioContext, rng: random.Random, year: int, shares: dict[str, Any], eur: int,
                       pool_reloc: int, pool_eur: int, *, reported: dict[str, int],
                       alternative_needs: dict[str, int] | None = None) -> None:
    """Each contributing state's pledge (``reported`` ones as reported, in relocations; the others
    generated around their fair share; HU and SK none) and the beneficiaries' needs in proportion to
    2024 applications (UNHCR), adding up to the pool: each rounded by largest remainder, as the fair
    shares are, so that they add up exactly. ``alternative_needs``: the alternative solidarity measures a
    benefitting state requests besides (EUR, Art 58(2); none when left out)."""
    s = ctx.services
    for ms, share in shares.items():
        if ms in UNDER_PRESSURE or ms in NO_PLEDGE or ms in DEDUCTING:
            continue
        if ms in reported:
            reloc, fin = reported[ms], 0
        else:
            fs = share["fair_share_relocations"]
            level = rng.uniform(0.2, 0.9)
            reloc = int(fs * level * rng.choice((0.0, 0.3, 0.6)))
            fin = int((fs * level - reloc) * eur)
        alt = int(share["fair_share_eur"] * 0.05) if ms in ("NL", "BE") else 0
        prefs = ["IT", "EL"] if ms == "DE" else (["CY"] if ms in ("LU",) else [])
        solidarity.submit_pledge(s, SYSTEM, year, PledgeIn(
            member_state=ms, relocations=reloc, financial_eur=fin, alternative_eur=alt,
            alternative_description="reception capacity and border equipment in kind" if alt else None,
            preferred_beneficiaries=prefs))
    apps = {ms: sum(n for _, n in rows) for ms, rows in nationality_mix().items() if ms in UNDER_PRESSURE}
    total = sum(apps.values())
    need_reloc = largest_remainder({ms: Fraction(pool_reloc * apps[ms], total) for ms in UNDER_PRESSURE}, pool_reloc)
    need_eur = largest_remainder({ms: Fraction(pool_eur * apps[ms], total) for ms in UNDER_PRESSURE}, pool_eur)
    for ms in UNDER_PRESSURE:
        solidarity.record_need(s, SYSTEM, year, NeedIn(
            member_state=ms, relocations=need_reloc[ms], financial_eur=need_eur[ms], sar=ms in SAR_BENEFICIARIES,
            alternative_eur=(alternative_needs or {}).get(ms)))


def _cycle_2026(ctx: ScenarioContext, rng: random.Random) -> None:
    s = ctx.services
    c = _open_cycle(ctx, 2026, date(2025, 11, 11), date(2025, 11, 24))
    # the states pledge against the pool the Council adopts (21,000: the figures reported are of it), not
    # the Commission's proposal (30,000) the pledge pages show while pledging is open
    shares = {x["member_state"]: x for x in fair_shares(pool_for(2026))["states"]}
    eur = int(param("solidarity.relocation_equivalent_eur", on=POOL_STARTS).value)
    requests = _deduction_requests(ctx, 2026, shares, DEDUCTION_REQUESTED, DEDUCTION_ASSESSED)
    _at(ctx, date(2025, 12, 2))
    pool_reloc = int(param("solidarity.pool.reference_relocations", on=POOL_STARTS).value)
    pool_eur = int(param("solidarity.pool.reference_financial_eur", on=POOL_STARTS).value)
    _pledges_and_needs(ctx, rng, 2026, shares, eur, pool_reloc, pool_eur, reported=REPORTED_PLEDGES,
                       alternative_needs=ALTERNATIVE_NEEDS_2026)
    act, act_on = COUNCIL_ACT_2026
    _at(ctx, act_on)
    earmark = float(param("solidarity.pool.sar_earmark", on=POOL_STARTS).value)
    ref = param("solidarity.pool.reference_relocations", on=POOL_STARTS)
    ref_eur = param("solidarity.pool.reference_financial_eur", on=POOL_STARTS)
    c = solidarity.cycle_action(s, SYSTEM, 2026, "adopt", CycleAction(
        version=c["version"], on=act_on, pool_relocations=int(ref.value),
        pool_financial_eur=int(ref_eur.value), sar_earmark=earmark, council_act_reference=act))
    for d in requests.values():  # the same act adjusted the deducting states' contributions to 0
        solidarity.decide_deduction(s, SYSTEM, d["id"], DeductionDecision(
            version=d["version"], granted=True, on=act_on, council_act_reference=act))
    _at(ctx, POOL_STARTS)
    c = solidarity.cycle_action(s, SYSTEM, 2026, "start_implementation", CycleAction(version=c["version"], on=POOL_STARTS))
    _relocations_2026(ctx, rng)
    if ctx.end > REPLACEMENT_2026[0]:
        _replacement_2026(ctx)


def _replacement_2026(ctx: ScenarioContext) -> None:
    """The first of :data:`REPLACING_2026` that pledged financial contributions for 2026 asks to replace half of
    them (rounded down to EUR 10,000) by alternative measures for Italy, which requested such measures (Art
    65(1): they rest on the benefitting state's request); the Commission finds it justified and the Council's
    act grants 60% of it (rounded down to EUR 10,000), each step only once the world reaches its day. Nothing
    here draws from the step's random stream: the other 2026 figures do not move."""
    s = ctx.services
    asked_on, assessed_on, decided_on = REPLACEMENT_2026
    for ms in REPLACING_2026:
        pledge = solidarity.pledge_page(s, SYSTEM, 2026, ms)["pledge"]
        if pledge and pledge["financial_eur"] >= 20_000:
            break
    else:
        return
    asked = pledge["financial_eur"] // 2 // 10_000 * 10_000
    _at(ctx, asked_on)
    d = solidarity.request_deduction(s, SYSTEM, 2026, DeductionIn(
        member_state=ms, relocations=0, on=asked_on,
        replacement=ReplacementIn(of="financial", eur=asked, by="alternative",
                                  description=f"{ALTERNATIVE_NEED_SAID} in Italy, as Italy requested"),
        substantiation=DeductionSubstantiation(
            stabilisation=f"Measures in kind let {ms} keep its own budget for the reception places it lacks.",
            replacement=f"Part of {ms}'s pledged financial contributions can be replaced by alternative measures "
                        "of the same value that Italy requested.",
            vulnerabilities=f"{ms} extends its reception capacity and its registration staff during the year.",
            capacity_reached=f"{ms}'s reception budget is spent on its own arrivals: it can give equipment and staff "
                             "it has rather than money.")))
    if ctx.end <= assessed_on:
        return
    _at(ctx, assessed_on)
    d = solidarity.assess_deduction(s, SYSTEM, d["id"], DeductionAssessment(version=d["version"], justified=True,
                                                                             on=assessed_on))
    if ctx.end <= decided_on:
        return
    _at(ctx, decided_on)
    solidarity.decide_deduction(s, SYSTEM, d["id"], DeductionDecision(
        version=d["version"], granted=True, on=decided_on,
        council_act_reference=f"Council implementing act of {decided_on:%d.%m.%Y} on {ms}'s request (generated)",
        granted_replacement_eur=asked * 3 // 5 // 10_000 * 10_000))


def _cycle_2027(ctx: ScenarioContext, rng: random.Random) -> None:
    """The 2027 cycle as far as the world's last day reaches: the proposal; after the Forum, the pledges
    and needs against the proposal (no pool adopted yet) and the deduction requests, assessed three
    weeks later and then awaiting the Council's act."""
    if ctx.end <= FORUM_2027:
        _open_cycle(ctx, 2027, PROPOSAL_2027, None)
        return
    _open_cycle(ctx, 2027, PROPOSAL_2027, FORUM_2027)
    pool = pool_for(2027)
    shares = {x["member_state"]: x for x in fair_shares(pool)["states"]}
    eur = int(param("solidarity.relocation_equivalent_eur", on=FORUM_2027).value)
    _pledges_and_needs(ctx, rng, 2027, shares, eur, pool.relocations, pool.financial_eur, reported={})
    if ctx.end > REPLACEMENT_ASKED_2027:
        _replacement_request_2027(ctx)
    if ctx.end > ASSESSED_2027:
        _deduction_requests(ctx, 2027, shares, FORUM_2027, ASSESSED_2027)
    else:
        _at(ctx, FORUM_2027)
        for ms in DEDUCTING:
            solidarity.request_deduction(ctx.services, SYSTEM, 2027, DeductionIn(
                member_state=ms, relocations=shares[ms]["fair_share_relocations"], on=FORUM_2027,
                substantiation=_art_62_2_content(ms)))


def _replacement_request_2027(ctx: ScenarioContext) -> None:
    """A state the Commission's decision identified as facing a significant migratory situation, whose
    reception system is full, asks to replace the relocations it pledged for 2027 by financial
    contributions of the same value (Art 62(2)(b), no deduction asked): the request awaits the
    Commission's assessment on the world's last day. The first of :data:`REPLACING_2027` that pledged
    relocations asks (none when neither did: the pledges are generated)."""
    s = ctx.services
    for ms in REPLACING_2027:
        pledge = solidarity.pledge_page(s, SYSTEM, 2027, ms)["pledge"]
        if pledge and pledge["relocations"] > 0:
            break
    else:
        return
    _at(ctx, REPLACEMENT_ASKED_2027)
    solidarity.request_deduction(s, SYSTEM, 2027, DeductionIn(
        member_state=ms, relocations=0, on=REPLACEMENT_ASKED_2027,
        replacement=ReplacementIn(relocations=pledge["relocations"], by="financial"),
        substantiation=DeductionSubstantiation(
            stabilisation=f"Paying instead of relocating keeps {ms}'s reception places for the persons on its territory.",
            replacement=f"{ms}'s pledged relocations can be replaced by financial contributions of the same value.",
            vulnerabilities=f"{ms} opens two reception centres and doubles its registration staff in 2027.",
            capacity_reached=f"{ms}'s reception system is at its maximum capacity: it has no place for the persons "
                             "it pledged to relocate, and can pay their value instead.")))


def _sequence(allocation: dict[str, int]) -> list[str]:
    """A contributor's allocation as a sequence of places, each to a benefitting state, by the highest
    average (Sainte-Lague): each state appears as many times as its allocation and every run of
    consecutive places is shared about in proportion to the allocation (ties: state code). The
    averages are compared as floats: ratios of whole numbers this small round apart when they differ.
    """
    heap = [(-float(n), b, 0) for b, n in allocation.items() if n > 0]
    heapq.heapify(heap)
    seq: list[str] = []
    while heap:
        _, b, given = heapq.heappop(heap)
        seq.append(b)
        if given + 1 < allocation[b]:
            heapq.heappush(heap, (-allocation[b] / (2 * given + 3), b, given + 1))
    return seq


def _monthly_places(distribution: list[dict[str, Any]], per_round: int, rounds: int,
                    rng: random.Random) -> list[dict[tuple[str, str], int]]:
    """Places offered in each round per (benefitting state, contributing state): monthly slices of
    the distribution of each contributor's pledge (``solidarity.distribution``).

    A contributor offers about ``per_round * 0.7`` places a round in all, shared in proportion to
    its relocations pledged (at least 1): consecutive places of its allocation's sequence
    (:func:`_sequence`), from a point drawn from ``rng`` so that the small contributors' single
    places do not all go to the same state in the same round. A place of the sequence is offered
    once at most: a pair never gets more places in all than the distribution allocates to it.
    """
    total = sum(d["relocations"] for d in distribution)
    out: list[dict[tuple[str, str], int]] = [{} for _ in range(rounds)]
    for d in sorted(distribution, key=lambda d: d["member_state"]):
        seq = _sequence({b: int(n) for b, n in sorted(d["allocation"].items()) if n > 0})
        if not seq:
            continue
        monthly = max(1, round(per_round * 0.7 * d["relocations"] / total))
        start = rng.randrange(len(seq))
        for j in range(min(rounds * monthly, len(seq))):
            key = (seq[(start + j) % len(seq)], d["member_state"])
            out[j // monthly][key] = out[j // monthly].get(key, 0) + 1
    return out


def _beneficiary_agreements(ctx: ScenarioContext, distribution: list[dict[str, Any]],
                            rng: random.Random) -> set[tuple[str, str]]:
    """About half of the contributing states agree, at the end of June 2026, to receive beneficiaries
    of international protection from each state their relocations go to (Art 56(2)(a)); the
    matching places beneficiaries only with them. Returns (benefitting, contributing) pairs."""
    _at(ctx, date(2026, 6, 30))
    pairs = set()
    for d in distribution:
        for beneficiary, n in sorted(d["allocation"].items()):
            if n > 0 and rng.random() < 0.5:
                solidarity.record_beneficiary_agreement(ctx.services, SYSTEM, 2026, BeneficiaryAgreementIn(
                    contributor_member_state=d["member_state"], beneficiary_member_state=beneficiary,
                    agreed_on=date(2026, 6, 30)))
                pairs.add((beneficiary, d["member_state"]))
    return pairs


def _relocations_2026(ctx: ScenarioContext, rng: random.Random) -> None:
    """Monthly matching rounds from July following the pool's distribution: each contributing state
    offers each benefitting state a monthly slice of the relocations its pledge allocates to that
    state, and the optimiser places the applicants of each benefitting state in the contributors
    that give it places (one run per benefitting state); transfers then move on."""
    s = ctx.services
    distribution = solidarity.distribution(s, SYSTEM, 2026)
    end = ctx.end if ctx.end > date(2026, 7, 1) else date(2026, 11, 28)
    rounds = [date(2026, m, 1) for m in range(7, 12) if date(2026, m, 1) <= end]
    per_round = max(20, int(120 * ctx.scale))
    places = _monthly_places(distribution, per_round, len(rounds), random.Random(f"{ctx.seed}:solidarity:places"))
    agreed = _beneficiary_agreements(ctx, distribution, random.Random(f"{ctx.seed}:solidarity:agreements"))
    mix = nationality_mix()
    records: list[TransferRecord] = []
    for k, day in enumerate(rounds):
        # half as many persons again as places would leave places in IT and EL empty: a state's
        # share of the places follows the distribution, its share of the persons 2024's applications
        req = generate(random.Random(f"{ctx.seed}:solidarity:{k}"), per_round * 3 // 2)
        # only the 2026 beneficiaries are origins
        req.applicants = [a for a in req.applicants if a.in_member_state in UNDER_PRESSURE]
        fam_origin: dict[str, str] = {}
        for a in req.applicants:
            if a.family_id:
                a.in_member_state = fam_origin.setdefault(a.family_id, a.in_member_state)
        _at(ctx, day)
        for a in req.applicants:
            if a.family_id is None and rng.random() < 0.08:
                a.status, a.consent = "beneficiary", True
                a.protection_granted_on = day - timedelta(days=rng.randint(60, 1000))
        placed: dict[str, str] = {}
        for origin in UNDER_PRESSURE:
            applicants = [a for a in req.applicants if a.in_member_state == origin]
            capacities = [CapacityIn(member_state=c, places=n, accepts_beneficiaries=(origin, c) in agreed)
                          for (b, c), n in sorted(places[k].items()) if b == origin]
            if not applicants or not capacities:
                continue
            result = solidarity.match(s, SYSTEM, MatchingRequest(
                capacities=capacities, applicants=applicants, weights=req.weights))
            placed.update((a.applicant_id, a.member_state) for a in result.assignments)
        for ap in req.applicants:
            if ap.id not in placed:
                continue
            dest = placed[ap.id]
            link = next((lk.kind for lk in ap.links if lk.member_state == dest), None)
            matched = day
            rec: dict[str, Any] = {"applicant_ref": f"R26-{k}-{ap.id}", "family_ref": ap.family_id and f"R26-{k}-{ap.family_id}",
                   "nationality": _pick(rng, mix[ap.in_member_state]), "origin_member_state": ap.in_member_state,
                   "destination_member_state": dest, "link_kind": link, "matched_on": matched}
            if ap.status == "beneficiary":
                rec.update(status="beneficiary", protection_granted_on=ap.protection_granted_on,
                           consent_on=matched - timedelta(days=rng.randint(1, 20)))
            sec = matched + timedelta(days=rng.randint(7, 20))
            if rng.random() < 0.02 and sec <= end:
                rec["excluded_on"] = sec
            else:
                # acc: the relocation state's confirmation (Art 67(9)), from which the transfer decision's
                # week (Art 67(10)) and the transfer's 4 weeks (Art 67(11)) run. The decision comes 1 to 8
                # days after it (about 1 in 8 a day late); the arrival 8 to 43 days after it (about a
                # third after the 4 weeks). The draws are those of the world before the deadlines ran from
                # the confirmation, whose arrivals stay as they were; its decisions came 2 days later.
                acc = sec + timedelta(days=rng.randint(5, 15))
                gap = rng.randint(3, 10)
                dec = acc + timedelta(days=gap - 2)
                arr = acc + timedelta(days=gap + rng.randint(7, 33))
                for key, when in (("security_cleared_on", sec), ("accepted_on", acc),
                                  ("transfer_decided_on", dec), ("arrived_on", arr)):
                    if when > end:
                        break
                    rec[key] = when
            records.append(TransferRecord(**rec))
    # the transfers' stages are recorded once they happened: the rounds' histories up to the world's last day
    _at(ctx, end)
    solidarity.import_transfers(s, SYSTEM, 2026, TransfersImport(transfers=records))
    _offsets_2026(ctx, end)


def _offsets_2026(ctx: ScenarioContext, end: date) -> None:
    """Responsibility offsets on the world's last day: up to 5 applications per pair."""
    s = ctx.services
    view = solidarity.offsets_view(s, SYSTEM, 2026)
    remaining = {c["member_state"]: c["remaining"] for c in view["contributors"]}
    _at(ctx, end)
    for e in view["eligible_applications"]:
        contributor = e["contributor_member_state"]
        n = min(5, e["applications"], remaining.get(contributor, 0))
        if n <= 0:
            continue
        solidarity.take_over(s, SYSTEM, 2026, OffsetTakeOver(
            beneficiary_member_state=e["beneficiary_member_state"], contributor_member_state=contributor,
            count=n, on=end))
        remaining[contributor] -= n


def build(ctx: ScenarioContext) -> None:
    rng = ctx.step_rng("solidarity")
    with ctx.progress("Solidarity: VSM transfers, the 2026 pool and the 2027 cycle", total=2) as advance:
        _vsm(ctx, rng)
        advance(1)
        if ctx.end >= date(2025, 11, 11):
            _cycle_2026(ctx, rng)
        if ctx.end >= PROPOSAL_2027:
            _cycle_2027(ctx, ctx.step_rng("solidarity-2027"))
        advance(1)


STEP = Step(name="solidarity", order=60, build=build,
            description="VSM relocation transfers (2022-2024), the 2026 Solidarity Pool in progress and the 2027 cycle's pledging")
