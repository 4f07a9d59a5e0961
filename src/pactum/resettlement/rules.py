"""The rules of the resettlement area, in the order of the Regulation, each with its legal basis.

- Art. 8: a Union Plan runs ``resettlement.union_plan_years`` years from 1 January of its first
  year, is adopted by a Council implementing act and splits its total into resettlement,
  humanitarian admission and emergency admission; pledges fill it and cannot exceed it. The
  categories a plan gives no figure for share what the others leave of the total (none when
  they make up the whole total). A pledging exercise is one before the Regulation applied. The
  countries of first asylum a plan targets bind a pledge's resettlement and humanitarian admission
  lines, not its emergency admission ones (Art. 8(5): emergency admission applies irrespective of
  them).
- Art. 2: a person is resettled or admitted from a third country they were displaced to, not
  from the country of their nationality.
- Art. 6 (read in the Official Journal text): a refusal states its ground, one point of Art 6(1)
  (admission shall be refused) or of Art 6(2) (it may be), each cited from the law tree
  (:data:`REFUSAL_GROUNDS`); the two look-back periods of Art 6(1)(f) and 6(2)(a) are
  ``resettlement.refusal.prior_refusal_window`` and ``resettlement.refusal.consent_window`` (Pactum
  records the ground, not the earlier refusal or consent, so it does not count them). The grounds
  are those of admission *under the Regulation*: a refusal under a pledging exercise, or a
  conclusion that the person is not eligible (Art 5, Art 9(2) and (6)), is recorded as ``other``
  with its reason.
- Art 9(9) and (10) (read in the Official Journal text): the ordinary procedure lasts at most
  ``procedure.ordinary_max`` (seven months), the expedited one (emergency admission: "endeavour"
  to conclude within one month) ``procedure.expedited_max``, both from the day the Member State
  registered the person (Art 9(3)), with Reg. 1182/71 arithmetic. Until a registration is
  recorded the clock has not started: the case is "awaiting registration", with no due date,
  and never overdue (Pactum does not put the referral in the registration's place). The
  registration is on or after the referral, not after today, and on or before the decision.
  Art 9(9), second sentence: the state may extend the ordinary procedure by
  ``procedure.ordinary_extension`` (three months) where the case involves complex issues of fact or
  law; the extension is recorded with its day (while the seven months run, on or after the
  registration) and reason, and the deadline is ten months from the registration.
- Art 9(11) and (12) (read in the Official Journal text): the state discontinues a procedure
  (:data:`DISCONTINUATION_GROUNDS`): it must when the person withdrew their consent (Art 7), it may
  on the three points of the second subparagraph. A procedure discontinued takes no place, its
  clock stops and it is never overdue; the person's data are kept three years
  (``discontinuation.consent_data_retention``) after a withdrawal of consent, erased on the day
  otherwise (Art 9(12)).

- Art 9(14)-(18) (read in the Official Journal text): after a positive conclusion the state decides the
  status (:data:`STATUSES`): refugee or subsidiary protection status for resettlement (Art 9(15)),
  international protection or a national humanitarian status for humanitarian admission (Art 9(17)),
  a residence permit for a family member who does not qualify in their own right (Art 9(16), (18));
  before or after the person's entry (Art 9(14)). Art 9(20): the state makes every effort to ensure
  the entry within ``transfer.max`` (twelve months) from the conclusion (:func:`transfer_clock`).
  Art 7(1) and 9(11): a person who withdraws their consent after the positive conclusion and before
  entering has the procedure discontinued (the procedure of Art 9 runs until the entry, Art 9(14)).
  Art 9(11), third subparagraph, and 9(13), second subparagraph: whether UNHCR was given the reason
  of a discontinuation or a negative conclusion.

Places are counted as a lawyer counts them: a person *admitted* (decision to admit) takes a
place of the category, from a line of the pledge for their country of first asylum if it has
room, else from the places pledged without a country. Arrivals are counted separately.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pactum.common.countries import country
from pactum.law import LegalRef, NotInForce, Param, add_period, param
from pactum.law.periods import length_words
from pactum.resettlement.model import CATEGORIES, CATEGORY_LABELS, DISCONTINUED, WITHDRAWN, PlanIn

Problems = list[tuple[str, str]]
CountryKey = str | None
#: (category, country of first asylum or None) -> persons or places
Counts = Mapping[tuple[str, CountryKey], int]

UNION_PLAN_BASIS = "Regulation (EU) 2024/1350, Article 8"
#: Art 8(5): emergency admission applies irrespective of the regions or third countries from which
#: resettlement or humanitarian admission is to take place; a plan's countries do not bind it.
ANY_COUNTRY_CATEGORIES = frozenset({"emergency_admission"})
#: The registration of the person by the Member State, from which the procedure's periods run.
REGISTRATION_BASIS = LegalRef.of("resettlement", "9", "3")
#: The extension of the ordinary procedure's time limit (Art 9(9), second sentence).
EXTENSION_BASIS = LegalRef.of("resettlement", "9", "9")


@dataclass(frozen=True)
class RefusalGround:
    """One ground of refusal: its words, its point of Art 6 and whether the Member State *must*
    refuse on it (Art 6(1)) or *may* (Art 6(2)); ``other`` has neither point nor obligation."""

    code: str
    words: str
    basis: LegalRef | None
    mandatory: bool | None
    #: the law-tree period the words name (Art 6(1)(f), 6(2)(a) and (b)), if any
    window: str | None = None

    def where(self) -> str | None:
        """``"Article 6(1)(c)"``: the point, without the instrument."""
        return self.basis.cite().removeprefix(f"{self.basis.instrument}, ") if self.basis else None

    def text(self, on: date) -> str:
        """The words, with the look-back period the law tree holds on ``on``."""
        if self.window is None:
            return self.words
        try:
            p = param(self.window, on=on)
        except NotInForce:  # before the Regulation: no period to name
            return self.words.format(period="the period of the Regulation")
        return self.words.format(period=length_words(p.value, p.unit))

    def label(self, on: date) -> str:
        """``"Article 6(1)(c): reasonable grounds …"``, what a form lists."""
        words = self.text(on)
        words = words[:1].upper() + words[1:]
        where = self.where()
        return f"{where}: {words}" if where else words

    def to_dict(self, on: date) -> dict[str, Any]:
        return {"code": self.code, "words": self.text(on), "mandatory": self.mandatory,
                "basis": self.basis.cite() if self.basis else None}


def refusal_ground_groups(on: date) -> list[tuple[str, list[tuple[str, str]]]]:
    """The grounds as a form lists them: those on which admission *must* be refused, those on which
    it *may* be, then ``other``; each group headed by its paragraph's citation, each ground by
    ``(code, label)``."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for mandatory, heading in ((True, "Must be refused"), (False, "May be refused"), (None, "Other")):
        grounds = [g for g in REFUSAL_GROUNDS.values() if g.mandatory is mandatory]
        b = grounds[0].basis
        if b is not None:
            heading += f" ({LegalRef(b.instrument, b.celex, b.article, b.paragraph).cite()})"
        groups.append((heading, [(g.code, g.label(on)) for g in grounds]))
    return groups


def _art6(paragraph: str, point: str) -> LegalRef:
    return LegalRef.of("resettlement", "6", paragraph, point)


#: The grounds of refusal, in the order of Art 6: paragraph 1 (shall be refused), paragraph 2 (may
#: be refused), then ``other`` (see :data:`pactum.resettlement.model.RefusalGround`).
REFUSAL_GROUNDS: dict[str, RefusalGround] = {g.code: g for g in (
    RefusalGround("nationality_rights_elsewhere", "recognised by the country where they have taken up residence "
                  "as having the rights and obligations attached to its nationality, or equivalent ones",
                  _art6("1", "a"), True),
    RefusalGround("exclusion_crimes", "serious reasons for considering that they committed a crime against "
                  "peace, a war crime, a crime against humanity or a serious crime, or were guilty of acts "
                  "contrary to the purposes and principles of the United Nations (or instigated or otherwise "
                  "participated in them)", _art6("1", "b"), True),
    RefusalGround("danger_to_public_order", "reasonable grounds for considering them a danger to the community, "
                  "public policy, security or public health of the Member State examining the file",
                  _art6("1", "c"), True),
    RefusalGround("refusal_of_entry_alert", "an alert for the purpose of refusing entry in the Schengen "
                  "Information System or in a national database of a Member State", _art6("1", "d"), True),
    RefusalGround("protection_already_granted", "already granted international protection or a national "
                  "humanitarian status", _art6("1", "e"), True),
    RefusalGround("refused_by_a_member_state", "refused admission by a Member State for danger or for an "
                  "alert (the two points before) in the {period} before the admission",
                  _art6("1", "f"), True, "resettlement.refusal.prior_refusal_window"),
    RefusalGround("consent_not_given_or_withdrawn", "did not give, or withdrew, their consent to be admitted "
                  "to a particular Member State in the {period} before the admission, having been informed "
                  "of the consequences", _art6("2", "a"), False, "resettlement.refusal.consent_window"),
    RefusalGround("other_offence", "committed another offence punishable by a maximum sentence of at least "
                  "{period} in the Member State examining the file (unless time-barred or erased from the "
                  "criminal record)", _art6("2", "b"), False, "resettlement.refusal.offence_min_sentence"),
    RefusalGround("refused_orientation_programme", "refused to take part in a pre-departure orientation "
                  "programme", _art6("2", "c"), False),
    RefusalGround("vulnerability_support_lacking", "the Member State cannot provide the adequate support "
                  "their vulnerability requires", _art6("2", "d"), False),
    RefusalGround("other", "other ground, stated in the reason (the eligibility criteria not met, or a "
                  "pledging exercise's national criteria)", None, None),
)}

SUBPARAGRAPH = {True: "first subparagraph", False: "second subparagraph"}


@dataclass(frozen=True)
class DiscontinuationGround:
    """One ground on which a Member State discontinues an admission procedure (Art 9(11)): its
    words, its citation and whether the state *must* discontinue (first subparagraph: consent
    withdrawn) or *may* (second subparagraph, points (a) to (c)). Art 9(12) ties the person's data to
    the subparagraph: kept three years after a withdrawal of consent, erased on the day otherwise."""

    code: str
    words: str
    basis: LegalRef
    mandatory: bool

    def where(self) -> str:
        """``"Article 9(11)(a)"``; the first subparagraph, which has no point, is named."""
        where = self.basis.cite().removeprefix(f"{self.basis.instrument}, ")
        return where if self.basis.point else f"{where}, {SUBPARAGRAPH[self.mandatory]}"

    def label(self) -> str:
        return f"{self.where()}: {self.words[:1].upper()}{self.words[1:]}"

    def to_dict(self, on: date) -> dict[str, Any]:
        return {"code": self.code, "words": self.words, "mandatory": self.mandatory,
                "basis": f"{self.basis.instrument}, {self.where()}", "data": retention_words(self.code, on),
                "later_admission": LATER_ADMISSION.get(self.code)}


