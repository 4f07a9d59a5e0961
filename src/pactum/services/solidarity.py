"""Solidarity: handlers and queries for the annual cycle, pledges, needs, deductions, the
relocation matching and the relocation transfer tracker.

Rights and visibility:
- the Commission's ``solidarity_coordinator`` (authority ``COM``) manages the cycle, sees every
  state's pledge, the pool at a glance and every transfer;
- a Member State's ``solidarity_coordinator`` pledges for its own state, sees its own pledge page
  and the transfers leaving from or arriving in its state; a beneficiary records its needs;
- analysts (any authority) read the aggregate figures (pool overview, fair shares, counts).

Every write is one unit of work with an audit entry; stale versions and illegal transitions are 409.
"""

from __future__ import annotations

from collections import Counter
from contextlib import suppress
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, and_, func, insert, or_, select, true

from pactum.common.csvrows import csv_table
from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.common.ids import new_id
from pactum.common.paging import page_problems
from pactum.common.states import MEMBER_STATES, member_state
from pactum.law import NotInForce, add_period, param
from pactum.law.tree import history
from pactum.registry.local_time import state_today
from pactum.responsibility import procedure as proc
from pactum.responsibility.criteria import ARTICLES as _CRITERIA_ARTICLES
from pactum.responsibility.criteria import age_on
from pactum.services import responsibility
from pactum.services.auth import SYSTEM, Principal, Role, require
from pactum.services.bootstrap import Services
from pactum.services.indicators import indicator
from pactum.services.jobs import job
from pactum.solidarity import cycle as cyc
from pactum.solidarity import deductions as ded
from pactum.solidarity import key_csv
from pactum.solidarity import offsets as offs
from pactum.solidarity import transfers as tr
from pactum.solidarity.fairshare import SOLIDARITY_STATES, KeyFigures, KeyInput, Pool, fair_shares, pool_for
from pactum.solidarity.matching import (
    LINK_KINDS,
    STATUSES,
    MatchingRequest,
    MatchingResult,
    check_assignment,
    validate_request,
)
from pactum.solidarity.optimiser import solve
from pactum.solidarity.schemas import (
    BeneficiaryAgreementEnd,
    BeneficiaryAgreementIn,
    CycleAction,
    CycleCreate,
    DeductionAssessment,
    DeductionDecision,
    DeductionIn,
    MeasureAssignmentIn,
    NeedIn,
    OffsetTakeOver,
    PledgeIn,
    PledgeProgress,
    TransferEvent,
    TransfersCreate,
    TransfersImport,
)
from pactum.store.tables.base import update_versioned
from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.registry import eurodac_records, identity_records
from pactum.store.tables.responsibility import dublin_cases, dublin_requests
from pactum.store.tables.solidarity import (
    relocation_transfers,
    solidarity_beneficiary_agreements,
    solidarity_cycles,
    solidarity_deductions,
    solidarity_designations,
    solidarity_key_figures,
    solidarity_measure_assignments,
    solidarity_needs,
    solidarity_offsets,
    solidarity_pledges,
)

VSM_ERA = "vsm"
AMMR_ERA = "ammr"


# --- rights -------------------------------------------------------------------------------------


def _is_commission_coordinator(p: Principal) -> bool:
    return p.authority == "COM" and p.has(Role.solidarity_coordinator)


def _require_commission(p: Principal) -> None:
    if not manages_pool(p):
        raise Forbidden("only the Commission's solidarity coordinator may do this")


def _require_reader(p: Principal) -> None:
    require(p, Role.solidarity_coordinator, Role.analyst, Role.admin, Role.auditor)


def _own_state(p: Principal, requested: str | None, field: str = "member_state") -> str:
    """The state a state user acts for (their own); the Commission may name any state."""
    if manages_pool(p):
        if not requested:
            raise ValidationProblem.one(field, "name the Member State")
        return _state(field, requested)
    require(p, Role.solidarity_coordinator)
    own = p.member_state
    if own is None:
        raise Forbidden("this action is for a Member State's solidarity coordinator")
    if requested and _state(field, requested) != own:
        raise Forbidden(f"users of {own} act only for {own}")
    return own


def acts_for(p: Principal, state: str) -> bool:
    """Whether ``p`` may pledge and take over applications for ``state`` (as :func:`_own_state`
    allows): the state's own solidarity coordinators and the Commission's coordinator
    (:func:`manages_pool`). A state's analysts and other users read its pledge page only."""
    if manages_pool(p):
        return True
    return p.member_state == state and p.has(Role.solidarity_coordinator)


# --- for the screens: who may do what, when (the handlers below check the same) ------------------

#: The designations under which a state asks for a deduction on the Commission's decision (Arts 61, 62);
#: any other state bound by the solidarity rules asks on its own assessment (:func:`request_deduction`).
DEDUCTION_DESIGNATIONS = ("under_pressure", "significant_migratory_situation")


def manages_pool(p: Principal) -> bool:
    """Whether ``p`` acts for the Commission on the pool (:func:`_require_commission`): opens cycles,
    moves them on, decides deductions, records matched persons as relocation transfers, and may act
    for any state. Only the Commission manages the Annual Solidarity Pool (AMMR Arts 11, 12, 57, 61):
    its solidarity coordinator (authority ``COM``), and the local operator (``SYSTEM``: the CLI
    without ``PACTUM_CLI_USER``, the demo world's build). An administrator of another EU body
    (eu-LISA, Frontex, EUAA) runs the platform, not the pool: 403."""
    return _is_commission_coordinator(p) or p == SYSTEM


def state_actions(p: Principal, page: dict[str, Any]) -> frozenset[str]:
    """What ``p`` may record from a state's pledge page (a :func:`pledge_page` answer) at its
    cycle's status, for the page to offer only those forms: ``need`` (a benefitting state, or one
    that recorded a need, until the cycle closes; :func:`record_need`), ``deduction`` (a state bound by
    the solidarity rules, until the cycle closes: identified under pressure or in a significant migratory
    situation, or on its own assessment; not a state under pressure that uses the pool;
    :func:`request_deduction`),
    ``progress`` (during implementation, against a pledge of money or alternative measures of a state
    not benefitting from the pool: the amounts paid and carried out; :func:`record_pledge_progress`;
    relocations are counted from the transfers); ``agreement`` (a state bound by the solidarity rules and not benefitting from the pool, until the cycle closes: agreements to
    receive beneficiaries of international protection from a benefitting state, and their end;
    :func:`record_beneficiary_agreement`).
    The state's own coordinators act from its page, and the Commission's coordinator for it
    (:func:`acts_for`)."""
    ms = page["member_state"]
    if not acts_for(p, ms):
        return frozenset()
    status, out = page["cycle_status"], set()
    receives = page.get("receives") or {}
    # a benefitting state records its need (Art 58); the Commission may also keep the need it recorded
    # after assessing a state's notification (Art 59)
    if status != "closed" and page["bound_by_solidarity"] and (
            page["designation"] == "under_pressure" or (manages_pool(p) and receives.get("need"))):
        out.add("need")
    # a state under pressure that uses the pool (its need recorded) asks for no Art 61 deduction
    uses_pool = page["designation"] == "under_pressure" and bool(
        (receives.get("need") or {}).get("relocations") or (receives.get("need") or {}).get("financial_eur")
        or (receives.get("transfers") or {}).get("done") or (receives.get("transfers") or {}).get("pending")
        or (receives.get("transfers") or {}).get("closed"))
    # any other state bound by the solidarity rules may ask on its own assessment (Arts 61(1), 62(1))
    if status != "closed" and page["bound_by_solidarity"] and not uses_pool:
        out.add("deduction")
    pledge = page["pledge"] or {}
    # a benefitting state does not implement its own pledge while it benefits (Art 60(3)): nothing to record;
    # money and alternative measures are still recorded once the cycle is closed (Arts 60(3), 65(3))
    if status in PROGRESS_STATUSES and not page.get("benefitting") and any(pledge.get(k) for k in (
            "financial_eur", "alternative_eur", "paid_eur", "alternative_done_eur")):
        out.add("progress")
    # the contributing side of an agreement to receive beneficiaries: not a benefitting state (Art 58)
    if status != "closed" and page["bound_by_solidarity"] and not page.get("benefitting"):
        out.add("agreement")
    return frozenset(out)


def cycle_legal_basis(year: int) -> dict[str, list[str]]:
    """The citations of the cycle's steps, from the law's parameters in force for ``year``, for the
    screens that record them: ``create`` (report, pressure decision and proposal), ``open_pledging``
    (the High-Level EU Solidarity Forum), ``adopt`` (the Council's implementing act), as
    :func:`pactum.solidarity.cycle.step_basis` gives them; ``deduction`` (a deduction request and its
    assessment). A step with no parameter in force cites nothing."""
    on = date(min(max(year, 1), 9999), 12, 31)
    out: dict[str, list[str]] = cyc.step_basis(year)
    try:
        out["deduction"] = [param("solidarity.deduction.assessment_within", on=on).reference.cite()]
    except NotInForce:
        out["deduction"] = []
    if out["deduction"]:  # the Council decides on the assessment; a state facing a significant migratory
        # situation asks under Art 62, assessed and decided under its paragraphs 4 and 5
        for name in ("solidarity.deduction.council_decision", *DEDUCTION_PARAMS["article_62"]):
            with suppress(NotInForce):
                out["deduction"].append(param(name, on=on).reference.cite())
        out["deduction"] = list(dict.fromkeys(out["deduction"]))
    return out


def deduction_requests(services: Services, principal: Principal, year: int, state: str) -> list[dict[str, Any]]:
    """A state's deduction requests in a cycle, oldest first, for whoever reads its pledge page
    (a state's users only their own state's)."""
    if principal.member_state is not None:
        if _state("member_state", state) != principal.member_state:
            raise NotFound(f"no pledge page for {state}")
        require(principal, Role.solidarity_coordinator, Role.admin, Role.analyst)
    else:
        _require_reader(principal)
    ms = _state("member_state", state)
    D = solidarity_deductions
    today = services.clock.today()
    with services.engine.connect() as conn:
        row = _cycle(conn, year)
        return [_deduction_dict(d, row, today)
                for d in conn.execute(select(D).where(and_(D.c.cycle_id == row.id, D.c.member_state == ms))
                                      .order_by(D.c.requested_on, D.c.created_at))]


def _count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun in the number it takes: "1 application", "2 applications" (never "(s)")."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def _state(field: str, code: str) -> str:
    try:
        return member_state(code)
    except ValueError as exc:
        raise ValidationProblem.one(field, str(exc)) from None


def _bound(problems: list[tuple[str, str]], field: str, code: str | None) -> None:
    """A problem naming ``field`` when ``code`` is a state not bound by the solidarity rules (Denmark,
    Protocol No 22; the Dublin associated states NO, CH, IS, LI take no part in the pool)."""
    if code is not None and code not in SOLIDARITY_STATES:
        problems.append((field, f"{code} is not bound by the solidarity rules of Regulation (EU) 2024/1351 "
                                "(Part IV): it takes no part in the Annual Solidarity Pool"))


def _non_negative(problems: list[tuple[str, str]], **values: int | None) -> None:
    for k, v in values.items():
        if v is not None and v < 0:
            problems.append((k, f"cannot be negative (got {v})"))


def pool_years(today: date) -> tuple[int, int]:
    """The years a solidarity cycle may be recorded or its fair shares asked for on ``today``: from
    the first pool (``solidarity.cycle.first_pool_year``, 2026, whose cycle ran in 2025 under the early
    application of the cycle's provisions, Art 85) to next year's, whose proposal the Commission makes
    this year with its annual report (Arts 9, 12)."""
    return cyc.first_pool_year(), today.year + 1


def _pool_year_problem(year: int, today: date) -> str | None:
    first, last = pool_years(today)
    if year < first:
        cited = history("solidarity.cycle.first_pool_year").reference.cite()
        return (f"the Annual Solidarity Pool exists from {first}, the pool of the first annual cycle ({cited}); "
                f"use {first} to {last}")
    if year > last:
        return (f"{year} is too far ahead: the Commission proposes a pool in the year before it (Art 12); "
                f"use {first} to {last}")
    return None


# --- fair shares ----------------------------------------------------------------------------------


def _pool(conn: Connection, year: int) -> Pool:
    """The pool the fair shares of ``year`` are taken of: the Council's once it has adopted the pool;
    before that, the Commission's proposal recorded for the year (indicative fair shares, Art 12);
    without a cycle, the Council's reference numbers known for the year or the Art 12(2) minimum."""
    row = conn.execute(select(solidarity_cycles).where(solidarity_cycles.c.year == year)).first()
    base = pool_for(year)
    if row is not None and row.status in cyc.ADOPTED_STATUSES:
        return Pool(
            year=year,
            relocations=row.pool_relocations,
            financial_eur=row.pool_financial_eur,
            legal_basis=[row.council_act_reference or base.legal_basis[0]],
            note=f"Pool established by the Council's act of {row.council_act_on}.",
        )
    if row is not None:
        try:
            basis = [param("solidarity.pool.relocations_min", on=date(year, 12, 31)).reference.cite()]
        except NotInForce:
            basis = base.legal_basis
        return Pool(
            year=year,
            relocations=row.pool_relocations,
            financial_eur=row.pool_financial_eur,
            legal_basis=basis,
            note=(f"The Commission's proposal of {row.proposal_on}: indicative fair shares until the Council "
                  "adopts the pool (Art 12)."),
        )
    return base


def _key_figures(conn: Connection, year: int) -> KeyFigures | None:
    """The reference key's inputs the Commission loaded for the ``year`` cycle (None: none loaded, the
    shipped Eurostat figures apply)."""
    K = solidarity_key_figures
    rows = conn.execute(select(K).join(solidarity_cycles, solidarity_cycles.c.id == K.c.cycle_id)
                        .where(solidarity_cycles.c.year == year).order_by(K.c.member_state)).all()
    if not rows:
        return None
    return KeyFigures(reference_year=rows[0].reference_year, source=rows[0].source,
                      rows={r.member_state: KeyInput(r.member_state, r.population, Fraction(Decimal(r.gdp_meur)))
                            for r in rows})


def _shares(conn: Connection, year: int, pool: Pool | None = None) -> dict[str, Any]:
    """The fair shares of the ``year`` pool (:func:`_pool`), of the key's inputs loaded for the cycle
    if any (:func:`load_key_figures`), else of the shipped Eurostat figures."""
    return fair_shares(pool or _pool(conn, year), figures=_key_figures(conn, year))


def get_fair_shares(
    services: Services, principal: Principal, year: int, source: str = "eurostat"
) -> dict[str, Any]:
    """Each bound state's population share, GDP share, key and fair share of the pool: of the figures
    loaded for the year's cycle when the Commission loaded some (``figures_loaded``), else of the
    shipped data (``source``: ``eurostat`` or the ``worldbank`` variant)."""
    if source not in ("eurostat", "worldbank"):
        raise ValidationProblem.one("source", "use 'eurostat' (default) or 'worldbank'")
    why = _pool_year_problem(year, state_day(services, principal.member_state))
    if why:
        raise ValidationProblem.one("year", why)
    with services.engine.connect() as conn:
        pool = _pool(conn, year)
        figures = _key_figures(conn, year) if source == "eurostat" else None
    try:
        return fair_shares(pool, source=source, figures=figures)  # type: ignore[arg-type]
    except ValueError as exc:
        raise ValidationProblem.one("year", str(exc)) from None


#: The cycle's statuses in which the key's inputs may still be loaded: the Council's act fixes the fair
#: shares, and the figures they were computed of are then history.
KEY_LOADABLE = ("proposal", "pledging")


def load_key_figures(services: Services, principal: Principal, year: int, text: str, *,
                     reference_year: int | None, source: str | None) -> dict[str, Any]:
    """The Commission loads the reference key's inputs for the ``year`` cycle from a CSV file
    (:mod:`pactum.solidarity.key_csv`): every bound state's population and GDP (million EUR) for
    ``reference_year``, from ``source`` (e.g. "Eurostat tps00001 and tec00001, extracted 2026-09-30").
    All or nothing, audited; replaces figures loaded before. Only before the Council's act (409 after:
    the fair shares it adopted are history). The reference year is before the pool's year and not
    after today's."""
    _require_commission(principal)
    problems: list[tuple[str, str]] = []
    today = union_today(services)  # the Commission loads them: Brussels's year
    said = (source or "").strip()
    if not said:
        problems.append(("source", "name the source of the figures (e.g. Eurostat tps00001 and tec00001)"))
    elif len(said) > 300:
        problems.append(("source", "at most 300 characters"))
    if reference_year is None:
        problems.append(("reference_year", "required: the year the population and GDP figures are of"))
    elif not 2000 <= reference_year < year:
        problems.append(("reference_year", f"the figures of a year before the {year} pool (from 2000)"))
    elif reference_year > today.year:
        problems.append(("reference_year", f"{reference_year} is after this year ({today.year} in Brussels): no "
                                           "figures exist for it yet"))
    try:
        parsed = key_csv.parse(text)
    except ValidationProblem as exc:
        problems.extend(exc.problems)
        parsed = None
    if problems or parsed is None:
        raise ValidationProblem(problems[:key_csv.MAX_PROBLEMS])
    assert reference_year is not None
    K = solidarity_key_figures
    with services.uow() as uow:
        row = _cycle(uow.conn, year)
        if row.status not in KEY_LOADABLE:
            raise Conflict(f"the {year} cycle is '{row.status}': the Council's act fixed its fair shares, and the "
                           "figures they were computed of are kept as they were")
        before = _key_figures(uow.conn, year)
        uow.conn.execute(K.delete().where(K.c.cycle_id == row.id))
        uow.conn.execute(insert(K), [
            {"id": new_id("skf"), "cycle_id": row.id, "member_state": ms, "reference_year": reference_year,
             "population": r.population, "gdp_meur": _decimal_text(r.gdp), "source": said,
             "loaded_by": principal.username, "created_at": uow.now}
            for ms, r in sorted(parsed.rows.items())])
        uow.audit(principal, "solidarity.key_figures.load", "solidarity_cycle", row.id,
                  before=None if before is None else {"reference_year": before.reference_year, "source": before.source},
                  after={"reference_year": reference_year, "source": said, "states": len(parsed.rows),
                         "skipped": parsed.skipped})
        uow.commit()
    out = get_fair_shares(services, principal, year)
    return {**out, "loaded": len(parsed.rows), "skipped": parsed.skipped}


def _decimal_text(value: Fraction) -> str:
    """A GDP read from a decimal number, written back as that number (exact)."""
    d = Decimal(value.numerator) / Decimal(value.denominator)
    return format(d.normalize(), "f")


def key_figures_template() -> str:
    """The header and one empty row per bound state, for a key's inputs file."""
    return key_csv.TEMPLATE


# --- relocation matching ------------------------------------------------------------------------


def council_act_on(services: Services, year: int) -> date | None:
    """The adoption of the ``year`` cycle's Council implementing act (Art 57), None before it (or
    without a cycle): the day the 3-year limit for relocating beneficiaries of international
    protection runs back from (Art 56(2)(a)(ii))."""
    if not 1 <= year <= 9999:
        return None
    with services.engine.connect() as conn:
        return conn.execute(select(solidarity_cycles.c.council_act_on)
                            .where(solidarity_cycles.c.year == year)).scalar()


def _with_council_act(services: Services, request: MatchingRequest, today: date) -> MatchingRequest:
    """``request`` with the Council act's date of the cycle of its matching's year (the day it is
    matched, default today) when it names none (Art 56(2)(a)(ii)): a property of the cycle."""
    if request.council_act_on is not None:
        return request
    act_on = council_act_on(services, (request.on or today).year)
    return request if act_on is None else request.model_copy(update={"council_act_on": act_on})


def match(services: Services, principal: Principal, request: MatchingRequest) -> MatchingResult:
    """Optimal relocation matching (see :mod:`pactum.solidarity.optimiser`). Writes nothing. A
    beneficiary of international protection is eligible when granted protection less than 3 years
    before the cycle's Council act (:func:`_with_council_act`)."""
    require(principal, Role.solidarity_coordinator, Role.analyst, Role.admin)
    # the matching day, when the request names none: the day of whoever matches (Brussels's for the
    # Commission's coordinator, :func:`state_day`), not UTC's
    today = state_day(services, principal.member_state)
    problem = validate_request(_with_council_act(services, request, today), today=today)
    result, _ = solve(problem, threads=2)
    return result


def may_match(p: Principal) -> bool:
    """Whether ``p`` may use the matching page: an EU body's solidarity coordinator, analyst or
    administrator (:func:`match` and :func:`matching_capacities` allow them; a state's users see
    their pledge page)."""
    return p.member_state is None and p.has(Role.solidarity_coordinator, Role.analyst, Role.admin)


#: No bilateral agreement on receiving beneficiaries of international protection is recorded: each
#: contributing state is taken to accept them, the matching contract's default.
ACCEPTS_BENEFICIARIES_NOTE = ("a contributing state receives beneficiaries of international protection only where it "
                              "has agreed with the benefitting state to (Art 56(2)(a)); its coordinator records the "
                              "agreement on its pledge page, and the matching places a beneficiary only there")


def matching_capacities(services: Services, principal: Principal, year: int, beneficiary: str,
                        on: date | None = None) -> dict[str, Any]:
    """The places each contributing state still has for ``beneficiary`` in the ``year`` cycle, to fill
    the ``capacities`` of a relocation matching: ``allocated``, what the pool's distribution gives from
    the contributor to that state (:func:`distribution`); ``matched``, the persons already matched from
    that state to the contributor (the cycle's relocation transfers, not excluded or cancelled);
    ``remaining`` = allocated - matched, never below 0; ``accepts_beneficiaries``, whether the
    contributor's agreement to receive beneficiaries of international protection from that state is
    in force on ``on`` (default today; :func:`record_beneficiary_agreement`). Read by the Commission
    and analysts, as the distribution is."""
    if principal.member_state is not None:
        raise Forbidden("the matching capacities are for the Commission and analysts; states see their pledge page")
    _require_reader(principal)
    ms = _state("beneficiary", beneficiary)
    T = relocation_transfers
    with services.engine.connect() as conn:
        cs = _cycle_state(conn, year)
        row = cs.row
        if ms not in cs.benefitting:
            raise ValidationProblem.one("beneficiary", f"{ms} is not a benefitting state of the {year} pool "
                                                       f"({cyc.POOL_ACCESS_BASIS}); benefitting states: "
                                                       f"{', '.join(cs.benefitting) or 'none'}")
        matched: dict[str, int] = {d: int(n) for d, n in conn.execute(
            select(T.c.destination_member_state, func.count()).where(and_(
                T.c.cycle_id == row.id, T.c.origin_member_state == ms,
                T.c.stage.not_in(cyc.CLOSED_TRANSFER_STAGES)))
            .group_by(T.c.destination_member_state))}
        designation = conn.execute(select(solidarity_designations.c.status).where(and_(
            solidarity_designations.c.cycle_id == row.id, solidarity_designations.c.member_state == ms))).scalar()
        # the matching day: Brussels's (the Commission's coordinator matches for the Union)
        agreed = _agreements_in_force(conn, row.id, ms, on or union_today(services))
    allocated: dict[str, int] = {}
    basis: list[str] = []
    for d in _distribution(services, row, cs.accounts, cs.needs):
        n = int(d["allocation"].get(ms, 0))
        if n > 0:
            allocated[d["member_state"]] = n
            basis += [b for step in d["trace"] if cyc.concerns(step, ms) for b in step["legal_basis"]]
    rows = [{"member_state": c, "allocated": allocated.get(c, 0), "matched": matched.get(c, 0),
             "remaining": max(allocated.get(c, 0) - matched.get(c, 0), 0), "accepts_beneficiaries": c in agreed,
             "beneficiaries_agreed_on": agreed.get(c)}
            for c in sorted(set(allocated) | set(matched))]
    return {
        "year": year,
        "cycle_status": row.status,
        "beneficiary_member_state": ms,
        "designation": designation,
        "capacities": rows,
        "totals": {k: sum(r[k] for r in rows) for k in ("allocated", "matched", "remaining")},
        "accepts_beneficiaries_note": ACCEPTS_BENEFICIARIES_NOTE,
        "legal_basis": list(dict.fromkeys(basis)),
    }


# --- beneficiaries of international protection: bilateral agreements (Art 56(2)(a)) ---------------


def _agreements_in_force(conn: Connection, cycle_id: str, beneficiary: str, on: date) -> dict[str, date]:
    """The contributing states whose agreement to receive beneficiaries of international protection
    from ``beneficiary`` is in force on ``on``, with the date each agreed."""
    A = solidarity_beneficiary_agreements
    return {c: d for c, d in conn.execute(select(A.c.contributor_member_state, A.c.agreed_on).where(and_(
        A.c.cycle_id == cycle_id, A.c.beneficiary_member_state == beneficiary, A.c.agreed_on <= on,
        or_(A.c.ended_on.is_(None), A.c.ended_on > on))))}


def agreed_contributors(services: Services, year: int, beneficiary: str, on: date) -> dict[str, date]:
    """The contributing states that receive beneficiaries of international protection from
    ``beneficiary`` on ``on`` in the ``year`` cycle (none if there is no such cycle), with the date
    each agreed: what a relocation matching's ``accepts_beneficiaries`` follows."""
    with services.engine.connect() as conn:
        cycle_id = conn.execute(select(solidarity_cycles.c.id).where(solidarity_cycles.c.year == year)).scalar()
        return {} if cycle_id is None else _agreements_in_force(conn, cycle_id, beneficiary, on)


def _agreement_basis(on: date) -> list[str]:
    try:
        return [param("solidarity.relocation.ip_beneficiary_max_since_grant", on=on).reference.cite()]
    except NotInForce:
        return []


