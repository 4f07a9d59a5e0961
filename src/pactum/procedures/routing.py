"""Routing an application to the border, accelerated, regular or admissibility procedure.

Written like the law: the base case (regular procedure) and the labelled exceptions, each carrying
its article. Under the APR the grounds are APR Arts 38, 42, 44, 45 and 53; before it, the Asylum
Procedures Directive 2013/32/EU Arts 24(3), 25(6), 31(8), 33 and 43 apply.

An application is routed when it is made (``applied_on`` is the day it was made), before it is
lodged. APR Art 79(3) chooses the regime by the day of lodging, not known yet: the routing reads the
regime by the day the application was made (``pactum.law.regimes.procedures_regime``, the best
knowledge until lodging) and its trace says so. Where the lodging changes the law of the case (an
application made before 12 June 2026 and lodged from it: the APR applies, Art 79(3)), the
application is routed again at lodging on the same facts (``route(..., lodged_on=...)``, the facts
read back from the first routing's trace by ``routing_input``): under the law of the case, with the
parameters and the lists in force on the day of lodging, which chose it. Every number (the
recognition-rate threshold) is a ``pactum.law`` parameter; the result carries a trace of every rule
tried.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pactum.common.countries import nationality_name
from pactum.common.errors import ValidationProblem
from pactum.common.states import EU_MEMBER_STATES, MEMBER_STATES
from pactum.law import LegalRef, NotInForce, Trace, param
from pactum.law.regimes import procedures_regime
from pactum.procedures.model import (
    BORDER_CONTEXTS,
    EXEMPTING_VULNERABILITIES,
    RoutingInput,
    RoutingResult,
)
from pactum.procedures.recognition import (
    DecisionStat,
    RecognitionRate,
    eu_recognition_rate,
)
from pactum.procedures.safe_countries import SafeCountryEntry, designations

THRESHOLD_PARAM = "apr.accelerated.recognition_rate_threshold"

# Ground codes (the "grounds" of the routing contract) and their articles, per regime.
_APR = "apr"
_APD = "procedures_directive"
GROUND_REFS: dict[str, dict[str, LegalRef]] = {
    "pact": {
        "misled_authorities": LegalRef.of(_APR, "42", "1", "c"),
        "safe_country_of_origin": LegalRef.of(_APR, "42", "1", "e"),
        "security_threat": LegalRef.of(_APR, "42", "1", "f"),
        "subsequent_application": LegalRef.of(_APR, "55"),
        "low_recognition_rate": LegalRef.of(_APR, "42", "1", "j"),
        "first_country_of_asylum": LegalRef.of(_APR, "38", "1", "a"),
        "safe_third_country": LegalRef.of(_APR, "38", "1", "b"),
    },
    "pre_pact": {
        "misled_authorities": LegalRef.of(_APD, "31", "8", "c"),
        "safe_country_of_origin": LegalRef.of(_APD, "31", "8", "b"),
        "security_threat": LegalRef.of(_APD, "31", "8", "j"),
        "subsequent_application": LegalRef.of(_APD, "33", "2", "d"),
        "first_country_of_asylum": LegalRef.of(_APD, "33", "2", "b"),
        "safe_third_country": LegalRef.of(_APD, "33", "2", "c"),
    },
}
ADMISSIBILITY_GROUNDS = ("subsequent_application", "first_country_of_asylum", "safe_third_country")
# APR Art 45: the border procedure is mandatory on grounds 42(1)(c), (f) and (j).
MANDATORY_BORDER_GROUNDS = ("misled_authorities", "security_threat", "low_recognition_rate")
# Grounds on which an unaccompanied minor may be examined in an accelerated procedure, read in the
# Italian Official Journal texts: APR Art 42(3)(a)-(e) (safe country of origin, security, a
# subsequent application not inadmissible, misleading the authorities or destroying documents, a
# recognition rate at or below the threshold: the five grounds of Art 42(1)(c), (e), (f), (g), (j)
# taken up for minors) and Directive 2013/32/EU Art 25(6)(a)(i)-(iii) (safe country of origin, a
# subsequent application, security).
UAM_ACCELERATED = {
    "pact": {"safe_country_of_origin", "security_threat", "subsequent_application", "misled_authorities",
             "low_recognition_rate"},
    "pre_pact": {"safe_country_of_origin", "security_threat", "subsequent_application"},
}
# Grounds on which an unaccompanied minor may be kept in the border procedure: APR Art 53(1) (only
# in the circumstances of Art 42(3)(b), security); Directive 2013/32/EU Art 25(6)(b)(i)-(vi) (safe
# country of origin, subsequent application, security, safe third country, false documents and
# documents destroyed in bad faith: points (v) and (vi) only in individual cases, after the minor
# could justify them, as its last subparagraph says; the routing states it in its trace).
UAM_BORDER = {
    "pact": {"security_threat"},
    "pre_pact": {"safe_country_of_origin", "security_threat", "subsequent_application",
                 "safe_third_country", "misled_authorities"},
}
BORDER_REF = {"pact": LegalRef.of(_APR, "43", "1"), "pre_pact": LegalRef.of(_APD, "43", "1")}
MANDATORY_BORDER_REF = LegalRef.of(_APR, "45", "1")
OPTIONAL_BORDER_REF = {"pact": LegalRef.of(_APR, "44", "1"), "pre_pact": LegalRef.of(_APD, "43", "1")}
ACCELERATED_REF = {"pact": LegalRef.of(_APR, "42", "1"), "pre_pact": LegalRef.of(_APD, "31", "8")}
UAM_ACCEL_REF = {"pact": LegalRef.of(_APR, "42", "3"), "pre_pact": LegalRef.of(_APD, "25", "6", "a")}
# The point of APR Art 42(3) under which each ground accelerates a minor's case.
UAM_ACCEL_POINTS = {"safe_country_of_origin": "a", "security_threat": "b", "subsequent_application": "c",
                    "misled_authorities": "d", "low_recognition_rate": "e"}
UAM_BORDER_REF = {"pact": LegalRef.of(_APR, "53", "1"), "pre_pact": LegalRef.of(_APD, "25", "6", "b")}


def _minor_documents_caveat(inp: RoutingInput, regime: str, grounds: list[str]) -> str:
    """Directive 2013/32/EU Art 25(6)(b), last subparagraph: an unaccompanied minor is kept in the
    border procedure for false documents or documents destroyed in bad faith (points (v), (vi))
    only in an individual case with serious grounds, after the minor could justify them."""
    if regime != "pre_pact" or not inp.unaccompanied_minor or grounds != ["misled_authorities"]:
        return ""
    return (" (for an unaccompanied minor on false or destroyed documents only in an individual case where "
            "there are serious grounds to think the minor hides relevant elements, after the minor, with the "
            "representative, could justify them)")


def minor_refs(regime: str, procedure: str, grounds: list[str]) -> list[LegalRef]:
    """The provisions that allow an unaccompanied minor's case in the accelerated procedure (APR
    Art 42(3) by point; Directive Art 25(6)(a)) or in the border procedure (APR Art 53(1)
    with Art 42(3)(b); Directive Art 25(6)(b)) on ``grounds``."""
    if procedure == "border":
        return [UAM_BORDER_REF[regime], *([LegalRef.of(_APR, "42", "3", "b")] if regime == "pact" else [])]
    if regime == "pact":
        return [LegalRef.of(_APR, "42", "3", UAM_ACCEL_POINTS[g]) for g in grounds]
    return [UAM_ACCEL_REF[regime]]


def vulnerability_border_ref(regime: str, vulnerability: str) -> LegalRef:
    """The provision that stops the border procedure for an exempting vulnerability: under the APR
    the point of Art 53(2) it falls under (``EXEMPTING_VULNERABILITIES``); before the Pact the
    Directive's Art 24(3), second subparagraph (adequate support cannot be provided at the border)."""
    if regime == "pact":
        return LegalRef.of(_APR, "53", "2", EXEMPTING_VULNERABILITIES[vulnerability])
    return LegalRef.of(_APD, "24", "3")