def _art9_11(point: str | None = None) -> LegalRef:
    return LegalRef.of("resettlement", "9", "11", point)


#: The grounds of discontinuation, in the order of Art 9(11) (see
#: :data:`pactum.resettlement.model.DiscontinuationGround`).
DISCONTINUATION_GROUNDS: dict[str, DiscontinuationGround] = {g.code: g for g in (
    DiscontinuationGround("consent_withdrawn", "the person withdrew their consent to be admitted (Article 7: "
                          "expressly, for instance by refusing admission to the Member State, or implicitly, by "
                          "not providing the essential data or not attending the personal interview, having been "
                          "informed of the consequences)", _art9_11(), True),
    DiscontinuationGround("contribution_exceeded", "the Member State concluded that the persons admitted exceed its "
                          "contribution set out in the Union Plan", _art9_11("a"), False),
    DiscontinuationGround("preference_to_vulnerable", "the Member State concluded that preference should be given "
                          "to persons with particular protection needs or vulnerabilities (Article 9(2)(c))",
                          _art9_11("b"), False),
    DiscontinuationGround("time_limits_beyond_control", "the Member State concluded that it cannot meet the time "
                          "limits of Article 9(9) for reasons beyond its control", _art9_11("c"), False),
)}
#: Art 9(12), third subparagraph: what becomes of the person's data once the procedure is discontinued.
RETENTION_BASIS = LegalRef.of("resettlement", "9", "12")
#: What a discontinuation means for a later admission of the person (Art 6(2)(a)).
LATER_ADMISSION = {"consent_withdrawn": "for the period the data are kept, a Member State may refuse to admit the "
                                        "person for having withdrawn their consent (Article 6(2)(a))"}


def discontinuation_ground_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The grounds as a form lists them: the one the state *must* discontinue on, then those it *may*."""
    return [(f"{heading} ({RETENTION_BASIS.instrument}, Article 9(11), {SUBPARAGRAPH[mandatory]})",
             [(g.code, g.label()) for g in DISCONTINUATION_GROUNDS.values() if g.mandatory is mandatory])
            for mandatory, heading in ((True, "Must be discontinued"), (False, "May be discontinued"))]


def data_retention(ground: str | None, discontinued_on: date | None) -> dict[str, Any] | None:
    """What Art 9(12) has the state do with the person's data once it discontinued the procedure:
    keep them ``discontinuation.consent_data_retention`` (three years) from the day when the person
    withdrew their consent (``keep_until``: the period's last day), erase them on the day on a
    ground of the second subparagraph (``erase_on``)."""
    if ground not in DISCONTINUATION_GROUNDS or discontinued_on is None:
        return None
    basis = f"{RETENTION_BASIS.cite()}, third subparagraph"
    if DISCONTINUATION_GROUNDS[ground].mandatory:
        p = param("resettlement.discontinuation.consent_data_retention", on=discontinued_on)
        # a storage period runs out by itself: its last day is not moved to a working day
        until = add_period(discontinued_on, int(p.value), str(p.unit), "BE", extend=False)
        assert isinstance(until, date)
        return {"keep_until": until, "erase_on": None, "basis": basis,
                "words": f"kept for {length_words(p.value, p.unit)} from the discontinuation, until "
                         f"{until.isoformat()}"}
    return {"keep_until": None, "erase_on": discontinued_on, "basis": basis,
            "words": f"erased on the day of the discontinuation ({discontinued_on.isoformat()})"}


def retention_words(ground: str, on: date) -> str:
    """The data rule of a ground in words (without a date), with the law tree's period on ``on``."""
    if DISCONTINUATION_GROUNDS[ground].mandatory:
        try:
            p = param("resettlement.discontinuation.consent_data_retention", on=on)
        except NotInForce:
            return "kept for the period of the Regulation"
        return f"kept for {length_words(p.value, p.unit)} from the discontinuation ({RETENTION_BASIS.cite()})"
    return f"erased on the day of the discontinuation ({RETENTION_BASIS.cite()})"


# --- Art 9(14)-(22): after a positive conclusion ---------------------------------------------------


@dataclass(frozen=True)
class Status:
    """A status (or residence permit) a Member State grants after a positive conclusion: its words,
    its basis by category (the paragraph of Art 9 that provides it for that category of admission),
    and what the decision's effect is."""

    code: str
    words: str
    #: category -> the paragraph of Art 9 granting it (a category absent: not granted on it)
    basis: Mapping[str, str]
    effect: str

    def cite(self, category: str) -> str | None:
        """``Regulation (EU) 2024/1350, Article 9(15)``; an emergency admission, through resettlement
        or humanitarian admission (Art 2(4)), may cite two paragraphs: ``Article 9(15) or (17)``."""
        par = self.basis.get(category)
        if not par:
            return None
        first, *rest = par.split("/")
        return LegalRef.of("resettlement", "9", first).cite() + "".join(f" or ({p})" for p in rest)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "words": self.words, "effect": self.effect,
                "basis": {c: self.cite(c) for c in CATEGORIES if c in self.basis},
                "categories": [c for c in CATEGORIES if c in self.basis]}


_RESETTLEMENT_EFFECT = ("the same effects as the decision granting it under Article 13 or 18 of Regulation (EU) "
                        "2024/1347 once the person has entered (Article 9(15), second subparagraph)")
#: The statuses, in the order of Art 9(15) to (18). Emergency admission is admission through
#: resettlement or humanitarian admission (Art 2(4)): Pactum does not record which, so every status
#: is open to it (our reading).
STATUSES: dict[str, Status] = {s.code: s for s in (
    Status("refugee_status", "refugee status",
           {"resettlement": "15", "humanitarian_admission": "17", "emergency_admission": "15/17"},
           _RESETTLEMENT_EFFECT),
    Status("subsidiary_protection", "subsidiary protection status",
           {"resettlement": "15", "humanitarian_admission": "17", "emergency_admission": "15/17"},
           _RESETTLEMENT_EFFECT),
    Status("national_humanitarian_status", "a humanitarian status under national law with rights and obligations "
           "equivalent to those of Articles 20 to 26 and 28 to 35 of Regulation (EU) 2024/1347 for beneficiaries of "
           "subsidiary protection (without prejudice to the right to apply for international protection)",
           {"humanitarian_admission": "17", "emergency_admission": "17"},
           "takes effect once the person has entered the Member State (Article 9(17), second subparagraph)"),
    Status("family_member_residence_permit", "a residence permit for a family member (Article 5(4)) who does not "
           "qualify for international protection (or the national humanitarian status) in their own right",
           {"resettlement": "16", "humanitarian_admission": "18", "emergency_admission": "16/18"},
           "the same effects as a residence permit under Article 23(1) of Regulation (EU) 2024/1347 once the "
           "person has entered (Article 9(16), (18), second subparagraph)"),
)}
POSITIVE_CONCLUSION_BASIS = LegalRef.of("resettlement", "9", "14")
TRANSFER_BASIS = LegalRef.of("resettlement", "9", "20")
#: Pactum's choice: a transfer is "due soon" in the last days of the twelve months.
TRANSFER_DUE_SOON_DAYS = 60
UNHCR_BASIS = {DISCONTINUED: f"{LegalRef.of('resettlement', '9', '11').cite()}, third subparagraph",
               "refused": f"{LegalRef.of('resettlement', '9', '13').cite()}, second subparagraph"}
UNHCR_INFORMED = {
    "informed": "the reason was communicated to UNHCR",
    "not_necessary": "not communicated: UNHCR does not need it for its referrals",
    "public_interest": "not communicated: compelling reasons of public interest to the contrary",
}


def status_label(code: str, category: str) -> str:
    s = STATUSES[code]
    cite = s.cite(category)
    words = s.words[:1].upper() + s.words[1:]
    return f"{words} ({cite.removeprefix('Regulation (EU) 2024/1350, ')})" if cite else words


@dataclass(frozen=True)
class TransferClock:
    #: "no_limit" (a pledging exercise), "awaiting" (within the twelve months), "due_soon" (in their
    #: last TRANSFER_DUE_SOON_DAYS days), "overdue" (past them, not arrived), "arrived_in_time",
    #: "arrived_late", "none" (no positive conclusion standing)
    status: str
    due_by: date | None
    basis: str | None
    rapid: bool = False  # emergency admission: the rapid transfer of Art 9(20), second subparagraph

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "due_by": self.due_by, "basis": self.basis, "rapid": self.rapid}


def transfer_limit(on: date) -> dict[str, Any] | None:
    """The time for the entry after a positive conclusion (Art 9(20)) on ``on``, for the pages."""
    try:
        limit = param("resettlement.transfer.max", on=on)
    except NotInForce:
        return None
    return {"limit": length_words(limit.value, limit.unit), "basis": limit.cite(),
            "due_soon_days": TRANSFER_DUE_SOON_DAYS}


def transfer_clock(kind: str, category: str, decision: str | None, decided_on: date | None,
                   arrived_on: date | None, member_state: str, today: date) -> TransferClock:
    """Art 9(20): the state makes every effort to ensure the entry of a person it concluded
    positively on as soon as possible and within twelve months (``transfer.max``) from the day of the
    conclusion; an emergency admission is transferred rapidly (no number of its own: the twelve months
    are its outer bound, our reading). The text provides no extension. Reg. 1182/71 arithmetic."""
    if decision != "admitted" or decided_on is None:
        return TransferClock("none", None, None)
    if kind != "union_plan":
        return TransferClock("no_limit", None, None)
    try:
        limit = param("resettlement.transfer.max", on=decided_on)
    except NotInForce:
        return TransferClock("no_limit", None, None)
    due = add_period(decided_on, int(limit.value), str(limit.unit), member_state)
    assert isinstance(due, date)
    rapid = category == "emergency_admission"
    basis = f"{limit.cite()}, from the positive conclusion" + (
        "; emergency admission: rapid transfer (second subparagraph)" if rapid else "")
    if arrived_on is not None:
        return TransferClock("arrived_in_time" if arrived_on <= due else "arrived_late", due, basis, rapid)
    if today > due:
        return TransferClock("overdue", due, basis, rapid)
    return TransferClock("due_soon" if (due - today).days <= TRANSFER_DUE_SOON_DAYS else "awaiting", due, basis, rapid)


# --- Art 9(24): the transmission to Eurodac (Regulation (EU) 2024/1358, Art 18(2)) --------------------