def _agreement_dict(r: Any, services: Services) -> dict[str, Any]:
    """An agreement to receive beneficiaries, ``in_force`` on the contributing state's day (its capital's
    clock, :func:`state_day`), the day its agreement and its end are dated on."""
    today = state_day(services, r.contributor_member_state)
    return {"id": r.id, "contributor_member_state": r.contributor_member_state,
            "beneficiary_member_state": r.beneficiary_member_state, "agreed_on": r.agreed_on,
            "ended_on": r.ended_on, "in_force": r.agreed_on <= today and (r.ended_on is None or r.ended_on > today),
            "created_by": r.created_by, "version": r.version, "legal_basis": _agreement_basis(r.agreed_on)}


def beneficiary_agreements(services: Services, principal: Principal, year: int,
                           state: str | None = None) -> list[dict[str, Any]]:
    """The cycle's agreements to receive beneficiaries of international protection, by contributing
    and then benefitting state; with ``state``, those it is party to. A state's users read only
    those of their own state (as its pledge page)."""
    if principal.member_state is not None:
        require(principal, Role.solidarity_coordinator, Role.admin, Role.analyst)
        if state and _state("member_state", state) != principal.member_state:
            raise NotFound(f"no pledge page for {state}")
        state = principal.member_state
    else:
        _require_reader(principal)
    ms = _state("member_state", state) if state else None
    A = solidarity_beneficiary_agreements
    with services.engine.connect() as conn:
        row = _cycle(conn, year)
        q = select(A).where(A.c.cycle_id == row.id)
        if ms:
            q = q.where(or_(A.c.contributor_member_state == ms, A.c.beneficiary_member_state == ms))
        rows = conn.execute(q.order_by(A.c.contributor_member_state, A.c.beneficiary_member_state)).all()
    return [_agreement_dict(r, services) for r in rows]


def _agreement_sides(services: Services, year: int, contributor: str, beneficiary: str) -> list[tuple[str, str]]:
    """An agreement to receive beneficiaries of international protection is "by the contributing and
    benefitting Member State concerned" (Art 56(2)(a)): the contributing side does not benefit from
    the ``year`` pool (a benefitting state does not implement pledges while it benefits, Art 58) and
    the other side does. No cycle: nothing said here (the handler's 404)."""
    with services.engine.connect() as conn:
        row = conn.execute(select(solidarity_cycles).where(solidarity_cycles.c.year == year)).first() \
            if 1 <= year <= 9999 else None
        if row is None:
            return []
        benefitting = _benefitting(conn, row)
    out = []
    if contributor in benefitting:
        rule = cyc.own_pledge_rule(_on(row))
        out.append(("contributor_member_state",
                    f"{contributor} benefits from the {year} pool: it does not implement pledges while it benefits "
                    f"({', '.join(rule['legal_basis'])}), so it is not the contributing side of an agreement"))
    if beneficiary not in benefitting:
        out.append(("beneficiary_member_state",
                    f"{beneficiary} is not a benefitting state of the {year} pool ({cyc.POOL_ACCESS_BASIS}); "
                    f"benefitting states: {', '.join(benefitting) or 'none'}"))
    return out


def record_beneficiary_agreement(services: Services, principal: Principal, year: int,
                                 body: BeneficiaryAgreementIn) -> dict[str, Any]:
    """A contributing state agrees to receive beneficiaries of international protection from a
    benefitting state: relocating them needs a bilateral agreement (Art 56(2)(a)). Recorded by the
    contributing state's coordinator (or the Commission for it), from ``agreed_on`` (not a future
    date) until ended; an ended agreement is recorded again as a new one."""
    contributor = _own_state(principal, body.contributor_member_state, "contributor_member_state")
    problems: list[tuple[str, str]] = []
    beneficiary = None
    try:
        beneficiary = member_state(body.beneficiary_member_state)
    except ValueError as exc:
        problems.append(("beneficiary_member_state", str(exc)))
    if beneficiary == contributor:
        problems.append(("beneficiary_member_state", "a state does not relocate to itself"))
    elif beneficiary is not None:
        problems.extend(_agreement_sides(services, year, contributor, beneficiary))
    for field, code in (("contributor_member_state", contributor), ("beneficiary_member_state", beneficiary)):
        if code is not None and code not in SOLIDARITY_STATES:
            problems.append((field, f"{code} is not bound by the solidarity rules"))
    today = state_day(services, contributor)
    if body.agreed_on > today:
        problems.append(("agreed_on", f"an agreement cannot be recorded for a future date ({_future(today, contributor)})"))
    elif not _agreement_basis(body.agreed_on):
        problems.append(("agreed_on", "beneficiaries of international protection are relocated under the AMMR, "
                                      "from 12 June 2026"))
    if problems:
        raise ValidationProblem(problems)
    A = solidarity_beneficiary_agreements
    with services.uow() as uow:
        row = _cycle(uow.conn, year)
        if row.status == "closed":
            raise Conflict(f"the {year} cycle is closed")
        existing = uow.conn.execute(select(A).where(and_(
            A.c.cycle_id == row.id, A.c.contributor_member_state == contributor,
            A.c.beneficiary_member_state == beneficiary))).first()
        values = {"agreed_on": body.agreed_on, "ended_on": None}
        if existing is None:
            aid = new_id("sba")
            uow.conn.execute(insert(A).values(id=aid, cycle_id=row.id, contributor_member_state=contributor,
                                              beneficiary_member_state=beneficiary, created_by=principal.username,
                                              created_at=uow.now, version=1, **values))
        elif existing.ended_on is None:
            raise Conflict(f"{contributor} has agreed to receive beneficiaries from {beneficiary} since "
                           f"{existing.agreed_on.isoformat()}")
        elif body.agreed_on < existing.ended_on:
            raise ValidationProblem.one("agreed_on", f"the earlier agreement ended on {existing.ended_on.isoformat()}: "
                                        "a new one starts on or after that day")
        else:
            aid = existing.id
            update_versioned(uow.conn, A, aid, existing.version, values)
        uow.audit(principal, "solidarity.beneficiary_agreement.record", "solidarity_beneficiary_agreement", aid,
                  after={"contributor_member_state": contributor, "beneficiary_member_state": beneficiary,
                         "agreed_on": body.agreed_on.isoformat()})
        uow.commit()
        saved = uow.conn.execute(select(A).where(A.c.id == aid)).one()
    return _agreement_dict(saved, services)


def end_beneficiary_agreement(services: Services, principal: Principal, agreement_id: str,
                              body: BeneficiaryAgreementEnd) -> dict[str, Any]:
    """The agreement ends on ``ended_on``: from that day no beneficiary is matched under it (persons
    matched before keep their transfer). Recorded by the contributing state or the Commission."""
    A = solidarity_beneficiary_agreements
    with services.uow() as uow:
        r = uow.conn.execute(select(A).where(A.c.id == agreement_id)).first()
        if r is None or (principal.member_state is not None
                         and principal.member_state not in (r.contributor_member_state, r.beneficiary_member_state)):
            raise NotFound(f"no agreement {agreement_id}")
        _own_state(principal, r.contributor_member_state, "contributor_member_state")
        if r.ended_on is not None:
            raise Conflict(f"the agreement ended on {r.ended_on.isoformat()}")
        today = state_day(services, r.contributor_member_state)
        if body.ended_on > today:
            raise ValidationProblem.one("ended_on", "an end cannot be recorded for a future date "
                                                    f"({_future(today, r.contributor_member_state)})")
        if body.ended_on <= r.agreed_on:
            raise ValidationProblem.one("ended_on", f"is not after the agreement ({r.agreed_on.isoformat()})")
        update_versioned(uow.conn, A, r.id, body.version, {"ended_on": body.ended_on})
        uow.audit(principal, "solidarity.beneficiary_agreement.end", "solidarity_beneficiary_agreement", r.id,
                  after={"ended_on": body.ended_on.isoformat()})
        uow.commit()
        saved = uow.conn.execute(select(A).where(A.c.id == r.id)).one()
    return _agreement_dict(saved, services)


# --- pledged measures assigned to a benefitting state (Arts 60(2), 65(1)) ----------------------------

#: The Commission's seat: the day a Union-level act of the coordinator is dated on (as the Union capacity's
#: day in the procedures area)
UNION_ZONE = "Europe/Brussels"
MEASURE_TYPES = ("alternative", "financial", "relocations")
_AMMR = "Regulation (EU) 2024/1351"
ASSIGNMENT_BASIS = [f"{_AMMR}, Article 65(1)", f"{_AMMR}, Article 60(2)"]


def union_today(services: Services) -> date:
    """Today in Brussels: the day of the Commission's coordinator, who acts for the Union."""
    return services.clock.now().astimezone(ZoneInfo(UNION_ZONE)).date()


def state_day(services: Services, member_state: str | None) -> date:
    """Today on ``member_state``'s clock (its capital's, :func:`pactum.registry.local_time.state_today`): the
    day a state's own solidarity forms default to and their dates are checked against (a deduction request,
    an agreement to receive beneficiaries and its end, a take-over), whoever records them for the state. At
    22:30 UTC on 1 December it is already 2 December in Athens, still 1 December in Brussels and Lisbon.
    No state (an EU body): Brussels's day (:func:`union_today`)."""
    if member_state is None:
        return union_today(services)
    return state_today(services.clock.now(), member_state)


def _future(day: date, member_state: str) -> str:
    """How a date after the state's today is refused: with the day it is in the state."""
    return f"today is {day.isoformat()} in {member_state}"


def _assignment_dict(r: Any) -> dict[str, Any]:
    return {"id": r.id, "contributor_member_state": r.contributor_member_state,
            "beneficiary_member_state": r.beneficiary_member_state, "measure_type": r.measure_type,
            "eur": r.eur, "assigned_on": r.assigned_on, "created_by": r.created_by, "version": r.version,
            "legal_basis": list(ASSIGNMENT_BASIS)}


def _replacement_cited(grounds: str, on: date) -> str:
    """Where a granted replacement of a pledged contribution rests, by the request's ``grounds``: the request
    says whether "il contributo per il quale si è impegnato possa essere sostituito da un diverso tipo di
    contributo di solidarietà" (Art 61(2)(b), 62(2)(b)) and the Council's implementing act lets the state
    derogate from the act establishing the pool (Art 61(4), 62(5)): "Regulation (EU) 2024/1351, Article
    62(2)(b) and (5)"."""
    base = ded.REPLACEMENT_BASIS.get(grounds, ded.REPLACEMENT_BASIS["article_61"])
    ref = _rule_of(DEDUCTION_PARAMS.get(grounds, DEDUCTION_PARAMS["article_61"])[1], on).reference
    if ref.paragraph and base.endswith(f"Article {ref.article}(2)(b)"):
        return f"{base} and ({ref.paragraph})"
    return f"{base}; {ref.cite()}"


def _alternative_replacements(conn: Connection, cs: _CycleState) -> dict[str, dict[str, list[str]]]:
    """Each state's granted replacements that bring alternative measures in or take pledged ones out
    (Arts 61(2)(b), 62(2)(b)): ``basis``, the Council's act and where it rests, as a sentence names them, and
    ``of``, the types of pledged contribution alternative measures replace."""
    D = solidarity_deductions
    out: dict[str, dict[str, list[str]]] = {}
    for d in conn.execute(select(D).where(and_(D.c.cycle_id == cs.row.id, D.c.status == "granted"))
                          .order_by(D.c.decided_on, D.c.requested_on)):
        if "alternative" not in (d.replacement_by, _replacement_of(d)) or not _granted(d)[1]:
            continue
        cited = _replacement_cited(d.grounds, d.requested_on)
        said = f"{d.council_act_reference}; {cited}" if d.council_act_reference else cited
        mine = out.setdefault(d.member_state, {"basis": [], "of": []})
        if said not in mine["basis"]:
            mine["basis"].append(said)
        if d.replacement_by == "alternative" and _replacement_of(d) not in mine["of"]:
            mine["of"].append(_replacement_of(d))
    return out


#: What the figures of a contributing state's alternative measures are (``measure_assignments``'s
#: ``contributors``), as the pages and the API say them.
ASSIGNMENT_COLUMNS_SAID = (
    "Pledged: the alternative measures of the state's pledge in the Council's implementing act establishing "
    "the pool (Regulation (EU) 2024/1351, Article 57). By replacement: the alternative measures replacing "
    "another type of pledged contribution, and replaced: the pledged alternative measures replaced by another "
    "type, as the Council's acts on the state's deduction requests granted them (Regulation (EU) 2024/1351, "
    "Articles 61(2)(b) and (4), 62(2)(b) and (5)). To implement: pledged, less replaced, plus by replacement; "
    "what the coordinator assigns to benefitting states."
)


def _assignment_position(conn: Connection, cs: _CycleState) -> dict[str, Any]:
    """Each contributing state's alternative measures to implement (after any replacement the Council
    allowed: ``to_implement``, with ``pledged`` as in the Council's act establishing the pool and what the
    replacements brought in or took out) and each benefitting state's request (its need's
    ``alternative_eur``), with what is assigned."""
    A = solidarity_measure_assignments
    rows = conn.execute(select(A).where(A.c.cycle_id == cs.row.id)
                        .order_by(A.c.assigned_on, A.c.created_at)).all()
    given: Counter[str] = Counter()
    received: Counter[str] = Counter()
    for r in rows:
        given[r.contributor_member_state] += r.eur
        received[r.beneficiary_member_state] += r.eur
    benefitting = set(cs.benefitting)
    implemented = {a.member_state: a for a in cs.accounts
                   if a.implemented_pledge is not None and a.implemented_pledge.alternative_eur}
    to_implement = {ms: a.implemented_pledge.alternative_eur for ms, a in implemented.items()
                    if a.implemented_pledge is not None}
    requested = {n["member_state"]: int(n["alternative_eur"] or 0) for n in cs.needs
                 if n["member_state"] in benefitting and n["alternative_eur"]}
    granted_by = _alternative_replacements(conn, cs)
    contributors: list[dict[str, Any]] = []
    for ms, eur in sorted(to_implement.items()):
        a = implemented[ms]
        contributors.append({
            "member_state": ms,
            # the Council's act establishing the pool (Art 57) ...
            "pledged_eur": a.pledge.alternative_eur if a.pledge else 0,
            # ... less what the Council's acts allowed to be replaced by another type, plus what replaces
            # another type (Arts 61(2)(b), 62(2)(b)) ...
            "replaced_eur": a.replaced_alternative_eur,
            "by_replacement_eur": a.replacement_alternative_eur,
            # ... is what the state implements and the coordinator assigns
            "to_implement_eur": eur,
            "assigned_eur": given[ms],
            "unassigned_eur": max(eur - given[ms], 0),
            # the types of pledged contribution the measures by replacement replace, and the Council's acts
            "replacement_of": granted_by.get(ms, {}).get("of", []),
            "replacement_legal_basis": granted_by.get(ms, {}).get("basis", []),
        })
    totals = {k: sum(int(c[k]) for c in contributors) for k in
              ("pledged_eur", "replaced_eur", "by_replacement_eur", "to_implement_eur", "assigned_eur",
               "unassigned_eur")}
    return {
        "rows": rows,
        "pledged": to_implement,
        "contributor_rows": {c["member_state"]: c for c in contributors},
        "requested": requested,
        "contributors": contributors,
        "contributor_totals": totals,
        "beneficiaries": [{"member_state": ms, "requested_eur": eur, "assigned_eur": received[ms],
                           "unassigned_eur": max(eur - received[ms], 0)} for ms, eur in sorted(requested.items())],
        "given": given,
        "received": received,
    }


def _measures_said(c: dict[str, Any]) -> str:
    """Where a contributing state's alternative measures to implement come from: "DE pledged EUR 400,000 of
    alternative measures", or, once the Council's act on its deduction request allowed a replacement, "EE has
    EUR 210,000 of alternative measures to implement (EUR 0 pledged, EUR 210,000 by the replacement of its
    pledged financial contributions the Council granted: Council Implementing Decision ...; Regulation (EU)
    2024/1351, Article 62(2)(b) and (5))"."""
    ms = c["member_state"]
    if not (c["by_replacement_eur"] or c["replaced_eur"]):
        return f"{ms} pledged EUR {c['pledged_eur']:,} of alternative measures"
    parts = [f"EUR {c['pledged_eur']:,} pledged"]
    if c["by_replacement_eur"]:
        of = " and ".join(ded.REPLACEMENT_TYPES[t] for t in c["replacement_of"]) or "another type of contribution"
        parts.append(f"EUR {c['by_replacement_eur']:,} by the replacement of its pledged {of} the Council "
                     "granted")
    if c["replaced_eur"]:
        parts.append(f"less EUR {c['replaced_eur']:,} of them the Council allowed to be replaced by another type")
    cited = "; ".join(c["replacement_legal_basis"])
    return (f"{ms} has EUR {c['to_implement_eur']:,} of alternative measures to implement ("
            f"{', '.join(parts)}{f': {cited}' if cited else ''})")


def _nothing_to_assign(cs: _CycleState, ms: str, year: int) -> str:
    """Why a state has no alternative measures to assign: none pledged, or all of them replaced."""
    a = next((a for a in cs.accounts if a.member_state == ms), None)
    if a is not None and a.pledge is not None and a.pledge.alternative_eur and a.replaced_alternative_eur:
        return (f"{ms} has no alternative solidarity measures to implement for {year}: the Council's act on its "
                f"deduction request allowed the EUR {a.replaced_alternative_eur:,} of alternative measures it "
                f"pledged to be replaced by another type of contribution ({_AMMR}, Articles 61(2)(b), 62(2)(b))")
    return f"{ms} pledged no alternative solidarity measures for {year}"


def measure_assignments(services: Services, principal: Principal, year: int) -> dict[str, Any]:
    """The cycle's pledged alternative measures assigned to benefitting states, and what is left to assign
    on each side. A state's users read the assignments their state is party to."""
    if principal.member_state is not None:
        require(principal, Role.solidarity_coordinator, Role.admin, Role.analyst)
    else:
        _require_reader(principal)
    with services.engine.connect() as conn:
        cs = _cycle_state(conn, year)
        pos = _assignment_position(conn, cs)
    ms = principal.member_state
    return {
        "year": year,
        "assignments": [_assignment_dict(r) for r in pos["rows"]
                        if ms is None or ms in (r.contributor_member_state, r.beneficiary_member_state)],
        "contributors": [c for c in pos["contributors"] if ms is None or c["member_state"] == ms],
        # the sums of the contributors' columns (the Commission's reading: every contributing state)
        "contributor_totals": pos["contributor_totals"] if ms is None else None,
        "contributors_said": ASSIGNMENT_COLUMNS_SAID,
        "beneficiaries": [b for b in pos["beneficiaries"] if ms is None or b["member_state"] == ms],
        "legal_basis": list(ASSIGNMENT_BASIS),
    }


def assign_measure(services: Services, principal: Principal, year: int, body: MeasureAssignmentIn) -> dict[str, Any]:
    """The Commission's coordinator assigns ``eur`` of a contributing state's pledged alternative solidarity
    measures to a benefitting state that requested such measures. Art 65(1): alternative measures "si
    basano su una richiesta specifica dello Stato membro beneficiario", their value "stabilito
    congiuntamente ... dagli Stati membri contributori e beneficiari interessati ed è comunicato al
    coordinatore UE della solidarietà prima dell'attuazione"; Art 60(2): the coordinator coordinates "una
    distribuzione equilibrata dei contributi di solidarietà disponibili tra gli Stati membri beneficiari".
    Financial contributions go to the Union budget (Art 64(1)) and relocations are distributed by the pool
    (Art 60(2), the distribution): neither is assigned here (422 naming ``measure_type``)."""
    _require_commission(principal)
    problems: list[tuple[str, str]] = []
    kind = body.measure_type
    if kind not in MEASURE_TYPES:
        problems.append(("measure_type", f"'{kind}' is not a type of solidarity measure: one of "
                                         f"{', '.join(MEASURE_TYPES)} (Regulation (EU) 2024/1351, Article 56(2))"))
    elif kind == "financial":
        problems.append(("measure_type", "financial contributions are not assigned to a benefitting state: they are "
                                         "transfers to the Union budget, external assigned revenue used for the "
                                         f"actions of Article 56(2)(b) ({_AMMR}, Article 64(1)), and the benefitting "
                                         "states identify the actions they fund (Article 64(2))"))
    elif kind == "relocations":
        problems.append(("measure_type", "relocation pledges are not assigned one by one: the pool's distribution "
                                         "splits them among the benefitting states, as the coordinator coordinates "
                                         f"it ({_AMMR}, Article 60(2); GET /api/v1/solidarity/cycles/{year}/"
                                         "distribution), with the contributors' preferred beneficiaries "
                                         "(Article 60(4))"))
    codes: dict[str, str | None] = {}
    for field in ("contributor_member_state", "beneficiary_member_state"):
        try:
            codes[field] = member_state(getattr(body, field))
        except ValueError as exc:
            codes[field] = None
            problems.append((field, str(exc)))
    contributor, beneficiary = codes["contributor_member_state"], codes["beneficiary_member_state"]
    if contributor is not None and contributor == beneficiary:
        problems.append(("beneficiary_member_state", "a state's measures are not assigned to itself"))
    if kind == "alternative" and (body.eur is None or body.eur <= 0):
        problems.append(("eur", "the value of the measures assigned, in EUR, more than 0, as the two states "
                                f"agreed it ({_AMMR}, Article 65(1))"))
    today = union_today(services)
    on = body.on or today
    if on > today:
        problems.append(("on", f"an assignment cannot be recorded for a future date (today is {today.isoformat()} "
                               "in Brussels)"))
    if problems:
        raise ValidationProblem(problems)
    assert contributor is not None and beneficiary is not None and body.eur is not None
    A = solidarity_measure_assignments
    with services.uow() as uow:
        cs = _cycle_state(uow.conn, year)
        row = cs.row
        if row.status not in cyc.ADOPTED_STATUSES:
            raise Conflict(f"the {year} pool is not adopted yet (cycle '{row.status}'): pledged measures are assigned "
                           f"once the Council's implementing act sets them ({_AMMR}, Article 57)")
        if row.status == "closed":
            raise Conflict(f"the {year} cycle is closed: alternative measures no benefitting state requested were "
                           f"converted into financial contributions ({_AMMR}, Article 57(4))")
        if row.council_act_on is not None and on < row.council_act_on:
            raise ValidationProblem.one("on", f"is before the Council's implementing act "
                                              f"({row.council_act_on.isoformat()})")
        year_end, _ = cyc.implementation_end(year)
        if on > year_end:
            raise ValidationProblem.one("on", f"is after {year_end.isoformat()}, the end of the {year} pool's year: "
                                              "the alternative measures no benefitting state requested by then are "
                                              f"converted into financial contributions ({_AMMR}, Article 57(4))")
        pos = _assignment_position(uow.conn, cs)
        benefitting = cs.benefitting
        if contributor in benefitting:
            rule = cyc.own_pledge_rule(_on(row))
            problems.append(("contributor_member_state",
                             f"{contributor} benefits from the {year} pool: it does not implement its own pledges "
                             f"while it benefits ({', '.join(rule['legal_basis'])})"))
        elif contributor not in pos["pledged"]:
            problems.append(("contributor_member_state", _nothing_to_assign(cs, contributor, year)))
        else:
            left = pos["pledged"][contributor] - pos["given"][contributor]
            if body.eur > left:
                problems.append(("eur", f"at most EUR {max(left, 0):,}: "
                                        f"{_measures_said(pos['contributor_rows'][contributor])}, of which EUR "
                                        f"{pos['given'][contributor]:,} assigned already"))
        if beneficiary not in benefitting:
            problems.append(("beneficiary_member_state",
                             f"{beneficiary} is not a benefitting state of the {year} pool ({cyc.POOL_ACCESS_BASIS}); "
                             f"benefitting states: {', '.join(benefitting) or 'none'}"))
        elif beneficiary not in pos["requested"]:
            problems.append(("beneficiary_member_state",
                             f"{beneficiary} requested no alternative solidarity measures for {year}: they rest on a "
                             f"specific request of the benefitting state ({_AMMR}, Article 65(1))"))
        else:
            want = pos["requested"][beneficiary] - pos["received"][beneficiary]
            if body.eur > want and not any(f == "eur" for f, _ in problems):
                problems.append(("eur", f"at most EUR {max(want, 0):,}: {beneficiary} requested EUR "
                                        f"{pos['requested'][beneficiary]:,} of alternative measures, of which EUR "
                                        f"{pos['received'][beneficiary]:,} assigned already"))
        if problems:
            raise ValidationProblem(problems)
        aid = new_id("sma")
        uow.conn.execute(insert(A).values(id=aid, cycle_id=row.id, contributor_member_state=contributor,
                                          beneficiary_member_state=beneficiary, measure_type=kind, eur=body.eur,
                                          assigned_on=on, created_by=principal.username, created_at=uow.now,
                                          version=1))
        uow.audit(principal, "solidarity.measure.assign", "solidarity_measure_assignment", aid,
                  after={"contributor_member_state": contributor, "beneficiary_member_state": beneficiary,
                         "measure_type": kind, "eur": body.eur, "assigned_on": on.isoformat()})
        uow.commit()
        saved = uow.conn.execute(select(A).where(A.c.id == aid)).one()
    return _assignment_dict(saved)


def _check_agreements(conn: Connection, cycle_id: str, problems: list[tuple[str, str]],
                      rows: list[tuple[str, Any, str, str]]) -> None:
    """Each beneficiary of international protection among ``rows`` (path, transfer, origin,
    destination) is matched to a state that agreed on the matching day to receive beneficiaries
    from the origin (Art 56(2)(a))."""
    cache: dict[tuple[str, date], dict[str, date]] = {}
    for path, t, o, d in rows:
        if t.status != "beneficiary":
            continue
        agreed = cache.setdefault((o, t.matched_on), _agreements_in_force(conn, cycle_id, o, t.matched_on))
        if d not in agreed:
            problems.append((f"{path}.destination_member_state",
                             f"{d} had no agreement on {t.matched_on.isoformat()} to receive beneficiaries of "
                             f"international protection from {o} (Art 56(2)(a)); {d} records it on its pledge page"))


