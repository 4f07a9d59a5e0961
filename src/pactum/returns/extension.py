"""The extension of the period for voluntary departure after the return decision was issued.

Directive 2008/115/EC, read in its Italian version (EUR-Lex HTML republished in the GitHub
repository d5p2rnkdz9-hub/SOSPATTO, ``public/patto-interattivo/ext-dir-2008-115.html``), Art 7(2):
"Gli Stati membri prorogano, ove necessario, il periodo per la partenza volontaria per un periodo
congruo, tenendo conto delle circostanze specifiche del caso individuale, quali la durata del
soggiorno, l'esistenza di bambini che frequentano la scuola e l'esistenza di altri legami familiari
e sociali." ("Member States shall, where necessary, extend the period for voluntary departure by an
appropriate period, taking into account the specific circumstances of the individual case, such as
the length of stay, the existence of children attending school and the existence of other family
and social links.")

The Directive extends a period (``prorogano``): one granted (Art 7(1); none where it was refused
under Art 7(4)) and not yet ended (once it ended, the obligation to return was not complied with
within it, Art 8(1), 11(1)(b)). Our reading: the issuing state's return officer extends it while
the decision is still to be enforced by that state (not departed, withdrawn, nor recognised and
enforced by another state under Recommendation (EU) 2023/682), by a new last day after the one the
decision sets, on one or more of the circumstances Art 7(2) names (the grounds of
:data:`pactum.returns.rules.EXTENSION_GROUNDS`) with the reasons of the individual case. The new
last day is the decision's own: a suspension's arithmetic (:mod:`pactum.returns.period`) then runs
on it. The period stays within the bound Pactum records (:data:`pactum.returns.rules.
VOLUNTARY_DEPARTURE_DAYS_MAX`, a year from its first day: not a rule of law, a guard against a
typing slip).
"""

from __future__ import annotations

from datetime import date, timedelta

from pactum.common.errors import ValidationProblem
from pactum.law import LegalRef
from pactum.returns.rules import EXTENSION_GROUNDS, VOLUNTARY_DEPARTURE_DAYS_MAX

ART_7_2 = LegalRef.of("return_directive", "7", "2")
ART_7_4 = LegalRef.of("return_directive", "7", "4")
ART_8_1 = LegalRef.of("return_directive", "8", "1")
ART_8_2 = LegalRef.of("return_directive", "8", "2")
#: Reg. (EU) 2018/1860 Art 3(4), read in Italian: "Il periodo per la partenza volontaria concesso
#: conformemente all'articolo 7 della direttiva 2008/115/CE è registrato immediatamente nella
#: segnalazione di rimpatrio. Ogni proroga di tale periodo è registrata senza indugio nella
#: segnalazione." ("Any extension of such period shall be recorded in the alert without delay.")
ALERT_EXTENSION = LegalRef.of("sis_return", "3", "4")
#: Art 4(1)(x): "il termine ultimo per la partenza volontaria, se concesso" (the date of expiry).
ALERT_FIELD_X = LegalRef.of("sis_return", "4", "1", "x")
#: Art 7(2): on a hit the executing state contacts the issuing state through the exchange of
#: supplementary information "per stabilire le misure da adottare" (to determine the measures).
HIT_EXCHANGE = LegalRef.of("sis_return", "7", "2")
#: The recommendation under which another state recognises and enforces the decision.
RECOGNITION = "Recommendation (EU) 2023/682"


def check_grounds(grounds: list[str]) -> list[str]:
    """The grounds of Art 7(2), normalised and de-duplicated; 422 naming each one not of Art 7(2)."""
    out: list[str] = []
    problems = []
    for i, g in enumerate(grounds):
        code = str(g).strip().lower()
        if code not in EXTENSION_GROUNDS:
            problems.append((f"grounds.{i}", f"'{g}' is not a circumstance of {ART_7_2.cite()}; use one of: "
                                             f"{', '.join(EXTENSION_GROUNDS)}"))
        elif code not in out:
            out.append(code)
    if not grounds:
        problems.append(("grounds", f"give at least one circumstance of {ART_7_2.cite()} "
                                    f"({', '.join(EXTENSION_GROUNDS)})"))
    if problems:
        raise ValidationProblem(problems)
    return out


def latest_last_day(starts_on: date) -> date:
    """The latest last day Pactum records for a period that runs from the day after ``starts_on``."""
    return starts_on + timedelta(days=VOLUNTARY_DEPARTURE_DAYS_MAX)


def refusal(*, status: str, last_day: date | None, departed_on: date | None, enforced_by: str | None,
            departed_elsewhere: str | None, ends_on: date | None, paused: bool, on: date) -> str | None:
    """Why the period of the decision cannot be extended on ``on`` (the 409's words), or ``None``.
    ``ends_on``: the period's last day as its suspensions leave it; ``paused``: a suspension that
    began within it lasts (the period has not ended)."""
    if status == "withdrawn":
        return "the decision is withdrawn: there is no obligation to return under it, nor a period to extend"
    if status == "departed":
        return (f"the person's departure under this decision is recorded on {departed_on.isoformat() if departed_on else '?'}: "
                "the obligation to return was complied with (or the decision enforced), there is no period left to extend")
    if departed_elsewhere:
        return (f"the person's departure is recorded under {departed_elsewhere}, after this decision was issued: "
                "the obligation to return was complied with")
    if last_day is None:
        return (f"the decision granted no period for voluntary departure ({ART_7_4.cite()}): there is none to extend "
                f"({ART_7_2.cite()} extends a period granted)")
    if enforced_by:
        return (f"{enforced_by} recognised the decision and enforces it ({RECOGNITION}): the issuing state no longer "
                "changes its terms of enforcement; the period can no longer be extended here")
    if not paused and ends_on is not None and ends_on < on:
        return (f"the period for voluntary departure ended on {ends_on.isoformat()}: {ART_7_2.cite()} extends a "
                f"period still running; once it ended, the obligation to return was not complied with within it "
                f"({ART_8_1.cite()})")
    return None