EURODAC_APPLIES_BY = LegalRef.of("resettlement", "9", "24")
#: The statuses Art 18(2)(a) of Regulation (EU) 2024/1358 names ("la protezione internazionale o uno
#: status umanitario ai sensi del diritto nazionale"): a family member's residence permit (Art 9(16),
#: (18)) is neither, so it sets no time limit of its own (our reading).
EURODAC_STATUSES = frozenset({"refugee_status", "subsidiary_protection", "national_humanitarian_status"})
#: The decisions of Art 18(2), first subparagraph, of Regulation (EU) 2024/1358, by point, in words.
EURODAC_TRIGGERS: dict[str, tuple[str, str]] = {
    "status_granted": ("a", "the decision to grant international protection or a humanitarian status under "
                            "national law"),
    "refused_art_6_1_f": ("b", "the refusal of admission under Article 6(1)(f) of Regulation (EU) 2024/1350"),
    "consent_withdrawn": ("c", "the discontinuation of the procedure because the person did not give or withdrew "
                               "their consent (Article 7 of Regulation (EU) 2024/1350)"),
}
EURODAC_DATA = ("the biometric data (fingerprints, facial image) with the data of Regulation (EU) 2024/1358, "
                "Article 19(1), points (c) to (q)")
#: Pactum records days: the 72 hours end at the latest on the third day after the decision's day.
EURODAC_DAYS_FOR_72_HOURS = 3


@dataclass(frozen=True)
class EurodacClock:
    #: "none" (no decision of Art 18(2) on the case, or a pledging exercise), "not_applicable" (the
    #: decision is before 12 June 2026, when Art 9(24) began to apply), "under_six" (no biometric
    #: data: the person is under six), "due" (within the 72 hours), "overdue" (past them, not
    #: transmitted), "transmitted_in_time", "transmitted_late"
    status: str
    trigger: str | None = None
    decision_on: date | None = None
    due_by: date | None = None
    transmitted_on: date | None = None
    basis: str | None = None
    #: the last day Eurodac stores the data transmitted (Regulation (EU) 2024/1358, Art 29(3), (4))
    kept_until: date | None = None
    retention_basis: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "trigger": self.trigger, "kept_until": self.kept_until,
                "retention_basis": self.retention_basis,
                "trigger_words": EURODAC_TRIGGERS[self.trigger][1] if self.trigger else None,
                "decision_on": self.decision_on, "due_by": self.due_by, "transmitted_on": self.transmitted_on,
                "basis": self.basis, "applies_by": EURODAC_APPLIES_BY.cite() if self.trigger else None,
                "data": EURODAC_DATA if self.trigger else None}


def eurodac_trigger(decision: str | None, decided_on: date | None, refusal_ground: str | None,
                    discontinuation_ground: str | None, status_granted: str | None,
                    status_decided_on: date | None) -> tuple[str, date] | None:
    """The decision of Art 18(2), first subparagraph, of Regulation (EU) 2024/1358 the case stands on
    and its day: a status granted (point (a)), a refusal under Art 6(1)(f) (point (b)), a
    discontinuation for consent not given or withdrawn (point (c)); ``None`` for any other case. A
    procedure discontinued after its positive conclusion (consent withdrawn before the entry) stands
    on the discontinuation: the status decided before it never took effect (our reading)."""
    if decision == DISCONTINUED:
        ok = discontinuation_ground == "consent_withdrawn" and decided_on is not None
        return ("consent_withdrawn", decided_on) if ok and decided_on else None
    if decision == "refused":
        ok = refusal_ground == "refused_by_a_member_state"
        return ("refused_art_6_1_f", decided_on) if ok and decided_on else None
    if decision == "admitted" and status_granted in EURODAC_STATUSES and status_decided_on is not None:
        return ("status_granted", status_decided_on)
    return None


def _eurodac_basis(trigger: str, limit: Param) -> str:
    return f"{limit.cite()}, first subparagraph, point ({EURODAC_TRIGGERS[trigger][0]}), and second subparagraph"


def eurodac_retention(trigger: str, transmitted_on: date, member_state: str) -> tuple[date, str] | None:
    """Regulation (EU) 2024/1358, Art 29(3) and (4): the data recorded under Art 18(2)(a) are stored
    five years, those under Art 18(2)(b) and (c) three years, from the day they were transmitted
    (``eurodac.retention.union_resettlement_a`` / ``_bc``); a storage maximum's last day is not moved
    to a working day (Reg. 1182/71, as the registry counts it)."""
    variant = "union_resettlement_a" if trigger == "status_granted" else "union_resettlement_bc"
    try:
        limit = param(f"eurodac.retention.{variant}", on=transmitted_on)
    except NotInForce:
        return None
    end = add_period(transmitted_on, int(limit.value), str(limit.unit), member_state, extend=False)
    assert isinstance(end, date)
    return end, f"{limit.cite()}, from the transmission"


def eurodac_clock(kind: str, trigger: tuple[str, date] | None, transmitted_on: date | None,
                  under_six: bool | None, today: date, member_state: str | None = None) -> EurodacClock:
    """Art 9(24) of Regulation (EU) 2024/1350 and Art 18(2) of Regulation (EU) 2024/1358: the data of
    a person of at least six are transmitted to Eurodac as soon as possible and within 72 hours
    (``eurodac.transmission``) of the decision; shown as due by the third day after the decision's
    day (Pactum records days). Missing the time limit does not relieve the state of the transmission
    (Art 18(3)): an overdue case stays overdue until a transmission is recorded."""
    if kind != "union_plan" or trigger is None:
        return EurodacClock("none")
    code, on = trigger
    try:
        limit = param("resettlement.eurodac.transmission", on=on)
    except NotInForce:
        return EurodacClock("not_applicable", code, on)
    basis = _eurodac_basis(code, limit)
    due = on + timedelta(days=EURODAC_DAYS_FOR_72_HOURS)
    if under_six:
        return EurodacClock("under_six", code, on, None, None, basis)
    if transmitted_on is not None:
        kept = eurodac_retention(code, transmitted_on, member_state) if member_state else None
        return EurodacClock("transmitted_in_time" if transmitted_on <= due else "transmitted_late", code, on, due,
                            transmitted_on, basis, *(kept or (None, None)))
    return EurodacClock("overdue" if today > due else "due", code, on, due, None, basis)


def eurodac_limit(on: date) -> dict[str, Any] | None:
    """The Eurodac transmission's time limit in force on ``on``, for the pages."""
    try:
        limit = param("resettlement.eurodac.transmission", on=on)
    except NotInForce:
        return None
    return {"limit": length_words(limit.value, limit.unit), "basis": f"{limit.cite()}, second subparagraph",
            "applies_by": EURODAC_APPLIES_BY.cite(), "data": EURODAC_DATA}


def _check_eurodac(problems: Problems, case: CaseFacts, plan: PlanFacts) -> None:
    """The transmission to Eurodac recorded (the day, or that the person is under six) stands on a
    decision of Art 18(2) of Regulation (EU) 2024/1358 under a Union Plan, taken on or after 12 June
    2026, and is not before that decision."""
    sent, six = case.eurodac_transmitted_on, case.eurodac_under_six
    if sent is None and not six:
        return
    name = "eurodac_transmitted_on" if sent is not None else "eurodac_under_six"
    trigger = eurodac_trigger(case.decision, case.decided_on, case.refusal_ground, case.discontinuation_ground,
                              case.status_granted, case.status_decided_on)
    if plan.kind != "union_plan":
        problems.append((name, f"{plan.key} is a pledging exercise run under national programmes: Regulation (EU) "
                               "2024/1358, Article 18(2) concerns persons registered for an admission procedure "
                               "under the Union Framework"))
        return
    if trigger is None and sent is None and case.registered_on is not None:
        return  # under six from the registration: no data for Article 18(1) either (our reading)
    if trigger is None:
        problems.append((name, "no transmission to Eurodac is due under Regulation (EU) 2024/1358, Article 18(2): "
                               "it follows a decision to grant international protection or a national humanitarian "
                               "status (point (a)), a refusal under Article 6(1)(f) of Regulation (EU) 2024/1350 "
                               "(point (b)) or a discontinuation for consent not given or withdrawn (point (c)); "
                               "record that decision first"))
        return
    code, on = trigger
    try:
        param("resettlement.eurodac.transmission", on=on)
    except NotInForce:
        problems.append((name, f"{EURODAC_TRIGGERS[code][1][:1].upper()}{EURODAC_TRIGGERS[code][1][1:]} was taken "
                               f"on {on.isoformat()}, before 12 June 2026, from which {EURODAC_APPLIES_BY.cite()} "
                               "applies (Article 16(2)): no transmission under it is recorded"))
        return
    if sent is not None and six:
        problems.append(("eurodac_under_six", "the biometric data of a person under six are not taken (Regulation "
                                              "(EU) 2024/1358, Article 18(2), first subparagraph: \"at least six "
                                              "years of age\"): give the transmission or that the person is under "
                                              "six, not both"))
    elif sent is not None and sent < on:
        problems.append(("eurodac_transmitted_on", f"{sent.isoformat()} is before the decision it transmits "
                                                   f"({on.isoformat()}: {EURODAC_TRIGGERS[code][1]})"))


#: The data of Art 18(1) of Regulation (EU) 2024/1358, in words: what is transmitted, for what.
EURODAC_COMPARISON_CATEGORY = "admission_procedure"
EURODAC_COMPARISON_WORDS = ("a person of at least six registered for an admission procedure under the Union "
                            "Framework, before the conclusion on the admission")
EURODAC_COMPARISON_DATA = ("the biometric data (fingerprints, facial image), transmitted for comparison only: Eurodac "
                           "compares them with the data of beneficiaries of international protection (Article 15, "
                           "marked under Article 31), of Article 18(2) and of Article 20 (Article 27(2)) and does not "
                           "record them")


@dataclass(frozen=True)
class EurodacComparisonClock:
    """The transmission of Art 18(1) of Regulation (EU) 2024/1358: the biometric data of a person of
    at least six registered for an admission procedure under the Union Framework, transmitted "as
    soon as possible after the registration ... and at the latest before reaching the conclusion on
    the admission" (Art 9(3) and 9(9) of Regulation (EU) 2024/1350).

    ``status``: "none" (a pledging exercise), "awaiting_registration" (no registration recorded: the
    obligation runs from it), "not_applicable" (concluded before 12 June 2026, when the Eurodac
    Regulation and Art 9(24) began to apply), "under_six", "not_needed" (a negative conclusion
    reached without a comparison, the exception of Art 18(1), second sentence), "due" (registered,
    not concluded, not transmitted), "overdue" (concluded without a transmission: Art 18(3), the
    state is not relieved of it), "ended" (withdrawn or discontinued before any conclusion, without
    a transmission: no conclusion was reached, so none was late), "transmitted_in_time" (on or
    before the day of the conclusion, or before any), "transmitted_late" (after the conclusion)."""

    status: str
    registered_on: date | None = None
    due_by_conclusion: date | None = None
    transmitted_on: date | None = None
    basis: str | None = None
    retention: str | None = None

    def to_dict(self) -> dict[str, Any]:
        active = self.status != "none"
        return {"status": self.status, "category": EURODAC_COMPARISON_CATEGORY if active else None,
                "category_words": EURODAC_COMPARISON_WORDS if active else None,
                "registered_on": self.registered_on, "conclusion_on": self.due_by_conclusion,
                "transmitted_on": self.transmitted_on, "basis": self.basis,
                "data": EURODAC_COMPARISON_DATA if active else None, "kept_until": None,
                "retention": self.retention,
                "transmitted_by": "the state's caseworkers (who write its registry records)" if active else None}


