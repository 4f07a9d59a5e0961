"""Rules of registration and screening, each with its legal basis.

All numbers (time limits, minimum age, retention periods) come from ``pactum.law``; the regime
(pre-Pact or Pact) is chosen by the date of the encounter, never by today.

The rules that depend only on a day (regime, minimum age, screening deadline, retention) are pure
functions of their arguments, so each process remembers their results per (date, state, variant):
a registration then looks the day's answers up instead of counting the periods again. The cached
results are shared: callers read them and never change them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache

from pactum.common.dates import PartialDate
from pactum.law import LegalRef, TimeLimitResult, compute_period, param, regime_for, time_limit
from pactum.registry.model import EncounterKind, EurodacCategory

# Eurodac Reg. 2024/1358: Art 15 applicants, Art 22 irregular crossing, Art 23 illegal stay,
# Art 24 search and rescue. Under Reg. 603/2013 (pre-Pact) there was no SAR category: persons
# disembarked were recorded as irregular crossers (Art 14), illegal stayers were only checked.
_CATEGORY_PACT = {
    EncounterKind.irregular_crossing: EurodacCategory.irregular_crossing,
    EncounterKind.sar_disembarkation: EurodacCategory.sar,
    EncounterKind.border_crossing_point_application: EurodacCategory.applicant,
    EncounterKind.illegal_stay: EurodacCategory.illegal_stay,
    EncounterKind.in_territory_application: EurodacCategory.applicant,
}
_CATEGORY_PRE_PACT = {
    EncounterKind.irregular_crossing: EurodacCategory.irregular_crossing,
    EncounterKind.sar_disembarkation: EurodacCategory.irregular_crossing,
    EncounterKind.border_crossing_point_application: EurodacCategory.applicant,
    EncounterKind.illegal_stay: None,
    EncounterKind.in_territory_application: EurodacCategory.applicant,
}

# Parameters of Reg. (EU) No 603/2013 for encounters before the recast applies.
PRE_PACT_EURODAC = "eurodac603"

_BORDER_KINDS = {
    EncounterKind.irregular_crossing,
    EncounterKind.sar_disembarkation,
    EncounterKind.border_crossing_point_application,
}


@lru_cache(maxsize=8192)
def eurodac_regime(on: date) -> str:
    return regime_for("eurodac", on)


def eurodac_category(kind: EncounterKind, on: date) -> EurodacCategory | None:
    """The Eurodac category of the record created for this encounter (None: nothing stored)."""
    table = _CATEGORY_PACT if eurodac_regime(on) == "pact" else _CATEGORY_PRE_PACT
    return table[kind]


@lru_cache(maxsize=8192)
def screening_applies(on: date) -> bool:
    """Screening Reg. 2024/1356 applies to encounters from its date of application."""
    return regime_for("screening", on) == "pact"


def screening_variant(kind: EncounterKind, held_over_72h: bool) -> str:
    """Art 5 (external border: 7 days, 4 if held over 72 hours) or Art 7 (inland)."""
    if kind in _BORDER_KINDS:
        return "border_held_over_72h" if held_over_72h else "border"
    return "inland"


@dataclass(frozen=True)
class BiometricRule:
    required: bool
    minimum_age: int
    legal_basis: list[str]


@lru_cache(maxsize=65536)
def biometrics_required(date_of_birth: str | None, on: date) -> BiometricRule:
    """Fingerprints and facial image from the minimum age (Eurodac Art 13(1)).

    When the age is uncertain the person is treated as under the minimum age only if every
    possible date of birth makes them younger; an unknown date of birth requires capture.
    """
    prefix = "eurodac" if eurodac_regime(on) == "pact" else PRE_PACT_EURODAC
    p = param(f"{prefix}.biometrics.minimum_age", on=on)
    minimum = int(p.value)
    basis = [p.reference.cite()]
    if not date_of_birth:
        return BiometricRule(True, minimum, basis)
    youngest, _oldest = PartialDate.parse(date_of_birth).age_range_on(on)
    return BiometricRule(youngest >= minimum, minimum, basis)


def moment(result: TimeLimitResult) -> datetime:
    """The last moment of a time limit: its ``ends_at``, or the end of its ``ends_on`` day."""
    if result.ends_at is not None:
        return result.ends_at if result.ends_at.tzinfo else result.ends_at.replace(tzinfo=UTC)
    assert result.ends_on is not None
    return datetime.combine(result.ends_on, time(23, 59, 59), tzinfo=UTC)


def screening_deadline(occurred_at: datetime, member_state: str, variant: str) -> TimeLimitResult:
    """Counted in days from the day of the encounter (the time of day does not matter)."""
    return _screening_deadline(occurred_at.date(), member_state, variant)


@lru_cache(maxsize=65536)
def _screening_deadline(on: date, member_state: str, variant: str) -> TimeLimitResult:
    return time_limit("screening", event_at=on, member_state=member_state, variant=variant)


#: Under the recast, the transmission of crossers' and disembarked persons' data has its own
#: article (Art 22, Art 24): the applicant's (Art 15) is cited only for applicants.
_OWN_TRANSMISSION_PACT = (EurodacCategory.irregular_crossing, EurodacCategory.sar)


def transmission_deadline(
    captured_at: datetime, member_state: str, category: EurodacCategory | None = None
) -> TimeLimitResult:
    """72 hours under both regimes, with the article of the person's category: before the recast
    Reg. 603/2013 Art 9(1) for applicants, Art 14(2) for crossers (SAR arrivals were crossers);
    under the recast Art 15 for applicants, Art 22 for irregular crossers, Art 24 for persons
    disembarked after search and rescue."""
    regime = eurodac_regime(captured_at.date())
    if regime == "pact" and category in _OWN_TRANSMISSION_PACT:
        assert category is not None
        return _own_transmission(captured_at, member_state, category)
    variant = None
    if regime == "pre_pact" and category == EurodacCategory.irregular_crossing:
        variant = "irregular_crossing"
    return time_limit("eurodac_transmission", event_at=captured_at, member_state=member_state,
                      variant=variant)


def _own_transmission(captured_at: datetime, member_state: str, category: EurodacCategory) -> TimeLimitResult:
    """The transmission limit of a category the time-limit table does not hold (``pactum.law``
    counts the applicant's): the same period rules (Reg. 1182/71), the category's parameter."""
    path = f"eurodac.transmission.{category.value}"
    p = param(path, on=captured_at.date())
    amount, unit = int(p.value), str(p.unit)
    period = compute_period(captured_at, amount, unit, member_state)
    end = period.end
    assert isinstance(end, datetime)
    basis = [p.reference.cite(), *(ref.cite() for ref in period.legal_basis)]
    return TimeLimitResult(
        kind="eurodac_transmission", regime="pact", variant=category.value, event_at=captured_at,
        starts_at=period.starts_at, ends_at=end, member_state=period.member_state, parameter=path,
        period=f"{amount} {unit}", legal_basis=basis,
        computation=[f"Transmission of biometric data to Eurodac ({category.value.replace('_', ' ')}): "
                     f"{amount} {unit} from the capture ({p.reference.cite()})", *period.steps],
        unverified=p.unverified)


def transmission_deadline_moment(
    captured_at: datetime, member_state: str, category: EurodacCategory | None = None
) -> tuple[datetime, tuple[str, ...]]:
    """The moment the 72-hour transmission limit expires, and its legal basis.

    A period in hours starts at the end of the hour in which the event occurs (Art 3(1) Reg.
    1182/71), so every capture within one hour has the same deadline: it is counted once per hour
    (the full ``TimeLimitResult`` with the exact capture time is ``transmission_deadline``).
    """
    at = captured_at.astimezone(UTC) if captured_at.tzinfo else captured_at.replace(tzinfo=UTC)
    return _transmission_per_hour(at.replace(minute=0, second=0, microsecond=0), member_state,
                                  category)


@lru_cache(maxsize=65536)
def _transmission_per_hour(
    hour: datetime, member_state: str, category: EurodacCategory | None
) -> tuple[datetime, tuple[str, ...]]:
    result = transmission_deadline(hour, member_state, category)
    return moment(result), tuple(result.legal_basis)


@lru_cache(maxsize=65536)
def retention_until(category: EurodacCategory, registered_on: date, member_state: str) -> TimeLimitResult:
    return time_limit("eurodac_retention", event_at=registered_on, member_state=member_state,
                      variant=category.value)


# ---------------------------------------------------------------- applications and marking


def applicant_basis(on: date) -> list[str]:
    """The legal basis of recording an applicant's data in Eurodac when an application is made:
    Eurodac Art 15 (Reg. 603/2013 Art 9 before the recast), its transmission limit running from the
    registration of the application."""
    prefix = "eurodac" if eurodac_regime(on) == "pact" else PRE_PACT_EURODAC
    return [param(f"{prefix}.transmission.applicant", on=on).reference.cite()]


def marking_basis(on: date) -> list[str]:
    """The legal basis of marking the data of a person granted international protection: Eurodac
    Art 31 (the other Member States of origin are informed within its time limit); before the
    recast, Reg. 603/2013 Art 18(1)."""
    if eurodac_regime(on) == "pact":
        return [param("eurodac.marking.notification", on=on).reference.cite()]
    return [LegalRef.of("eurodac_2013", "18", "1").cite()]