def check_last_day(*, new_last_day: date, last_day: date, starts_on: date, ends_on: date | None) -> None:
    """The new last day: after the one the decision sets now (``last_day``; ``ends_on``: where a
    suspension moved it) and within the bound Pactum records; 422 on ``last_day`` otherwise."""
    if new_last_day <= last_day:
        moved = (f" (moved to {ends_on.isoformat()} by the days the period does not run: the decision's "
                 "suspensions or the time to appeal; that arithmetic runs on the decision's own last day)"
                 if ends_on is not None and ends_on != last_day else "")
        raise ValidationProblem.one("last_day", f"must be after the period's current last day, "
                                                f"{last_day.isoformat()}{moved}: an extension makes the period longer")
    bound = latest_last_day(starts_on)
    if new_last_day > bound:
        raise ValidationProblem.one(
            "last_day", f"{new_last_day.isoformat()} makes the period more than a year long: a period is recorded "
                        f"with at most {VOLUNTARY_DEPARTURE_DAYS_MAX} days, to {bound.isoformat()} at the latest "
                        f"(an extension under {ART_7_2.cite()}); check the date typed")


def told_words(*, issuing_member_state: str, reference: str, previous: date, new: date,
               ends_on: date | None) -> str:
    """What a state with a hit on the alert is told when the issuing state extends the period: the
    alert's date of expiry changed (Reg. (EU) 2018/1860 Art 3(4), 4(1)(x)), which the exchange its
    hit opened (Art 7(2)) is about: the measures to take, none of them a removal while the period
    runs (Directive 2008/115/EC Art 8(2)). ``ends_on``: the period's last day as the decision's
    suspensions leave the extended one (``None`` while a suspension lasts: it does not run)."""
    moved = ("; the decision is suspended and the period does not run meanwhile: its end moves by the days the "
             "suspension lasts" if ends_on is None else
             f"; as the days it does not run (suspensions, the time to appeal) moved it, the period now ends on "
             f"{ends_on.isoformat()}"
             if ends_on != new else "")
    return (f"{issuing_member_state} extended the period for voluntary departure of return decision {reference} "
            f"from {previous.isoformat()} to {new.isoformat()} ({ART_7_2.cite()}){moved}. The return alert's date of "
            f"expiry of the period was updated with it ({ALERT_EXTENSION.cite()}; {ALERT_FIELD_X.cite()}). The person "
            f"is not removed while the period runs ({ART_8_2.cite()}).")


def kept_last_day(*, extension_last_day: date | None, own_last_day: date | None) -> date | None:
    """The last day an amended decision on the destination keeps from the extension in force on the
    decision (``extension_last_day``), or ``None``: kept where it is after the last day of the
    amended decision's own period (``own_last_day``, Art 7(1)); none where the amended decision grants
    no period (Art 7(4)) or its own period ends as late.

    Our reading of Art 7: an amended decision on the destination is a new return decision (CJEU
    C-924/19 PPU and C-925/19 PPU, *FMS*), so it fixes its own period (Art 7(1)); but Art 7(2) obliges
    the state ("prorogano, ove necessario") to extend the period where the specific circumstances
    of the individual case make it necessary, and the circumstances it names (the length of stay,
    children attending school, family and social links) are the person's in the issuing state, not
    the destination's. The state found them to require the period until the extended day; changing
    the country of return does not change them, so the new decision's period keeps that day rather
    than leaving the officer to extend it again (until then the person would be removable earlier
    than the state had found necessary, Art 8(2))."""
    if extension_last_day is None or own_last_day is None or extension_last_day <= own_last_day:
        return None
    return extension_last_day


def kept_words(*, reference: str, issued_on: date, own_last_day: date, kept: date, grounds: list[str]) -> str:
    """The extension an amended decision kept, in words (the decision page, the audit)."""
    named = ", ".join(EXTENSION_GROUNDS.get(g, g) for g in grounds)
    return (f"extension of the period for voluntary departure to {kept.isoformat()} kept by the amended decision "
            f"{reference} of {issued_on.isoformat()}, whose own period ended on {own_last_day.isoformat()} ({named}; "
            f"{ART_7_2.cite()}: the circumstances of the case do not depend on the country of return)")


def words(*, previous: date, new: date, grounds: list[str]) -> str:
    """The extension in words, as the decision page and the audit say it."""
    named = ", ".join(EXTENSION_GROUNDS[g] for g in grounds)
    return (f"period for voluntary departure extended from {previous.isoformat()} to {new.isoformat()} "
            f"({named}; {ART_7_2.cite()})")
