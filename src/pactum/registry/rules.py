"""Rules of registration and screening, each with its legal basis.

All numbers (time limits, minimum age, retention periods) come from ``pactum.law``; the regime
(pre-Pact or Pact) is chosen by the date of the encounter, never by today: the day where it
happened (``pactum.registry.local_time``), not the day in UTC.

The rules that depend only on a day (regime, minimum age, screening deadline, retention) are pure
functions of their arguments, so each process remembers their results per (date, state, variant):
a registration then looks the day's answers up instead of counting the periods again. The cached
results are shared: callers read them and never change them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

from pactum.common.dates import PartialDate
from pactum.law import LegalRef, TimeLimitResult, compute_period, param, regime_for, time_limit
from pactum.law.tree import history
from pactum.registry.local_time import end_of_local_day, event_zone, local_day, local_moment, region_of_zone
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

#: The Eurodac categories the registry records, one per kind of encounter under either regime.
ENCOUNTER_CATEGORIES: frozenset[EurodacCategory] = frozenset(
    c for table in (_CATEGORY_PACT, _CATEGORY_PRE_PACT) for c in table.values() if c is not None)

# Parameters of Reg. (EU) No 603/2013 for encounters before the recast applies.
PRE_PACT_EURODAC = "eurodac603"

_BORDER_KINDS = {
    EncounterKind.irregular_crossing,
    EncounterKind.sar_disembarkation,
    EncounterKind.border_crossing_point_application,
}


@lru_cache(maxsize=1)
def eurodac_law_from() -> date:
    """The first day of the oldest Eurodac law Pactum holds (Reg. (EU) No 603/2013 applies from
    20 July 2015): an encounter of an earlier day has no rules here to be registered under (its
    minimum age, category and storage period)."""
    return history(f"{PRE_PACT_EURODAC}.biometrics.minimum_age").first_from()


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


#: Where France's Eurodac ends: the Regulation that Eurodac follows applies to France's European
#: territory only (Reg. (EU) 2024/1351 Art 76; before, Reg. (EU) No 604/2013 Art 43).
_FRANCE_EUROPEAN_TERRITORY = {
    "pact": LegalRef("Regulation (EU) 2024/1351", "32024R1351", "76"),
    "pre_pact": LegalRef("Regulation (EU) No 604/2013", "32013R0604", "43"),
}

#: Why no screening runs outside the Schengen area's part of a state (Pactum's reading: the Screening
#: Regulation has no article on its territorial scope). It screens "at the external borders" and
#: supplements Regulation (EU) 2016/399 (Schengen Borders Code) for persons who do not fulfil the
#: entry conditions of its Art 6 (Art 1, first paragraph, point (a); Art 5(1) and (2); recital 2); it
#: is a development of the Schengen acquis (recitals 60 to 64); and the Schengen acquis applies to
#: France's European territory only (Convention implementing the Schengen Agreement, Art 138, first
#: paragraph). Screening within the territory (Art 7(1)) concerns persons who crossed an external
#: border to enter "the territory of the Member States" in that sense.
SCREENING_OUTSIDE_SCHENGEN: tuple[str, ...] = (
    "Regulation (EU) 2024/1356, Article 1, first paragraph, point (a), Article 5(1) and recitals 2 and 60 "
    "to 64 (screening at the external borders, supplementing Regulation (EU) 2016/399: a development of "
    "the Schengen acquis)",
    "Convention implementing the Schengen Agreement, Article 138, first paragraph (the French Republic: "
    "its European territory only)",
)


def outside_eurodac(member_state: str, zone: str | None, on: date) -> list[str]:
    """Why Eurodac does not apply where an encounter of ``on`` happened (``zone``: the clock of its
    place, one of :data:`pactum.registry.local_time.REGIONS`), the articles cited; empty where it
    applies. France's outermost regions are outside it: Reg. (EU) 2024/1358 Art 60 with Reg. (EU)
    2024/1351 Art 76 (the parameter ``eurodac.territorial_scope.european_territory_of_france_only``),
    before 12 June 2026 Reg. 603/2013 Art 42 with Reg. 604/2013 Art 43. Spain's Canary Islands and
    Portugal's Azores and Madeira are not."""
    region = region_of_zone(member_state, zone) if zone else None
    if member_state != "FR" or region is None or region.european:
        return []
    regime = eurodac_regime(on)
    prefix = "eurodac" if regime == "pact" else PRE_PACT_EURODAC
    p = param(f"{prefix}.territorial_scope.european_territory_of_france_only", on=on)
    if not p.value:
        return []
    return [p.reference.cite(), _FRANCE_EUROPEAN_TERRITORY["pact" if regime == "pact" else "pre_pact"].cite()]