def eurodac_comparison_retention(on: date) -> str | None:
    """What Eurodac keeps of the data of Art 18(1): nothing (Art 29(2): "non sono registrati
    nell'Eurodac"), from ``eurodac.retention.admission_procedure`` (0 days); None before it applies."""
    try:
        limit = param("eurodac.retention.admission_procedure", on=on)
    except NotInForce:
        return None
    if int(limit.value) == 0:
        return f"not recorded in Eurodac ({limit.cite()}): compared, then not stored"
    return f"{length_words(limit.value, limit.unit)} ({limit.cite()})"


def eurodac_comparison_clock(kind: str, case: CaseFacts, today: date) -> EurodacComparisonClock:
    """The transmission for comparison of Art 18(1) of Regulation (EU) 2024/1358 on the case (see
    :class:`EurodacComparisonClock`). The conclusion is the decision admitted or refused
    (``decided_on``; a procedure discontinued after its positive conclusion keeps that day,
    ``concluded_on``). **Our reading**: Pactum records days, so a transmission on the day of the
    conclusion is in time ("before reaching the conclusion"); the obligation applies to a procedure
    not concluded before 12 June 2026 (``resettlement.eurodac.transmission`` in force on the day of the
    conclusion, or today); the age is the officer's statement (``eurodac_under_six``) or the
    registry's, as for Art 18(2)."""
    if kind != "union_plan":
        return EurodacComparisonClock("none")
    concluded = (case.decided_on if case.decision in ("admitted", "refused")
                 else case.concluded_on if case.decision == DISCONTINUED else None)
    on = concluded or today
    try:
        limit = param("resettlement.eurodac.comparison", on=on)
    except NotInForce:
        return EurodacComparisonClock("not_applicable", case.registered_on, concluded)
    basis = limit.cite()
    retention = eurodac_comparison_retention(on)
    if case.registered_on is None and case.eurodac_compared_on is None:
        return EurodacComparisonClock("awaiting_registration", None, concluded, None, basis, retention)
    if case.eurodac_under_six:
        return EurodacComparisonClock("under_six", case.registered_on, concluded, None, basis, retention)
    if case.eurodac_compared_on is not None:
        late = concluded is not None and case.eurodac_compared_on > concluded
        return EurodacComparisonClock("transmitted_late" if late else "transmitted_in_time", case.registered_on,
                                      concluded, case.eurodac_compared_on, basis, retention)
    if case.eurodac_comparison_not_needed:
        return EurodacComparisonClock("not_needed", case.registered_on, concluded, None, basis, retention)
    if concluded is not None:
        return EurodacComparisonClock("overdue", case.registered_on, concluded, None, basis, retention)
    if case.decision in (WITHDRAWN, DISCONTINUED):
        return EurodacComparisonClock("ended", case.registered_on, None, None, basis, retention)
    return EurodacComparisonClock("due", case.registered_on, None, None, basis, retention)


def _comparison_in_force(on: date) -> bool:
    try:
        param("resettlement.eurodac.comparison", on=on)
    except NotInForce:
        return False
    return True


def _check_eurodac_comparison(problems: Problems, case: CaseFacts, plan: PlanFacts) -> None:
    """The transmission for comparison of Art 18(1) recorded (its day, or that a negative
    conclusion needed no comparison) stands on a registration under a Union Plan, is not before the
    registration, and the exception goes with a refusal only."""
    sent, waived = case.eurodac_compared_on, case.eurodac_comparison_not_needed
    if sent is None and not waived:
        return
    name = "eurodac_compared_on" if sent is not None else "eurodac_comparison_not_needed"
    if plan.kind != "union_plan":
        problems.append((name, f"{plan.key} is a pledging exercise run under national programmes: Regulation (EU) "
                               "2024/1358, Article 18(1) concerns persons registered for an admission procedure "
                               "under the Union Framework"))
        return
    if case.registered_on is None:
        problems.append((name, "the person's registration (Regulation (EU) 2024/1350, Article 9(3)) is not recorded: "
                               "the biometric data are transmitted after it (Regulation (EU) 2024/1358, Article "
                               "18(1)); record the registration first"))
        return
    if sent is not None and waived:
        problems.append(("eurodac_comparison_not_needed", "give the day the biometric data were transmitted for "
                                                          "comparison or that no comparison was needed, not both"))
    elif sent is not None and not _comparison_in_force(sent):
        problems.append(("eurodac_compared_on", f"{sent.isoformat()} is before 12 June 2026, from which Regulation "
                                                "(EU) 2024/1358, Article 18(1) applies"))
    elif sent is not None and sent < case.registered_on:
        problems.append(("eurodac_compared_on", f"{sent.isoformat()} is before the registration "
                                                f"({case.registered_on.isoformat()}): Regulation (EU) 2024/1358, "
                                                "Article 18(1) transmits the data after it"))
    elif waived and case.decision != "refused":
        problems.append(("eurodac_comparison_not_needed", "the exception of Regulation (EU) 2024/1358, Article 18(1), "
                                                          "second sentence, is for a negative conclusion reached "
                                                          "without a comparison: record the refusal first"))
    if sent is not None and case.eurodac_under_six:
        problems.append(("eurodac_under_six", "the biometric data of a person under six are not taken (Regulation "
                                              "(EU) 2024/1358, Article 18(1): \"di età non inferiore a sei anni\"): "
                                              "give the transmission for comparison or that the person is under "
                                              "six, not both"))


#: The longest pledging exercise Pactum records (Pactum's choice): the exercises before the
#: Regulation ran one calendar year (2020 to 2023) or, the last one, two (2024-2025).
PLEDGING_EXERCISE_MAX_YEARS = 2


def plan_key(first_year: int, last_year: int) -> str:
    return f"{first_year}-{last_year}"


@dataclass(frozen=True)
class PlanFacts:
    key: str
    kind: str
    first_year: int
    last_year: int
    total_places: int
    split: Mapping[str, int | None]
    first_asylum_countries: tuple[str, ...] = ()
    status: str = "open"

    @property
    def starts_on(self) -> date:
        return date(self.first_year, 1, 1)

    @property
    def ends_on(self) -> date:
        return date(self.last_year, 12, 31)

    @property
    def places(self) -> dict[str, int | None]:
        """The places of each category as the plan's figures imply them (:func:`implied_places`)."""
        return implied_places(self.total_places, self.split)


def implied_places(total: int, split: Mapping[str, int | None]) -> dict[str, int | None]:
    """Each category's places as the plan's figures fix them (Art. 8: the total is split into the
    three categories). A category the plan gives a figure for has that figure; the categories
    without one share what the others leave of the total: a single one has all of it, and when the
    figures given make up the whole total each has none (0). Two or three without a figure that
    share a remainder have no figure of their own (None)."""
    given = {c: split.get(c) for c in CATEGORIES if split.get(c) is not None}
    blank = [c for c in CATEGORIES if c not in given]
    left = max(0, total - sum(v for v in given.values() if v is not None))
    out: dict[str, int | None] = {c: split.get(c) for c in CATEGORIES}
    if blank and given and (len(blank) == 1 or left == 0):
        for c in blank:
            out[c] = left
    return out


def shared_remainder(total: int, split: Mapping[str, int | None]) -> tuple[tuple[str, ...], int]:
    """The categories with no figure of their own even as implied (:func:`implied_places`), and
    the places they share: what the categories with a figure leave of the total."""
    places = implied_places(total, split)
    shared = tuple(c for c in CATEGORIES if places[c] is None)
    return shared, max(0, total - sum(v for v in places.values() if v is not None))


def _n(n: int) -> str:
    return f"{n:,}"


def _label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category).lower()


def _where(first_asylum: CountryKey) -> str:
    return f"from {first_asylum}" if first_asylum else "without a country of first asylum"


# --- Art. 8: the plan ----------------------------------------------------------------------------


def union_plan_years(on: date) -> Param:
    return param("resettlement.union_plan_years", on=on)


def check_plan(data: PlanIn, today: date) -> Problems:
    """What is wrong with a plan as the Commission records it (Art. 8)."""
    problems: Problems = []
    if data.last_year < data.first_year:
        problems.append(("last_year", f"{data.last_year} is before the first year {data.first_year}"))
    if data.kind == "union_plan":
        start = date(data.first_year, 1, 1)
        try:
            applies: Param | None = param("resettlement.applies_from", on=start)
        except NotInForce:
            applies = None
        if applies is None or start <= applies.value:
            since = f" ({applies.value.isoformat()}; {applies.cite()})" if applies is not None else ""
            problems.append(("first_year", f"a Union Plan covers a period after the Regulation applies{since}: "
                                           "record an earlier plan as a pledging exercise"))
        else:
            years = union_plan_years(start)
            if data.last_year - data.first_year + 1 != years.value:
                problems.append(("last_year", f"a Union Plan runs {years.value} years ({years.cite()}): "
                                              f"{data.first_year}-{data.first_year + years.value - 1}"))
    else:
        problems += _check_exercise_years(data.first_year, data.last_year)
        if data.council_act_reference or data.council_act_date:
            field_ = "council_act_reference" if data.council_act_reference else "council_act_date"
            problems.append((field_, "a pledging exercise has no Council implementing act (only a Union Plan, "
                                     f"{UNION_PLAN_BASIS})"))
    if data.kind == "union_plan":
        if data.council_act_reference and not data.council_act_date:
            problems.append(("council_act_date", "give the date of the Council implementing act"))
        if data.council_act_date and not data.council_act_reference:
            problems.append(("council_act_reference", "give the reference of the Council implementing act"))
    if data.council_act_date and data.council_act_date > today:
        problems.append(("council_act_date", f"{data.council_act_date.isoformat()} is after today "
                                             f"({today.isoformat()})"))
    split = {c: getattr(data, c) for c in CATEGORIES}
    given = {c: v for c, v in split.items() if v is not None}
    if sum(given.values()) > data.total_places:
        problems.append(("total_places", f"the categories add up to {_n(sum(given.values()))}, more than the "
                                         f"total of {_n(data.total_places)}"))
    elif len(given) == len(CATEGORIES) and sum(given.values()) != data.total_places:
        problems.append(("total_places", f"the three categories add up to {_n(sum(given.values()))}, not "
                                         f"the total of {_n(data.total_places)}"))
    return problems