def assignment_links(services: Services, principal: Principal, request: MatchingRequest,
                     assignment: dict[str, str]) -> dict[str, str | None]:
    """Check that ``assignment`` (applicant id -> relocation state, e.g. a matching's answer sent back
    to be recorded) keeps every rule of ``request`` (places, families, exclusions, eligibility), and give
    each assigned applicant's strongest link kind to their state (None without a link). A broken rule
    is a problem naming ``assignments``. Writes nothing."""
    require(principal, Role.solidarity_coordinator, Role.analyst, Role.admin)
    # the matching day, when the request names none: the day of whoever matches (Brussels's for the
    # Commission's coordinator, :func:`state_day`), not UTC's
    today = state_day(services, principal.member_state)
    problem = validate_request(_with_council_act(services, request, today), today=today)
    try:
        check_assignment(problem, assignment)
    except ValueError as exc:
        raise ValidationProblem.one("assignments", str(exc)) from None
    out: dict[str, str | None] = {}
    for a in problem.applicants:
        if a.id in assignment:
            kinds = [k for s, k in a.links if s == assignment[a.id]]
            out[a.id] = max(kinds, key=lambda k: (problem.weights[k], -LINK_KINDS.index(k))) if kinds else None
    return out


# --- the cycle -----------------------------------------------------------------------------------


def _cycle(conn: Connection, year: int) -> Any:
    if not 1 <= year <= 9999:  # a year no date can hold has no cycle (and no query a column cannot hold)
        raise NotFound(f"no solidarity cycle for {year}")
    row = conn.execute(select(solidarity_cycles).where(solidarity_cycles.c.year == year)).first()
    if row is None:
        raise NotFound(f"no solidarity cycle for {year}")
    return row


def create_cycle(services: Services, principal: Principal, body: CycleCreate) -> dict[str, Any]:
    """Record the Commission's pressure decision and pool proposal for a year (Arts 11, 12)."""
    _require_commission(principal)
    problems: list[tuple[str, str]] = []
    on = body.proposal_on
    today = services.clock.today()
    why = _pool_year_problem(body.year, today)
    if why:
        raise ValidationProblem.one("year", why)
    try:
        minimum = pool_for(body.year)
    except Exception:
        raise ValidationProblem.one("year", "the Solidarity Pool exists from 2026") from None
    mn = param("solidarity.pool.relocations_min", on=date(body.year, 12, 31))
    mn_eur = param("solidarity.pool.financial_min_eur", on=date(body.year, 12, 31))
    # the pool is one figure in two units, as the Council's act reads it (:func:`_adopted_pool`): a figure
    # given in one unit gives the other; both given must agree (422 naming ``pool_financial_eur``)
    eq_p = param("solidarity.relocation_equivalent_eur", on=date(body.year, 12, 31))
    eq = int(eq_p.value)
    reloc, eur = body.pool_relocations, body.pool_financial_eur
    if reloc is None and eur is None:
        reloc, eur = int(mn.value), int(mn_eur.value)
    elif eur is None:
        assert reloc is not None
        eur = reloc * eq
    elif reloc is None:
        if eur % eq:
            problems.append(("pool_financial_eur", f"EUR {eur:,} is not a whole number of relocations at EUR {eq:,} "
                                                   f"each ({eq_p.reference.cite()}): give the pool's relocations too"))
        reloc = eur // eq
    elif reloc * eq != eur:
        problems.append(("pool_financial_eur", f"EUR {eur:,} is not {reloc:,} relocations at EUR {eq:,} each "
                                               f"(EUR {reloc * eq:,}, {eq_p.reference.cite()}): the pool is one "
                                               "figure in two units"))
    # a figure derived from the other is below its minimum when the other is: said once, of the one given
    if reloc < int(mn.value) and (body.pool_relocations is not None or body.pool_financial_eur is None):
        problems.append(("pool_relocations", f"the proposal is at least {mn.value} relocations ({mn.reference.cite()})"))
    if eur < int(mn_eur.value) and body.pool_financial_eur is not None:
        problems.append(("pool_financial_eur", f"the proposal is at least EUR {mn_eur.value} ({mn_eur.reference.cite()})"))
    if on > today:
        problems.append(("proposal_on", "a proposal cannot be recorded for a future date"))
    elif on < date(body.year - 1, 1, 1):
        problems.append(("proposal_on", f"the Commission proposes the {body.year} pool with its annual report of "
                                        f"{body.year - 1} (Arts 9, 12): a date from {body.year - 1}-01-01"))
    elif cyc.not_applicable_problem(on):
        problems.append(("proposal_on", str(cyc.not_applicable_problem(on))))
    seen: set[str] = set()
    designations: list[tuple[str, str]] = []
    for i, d in enumerate(body.designations):
        try:
            s = member_state(d.member_state)
        except ValueError as exc:
            problems.append((f"designations[{i}].member_state", str(exc)))
            continue
        if s not in SOLIDARITY_STATES:
            _bound(problems, f"designations[{i}].member_state", s)
            continue
        if d.status not in cyc.PRESSURE_STATUSES:
            problems.append((f"designations[{i}].status", f"use one of {', '.join(cyc.PRESSURE_STATUSES)}"))
            continue
        if s in seen:
            problems.append((f"designations[{i}].member_state", f"{s} is designated twice"))
        seen.add(s)
        designations.append((s, d.status))
    if problems:
        raise ValidationProblem(problems)
    del minimum
    with services.uow() as uow:
        if uow.conn.execute(select(solidarity_cycles.c.id).where(solidarity_cycles.c.year == body.year)).first():
            raise Conflict(f"a solidarity cycle for {body.year} already exists")
        cid = new_id("scy")
        uow.conn.execute(
            insert(solidarity_cycles).values(
                id=cid, year=body.year, status="proposal", pool_relocations=reloc, pool_financial_eur=eur,
                proposal_relocations=reloc, proposal_financial_eur=eur,
                proposal_on=on, created_by=principal.username, created_at=uow.now, version=1,
            )
        )
        for s, st in designations:
            uow.conn.execute(
                insert(solidarity_designations).values(
                    id=new_id("sds"), cycle_id=cid, member_state=s, status=st, created_at=uow.now
                )
            )
        uow.audit(principal, "solidarity.cycle.create", "solidarity_cycle", cid,
                  after={"year": body.year, "designations": designations})
        uow.commit()
    return get_cycle(services, principal, body.year)


def cycle_action(
    services: Services, principal: Principal, year: int, action: str, body: CycleAction
) -> dict[str, Any]:
    """Move the cycle on (open pledging, Council act, implementation, close); 409 if out of order."""
    _require_commission(principal)
    with services.uow() as uow:
        row = _cycle(uow.conn, year)
        try:
            new = cyc.next_status(row.status, action)
        except ValueError as exc:
            if action not in cyc.TRANSITIONS:
                raise ValidationProblem.one("action", str(exc)) from None
            raise Conflict(str(exc)) from None
        if action == "close":  # pledges and transfers go on through the year (Art 60(3))
            early = cyc.close_problem(year, uow.now.date())
            if early:
                raise Conflict(early)
        values: dict[str, Any] = {"status": new}
        problems: list[tuple[str, str]] = []
        why = cyc.step_date_problem(year, action, body.on, _cycle_dict(row), uow.now.date())
        if why:
            problems.append(("on", why))
        if action == "open_pledging":
            values["forum_on"] = body.on
        elif action == "adopt":
            if not body.council_act_reference:
                problems.append(("council_act_reference", "name the Council implementing act"))
            values["council_act_on"] = body.on
            values["council_act_reference"] = body.council_act_reference
            _non_negative(problems, pool_relocations=body.pool_relocations, pool_financial_eur=body.pool_financial_eur)
            problems.extend(_adopted_pool(body, _on(row), values))
            if body.sar_earmark is not None:
                if not 0 <= body.sar_earmark <= 1:
                    problems.append(("sar_earmark", "a share between 0 and 1"))
                values["sar_earmark"] = body.sar_earmark
        elif action == "start_implementation":
            values["implementation_from"] = body.on
        elif action == "close":
            values["closed_on"] = body.on
        if problems:
            raise ValidationProblem(problems)
        update_versioned(uow.conn, solidarity_cycles, row.id, body.version, values)
        uow.audit(principal, f"solidarity.cycle.{action}", "solidarity_cycle", row.id,
                  before={"status": row.status}, after={k: str(v) for k, v in values.items()})
        uow.commit()
    return get_cycle(services, principal, year)


def _adopted_pool(body: CycleAction, on: date, values: dict[str, Any]) -> list[tuple[str, str]]:
    """The pool the Council's act sets, one figure in two units (``solidarity.relocation_equivalent_eur``
    per relocation, in force on ``on``): a pool amended in one unit has the other derived from it
    (relocations from euros only in whole relocations); both given must agree (422 naming
    ``pool_financial_eur``); neither given: the proposal's pool stays. Puts the values in ``values``."""
    reloc, eur_total = body.pool_relocations, body.pool_financial_eur
    if (reloc is not None and reloc < 0) or (eur_total is not None and eur_total < 0):
        return []  # said by _non_negative
    eq = cyc.relocation_equivalent_eur(on)
    basis = param("solidarity.relocation_equivalent_eur", on=on).reference.cite()
    if reloc is not None and eur_total is None:
        eur_total = reloc * eq
    elif eur_total is not None and reloc is None:
        if eur_total % eq:
            return [("pool_financial_eur", f"EUR {eur_total:,} is not a whole number of relocations at EUR {eq:,} "
                                           f"each ({basis}): give the pool's relocations too")]
        reloc = eur_total // eq
    elif reloc is not None and eur_total is not None and reloc * eq != eur_total:
        return [("pool_financial_eur", f"EUR {eur_total:,} is not {reloc:,} relocations at EUR {eq:,} each "
                                       f"(EUR {reloc * eq:,}, {basis}): the pool is one figure in two units")]
    if reloc is not None and eur_total is not None:
        values["pool_relocations"], values["pool_financial_eur"] = reloc, eur_total
    return []


def _cycle_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id, "year": row.year, "status": row.status,
        "pool_relocations": row.pool_relocations, "pool_financial_eur": row.pool_financial_eur,
        # the Commission's proposal (Art 12), kept when the Council's act amends the pool (Art 57)
        "proposal_relocations": row.proposal_relocations, "proposal_financial_eur": row.proposal_financial_eur,
        "sar_earmark": row.sar_earmark, "proposal_on": row.proposal_on, "forum_on": row.forum_on,
        "council_act_on": row.council_act_on, "council_act_reference": row.council_act_reference,
        "implementation_from": row.implementation_from, "closed_on": row.closed_on, "version": row.version,
    }


def list_cycles(services: Services, principal: Principal) -> list[dict[str, Any]]:
    require(principal, Role.solidarity_coordinator, Role.analyst, Role.admin, Role.auditor)
    with services.engine.connect() as conn:
        return [_cycle_dict(r) for r in conn.execute(select(solidarity_cycles).order_by(solidarity_cycles.c.year))]


def get_cycle(services: Services, principal: Principal, year: int) -> dict[str, Any]:
    require(principal, Role.solidarity_coordinator, Role.analyst, Role.admin, Role.auditor)
    with services.engine.connect() as conn:
        row = _cycle(conn, year)
        out = _cycle_dict(row)
        out["designations"] = [
            {"member_state": d.member_state, "status": d.status,
             "legal_basis": cyc.PRESSURE_BASIS[d.status]}
            for d in conn.execute(
                select(solidarity_designations).where(solidarity_designations.c.cycle_id == row.id)
                .order_by(solidarity_designations.c.member_state)
            )
        ]
        out["transitions"] = [a for a, (src, _) in cyc.TRANSITIONS.items() if src == row.status]
    today = services.clock.today()
    # a cycle is closed once its year of implementation is over (Art 60(3)): not offered before
    end, basis = cyc.implementation_end(row.year)
    out["closes_from"] = cyc.closes_from(row.year)
    out["implementation_until"] = {"date": end, "legal_basis": basis}
    if cyc.close_problem(row.year, today):
        out["transitions"] = [a for a in out["transitions"] if a != "close"]
    out["due_dates"] = cyc.due_dates(row.year, _cycle_dict(row), today)
    return out


# --- needs, pledges, deductions -----------------------------------------------------------------


#: A state that considers itself under migratory pressure notifies the Commission, which assesses it
#: (Art 59): the Commission then records the state's need.
SELF_NOTIFIED_BASIS = "Regulation (EU) 2024/1351, Article 59"


def record_need(services: Services, principal: Principal, year: int, body: NeedIn) -> dict[str, Any]:
    """A benefitting state's needs (relocations, money). Only a benefitting state has a need: one the
    Commission's decision found under migratory pressure (Art 58), whose coordinator or the Commission
    records it; or, after the Commission's assessment of a state's notification (Art 59), a need the
    Commission records for that state. A state only at risk, or not designated, does not record a need
    itself (409); a state not bound by the solidarity rules has none (422).

    A field left out of ``body`` keeps the recorded need's value (0, or no SAR pressure, for a first
    need): an officer correcting the money does not erase the relocations. A body naming none of
    ``relocations``, ``financial_eur``, ``alternative_eur`` and ``sar`` changes nothing and is refused (422).
    ``alternative_eur``: the alternative solidarity measures the state requests (EUR, Arts 58(2), 59(2)(b));
    with none requested in the pool's year, those pledged are converted into financial contributions
    (Art 57(4), :func:`pactum.solidarity.cycle.alternative_conversion`)."""
    ms = _own_state(principal, body.member_state)
    problems: list[tuple[str, str]] = []
    _bound(problems, "member_state", ms)
    _non_negative(problems, relocations=body.relocations, financial_eur=body.financial_eur,
                  alternative_eur=body.alternative_eur)
    if body.relocations is None and body.financial_eur is None and body.alternative_eur is None and body.sar is None:
        problems.append(("relocations", "name the need: relocations, financial_eur, alternative_eur and/or sar (a "
                                        "field left out keeps its recorded value)"))
    if problems:
        raise ValidationProblem(problems)
    with services.uow() as uow:
        row = _cycle(uow.conn, year)
        if row.status == "closed":
            raise Conflict(f"the {year} cycle is closed")
        designation = uow.conn.execute(select(solidarity_designations.c.status).where(and_(
            solidarity_designations.c.cycle_id == row.id, solidarity_designations.c.member_state == ms))).scalar()
        if designation != "under_pressure" and not manages_pool(principal):
            said = f"designated {designation.replace('_', ' ')}" if designation else "not designated"
            raise Conflict(f"{ms} is {said} in the {year} cycle: only a benefitting state, found under migratory "
                           f"pressure by the Commission's decision ({cyc.POOL_ACCESS_BASIS}), records its need; "
                           f"a state that considers itself under pressure notifies the Commission, which records "
                           f"the need after its assessment ({SELF_NOTIFIED_BASIS})")
        existing = uow.conn.execute(
            select(solidarity_needs).where(and_(solidarity_needs.c.cycle_id == row.id,
                                                solidarity_needs.c.member_state == ms))
        ).first()
        values = {"relocations": _given(body.relocations, existing, "relocations", 0),
                  "financial_eur": _given(body.financial_eur, existing, "financial_eur", 0),
                  "alternative_eur": _given(body.alternative_eur, existing, "alternative_eur", 0),
                  "sar": bool(_given(body.sar, existing, "sar", False))}
        bounds = _pool_bounds(uow.conn, row, {k: getattr(body, k) for k in ("relocations", "financial_eur",
                                                                             "alternative_eur")},
                              {"relocations": "relocations", "financial_eur": "eur", "alternative_eur": "eur"}, "need")
        if bounds:
            raise ValidationProblem(bounds)
        if existing is None:
            nid = new_id("snd")
            uow.conn.execute(insert(solidarity_needs).values(id=nid, cycle_id=row.id, member_state=ms,
                                                             created_at=uow.now, version=1, **values))
        else:
            nid = existing.id
            update_versioned(uow.conn, solidarity_needs, nid, existing.version, values)
        uow.audit(principal, "solidarity.need.record", "solidarity_need", nid, after=values)
        uow.commit()
    return {"member_state": ms, "year": year, **values}


def _pool_bounds(conn: Connection, row: Any, values: dict[str, Any], fields: dict[str, str],
                 what: str) -> list[tuple[str, str]]:
    """No single state's pledge or need is larger than the whole pool of the cycle: each of ``fields``
    (field -> unit, ``relocations`` or ``eur``) in ``values`` is at most the pool in that unit, the larger
    of the Commission's proposal (Art 12; on whose basis the states pledge at the High-Level Forum, Art
    57(3)) and the pool the Council's act set (Art 57). Not a rule of the Regulation, which caps no pledge
    or need: the bound a coordinator recognises, that refuses a figure typed with zeros too many (the
    store's integers allowed up to 9.2 * 10^18) before it skews the pool's accounts."""
    pool = _pool(conn, row.year)
    caps = {"relocations": max(int(row.proposal_relocations or 0), int(pool.relocations)),
            "eur": max(int(row.proposal_financial_eur or 0), int(pool.financial_eur))}
    said = (f"the {row.year} pool is {caps['relocations']:,} relocations and EUR {caps['eur']:,} (the larger of "
            "the Commission's proposal, Regulation (EU) 2024/1351, Article 12, and the Council's implementing act, "
            "Article 57)")
    out = []
    for field, unit in fields.items():
        value = values.get(field)
        if value is not None and value > caps[unit]:
            shown = f"{caps[unit]:,}" if unit == "relocations" else f"EUR {caps[unit]:,}"
            out.append((field, f"at most {shown}: a single state's {what} cannot exceed the whole pool; {said}"))
    return out


def _given(value: Any, existing: Any, column: str, default: Any) -> Any:
    """``value`` if sent, else the ``existing`` row's ``column``, else (no row) ``default``."""
    if value is not None:
        return value
    return default if existing is None else getattr(existing, column)


def submit_pledge(services: Services, principal: Principal, year: int, body: PledgeIn) -> dict[str, Any]:
    """A contributing state's pledge: relocations, financial contributions, alternative measures.

    Pledges are made at the High-Level EU Solidarity Forum's pledging exercise (Arts 13, 57(1)): only
    while the cycle is at ``pledging`` (409 before the Forum opens it and after the Council's act). A
    field left out of ``body`` keeps the recorded pledge's value (0 or none for a first pledge); a
    change naming no field is refused (422). Each preferred beneficiary is named once and is a state
    benefitting from the cycle's pool (designated under migratory pressure, Art 58, or its need
    recorded, Art 59), not the pledging state itself (422 naming ``preferred_beneficiaries[i]``). The
    relocations are at least those the state's deduction requests ask, or the Council's act allowed, to
    replace by another type of contribution (Arts 61(2)(b), 62(2)(b); 422 naming ``relocations``)."""
    ms = _own_state(principal, body.member_state)
    problems: list[tuple[str, str]] = []
    _bound(problems, "member_state", ms)
    _non_negative(problems, relocations=body.relocations, financial_eur=body.financial_eur,
                  alternative_eur=body.alternative_eur)
    prefs: list[str] = []
    named: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for i, code in enumerate(body.preferred_beneficiaries or ()):
        try:
            pref = member_state(code)
        except ValueError as exc:
            problems.append((f"preferred_beneficiaries[{i}]", str(exc)))
            continue
        if pref in seen:
            problems.append((f"preferred_beneficiaries[{i}]", f"{pref} is already named "
                                                              f"(preferred_beneficiaries[{seen[pref]}])"))
            continue
        seen[pref] = i
        if pref not in SOLIDARITY_STATES:
            _bound(problems, f"preferred_beneficiaries[{i}]", pref)
        elif pref == ms:
            problems.append((f"preferred_beneficiaries[{i}]", f"{ms} does not relocate to itself"))
        else:
            prefs.append(pref)
            named.append((i, pref))
    if body.alternative_eur and body.alternative_description is not None and not body.alternative_description.strip():
        problems.append(("alternative_description", "describe the alternative solidarity measure"))
    with services.uow() as uow:
        row = _cycle(uow.conn, year)
        benefitting = _benefitting(uow.conn, row)
        for i, pref in named:
            if pref not in benefitting:
                problems.append((f"preferred_beneficiaries[{i}]",
                                 f"{pref} is not a benefitting state of the {year} pool (found under migratory "
                                 f"pressure, {cyc.POOL_ACCESS_BASIS}, or its need recorded); benefitting states: "
                                 f"{', '.join(benefitting) or 'none'}"))
        if problems:
            raise ValidationProblem(problems)
        if row.status != "pledging":
            if row.status == "proposal":
                raise Conflict(f"pledging for {year} is not open yet: states pledge at the High-Level EU Solidarity "
                               "Forum's pledging exercise (Regulation (EU) 2024/1351, Articles 13 and 57(1)); the "
                               "Commission opens pledging once the Forum has met")
            raise Conflict(f"pledges are made before the Council act; the {year} cycle is '{row.status}'")
        existing = uow.conn.execute(
            select(solidarity_pledges).where(and_(solidarity_pledges.c.cycle_id == row.id,
                                                  solidarity_pledges.c.member_state == ms))
        ).first()
        given = [k for k in ("relocations", "financial_eur", "alternative_eur", "alternative_description",
                             "preferred_beneficiaries") if getattr(body, k) is not None]
        if existing is not None and not given:
            problems.append(("relocations", "name what changes: relocations, financial_eur, alternative_eur, "
                                            "alternative_description and/or preferred_beneficiaries (a field left "
                                            "out keeps its recorded value)"))
        elif not given:  # an empty first pledge would read as "pledged nothing"
            problems.append(("relocations", "name the pledge: relocations, financial_eur and/or alternative_eur "
                                            "(with alternative_description); a state that pledges nothing sends "
                                            "relocations 0"))
        values = {
            "relocations": _given(body.relocations, existing, "relocations", 0),
            "financial_eur": _given(body.financial_eur, existing, "financial_eur", 0),
            "alternative_eur": _given(body.alternative_eur, existing, "alternative_eur", 0),
            "alternative_description": (_given(body.alternative_description, existing, "alternative_description",
                                               None) or "").strip() or None,
            "preferred_beneficiaries": prefs if body.preferred_beneficiaries is not None else list(
                (existing.preferred_beneficiaries or []) if existing is not None else []),
        }
        if values["alternative_eur"] and not values["alternative_description"]:
            problems.append(("alternative_description", "describe the alternative solidarity measure"))
        if not values["alternative_eur"] and values["alternative_description"]:
            if body.alternative_description is not None and body.alternative_description.strip():
                problems.append(("alternative_eur", "an alternative solidarity measure is valued in euros (Art 56(2)): "
                                                    "give its amount, or leave the description out"))
            else:  # the measure withdrawn (its amount set to 0): its description goes with it
                values["alternative_description"] = None
        # the relocations a deduction request asks, or the Council's act allowed, to replace by another type
        # of contribution (Arts 61(2)(b), 62(2)(b)) stay pledged: the replacement is of them
        for of, field in ded.PLEDGE_FIELD.items():
            replacing = _replaced(uow.conn, row.id, ms, ("requested", "assessed", "granted"), of)
            if values[field] < replacing:
                amount = f"{replacing:,}" if of == "relocations" else f"EUR {replacing:,}"
                problems.append((field, f"at least {amount}: {ms}'s deduction requests ask, or the Council's "
                                        f"act allowed, to replace {amount} of its pledged {ded.REPLACEMENT_TYPES[of]} "
                                        "by another type of contribution (Regulation (EU) 2024/1351, Articles "
                                        "61(2)(b), 62(2)(b))"))
        problems += _pool_bounds(uow.conn, row, {k: getattr(body, k) for k in ("relocations", "financial_eur",
                                                                              "alternative_eur")},
                                 {"relocations": "relocations", "financial_eur": "eur", "alternative_eur": "eur"},
                                 "pledge")
        if problems:
            raise ValidationProblem(problems)
        if existing is None:
            pid = new_id("spl")
            uow.conn.execute(insert(solidarity_pledges).values(
                id=pid, cycle_id=row.id, member_state=ms, paid_eur=0, alternative_done_eur=0,
                created_at=uow.now, version=1, **values))
        else:
            if body.version is None:
                raise Conflict(f"{ms} has already pledged for {year}: send its version to change it")
            pid = existing.id
            update_versioned(uow.conn, solidarity_pledges, pid, body.version, values)
        uow.audit(principal, "solidarity.pledge.submit", "solidarity_pledge", pid, after=values)
        uow.commit()
    return pledge_page(services, principal, year, ms)


#: The cycle's stages in which payments and alternative measures carried out are recorded: during
#: implementation and after the cycle is closed, since financial contributions are not bound by the end of
#: the pool's year (Art 60(3), first subparagraph: "except for the implementation of financial
#: contributions") and agreed alternative measures are completed even after the implementing acts expired
#: (Art 65(3)), both read in the Official Journal text, Italian version.
PROGRESS_STATUSES = ("implementation", "closed")