def outside_screening(member_state: str, zone: str | None, on: date) -> list[str]:
    """Why the Screening Regulation does not apply where an encounter of ``on`` happened, the texts
    cited (:data:`SCREENING_OUTSIDE_SCHENGEN`); empty where it applies or where no screening applies
    on that day anyway (before 12 June 2026). France's outermost regions are outside the Schengen
    area; Spain's Canary Islands and Portugal's Azores and Madeira are in it."""
    region = region_of_zone(member_state, zone) if zone else None
    if member_state != "FR" or region is None or region.european or not screening_applies(on):
        return []
    return list(SCREENING_OUTSIDE_SCHENGEN)


#: A screening's kind (:func:`screening_variant`) as the screens say it: where the person was met
#: (Screening Reg. (EU) 2024/1356, Art 5: at the external border; Art 7: within the territory) and,
#: at the border, whether they were held there over 72 hours (Art 8(3): the shorter period).
SCREENING_KIND_WORDS: dict[str, str] = {
    "border": "at the external border",
    "border_held_over_72h": "at the external border, held over 72 hours",
    "inland": "within the territory",
}


#: An encounter's kind as the screens say it, as the Eurodac categories are said ("SAR disembarkation"
#: for a disembarkation after a search and rescue operation, Reg. (EU) 2024/1358 Art 24); the API and
#: the CLI keep the codes.
ENCOUNTER_KIND_WORDS: dict[str, str] = {
    "irregular_crossing": "irregular crossing",
    "sar_disembarkation": "SAR disembarkation",
    "border_crossing_point_application": "application at a border crossing point",
    "illegal_stay": "illegal stay",
    "in_territory_application": "application within the territory",
}


#: Whose screening at the border is shortened to four days when held there over 72 hours: Art 8(3),
#: second sentence, names only the persons of Art 5(1), point (a) — apprehended in connection with
#: an unauthorised crossing of the external border — not those disembarked after a search and
#: rescue operation (Art 5(1), point (b)) nor those applying at a border crossing point (Art 5(2)),
#: who keep the seven days of its first sentence.
HELD_OVER_72H_KINDS = frozenset({EncounterKind.irregular_crossing})


def screening_variant(kind: EncounterKind, held_over_72h: bool) -> str:
    """Art 5 (external border: 7 days; 4 for an irregular crossing held there over 72 hours, Art
    8(3)) or Art 7 (inland)."""
    if kind in _BORDER_KINDS:
        return "border_held_over_72h" if held_over_72h and kind in HELD_OVER_72H_KINDS else "border"
    return "inland"


_NUMBER_WORDS = {3: "three", 4: "four", 7: "seven"}


def _screening_length(variant: str, on: date) -> str:
    """The screening's length for ``variant`` (``pactum.law`` ``screening.duration.*``) in force on
    ``on`` (its first value before the Regulation applied), in words: "seven days", "72 hours"."""
    h = history(f"screening.duration.{variant}")
    p = h.at(max(on, h.first_from()))
    return f"{_NUMBER_WORDS.get(int(p.value), str(p.value))} {p.unit}" if p.unit == "days" else f"{p.value} {p.unit}"


def held_over_72h_refused(kind: EncounterKind, on: date) -> str | None:
    """Why ``held_over_72h`` does not fit an encounter of this kind on ``on`` (None: it does); the
    lengths named are the law parameters' (Screening Reg. (EU) 2024/1356 Art 8(3)-(4))."""
    if kind in HELD_OVER_72H_KINDS:
        return None
    border, shorter = _screening_length("border", on), _screening_length("border_held_over_72h", on)
    held = _screening_length("held_at_border_threshold", on)
    where = {EncounterKind.sar_disembarkation: "a person disembarked after a search and rescue operation "
                                                 f"(Article 5(1), point (b)) has the {border}",
             EncounterKind.border_crossing_point_application: "a person applying at a border crossing point "
                                                                f"(Article 5(2)) has the {border}"}
    rest = where.get(kind, f"a person met within the territory is screened there in "
                           f"{_screening_length('inland', on)} (Article 8(4))")
    return ("only a person apprehended in connection with an irregular crossing of the external border "
            f"(Article 5(1), point (a)) has the shorter {shorter} when held there over {held} "
            f"(Regulation (EU) 2024/1356, Article 8(3)); {rest}")


@dataclass(frozen=True)
class BiometricRule:
    required: bool
    minimum_age: int
    legal_basis: list[str]


