"""The JSON contracts of the returns area (API bodies, CLI input files, answers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pactum.common.countries import country
from pactum.common.languages import language
from pactum.common.states import MEMBER_STATES, member_state
from pactum.common.text import Text

#: ``border_exit``: the person was found leaving through the external border of another state
#: (Reg. (EU) 2018/1860 Art 8); that state confirms the departure without recognising the decision.
DepartureMode = Literal["voluntary", "enforced", "operation", "avr", "border_exit"]


#: What a state's return officers are notified of (``return_notifications.kind``), in words.
NOTIFICATION_KINDS: dict[str, str] = {
    "hit": "hit on one of your alerts",
    "hit_message": "supplementary information",
    "hit_recognised": "decision recognised by another state",
    "hit_not_recognised": "decision not recognised by another state",
    "departure_confirmed": "departure confirmed by another state",
    "voluntary_departure_expired": "voluntary departure period expired",
    "destination_amended": "destination of a return decision amended by the issuing state",
    "entry_ban_imposed": "entry ban imposed by the issuing state after its decision",
    "voluntary_departure_extended": "period for voluntary departure extended by the issuing state",
}


def _alpha3(v: str | None) -> str | None:
    if v is None:
        return None
    return country(v).alpha3


#: The Member States and the Schengen associated states by ISO alpha-3 code: not a destination of a
#: return, which goes to a third country (Directive 2008/115/EC, Art 3(3)).
NOT_THIRD_COUNTRIES: frozenset[str] = frozenset(s.iso3 for s in MEMBER_STATES.values())


def _third_country(v: str | None) -> str | None:
    """A destination of a return: a third country (country of origin, transit or another third
    country, Directive 2008/115/EC Art 3(3)), never a Member State or a Schengen associated state."""
    code = _alpha3(v)
    if code in NOT_THIRD_COUNTRIES:
        raise ValueError(f"{code} is a Member State or a Schengen associated state; a return goes to a "
                         "third country (Directive 2008/115/EC, Article 3(3))")
    return code


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


#: Directive 2008/115/EC Art 10(2): to whom an unaccompanied minor is returned; ``not_recorded``
#: takes a record back.
MinorHandover = Literal["family_member", "nominated_guardian", "reception_facilities", "not_recorded"]


class ReturnDecisionCreate(_In):
    person_id: str = Field(min_length=1)
    issued_on: date
    asylum_case_id: str | None = None
    voluntary_departure_days: int | None = None
    #: the entry ban's length in whole years, or (``entry_ban_months``) in months: one of the two
    entry_ban_years: int | None = None
    entry_ban_months: int | None = None
    grounds: list[str] = Field(default_factory=list)
    #: where the decision is issued: one of the issuing state's regions with a clock of their own
    #: (ISO 3166-2, ``pactum.registry.local_time.REGIONS``: ``FR-974`` La Réunion, ``ES-CN``, …);
    #: none where the capital keeps the clock. France's outermost regions: no SIS return alert.
    region: str | None = Field(default=None, max_length=10)


class EntryBanImposition(_In):
    """An entry ban imposed on a return decision already issued because the obligation to return
    was not complied with (Directive 2008/115/EC Art 11(1)(b)): the period for voluntary departure
    ended without a departure recorded. ``imposed_on``: the day of the decision imposing it (after
    the period's last day, not in the future); its length in whole years (``entry_ban_years``) or in
    months (``entry_ban_months``), one of the two (Art 11(2): at most five years unless
    ``serious_threat``: the person is a serious threat to public policy, public security or national
    security); ``reasons``: the reasons in fact and in law; ``version``: the decision's, as read."""
    version: int
    imposed_on: date
    entry_ban_years: int | None = None
    entry_ban_months: int | None = None
    serious_threat: bool = False
    reasons: Text = Field(min_length=1, max_length=4000)


class PeriodExtension(_In):
    """The period for voluntary departure of an issued decision extended by its issuing state
    (Directive 2008/115/EC Art 7(2)): ``last_day``, the period's new last day (after the one the
    decision sets now; a suspension's arithmetic then runs on it); ``grounds``, the circumstances of
    Art 7(2) (``length_of_stay``, ``school_going_children``, ``family_and_social_links``);
    ``reason``, the specific circumstances of the individual case; ``version``: the decision's, as
    read."""
    version: int
    last_day: date
    grounds: list[str] = Field(default_factory=list, max_length=10)
    reason: Text = Field(min_length=1, max_length=4000)


class ReturnFactsUpdate(_In):
    version: int
    #: accepted only as the destination the decision already has: changing it, or naming one where
    #: the decision named none, is an amended decision on the destination (:class:`DestinationAmendment`)
    destination_country: str | None = None
    identity_confirmed: bool | None = None
    travel_document: bool | None = None
    fit_to_travel: bool | None = None
    absconded: bool | None = None
    #: Directive 2008/115/EC Art 10(2), for an unaccompanied minor: to whom the child is returned
    #: (``family_member``, ``nominated_guardian``, ``reception_facilities``), with how the authority
    #: satisfied itself of it (``minor_handover_note``); ``not_recorded`` clears both.
    minor_handover: MinorHandover | None = None
    minor_handover_note: Text | None = Field(default=None, min_length=1, max_length=2000)

    _dest = field_validator("destination_country")(_third_country)


class DestinationAmendment(_In):
    """An amended decision on the destination of a return decision (a new return decision in the
    Court's reading, CJEU C-924/19 PPU and C-925/19 PPU, FMS and Others): the third country the
    person is now to be returned to, the day it is issued, the reasons in fact and in law and the
    information about the available legal remedies given with it (Directive 2008/115/EC Art 12(1),
    13(1)); ``version``: the decision's, as read. ``voluntary_departure_days``: the period for
    voluntary departure it grants (Art 7(1); 0 refuses it, Art 7(4)), counted from ``issued_on``;
    none given: as many days as the decision granted."""
    version: int
    destination_country: str
    issued_on: date
    reasons: Text = Field(min_length=1, max_length=4000)
    remedies: Text = Field(min_length=1, max_length=2000)
    voluntary_departure_days: int | None = None

    _dest = field_validator("destination_country")(_third_country)


class DestinationAppeal(_In):
    """An appeal lodged against the decision's latest amended decision on the destination
    (Directive 2008/115/EC Art 13(1)); ``suspensive``: whether it suspends the enforcement (Art
    13(2)), which suspends the decision as the suspension of a return decision does."""
    version: int
    lodged_on: date
    suspensive: bool


class DestinationAppealOutcome(_In):
    """The court's decision on the appeal against an amended decision on the destination (Directive
    2008/115/EC Art 13(1)), given on ``decided_on``: ``dismissed`` (the amended decision stands) or
    ``allowed`` (it is annulled: the destination and period the decision had before it stand again,
    unless a later amended decision changed them since). ``destination_decision``: the amended
    decision appealed against (its reference or id); none: the one whose appeal awaits its outcome
    (when more than one does, name it). ``version``: the decision's, as read."""
    version: int
    outcome: Literal["dismissed", "allowed"]
    decided_on: date
    destination_decision: str | None = None


def _language(v: str | None) -> str | None:
    """A language the person understands, by ISO 639 code, kept as ISO 639-3."""
    if v is None:
        return None
    return language(v).alpha3


class TranslationRequest(_In):
    """The person asked for a translation of the main elements of a return decision, its remedies
    included (Directive 2008/115/EC Art 12(2)), on ``requested_on``, into ``language`` (ISO 639: a
    language they understand). ``destination_decision``: the amended decision on the destination it
    concerns (its reference or id); none: the return decision itself."""
    requested_on: date
    language: str
    destination_decision: str | None = None

    _lang = field_validator("language")(_language)


class TranslationGiven(_In):
    """The translation requested was given on ``provided_on``, ``mode`` written or oral (Art 12(2)),
    in ``language`` (ISO 639): none given, the language asked for; another one the person
    understands or may reasonably be presumed to understand otherwise."""
    provided_on: date
    mode: Literal["written", "oral"]
    language: str | None = None

    _lang = field_validator("language")(_language)


class StandardFormUse(_In):
    """The decision was given by the standard form of national law instead of a translation on
    request (Directive 2008/115/EC Art 12(3): a person who entered illegally and did not later obtain
    an authorisation or a right to stay). ``destination_decision``: the amended decision on the
    destination it concerns (its reference or id); none: the return decision itself."""
    destination_decision: str | None = None


class VersionedReason(_In):
    version: int
    reason: Text = Field(min_length=1, max_length=2000)


class Versioned(_In):
    version: int


class IdentityReviewed(_In):
    """The return officer reviewed the decision against its person's corrected identity record:
    ``note`` says what they decided (the destination kept, or changed by an amended decision on
    the destination); ``version``: the decision's, as read."""
    version: int
    note: Text = Field(min_length=1, max_length=2000)


class DepartureConfirm(_In):
    version: int
    departed_on: date
    mode: DepartureMode = "voluntary"


class HitCreate(_In):
    """A hit: the person encountered (``local_person_id``, one of the reporting state's persons)
    is the person of another state's alert (Reg. (EU) 2018/1861 Art 3(8)), as the identity search
    of that person confirms."""
    alert_id: str = Field(min_length=1)
    place: str | None = Field(default=None, max_length=200)
    local_person_id: str = Field(min_length=1)


class HitMessage(_In):
    body: Text = Field(min_length=1, max_length=5000)


class OperationCreate(_In):
    destination_country: str
    planned_date: date
    capacity: int = Field(gt=0, le=1000)
    escorts: int = Field(ge=0, le=2000)
    participating_states: list[str] = Field(default_factory=list)
    frontex_support: bool = False

    _dest = field_validator("destination_country")(_third_country)

    @field_validator("participating_states")
    @classmethod
    def _states(cls, v: list[str]) -> list[str]:
        return sorted({member_state(s) for s in v})


class ParticipantCreate(_In):
    return_decision_id: str = Field(min_length=1)


class ParticipantOutcome(_In):
    """Whether a selected person departed on the operation. ``departed_on``: the day of the
    departure (the operation's planned date when not given), not before that date nor after today."""
    departed: bool
    #: why the person did not depart: text, blanks only are no text (422 on ``reason``)
    reason: Text | None = Field(default=None, min_length=1, max_length=2000)
    departed_on: date | None = None


class ParticipantRemoval(_In):
    """Take a selected person off an operation before it flies (a suspensive appeal, absconding)."""
    reason: Text = Field(min_length=1, max_length=2000)


class ReadmissionCreate(_In):
    return_decision_id: str = Field(min_length=1)
    sent_on: date


class ReadmissionAnswer(_In):
    accepted: bool
    answered_on: date
    answer_reference: str | None = Field(default=None, max_length=120)


class AvrCreate(_In):
    """An assisted voluntary return case under a return decision, opened on ``opened_on``: the
    programme and funding source (1–200 characters each) and the amount of assistance in euro (0 or
    more, at most two decimals). The values are checked with the days, every problem reported at
    once (:func:`pactum.returns.avr.check_case`); only a value of the wrong type (not an amount, not
    a day) is refused before them."""
    return_decision_id: str = Field(min_length=1)
    programme: Text
    funding_source: Text
    amount_eur: Decimal
    opened_on: date


class AvrDeparture(_In):
    version: int
    departed_on: date


class StatsRow(BaseModel):
    member_state: str
    nationality: str
    ordered_to_leave: int
    returned: int
    return_rate: float | None


class Stats(BaseModel):
    year: int
    #: The state whose figures these are (the filter asked); absent for every state's.
    member_state: str | None = Field(default=None, exclude_if=lambda v: v is None)
    rows: list[StatsRow]