def record_pledge_progress(
    services: Services, principal: Principal, year: int, state: str, body: PledgeProgress
) -> dict[str, Any]:
    """Payments made and alternative measures carried out against a pledge (Art 60), from the start of
    implementation, and still once the cycle is closed (:data:`PROGRESS_STATUSES`). What is paid is
    at most the financial contribution pledged (``paid_eur`` ≤ ``financial_eur``), what is carried out
    at most the alternative measures pledged (``alternative_done_eur`` ≤ ``alternative_eur``): 422
    naming the field. Relocations carried out are counted from the transfers, not recorded here. A
    benefitting state does not implement its own pledge while it benefits (Art 60(3); 409)."""
    ms = _own_state(principal, state)
    problems: list[tuple[str, str]] = []
    _non_negative(problems, paid_eur=body.paid_eur, alternative_done_eur=body.alternative_done_eur)
    if problems:
        raise ValidationProblem(problems)
    with services.uow() as uow:
        row = _cycle(uow.conn, year)
        if row.status not in PROGRESS_STATUSES:
            raise Conflict(f"progress is recorded from the start of implementation; the {year} cycle is "
                           f"'{row.status}'")
        p = uow.conn.execute(select(solidarity_pledges).where(and_(
            solidarity_pledges.c.cycle_id == row.id, solidarity_pledges.c.member_state == ms))).first()
        if p is None:
            raise NotFound(f"{ms} has no pledge for {year}")
        cs = _cycle_state(uow.conn, year)
        if ms in cs.benefitting:
            rule = cyc.own_pledge_rule(_on(row))
            raise Conflict(f"{ms} benefits from the {year} pool: {rule['reason']} ({', '.join(rule['legal_basis'])}); "
                           "no progress is recorded against it")
        # the pledge as the state implements it: after any replacement the Council allowed (Arts 61(2)(b),
        # 62(2)(b)) and with its alternative measures converted into money when none was requested (Art 57(4))
        mine = next((a.derogated_pledge for a in cs.accounts if a.member_state == ms), None)
        conversion = _alternative_conversion(cs, services.clock.today())
        converted = conversion["by_state"].get(ms, 0)
        financial = (mine.financial_eur if mine else p.financial_eur) + converted
        alternative = (mine.alternative_eur if mine else p.alternative_eur) - converted
        why = {"paid_eur": "", "alternative_done_eur": ""}
        if converted:
            why["paid_eur"] = (f", with EUR {converted:,} of alternative measures converted into financial "
                               f"contributions ({conversion['legal_basis'][0]})")
            unrequested = (f"no benefitting state requested alternative measures in {year}, so the EUR {converted:,} "
                           "not carried out were" if not conversion["requested_eur"] else
                           f"the EUR {converted:,} of {ms}'s measures neither assigned to a benefitting state that "
                           f"requested them nor carried out by {conversion['decided_after'].isoformat()} were")
            why["alternative_done_eur"] = (f": {unrequested} converted into financial contributions "
                                           f"({conversion['legal_basis'][0]}); record them as paid_eur")
        for field, done, pledged, what in (("paid_eur", body.paid_eur, financial, "financial contribution"),
                                           ("alternative_done_eur", body.alternative_done_eur, alternative,
                                            "alternative measures")):
            if done is not None and done > pledged:
                problems.append((field, f"EUR {done:,} is more than the {what} {ms} implements for {year} "
                                        f"(EUR {pledged:,}){why[field]}"))
        if problems:
            raise ValidationProblem(problems)
        values = {k: v for k, v in (("paid_eur", body.paid_eur), ("alternative_done_eur", body.alternative_done_eur))
                  if v is not None}
        update_versioned(uow.conn, solidarity_pledges, p.id, body.version, values)
        uow.audit(principal, "solidarity.pledge.progress", "solidarity_pledge", p.id, after=values)
        uow.commit()
    return pledge_page(services, principal, year, ms)


#: The article a deduction request rests on, by its grounds: a state under migratory pressure (Art 61),
#: one facing a significant migratory situation (Art 62).
DEDUCTION_GROUNDS_BASIS = {"article_61": "Regulation (EU) 2024/1351, Article 61",
                           "article_62": "Regulation (EU) 2024/1351, Article 62"}


#: The law's parameters of a deduction request by its grounds: the Commission's period to assess it and
#: the Council's implementing act that decides it: Art 61(3) and (4), Art 62(4) and (5) (read in the
#: Regulation's text), never Art 61(3) and (4) for a request under Art 62.
DEDUCTION_PARAMS = {
    "article_61": ("solidarity.deduction.assessment_within", "solidarity.deduction.council_decision"),
    "article_62": ("solidarity.deduction.significant_migratory_situation.assessment_within",
                   "solidarity.deduction.significant_migratory_situation.council_decision"),
}


def deduction_basis_unverified(grounds: str, on: date) -> bool:
    """Whether the citation of a request on ``grounds`` (:func:`deduction_basis`) rests on a parameter
    the law tree marks unverified (Art 62's paragraphs)."""
    return any(_rule_of(name, on).unverified for name in DEDUCTION_PARAMS.get(grounds, ()))


def _rule_of(name: str, on: date) -> Any:
    """The parameter ``name`` in force on ``on``, or its first value for a day before it applies (a
    request for the 2026 pool prepared before the Regulation applied cites the rules of its cycle)."""
    try:
        return param(name, on=on)
    except NotInForce:
        return param(name, on=history(name).values[0][0])


def deduction_basis(grounds: str, on: date, *, decided: bool = False, fallback: date | None = None) -> list[str]:
    """The legal basis of a deduction request on ``grounds``: its own article, then the Commission's
    period to assess it and, once decided, the Council's implementing act that decides it (the
    parameters of :data:`DEDUCTION_PARAMS` for its grounds); each parameter as in force on ``on``, or
    on ``fallback`` (the day the cycle's rules apply) for a request made before."""
    out = [DEDUCTION_GROUNDS_BASIS[grounds]] if grounds in DEDUCTION_GROUNDS_BASIS else []
    assess, decide = DEDUCTION_PARAMS.get(grounds, DEDUCTION_PARAMS["article_61"])
    names = [assess] + ([decide] if decided else [])
    for name in names:
        for day in (on, fallback):
            if day is None:
                continue
            try:
                out.append(param(name, on=day).reference.cite())
                break
            except NotInForce:
                continue
    return list(dict.fromkeys(out))


#: What a deduction request becomes: asked, assessed by the Commission (Art 61(3)), granted or refused
#: by the Council's implementing act (Art 61(4)).
DEDUCTION_STATUSES = ("requested", "assessed", "granted", "refused")
ASSESSMENTS = ("justified", "not_justified")


def _deduction_dict(d: Any, cycle_row: Any, today: date) -> dict[str, Any]:
    """A deduction request as the screens read it: its dates, the Commission's assessment (due by
    ``assess_by``, ``assessment_late`` when made after it or still missing after it) and the Council's
    act, with its legal basis."""
    binding = _assessment_binding(d.assess_by)
    late = binding and ((d.assessed_on > d.assess_by) if d.assessed_on is not None else today > d.assess_by)
    return {
        **{k: getattr(d, k) for k in ("id", "member_state", "relocations", "grounds", "status", "requested_on",
                                      "assess_by", "assessed_on", "assessment", "council_act_reference",
                                      "decided_on", "version")},
        "assessment_binding": binding,
        "assessment_late": late,
        "legal_basis": deduction_basis(d.grounds, d.requested_on, decided=d.status in ("granted", "refused"),
                                       fallback=_on(cycle_row)),
        "legal_basis_unverified": deduction_basis_unverified(d.grounds, d.requested_on),
        # what the Council's act granted: all that was asked, or less (a partial grant); None until granted
        "granted_relocations": _granted(d)[0] if d.status == "granted" else None,
        "partial_grant": d.status == "granted" and _granted(d) != _asked(d),
        "replacement": _replacement_dict(d),
        **_rests_on(d, cycle_row),
    }


def _replacement_dict(d: Any) -> dict[str, Any] | None:
    """The replacement of a pledged contribution a deduction request asks for (Arts 61(2)(b), 62(2)(b)), as
    the screens read it: ``of`` (``relocations``, ``financial`` or ``alternative``), ``relocations`` (the
    pledged relocations replaced; None when money is) or ``amount_eur`` (the pledged EUR replaced), ``by``
    (``relocations``, ``financial`` or ``alternative``), ``eur_per_relocation``, ``eur`` (the value, Art
    12(3), Art 56(2)), ``replacing_relocations`` (when relocations replace), ``description`` (alternative
    measures), ``said`` (a sentence); once granted, ``granted_relocations`` (or ``granted_amount_eur``),
    ``granted_eur`` and ``granted_said``. None when the request asks for none."""
    of = _replacement_of(d)
    n = d.replacement_relocations if of == "relocations" else getattr(d, "replacement_eur", None)
    if not n:
        return None
    rate = int(d.replacement_eur_per_relocation or 0)
    by = str(d.replacement_by)
    eur, replacing = ded.replacement_amounts(of, n, by, rate)
    granted = _granted(d)[1] if d.status == "granted" else None
    g_eur, g_replacing = ded.replacement_amounts(of, granted or 0, by, rate)
    return {
        "of": of, "relocations": n if of == "relocations" else None,
        "amount_eur": n if of != "relocations" else None, "by": by, "eur_per_relocation": rate, "eur": eur,
        "replacing_relocations": replacing if by == "relocations" else None,
        "description": d.replacement_description,
        "said": ded.replacement_said(n, by, eur, of=of, replacing=replacing),
        "granted_relocations": granted if of == "relocations" else None,
        "granted_amount_eur": granted if of != "relocations" else None,
        "granted": granted,
        "granted_eur": None if granted is None else g_eur,
        "granted_said": None if not granted else ded.replacement_said(granted, by, g_eur, of=of, replacing=g_replacing),
        "legal_basis": [ded.REPLACEMENT_BASIS.get(d.grounds, ""), ded.EQUAL_VALUE_BASIS,
                        ded.REPLACEMENT_TYPE_BASIS.get(by, ""),
                        _rule_of("solidarity.relocation_equivalent_eur", d.requested_on).reference.cite()],
    }


def _rests_on(d: Any, cycle_row: Any) -> dict[str, Any]:
    """On what a deduction request rests: ``designation`` (the state's in the Commission's decision when it
    asked), ``own_assessment`` (it asked on its own assessment, Arts 61(1), 62(1)), ``substantiation``
    (its content, each item with what the Regulation asks of it and where: ``item``, ``text``, ``asks``,
    ``legal_basis``), ``substantiation_legal_basis`` and ``rests_on`` (a sentence for the screens)."""
    own = bool(getattr(d, "own_assessment", False))
    given: dict[str, str] = dict(getattr(d, "substantiation", None) or {})
    fallback = _on(cycle_row)
    cited = dict(ded.required_items(d.grounds, d.requested_on, fallback, designated=not own))
    cited = {**dict(ded.required_items(d.grounds, d.requested_on, fallback)), **cited}
    items = [{"item": k, "text": v, "asks": ded.ITEMS.get(k, k), "legal_basis": [cited[k]] if k in cited else []}
             for k in ded.ITEMS if (v := given.get(k))]
    basis = ded.substantiation_basis(d.grounds, d.requested_on, fallback, designated=not own) if own or given else []
    designation = getattr(d, "designation", None)
    return {
        "designation": designation,
        "own_assessment": own,
        "substantiation": items,
        "substantiation_legal_basis": basis,
        "rests_on": ded.rests_on(d.member_state, d.grounds, designation, own, {
            "grounds": DEDUCTION_GROUNDS_BASIS.get(d.grounds, ""), "substantiation": basis,
            "designation": cyc.PRESSURE_BASIS.get(str(designation), "")}),
    }


def _assess_decide_cited(grounds: str, on: date) -> str:
    """The Commission's assessment and the Council's act of a request on ``grounds``, cited as the law's
    parameters do: "Regulation (EU) 2024/1351, Article 61(3) and (4)"; "... Article 62(4) and (5)" for a
    significant migratory situation (", paragraphs unverified" if a parameter cites no paragraph)."""
    refs = []
    for name in DEDUCTION_PARAMS.get(grounds, DEDUCTION_PARAMS["article_61"]):
        refs.append(_rule_of(name, on).reference)
    if len({(r.article, r.paragraph) for r in refs}) == 1:
        said = refs[0].cite()
    else:
        said = f"{refs[0].cite()} and ({refs[1].paragraph})" if refs[1].paragraph and refs[0].article == \
            refs[1].article else "; ".join(r.cite() for r in refs)
    return said + (", paragraphs unverified" if any(r.paragraph is None for r in refs) else "")


def _assessment_binding(assess_by: date) -> bool:
    """Whether the Commission's period to assess a request bound it: the period's parameter was in force
    on its last day (a request for the 2026 pool made before the Regulation applied was not bound)."""
    try:
        param("solidarity.deduction.assessment_within", on=assess_by)
    except NotInForce:
        return False
    return True


def _fair_share_of(conn: Connection, year: int, ms: str) -> int:
    """``ms``'s fair share of the ``year`` pool in relocations (the pool as :func:`_pool` gives it)."""
    shares = _shares(conn, year)
    return next((s["fair_share_relocations"] for s in shares["states"] if s["member_state"] == ms), 0)


def _replacement_of(d: Any) -> str:
    """What a deduction request's replacement replaces: ``relocations`` (also for the requests recorded before
    another type could be replaced), ``financial`` or ``alternative``."""
    return getattr(d, "replacement_of", None) or "relocations"


def _asked(d: Any) -> tuple[int, int]:
    """What a deduction request asks to deduct (relocations) and to replace (in the unit of what it replaces,
    :func:`_replacement_of`)."""
    money = _replacement_of(d) != "relocations"
    return d.relocations, (getattr(d, "replacement_eur", None) if money else d.replacement_relocations) or 0


def _granted(d: Any) -> tuple[int, int]:
    """What a deduction request deducts (relocations) and replaces (in the unit of what it replaces,
    :func:`_replacement_of`: relocations, or EUR of financial contributions or alternative measures): what
    the Council granted once it is granted (all that was asked unless its act granted less), what was asked
    while it awaits the decision, nothing once refused."""
    money = _replacement_of(d) != "relocations"
    asked = _asked(d)
    if d.status == "refused":
        return 0, 0
    if d.status != "granted":
        return asked
    granted_repl = getattr(d, "granted_replacement_eur", None) if money else d.granted_replacement_relocations
    return (asked[0] if d.granted_relocations is None else d.granted_relocations,
            asked[1] if granted_repl is None else granted_repl)


def _deduction_rows(conn: Connection, cycle_id: str, ms: str, statuses: tuple[str, ...]) -> list[Any]:
    D = solidarity_deductions
    return list(conn.execute(select(D).where(and_(D.c.cycle_id == cycle_id, D.c.member_state == ms,
                                                  D.c.status.in_(statuses)))).all())


def _deducted(conn: Connection, cycle_id: str, ms: str, statuses: tuple[str, ...]) -> int:
    """The relocations ``ms``'s requests in ``statuses`` deduct (granted: what the Council granted)."""
    return sum(_granted(d)[0] for d in _deduction_rows(conn, cycle_id, ms, statuses))


def _replaced(conn: Connection, cycle_id: str, ms: str, statuses: tuple[str, ...], of: str = "relocations") -> int:
    """What of its pledged ``of`` (relocations, or EUR of financial contributions or alternative measures)
    ``ms``'s requests in ``statuses`` replace (granted: what the Council granted)."""
    return sum(_granted(d)[1] for d in _deduction_rows(conn, cycle_id, ms, statuses) if _replacement_of(d) == of)


def _pledged_relocations(conn: Connection, cycle_id: str, ms: str, of: str = "relocations") -> int | None:
    """What ``ms`` pledged in the cycle of ``of``: its relocations, or its financial contributions or
    alternative measures in EUR (None: no pledge recorded)."""
    column = solidarity_pledges.c[ded.PLEDGE_FIELD[of]]
    return conn.execute(select(column).where(and_(
        solidarity_pledges.c.cycle_id == cycle_id, solidarity_pledges.c.member_state == ms))).scalar()


def request_deduction(services: Services, principal: Principal, year: int, body: DeductionIn) -> dict[str, Any]:
    """A state asks for a full or partial deduction of its pledged contributions (Arts 61, 62): a state
    the Commission's decision (Art 11) identified as under migratory pressure or facing a significant
    migratory situation on those grounds; any other state bound by the solidarity rules on its own
    assessment that it is in either situation (Arts 61(1), 62(1): "or which considers itself"), naming
    its ``grounds`` and giving the substantiation the Regulation requires (Arts 61(2), 62(2)-(3):
    :mod:`pactum.solidarity.deductions`; each item missing is a 422 naming ``substantiation.<item>``).
    A state under migratory pressure that uses the pool asks for no deduction under Art 61 (409). Either
    request is assessed by the Commission within the period of its grounds and decided by the Council
    (:func:`assess_deduction`, :func:`decide_deduction`). A request is at most the state's fair share
    less what it was granted or asked for already in the cycle, dated from the Commission's pressure
    decision (the cycle's proposal) to today; a closed cycle takes none (409). A request for the 2026
    pool, prepared before the Regulation applied (its deductions were decided by the Council's act
    establishing the pool), is assessed within the period in force when the cycle's rules apply, which
    did not bind it then."""
    ms = _own_state(principal, body.member_state)
    early: list[tuple[str, str]] = []
    _bound(early, "member_state", ms)
    if body.relocations < 0 or (body.relocations == 0 and body.replacement is None):
        early.append(("relocations", "a deduction is a positive number of relocation equivalents"
                      + (" (0 when the request only asks for a replacement of pledged relocations)"
                         if body.relocations < 0 else "")))
    if early and early[0][0] == "member_state":  # a state not bound by the rules: nothing else applies to it
        raise ValidationProblem(early)
    with services.uow() as uow:
        row = _cycle(uow.conn, year)
        if row.status == "closed":
            raise Conflict(f"the {year} cycle is closed")
        d = uow.conn.execute(select(solidarity_designations).where(and_(
            solidarity_designations.c.cycle_id == row.id, solidarity_designations.c.member_state == ms))).first()
        designation = d.status if d is not None else None
        problems: list[tuple[str, str]] = list(early)  # every problem of the request is said at once
        given = body.substantiation.model_dump() if body.substantiation is not None else {}
        grounds: str | None
        if designation in DEDUCTION_DESIGNATIONS:  # identified by the Commission's decision: its grounds
            grounds = ded.DESIGNATION_GROUNDS[str(designation)]
            own_assessment = False
            if body.grounds is not None and body.grounds != grounds:
                problems.append(("grounds", f"the Commission's decision identified {ms} as "
                                            f"{ded.GROUNDS_SITUATION[grounds]} in {year}: its request rests on "
                                            f"{DEDUCTION_GROUNDS_BASIS[grounds]} ({grounds})"))
            # Art 62(2): the request of a state identified as facing a significant migratory situation
            # includes points (a) to (d) (until 1 December 2026 recorded when given, not required)
            problems += ded.substantiation_problems(grounds, given, body.on, _on(row), designated=True)
        else:  # on its own assessment (Arts 61(1), 62(1)): it says which, and substantiates it
            own_assessment = True
            if body.grounds is None:
                said = (f"identified {ms} as {str(designation).replace('_', ' ')}" if designation
                        else f"did not identify {ms}")
                problems.append(("grounds", (
                    f"the Commission's decision of {row.proposal_on.isoformat()} {said}: a request on {ms}'s own "
                    "assessment names the situation it considers itself in: under migratory pressure "
                    f"({DEDUCTION_GROUNDS_BASIS['article_61']}(1)) or facing a significant migratory situation "
                    f"({DEDUCTION_GROUNDS_BASIS['article_62']}(1))")))
            grounds = body.grounds
            if grounds is not None:
                problems += ded.substantiation_problems(grounds, given, body.on, _on(row))
        if grounds == "article_61":
            used = _pool_use(uow.conn, row, ms)
            if used:
                raise Conflict(f"{ms} uses the {year} pool ({used}): a deduction under "
                               f"{DEDUCTION_GROUNDS_BASIS['article_61']}(1) is for a state under migratory pressure "
                               "that has not made use of the Annual Solidarity Pool (Article 58) or notified the "
                               "need to use it (Article 59)")
        fair_share = _fair_share_of(uow.conn, year, ms)
        already = _deducted(uow.conn, row.id, ms, ("requested", "assessed", "granted"))
        rate: int | None = None
        if body.replacement is not None:  # Arts 61(2)(b), 62(2)(b): a pledged contribution replaced by another type
            asked = body.replacement
            rate = cyc.relocation_equivalent_eur(max(body.on, _on(row)))
            if asked.of == "relocations" and asked.eur is not None:
                problems.append(("replacement.eur", "pledged relocations are replaced in relocations: give "
                                                    "replacement.relocations, not an amount in EUR"))
            if asked.of != "relocations" and asked.relocations is not None:
                problems.append(("replacement.relocations", f"pledged {ded.REPLACEMENT_TYPES[asked.of]} are replaced "
                                                            "by an amount: give replacement.eur, not relocations"))
            problems += ded.replacement_problems(
                asked.relocations if asked.of == "relocations" else asked.eur, asked.by, asked.description,
                member_state=ms, of=asked.of, eur_per_relocation=rate,
                pledged_relocations=_pledged_relocations(uow.conn, row.id, ms, asked.of),
                replaced_already=_replaced(uow.conn, row.id, ms, ("requested", "assessed", "granted"), asked.of))
        if body.relocations >= 0 and body.relocations > fair_share - already:
            problems.append(("relocations", f"at most {max(fair_share - already, 0):,}: {ms}'s fair share is "
                                            f"{fair_share:,} relocations, of which {already:,} granted or asked for "
                                            f"already in {year}"))
        p = None
        today = state_today(uow.now, ms)
        if body.on > today:
            problems.append(("on", f"a deduction cannot be requested on a future date ({_future(today, ms)})"))
        elif body.on < row.proposal_on:
            problems.append(("on", f"is before the Commission's pressure decision of {row.proposal_on.isoformat()} "
                                   + (f"that designated {ms} in the {year} cycle" if not own_assessment
                                      else f"that opened the {year} cycle")))
        elif grounds is not None:
            why: Exception | None = None
            for day in (body.on, _on(row)):  # the rules of the cycle, for a request made before they applied
                try:
                    p = param(DEDUCTION_PARAMS[grounds][0], on=day)
                    break
                except NotInForce as exc:
                    why = exc
            if p is None:
                problems.append(("on", f"no deduction can be requested then: {why}"))
        if problems or p is None:
            raise ValidationProblem(problems)

        assess_by = add_period(body.on, int(p.value), str(p.unit), ms)
        kept = {k: v for k, v in given.items() if v} or None
        r = body.replacement
        replacement = {} if r is None else {
            "replacement_relocations": r.relocations if r.of == "relocations" else None,
            "replacement_of": None if r.of == "relocations" else r.of,
            "replacement_eur": r.eur if r.of != "relocations" else None, "replacement_by": r.by,
            "replacement_eur_per_relocation": rate,
            "replacement_description": (r.description or "").strip() or None}
        did = new_id("sdd")
        uow.conn.execute(insert(solidarity_deductions).values(
            id=did, cycle_id=row.id, member_state=ms, relocations=body.relocations, grounds=grounds,
            status="requested", requested_on=body.on, assess_by=assess_by, designation=designation,
            own_assessment=own_assessment, substantiation=kept, **replacement, created_at=uow.now, version=1))
        uow.audit(principal, "solidarity.deduction.request", "solidarity_deduction", did,
                  after={"relocations": body.relocations, "grounds": grounds, "own_assessment": own_assessment,
                         "designation": designation, "substantiation": kept, **replacement})
        uow.commit()
        saved = _deduction_row(uow.conn, did)
    return _deduction_dict(saved, row, services.clock.today())


def _pool_use(conn: Connection, row: Any, ms: str) -> str | None:
    """How ``ms`` uses the ``row`` cycle's pool, said for a refusal (None if it does not): a need
    recorded (notified, Arts 58, 59), or relocation transfers out of it under the pool."""
    need = conn.execute(select(solidarity_needs.c.relocations, solidarity_needs.c.financial_eur).where(and_(
        solidarity_needs.c.cycle_id == row.id, solidarity_needs.c.member_state == ms))).first()
    if need is not None and (need.relocations > 0 or need.financial_eur > 0):
        return (f"its need of {need.relocations:,} relocations and EUR {need.financial_eur:,} is recorded")
    T = relocation_transfers
    n = int(conn.execute(select(func.count()).select_from(T).where(and_(
        T.c.cycle_id == row.id, T.c.origin_member_state == ms))).scalar() or 0)
    if n:
        return f"{_count(n, 'relocation transfer')} from it {'is' if n == 1 else 'are'} tracked"
    return None


def _deduction_row(conn: Connection, deduction_id: str) -> Any:
    row = conn.execute(select(solidarity_deductions).where(solidarity_deductions.c.id == deduction_id)).first()
    if row is None:
        raise NotFound("no such deduction request")
    return row


def assess_deduction(services: Services, principal: Principal, deduction_id: str,
                     body: DeductionAssessment) -> dict[str, Any]:
    """The Commission's assessment of a deduction request, of which it informs the Council within the
    period of ``solidarity.deduction.assessment_within`` (Art 61(3)): ``justified`` or not, dated
    neither before the request nor in the future (an assessment after ``assess_by`` is recorded, and
    said late). The Council then decides (:func:`decide_deduction`)."""
    _require_commission(principal)
    with services.uow() as uow:
        row = _deduction_row(uow.conn, deduction_id)
        if row.status != "requested":
            raise Conflict(f"the request was already assessed on {row.assessed_on.isoformat()}"
                           if row.status == "assessed" else f"the deduction was already {row.status}")
        if body.on > uow.now.date():
            raise ValidationProblem.one("on", "an assessment cannot be recorded for a future date")
        if body.on < row.requested_on:
            raise ValidationProblem.one("on", f"is before the request ({row.requested_on.isoformat()})")
        assessment = "justified" if body.justified else "not_justified"
        update_versioned(uow.conn, solidarity_deductions, deduction_id, body.version,
                         {"status": "assessed", "assessed_on": body.on, "assessment": assessment})
        uow.audit(principal, "solidarity.deduction.assess", "solidarity_deduction", deduction_id,
                  before={"status": row.status}, after={"status": "assessed", "assessment": assessment,
                                                        "assessed_on": body.on.isoformat()})
        uow.commit()
        saved = _deduction_row(uow.conn, deduction_id)
        cycle_row = uow.conn.execute(select(solidarity_cycles).where(solidarity_cycles.c.id == saved.cycle_id)).one()
    return _deduction_dict(saved, cycle_row, services.clock.today())