#: Whose biometric data (the parameter's suffix after ``biometrics.minimum_age``): each kind of
#: person has the article that obliges (Reg. 603/2013 Art 17(1): allows) taking them, with its
#: minimum age. Recast: applicants Art 15(1), irregular crossers Art 22(1), illegally staying
#: persons Art 23(1), persons disembarked after search and rescue Art 24(1). Reg. 603/2013:
#: applicants Art 9(1), crossers (SAR arrivals were crossers) Art 14(1), illegal stay Art 17(1).
_MINIMUM_AGE_OF = {
    ("pact", EncounterKind.irregular_crossing): "_irregular_crossing",
    ("pact", EncounterKind.sar_disembarkation): "_sar",
    ("pact", EncounterKind.illegal_stay): "_illegal_stay",
    ("pre_pact", EncounterKind.irregular_crossing): "_irregular_crossing",
    ("pre_pact", EncounterKind.sar_disembarkation): "_irregular_crossing",
    ("pre_pact", EncounterKind.illegal_stay): "_illegal_stay",
}


@lru_cache(maxsize=65536)
def biometrics_required(date_of_birth: str | None, on: date,
                        kind: EncounterKind | None = None) -> BiometricRule:
    """Fingerprints and facial image from the minimum age (Eurodac Art 13(1)), citing the article
    of the person's category: ``kind`` is the encounter's; ``None`` (or an application) is an
    applicant for international protection.

    - A date of birth that makes the person at least the minimum age whatever the day (``2019``
      on 10 July 2026) requires capture; one that makes them younger whatever the day does not.
    - An uncertain age (``2020`` or ``2020-07`` on 10 July 2026: 5 or 6 years old) with no proof
      of it counts as under the minimum age: no capture (Reg. 2024/1358 Art 14(1), the parameter
      ``eurodac.biometrics.uncertain_age_counts_as_under``). Reg. 603/2013 has no such provision;
      Pactum reads its "at least 14 years of age" the same way (the age is not established).
    - An unknown date of birth requires capture: nothing recorded says the person is a child.
    """
    regime = eurodac_regime(on)
    prefix = "eurodac" if regime == "pact" else PRE_PACT_EURODAC
    whose = _MINIMUM_AGE_OF.get((regime, kind), "") if kind is not None else ""
    p = param(f"{prefix}.biometrics.minimum_age{whose}", on=on)
    minimum = int(p.value)
    basis = [p.reference.cite()]
    if not date_of_birth:
        return BiometricRule(True, minimum, basis)
    youngest, oldest = PartialDate.parse(date_of_birth).age_range_on(on)
    if youngest >= minimum:
        return BiometricRule(True, minimum, basis)
    if oldest < minimum:
        return BiometricRule(False, minimum, basis)
    # may be under the minimum age, may have reached it: the age is uncertain
    if regime == "pact":
        rule = param("eurodac.biometrics.uncertain_age_counts_as_under", on=on)
        return BiometricRule(not rule.value, minimum, [*basis, rule.reference.cite()])
    return BiometricRule(False, minimum, basis)


def moment(result: TimeLimitResult, zone: tzinfo = UTC) -> datetime:
    """The last moment of a time limit, in UTC: its ``ends_at``, or the end (23:59:59) of its
    ``ends_on`` day in ``zone``, the time zone of the place where the period runs."""
    if result.ends_at is not None:
        at = result.ends_at if result.ends_at.tzinfo else result.ends_at.replace(tzinfo=UTC)
        return at.astimezone(UTC)
    assert result.ends_on is not None
    return end_of_local_day(result.ends_on, zone)


def screening_deadline(occurred_at: datetime, member_state: str, variant: str,
                       zone: str | None = None) -> TimeLimitResult:
    """Counted in days from the day of the encounter where it happened (``zone``: the clock of its
    place, when recorded; the time of day does not matter); the deadline is the end of its last
    day there: ``screening_deadline_at``. The
    screening's length is a maximum that runs out by itself (the person is held or kept available
    for it): a last day on a Saturday, Sunday or public holiday is not extended to a working day
    (``pactum.law`` kind ``screening``; docs/law.md)."""
    return _screening_deadline(local_day(occurred_at, member_state, zone), member_state, variant)


def screening_deadline_at(occurred_at: datetime, member_state: str, variant: str,
                          zone: str | None = None) -> tuple[TimeLimitResult, datetime]:
    """The screening's time limit and its last moment (in UTC): the end of its last day in the time
    zone of the encounter (23:59:59 in Rome is 21:59:59 UTC in summer; 23:59:59 in the Canary
    Islands, ``zone`` ``Atlantic/Canary``, is 23:59:59 UTC in winter)."""
    result = screening_deadline(occurred_at, member_state, variant, zone)
    return result, moment(result, event_zone(occurred_at, member_state, zone))