REGULAR_REF = {"pact": LegalRef.of(_APR, "35", "4"), "pre_pact": LegalRef.of(_APD, "31", "1")}
FCA_REF = LegalRef.of(_APR, "58")
STC_REF = LegalRef.of(_APR, "59")
SCO_REF = LegalRef.of(_APR, "61")
CANDIDATE_REF = LegalRef.of(_APR, "61", "2")


@dataclass(frozen=True)
class SafeOrigin:
    safe: bool
    reason: str
    references: list[str]


def recognition_threshold(on: date) -> float | None:
    """The threshold in force on ``on``; ``None`` before the APR ground existed."""
    try:
        return float(param(THRESHOLD_PARAM, on=on).value)
    except NotInForce:
        return None


def safe_country_of_origin(
    entries: Iterable[SafeCountryEntry],
    nationality: str,
    on: date,
    member_state: str,
    rate: RecognitionRate,
    threshold: float | None,
) -> SafeOrigin:
    """Whether the nationality's country is a safe country of origin for this state on ``on``."""
    found = designations(entries, nationality, on, member_state)
    if not found:
        return SafeOrigin(False, "not on the EU list, the candidate countries or the national list", [])
    refs = [e.reference for e in found]
    designated = [e for e in found if e.concept == "safe_country_of_origin"]
    if designated:
        scopes = ", ".join(sorted({e.scope for e in designated}))
        return SafeOrigin(True, f"designated safe country of origin ({scopes} list)", refs)
    cand = [e for e in found if e.concept == "candidate_country"]
    if cand:
        excl = [e.exclusion for e in cand if e.exclusion]
        if excl:
            return SafeOrigin(False, f"EU candidate country excluded: {', '.join(excl)}", refs)
        if rate.rate is not None and threshold is not None and rate.rate > threshold:
            return SafeOrigin(
                False,
                f"EU candidate country, but its EU recognition rate {rate.rate}% exceeds {threshold}%",
                refs,
            )
        return SafeOrigin(True, "EU candidate country not excluded (no conflict, no restrictive "
                          "measures, recognition rate at or below the threshold)", refs)
    return SafeOrigin(False, "no safe-country-of-origin designation in force", refs)