def resettlement_share(kind: str, first_year: int, total_places: int, resettlement: int | None,
                       pledged: Mapping[str, int]) -> dict[str, Any] | None:
    """Art 8(3)(a): under a Union Plan the share of persons to be resettled is not less than around
    ``union_plan_resettlement_share`` (60 %) of the total. The share of the plan's own figures
    (when it gives the resettlement figure) and of the places the states pledged (``pledged``: by
    category), each in percent to one decimal, and whether it is below the share: information for
    the reader ("around"), not a refusal. ``None`` for a pledging exercise."""
    if kind != "union_plan":
        return None
    try:
        share = param("resettlement.union_plan_resettlement_share", on=date(first_year, 1, 1))
    except NotInForce:
        return None
    minimum = float(share.value)

    def percent(part: int, whole: int) -> float | None:
        return round(part * 100 / whole, 1) if whole else None

    plan_pct = percent(resettlement, total_places) if resettlement is not None else None
    pledged_total = sum(pledged.values())
    pledged_pct = percent(pledged.get("resettlement", 0), pledged_total)
    return {"minimum_percent": minimum, "basis": share.cite(),
            "plan_percent": plan_pct,
            "plan_below": None if resettlement is None or not total_places
            else resettlement * 100 < minimum * total_places,
            "pledged_percent": pledged_pct,
            "pledged_below": None if not pledged_total
            else pledged.get("resettlement", 0) * 100 < minimum * pledged_total}


def _check_exercise_years(first_year: int, last_year: int) -> Problems:
    """A pledging exercise is one of the voluntary exercises *before* the Regulation: it begins
    before the Regulation applies (from then on the Union Plans take over, Art. 8) and runs
    at most :data:`PLEDGING_EXERCISE_MAX_YEARS` years."""
    problems: Problems = []
    start = date(first_year, 1, 1)
    try:
        applies: Param | None = param("resettlement.applies_from", on=start)
    except NotInForce:  # the Regulation did not apply yet on the exercise's first day
        applies = None
    if applies is not None and start > applies.value:
        problems.append(("first_year", f"a pledging exercise is one before the Regulation applied "
                                       f"({applies.value.isoformat()}; {applies.cite()}): from {first_year} "
                                       "places are pledged under a Union Plan (kind union_plan)"))
    span = last_year - first_year + 1
    if span > PLEDGING_EXERCISE_MAX_YEARS:
        problems.append(("last_year", f"{first_year}-{last_year} is {span} years: a pledging exercise ran one "
                                      f"or {PLEDGING_EXERCISE_MAX_YEARS} calendar years (the annual exercises to "
                                      "2023, then 2024-2025)"))
    return problems


def check_amendment(plan: PlanFacts, pledged: Mapping[str, Counts]) -> Problems:
    """A plan's figures as the Commission amends them (``plan``: the plan as it would stand)
    against the pledges recorded under it (state -> its pledge's counts): no category nor the
    total below what the states have pledged, no country of first asylum dropped that a pledge's
    resettlement or humanitarian admission line names (an emergency admission line's country need
    not be targeted, Art. 8(5)). Each problem names the field to change and the states whose pledges stand in
    the way."""
    problems: Problems = []
    by_state = {ms: by_category(c) for ms, c in pledged.items()}
    cats: Counter[str] = Counter()
    for mine in by_state.values():
        cats.update(mine)

    def who(category: str | None) -> str:
        parts = sorted(((ms, (mine[category] if category else sum(mine.values()))) for ms, mine in by_state.items()),
                       key=lambda x: (-x[1], x[0]))
        return ", ".join(f"{ms} {_n(n)}" for ms, n in parts if n)

    places = plan.places
    for category in CATEGORIES:
        cap = places[category]
        if cap is not None and cats[category] > cap:
            given = plan.split.get(category) is not None
            why = (f"the plan would have {_n(cap)}" if given else
                   f"the figures given for the other categories would leave it {_n(cap)} of the total of "
                   f"{_n(plan.total_places)}")
            problems.append((category, f"{_label(category)}: the states have pledged {_n(cats[category])} places "
                                       f"({who(category)}); {why}: a plan cannot have fewer places than pledged "
                                       "(the states lower their pledges first)"))
    shared, left = shared_remainder(plan.total_places, plan.split)
    if shared and len(shared) < len(CATEGORIES) and sum(cats[c] for c in shared) > left:
        names = " and ".join(_label(c) for c in shared)
        problems.append((shared[0], f"{names}: the states have pledged {_n(sum(cats[c] for c in shared))} places; "
                                    f"the other categories would leave them {_n(left)} of the total"))
    total = sum(cats.values())
    if total > plan.total_places:
        problems.append(("total_places", f"the states have pledged {_n(total)} places ({who(None)}): the total "
                                         f"cannot be {_n(plan.total_places)}, fewer than pledged"))
    if plan.first_asylum_countries:
        named = sorted({where for c in pledged.values() for (category, where) in c
                        if where is not None and where not in plan.first_asylum_countries
                        and category not in ANY_COUNTRY_CATEGORIES})
        if named:
            problems.append(("first_asylum_countries", f"pledges name {', '.join(named)}, which the list would "
                                                       "no longer target: keep them in the list"))
    return problems


# --- pledges ---------------------------------------------------------------------------------------


def lines_counts(lines: Iterable[Mapping[str, Any]]) -> Counter[tuple[str, CountryKey]]:
    out: Counter[tuple[str, CountryKey]] = Counter()
    for line in lines:
        out[(line["category"], line.get("first_asylum"))] += int(line["places"])
    return out


def by_category(counts: Counts) -> Counter[str]:
    out: Counter[str] = Counter()
    for (category, _), n in counts.items():
        out[category] += n
    return out


def room(pledged: Counts, admitted: Counts, category: str, first_asylum: str) -> int:
    """Places still free for one more person of ``category`` from ``first_asylum``: the line for
    that country, then the places pledged without a country that the other countries' persons
    beyond their own lines have not taken."""
    general = pledged.get((category, None), 0)
    overflow = 0
    for (cat, where), n in admitted.items():
        if cat != category or where == first_asylum or where is None:
            continue
        overflow += max(0, n - pledged.get((cat, where), 0))
    overflow += admitted.get((category, None), 0)
    free_general = max(0, general - overflow)
    own = pledged.get((category, first_asylum), 0)
    mine = admitted.get((category, first_asylum), 0)
    return max(0, own - mine) + max(0, free_general - max(0, mine - own))


def check_pledge(plan: PlanFacts, state: str, pledged: Counts, others: Counter[str], admitted: Counts) -> Problems:
    """A state's pledge under ``plan`` (replacing its previous one): countries the plan targets
    (but for emergency admission, which Art 8(5) applies irrespective of them),
    room left in the plan by category and in total (the other states' pledges are ``others``),
    and places for every person the state has already admitted under the plan."""
    problems: Problems = []
    if plan.first_asylum_countries:
        for (category, where) in pledged:
            if (where is not None and where not in plan.first_asylum_countries
                    and category not in ANY_COUNTRY_CATEGORIES):
                problems.append(("lines", f"the plan {plan.key} targets {', '.join(plan.first_asylum_countries)}; "
                                          f"{where} is not one of them"))
    mine = by_category(pledged)
    places = plan.places
    for category in CATEGORIES:
        cap = places[category]
        if cap is not None and others[category] + mine[category] > cap:
            if plan.split.get(category) is None:
                has = (f"no {_label(category)} place: its other categories make up the whole total of "
                       f"{_n(plan.total_places)}" if cap == 0 else
                       f"{_n(cap)} {_label(category)} places, what its other categories leave of the total")
                problems.append(("lines", f"{_label(category)}: the plan {plan.key} has {has}; "
                                          f"{_n(others[category])} pledged by other states, {_n(mine[category])} "
                                          f"more would exceed it (at most {_n(max(0, cap - others[category]))})"))
                continue
            problems.append(("lines", f"{_label(category)}: the plan {plan.key} has {_n(cap)} places, "
                                      f"{_n(others[category])} pledged by other states; {_n(mine[category])} "
                                      f"more would exceed it (at most {_n(max(0, cap - others[category]))})"))
    shared, left = shared_remainder(plan.total_places, plan.split)
    if shared and len(shared) < len(CATEGORIES):
        theirs, ours = sum(others[c] for c in shared), sum(mine[c] for c in shared)
        if theirs + ours > left:
            names = " and ".join(_label(c) for c in shared)
            problems.append(("lines", f"{names}: the plan {plan.key} leaves them {_n(left)} places together, "
                                      f"{_n(theirs)} pledged by other states; {_n(ours)} more would exceed it "
                                      f"(at most {_n(max(0, left - theirs))})"))
    total_others = sum(others.values())
    if total_others + sum(mine.values()) > plan.total_places:
        problems.append(("lines", f"the plan {plan.key} has {_n(plan.total_places)} places, {_n(total_others)} "
                                  f"pledged by other states; {_n(sum(mine.values()))} more would exceed it "
                                  f"(at most {_n(max(0, plan.total_places - total_others))})"))
    for category in CATEGORIES:
        general = pledged.get((category, None), 0)
        overflow = sum(max(0, n - pledged.get((cat, where), 0)) if where is not None else n
                       for (cat, where), n in admitted.items() if cat == category)
        if overflow > general:
            taken = sum(n for (cat, _), n in admitted.items() if cat == category)
            problems.append(("lines", f"{_label(category)}: {state} has admitted {_n(taken)} persons under "
                                      f"{plan.key}; the pledge must keep a place for each of them"))
    return problems


# --- an admission -------------------------------------------------------------------------------