@lru_cache(maxsize=65536)
def _screening_deadline(on: date, member_state: str, variant: str) -> TimeLimitResult:
    return time_limit("screening", event_at=on, member_state=member_state, variant=variant)


#: Under the recast, the transmission of crossers', illegally staying and disembarked persons' data
#: has its own article (Art 22, Art 23, Art 24): the applicant's (Art 15) is cited only for applicants.
_OWN_TRANSMISSION_PACT = (EurodacCategory.irregular_crossing, EurodacCategory.illegal_stay, EurodacCategory.sar)


def _at_local_offset(at: datetime, member_state: str, zone: str | None = None) -> datetime:
    """``at`` at the UTC offset of the place where it happened (a fixed offset: hours added to it
    are hours elapsed, also across a change to or from summer time)."""
    local = local_moment(at, member_state, zone)
    return local.replace(tzinfo=timezone(local.utcoffset() or timedelta(0)))


def transmission_deadline(
    event_at: datetime, member_state: str, category: EurodacCategory | None = None, zone: str | None = None
) -> TimeLimitResult:
    """72 hours under both regimes, with the article of the person's category: before the recast
    Reg. 603/2013 Art 9(1) for applicants, Art 14(2) for crossers (SAR arrivals were crossers);
    under the recast Art 15 for applicants, Art 22 for irregular crossers, Art 23 for illegally
    staying persons, Art 24 for persons disembarked after search and rescue.

    ``event_at`` is the event the article counts from: the registration (before the recast the
    lodging) of the application, the apprehension, or the disembarkation — the encounter, not the
    capture of the biometric data, which may come later and does not restart the period. The
    regime is that of the day of the event where it happened (``zone``: the clock of its place,
    when recorded)."""
    local = _at_local_offset(event_at, member_state, zone)
    regime = eurodac_regime(local.date())
    if regime == "pact" and category in _OWN_TRANSMISSION_PACT:
        assert category is not None
        return _own_transmission(local, member_state, category)
    variant = None
    if regime == "pre_pact" and category == EurodacCategory.irregular_crossing:
        variant = "irregular_crossing"
    return time_limit("eurodac_transmission", event_at=local, member_state=member_state,
                      variant=variant)


#: The event each category's transmission limit runs from (Reg. (EU) 2024/1358 Arts 22(2), 23,
#: 24(2)).
_TRANSMISSION_FROM = {EurodacCategory.irregular_crossing: "the apprehension",
                      EurodacCategory.illegal_stay: "the apprehension",
                      EurodacCategory.sar: "the disembarkation"}


def _own_transmission(event_at: datetime, member_state: str, category: EurodacCategory) -> TimeLimitResult:
    """The transmission limit of a category the time-limit table does not hold (``pactum.law``
    counts the applicant's): the same period rules (Reg. 1182/71), the category's parameter, from
    the event the category's article names."""
    path = f"eurodac.transmission.{category.value}"
    p = param(path, on=event_at.date())
    amount, unit = int(p.value), str(p.unit)
    period = compute_period(event_at, amount, unit, member_state)
    end = period.end
    assert isinstance(end, datetime)
    basis = [p.reference.cite(), *(ref.cite() for ref in period.legal_basis)]
    return TimeLimitResult(
        kind="eurodac_transmission", regime="pact", variant=category.value, event_at=event_at,
        starts_at=period.starts_at, ends_at=end, member_state=period.member_state, parameter=path,
        period=f"{amount} {unit}", legal_basis=basis,
        computation=[f"Transmission of biometric data to Eurodac ({category.value.replace('_', ' ')}): "
                     f"{amount} {unit} from {_TRANSMISSION_FROM.get(category, 'the encounter')} "
                     f"({p.reference.cite()})", *period.steps],
        unverified=p.unverified)


def transmission_deadline_moment(
    event_at: datetime, member_state: str, category: EurodacCategory | None = None, zone: str | None = None
) -> tuple[datetime, tuple[str, ...]]:
    """The moment the 72-hour transmission limit expires, and its legal basis (``event_at`` as
    :func:`transmission_deadline`).

    A period in hours starts at the end of the hour in which the event occurs (Art 3(1) Reg.
    1182/71), so every event within one hour has the same deadline: it is counted once per hour
    (the full ``TimeLimitResult`` with the exact time is ``transmission_deadline``).
    """
    at = event_at.astimezone(UTC) if event_at.tzinfo else event_at.replace(tzinfo=UTC)
    return _transmission_per_hour(at.replace(minute=0, second=0, microsecond=0), member_state,
                                  category, zone)