def decide_deduction(services: Services, principal: Principal, deduction_id: str, body: DeductionDecision) -> dict[str, Any]:
    """The Council's implementing act on a deduction request (Art 61(4)), recorded by the Commission:
    it grants (the fair share is reduced) or refuses the deduction, after the Commission's assessment
    (409 before it). ``council_act_reference`` names the act (422 without it); ``on`` is its date,
    neither before the assessment nor in the future. A grant that would deduct more than the state's
    fair share is refused naming ``granted``.

    The act may grant less than was asked (``granted_relocations`` of the deduction,
    ``granted_replacement_relocations`` of the replacement of pledged relocations, Arts 61(2)(b),
    62(2)(b); each at most what was asked, all of it when left out): the Council decides whether the
    state "sia autorizzato a derogare" to the act establishing the pool (Arts 61(4), 62(5)), and a state
    may ask for a full or partial deduction (Arts 61(1), 62(1)); our reading is that the act may
    authorise a narrower derogation than the one asked for. A grant of nothing is a refusal (422). A
    replacement granted is refused naming ``granted_replacement_relocations`` when the state's pledge no
    longer holds the relocations to replace.

    The Council grants only a deduction the Commission assessed as justified: its implementing act
    authorising a deduction is adopted on a Commission proposal that follows the Commission's
    positive assessment of the request (Art 61(3)-(4), and Art 62 for a significant migratory
    situation). The paragraph's exact wording could not be confirmed here; this is the reading
    applied, and it is what the assessment step exists for: a grant of a request assessed as not
    justified is refused (422 naming ``granted``); the Council may refuse either."""
    _require_commission(principal)
    with services.uow() as uow:
        row = _deduction_row(uow.conn, deduction_id)
        if row.status in ("granted", "refused"):
            raise Conflict(f"the deduction was already {row.status}")
        act = (body.council_act_reference or "").strip()
        # every problem of the act as recorded is said at once: those of the act itself (said before the
        # request is assessed too), then those against the request it decides
        problems = deduction_decision_problems(body)
        if row.status == "requested":
            if problems:
                raise ValidationProblem(problems)
            raise Conflict("the Commission has not assessed the request yet: the Council decides on the "
                           f"Commission's assessment ({_assess_decide_cited(row.grounds, row.requested_on)}); "
                           "record the assessment first")
        problems += _decision_row_problems(row, body, today=uow.now.date())
        if body.granted and row.assessment == "justified" and not problems:
            year = uow.conn.execute(select(solidarity_cycles.c.year).where(
                solidarity_cycles.c.id == row.cycle_id)).scalar_one()
            fair_share = _fair_share_of(uow.conn, year, row.member_state)
            granted = _deducted(uow.conn, row.cycle_id, row.member_state, ("granted",))
            asked = row.relocations if body.granted_relocations is None else body.granted_relocations
            if granted + asked > fair_share:
                problems.append(("granted", f"granting {asked:,} relocations would deduct more than "
                                            f"{row.member_state}'s fair share of {fair_share:,} ({granted:,} granted "
                                            "already): grant less, or refuse it (the state may ask again for "
                                            "less)"))
            of = _replacement_of(row)
            field = _GRANTED_REPLACEMENT[of]
            n = _asked(row)[1] if getattr(body, field) is None else getattr(body, field)
            if n:
                pledged = _pledged_relocations(uow.conn, row.cycle_id, row.member_state, of) or 0
                replaced = _replaced(uow.conn, row.cycle_id, row.member_state, ("granted",), of)
                if replaced + n > pledged:
                    unit = (lambda v: f"{v:,}") if of == "relocations" else (lambda v: f"EUR {v:,}")
                    problems.append((field, f"{row.member_state}'s pledge holds {unit(pledged)} of "
                                            f"{ded.REPLACEMENT_TYPES[of]}, {unit(replaced)} of them replaced already: "
                                            f"at most {unit(max(pledged - replaced, 0))} can be replaced"))
        if problems:
            raise ValidationProblem(problems)
        status = "granted" if body.granted else "refused"
        values: dict[str, Any] = {"status": status, "decided_on": body.on, "council_act_reference": act}
        if body.granted:
            values.update(_partial_grant(row, body))
        update_versioned(uow.conn, solidarity_deductions, deduction_id, body.version, values)
        uow.audit(principal, "solidarity.deduction.decide", "solidarity_deduction", deduction_id,
                  before={"status": row.status}, after={**values, "decided_on": body.on.isoformat()})
        uow.commit()
        saved = _deduction_row(uow.conn, deduction_id)
        cycle_row = uow.conn.execute(select(solidarity_cycles).where(solidarity_cycles.c.id == saved.cycle_id)).one()
    return _deduction_dict(saved, cycle_row, services.clock.today())


#: The field of the Council's decision that grants (part of) a replacement, by what the replacement replaces.
_GRANTED_REPLACEMENT = {"relocations": "granted_replacement_relocations", "financial": "granted_replacement_eur",
                        "alternative": "granted_replacement_eur"}


def deduction_decision_problems(body: DeductionDecision) -> list[tuple[str, str]]:
    """The problems of the Council's act on a deduction request as recorded, whatever the request
    (:func:`decide_deduction`), each naming its field: no act named, a number granted below 0, a refusal
    that grants a number. The page says them with those of its form (a date left blank) too."""
    problems: list[tuple[str, str]] = []
    if not (body.council_act_reference or "").strip():
        problems.append(("council_act_reference", "name the Council implementing act that decides the request"))
    for name in ("granted_relocations", "granted_replacement_relocations", "granted_replacement_eur"):
        n = getattr(body, name)
        if n is None:
            continue
        if not body.granted:
            problems.append((name, "a refusal grants nothing: leave it out"))
        elif n < 0:
            problems.append((name, "an amount in EUR, 0 or more" if name.endswith("_eur")
                                   else "a number of relocations, 0 or more"))
    return problems


def _decision_row_problems(row: Any, body: DeductionDecision, today: date) -> list[tuple[str, str]]:
    """The problems of the Council's act on the assessed request ``row`` (:func:`decide_deduction`), each
    naming its field: dated in the future or before the assessment, a grant of a request assessed as not
    justified, a grant of more than was asked or of nothing."""
    problems: list[tuple[str, str]] = []
    if body.on > today:
        problems.append(("on", "a decision cannot be recorded for a future date"))
    elif row.assessed_on is not None and body.on < row.assessed_on:
        problems.append(("on", f"is before the Commission's assessment ({row.assessed_on.isoformat()})"))
    if body.granted and row.assessment != "justified":
        problems.append(("granted", f"the Commission assessed the request as not justified on "
                                    f"{row.assessed_on.isoformat()}: the Council's implementing act grants a "
                                    "deduction on the Commission's proposal after a positive assessment "
                                    f"({_assess_decide_cited(row.grounds, row.requested_on)}); record the "
                                    "Council's refusal, or a new request for the Commission to assess"))
    elif body.granted:
        problems += _grant_problems(row, body)
    return problems


def _grant_problems(row: Any, body: DeductionDecision) -> list[tuple[str, str]]:
    """The problems of a grant of less than was asked (:func:`decide_deduction`), each naming its field:
    more than was asked, a replacement the request did not ask for (or a grant of it in the other unit:
    relocations for money replaced, EUR for relocations), a grant of nothing (a number below 0 is said by
    :func:`deduction_decision_problems`)."""
    problems: list[tuple[str, str]] = []
    of = _replacement_of(row)
    asked_repl = _asked(row)[1]
    field = _GRANTED_REPLACEMENT[of]
    negative = False
    for name, asked, what in (("granted_relocations", row.relocations, "a deduction of"),
                              ("granted_replacement_relocations",
                               asked_repl if field == "granted_replacement_relocations" else 0, "the replacement of"),
                              ("granted_replacement_eur",
                               asked_repl if field == "granted_replacement_eur" else 0, "the replacement of")):
        n = getattr(body, name)
        if n is None:
            continue
        if n < 0:
            negative = True
            continue
        if name != "granted_relocations" and name != field:
            problems.append((name, f"{row.member_state} asked for no replacement of pledged relocations"
                                   if name == "granted_replacement_relocations" else
                                   f"{row.member_state} asked for no replacement of pledged financial contributions "
                                   "or alternative measures"
                                   + (f": the replacement asked is granted as {field}" if asked_repl else "")))
        elif n > asked:
            said = (f"{asked:,} relocation{'s' if asked != 1 else ''}" if name != "granted_replacement_eur"
                    else f"EUR {asked:,} of {ded.REPLACEMENT_TYPES[of]}")
            problems.append((name, f"at most {asked:,}: {row.member_state} asked for {what} {said}" if asked else
                                   f"{row.member_state} asked for no replacement of pledged relocations"))
    if not problems and not negative:
        d = row.relocations if body.granted_relocations is None else body.granted_relocations
        r = asked_repl if getattr(body, field) is None else getattr(body, field)
        if d == 0 and r == 0:
            problems.append(("granted", "the act grants neither a deduction nor a replacement: record it as a refusal"))
    return problems


def _partial_grant(row: Any, body: DeductionDecision) -> dict[str, Any]:
    """What a grant stores: the numbers granted when the act grants less than was asked (NULL: all)."""
    out: dict[str, Any] = {}
    if body.granted_relocations is not None and body.granted_relocations != row.relocations:
        out["granted_relocations"] = body.granted_relocations
    field = _GRANTED_REPLACEMENT[_replacement_of(row)]
    n = getattr(body, field)
    if n is not None and n != _asked(row)[1]:
        out[field] = n
    return out


# --- queries: pool at a glance, own pledge page, distribution -----------------------------------


def _benefitting(conn: Connection, cyc_row: Any) -> list[str]:
    """The states that benefit from the cycle's pool (:func:`pactum.solidarity.cycle.benefitting_states`):
    found under migratory pressure, or their need recorded."""
    designations = {d.member_state: d.status for d in conn.execute(
        select(solidarity_designations.c.member_state, solidarity_designations.c.status)
        .where(solidarity_designations.c.cycle_id == cyc_row.id))}
    # a need of alternative measures only is a need too (Arts 58(2), 59(2)(b))
    needs = {n.member_state: (n.relocations, n.financial_eur + n.alternative_eur) for n in conn.execute(
        select(solidarity_needs.c.member_state, solidarity_needs.c.relocations, solidarity_needs.c.financial_eur,
               solidarity_needs.c.alternative_eur)
        .where(solidarity_needs.c.cycle_id == cyc_row.id))}
    return cyc.benefitting_states(designations, needs)


def _accounts(conn: Connection, cyc_row: Any, shares: dict[str, Any],
              benefitting: list[str] | None = None) -> list[cyc.StateAccount]:
    """Each bound state's account in the cycle; a benefitting state's is marked (its own pledge is not
    implemented while it benefits)."""
    if benefitting is None:
        benefitting = _benefitting(conn, cyc_row)
    pledges = {p.member_state: p for p in conn.execute(
        select(solidarity_pledges).where(solidarity_pledges.c.cycle_id == cyc_row.id))}
    deductions: Counter[str] = Counter()
    # pledged contributions replaced by another type of contribution (Arts 61(2)(b), 62(2)(b)): what was
    # replaced of each type, and what replaces it, by type (relocations in persons, the others in EUR)
    replaced: dict[str, Counter[str]] = {t: Counter() for t in ded.REPLACEMENT_TYPES}
    replacing: dict[str, Counter[str]] = {t: Counter() for t in ded.REPLACEMENT_TYPES}
    for d in conn.execute(select(solidarity_deductions).where(and_(
            solidarity_deductions.c.cycle_id == cyc_row.id, solidarity_deductions.c.status == "granted"))):
        n_deducted, n_replaced = _granted(d)
        deductions[d.member_state] += n_deducted
        of = _replacement_of(d)
        if n_replaced and d.replacement_by in replacing and d.replacement_by != of:
            replaced[of][d.member_state] += n_replaced
            replacing[d.replacement_by][d.member_state] += ded.replacement_amounts(
                of, n_replaced, d.replacement_by, int(d.replacement_eur_per_relocation or 0))[1]
    arrived: Counter[str] = Counter()
    for dest, n in conn.execute(
        select(relocation_transfers.c.destination_member_state, func.count())
        .where(and_(relocation_transfers.c.cycle_id == cyc_row.id, relocation_transfers.c.stage == "arrived"))
        .group_by(relocation_transfers.c.destination_member_state)
    ):
        arrived[dest] = n
    out = []
    for s in shares["states"]:
        ms = s["member_state"]
        p = pledges.get(ms)
        out.append(cyc.StateAccount(
            member_state=ms, fair_share_relocations=s["fair_share_relocations"],
            deduction_relocations=min(deductions[ms], s["fair_share_relocations"]),
            deduction_granted_relocations=deductions[ms],
            pledge=cyc.Pledge(ms, p.relocations, p.financial_eur, p.alternative_eur,
                              tuple(p.preferred_beneficiaries or ())) if p else None,
            relocated=arrived[ms], paid_eur=p.paid_eur if p else 0,
            alternative_done_eur=p.alternative_done_eur if p else 0, benefitting=ms in benefitting,
            replaced_relocations=min(replaced["relocations"][ms], p.relocations) if p else 0,
            replaced_financial_eur=min(replaced["financial"][ms], p.financial_eur) if p else 0,
            replaced_alternative_eur=min(replaced["alternative"][ms], p.alternative_eur) if p else 0,
            replacement_relocations=replacing["relocations"][ms] if p else 0,
            replacement_financial_eur=replacing["financial"][ms] if p else 0,
            replacement_alternative_eur=replacing["alternative"][ms] if p else 0,
        ))
    return out


def _on(row: Any) -> date:
    """The day the rules of the ``row`` cycle's pool apply (:func:`pactum.solidarity.cycle.implementation_start`):
    1 January of its year; for the first pool, prepared before the solidarity rules applied, the day
    they apply (12 June 2026) or the proposal's date if later."""
    starts, _ = cyc.implementation_start(row.year)
    return max(starts, row.proposal_on) if starts > date(row.year, 1, 1) else starts


@dataclass(frozen=True)
class _CycleState:
    """A cycle as the pool's pages and the distribution read it."""

    row: Any
    pool: Pool
    shares: dict[str, Any]
    accounts: list[cyc.StateAccount]
    needs: list[dict[str, Any]]
    benefitting: list[str]
    #: each contributing state's alternative measures assigned, by the end of the pool's year, to a
    #: benefitting state that requested them (Arts 60(2), 65(1)): requested, so not converted (Art 57(4))
    assigned: dict[str, int] = dc_field(default_factory=dict)


def _cycle_state(conn: Connection, year: int) -> _CycleState:
    """The ``year`` cycle's row, pool, fair shares, each state's account, the needs recorded (by
    state) and the states that benefit from the pool."""
    row = _cycle(conn, year)
    pool = _pool(conn, year)
    shares = _shares(conn, year, pool)
    benefitting = _benefitting(conn, row)
    accounts = _accounts(conn, row, shares, benefitting)
    needs = [dict(n._mapping) for n in conn.execute(
        select(solidarity_needs).where(solidarity_needs.c.cycle_id == row.id).order_by(solidarity_needs.c.member_state))]
    A = solidarity_measure_assignments
    year_end, _ = cyc.implementation_end(year)
    assigned = {ms: int(eur) for ms, eur in conn.execute(
        select(A.c.contributor_member_state, func.sum(A.c.eur))
        .where(and_(A.c.cycle_id == row.id, A.c.measure_type == "alternative", A.c.assigned_on <= year_end))
        .group_by(A.c.contributor_member_state))}
    return _CycleState(row, pool, shares, accounts, needs, benefitting, assigned)


def _alternative_conversion(cs: _CycleState, today: date) -> dict[str, Any]:
    """What the ``cs`` cycle's alternative solidarity measures have become under Art 57(4) on ``today``
    (:func:`pactum.solidarity.cycle.alternative_conversion`): the benefitting states' requests are their
    needs' ``alternative_eur``; the measures are each implemented pledge's (after any replacement the
    Council allowed; a benefitting state's own pledge is not implemented), less those carried out and those
    the coordinator assigned by the end of the year to a state that requested them (``cs.assigned``).
    ``by_state``: the EUR converted into financial contributions, by state."""
    benefitting = set(cs.benefitting)
    requested = {n["member_state"]: int(n["alternative_eur"]) for n in cs.needs if n["member_state"] in benefitting}
    measures = {a.member_state: (a.implemented_pledge.alternative_eur, a.alternative_done_eur) for a in cs.accounts
                if a.implemented_pledge is not None and a.implemented_pledge.alternative_eur}
    out = cyc.alternative_conversion(cs.row.year, requested=requested, measures=measures, today=today,
                                     closed=cs.row.status == "closed", assigned=cs.assigned)
    out["by_state"] = {c["member_state"]: c["eur"] for c in out["converted"]}
    return out


def pool_overview(services: Services, principal: Principal, year: int) -> dict[str, Any]:
    """The pool at a glance: pledged vs fair share per state, needs vs pledges received."""
    if principal.member_state is not None:
        raise Forbidden("the pool overview is for the Commission and analysts; states see their pledge page")
    _require_reader(principal)
    with services.engine.connect() as conn:
        cs = _cycle_state(conn, year)
        row, pool, shares, accounts, needs = cs.row, cs.pool, cs.shares, cs.accounts, cs.needs
        deductions = conn.execute(
            select(solidarity_deductions).where(solidarity_deductions.c.cycle_id == row.id)
            .order_by(solidarity_deductions.c.requested_on, solidarity_deductions.c.created_at)).all()
        designations = [{"member_state": d.member_state, "status": d.status} for d in conn.execute(
            select(solidarity_designations).where(solidarity_designations.c.cycle_id == row.id)
            .order_by(solidarity_designations.c.status, solidarity_designations.c.member_state))]
        years = set(conn.execute(select(solidarity_cycles.c.year)).scalars())
    acc = cyc.account(accounts, pool_relocations=pool.relocations, on=_on(row),
                      proposal_relocations=row.proposal_relocations)
    today = services.clock.today()
    conversion = _alternative_conversion(cs, today)
    status_of = {d["member_state"]: d["status"] for d in designations}
    for r in acc["states"]:
        r["designation"] = status_of.get(r["member_state"])
        # alternative measures converted into financial contributions, none requested (Art 57(4))
        r["alternative_converted_eur"] = conversion["by_state"].get(r["member_state"], 0)
    dist = _distribution(services, row, accounts, needs)
    received: Counter[str] = Counter()
    for d in dist:
        for k, v in d["allocation"].items():
            received[k] += v
    return {
        "cycle": _cycle_dict(row),
        "designations": designations,
        "benefitting_states": cs.benefitting,
        "fair_shares": {k: shares[k] for k in ("reference_year", "data_source", "figures_loaded", "pool", "rounding",
                                               "legal_basis")},
        "accounts": acc,
        "needs": [
            {"member_state": n["member_state"], "relocations": n["relocations"], "financial_eur": n["financial_eur"],
             "alternative_eur": n["alternative_eur"], "sar": n["sar"],
             "pledges_received_relocations": received[n["member_state"]]}
            for n in needs
        ],
        # Art 57(4): alternative measures no benefitting state requests in the pool's year become money
        "alternative_measures": conversion,
        "deductions": [_deduction_dict(d, row, today) for d in deductions],
        # relocation pledges above the beneficiaries' needs: not distributed (:func:`cyc.distribute_pledges`)
        "not_allocated": [{"member_state": d["member_state"], "relocations": d["not_allocated"]}
                          for d in dist if d["not_allocated"]],
        "not_allocated_relocations": sum(d["not_allocated"] for d in dist),
        "next_cycle": next_cycles(years, today),
    }


#: The columns of the pool overview's CSV export, in order (:func:`pool_overview_csv`).
OVERVIEW_CSV_COLUMNS = (
    "year", "member_state", "designation", "benefitting", "fair_share_relocations", "deduction_relocations",
    "due_relocation_equivalents", "pledged_relocations", "pledged_financial_eur", "pledged_alternative_eur",
    "pledged_relocation_equivalents", "pledged_share_of_due", "pledge_implemented", "relocated",
    "need_relocations", "need_financial_eur", "sar", "pledges_received_relocations",
    "deduction_granted_relocations", "deduction_exceeds_fair_share",
    "replaced_relocations", "replacement_financial_eur", "replacement_alternative_eur",
    "replaced_financial_eur", "replaced_alternative_eur", "replacement_relocations",
    "need_alternative_eur", "alternative_converted_eur",
)


def pool_overview_csv(services: Services, principal: Principal, year: int) -> str:
    """The pool at a glance as CSV (the figures of the pool page's table and needs): one row per bound
    state, then a ``total`` row. A benefitting state's pledge is shown with ``pledge_implemented``
    false and left out of the totals, as on the page; ``pledged_share_of_due`` is a ratio (blank when
    nothing is due or the state benefits); ``deduction_relocations`` is what is deducted (at most the
    fair share), ``deduction_granted_relocations`` what the Council granted, ``deduction_exceeds_fair_share``
    true when the pool was amended below the grant; ``replaced_relocations``, ``replacement_financial_eur``
    and ``replacement_alternative_eur`` the pledged relocations the Council's act allowed the state to
    replace by another type of contribution and what replaces them (Arts 61(2)(b), 62(2)(b)), and
    ``replaced_financial_eur``, ``replaced_alternative_eur`` and ``replacement_relocations`` the pledged money and
    measures it allowed to replace and the relocations replacing them; the pledged
    figures are the Council's act establishing the pool; ``need_alternative_eur`` the alternative measures a
    benefitting state requests and ``alternative_converted_eur`` a contributing state's alternative measures
    converted into financial contributions, none requested in the pool's year (Art 57(4)). Read by whoever
    reads the overview."""
    import csv
    import io

    ov = pool_overview(services, principal, year)
    acc = ov["accounts"]
    needs = {n["member_state"]: n for n in ov["needs"]}
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(OVERVIEW_CSV_COLUMNS)

    def cell(v: Any) -> Any:
        return "" if v is None else ("true" if v is True else "false" if v is False else v)

    for r in acc["states"]:
        n = needs.get(r["member_state"]) or {}
        w.writerow([cell(v) for v in (
            year, r["member_state"], r["designation"], r["benefitting"], r["fair_share_relocations"],
            r["deduction_relocations"], r["due_relocation_equivalents"], r["pledged_relocations"],
            r["pledged_financial_eur"], r["pledged_alternative_eur"], r["pledged_relocation_equivalents"],
            r["pledged_share_of_due"], r["pledge_implemented"], r["progress"]["relocated"], n.get("relocations"),
            n.get("financial_eur"), n.get("sar"), n.get("pledges_received_relocations"),
            r["deduction_granted_relocations"], r["deduction_exceeds_fair_share"],
            *((r["replacement"] or {}).get(k, 0) for k in ("relocations", "financial_eur", "alternative_eur",
                                                            "replaced_financial_eur", "replaced_alternative_eur",
                                                            "replacing_relocations")),
            n.get("alternative_eur"), r["alternative_converted_eur"])])
    t = acc["totals"]
    w.writerow([cell(v) for v in (
        year, "total", None, None, sum(r["fair_share_relocations"] for r in acc["states"]),
        sum(r["deduction_relocations"] for r in acc["states"]),
        sum(r["due_relocation_equivalents"] for r in acc["states"] if not r["benefitting"]),
        t["pledged_relocations"], t["pledged_financial_eur"], t["pledged_alternative_eur"],
        t["pledged_relocation_equivalents"], None, None, t["relocated"],
        sum(n["relocations"] for n in ov["needs"]), sum(n["financial_eur"] for n in ov["needs"]), None,
        sum(n["pledges_received_relocations"] for n in ov["needs"]),
        sum(r["deduction_granted_relocations"] for r in acc["states"]), None,
        t["replaced_relocations"], t["replacement_financial_eur"], t["replacement_alternative_eur"],
        t["replaced_financial_eur"], t["replaced_alternative_eur"], t["replacement_relocations"],
        sum(n["alternative_eur"] for n in ov["needs"]), ov["alternative_measures"]["converted_eur"])])
    return out.getvalue()


def next_cycles(years: set[int], today: date) -> list[dict[str, Any]]:
    """The cycles that should be under way and are not opened: this year's and next year's, each with
    the due dates of its steps from the law's parameters (:func:`pactum.solidarity.cycle.missing_cycle`),
    ``overdue`` or ``due``. Empty when both are opened (or no rule binds them)."""
    out = []
    for year in (today.year, today.year + 1):
        if year in years or year < cyc.first_pool_year():
            continue
        missing = cyc.missing_cycle(year, today)
        if missing is not None and (year > today.year or missing["overdue"]):
            out.append(missing)
    return out


def missing_cycles(services: Services, principal: Principal) -> list[dict[str, Any]]:
    """:func:`next_cycles` for the cycles recorded (who reads the cycles reads it)."""
    require(principal, Role.solidarity_coordinator, Role.analyst, Role.admin, Role.auditor)
    with services.engine.connect() as conn:
        years = set(conn.execute(select(solidarity_cycles.c.year)).scalars())
    return next_cycles(years, services.clock.today())