def route(
    inp: RoutingInput,
    stats: Iterable[DecisionStat],
    safe_entries: Iterable[SafeCountryEntry],
    *,
    lodged_on: date | None = None,
) -> RoutingResult:
    """Route one application; pure function of the facts, the statistics and the lists.
    ``lodged_on``: the day the application was lodged, when it is routed again at lodging (APR Art
    79(3) chooses the regime by it); the law, the statistics and the lists are then read as on the
    day that chose the regime. Without it the day the application was made stands in."""
    choice = procedures_regime(inp.applied_on, lodged_on)  # APR Art 79(3); before lodging, the making
    on = choice.on
    regime = choice.regime
    st = MEMBER_STATES[inp.member_state]
    if st.kind != "eu" or st.code == "DK":
        raise ValidationProblem.one(
            "member_state",
            f"{st.name} is not bound by the EU asylum procedure rules ({st.note or 'associated state'})",
        )
    t = Trace()
    t.step(
        rule="applicable_rules",
        legal_basis=[LegalRef.of(_APR, "79") if regime == "pact" else LegalRef.of(_APD, "52"),
                     choice.legal_basis],
        facts={"applied_on": inp.applied_on, **({"lodged_on": lodged_on} if lodged_on else {}),
               "member_state": inp.member_state, "context": inp.context},
        parameters={"regime": regime},
        outcome=("Asylum Procedure Regulation (EU) 2024/1348 applies" if regime == "pact"
                 else "Asylum Procedures Directive 2013/32/EU applies") + f": the application was {choice.why()}",
    )

    # The EU-wide recognition rate of the nationality (APR Art 42(1)(j)).
    threshold = recognition_threshold(on)
    entries = list(safe_entries)
    rate = eu_recognition_rate(stats, inp.nationality, on, EU_MEMBER_STATES)
    low_rate = (regime == "pact" and threshold is not None and rate.rate is not None
                and rate.rate <= threshold)
    rr = rate.as_dict(threshold)
    rr["applies"] = regime == "pact"
    t.step(
        rule="recognition_rate",
        legal_basis=[GROUND_REFS["pact"]["low_recognition_rate"]],
        facts={"nationality": inp.nationality, "reference_year": rate.year,
               "positive_decisions": rate.positive, "total_decisions": rate.decided},
        parameters={THRESHOLD_PARAM: threshold},
        outcome=(
            "no first-instance decisions held for this nationality: ground not met"
            if rate.rate is None
            else f"EU recognition rate {rate.rate}% in {rate.year}: ground does not exist before the APR"
            if threshold is None
            else f"EU recognition rate {rate.rate}% in {rate.year} "
            + ("<=" if rate.rate <= threshold else ">")
            + f" {threshold}%: ground "
            + ("met" if low_rate else "not met")
        ),
    )

    sco = safe_country_of_origin(entries, inp.nationality, on, inp.member_state, rate, threshold)
    t.step(
        rule="safe_country_of_origin",
        legal_basis=[SCO_REF, CANDIDATE_REF] if regime == "pact" else [LegalRef.of(_APD, "36")],
        facts={"nationality": inp.nationality, "lists": sco.references},
        # the threshold reads on a candidate country under the APR only (Art 61(2)): no stray
        # "not stated" parameter in a Directive case's trace
        parameters={THRESHOLD_PARAM: threshold} if regime == "pact" else {},
        outcome=("applies: " if sco.safe else "does not apply: ") + sco.reason,
    )

    refs = GROUND_REFS[regime]
    raw: list[str] = []
    if inp.misled_authorities:
        raw.append("misled_authorities")
    if sco.safe:
        raw.append("safe_country_of_origin")
    if inp.security_threat:
        raw.append("security_threat")
    if low_rate:
        raw.append("low_recognition_rate")
    facts_acc = {"misled_authorities": inp.misled_authorities, "security_threat": inp.security_threat,
                 "safe_country_of_origin": sco.safe, "low_recognition_rate": low_rate}
    accelerated = list(raw)
    if inp.unaccompanied_minor:
        allowed = UAM_ACCELERATED[regime]
        dropped = [g for g in accelerated if g not in allowed]
        accelerated = [g for g in accelerated if g in allowed]
        if dropped:
            t.step(rule="unaccompanied_minor_accelerated", legal_basis=[UAM_ACCEL_REF[regime]],
                   facts={"unaccompanied_minor": True, "grounds_found": raw},
                   parameters={"grounds_allowed_for_minors": sorted(allowed)},
                   outcome=f"grounds not applied to an unaccompanied minor: {', '.join(dropped)}")
    t.step(rule="accelerated_grounds", legal_basis=[ACCELERATED_REF[regime]]
           + [refs[g] for g in accelerated], facts=facts_acc, parameters={},
           outcome=("grounds met: " + ", ".join(accelerated)) if accelerated else "no ground met")

    admissibility: list[str] = []
    if inp.subsequent_application:
        admissibility.append("subsequent_application")
    if inp.first_country_of_asylum:
        admissibility.append("first_country_of_asylum")
    if inp.safe_third_country_connection:
        admissibility.append("safe_third_country")
    adm_basis: list[LegalRef | str] = [refs[g] for g in admissibility]
    if regime == "pact" and inp.first_country_of_asylum:
        adm_basis.append(FCA_REF)
    if regime == "pact" and inp.safe_third_country_connection:
        adm_basis.append(STC_REF)
    countries = {"first_country_of_asylum": inp.first_country_of_asylum,
                 "safe_third_country": inp.safe_third_country_connection}
    tc = third_countries(regime, admissibility, countries)
    t.step(
        rule="admissibility_grounds",
        legal_basis=adm_basis
        or [LegalRef.of(_APR, "38", "1") if regime == "pact" else LegalRef.of(_APD, "33", "2")],
        facts={"subsequent_application": inp.subsequent_application,
               "first_country_of_asylum": inp.first_country_of_asylum,
               "safe_third_country_connection": inp.safe_third_country_connection,
               "unaccompanied_minor": inp.unaccompanied_minor},
        parameters={},
        outcome=("grounds met: " + ", ".join(_with_country(g, countries) for g in admissibility)
                 + ("; for an unaccompanied minor only if in the child's best interests"
                    if inp.unaccompanied_minor and inp.first_country_of_asylum else ""))
        if admissibility else "no ground met",
    )

    # Border procedure: applications made at the external border, after SAR or relocation.
    at_border = inp.context in BORDER_CONTEXTS
    exempt: list[str] = []
    exempt_refs: list[LegalRef | str] = []
    for v in inp.vulnerabilities:
        if v in EXEMPTING_VULNERABILITIES:
            exempt.append(v)
            exempt_refs.append(vulnerability_border_ref(regime, v))
    border_candidates = raw + [g for g in admissibility if g != "subsequent_application"]
    if inp.subsequent_application:
        border_candidates.append("subsequent_application")
    if inp.unaccompanied_minor:
        allowed_b = UAM_BORDER[regime]
        if not any(g in allowed_b for g in border_candidates):
            exempt.append("unaccompanied_minor")
            exempt_refs.append(UAM_BORDER_REF[regime])
        border_candidates = [g for g in border_candidates if g in allowed_b]
    border_possible = at_border and not exempt
    t.step(
        rule="border_procedure_scope",
        legal_basis=[BORDER_REF[regime], *exempt_refs],
        facts={"context": inp.context, "vulnerabilities": inp.vulnerabilities,
               "unaccompanied_minor": inp.unaccompanied_minor},
        parameters={},
        outcome=("not at the external border: border procedure not available" if not at_border
                 else ("exempt from the border procedure: " + ", ".join(exempt)) if exempt
                 else "the border procedure may be applied" + _minor_documents_caveat(inp, regime, border_candidates)),
    )

    mandatory_grounds = (
        [g for g in MANDATORY_BORDER_GROUNDS if g in border_candidates] if regime == "pact" else []
    )
    if border_possible and mandatory_grounds:
        grounds = mandatory_grounds + [g for g in border_candidates if g not in mandatory_grounds]
        basis = [MANDATORY_BORDER_REF, OPTIONAL_BORDER_REF["pact"]] + [refs[g] for g in grounds]
        if inp.unaccompanied_minor:
            basis += minor_refs(regime, "border", grounds)
        if inp.context == "relocation":
            basis.append(LegalRef.of("ammr", "67", "11"))
        t.step(rule="mandatory_border_procedure", legal_basis=basis,
               facts={"grounds": grounds}, parameters={},
               outcome="border procedure, mandatory")
        return _result(t, "border", True, grounds, rr, tc)

    if admissibility:
        mandatory = regime == "pact" and inp.subsequent_application
        basis = [LegalRef.of(_APR, "38", "1") if regime == "pact" else LegalRef.of(_APD, "33", "1")]
        basis += [refs[g] for g in admissibility]
        if border_possible:
            basis.append(OPTIONAL_BORDER_REF[regime])
        t.step(rule="admissibility_examination", legal_basis=basis,
               facts={"grounds": admissibility}, parameters={},
               outcome="admissibility examined first"
               + (" (may be done in the border procedure)" if border_possible else "")
               + ("; a preliminary examination of the subsequent application is required"
                  if mandatory else ""))
        return _result(t, "admissibility", mandatory, admissibility, rr, tc)

    optional = [g for g in border_candidates if g in raw]
    if border_possible and optional:
        t.step(rule="optional_border_procedure",
               legal_basis=[OPTIONAL_BORDER_REF[regime]] + [refs[g] for g in optional]
               + (minor_refs(regime, "border", optional) if inp.unaccompanied_minor else []),
               facts={"grounds": optional}, parameters={},
               outcome="border procedure, at the Member State's choice (otherwise accelerated)")
        return _result(t, "border", False, optional, rr, tc)

    if accelerated:
        mandatory = regime == "pact"
        t.step(rule="accelerated_procedure",
               legal_basis=[ACCELERATED_REF[regime]] + [refs[g] for g in accelerated]
               + (minor_refs(regime, "accelerated", accelerated) if inp.unaccompanied_minor else []),
               facts={"grounds": accelerated}, parameters={},
               outcome="accelerated examination" + (", mandatory" if mandatory else ", optional"))
        return _result(t, "accelerated", mandatory, accelerated, rr, tc)

    t.step(rule="regular_procedure", legal_basis=[REGULAR_REF[regime]], facts={}, parameters={},
           outcome="regular procedure: no special ground applies")
    return _result(t, "regular", False, [], rr, tc)