@dataclass
class CaseFacts:
    referred_on: date
    registered_on: date | None = None
    decision: str | None = None
    decided_on: date | None = None
    refusal_ground: str | None = None
    refusal_reason: str | None = None
    arrived_on: date | None = None
    #: the day the state extended the ordinary procedure's time limit (Art 9(9), second sentence)
    #: and why (complex issues of fact or law)
    extended_on: date | None = None
    extension_reason: str | None = None
    #: the point of Art 9(11) the state discontinued the procedure on (``decision`` "discontinued")
    discontinuation_ground: str | None = None
    #: after a positive conclusion (Art 9(15)-(18)): the status granted and the day of its decision
    status_granted: str | None = None
    status_decided_on: date | None = None
    #: whether the reason of a discontinuation (Art 9(11)) or a refusal (Art 9(13)) was given to UNHCR
    unhcr_informed: str | None = None
    unhcr_informed_on: date | None = None
    #: the transmission to Eurodac after the decision (Regulation (EU) 2024/1358, Art 18(2); Regulation
    #: (EU) 2024/1350, Art 9(24)): its day, or that the person is under six (no biometric data)
    eurodac_transmitted_on: date | None = None
    eurodac_under_six: bool | None = None
    #: the transmission for comparison before the conclusion (Regulation (EU) 2024/1358, Art 18(1)):
    #: its day, or the officer's statement that a negative conclusion needed no comparison
    eurodac_compared_on: date | None = None
    eurodac_comparison_not_needed: bool | None = None
    #: a procedure discontinued after its positive conclusion (consent withdrawn before the entry):
    #: the day of that conclusion
    concluded_on: date | None = None
    procedure: str = "ordinary"
    category: str = "resettlement"
    #: the state handling the case: its public holidays move a time limit's last day (Reg. 1182/71)
    member_state: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _after_today(problems: Problems, name: str, value: date | None, today: date) -> None:
    if value is not None and value > today:
        problems.append((name, f"{value.isoformat()} is after today ({today.isoformat()})"))


def check_case(case: CaseFacts, plan: PlanFacts, today: date) -> Problems:
    """The dates and the decision of one person's admission under ``plan``."""
    problems: Problems = []
    for name in ("referred_on", "registered_on", "decided_on", "arrived_on", "extended_on", "status_decided_on",
                 "unhcr_informed_on", "eurodac_transmitted_on", "eurodac_compared_on"):
        _after_today(problems, name, getattr(case, name), today)
    _check_registration(problems, case)
    _check_extension(problems, case, plan)
    _check_status(problems, case, plan)
    _check_unhcr(problems, case, plan)
    _check_eurodac(problems, case, plan)
    _check_eurodac_comparison(problems, case, plan)
    if case.decision == WITHDRAWN:
        _check_withdrawn(problems, case)
        return problems
    if case.decision == DISCONTINUED:
        _check_discontinued(problems, case, plan)
        return problems
    if case.discontinuation_ground is not None:
        problems.append(("discontinuation_ground", "only for a procedure discontinued"))
    if case.concluded_on is not None:
        problems.append(("decision", "a positive conclusion is kept apart only for a procedure discontinued after it"))
    if case.decision is None and case.decided_on is not None:
        problems.append(("decision", "say whether the person was admitted or refused"))
    if case.decision is not None and case.decided_on is None:
        problems.append(("decided_on", "give the date of the decision"))
    if case.decided_on is not None and case.decided_on < case.referred_on:
        problems.append(("decided_on", f"{case.decided_on.isoformat()} is before the referral "
                                       f"({case.referred_on.isoformat()})"))
    if case.decision == "refused":
        _check_refusal(problems, case, plan)
    else:
        for name in ("refusal_ground", "refusal_reason"):
            if getattr(case, name) is not None:
                problems.append((name, "only for a refusal"))
    if case.decision == "admitted" and case.decided_on is not None and not (
            plan.starts_on <= case.decided_on <= plan.ends_on):
        problems.append(("decided_on", f"the plan {plan.key} runs from {plan.starts_on.isoformat()} to "
                                       f"{plan.ends_on.isoformat()}: an admission decided on "
                                       f"{case.decided_on.isoformat()} takes no place of it"))
    if case.arrived_on is not None:
        if case.decision != "admitted":
            problems.append(("arrived_on", "only a person admitted arrives under the plan"))
        elif case.decided_on is not None and case.arrived_on < case.decided_on:
            problems.append(("arrived_on", f"{case.arrived_on.isoformat()} is before the decision to admit "
                                           f"({case.decided_on.isoformat()})"))
        # A person admitted under the plan (decided within its years) may arrive after its last
        # day: the arrival is counted under the plan that admitted them (and in UNHCR's year of
        # arrival); it takes no place, the admission took it.
    return problems


def positive_conclusion(case: CaseFacts) -> date | None:
    """The day of the positive conclusion standing on the case: the decision to admit, or the
    conclusion a procedure later discontinued (consent withdrawn before the entry) had reached."""
    if case.decision == "admitted":
        return case.decided_on
    if case.decision == DISCONTINUED:
        return case.concluded_on
    return None


def _check_status(problems: Problems, case: CaseFacts, plan: PlanFacts) -> None:
    """Art 9(14)-(18): after a positive conclusion, under a Union Plan, the status the category's
    paragraph provides, decided on or after the conclusion (before or after the entry, Art 9(14))
    and, for a procedure later discontinued, not after the discontinuation."""
    st, on = case.status_granted, case.status_decided_on
    if st is None and on is None:
        return
    concluded = positive_conclusion(case)
    if concluded is None:
        problems.append(("status_granted", f"only after a positive conclusion ({POSITIVE_CONCLUSION_BASIS.cite()}): "
                                           "record the decision to admit first"))
        return
    if plan.kind != "union_plan":
        problems.append(("status_granted", f"{plan.key} is a pledging exercise run under national programmes: "
                                           "Article 9(15) to (18) govern the status granted after a conclusion "
                                           "under a Union Plan"))
        return
    status = STATUSES.get(st) if st is not None else None
    if st is None:
        problems.append(("status_granted", f"give the status granted: {_statuses_open_to(case.category)}"))
    elif status is None:
        problems.append(("status_granted", f"{st!r} is not a status of Article 9(15) to (18); one of "
                                           f"{', '.join(STATUSES)}"))
    elif case.category not in status.basis:
        problems.append(("status_granted", f"{status.words[:60]}… is granted after a humanitarian admission "
                                           "(Regulation (EU) 2024/1350, Article 9(17)); after a resettlement the "
                                           "state grants refugee status or subsidiary protection status (Article "
                                           "9(15)) or a family member's residence permit (Article 9(16))"))
    if on is None:
        problems.append(("status_decided_on", "give the day the status was decided"))
    elif on < concluded:
        problems.append(("status_decided_on", f"{on.isoformat()} is before the positive conclusion "
                                              f"({concluded.isoformat()})"))
    elif case.decision == DISCONTINUED and case.decided_on is not None and on > case.decided_on:
        problems.append(("status_decided_on", f"{on.isoformat()} is after the discontinuation of the procedure "
                                              f"({case.decided_on.isoformat()})"))


#: A status named short, as a refusal lists the choices (the page's list gives them in full).
_STATUS_SHORT = {"refugee_status": "refugee status", "subsidiary_protection": "subsidiary protection status",
                 "national_humanitarian_status": "the national humanitarian status",
                 "family_member_residence_permit": "a family member's residence permit"}


def _statuses_open_to(category: str) -> str:
    """The statuses granted after an admission of ``category``, in words and then as the API and CLI
    take them: "refugee status, subsidiary protection status or a family member's residence permit
    (refugee_status, subsidiary_protection or family_member_residence_permit)"."""
    codes = [c for c, s in STATUSES.items() if category in s.basis] or list(STATUSES)

    def listed(items: list[str]) -> str:
        return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"

    return f"{listed([_STATUS_SHORT[c] for c in codes])} ({listed(codes)})"


def _check_unhcr(problems: Problems, case: CaseFacts, plan: PlanFacts) -> None:
    """Art 9(11), third subparagraph, and 9(13), second subparagraph: the reason of a discontinuation
    or of a negative conclusion is communicated to UNHCR where UNHCR needs it for its referrals,
    unless compelling reasons of public interest stand against it. Recorded for a procedure
    discontinued or refused under a Union Plan: communicated (on a day, not before the
    discontinuation or refusal), not necessary, or withheld in the public interest."""
    u, on = case.unhcr_informed, case.unhcr_informed_on
    if u is None and on is None:
        return
    basis = UNHCR_BASIS.get(str(case.decision))
    if basis is None:
        problems.append(("unhcr_informed", f"only for a procedure discontinued ({UNHCR_BASIS[DISCONTINUED]}) or a "
                                           f"refusal ({UNHCR_BASIS['refused']})"))
        return
    if plan.kind != "union_plan":
        problems.append(("unhcr_informed", f"{plan.key} is a pledging exercise run under national programmes: "
                                           f"{basis} governs the admission procedure under a Union Plan"))
        return
    if u is None:
        problems.append(("unhcr_informed", f"say whether the reason was communicated to UNHCR: one of "
                                           f"{', '.join(UNHCR_INFORMED)}"))
    elif u not in UNHCR_INFORMED:
        problems.append(("unhcr_informed", f"{u!r} is not recorded; one of {', '.join(UNHCR_INFORMED)}"))
    elif u == "informed":
        ended = "discontinuation" if case.decision == DISCONTINUED else "refusal"
        if on is None:
            problems.append(("unhcr_informed_on", "give the day the reason was communicated to UNHCR"))
        elif case.decided_on is not None and on < case.decided_on:
            problems.append(("unhcr_informed_on", f"{on.isoformat()} is before the {ended} "
                                                  f"({case.decided_on.isoformat()})"))
    elif on is not None:
        problems.append(("unhcr_informed_on", "only when the reason was communicated (informed)"))


def _check_registration(problems: Problems, case: CaseFacts) -> None:
    """The day the state registered the person (Art 9(3)): on or after UNHCR's referral, and on
    or before the decision (or the withdrawal) that ends the procedure it starts."""
    reg = case.registered_on
    if reg is None:
        return
    if reg < case.referred_on:
        problems.append(("registered_on", f"{reg.isoformat()} is before the referral ({case.referred_on.isoformat()}): "
                                          "the state registers a person referred to it"))
    elif case.decided_on is not None and reg > case.decided_on:
        ended = _ENDED.get(str(case.decision), "decision")
        problems.append(("registered_on", f"{reg.isoformat()} is after the {ended} ({case.decided_on.isoformat()}): "
                                          f"the registration starts the procedure ({REGISTRATION_BASIS.cite()})"))