def pledge_page(services: Services, principal: Principal, year: int, state: str | None = None) -> dict[str, Any]:
    """A state's own pledge (read by its coordinators, administrators and analysts): fair share,
    pledge, deductions, distribution to beneficiaries, progress;
    and, for a benefitting state (``receives``), its need, the relocation pledges distributed to it by
    contributing state, the relocation transfers out of it and the applications taken over from it."""
    if principal.member_state is not None:
        ms = principal.member_state
        if state and _state("member_state", state) != ms:
            raise NotFound(f"no pledge page for {state}")
        # the state's coordinators and administrators act on it; its analysts read it
        require(principal, Role.solidarity_coordinator, Role.admin, Role.analyst)
    else:
        _require_reader(principal)
        if not state:
            raise ValidationProblem.one("member_state", "name the Member State")
        ms = _state("member_state", state)
    with services.engine.connect() as conn:
        cs = _cycle_state(conn, year)
        row, pool, shares, accounts, needs = cs.row, cs.pool, cs.shares, cs.accounts, cs.needs
        p = conn.execute(select(solidarity_pledges).where(and_(
            solidarity_pledges.c.cycle_id == row.id, solidarity_pledges.c.member_state == ms))).first()
        designation = conn.execute(select(solidarity_designations.c.status).where(and_(
            solidarity_designations.c.cycle_id == row.id, solidarity_designations.c.member_state == ms))).scalar()
        transfers_out, overdue_out, offsets_from = _received(conn, row, ms, services.clock.today())
        A = solidarity_beneficiary_agreements
        agreements = conn.execute(select(A).where(and_(A.c.cycle_id == row.id, or_(
            A.c.contributor_member_state == ms, A.c.beneficiary_member_state == ms)))
            .order_by(A.c.contributor_member_state, A.c.beneficiary_member_state)).all()
    acc = cyc.account(accounts, pool_relocations=pool.relocations, on=_on(row),
                      proposal_relocations=row.proposal_relocations)
    mine = next((a for a in acc["states"] if a["member_state"] == ms), None)
    conversion = _alternative_conversion(cs, services.clock.today())
    every = _distribution(services, row, accounts, needs)
    dist = [d for d in every if d["member_state"] == ms]
    share = next((s for s in shares["states"] if s["member_state"] == ms), None)
    need = next((n for n in needs if n["member_state"] == ms), None)
    receives = cyc.receipts(
        ms, designation=designation,
        need=None if need is None else cyc.Need(ms, need["relocations"], bool(need["sar"])),
        need_financial_eur=None if need is None else need["financial_eur"], sar_earmark=row.sar_earmark,
        distributions=every,
        preferred_by={a.member_state for a in accounts
                      if a.implemented_pledge and ms in a.implemented_pledge.preferred_beneficiaries},
        transfers=transfers_out, overdue=overdue_out, offsets=offsets_from,
        # with the alternative measures converted into financial contributions, none requested (Art 57(4))
        pool_financial_pledged_eur=sum(a.implemented_pledge.financial_eur for a in accounts if a.implemented_pledge)
        + conversion["converted_eur"],
        pool_financial_paid_eur=sum(a.paid_eur for a in accounts if not a.benefitting), on=_on(row))
    if receives is not None and receives["need"] is not None and need is not None:
        # the alternative measures requested (Arts 58(2), 59(2)(b); Art 57(4))
        receives["need"]["alternative_eur"] = need["alternative_eur"]
    benefitting = ms in cs.benefitting
    return {
        "year": year,
        "member_state": ms,
        "name": MEMBER_STATES[ms].name,
        "cycle_status": row.status,
        "designation": designation,
        "fair_share": share,
        "reference_year": shares["reference_year"],
        "account": mine,
        # the value of a relocation replaced by another type of contribution (Arts 12(3), 56(2))
        "relocation_equivalent_eur": acc["relocation_equivalent_eur"],
        "pledge": None if p is None else {
            "relocations": p.relocations, "financial_eur": p.financial_eur, "alternative_eur": p.alternative_eur,
            "alternative_description": p.alternative_description,
            "preferred_beneficiaries": p.preferred_beneficiaries, "paid_eur": p.paid_eur,
            "alternative_done_eur": p.alternative_done_eur, "version": p.version,
        },
        "distribution": dist[0] if dist else None,
        # a benefitting state's own pledge is not implemented, distributed or counted while it benefits
        "benefitting": benefitting,
        "own_pledge": None if not benefitting else {
            **cyc.own_pledge_rule(_on(row)), "pledged": p is not None and bool(
                p.relocations or p.financial_eur or p.alternative_eur)},
        "offsets": acc["offsets"],
        "bound_by_solidarity": ms in SOLIDARITY_STATES,
        "receives": receives,
        # who receives beneficiaries of international protection from whom (Art 56(2)(a))
        "beneficiary_agreements": [_agreement_dict(r, services) for r in agreements],
        # Art 57(4): the pool's alternative measures, requested or converted into financial contributions;
        # ``converted_eur``, ``converted``, ``assigned`` and ``assigned_eur`` the state's own (what became of the
        # other states' measures is theirs to read)
        "alternative_measures": {**{k: v for k, v in conversion.items() if k != "by_state"},
                                 "converted": [c for c in conversion["converted"] if c["member_state"] == ms],
                                 "assigned": [c for c in conversion["assigned"] if c["member_state"] == ms],
                                 "assigned_eur": sum(c["eur"] for c in conversion["assigned"] if c["member_state"] == ms),
                                 "converted_eur": conversion["by_state"].get(ms, 0)},
    }


def _received(conn: Connection, row: Any, ms: str, today: date) -> tuple[dict[tuple[str, str], int], int,
                                                                         list[tuple[str, list[str]]]]:
    """What a benefitting state received in a cycle, as stored: its relocation transfers (persons per
    relocation state and stage), those past their transfer deadline on ``today``, and the applications
    taken over from it as responsibility offsets (contributing state and legal basis of each)."""
    T = relocation_transfers
    mine = and_(T.c.cycle_id == row.id, T.c.origin_member_state == ms)
    transfers = {(dest, stage): int(n) for dest, stage, n in conn.execute(
        select(T.c.destination_member_state, T.c.stage, func.count()).where(mine)
        .group_by(T.c.destination_member_state, T.c.stage))}
    overdue = int(conn.execute(select(func.count()).select_from(T).where(and_(
        mine, _transfer_overdue(today)))).scalar() or 0)
    offsets = [(c, list(basis or [])) for c, basis in conn.execute(
        select(solidarity_offsets.c.contributor_member_state, solidarity_offsets.c.legal_basis).where(and_(
            solidarity_offsets.c.cycle_id == row.id, solidarity_offsets.c.beneficiary_member_state == ms))
        .order_by(solidarity_offsets.c.taken_over_on, solidarity_offsets.c.case_reference))]
    return transfers, overdue, offsets