def _result(t: Trace, procedure: str, mandatory: bool, grounds: list[str], rr: dict[str, object],
            tc: list[dict[str, Any]]) -> RoutingResult:
    return RoutingResult(
        procedure=procedure,  # type: ignore[arg-type]
        mandatory=mandatory,
        grounds=grounds,
        legal_basis=list(t.steps[-1].legal_basis),
        recognition_rate=dict(rr),
        trace=t.to_list(),
        # the third country of each admissibility ground found, whether or not the result keeps it
        # among its grounds (a mandatory border procedure examines admissibility inside it, Art 44(1))
        third_countries=tc,
    )


#: The grounds that name a third country, with the routing input's field that records it.
THIRD_COUNTRY_GROUNDS = {"first_country_of_asylum": "first_country_of_asylum",
                         "safe_third_country": "safe_third_country_connection"}
#: The provisions on the concept itself under the APR (Arts 58, 59), besides the ground's point.
_CONCEPT_REFS = {"first_country_of_asylum": FCA_REF, "safe_third_country": STC_REF}


def _with_country(ground: str, countries: Mapping[str, str | None]) -> str:
    """A ground as a trace's outcome names it: a third country's ground with its country."""
    if ground not in THIRD_COUNTRY_GROUNDS:
        return ground
    return f"{ground} ({countries.get(ground) or 'country not recorded'})"


