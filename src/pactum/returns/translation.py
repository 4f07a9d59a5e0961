"""The translation of a return decision (Directive 2008/115/EC Art 12(2)) and the standard form
that may replace it (Art 12(3)).

Read in the Italian version of the Directive (the EUR-Lex HTML republished in the GitHub
repository d5p2rnkdz9-hub/SOSPATTO, public/patto-interattivo/ext-dir-2008-115.html):

- **Art 12(1)**: return decisions (and, where issued, entry-ban and removal decisions) are issued
  in writing, give reasons in fact and in law and contain information about the available legal
  remedies.
- **Art 12(2)**: the Member State provides, *on request*, a written or oral translation of the
  main elements of the return-related decisions of paragraph 1, the available remedies included,
  in a language the third-country national understands or may reasonably be presumed to
  understand.
- **Art 12(3)**: a Member State may decide not to apply paragraph 2 to third-country nationals
  who entered its territory illegally and did not subsequently obtain an authorisation or a right
  to stay there; the decisions are then adopted by means of a standard form as set out under
  national law, and the state makes available generalised information sheets explaining the main
  elements of the standard form in at least five of the languages most frequently used or
  understood by illegal migrants entering it.

So in Pactum, for a return decision and for each amended decision on its destination (itself a
new return decision, :mod:`pactum.returns.destination`), the return officer records:

- the person's **request for a translation** (the day, the language the person understands, by
  ISO 639 code: :func:`pactum.common.languages.language`), and then its **provision** (the day
  given, written or oral, and the language it was given in: the one asked for unless the officer
  names another the person may reasonably be presumed to understand). A request not yet met is an
  open item of the decision: something the officer has to do. It is **not** an obstacle to
  removal: Art 12(2) ties the translation to the request, not to the enforcement (nothing in
  Arts 8, 9 or 12 makes the removal wait for it), so the queue lists it beside the obstacles
  without holding the decision back;
- or that the decision was given by **the standard form of Art 12(3)**, where its conditions hold.
  Then paragraph 2 does not apply to that decision: a later request is refused (and the standard
  form is refused for a decision whose translation was requested: the state applied paragraph 2).

What the records can and cannot tell (:func:`standard_form_refusal`, :func:`entry_words`):

- the person **did not enter illegally** where the issuing state's records show they presented
  themselves at a border crossing point (an encounter ``border_crossing_point_application``) or
  were admitted by resettlement (a Eurodac record of the ``union_resettlement`` or
  ``national_resettlement`` category);
- the person **obtained an authorisation or a right to stay** where the records show temporary
  protection (Eurodac ``temporary_protection``), international protection, or an application for
  international protection in the issuing state: the Directive's recital 9 says the stay of an
  applicant is not to be considered illegal until a negative decision on the application, or a
  decision ending the right to stay as an applicant, has entered into force (read in the same
  Italian version). Pactum takes that right to stay as an applicant to be a right to stay the
  person obtained after entering, so a person who applied in the issuing state never gets the
  standard form: the reading that keeps the guarantee of paragraph 2;
- an **illegal entry** is shown by an encounter ``irregular_crossing`` or a Eurodac record of the
  ``irregular_crossing`` category; an encounter for an illegal stay, an application inside the
  territory or a disembarkation after search and rescue does not say how the person entered. The
  standard form is not refused for want of such a record (the officer attests the entry), but the
  decision page says the records do not show it.

What Pactum cannot know: whether the state's national law uses the option of Art 12(3) at all
and prescribes a standard form (the officer recording it attests that); residence permits and
visas the state's immigration records hold outside Pactum; another state's records of the
person (only the issuing state's are read); and whether the information sheets of Art 12(3),
third subparagraph, exist.

Pure: the caller (``pactum.services.returns``) reads and writes the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pactum.law import LegalRef

#: On request, a written or oral translation of the main elements, remedies included.
TRANSLATION = LegalRef.of("return_directive", "12", "2")
#: The standard form for persons who entered illegally and obtained no right to stay.
STANDARD_FORM = LegalRef.of("return_directive", "12", "3")

#: How the translation was given (Art 12(2): "traduzione scritta od orale").
TranslationMode = Literal["written", "oral"]
MODES: tuple[str, ...] = ("written", "oral")

#: ``return_decision_translations.kind``
REQUEST = "translation"
FORM = "standard_form"

#: The audit actions.
REQUESTED = "returns.translation.request"
PROVIDED = "returns.translation.provide"
FORM_USED = "returns.translation.standard_form"

#: The open item of a decision whose translation was requested and not yet given.
OPEN_ITEM = "translation_requested"


@dataclass(frozen=True)
class EntryRecord:
    """One record of the issuing state about the person's entry or stay, in words, with its day."""

    what: str
    on: date | None = None

    def words(self) -> str:
        return f"{self.what} ({self.on.isoformat()})" if self.on else self.what


@dataclass(frozen=True)
class EntryFacts:
    """What the issuing state's records of the person say about their entry and stay."""

    #: records showing an illegal entry
    illegal_entry: list[EntryRecord] = field(default_factory=list)
    #: records showing the person did not enter illegally
    lawful_entry: list[EntryRecord] = field(default_factory=list)
    #: records showing an authorisation or a right to stay obtained
    right_to_stay: list[EntryRecord] = field(default_factory=list)


def standard_form_refusal(facts: EntryFacts) -> str | None:
    """Why the standard form of Art 12(3) cannot replace the translation for this person, from the
    records (``None``: the records do not exclude it)."""
    reasons = []
    if facts.lawful_entry:
        reasons.append("did not enter illegally: " + "; ".join(r.words() for r in facts.lawful_entry))
    if facts.right_to_stay:
        reasons.append("obtained a right to stay: " + "; ".join(r.words() for r in facts.right_to_stay))
    if not reasons:
        return None
    return (f"the standard form ({STANDARD_FORM.cite()}) is only for a person who entered illegally and did not "
            f"later obtain an authorisation or a right to stay; the records show the person "
            f"{' and '.join(reasons)}. Article 12(2) applies: record the person's request for a translation")


def entry_words(facts: EntryFacts) -> str:
    """What the records say of the person's entry, for the page that shows the standard form."""
    if facts.illegal_entry:
        return "illegal entry recorded: " + "; ".join(r.words() for r in facts.illegal_entry)
    return ("the records do not show how the person entered (an illegal entry is attested by the officer who "
            "recorded the standard form)")


def check_request(*, decision_issued_on: date, requested_on: date, today: date) -> list[tuple[str, str]]:
    """A request is made on or after the decision it concerns, and not in the future."""
    if requested_on > today:
        return [("requested_on", "a request cannot be dated in the future")]
    if requested_on < decision_issued_on:
        return [("requested_on", f"the decision it concerns was issued on {decision_issued_on.isoformat()}: a "
                                 "translation is requested of an issued decision")]
    return []


def check_provision(*, requested_on: date, provided_on: date, today: date) -> list[tuple[str, str]]:
    """The translation is given on or after the request, and not in the future."""
    if provided_on > today:
        return [("provided_on", "a translation cannot be recorded as given in the future")]
    if provided_on < requested_on:
        return [("provided_on", f"the translation was requested on {requested_on.isoformat()}: it is given on or "
                                "after that day")]
    return []


def open_item_words(decision_reference: str, requested_on: date | str, language_name: str) -> str:
    """The open item, in words: the officer has to give the translation."""
    day = requested_on.isoformat() if isinstance(requested_on, date) else requested_on
    return (f"translation of {decision_reference} into {language_name} requested on {day}, not yet given "
            f"({TRANSLATION.cite()})")