def _distribution(services: Services | None, row: Any, accounts: list[cyc.StateAccount], needs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each implemented relocation pledge split across the beneficiaries: a benefitting state's own
    pledge is not implemented while it benefits, so it is not distributed; a state's granted
    deduction is taken off its pledge first (:func:`pactum.solidarity.cycle.relocations_to_implement`):
    ``relocations`` is what is distributed, ``pledged_relocations`` what the state pledged."""
    need_objs = [cyc.Need(n["member_state"], n["relocations"], bool(n["sar"])) for n in needs]
    eur = cyc.relocation_equivalent_eur(_on(row))
    todo: list[tuple[cyc.StateAccount, cyc.Pledge, int]] = []
    for a in accounts:
        p = a.implemented_pledge
        if p is None or p.relocations <= 0:
            continue
        reloc = cyc.relocations_to_implement(p, a.deduction_relocations, eur)
        if reloc <= 0:
            continue
        todo.append((a, p, reloc))
    # all the pledges together within each beneficiary's need (annex, Arts 57, 60)
    split = cyc.distribute_pledges([(a.member_state, reloc, p.preferred_beneficiaries) for a, p, reloc in todo],
                                   need_objs, sar_earmark=row.sar_earmark, on=_on(row))
    out = []
    for (a, p, reloc), (alloc, trace, left) in zip(todo, split, strict=True):
        out.append({"member_state": a.member_state, "relocations": reloc, "pledged_relocations": p.relocations,
                    "deduction_relocations": a.deduction_relocations, "allocation": alloc,
                    "not_allocated": left, "trace": trace})
    return out


def distribution(services: Services, principal: Principal, year: int) -> list[dict[str, Any]]:
    """Every relocation pledge split across beneficiaries by needs (and SAR earmark), with the rule."""
    if principal.member_state is not None:
        raise Forbidden("states see their own distribution on their pledge page")
    _require_reader(principal)
    with services.engine.connect() as conn:
        cs = _cycle_state(conn, year)
    return _distribution(services, cs.row, cs.accounts, cs.needs)


# --- responsibility offsets (Arts 63, 69) ---------------------------------------------------------


#: Art 63(5): a take-over of pledged relocations not accepted by the end of the pool's year
_YEAR_END_CITED = "Regulation (EU) 2024/1351, Article 63(5)"


def _year_end_offset(legal_basis: Any) -> bool:
    """Whether a stored take-over was made under Art 63(5) (its legal basis cites it)."""
    return _YEAR_END_CITED in (legal_basis or [])


def _offset_position(conn: Connection, row: Any, as_of: date | None = None
                     ) -> tuple[offs.OffsetRegime, dict[str, offs.Entitlement], list[str]]:
    """The offset regime of a cycle, each contributing state's entitlement and the benefitting states.
    The regime's relocation pledges (Art 63(1), (3)) are all those of the Council's act, a benefitting
    state's own included; its relocations to be implemented (Art 63(4)) leave those out.
    ``as_of``: the day looked at; after the end of the pool's year (``implementation_end``) each
    contributing state also owes the pledged relocations it did not accept by then (Art 63(5))."""
    pool = _pool(conn, row.year)
    beneficiaries = _benefitting(conn, row)
    accounts = _accounts(conn, row, _shares(conn, row.year, pool), beneficiaries)
    on = _on(row)
    # Art 63(1), (3): the relocation pledges of the Council's act establishing the pool (Art 57), before
    # any replacement a later act allowed (Arts 61(2)(b), 62(2)(b)), which counts under Art 63(4) below;
    # a benefitting state's own pledges are in that act too: that it does not implement them (Art 60(3)) is
    # Art 63(4)'s second cause, not a reason to leave them out of paragraphs 1 and 3
    total = sum(a.pledge.relocations for a in accounts if a.pledge)
    not_implemented = sum(a.pledge.relocations for a in accounts if a.pledge and a.benefitting)
    # Art 63(4): the relocations to be implemented once the granted deductions are taken off each pledge,
    # as the pool's distribution takes them (money and alternative measures first)
    eur = cyc.relocation_equivalent_eur(on)
    to_implement = sum(cyc.relocations_to_implement(a.implemented_pledge, a.deduction_relocations, eur)
                       for a in accounts if a.implemented_pledge)
    # Art 63(1): against the number of the Commission's proposal (Art 12), kept at the Council's adoption;
    # the mandatory rule against the pool's reference number as adopted (the parameter's reading)
    # and (Art 63(3)(a)) against the number of Art 12(2)(a)
    reg = offs.regime(total, row.proposal_relocations, on=on, mandatory_reference=pool.relocations,
                      minimum_relocations=int(param("solidarity.pool.relocations_min", on=on).value),
                      to_implement=to_implement, not_implemented=not_implemented)
    taken: Counter[str] = Counter(dict(conn.execute(
        select(solidarity_offsets.c.contributor_member_state, func.count())
        .where(solidarity_offsets.c.cycle_id == row.id)
        .group_by(solidarity_offsets.c.contributor_member_state)).all()))
    # Art 63(3): the mandatory take-overs of all contributing states reach at most the regime's total (those
    # of Art 63(5), after the year, are not among them)
    mandatory_taken: Counter[str] = Counter(
        ms for ms, basis in conn.execute(
            select(solidarity_offsets.c.contributor_member_state, solidarity_offsets.c.legal_basis)
            .where(solidarity_offsets.c.cycle_id == row.id, solidarity_offsets.c.mandatory.is_(True)))
        if not _year_end_offset(basis))
    all_mandatory = sum(mandatory_taken.values())
    # Art 63(5): the relocations each state accepted (Art 67(9)) by the end of the pool's year
    year_end, _ = cyc.implementation_end(row.year)
    year_over = as_of is not None and as_of > year_end
    T = relocation_transfers
    accepted: Counter[str] = Counter(dict(conn.execute(
        select(T.c.destination_member_state, func.count())
        .where(T.c.cycle_id == row.id, T.c.accepted_on.is_not(None), T.c.accepted_on <= year_end)
        .group_by(T.c.destination_member_state)).all())) if year_over else Counter()
    ents = {}
    for a in accounts:
        if a.member_state in beneficiaries:
            continue  # a benefitting state takes over nothing and does not implement its own pledges
        left = (None if reg.mandatory_total is None
                else reg.mandatory_total - (all_mandatory - mandatory_taken[a.member_state]))
        ents[a.member_state] = offs.entitlement(offs.Contributor(
            member_state=a.member_state, fair_share_relocations=a.fair_share_relocations,
            deduction_relocations=a.deduction_relocations,
            relocations_pledged=a.pledge.relocations if a.pledge else 0,
            relocated=a.relocated, taken_over=taken[a.member_state], year_over=year_over,
            relocations_to_implement=(cyc.relocations_to_implement(a.derogated_pledge, a.deduction_relocations, eur)
                                      if a.derogated_pledge else 0),
            accepted_by_year_end=accepted[a.member_state],
            # a voluntary take-over is instead of a relocation the state implements: after a replacement the
            # Council granted (Arts 61(2)(b), 62(2)(b)), those of the pledge as replaced
            relocations_after_replacement=(a.derogated_pledge.relocations if a.derogated_pledge else None)),
            reg, on=on, mandatory_left=left)
    return reg, ents, beneficiaries


#: The articles each AMMR criterion of a Dublin case rests on (Art 63(8)(b) limits offsets to Arts 29 to 33).
_AMMR_CRITERIA: dict[str, tuple[str, ...]] = dict(_CRITERIA_ARTICLES["ammr"])


def _applications(conn: Connection, beneficiaries: list[str], today: date, present_in: str | None = None,
                  case_ids: list[str] | None = None) -> list[offs.Application]:
    """Dublin cases of persons registered in one state for which another (benefitting) state is
    responsible, with who is responsible ``today`` and the Dublin requests still running on them."""
    C = dublin_cases
    conds = [C.c.responsible_member_state != C.c.member_state]
    if case_ids is not None:
        conds = [C.c.id.in_(case_ids)]
    else:
        conds.append(C.c.responsible_member_state.in_(beneficiaries))
        if present_in is not None:
            conds.append(C.c.member_state == present_in)
    rows = conn.execute(select(C).where(and_(*conds))).all()
    ids = [r.id for r in rows]
    taken: set[str] = set()
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        taken |= set(conn.execute(select(solidarity_offsets.c.case_id).where(
            solidarity_offsets.c.case_id.in_(chunk))).scalars())
    current = responsibility.current_responsibility(conn, rows, today)
    absconded = _absconded_from(conn, ids)
    protected = _protection_granted(conn, {r.person_id for r in rows if r.person_id})
    rejected = _finally_rejected(conn, {r.person_id for r in rows if r.person_id})
    out = []
    for r in rows:
        now, running = current[r.id]
        transferred = now.rule == "transferred"
        run = None
        if running:
            q = running[-1]
            run = f"{q.kind.replace('_', ' ')} to {q.requested_member_state}, {proc.LABELS.get(q.status, q.status)}"
        out.append(offs.Application(
            id=r.id, reference=r.reference, present_in=r.member_state, responsible=r.responsible_member_state,
            registered_on=r.registered_on, transferred=transferred, taken_over=r.id in taken, regime=r.regime,
            responsible_now=None if now.member_state == r.responsible_member_state else now.member_state,
            responsible_now_reason=now.reason, running_request=run, criterion=r.criterion,
            criterion_basis=_AMMR_CRITERIA.get(r.criterion, ()) if r.regime == "ammr" else None,
            unaccompanied_minor=_unaccompanied_minor_on(r.facts, today), responsible_now_rule=now.rule,
            absconded_from=absconded.get(r.id, ()),
            protection_granted_by=protected.get(r.person_id, ()) if r.person_id else (),
            finally_rejected_in=rejected.get(r.person_id, ()) if r.person_id else ()))
    return out


def _unaccompanied_minor_on(facts: Any, on: date) -> bool:
    """Art 63(8)(a): the case's facts record the applicant as an unaccompanied minor and the date of
    birth, where recorded, does not make the applicant of age (``ammr.responsibility_definitions.minor_age``)
    by ``on``; an unknown date of birth keeps the flag (the reading that protects the child)."""
    applicant = (facts or {}).get("applicant") or {}
    if not applicant.get("unaccompanied_minor"):
        return False
    born = applicant.get("date_of_birth")
    if not born:
        return True
    adult = int(param("ammr.responsibility_definitions.minor_age", on=on).value)
    return age_on(date.fromisoformat(str(born)[:10]), on) < adult


def _absconded_from(conn: Connection, case_ids: list[str]) -> dict[str, tuple[str, ...]]:
    """Art 63(8)(d): by case, the states the applicant absconded from, as the Dublin procedure recorded
    it: a request whose transfer period the requesting state extended for absconding (AMMR Art 46(2))."""
    R = dublin_requests
    out: dict[str, set[str]] = {}
    for chunk in (case_ids[i:i + 500] for i in range(0, len(case_ids), 500)):
        for case_id, state in conn.execute(select(R.c.case_id, R.c.requesting_member_state).where(
                R.c.case_id.in_(chunk), R.c.extension_reason == "absconding")):
            out.setdefault(case_id, set()).add(state)
    return {k: tuple(sorted(v)) for k, v in out.items()}


#: An asylum decision or appeal that grants international protection (the procedures area's outcomes).
_PROTECTION_OUTCOMES = ("refugee_status", "subsidiary_protection")
#: Art 63(9): the outcomes that reject an application: as unfounded or manifestly unfounded, as inadmissible,
#: or as abandoned after an implicit withdrawal (APR Art 41; our reading); not an explicit withdrawal
_REJECTED_OUTCOMES = ("rejected_unfounded", "rejected_manifestly_unfounded", "inadmissible", "implicitly_withdrawn")
_PROTECTION_ON_APPEAL = ("granted_refugee_status", "granted_subsidiary_protection")


def _protection_granted(conn: Connection, person_ids: set[str]) -> dict[str, tuple[str, ...]]:
    """Art 63(8)(e): by person, the states that granted international protection: a Eurodac applicant
    record of the person marked as a beneficiary's (Reg. (EU) 2024/1358, Art 31; the Central System marks
    the other states' linked records too) and not erased, or an asylum decision or appeal of the person
    granting refugee status or subsidiary protection."""
    ids = sorted(person_ids)
    out: dict[str, set[str]] = {}
    E, IR, A = eurodac_records, identity_records, asylum_applications
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        marked = conn.execute(
            select(IR.c.person_id, E.c.member_state).join(IR, IR.c.id == E.c.identity_record_id)
            .where(IR.c.person_id.in_(chunk), E.c.marked_at.is_not(None), E.c.erased_at.is_(None)))
        granted = conn.execute(select(A.c.person_id, A.c.member_state).where(
            A.c.person_id.in_(chunk),
            or_(and_(A.c.decided_on.is_not(None), A.c.outcome.in_(_PROTECTION_OUTCOMES)),
                A.c.appeal_outcome.in_(_PROTECTION_ON_APPEAL))))
        for person_id, state in [*marked, *granted]:
            out.setdefault(person_id, set()).add(state)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _finally_rejected(conn: Connection, person_ids: set[str]) -> dict[str, tuple[str, ...]]:
    """Art 63(9): by person, the states in which the person's application was finally rejected: an asylum
    case closed as final with a negative outcome, or whose appeal was dismissed (our reading of
    "definitivamente respinta"; a further remedy before a higher court is not recorded)."""
    ids = sorted(person_ids)
    out: dict[str, set[str]] = {}
    A = asylum_applications
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        for person_id, state in conn.execute(select(A.c.person_id, A.c.member_state).where(
                A.c.person_id.in_(chunk),
                or_(and_(A.c.state == "final", A.c.outcome.in_(_REJECTED_OUTCOMES)),
                    and_(A.c.state == "appeal_decided", A.c.appeal_outcome == "dismissed")))):
            out.setdefault(person_id, set()).add(state)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _offset_dict(r: Any) -> dict[str, Any]:
    return {k: getattr(r, k) for k in (
        "id", "beneficiary_member_state", "contributor_member_state", "case_id", "case_reference",
        "registered_on", "mandatory", "taken_over_on", "legal_basis", "created_by")}


def offsets_view(services: Services, principal: Principal, year: int) -> dict[str, Any]:
    """Whether offsets may be asked for or are mandatory, each contributing state's limit, the
    applications that could be taken over (per benefitting and contributing state) and those taken over.
    A state's user sees its own entitlement and the take-overs it is a party to."""
    _require_reader(principal)
    # the Union-level picture of the pool (its regime, and whether the pool's year is over, Art 63(5)):
    # on Brussels's day, the Commission's seat
    today = union_today(services)
    with services.engine.connect() as conn:
        row = _cycle(conn, year)
        reg, ents, beneficiaries = _offset_position(conn, row, today)
        eligible: Counter[tuple[str, str]] = Counter()
        excluded: Counter[tuple[str, str, str]] = Counter()
        held = _applications(conn, beneficiaries, today)
        for a in held:
            # only a contributing state that may take over applications now (its limit not reached)
            if (offs.ineligibility(a, beneficiary=a.responsible, contributor=a.present_in) is None
                    and a.present_in in ents and ents[a.present_in].remaining > 0):
                eligible[(a.responsible, a.present_in)] += 1
            elif a.present_in in ents:
                basis = offs.excluding_condition(a, beneficiary=a.responsible, contributor=a.present_in)
                if basis is not None:
                    excluded[(a.responsible, a.present_in, basis)] += 1
        q = select(solidarity_offsets).where(solidarity_offsets.c.cycle_id == row.id)
        ms = principal.member_state
        if ms is not None:
            q = q.where(or_(solidarity_offsets.c.beneficiary_member_state == ms,
                            solidarity_offsets.c.contributor_member_state == ms))
        taken = [_offset_dict(r) for r in conn.execute(
            q.order_by(solidarity_offsets.c.taken_over_on, solidarity_offsets.c.case_reference))]
    states = [e.to_dict() for k, e in sorted(ents.items()) if ms is None or k == ms]
    rule = cyc.own_pledge_rule(_on(row))
    adopted = row.status in cyc.ADOPTED_STATUSES
    return {
        "year": year,
        "cycle_status": row.status,
        "regime": reg.to_dict(),
        # before the Council's act the regime above is computed from the pledges made so far: whether
        # offsets may be asked for or are mandatory is settled on the pledges the act sets (Art 63(1),
        # (3)), and none is taken over before it (``take_over``)
        "regime_settled": adopted,
        "regime_note": None if adopted else (
            f"the {year} pool is not adopted yet (cycle '{row.status}'): the regime is computed from the "
            "pledges made so far; it is settled on the relocation pledges the Council's implementing act sets "
            "(Regulation (EU) 2024/1351, Articles 57 and 63(1), (3)), and no application is taken over before it"),
        "benefitting_states": beneficiaries,
        # why the benefitting states are not among the contributors: they receive, and their own pledges
        # are not implemented (nor counted in the regime above) while they benefit
        "benefitting_note": {
            "states": beneficiaries,
            "reason": "they receive from the pool (found under migratory pressure, or their need recorded): they "
                      "take over no applications, and their own pledges are not implemented while they benefit; their "
                      "relocation pledges count in the pledges of the Council's act (Article 63(1), (3)) but not in "
                      "the relocations to be implemented (Article 63(4))",
            "legal_basis": list(dict.fromkeys([cyc.POOL_ACCESS_BASIS, *rule["legal_basis"]])),
        },
        "contributors": states,
        "eligible_applications": [
            {"beneficiary_member_state": b, "contributor_member_state": c, "applications": n}
            for (b, c), n in sorted(eligible.items()) if ms is None or ms in (b, c)
        ],
        # applications of persons in a contributing state for which a benefitting state is responsible
        # that a condition of Art 63(8) excludes, by the point cited
        "excluded_applications": [
            {"beneficiary_member_state": b, "contributor_member_state": c, "legal_basis": basis, "applications": n}
            for (b, c, basis), n in sorted(excluded.items()) if ms is None or ms in (b, c)
        ],
        "taken_over": taken,
        "taken_over_total": len(taken),
    }


def take_over(services: Services, principal: Principal, year: int, body: OffsetTakeOver) -> dict[str, Any]:
    """A contributing state takes over applications for which a benefitting state is responsible:
    the responsible Member State of each Dublin case becomes the contributing state, with a trace
    step citing Arts 63 and 69. All or nothing: one unit of work, one audit entry per application."""
    contributor = _own_state(principal, body.contributor_member_state, "contributor_member_state")
    beneficiary = _state("beneficiary_member_state", body.beneficiary_member_state)
    problems: list[tuple[str, str]] = []
    if body.case_ids and body.count is not None:
        problems.append(("count", "name the applications (case_ids) or give a count, not both"))
    if not body.case_ids and body.count is None:
        problems.append(("count", "name the applications (case_ids) or give how many to take over"))
    if body.count is not None and body.count <= 0:
        problems.append(("count", f"must be at least 1 (got {body.count})"))
    if len(set(body.case_ids)) != len(body.case_ids):
        problems.append(("case_ids", "an application is named twice"))
    if contributor == beneficiary:
        problems.append(("beneficiary_member_state", "a state does not take over its own applications"))
    try:
        param("solidarity.offsets.relocation_pledge_threshold", on=body.on)
    except NotInForce:
        problems.append(("on", f"{body.on.isoformat()} is before the AMMR solidarity rules apply (12 June 2026)"))
    today = state_day(services, contributor)
    if body.on > today:
        problems.append(("on", f"a take-over cannot be recorded for a future date ({_future(today, contributor)})"))
    if problems:
        raise ValidationProblem(problems)
    with services.uow() as uow:
        conn = uow.conn
        row = _cycle(conn, year)
        year_end, _ = cyc.implementation_end(year)
        if row.status not in ("adopted", "implementation", "closed"):
            raise Conflict(f"offsets are taken over once the pool is adopted; the {year} cycle is '{row.status}'")
        reg, ents, beneficiaries = _offset_position(conn, row, body.on)
        if beneficiary not in beneficiaries:
            raise ValidationProblem.one("beneficiary_member_state",
                                        f"{beneficiary} is not a benefitting state of the {year} pool "
                                        f"(benefitting states: {', '.join(beneficiaries) or 'none'})")
        ent = ents.get(contributor)
        if ent is None:
            raise ValidationProblem.one("contributor_member_state", f"{contributor} is not a contributing state")
        if row.status == "closed" and (body.on <= year_end or ent.year_end_obligation == 0):
            raise Conflict(f"the {year} cycle is closed: a contributing state takes over applications then only for "
                           f"the relocations it pledged and did not accept by {year_end.isoformat()}, at a benefitting "
                           f"state's request after the end of the year ({_YEAR_END_CITED})"
                           + ("" if body.on > year_end else f"; {body.on.isoformat()} is not after it"))
        if ent.limit == 0:
            raise Conflict(f"{contributor} may not take over applications: "
                           + "; ".join(s["outcome"] for s in ent.trace))
        if body.case_ids:
            apps = {a.id: a for a in _applications(conn, beneficiaries, uow.now.date(), case_ids=list(body.case_ids))}
            chosen: list[offs.Application] = []
            for i, cid in enumerate(body.case_ids):
                a = apps.get(cid)
                why = (f"no Dublin case {cid}" if a is None else
                       offs.ineligibility(a, beneficiary=beneficiary, contributor=contributor))
                if why:
                    problems.append((f"case_ids[{i}]", why))
                else:
                    chosen.append(a)  # type: ignore[arg-type]
            if problems:
                raise ValidationProblem(problems)
        else:
            assert body.count is not None
            held = _applications(conn, beneficiaries, uow.now.date(), present_in=contributor)
            chosen = offs.select_applications(held, beneficiary=beneficiary, contributor=contributor, count=body.count)
            if len(chosen) < body.count:
                excluded = offs.excluded_by_condition(held, beneficiary=beneficiary, contributor=contributor)
                said = "; ".join(f"{n} under {basis}" for basis, n in excluded.items())
                raise ValidationProblem.one("count", f"only {_count(len(chosen), 'application')} of persons in {contributor} "
                                            f"for which {beneficiary} is responsible can be taken over"
                                            + (f" (excluded by Article 63(8): {said})" if said else ""))
        late = [a.reference for a in chosen if a.registered_on > body.on]
        if late:
            raise ValidationProblem.one("on", f"{body.on.isoformat()} is before the registration of "
                                        f"{', '.join(late[:5])}: an application is taken over once registered")
        if len(chosen) > ent.remaining:
            raise ValidationProblem.one("case_ids" if body.case_ids else "count",
                                        f"{contributor} may take over {ent.remaining:,} more {'application' if ent.remaining == 1 else 'applications'} in {year} "
                                        f"(limit {ent.limit}, already {ent.taken_over}); asked {len(chosen)}")
        mandatory = reg.mandatory and ent.mandatory_obligation > ent.taken_over
        # Art 63(5): after the year, once any obligation of Art 63(3) is met, the take-over is of the pledged
        # relocations not accepted by its end: an obligation too, cited as such
        after_year = (not mandatory and body.on > year_end and ent.year_end_obligation > 0
                      and ent.taken_over < ent.mandatory_obligation + ent.year_end_obligation)
        if row.status == "closed":
            after_year, mandatory = True, False
        mandatory = mandatory or after_year
        for a in chosen:  # the step is dated on the take-over, from which the contributor is responsible
            step = offs.take_over_step(a, contributor=contributor, mandatory=mandatory, cycle_year=year, on=body.on,
                                       requests_open=reg.requests_open, mandatory_basis=reg.mandatory_basis,
                                       year_end=after_year)
            responsibility.shift_responsibility(conn, a.id, contributor, step)
            conn.execute(insert(solidarity_offsets).values(
                id=new_id("sof"), cycle_id=row.id, beneficiary_member_state=beneficiary,
                contributor_member_state=contributor, case_id=a.id, case_reference=a.reference,
                registered_on=a.registered_on, mandatory=mandatory, taken_over_on=body.on,
                legal_basis=step["legal_basis"], created_by=principal.username, created_at=uow.now))
            uow.audit(principal, "solidarity.offset.take_over", "dublin_case", a.id,
                      before={"responsible_member_state": beneficiary},
                      after={"responsible_member_state": contributor, "cycle": year, "mandatory": mandatory,
                             **({"after_year_end": True} if after_year else {})})
        uow.commit()
    return {
        "year": year, "beneficiary_member_state": beneficiary, "contributor_member_state": contributor,
        "mandatory": mandatory, "taken_over": [{"case_id": a.id, "reference": a.reference} for a in chosen],
        # Art 63(5): taken over after the pool's year for pledged relocations not accepted by its end
        "after_year_end": after_year,
        "legal_basis": step["legal_basis"] if chosen else [],
    }


# --- transfers -----------------------------------------------------------------------------------


def _transfer_dict(r: Any, today: date) -> dict[str, Any]:
    """A transfer as the tracker shows it; ``accepted_on`` is the relocation state's confirmation
    (Art 67(9)), from which ``transfer_decision_due`` (Art 67(10)) and ``transfer_deadline`` (Art
    67(11), or from ``suspensive_appeal_decided_on``, Art 43(3)) run. ``transfer_decision_late``: the
    decision was taken after its time limit, or is still awaited past it on ``today`` (flagged, the
    decision stands); ``transfer_overdue``: not arrived and past the transfer deadline on ``today``."""
    out = {k: getattr(r, k) for k in (
        "id", "era", "applicant_ref", "family_ref", "nationality", "origin_member_state",
        "destination_member_state", "link_kind", "person_status", "protection_granted_on", "consent_on", "stage",
        "matched_on", "security_cleared_on", "accepted_on", "transfer_decided_on", "transfer_deadline",
        "arrived_on", "closed_on", "trace", "version")}
    out["confirmed_on"] = r.accepted_on
    out["transfer_decision_due"] = r.transfer_decision_due
    out["transfer_decision_late"] = tr.transfer_decision_late(
        r.transfer_decision_due, r.transfer_decided_on, today if r.stage == "accepted" else None)
    out["suspensive_appeal_decided_on"] = r.suspensive_appeal_decided_on
    out["transfer_overdue"] = bool(r.stage in TRANSFER_PENDING_STAGES and r.transfer_deadline is not None
                                   and r.transfer_deadline < today)
    return out


#: The stages in which a confirmed relocation awaits its transfer: past its deadline, it is overdue.
TRANSFER_PENDING_STAGES = ("accepted", "transfer_decided")


def _transfer_overdue(today: date) -> Any:
    """The transfers confirmed, not arrived, past their transfer deadline (Art 67(11)) on ``today``."""
    T = relocation_transfers
    return and_(T.c.stage.in_(TRANSFER_PENDING_STAGES), T.c.transfer_deadline < today)


def _decision_overdue(today: date) -> Any:
    """The confirmed transfers still awaiting the transfer decision past its Art 67(10) time limit."""
    T = relocation_transfers
    return and_(T.c.stage == "accepted", T.c.transfer_decision_due < today)


def _check_person_status(problems: list[tuple[str, str]], path: str, t: Any, act_on: date | None = None) -> None:
    """A beneficiary of international protection is relocated only if protection was granted less
    than 3 years prior to the adoption of the Council implementing act of the cycle (``act_on``,
    Art 56(2)(a)(ii): a property of the cycle, not of the matching; the matching date when no act is
    recorded), not after the matching, and with written consent (Art 56(2)(a)). Protection granted
    after the act is more recent than the limit it draws: such a beneficiary qualifies (the reading
    that does not exclude a person the provision means to cover)."""
    if t.status not in STATUSES:
        problems.append((f"{path}.status", f"unknown status '{t.status}'; use one of {', '.join(STATUSES)}"))
        return
    if t.status != "beneficiary":
        if t.protection_granted_on is not None or t.consent_on is not None:
            problems.append((f"{path}.status", "protection_granted_on and consent_on concern beneficiaries; "
                                               "set status to 'beneficiary'"))
        return
    if t.consent_on is None:
        problems.append((f"{path}.consent_on", "a beneficiary is relocated only with their written consent: "
                                               "give its date"))
    elif t.consent_on > t.matched_on:
        problems.append((f"{path}.consent_on", "the consent is given before the matching"))
    if t.protection_granted_on is None:
        problems.append((f"{path}.protection_granted_on", "required for a beneficiary (Art 56(2)(a))"))
        return
    try:
        years = int(param("solidarity.relocation.ip_beneficiary_max_since_grant", on=t.matched_on).value)
    except NotInForce:
        problems.append((f"{path}.status", "beneficiaries are relocated under the AMMR, from 12 June 2026"))
        return
    g = t.protection_granted_on
    try:
        limit = g.replace(year=g.year + years)
    except ValueError:
        limit = date(g.year + years, 3, 1)
    reference = act_on or t.matched_on
    if g > t.matched_on:
        problems.append((f"{path}.protection_granted_on", "is after the matching"))
    elif reference >= limit:
        said = (f"the adoption of the cycle's Council implementing act ({act_on.isoformat()})" if act_on
                else "the matching")
        problems.append((f"{path}.protection_granted_on", f"protection granted on {g.isoformat()}, {years} years "
                                                          f"or more before {said} (Art 56(2)(a)(ii))"))


def _transfer_states(problems: list[tuple[str, str]], path: str, t: Any) -> tuple[str, str] | None:
    """The origin and destination of transfer ``t`` as codes, or None with each problem named."""
    codes: list[str] = []
    for field in ("origin_member_state", "destination_member_state"):
        try:
            codes.append(member_state(getattr(t, field)))
        except ValueError as exc:
            problems.append((f"{path}.{field}", str(exc)))
    if len(codes) < 2:
        return None
    if codes[0] == codes[1]:
        problems.append((f"{path}.destination_member_state", "a person is never relocated to the state they are in"))
    return codes[0], codes[1]


#: The first day a transfer of each era can be dated: the Voluntary Solidarity Mechanism of 2022 (its
#: declaration of 22 June 2022; the demo's first matchings fall earlier that year, so from 2022), the
#: AMMR's relocations from the day its relocation rules apply (the law tree's first value of the
#: relocation transfer period, Art 67(11); 12 June 2026).
_AMMR_FROM = history("solidarity.relocation.transfer_period").values[0][0]
#: A matching under the Voluntary Solidarity Mechanism is dated before the AMMR's relocation rules
#: apply (12 June 2026): from then on, relocation is done under the Annual Solidarity Pool (Arts 56-68),
#: and the 2022 declaration covers no new matching.
VSM_UNTIL = _AMMR_FROM
ERA_FROM = {VSM_ERA: (date(2022, 1, 1), "transfers of the Voluntary Solidarity Mechanism date from 2022"),
            AMMR_ERA: (_AMMR_FROM, f"relocations under the AMMR date from {_AMMR_FROM.isoformat()}, "
                                   "when its relocation rules apply")}


def _transfer_dates(problems: list[tuple[str, str]], path: str, t: Any, era: str, today: date,
                    fields: tuple[str, ...], *, until: tuple[date, str] | None = None) -> None:
    """Each date of ``fields`` on transfer ``t`` records something that happened: not before its era's
    law (:data:`ERA_FROM`) and not after ``today`` (with ``until``, a (day, why) pair, not after that
    day instead); each problem names its field."""
    first, why = ERA_FROM[era]
    last, late = until or (today, "is after today: a stage is recorded once it happened")
    for field in fields:
        v = getattr(t, field, None)
        if v is None:
            continue
        if v > last:
            problems.append((f"{path}.{field}", f"{v.isoformat()} {late}"))
        elif v < first:
            problems.append((f"{path}.{field}", f"{v.isoformat()} is too early: {why}"))


def _vsm_matching(problems: list[tuple[str, str]], path: str, t: Any) -> None:
    """A matching of the Voluntary Solidarity Mechanism is dated before the AMMR's relocation rules
    apply (:data:`VSM_UNTIL`): one on or after that day is a relocation under the pool, recorded with
    its cycle's year."""
    if t.matched_on >= VSM_UNTIL:
        problems.append((f"{path}.matched_on", f"{t.matched_on.isoformat()} is too late for the Voluntary "
                                               "Solidarity Mechanism: from " + VSM_UNTIL.isoformat() + " relocation "
                                               "is done under the Annual Solidarity Pool (Regulation (EU) 2024/1351, "
                                               "Articles 56 to 68); record it with the cycle's year"))


def _pool_year_matching(problems: list[tuple[str, str]], path: str, t: Any, year: int) -> None:
    """A relocation counted against the ``year`` pool is matched in the pool's year
    (:func:`pactum.solidarity.cycle.implementation_start`): one matched before belongs to the year
    before's pool, or to none."""
    if not 1 <= year <= 9999:
        return
    starts, why = cyc.implementation_start(year)
    if t.matched_on < starts:
        problems.append((f"{path}.matched_on", f"{t.matched_on.isoformat()} is before the {year} pool's "
                                               f"implementation, from {starts.isoformat()}: {why}"))


def _check_places(conn: Connection, row: Any, problems: list[tuple[str, str]],
                  rows: list[tuple[str, str, str, bool]]) -> None:
    """Each relocation under the ``row`` cycle's pool (``rows``: path, origin, destination, and
    whether it takes a place, i.e. is not ended without relocation) goes from a benefitting state
    (found under migratory pressure, Art 58, or its need recorded after the Commission's assessment,
    Art 59) to a contributing state whose relocation pledge (net of its granted deduction,
    :func:`pactum.solidarity.cycle.relocations_to_implement`) the pool's distribution gives places
    for that benefitting state (Arts 57(1), 60(3): pledges implemented in proportion), and within
    those places: the transfers already recorded from that state to it (not excluded or cancelled,
    as :func:`matching_capacities` counts them) and the rows before it take theirs first. A
    benefitting state is never the relocation state: it does not implement its own pledges while it
    benefits (Art 58). Each problem names the row and the field."""
    cs = _cycle_state(conn, row.year)
    benefitting = set(cs.benefitting)
    alloc = {d["member_state"]: d["allocation"] for d in _distribution(None, row, cs.accounts, cs.needs)}
    T = relocation_transfers
    taken: Counter[tuple[str, str]] = Counter({(o, d): int(n) for o, d, n in conn.execute(
        select(T.c.origin_member_state, T.c.destination_member_state, func.count()).where(and_(
            T.c.cycle_id == row.id, T.c.stage.not_in(cyc.CLOSED_TRANSFER_STAGES)))
        .group_by(T.c.origin_member_state, T.c.destination_member_state))})
    year = row.year
    said = ", ".join(sorted(benefitting)) or "none"
    for path, o, d, takes_place in rows:
        if o not in SOLIDARITY_STATES or d not in SOLIDARITY_STATES:
            continue  # said by _bound
        if o not in benefitting:
            problems.append((f"{path}.origin_member_state",
                             f"{o} does not benefit from the {year} pool: a relocation under the pool is from a "
                             f"benefitting state, found under migratory pressure ({cyc.POOL_ACCESS_BASIS}) or "
                             f"whose need the Commission recorded (Article 59); benefitting states: {said}"))
            continue
        if d in benefitting:
            rule = cyc.own_pledge_rule(_on(row))
            problems.append((f"{path}.destination_member_state",
                             f"{d} benefits from the {year} pool: it does not implement its own pledges while it "
                             f"benefits ({', '.join(rule['legal_basis'])}), so it receives no relocation under it"))
            continue
        places = int((alloc.get(d) or {}).get(o, 0))
        if places <= 0:
            why = ("has no relocation pledge" if d not in alloc
                   else f"has no relocation place for {o} in its pledge's distribution")
            problems.append((f"{path}.destination_member_state",
                             f"{d} {why} in the {year} pool (net of deductions; {COUNCIL_ACT_BASIS_60}): a "
                             "relocation goes to a contributing state within the places its relocation pledge "
                             f"gives {o}"))
            continue
        if not takes_place:
            continue
        taken[(o, d)] += 1
        if taken[(o, d)] > places:
            before = taken[(o, d)] - 1
            problems.append((f"{path}.destination_member_state",
                             f"{d} has no relocation place left for {o} in the {year} pool: its pledge gives {o} "
                             f"{_count(places, 'place')}, {before:,} taken by the transfers recorded and the rows "
                             f"before this one ({COUNCIL_ACT_BASIS_60})"))


#: Relocation pledges are implemented in proportion, along the distribution of the Council's act.
COUNCIL_ACT_BASIS_60 = "Regulation (EU) 2024/1351, Articles 57(1) and 60(3)"


def _duplicate_refs(conn: Connection, problems: list[tuple[str, str]],
                    rows: list[tuple[str, str, str]]) -> None:
    """A person is tracked by one transfer: each ``(path, applicant_ref, origin)`` of ``rows`` that
    repeats an earlier row, or a transfer already recorded from the same origin (not cancelled),
    is a problem naming ``applicant_ref`` and the transfer."""
    T = relocation_transfers
    seen: dict[tuple[str, str], str] = {}
    for path, ref, origin in rows:
        key = (origin, ref)
        if key in seen:
            problems.append((f"{path}.applicant_ref", f"{ref!r} from {origin} is already in {seen[key]}"))
        else:
            seen[key] = path
    refs = sorted({ref for _, ref, _ in rows})
    existing: dict[tuple[str, str], Any] = {}
    for i in range(0, len(refs), 500):
        for r in conn.execute(select(T.c.id, T.c.applicant_ref, T.c.origin_member_state, T.c.stage).where(and_(
                T.c.applicant_ref.in_(refs[i:i + 500]), T.c.stage != "cancelled"))):
            existing[(r.origin_member_state, r.applicant_ref)] = r
    for path, ref, origin in rows:
        tracked = existing.get((origin, ref))
        if tracked is not None:
            problems.append((f"{path}.applicant_ref", f"{ref!r} from {origin} is already tracked by transfer "
                                                      f"{tracked.id} ({tracked.stage})"))


def record_transfers(services: Services, principal: Principal, year: int | None, body: TransfersCreate) -> dict[str, Any]:
    """Start tracking matched persons (stage ``matched``); a cycle year for the AMMR era, none for VSM.

    Under a cycle (the pool's relocations, during its implementation), each person goes from a
    benefitting state to a contributing state within the places the pool's distribution gives it for
    that state (:func:`_check_places`); a beneficiary of international protection was granted it less
    than 3 years before the cycle's Council act (:func:`_check_person_status`). A VSM matching is dated
    before the AMMR's relocation rules apply (:func:`_vsm_matching`). Every problem names the row and
    the field (422); nothing is recorded unless every row is right."""
    _require_commission(principal)
    problems: list[tuple[str, str]] = []
    rows = []
    # the Commission's coordinator matches for the Union: Brussels's day, as the matching page proposes it
    today = union_today(services)
    act_on = None if year is None else council_act_on(services, year)
    for i, t in enumerate(body.transfers):
        states = _transfer_states(problems, f"transfers[{i}]", t)
        if states is None:
            continue
        o, d = states
        if t.matched_on > today:
            problems.append((f"transfers[{i}].matched_on", "a matching cannot be recorded for a future date "
                                                           f"(today is {today.isoformat()} in Brussels)"))
        else:
            _transfer_dates(problems, f"transfers[{i}]", t, VSM_ERA if year is None else AMMR_ERA, today,
                            ("matched_on",))
            if year is None:
                _vsm_matching(problems, f"transfers[{i}]", t)
            else:
                _pool_year_matching(problems, f"transfers[{i}]", t, year)
        _check_person_status(problems, f"transfers[{i}]", t, act_on)
        rows.append((t, o, d))
    if problems:
        raise ValidationProblem(problems)
    with services.uow() as uow:
        _duplicate_refs(uow.conn, problems, [(f"transfers[{i}]", t.applicant_ref, o) for i, (t, o, _) in enumerate(rows)])
        if problems:
            raise ValidationProblem(problems)
        cycle_id = None
        era = VSM_ERA
        if year is not None:
            row = _cycle(uow.conn, year)
            if row.status != "implementation":
                raise Conflict(f"transfers are tracked during implementation; the {year} cycle is '{row.status}'")
            cycle_id, era = row.id, AMMR_ERA
            for i, (_, o, d) in enumerate(rows):
                _bound(problems, f"transfers[{i}].origin_member_state", o)
                _bound(problems, f"transfers[{i}].destination_member_state", d)
            _check_agreements(uow.conn, cycle_id, problems, [
                (f"transfers[{i}]", t, o, d) for i, (t, o, d) in enumerate(rows)])
            _check_places(uow.conn, row, problems, [(f"transfers[{i}]", o, d, True) for i, (_, o, d) in enumerate(rows)])
            if problems:
                raise ValidationProblem(problems)
        for t, o, d in rows:
            tid = new_id("rtr")
            uow.conn.execute(insert(relocation_transfers).values(
                id=tid, cycle_id=cycle_id, era=era, applicant_ref=t.applicant_ref, family_ref=t.family_ref,
                nationality=t.nationality, origin_member_state=o, destination_member_state=d,
                link_kind=t.link_kind, person_status=t.status, protection_granted_on=t.protection_granted_on,
                consent_on=t.consent_on, stage="matched", matched_on=t.matched_on, trace=[],
                created_at=uow.now, version=1))
        uow.audit(principal, "solidarity.transfers.record", "solidarity_cycle", cycle_id or "vsm",
                  after={"count": len(rows)})
        uow.commit()
    return {"recorded": len(rows), "era": era, "year": year}


def import_transfers(
    services: Services, principal: Principal, year: int | None, body: TransfersImport
) -> dict[str, Any]:
    """Record transfers with the dates of the stages already passed (history, e.g. the VSM era).

    The stage is the last one with a date; the dates must follow the order of the stages; an AMMR
    relocation's time limits run from the relocation state's confirmation (``accepted_on``): the
    transfer decision's (Art 67(10)) and the transfer's (Art 67(11), or from
    ``suspensive_appeal_decided_on``, Art 43(3)). One unit of work for all rows.
    No date is after today (a stage is recorded once it happened) or before its era (:data:`ERA_FROM`).
    A person (``applicant_ref`` from an origin state) is tracked once: a repeat within the file or of
    a transfer already recorded (not cancelled) is refused (422 naming ``applicant_ref`` and the
    transfer).
    """
    _require_commission(principal)
    order = ("matched_on", "security_cleared_on", "accepted_on", "transfer_decided_on", "arrived_on")
    stage_of = dict(zip(order, tr.STAGES, strict=True))
    problems: list[tuple[str, str]] = []
    rows: list[dict[str, Any]] = []
    today = services.clock.today()
    act_on = None if year is None else council_act_on(services, year)
    for i, t in enumerate(body.transfers):
        states = _transfer_states(problems, f"transfers[{i}]", t)
        if states is None:
            continue
        o, d = states
        era_of = VSM_ERA if year is None else AMMR_ERA
        # every stage of a history happened: none after today, for the VSM and a cycle alike (as a
        # stage recorded one by one, :func:`transfer_event`)
        _transfer_dates(problems, f"transfers[{i}]", t, era_of, today,
                        ("matched_on", *order[1:], "suspensive_appeal_decided_on", "excluded_on"))
        _import_appeal(problems, f"transfers[{i}]", t, era_of)
        if year is None:
            _vsm_matching(problems, f"transfers[{i}]", t)
        else:
            _pool_year_matching(problems, f"transfers[{i}]", t, year)
        if t.status != "applicant" or t.protection_granted_on or t.consent_on:
            _check_person_status(problems, f"transfers[{i}]", t, act_on)
        dates = [(k, getattr(t, k)) for k in order]
        stage, last = "matched", t.matched_on
        gap = False
        for k, v in dates[1:]:
            if v is None:
                gap = True
                continue
            if gap:
                problems.append((f"transfers[{i}].{k}", "a stage is dated but an earlier one is not"))
            if v < last:
                problems.append((f"transfers[{i}].{k}", f"earlier than the previous stage ({last})"))
            stage, last = stage_of[k], v
        if t.excluded_on is not None:
            if stage != "matched":
                problems.append((f"transfers[{i}].excluded_on", "exclusion follows the security check, before clearance"))
            stage = "excluded"
        rows.append({"t": t, "o": o, "d": d, "stage": stage})
    if problems:
        raise ValidationProblem(problems)
    with services.uow() as uow:
        cycle_id, era = None, VSM_ERA
        _duplicate_refs(uow.conn, problems, [(f"transfers[{i}]", r["t"].applicant_ref, r["o"])
                                             for i, r in enumerate(rows)])
        if problems:
            raise ValidationProblem(problems)
        if year is not None:
            cycle_row = _cycle(uow.conn, year)
            cycle_id, era = cycle_row.id, AMMR_ERA
            for i, r in enumerate(rows):
                _bound(problems, f"transfers[{i}].origin_member_state", r["o"])
                _bound(problems, f"transfers[{i}].destination_member_state", r["d"])
            _check_agreements(uow.conn, cycle_id, problems, [
                (f"transfers[{i}]", r["t"], r["o"], r["d"]) for i, r in enumerate(rows)])
            _check_places(uow.conn, cycle_row, problems, [
                (f"transfers[{i}]", r["o"], r["d"], r["stage"] not in cyc.CLOSED_TRANSFER_STAGES)
                for i, r in enumerate(rows)])
            if problems:
                raise ValidationProblem(problems)
        values = []
        for r in rows:
            t = r["t"]
            deadline: date | None = None
            due: date | None = None
            trace: list[dict[str, Any]] = []
            if t.accepted_on is not None and era == AMMR_ERA:
                # Art 67(10) and (11): from the relocation state's confirmation (or a suspensive
                # appeal's final decision, Art 43(3))
                due, trace = tr.transfer_decision_due(t.accepted_on, r["o"])
                deadline, steps = tr.transfer_deadline(t.accepted_on, r["o"], t.suspensive_appeal_decided_on)
                trace += steps
                if t.transfer_decided_on is not None:
                    trace += tr.transfer_decision_checked(t.accepted_on, t.transfer_decided_on, r["o"])
            values.append({
                "id": new_id("rtr"), "cycle_id": cycle_id, "era": era, "applicant_ref": t.applicant_ref,
                "family_ref": t.family_ref, "nationality": t.nationality, "origin_member_state": r["o"],
                "destination_member_state": r["d"], "link_kind": t.link_kind, "stage": r["stage"],
                "person_status": t.status, "protection_granted_on": t.protection_granted_on,
                "consent_on": t.consent_on,
                "matched_on": t.matched_on, "security_cleared_on": t.security_cleared_on,
                "accepted_on": t.accepted_on, "transfer_decided_on": t.transfer_decided_on,
                "transfer_deadline": deadline, "arrived_on": t.arrived_on,
                "transfer_decision_due": due, "suspensive_appeal_decided_on": t.suspensive_appeal_decided_on,
                "closed_on": t.excluded_on, "trace": trace, "created_at": uow.now, "version": 1,
            })
        if values:
            uow.conn.execute(insert(relocation_transfers), values)
        uow.audit(principal, "solidarity.transfers.import", "solidarity_cycle", cycle_id or "vsm",
                  after={"count": len(values), "era": era})
        uow.commit()
    return {"imported": len(rows), "era": era, "year": year}


def _ammr_relocations_only() -> str:
    """Why a suspensive appeal's final decision concerns only a relocation under the AMMR, cited from
    the law tree (the transfer period, Art 67(11))."""
    return (f"under the AMMR ({history('solidarity.relocation.transfer_period').reference.cite()}); a transfer "
            "of the Voluntary Solidarity Mechanism has no legal time limit")


def _import_appeal(problems: list[tuple[str, str]], path: str, t: Any, era: str) -> None:
    """An imported transfer's ``suspensive_appeal_decided_on`` (the final decision on an appeal or
    review of its transfer decision with suspensive effect, Art 43(3)): a relocation under the AMMR,
    after its transfer decision and not after its arrival; each problem names the field."""
    v = t.suspensive_appeal_decided_on
    if v is None:
        return
    field = f"{path}.suspensive_appeal_decided_on"
    if era != AMMR_ERA:
        problems.append((field, f"concerns a relocation {_ammr_relocations_only()}"))
    elif t.transfer_decided_on is None:
        problems.append((field, "an appeal is against the transfer decision: give transfer_decided_on"))
    elif v < t.transfer_decided_on:
        problems.append((field, f"earlier than the transfer decision ({t.transfer_decided_on})"))
    elif t.arrived_on is not None and t.arrived_on < v:
        problems.append((f"{path}.arrived_on", f"earlier than the final decision on the suspensive appeal ({v})"))


def transfer_event(services: Services, principal: Principal, transfer_id: str, body: TransferEvent) -> dict[str, Any]:
    """Record a stage of a relocation transfer. The benefitting state records the security check, the
    transfer decision and the final decision on a suspensive appeal or review against it (Art 43(3)),
    the relocation state its confirmation (``accepted``, Art 67(9)) and the arrival. Under the AMMR the
    confirmation sets the transfer decision's time limit (Art 67(10)) and the transfer deadline (Art
    67(11)); an appeal's final decision sets the deadline again; a transfer decision taken after its
    time limit is recorded and flagged late (:func:`pactum.solidarity.transfers.transfer_decision_late`)."""
    with services.uow() as uow:
        r = uow.conn.execute(select(relocation_transfers).where(relocation_transfers.c.id == transfer_id)).first()
        if r is None or not _sees_transfer(principal, r):
            raise NotFound("no such relocation transfer")
        _check_event_right(principal, r, body.event)
        try:
            stage = tr.advance(r.stage, body.event)
        except ValueError as exc:
            if body.event not in tr.EVENTS:
                raise ValidationProblem.one("event", str(exc)) from None
            raise Conflict(str(exc)) from None
        actor = _event_actor(r, body.event) or principal.member_state
        today = state_today(uow.now, actor) if actor is not None else uow.now.astimezone(ZoneInfo(UNION_ZONE)).date()
        if body.on > today:
            raise ValidationProblem.one("on", "a stage cannot be recorded for a future date"
                                              + (f" ({_future(today, actor)})" if actor is not None else ""))
        if body.event == "appeal_decided":
            if r.era != AMMR_ERA:
                raise Conflict(f"a suspensive appeal's final decision sets the transfer period of a relocation "
                               f"{_ammr_relocations_only()}")
            if r.suspensive_appeal_decided_on is not None:
                raise Conflict("the final decision on the suspensive appeal or review was recorded on "
                               f"{r.suspensive_appeal_decided_on.isoformat()}")
        passed = [(k, getattr(r, k)) for k in _STAGE_DATES if getattr(r, k) is not None]
        if passed and body.on < passed[-1][1]:
            said = _STAGE_WORDS[passed[-1][0]]
            raise ValidationProblem.one("on", f"is before the previous stage of the transfer ({said} on "
                                              f"{passed[-1][1].isoformat()})")
        values: dict[str, Any] = {"stage": stage}
        col = {"security_cleared": "security_cleared_on", "accepted": "accepted_on",
               "transfer_decided": "transfer_decided_on", "appeal_decided": "suspensive_appeal_decided_on",
               "arrived": "arrived_on"}.get(body.event)
        if col:
            values[col] = body.on
        if stage in ("excluded", "cancelled"):
            values["closed_on"] = body.on
        trace = list(r.trace or [])
        if r.era == AMMR_ERA:
            # the Art 67(10) and (11) periods bind relocations under the AMMR: a VSM-era transfer has
            # no legal time limit
            values_, steps = _transfer_limits(r, body.event, body.on)
            values.update(values_)
            trace += steps
        if body.event == "security_threat":
            trace.append({"rule": "security_check", "legal_basis": [cyc.RELOCATION_PROCEDURE_BASIS,
                          cyc.SECURITY_THREAT_BASIS], "facts": {"on": body.on.isoformat()},
                          "parameters": {}, "outcome": f"excluded from relocation; {r.origin_member_state} remains responsible"})
        values["trace"] = trace
        update_versioned(uow.conn, relocation_transfers, transfer_id, body.version, values)
        after: dict[str, Any] = {"stage": stage}
        behalf = on_behalf_of(principal, r, body.event)
        if behalf:
            after["on_behalf_of"] = list(behalf)
        if body.note:
            after["note"] = body.note
        uow.audit(principal, f"solidarity.transfer.{body.event}", "relocation_transfer", transfer_id,
                  before={"stage": r.stage}, after=after)
        uow.commit()
        r2 = uow.conn.execute(select(relocation_transfers).where(relocation_transfers.c.id == transfer_id)).first()
    return _transfer_dict(r2, services.clock.today())


#: The dates of a transfer's steps in their order, and the words the refusals say them with.
_STAGE_DATES = ("matched_on", "security_cleared_on", "accepted_on", "transfer_decided_on",
                "suspensive_appeal_decided_on", "arrived_on")
_STAGE_WORDS = {"matched_on": "matched", "security_cleared_on": "security cleared",
                "accepted_on": "confirmed by the relocation state", "transfer_decided_on": "transfer decided",
                "suspensive_appeal_decided_on": "final decision on the suspensive appeal",
                "arrived_on": "arrived"}


def _transfer_limits(r: Any, event: str, on: date) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The time limits of an AMMR relocation ``r`` as ``event`` on ``on`` sets them, and the trace's
    steps: the relocation state's confirmation (``accepted``, Art 67(9)) starts the transfer
    decision's week (Art 67(10)) and the transfer's 4 weeks (Art 67(11)); the final decision on a
    suspensive appeal or review (Art 43(3)) starts the 4 weeks again; a transfer decision taken
    after its week is recorded with a step saying it is late (the decision stands)."""
    values: dict[str, Any] = {}
    steps: list[dict[str, Any]] = []
    if event == "accepted":
        due, due_steps = tr.transfer_decision_due(on, r.origin_member_state)
        deadline, deadline_steps = tr.transfer_deadline(on, r.origin_member_state)
        values.update(transfer_decision_due=due, transfer_deadline=deadline)
        steps += due_steps + deadline_steps
    elif event == "appeal_decided" and r.accepted_on is not None:
        deadline, steps = tr.transfer_deadline(r.accepted_on, r.origin_member_state, on)
        values["transfer_deadline"] = deadline
    elif event == "transfer_decided" and r.accepted_on is not None:
        steps = tr.transfer_decision_checked(r.accepted_on, on, r.origin_member_state)
    return values, steps


def get_transfer(services: Services, principal: Principal, transfer_id: str) -> dict[str, Any]:
    """One relocation transfer as the tracker lists it (404 for one the user does not see)."""
    require(principal, *TRACKER_ROLES)
    with services.engine.connect() as conn:
        r = conn.execute(select(relocation_transfers).where(relocation_transfers.c.id == transfer_id)).first()
    if r is None or not _sees_transfer(principal, r):
        raise NotFound("no such relocation transfer")
    return _transfer_dict(r, services.clock.today())


def event_day(services: Services, p: Principal, transfer: Any, event: str) -> date:
    """The day a stage ``event`` of ``transfer`` (a row or a tracker's dict) is recorded on by default, and
    checked against: today in the state whose step it is (:func:`_event_actor`; a cancellation, either
    state's: the user's own, Brussels's for the Commission), as :func:`state_day` reads it."""
    r = SimpleNamespace(**transfer) if isinstance(transfer, dict) else transfer
    return state_day(services, _event_actor(r, event) or p.member_state)


def on_behalf_of(p: Principal, transfer: Any, event: str) -> tuple[str, ...]:
    """The states in whose name ``p`` records ``event`` on ``transfer`` (a row or a tracker's dict):
    none when it is ``p``'s own state's step; for the Commission's coordinator, who may record any
    state's step (:func:`_check_event_right`), the state whose step it is, or both states of the
    transfer for a cancellation. The screens ask the Commission to confirm it acts for them; the
    audit entry of the step names them."""
    if p.member_state is not None:
        return ()
    r = SimpleNamespace(**transfer) if isinstance(transfer, dict) else transfer
    actor = _event_actor(r, event)
    return (actor,) if actor else (r.origin_member_state, r.destination_member_state)


def _sees_transfer(p: Principal, r: Any) -> bool:
    if p.member_state is None:
        return p.has(Role.solidarity_coordinator, Role.analyst, Role.admin, Role.auditor)
    return p.member_state in (r.origin_member_state, r.destination_member_state)


def _event_actor(r: Any, event: str) -> str | None:
    """The state whose step ``event`` is on transfer ``r``: the benefitting (origin) state records the
    security check and the transfer decision, the relocation state the acceptance and the arrival;
    None for a cancellation (either state)."""
    return {"security_cleared": r.origin_member_state, "security_threat": r.origin_member_state,
            "transfer_decided": r.origin_member_state, "appeal_decided": r.origin_member_state,
            "accepted": r.destination_member_state,
            "arrived": r.destination_member_state, "cancelled": None}.get(event)


def _check_event_right(p: Principal, r: Any, event: str) -> None:
    """Raise ``Forbidden`` unless ``p`` may record ``event`` on transfer ``r``: a state's solidarity
    coordinator, Dublin unit or administrator for the state whose step it is; for an EU body, the
    Commission's coordinator only (:func:`manages_pool`)."""
    actor = _event_actor(r, event)
    if p.member_state is not None:
        require(p, Role.solidarity_coordinator, Role.dublin_unit, Role.admin)
        if actor is not None and p.member_state != actor:
            raise Forbidden(f"'{event}' is recorded by {actor}")
    else:
        _require_commission(p)


def transfer_events_open(p: Principal, transfer: Any) -> list[str]:
    """The events ``p`` may record now on ``transfer`` (a row or a dict of the tracker, with its
    ``stage``, ``origin_member_state`` and ``destination_member_state``): those that apply to its
    stage and that :func:`transfer_event` lets ``p`` record, in the order of the stages."""
    r = SimpleNamespace(**transfer) if isinstance(transfer, dict) else transfer
    if not _sees_transfer(p, r):
        return []
    out = []
    for event, (allowed, _) in tr.EVENTS.items():
        if r.stage not in allowed:
            continue
        if event == "appeal_decided" and (getattr(r, "era", AMMR_ERA) != AMMR_ERA
                                          or getattr(r, "suspensive_appeal_decided_on", None) is not None):
            continue  # once, for a relocation under the AMMR (:func:`transfer_event`)
        try:
            _check_event_right(p, r, event)
        except Forbidden:
            continue
        out.append(event)
    return out


#: The most transfers one page of the tracker holds; the whole list is paged (``offset``) or exported
#: as CSV (:func:`transfers_csv`).
TRANSFERS_PAGE_MAX = 5000
#: The columns of the tracker's CSV export, in order: a transfer as the tracker's rows hold it.
TRANSFERS_CSV_COLUMNS = (
    "id", "era", "applicant_ref", "family_ref", "nationality", "origin_member_state", "destination_member_state",
    "link_kind", "person_status", "protection_granted_on", "consent_on", "stage", "matched_on",
    "security_cleared_on", "accepted_on", "transfer_decided_on", "transfer_deadline", "arrived_on", "closed_on",
    "transfer_decision_due", "transfer_decision_late", "suspensive_appeal_decided_on", "transfer_overdue",
)


#: Who may read the tracker (a state's users: the transfers from or to their state).
TRACKER_ROLES = (Role.solidarity_coordinator, Role.analyst, Role.admin, Role.auditor, Role.dublin_unit)


def current_pool_cycle(services: Services, principal: Principal) -> int | None:
    """The year of the Solidarity Pool's cycle whose relocations are under way: the latest cycle in
    implementation, else the latest opened (None before any). The tracker's screen opens on its
    transfers, the Solidarity Pool's (era ``ammr``), so that its figures are those of the pool page,
    not mixed with the Voluntary Solidarity Mechanism's (2022-2026)."""
    require(principal, *TRACKER_ROLES)
    with services.engine.connect() as conn:
        rows = conn.execute(select(solidarity_cycles.c.year, solidarity_cycles.c.status)
                            .order_by(solidarity_cycles.c.year)).all()
    running = [y for y, status in rows if status == "implementation"]
    return running[-1] if running else (rows[-1][0] if rows else None)


def _tracker_filters(principal: Principal, *, era: str | None, year: int | None, stage: str | None,
                     status: str | None, origin: str | None, destination: str | None) -> tuple[list[Any], list[Any]]:
    """The tracker's filters checked (each problem naming its filter, 422) and as conditions, with the
    cycle's condition apart (read with a connection): (conditions, [year] or [])."""
    require(principal, *TRACKER_ROLES)
    problems: list[tuple[str, str]] = []
    if era is not None and era not in (VSM_ERA, AMMR_ERA):
        problems.append(("era", "use 'vsm' or 'ammr'"))
    if status is not None and status not in STATUSES:
        problems.append(("status", f"use one of {', '.join(STATUSES)}"))
    stages = (*tr.STAGES, *(s for s in tr.TERMINAL if s not in tr.STAGES))
    if stage is not None and stage not in stages:
        problems.append(("stage", f"use one of {', '.join(stages)}"))
    codes: dict[str, str] = {}
    for field, code in (("origin", origin), ("destination", destination)):
        if code:
            try:
                codes[field] = member_state(code)
            except ValueError as exc:
                problems.append((field, str(exc)))
    if problems:
        raise ValidationProblem(problems)
    T = relocation_transfers
    conds: list[Any] = []
    if era:
        conds.append(T.c.era == era)
    if status:
        conds.append(T.c.person_status == status)
    if stage:
        conds.append(T.c.stage == stage)
    if "origin" in codes:
        conds.append(T.c.origin_member_state == codes["origin"])
    if "destination" in codes:
        conds.append(T.c.destination_member_state == codes["destination"])
    if principal.member_state is not None:
        conds.append(or_(T.c.origin_member_state == principal.member_state,
                         T.c.destination_member_state == principal.member_state))
    return conds, [year] if year is not None else []


def transfers_csv(
    services: Services, principal: Principal, *, era: str | None = None, year: int | None = None,
    stage: str | None = None, status: str | None = None, origin: str | None = None, destination: str | None = None,
) -> str:
    """Every relocation transfer the tracker's filters select (a state's users: those from or to their
    state), latest matching first, as CSV (:data:`TRANSFERS_CSV_COLUMNS`; text made spreadsheet-safe):
    the whole list, not a page."""
    conds, years = _tracker_filters(principal, era=era, year=year, stage=stage, status=status, origin=origin,
                                    destination=destination)
    T = relocation_transfers
    with services.engine.connect() as conn:
        if years:
            conds.append(T.c.cycle_id == _cycle(conn, years[0]).id)
        rows = conn.execute(select(T).where(and_(true(), *conds))
                            .order_by(T.c.matched_on.desc(), T.c.id)).all()
    today = services.clock.today()
    return csv_table(TRANSFERS_CSV_COLUMNS, (_transfer_dict(r, today) for r in rows))


def transfer_tracker(
    services: Services, principal: Principal, *, era: str | None = None, year: int | None = None,
    stage: str | None = None, limit: int = 200, as_of: date | None = None, status: str | None = None,
    offset: int = 0, origin: str | None = None, destination: str | None = None,
) -> dict[str, Any]:
    """Relocation transfers with counts per origin and destination (arrived), per stage, and per
    status of the person (applicant or beneficiary of international protection). ``transfers`` is one
    page of the list (latest matching first): ``limit`` (1 to :data:`TRANSFERS_PAGE_MAX`; 0: the counts
    without the rows) from ``offset``, and ``total`` counts the whole list. ``origin`` (benefitting
    state) and ``destination`` (relocation state) narrow the list and the counts."""
    conds, years = _tracker_filters(principal, era=era, year=year, stage=stage, status=status, origin=origin,
                                    destination=destination)
    problems = page_problems(limit, offset, TRANSFERS_PAGE_MAX) if limit else page_problems(1, offset, 1)
    if problems:
        raise ValidationProblem(problems)
    with services.engine.connect() as conn:
        if years:
            conds.append(relocation_transfers.c.cycle_id == _cycle(conn, years[0]).id)
        return _tracker(services, conn, conds, era=era, year=year, stage=stage, as_of=as_of, status=status,
                        origin=origin, destination=destination, limit=limit, offset=offset)


def _tracker(services: Services, conn: Connection, conds: list[Any], *, era: str | None, year: int | None,
             stage: str | None, as_of: date | None, status: str | None, origin: str | None, destination: str | None,
             limit: int, offset: int) -> dict[str, Any]:
    base = select(relocation_transfers).where(and_(*conds)) if conds else select(relocation_transfers)
    arrived_cond = [relocation_transfers.c.stage == "arrived", *conds]
    if as_of is not None:
        arrived_cond.append(relocation_transfers.c.arrived_on <= as_of)
    by_origin: dict[str, int] = dict(conn.execute(
        select(relocation_transfers.c.origin_member_state, func.count())
        .where(and_(*arrived_cond)).group_by(relocation_transfers.c.origin_member_state)).all())
    by_dest: dict[str, int] = dict(conn.execute(
        select(relocation_transfers.c.destination_member_state, func.count())
        .where(and_(*arrived_cond)).group_by(relocation_transfers.c.destination_member_state)).all())
    by_stage: dict[str, int] = dict(conn.execute(
        select(relocation_transfers.c.stage, func.count()).where(and_(true(), *conds))
        .group_by(relocation_transfers.c.stage)).all())
    by_status: dict[str, dict[str, int]] = {s: {"total": 0, "arrived": 0} for s in STATUSES}
    for st, stg, n in conn.execute(
            select(relocation_transfers.c.person_status, relocation_transfers.c.stage, func.count())
            .where(and_(true(), *conds))
            .group_by(relocation_transfers.c.person_status, relocation_transfers.c.stage)):
        row_s = by_status.setdefault(st, {"total": 0, "arrived": 0})
        row_s["total"] += n
        if stg == "arrived":
            row_s["arrived"] += n
    rows = conn.execute(base.order_by(relocation_transfers.c.matched_on.desc(), relocation_transfers.c.id)
                        .limit(limit).offset(offset)).all() if limit else []
    total = int(conn.execute(select(func.count()).select_from(relocation_transfers)
                             .where(and_(true(), *conds))).scalar() or 0)
    on = as_of or services.clock.today()
    overdue = conn.execute(select(func.count()).select_from(relocation_transfers).where(and_(
        _transfer_overdue(on), *conds))).scalar()
    decisions_overdue = conn.execute(select(func.count()).select_from(relocation_transfers).where(and_(
        _decision_overdue(on), *conds))).scalar()
    decided_late = conn.execute(select(func.count()).select_from(relocation_transfers).where(and_(
        relocation_transfers.c.transfer_decided_on > relocation_transfers.c.transfer_decision_due,
        relocation_transfers.c.transfer_decided_on <= on, *conds))).scalar()
    return {
        "filters": {"era": era, "year": year, "stage": stage, "as_of": as_of, "status": status,
                    "origin": member_state(origin) if origin else None,
                    "destination": member_state(destination) if destination else None},
        "total": total, "offset": offset, "limit": limit,
        "arrived_by_origin": dict(sorted(by_origin.items(), key=lambda kv: -kv[1])),
        "arrived_by_destination": dict(sorted(by_dest.items(), key=lambda kv: -kv[1])),
        "arrived_total": sum(by_origin.values()),
        "by_stage": by_stage,
        "by_status": by_status,
        "overdue": overdue,
        # Art 67(10): confirmed transfers still without the transfer decision past its one-week time
        # limit, and transfer decisions taken after it (flagged: a late decision stands)
        "decisions_overdue": int(decisions_overdue or 0),
        "decided_late": int(decided_late or 0),
        "transfers": [_transfer_dict(r, services.clock.today()) for r in rows],
    }


# --- indicators and jobs -------------------------------------------------------------------------


@indicator("relocation_transfers_by_origin",
           label="Relocation transfers carried out under the Voluntary Solidarity Mechanism (VSM), by benefitting state",
           area="solidarity", unit="transfers", period="to_date",
           whose="transfers under the Voluntary Solidarity Mechanism from or to {state}")
def _ind_by_origin(conn: Connection, as_of: date, member_state: str | None) -> dict[str, int]:
    """Relocation transfers under the Voluntary Solidarity Mechanism (VSM, 2022-2026) arrived up to
    the day, by benefitting (origin) state: the follow-up of the June 2023 letter cites it for the
    VSM's transfers (action 9.b), so the Solidarity Pool's transfers (era ``ammr``, counted by the
    tracker and ``relocation_transfers_total``) are not in it. A state's: the transfers it took part
    in, as benefitting state (relocated from it: its own key) or as contributing state (relocated to
    it: the keys of the states it relieved)."""
    rows = conn.execute(
        select(relocation_transfers.c.origin_member_state, func.count())
        .where(and_(_arrived(as_of, member_state), relocation_transfers.c.era != AMMR_ERA))
        .group_by(relocation_transfers.c.origin_member_state)).all()
    return dict(sorted(((o, int(n)) for o, n in rows), key=lambda kv: -kv[1]))


@indicator("relocation_transfers_total", label="Relocation transfers carried out (VSM and Solidarity Pool)",
           area="solidarity", unit="transfers", period="to_date", whose="transfers from or to {state}")
def _ind_total(conn: Connection, as_of: date, member_state: str | None) -> int:
    """Transfers arrived up to the day. A state's: those it took part in, as benefitting state
    (from it) or contributing state (to it), the same transfers as ``relocation_transfers_by_origin``."""
    return int(conn.execute(select(func.count()).select_from(relocation_transfers).where(
        _arrived(as_of, member_state))).scalar() or 0)


def _arrived(as_of: date, member_state: str | None) -> Any:
    """Relocation transfers arrived by ``as_of``, from or to ``member_state`` when one is given."""
    cond = and_(relocation_transfers.c.stage == "arrived", relocation_transfers.c.arrived_on <= as_of)
    if member_state is None:
        return cond
    return and_(cond, or_(relocation_transfers.c.origin_member_state == member_state,
                          relocation_transfers.c.destination_member_state == member_state))


@job("solidarity-transfer-deadlines")
def _job_overdue(services: Services, now: Any) -> str:
    """Count relocation transfers past their Art 67(11) transfer deadline (confirmed, not arrived) and
    those still awaiting the transfer decision past its Art 67(10) time limit."""
    today = now.date() if hasattr(now, "date") else now
    with services.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(relocation_transfers).where(
            _transfer_overdue(today))).scalar()
        d = conn.execute(select(func.count()).select_from(relocation_transfers).where(
            _decision_overdue(today))).scalar()
    return (f"{_count(int(n or 0), 'relocation transfer')} past the transfer deadline; "
            f"{int(d or 0):,} awaiting the transfer decision past its time limit")