def third_countries(regime: str, grounds: Iterable[str], countries: Mapping[str, str | None]
                    ) -> list[dict[str, Any]]:
    """For each first-country-of-asylum or safe-third-country ground among ``grounds``, the third
    country it rests on (``countries``, by ground; None where the facts at hand do not record it):
    ``ground``, ``country`` (alpha-3 or None), ``country_name``, ``recorded``, ``legal_basis`` (the
    ground's point: APR Art 38(1)(a), (b), with the concept's Art 58, 59; before the Pact
    Directive 2013/32/EU Art 33(2)(b), (c)) and ``note``: the sentence the case and routing pages
    show, saying where the country is not recorded rather than leaving it out."""
    out = []
    for g in grounds:
        if g not in THIRD_COUNTRY_GROUNDS:
            continue
        code = countries.get(g) or None
        refs = [GROUND_REFS[regime][g].cite(), *([_CONCEPT_REFS[g].cite()] if regime == "pact" else [])]
        what = "first country of asylum" if g == "first_country_of_asylum" else "safe third country"
        name = nationality_name(code) if code else None
        note = (f"{what}: {name or code} ({code}; {'; '.join(refs)})" if code else
                f"{what}: the country is not recorded ({'; '.join(refs)}): the routing found the ground, the "
                "facts it was rebuilt from do not name the third country")
        out.append({"ground": g, "country": code, "country_name": name, "recorded": code is not None,
                    "legal_basis": refs, "note": note})
    return out


