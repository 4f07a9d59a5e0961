"""The individual relocation matching contract (JSON in and out) and its validation.

Input (``POST /api/v1/solidarity/relocation-matching``, ``pactum solidarity match FILE.json``)::

    {"capacities": [{"member_state": "DE", "places": 120}],
     "applicants": [{"id": "A1", "family_id": "F7", "in_member_state": "IT",
                     "links": [{"member_state": "DE", "kind": "family"}],
                     "excluded_member_states": ["HU"]}],
     "weights": {"family": 100, "previous_residence": 40, "diploma": 30,
                 "language": 20, "cultural": 10}}

Output: ``{"assignments": [{"applicant_id", "member_state"}], "unassigned": [ids],
"objective": {"relocated": N, "link_score": S}, "solver": {...}}``.

Optional additions (absent from a request or an answer that does not use them):

* ``applicants[].status``: ``applicant`` (default) or ``beneficiary`` of international protection.
  AMMR Art 56(2)(a)(ii) allows relocating a beneficiary only if protection was granted less than
  ``solidarity.relocation.ip_beneficiary_max_since_grant`` (3 years) "prior to the adoption of the
  Council implementing act referred to in Article 57" (``council_act_on``, the cycle's act: the
  service fills it in from the cycle of the matching's year when the request leaves it out; without
  one, the matching date ``on``, default today) (``protection_granted_on``, required for a
  beneficiary, not after the matching; one granted after the act qualifies: its protection is more
  recent than the limit the act draws) and with their written consent (``consent: true``; ``ip_beneficiary_consent``,
  AMMR Art 67(4), third subparagraph, read in the Official Journal text). A beneficiary who does not qualify is not relocated, nor is the rest of their
  family; the answer lists them under ``ineligible`` with the reason.
* ``capacities[].accepts_beneficiaries`` (default true): whether the relocation state agreed to
  receive beneficiaries (relocation of beneficiaries is "bilaterally agreed").
* ``objective.relocated_by_status``: persons relocated per status, present when the request has a
  beneficiary.

Rules of the problem (checked by :func:`check_assignment`, used by the tests and the baselines):

* a state receives at most its places (a state absent from ``capacities`` has none);
* applicants sharing a ``family_id`` go to the same state or all stay;
* an excluded state is never chosen, and nobody is relocated to the state they are in;
* objective, lexicographic: first the number of persons relocated, then the sum over relocated
  persons of the weight of their strongest link to the state chosen (0 if none).

``validate_request`` turns the raw model into a :class:`Problem` with normalised state codes, or
raises :class:`~pactum.common.errors.ValidationProblem` naming every bad field (HTTP 422 / exit 2).
Weights are whole numbers so that the lexicographic optimum is exact (no floating tolerance).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from pactum.common.errors import ValidationProblem
from pactum.common.states import member_state
from pactum.solidarity.fairshare import SOLIDARITY_STATES

LinkKind = Literal["family", "previous_residence", "diploma", "language", "cultural"]
LINK_KINDS: tuple[str, ...] = ("family", "previous_residence", "diploma", "language", "cultural")

# Matching weights are a policy choice of the Solidarity Coordinator, not a legal number: the
# defaults below are the example of the contract and can be overridden in every request.
#: The largest weight a request may give: the solver adds weights in double precision, exact for
#: whole numbers up to 2**53, so weight x links x applicants must stay below it (150,000 applicants
#: with five links each at this weight: 7.5e11). A bound of the arithmetic, not a policy.
MAX_WEIGHT = 1_000_000
DEFAULT_WEIGHTS: dict[str, int] = {
    "family": 100,
    "previous_residence": 40,
    "diploma": 30,
    "language": 20,
    "cultural": 10,
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CapacityIn(_Model):
    member_state: str
    places: int
    accepts_beneficiaries: bool = True


class LinkIn(_Model):
    member_state: str
    kind: str


class ApplicantIn(_Model):
    id: str
    family_id: str | None = None
    in_member_state: str
    links: list[LinkIn] = Field(default_factory=list)
    excluded_member_states: list[str] = Field(default_factory=list)
    status: str = "applicant"  # applicant | beneficiary (of international protection)
    protection_granted_on: date | None = None
    consent: bool | None = None  # a beneficiary's written consent to relocation


class MatchingRequest(_Model):
    capacities: list[CapacityIn]
    applicants: list[ApplicantIn]
    weights: dict[str, int] | None = None
    on: date | None = None  # date of the matching; default today
    #: the adoption of the cycle's Council implementing act (Art 57), from which the 3-year limit for
    #: beneficiaries runs back (Art 56(2)(a)(ii)); None: the matching date
    council_act_on: date | None = None


class AssignmentOut(_Model):
    applicant_id: str
    member_state: str


class _OmitNone(_Model):
    """Optional additions to the contract are left out of the JSON when they do not apply."""

    @model_serializer(mode="wrap")
    def _omit(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if not (k in self._optional and v is None)}

    _optional: ClassVar[tuple[str, ...]] = ()


class ObjectiveOut(_OmitNone):
    relocated: int
    link_score: int
    relocated_by_status: dict[str, int] | None = None
    _optional: ClassVar[tuple[str, ...]] = ("relocated_by_status",)


class IneligibleOut(_Model):
    applicant_id: str
    reason: str


class MatchingResult(_OmitNone):
    assignments: list[AssignmentOut]
    unassigned: list[str]
    objective: ObjectiveOut
    solver: dict[str, Any]
    ineligible: list[IneligibleOut] | None = None
    _optional: ClassVar[tuple[str, ...]] = ("ineligible",)


STATUSES: tuple[str, ...] = ("applicant", "beneficiary")


@dataclass(frozen=True, slots=True)
class Applicant:
    id: str
    family_id: str | None
    in_member_state: str
    best_link: dict[str, int]  # state -> weight of the strongest link to it (only > 0 kept)
    links: tuple[tuple[str, str], ...]  # (state, kind) as given, normalised
    excluded: frozenset[str]
    status: str = "applicant"


@dataclass(slots=True)
class Problem:
    """A validated matching problem: codes normalised, weights resolved."""

    capacities: dict[str, int]
    applicants: list[Applicant]
    weights: dict[str, int]
    families: dict[str, list[int]] = field(default_factory=dict)  # family_id -> applicant indexes
    ineligible: dict[int, str] = field(default_factory=dict)  # applicant index -> why not relocatable
    beneficiary_states: frozenset[str] | None = None  # states receiving beneficiaries (None: all)

    def units(self) -> list[list[int]]:
        """Indivisible groups in input order: a family (all its members) or a single applicant."""
        seen: set[str] = set()
        out: list[list[int]] = []
        for i, a in enumerate(self.applicants):
            if a.family_id is None:
                out.append([i])
            elif a.family_id not in seen:
                seen.add(a.family_id)
                out.append(self.families[a.family_id])
        return out

    def allowed_states(self, unit: list[int]) -> list[str]:
        """States with places that no member of the unit is in or has excluded, sorted; none if a
        member may not be relocated; for a unit with a beneficiary, only states that receive them."""
        blocked: set[str] = set()
        beneficiary = False
        for i in unit:
            if i in self.ineligible:
                return []
            a = self.applicants[i]
            blocked.add(a.in_member_state)
            blocked |= a.excluded
            beneficiary = beneficiary or a.status == "beneficiary"
        ok = self.beneficiary_states if beneficiary and self.beneficiary_states is not None else None
        return sorted(s for s, p in self.capacities.items()
                      if p > 0 and s not in blocked and (ok is None or s in ok))

    def score(self, i: int, state: str) -> int:
        return self.applicants[i].best_link.get(state, 0)


def _years_after(d: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February -> 1 March in a common year)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return date(d.year + years, 3, 1)


def validate_request(req: MatchingRequest, today: date | None = None) -> Problem:
    """Check a request and return the normalised problem; every problem found is reported.

    ``today`` is the matching date when the request gives none (``on``); beneficiaries are checked
    against it."""
    problems: list[tuple[str, str]] = []
    on = req.on or today or date.today()
    # Art 56(2)(a)(ii): less than 3 years before the adoption of the Council's implementing act (Art 57)
    limit_from = req.council_act_on or on
    limit_said = (f"the Council implementing act of {limit_from.isoformat()}" if req.council_act_on
                  else limit_from.isoformat())
    max_years: int | None = None
    needs_consent = True
    if any(a.status == "beneficiary" for a in req.applicants):
        from pactum.law import NotInForce, param

        try:
            p_years = param("solidarity.relocation.ip_beneficiary_max_since_grant", on=on)
            max_years = int(p_years.value)
            needs_consent = bool(param("solidarity.relocation.ip_beneficiary_consent", on=on).value)
        except NotInForce:
            problems.append(("on", f"{on.isoformat()}: beneficiaries are relocated under the AMMR, "
                                   "which applies from 12 June 2026"))
    ineligible: dict[int, str] = {}

    def state_code(path: str, code: str, bound: bool = False) -> str | None:
        try:
            ms = member_state(code)
        except ValueError as exc:
            problems.append((path, str(exc)))
            return None
        if bound and ms not in SOLIDARITY_STATES:  # Denmark (Protocol No 22), the Dublin associated states
            problems.append((path, f"{ms} is not bound by the solidarity rules of Regulation (EU) 2024/1351 "
                                   "(Part IV): it takes no part in relocation under the Annual Solidarity Pool"))
            return None
        return ms

    weights = dict(DEFAULT_WEIGHTS)
    for kind, w in (req.weights or {}).items():
        if kind not in LINK_KINDS:
            problems.append((f"weights.{kind}", f"unknown link kind; use one of {', '.join(LINK_KINDS)}"))
        elif w < 0:
            problems.append((f"weights.{kind}", "a weight cannot be negative"))
        elif w > MAX_WEIGHT:
            problems.append((f"weights.{kind}", f"a weight can be at most {MAX_WEIGHT:,}"))
        else:
            weights[kind] = w

    capacities: dict[str, int] = {}
    no_beneficiaries: set[str] = set()
    for k, c in enumerate(req.capacities):
        code = state_code(f"capacities[{k}].member_state", c.member_state, bound=True)
        if c.places < 0:
            problems.append((f"capacities[{k}].places", f"places cannot be negative (got {c.places})"))
        if code is None:
            continue
        if code in capacities:
            problems.append((f"capacities[{k}].member_state", f"{code} is listed twice"))
            continue
        capacities[code] = max(c.places, 0)
        if not c.accepts_beneficiaries:
            no_beneficiaries.add(code)

    applicants: list[Applicant] = []
    ids: set[str] = set()
    families: dict[str, list[int]] = defaultdict(list)
    family_origin: dict[str, tuple[str, int]] = {}
    for k, a in enumerate(req.applicants):
        p = f"applicants[{k}]"
        if not a.id.strip():
            problems.append((f"{p}.id", "an applicant id is required"))
        elif a.id in ids:
            problems.append((f"{p}.id", f"applicant id '{a.id}' is used twice"))
        ids.add(a.id)
        origin = state_code(f"{p}.in_member_state", a.in_member_state, bound=True)
        best: dict[str, int] = {}
        links: list[tuple[str, str]] = []
        for j, link in enumerate(a.links):
            s = state_code(f"{p}.links[{j}].member_state", link.member_state)
            if link.kind not in LINK_KINDS:
                problems.append(
                    (f"{p}.links[{j}].kind", f"unknown link kind '{link.kind}'; use one of {', '.join(LINK_KINDS)}")
                )
                continue
            if s is None:
                continue
            links.append((s, link.kind))
            w = weights[link.kind]
            if w > best.get(s, 0):
                best[s] = w
        excluded: set[str] = set()
        for j, x in enumerate(a.excluded_member_states):
            s = state_code(f"{p}.excluded_member_states[{j}]", x)
            if s is not None:
                excluded.add(s)
        if a.status not in STATUSES:
            problems.append((f"{p}.status", f"unknown status '{a.status}'; use one of {', '.join(STATUSES)}"))
        elif a.status == "beneficiary":
            granted = a.protection_granted_on
            if granted is None:
                problems.append((f"{p}.protection_granted_on",
                                 "required for a beneficiary of international protection (Art 56(2)(a))"))
            elif granted > on:
                problems.append((f"{p}.protection_granted_on", f"{granted.isoformat()} is after the matching "
                                                               f"date {on.isoformat()}"))
            elif max_years is not None and limit_from >= _years_after(granted, max_years):
                ineligible[k] = (f"protection granted on {granted.isoformat()}, {max_years} years or more "
                                 f"before {limit_said} (Art 56(2)(a)(ii))")
            if k not in ineligible and needs_consent and a.consent is not True:
                ineligible[k] = "a beneficiary is relocated only with their written consent, which is not recorded"
        elif a.protection_granted_on is not None or a.consent is not None:
            problems.append((f"{p}.status", "protection_granted_on and consent concern beneficiaries; "
                                            "set status to 'beneficiary'"))
        fid = a.family_id if a.family_id not in (None, "") else None
        if fid is not None and origin is not None:
            if fid in family_origin and family_origin[fid][0] != origin:
                first_state, first_k = family_origin[fid]
                problems.append(
                    (
                        f"{p}.in_member_state",
                        f"family '{fid}' is spread across states: applicants[{first_k}] is in "
                        f"{first_state}, this member is in {origin}; a family is relocated together",
                    )
                )
            family_origin.setdefault(fid, (origin, k))
        if fid is not None:
            families[fid].append(k)
        applicants.append(
            Applicant(
                id=a.id,
                family_id=fid,
                in_member_state=origin or "",
                best_link=best,
                links=tuple(links),
                excluded=frozenset(excluded),
                status=a.status,
            )
        )
    if problems:
        raise ValidationProblem(problems)
    # a family is relocated together or not at all: one ineligible member keeps the family
    for members in families.values():
        bad = [i for i in members if i in ineligible]
        if bad:
            who = applicants[bad[0]].id
            for i in members:
                ineligible.setdefault(i, f"family member {who} may not be relocated: "
                                         "the family is relocated together or not at all")
    beneficiary_states = frozenset(s for s in capacities if s not in no_beneficiaries) if no_beneficiaries else None
    return Problem(capacities=capacities, applicants=applicants, weights=weights, families=dict(families),
                   ineligible=ineligible, beneficiary_states=beneficiary_states)


@dataclass(frozen=True, slots=True)
class Evaluation:
    relocated: int
    link_score: int
    meaningful_link: int  # relocated persons placed in a state they have a link to


def check_assignment(problem: Problem, assignment: dict[str, str]) -> Evaluation:
    """Verify that ``assignment`` (applicant id -> state) respects every rule; score it.

    Raises ``ValueError`` naming the first broken rule. Used by the optimiser on its own answer,
    by the baselines and by the oracle tests.
    """
    index = {a.id: i for i, a in enumerate(problem.applicants)}
    load: dict[str, int] = defaultdict(int)
    relocated = score = linked = 0
    for aid, s in assignment.items():
        if aid not in index:
            raise ValueError(f"unknown applicant {aid}")
        a = problem.applicants[index[aid]]
        if index[aid] in problem.ineligible:
            raise ValueError(f"{aid} may not be relocated: {problem.ineligible[index[aid]]}")
        if (a.status == "beneficiary" and problem.beneficiary_states is not None
                and s not in problem.beneficiary_states):
            raise ValueError(f"{aid} is a beneficiary and {s} does not receive beneficiaries")
        if s == a.in_member_state:
            raise ValueError(f"{aid} relocated to the state they are in ({s})")
        if s in a.excluded:
            raise ValueError(f"{aid} relocated to an excluded state ({s})")
        load[s] += 1
        relocated += 1
        w = a.best_link.get(s, 0)
        score += w
        linked += 1 if w > 0 else 0
    for s, n in load.items():
        if n > problem.capacities.get(s, 0):
            raise ValueError(f"{s} receives {n} persons for {problem.capacities.get(s, 0)} places")
    for fid, members in problem.families.items():
        dest = {assignment.get(problem.applicants[i].id) for i in members}
        if len(dest) > 1:
            raise ValueError(f"family {fid} is split: {sorted(str(d) for d in dest)}")
    return Evaluation(relocated=relocated, link_score=score, meaningful_link=linked)


def result_from_assignment(
    problem: Problem, assignment: dict[str, str], solver: dict[str, Any]
) -> MatchingResult:
    ev = check_assignment(problem, assignment)
    by_status: dict[str, int] | None = None
    if any(a.status == "beneficiary" for a in problem.applicants):
        by_status = {s: 0 for s in STATUSES}
        for a in problem.applicants:
            if a.id in assignment:
                by_status[a.status] += 1
    return MatchingResult(
        assignments=[
            AssignmentOut(applicant_id=a.id, member_state=assignment[a.id])
            for a in problem.applicants
            if a.id in assignment
        ],
        unassigned=[a.id for a in problem.applicants if a.id not in assignment],
        objective=ObjectiveOut(relocated=ev.relocated, link_score=ev.link_score, relocated_by_status=by_status),
        solver=solver,
        ineligible=[IneligibleOut(applicant_id=problem.applicants[i].id, reason=r)
                    for i, r in sorted(problem.ineligible.items())] or None,
    )