@lru_cache(maxsize=65536)
def _transmission_per_hour(
    hour: datetime, member_state: str, category: EurodacCategory | None, zone: str | None = None
) -> tuple[datetime, tuple[str, ...]]:
    result = transmission_deadline(hour, member_state, category, zone)
    return moment(result), tuple(result.legal_basis)


#: The working-day extensions of Reg. 1182/71 (Art 3(4) last day not a working day, Art 3(5) two
#: working days in a period), which a storage maximum does not get.
_WORKING_DAY_EXTENSIONS = frozenset(LegalRef.of("periods", "3", paragraph).cite() for paragraph in ("4", "5"))


def retention_until(category: EurodacCategory, taken_on: date, member_state: str,
                    transmitted_on: date | None = None) -> TimeLimitResult:
    """The last day Eurodac stores the data, counted under Reg. 1182/71 Art 3(1) and 3(2)(c), and
    **not** moved to the next working day when it ends on a Saturday, Sunday or public holiday.

    - The regime is that of ``taken_on``, the day the biometric data were taken where they were
      taken (Pactum's reading, ``eurodac603.retention.irregular_crossing``'s note).
    - Under Reg. (EU) 2024/1358 every storage period runs from the date the biometric data were
      **transmitted** to Eurodac (Art 29(1), (3) to (8); Art 29(9) counts temporary protection
      from the Council's decision): ``transmitted_on``, the local day of the transmission. Data not yet transmitted (``transmitted_on`` None) are counted, for now, from
      ``taken_on``: a transmission cannot come before the capture, so that end is the earliest the
      period can end and the data are never kept past the end the transmission will give; the
      computation says so, and recording the transmission moves the end
      (``pactum.services.registry.record_transmission``).
    - Under Reg. (EU) No 603/2013 the periods run from the date the fingerprints were **taken**
      (Arts 12(1), 16(1)): ``transmitted_on`` is not used.

    A storage period is the longest the personal data may be kept; they are erased when it
    expires (Art 29). Art 3(4) of Reg. 1182/71 gives whoever must act by a time limit a working
    day to do so; applied to a storage maximum it would keep the data beyond the maximum. The law
    module knows the kind as one that runs out by itself (``KindSpec.extends_to_working_day``).

    Only the categories an encounter records (:data:`ENCOUNTER_CATEGORIES`) are counted here. A
    beneficiary of temporary protection is stored from the entry into force of the Council's
    implementing decision, not from a capture or a transmission (Art 29(9)), and resettlement
    records carry their own variants: they are refused rather than counted from the wrong day."""
    if category not in ENCOUNTER_CATEGORIES:
        raise ValueError(
            f"the registry does not record Eurodac data of the category {category.value!r}; its storage "
            "period does not run from the taking or the transmission of the data (see the time-limits "
            "calculator, kind eurodac_retention)")
    if eurodac_regime(taken_on) != "pact":
        return _retention_from(category, taken_on, member_state)
    if transmitted_on is None:
        return _untransmitted_retention(category, taken_on, member_state)
    if transmitted_on < taken_on:
        raise ValueError("the biometric data cannot be transmitted before they are taken")
    return _retention_from(category, transmitted_on, member_state)


@lru_cache(maxsize=65536)
def _retention_from(category: EurodacCategory, on: date, member_state: str) -> TimeLimitResult:
    return time_limit("eurodac_retention", event_at=on, member_state=member_state,
                      variant=category.value)


@lru_cache(maxsize=65536)
def _untransmitted_retention(category: EurodacCategory, taken_on: date, member_state: str) -> TimeLimitResult:
    result = _retention_from(category, taken_on, member_state)
    note = (f"The transmission of the biometric data to Eurodac is not recorded: the period is counted "
            f"from {taken_on.isoformat()}, the day they were taken, the earliest day they can be "
            f"transmitted. It moves to the day of the transmission when the transmission is recorded.")
    return result.model_copy(update={"computation": [*result.computation, note]})


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


def marking_notification(on: date) -> str | None:
    """The time within which the Central System informs the other Member States of origin of a
    marking, so that they mark their data of the person too (Eurodac Art 31: 72 hours;
    ``eurodac.marking.notification``); None before the recast (Reg. 603/2013 Art 18(1) sets none)."""
    if eurodac_regime(on) != "pact":
        return None
    p = param("eurodac.marking.notification", on=on)
    return f"{p.value} {p.unit}"