def _check_extension(problems: Problems, case: CaseFacts, plan: PlanFacts) -> None:
    """Art 9(9), second sentence: the state may extend the ordinary procedure's seven months by
    three where the case involves complex issues of fact or law. Only an ordinary procedure under a
    Union Plan, registered (the time limit runs from the registration), with the reason; our
    reading: a time limit is extended while it runs, so on or before its last day and not after the
    decision (or the withdrawal) that ended the procedure."""
    ext, reason = case.extended_on, case.extension_reason
    if ext is None and reason is None:
        return
    if ext is None:
        problems.append(("extended_on", "give the day the time limit was extended"))
        return
    if reason is None:
        problems.append(("extension_reason", "required: the complex issues of fact or law the extension is for "
                                             f"({EXTENSION_BASIS.cite()})"))
    if plan.kind != "union_plan":
        problems.append(("extended_on", f"{plan.key} is a pledging exercise: no time limit of the Regulation "
                                        "to extend"))
        return
    if case.procedure != "ordinary":
        problems.append(("extended_on", f"only the ordinary procedure's time limit is extended ({EXTENSION_BASIS.cite()}); "
                                        "an emergency admission is concluded as soon as possible (Regulation (EU) "
                                        "2024/1350, Art. 9(10))"))
        return
    reg = case.registered_on
    if reg is None:
        problems.append(("extended_on", "record the registration first: the time limit runs from it "
                                        f"({REGISTRATION_BASIS.cite()})"))
        return
    if ext < reg:
        problems.append(("extended_on", f"{ext.isoformat()} is before the registration ({reg.isoformat()})"))
        return
    try:
        limit = param("resettlement.procedure.ordinary_max", on=reg)
    except NotInForce:
        return
    # the seven months' last day; without the state known, the day before any holiday moves it
    due = (add_period(reg, int(limit.value), str(limit.unit), case.member_state) if case.member_state
           else add_period(reg, int(limit.value), str(limit.unit), "BE", extend=False))
    assert isinstance(due, date)
    if ext > due:
        problems.append(("extended_on", f"{ext.isoformat()} is after the time limit ran out ({due.isoformat()}, "
                                        f"{length_words(limit.value, limit.unit)} from the registration): a time "
                                        "limit is extended while it runs"))
    elif case.decided_on is not None and ext > case.decided_on:
        ended = _ENDED.get(str(case.decision), "decision")
        problems.append(("extended_on", f"{ext.isoformat()} is after the {ended} ({case.decided_on.isoformat()})"))


#: What ended a procedure without a decision, as a message names it.
_ENDED = {WITHDRAWN: "withdrawal of the referral", DISCONTINUED: "discontinuation of the procedure"}


def _check_discontinued(problems: Problems, case: CaseFacts, plan: PlanFacts) -> None:
    """A procedure discontinued (Art 9(11)): ``decided_on`` is its day, ``discontinuation_ground``
    the point of Art 9(11), ``refusal_reason`` the facts; the person was neither admitted nor
    refused and does not arrive under the plan."""
    if case.decided_on is None:
        problems.append(("discontinued_on", "give the day the procedure was discontinued"))
    elif case.decided_on < case.referred_on:
        problems.append(("discontinued_on", f"{case.decided_on.isoformat()} is before the referral "
                                            f"({case.referred_on.isoformat()})"))
    ground = DISCONTINUATION_GROUNDS.get(case.discontinuation_ground or "")
    if ground is None:
        problems.append(("ground", f"give the ground of Article 9(11): one of {', '.join(DISCONTINUATION_GROUNDS)}"))
    if plan.kind != "union_plan":
        problems.append(("ground", f"{_art9_11().cite()} governs the admission procedure under a Union Plan; "
                                   f"{plan.key} is a pledging exercise run under national programmes: record the "
                                   "end of the referral as a withdrawal, with its reason"))
    elif ground is not None and ground.code == "time_limits_beyond_control" and case.registered_on is None:
        problems.append(("ground", "the time limits of Article 9(9) run from the registration "
                                   f"({REGISTRATION_BASIS.cite()}): record it first"))
    if case.refusal_ground is not None:
        problems.append(("refusal_ground", "a procedure discontinued was not concluded by a refusal"))
    if case.arrived_on is not None:
        problems.append(("arrived_on", "only a person admitted arrives under the plan; the procedure was "
                                       "discontinued"))
    if case.concluded_on is not None:  # after a positive conclusion: consent withdrawn before the entry
        if ground is not None and not ground.mandatory:
            problems.append(("ground", AFTER_CONCLUSION_GROUND))
        if case.decided_on is not None and case.decided_on < case.concluded_on:
            problems.append(("discontinued_on", f"{case.decided_on.isoformat()} is before the positive conclusion "
                                                f"({case.concluded_on.isoformat()})"))


#: Why only a withdrawal of consent discontinues a procedure after its positive conclusion.
AFTER_CONCLUSION_GROUND = ("after a positive conclusion only the person's withdrawal of consent (Article 7(1); "
                           "Article 9(11), first subparagraph) discontinues the procedure: points (a) to (c) concern "
                           "a procedure the state has not concluded on (our reading)")


def check_discontinuation(case: CaseFacts, plan: PlanFacts, discontinued_on: date, ground: str, reason: str,
                          today: date) -> Problems:
    """An admission procedure discontinued (Art 9(11)) before the state concluded on it, or after a
    positive conclusion when the person withdrew their consent before entering (Art 7(1): the
    procedure of Art 9 applies to persons who have not withdrawn their consent; Art 9(14): it runs
    before or after the entry, so until the entry); a refusal recorded in error is corrected first.
    Under a Union Plan, on a day not before the
    referral, the registration or the extension of its time limit, nor after today."""
    if case.decision == DISCONTINUED:
        return [("discontinued_on", f"the procedure was discontinued already on {case.decided_on}")]
    if case.decision == WITHDRAWN:
        return [("discontinued_on", f"the referral was withdrawn on {case.decided_on}: no procedure is left to "
                                    "discontinue; correct the withdrawal first if it was recorded in error")]
    concluded = None
    if case.decision == "admitted":  # Art 7(1), 9(14): the procedure runs until the person enters
        if case.arrived_on is not None:
            return [("discontinued_on", f"the person entered on {case.arrived_on}: consent to be admitted (Article "
                                        "7(1)) is withdrawn before the entry; the admission procedure has ended")]
        if ground != "consent_withdrawn":
            return [("ground", AFTER_CONCLUSION_GROUND)]
        concluded = case.decided_on
    elif case.decision is not None:
        return [("decision", f"the person was {case.decision} on {case.decided_on}: a procedure is discontinued "
                             "before the state concludes on the admission (or, after a positive conclusion, when the "
                             "person withdraws their consent before entering); correct the decision first if it was "
                             "recorded in error")]
    problems: Problems = []
    _after_today(problems, "discontinued_on", discontinued_on, today)
    ended = CaseFacts(referred_on=case.referred_on, registered_on=case.registered_on, decision=DISCONTINUED,
                      decided_on=discontinued_on, refusal_reason=reason, discontinuation_ground=ground,
                      procedure=case.procedure, member_state=case.member_state, concluded_on=concluded,
                      status_granted=case.status_granted, status_decided_on=case.status_decided_on,
                      category=case.category)
    _check_discontinued(problems, ended, plan)
    _check_status(problems, ended, plan)
    if not problems and case.registered_on is not None and discontinued_on < case.registered_on:
        problems.append(("discontinued_on", f"{discontinued_on.isoformat()} is before the registration "
                                            f"({case.registered_on.isoformat()})"))
    if not problems and case.extended_on is not None and discontinued_on < case.extended_on:
        problems.append(("discontinued_on", f"{discontinued_on.isoformat()} is before the extension of the time "
                                            f"limit ({case.extended_on.isoformat()})"))
    return problems


def _check_withdrawn(problems: Problems, case: CaseFacts) -> None:
    """A referral withdrawn: ``decided_on`` is the day it was withdrawn, ``refusal_reason`` why;
    the person was neither admitted nor refused and does not arrive under the plan."""
    if case.decided_on is None:
        problems.append(("withdrawn_on", "give the day the referral was withdrawn"))
    elif case.decided_on < case.referred_on:
        problems.append(("withdrawn_on", f"{case.decided_on.isoformat()} is before the referral "
                                         f"({case.referred_on.isoformat()})"))
    if case.refusal_ground is not None:
        problems.append(("refusal_ground", "a referral withdrawn was not refused"))
    if case.arrived_on is not None:
        problems.append(("arrived_on", "only a person admitted arrives under the plan; the referral was withdrawn"))


def check_withdrawal(case: CaseFacts, withdrawn_on: date, reason: str, today: date) -> Problems:
    """A referral withdrawn (the person no longer waits for a decision): only one still without a
    decision; a decision recorded in error is corrected first. Not before the referral nor after
    today."""
    if case.decision == WITHDRAWN:
        return [("withdrawn_on", f"the referral was withdrawn already on {case.decided_on}")]
    if case.decision == DISCONTINUED:
        return [("withdrawn_on", f"the state discontinued the procedure on {case.decided_on} (Article 9(11)): "
                                 "correct the discontinuation first if it was recorded in error")]
    if case.decision is not None:
        return [("decision", f"the person was {case.decision} on {case.decided_on}: a referral is withdrawn "
                             "before a decision; correct the decision first if it was recorded in error")]
    problems: Problems = []
    _after_today(problems, "withdrawn_on", withdrawn_on, today)
    withdrawn = CaseFacts(referred_on=case.referred_on, registered_on=case.registered_on, decision=WITHDRAWN,
                          decided_on=withdrawn_on, refusal_reason=reason)
    _check_withdrawn(problems, withdrawn)
    if not problems and case.registered_on is not None and withdrawn_on < case.registered_on:
        problems.append(("withdrawn_on", f"{withdrawn_on.isoformat()} is before the registration "
                                         f"({case.registered_on.isoformat()})"))
    if not problems and case.extended_on is not None and withdrawn_on < case.extended_on:
        problems.append(("withdrawn_on", f"{withdrawn_on.isoformat()} is before the extension of the time limit "
                                         f"({case.extended_on.isoformat()})"))
    return problems


def check_person(nationality: str, first_asylum: str) -> Problems:
    """Art. 2: a person is resettled or admitted from a third country to which they were
    displaced, not from the country of their nationality."""
    if nationality == first_asylum:
        return [("first_asylum", f"{first_asylum} is the person's nationality: resettlement and humanitarian "
                                 "admission are from a third country to which the person was displaced (Regulation "
                                 "(EU) 2024/1350, Art. 2); give that country")]
    return []


def check_category_pledged(state: str, plan: PlanFacts, pledged: Counts, category: str) -> Problems:
    """A person is referred in a category the state pledged places in under the plan: a referral
    in a category with no place pledged could never be admitted."""
    if not any(n for (c, _), n in pledged.items() if c == category):
        have = sorted({c for (c, _), n in pledged.items() if n}, key=CATEGORIES.index)
        return [("category", f"{state} has pledged no {_label(category)} places under {plan.key}"
                             + (f" (only {', '.join(_label(c) for c in have)})" if have else "")
                             + ": pledge them first or refer the person in a category pledged")]
    return []


def check_referral(referred_on: date, plan: PlanFacts) -> Problems:
    """A person is referred under the plan running on the day: a referral before the plan's first
    day, or after its last, belongs to the plan (or the national programme) running then. Pactum's choice, so that the
    procedure's clock (Arts 9, 10) never runs before the plan does."""
    if not plan.starts_on <= referred_on <= plan.ends_on:
        return [("referred_on", f"the plan {plan.key} runs from {plan.starts_on.isoformat()} to "
                                f"{plan.ends_on.isoformat()}: a person referred on {referred_on.isoformat()} "
                                "is recorded under the plan running then")]
    return []