def routing_third_countries(routing: Mapping[str, Any] | None) -> dict[str, str | None]:
    """The third countries a stored routing's trace records (its ``admissibility_grounds`` step),
    by ground; None for a ground whose country the trace does not give."""
    for step in (routing or {}).get("trace") or []:
        if step.get("rule") == "admissibility_grounds":
            facts = step.get("facts") or {}
            return {g: (facts.get(f) or None) for g, f in THIRD_COUNTRY_GROUNDS.items()}
    return dict.fromkeys(THIRD_COUNTRY_GROUNDS)


#: The steps of a routing trace whose facts are the routing's input (``routing_input``).
_INPUT_STEPS = ("applicable_rules", "recognition_rate", "accelerated_grounds", "admissibility_grounds",
                "border_procedure_scope")


def routing_regime(routing: Mapping[str, Any] | None) -> str | None:
    """The regime (``pact``, ``pre_pact``) a stored routing (``RoutingResult`` as JSON) was done
    under, as its first step records it, or None when the trace does not say."""
    for step in (routing or {}).get("trace") or []:
        if step.get("rule") == "applicable_rules":
            regime = (step.get("parameters") or {}).get("regime")
            return str(regime) if regime else None
    return None


def routing_input(routing: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The facts an application was routed on (the fields of ``RoutingInput``), read back from its
    stored routing's trace, which records each of them; None when a step holding them is missing."""
    steps = {s.get("rule"): s.get("facts") or {} for s in (routing or {}).get("trace") or []}
    if any(k not in steps for k in _INPUT_STEPS):
        return None
    made, rate, acc, adm, border = (steps[k] for k in _INPUT_STEPS)
    return {"applied_on": made.get("applied_on"), "member_state": made.get("member_state"),
            "context": made.get("context"), "nationality": rate.get("nationality"),
            "unaccompanied_minor": bool(adm.get("unaccompanied_minor")),
            "misled_authorities": bool(acc.get("misled_authorities")),
            "security_threat": bool(acc.get("security_threat")),
            "subsequent_application": bool(adm.get("subsequent_application")),
            "first_country_of_asylum": adm.get("first_country_of_asylum") or None,
            "safe_third_country_connection": adm.get("safe_third_country_connection") or None,
            "vulnerabilities": list(border.get("vulnerabilities") or [])}