def _check_refusal(problems: Problems, case: CaseFacts, plan: PlanFacts) -> None:
    """A refusal states its ground: a point of Art 6, or ``other`` with the reason written out.
    Art 6 governs admission under the Regulation: a pledging exercise's refusals are ``other``."""
    ground = REFUSAL_GROUNDS.get(case.refusal_ground) if case.refusal_ground is not None else None
    if case.refusal_ground is None:
        problems.append(("refusal_ground", "give the ground of the refusal"))
    elif ground is None:  # the API and the CLI refuse it before; a caller of the rules directly
        problems.append(("refusal_ground", f"{case.refusal_ground!r} is not a ground of refusal; one of "
                                           f"{', '.join(REFUSAL_GROUNDS)}"))
    elif ground.basis is None:
        if case.refusal_reason is None:
            problems.append(("refusal_reason", "state the ground of the refusal"))
    else:
        if case.refusal_reason is not None:
            problems.append(("refusal_reason", f"only for another ground: {ground.where()} is the ground"))
        if plan.kind != "union_plan":
            problems.append(("refusal_ground", f"{ground.basis.cite()} governs admission under the Regulation; "
                                               f"{plan.key} is a pledging exercise run under national programmes: "
                                               "record the ground as other, with its reason"))


# --- Art 9(3), (9), (10): the procedure's duration ---------------------------------------------------


@dataclass(frozen=True)
class Clock:
    #: "in_time", "late", "running", "overdue", "withdrawn", "discontinued" (Art 9(11)), "no_limit";
    #: "awaiting_registration":
    #: no decision and no registration recorded, the clock has not started; "not_registered": a
    #: decision (or withdrawal) with no registration recorded, the duration cannot be measured
    status: str
    deadline: date | None
    limit: str | None  # "7 months"
    basis: str | None
    counted_from: date | None = None  # the registration (Art 9(3)) the deadline is counted from
    #: the day the time limit was extended (Art 9(9), second sentence), the deadline then the later one
    extended_on: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "deadline": self.deadline, "limit": self.limit, "basis": self.basis,
                "counted_from": self.counted_from, "extended_on": self.extended_on}


def _basis(limit: Param) -> str:
    cite = f"{limit.cite()} (unverified)" if limit.unverified else limit.cite()
    return f"{cite}, from the registration ({REGISTRATION_BASIS.cite()})"


def procedure_clock(kind: str, procedure: str, referred_on: date, decided_on: date | None,
                    member_state: str, today: date, *, registered_on: date | None, withdrawn: bool = False,
                    extended_on: date | None = None, discontinued: bool = False) -> Clock:
    """The procedure's maximum duration, counted from the day the state registered the person
    (Art 9(3)), and where the case stands: decided in time or late, running or overdue. Without a
    registration recorded the clock has not started ("awaiting registration", no due date, never
    overdue; a case decided or withdrawn without one: "not_registered", its duration not
    measured). A case under a pledging exercise (before the Regulation) or registered (referred,
    while awaiting registration) before the Regulation applied has no maximum. A referral
    withdrawn is neither in time nor late: its clock stopped. An ordinary procedure extended
    (``extended_on``, Art 9(9), second sentence) runs ``procedure.ordinary_extension`` (three
    months) longer: its deadline is the seven and the three months from the registration."""
    if kind != "union_plan":
        return Clock("no_limit", None, None, None)
    try:
        limit = param(f"resettlement.procedure.{procedure}_max", on=registered_on or referred_on)
    except NotInForce:
        return Clock("no_limit", None, None, None)
    words = length_words(limit.value, limit.unit)
    stopped = "withdrawn" if withdrawn else "discontinued" if discontinued else None
    if registered_on is None:
        status = "awaiting_registration" if decided_on is None and not withdrawn else "not_registered"
        return Clock(stopped or status, None, words, _basis(limit))
    deadline = add_period(registered_on, int(limit.value), str(limit.unit), member_state)
    assert isinstance(deadline, date)
    basis = _basis(limit)
    extended = extended_on if procedure == "ordinary" else None
    if extended is not None:
        ext = param("resettlement.procedure.ordinary_extension", on=registered_on)
        # the time limit is extended, not restarted: seven and three months from the registration
        # (counted from the end of the seven when the two are in different units)
        deadline = (add_period(registered_on, int(limit.value) + int(ext.value), str(limit.unit), member_state)
                    if ext.unit == limit.unit else add_period(deadline, int(ext.value), str(ext.unit), member_state))
        assert isinstance(deadline, date)
        words = f"{words}, extended by {length_words(ext.value, ext.unit)}"
        basis = f"{basis}; extended on {extended.isoformat()} ({ext.cite()}, second sentence)"
    if stopped:  # the referral or the procedure ended without a decision: no procedure left to run
        return Clock(stopped, deadline, words, basis, registered_on, extended)
    if decided_on is not None:
        return Clock("in_time" if decided_on <= deadline else "late", deadline, words, basis, registered_on, extended)
    return Clock("running" if today <= deadline else "overdue", deadline, words, basis, registered_on, extended)


def procedure_limits(on: date) -> list[dict[str, str]]:
    """Each procedure's maximum duration under a Union Plan on ``on``, with its basis, for the
    pages that explain the clocks (empty before the Regulation applied); each runs from the
    registration (:data:`REGISTRATION_BASIS`)."""
    out: list[dict[str, str]] = []
    for procedure in ("ordinary", "expedited"):
        try:
            limit = param(f"resettlement.procedure.{procedure}_max", on=on)
        except NotInForce:
            continue
        basis = f"{limit.cite()} (unverified)" if limit.unverified else limit.cite()
        row = {"procedure": procedure, "limit": length_words(limit.value, limit.unit), "basis": basis}
        if procedure == "ordinary":  # Art 9(9), second sentence: complex issues of fact or law
            ext = param("resettlement.procedure.ordinary_extension", on=on)
            row.update(extension=length_words(ext.value, ext.unit), extension_basis=f"{ext.cite()}, second sentence")
        out.append(row)
    return out


# --- where a case stands: the filter of a state's persons referred -----------------------------------

#: The stages a state's officer filters its persons referred by, each as the filter words it.
CASE_STAGES: dict[str, str] = {
    "pending": "no decision yet",
    "awaiting_registration": "awaiting registration (the clock has not started)",
    "overdue": "past the procedure's maximum duration",
    "awaiting_arrival": "admitted, not arrived yet",
    "admitted": "admitted",
    "refused": "refused",
    "withdrawn": "referral withdrawn",
    "discontinued": "procedure discontinued (Article 9(11))",
    "status_to_record": "admitted, status not recorded yet (Article 9(15) to (18))",
    "transfer_due_soon": f"admitted, not arrived, the 12 months for the entry ending within {TRANSFER_DUE_SOON_DAYS} "
                         "days (Article 9(20))",
    "transfer_overdue": "admitted, not arrived within 12 months of the conclusion (Article 9(20))",
    "unhcr_to_record": "discontinued or refused, not recorded whether UNHCR was given the reason "
                       "(Article 9(11), 9(13))",
    "eurodac_due": "data due to Eurodac within 72 hours of the decision (Regulation (EU) 2024/1358, Article 18(2))",
    "eurodac_overdue": "data not transmitted to Eurodac within 72 hours of the decision (Regulation (EU) 2024/1358, "
                       "Article 18(2))",
}


def check_stage(stage: str | None) -> Problems:
    if stage is not None and stage not in CASE_STAGES:
        return [("stage", f"{stage[:40]!r} is not a stage; one of {', '.join(CASE_STAGES)}")]
    return []


def at_stage(stage: str, case: Mapping[str, Any]) -> bool:
    """Whether a case as read (``decision``, ``arrived_on``, ``clock``) is at ``stage``."""
    decision = case["decision"]
    if stage == "pending":
        return decision is None
    if stage in ("awaiting_registration", "overdue"):
        return bool(case["clock"]["status"] == stage)
    if stage == "awaiting_arrival":
        return decision == "admitted" and case["arrived_on"] is None
    if stage == "status_to_record":
        return decision == "admitted" and case["status_granted"] is None and case["transfer"]["status"] != "no_limit"
    if stage in ("transfer_due_soon", "transfer_overdue"):
        return bool(case["transfer"]["status"] == stage.removeprefix("transfer_"))
    if stage == "unhcr_to_record":
        return case["unhcr_basis"] is not None and case["unhcr_informed"] is None
    if stage in ("eurodac_due", "eurodac_overdue"):
        return bool(case["eurodac"]["status"] == stage.removeprefix("eurodac_"))
    return bool(decision == stage)


# --- progress ------------------------------------------------------------------------------------


def _zero() -> dict[str, int]:
    return {"pledged": 0, "admitted": 0, "arrived": 0}


def progress(pledges: Mapping[str, Counts], admitted: Mapping[str, Counts], arrived: Mapping[str, Counts]
             ) -> dict[str, Any]:
    """Pledged vs admitted vs arrived, per category, per state and per country of first asylum
    (places pledged without a country are their own row). Every figure adds up: the states' rows
    sum to the categories', the countries' rows to the same totals."""
    states = sorted(set(pledges) | set(admitted) | set(arrived))
    cats = {c: _zero() for c in CATEGORIES}
    total = _zero()
    rows = []
    where: dict[CountryKey, dict[str, int]] = {}
    for ms in states:
        row: dict[str, Any] = {"member_state": ms, "by_category": {c: _zero() for c in CATEGORIES}, "total": _zero()}
        for what, source in (("pledged", pledges), ("admitted", admitted), ("arrived", arrived)):
            for (category, first_asylum), n in source.get(ms, {}).items():
                row["by_category"][category][what] += n
                row["total"][what] += n
                cats[category][what] += n
                total[what] += n
                where.setdefault(first_asylum, _zero())[what] += n
        rows.append(row)
    countries = [{"first_asylum": k, "name": country(k).name if k else "Not specified", **v}
                 for k, v in sorted(where.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))]
    return {"by_category": cats, "total": total, "by_state": rows, "by_first_asylum": countries}


def share(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``, one decimal; None when nothing is pledged."""
    return round(100 * part / whole, 1) if whole else None


def rates(progress_: Mapping[str, Any]) -> dict[str, Any]:
    """Of the places pledged, the share taken by persons admitted and by persons arrived (per
    cent), by category, in total and by state, as :func:`progress` counts them."""
    def of(x: Mapping[str, int]) -> dict[str, float | None]:
        return {"admitted": share(x["admitted"], x["pledged"]), "arrived": share(x["arrived"], x["pledged"])}

    return {"by_category": {c: of(x) for c, x in progress_["by_category"].items()}, "total": of(progress_["total"]),
            "by_state": {row["member_state"]: of(row["total"]) for row in progress_["by_state"]}}
