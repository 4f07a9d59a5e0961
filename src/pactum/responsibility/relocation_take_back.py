"""The take back by the Member State of relocation (Regulation (EU) 2024/1351, Article 38(5)).

Read in the Official Journal's Italian text (SOSPATTO ``public/patto-interattivo/1351.html``, Art
38(5), one paragraph of two sentences): «Lo Stato membro di ricollocazione è tenuto, alle condizioni
di cui agli articoli 41 e 46, a riprendere in carico il richiedente che si trovi in un altro Stato
membro senza un titolo di soggiorno o che vi faccia domanda di protezione internazionale dopo che il
primo Stato membro ha confermato la ricollocazione dell'interessato a norma dell'articolo 67,
paragrafo 9, e prima che sia stato effettuato il trasferimento verso lo Stato membro di
ricollocazione a norma dell'articolo 67, paragrafo 11. Tale obbligo cessa quando lo Stato membro di
ricollocazione stabilisce che il richiedente ha ottenuto un titolo di soggiorno da un altro Stato
membro».

The take back is a take-back notification (Art 41, «alle condizioni di cui agli articoli 41 e 46»):
its periods are the notification's and the confirmation's (``ammr.take_back.notification``,
``ammr.take_back.confirmation``, :mod:`pactum.law`), which the request machinery applies to every
notification. This module holds the rule only: which recorded relocation, if any, obliges the
state asked. Pure: the relocations come from the solidarity area's records
(``relocation_transfers``: ``accepted_on`` is the confirmation of Art 67(9), ``arrived_on`` the
transfer of Art 67(11)), read by the service.

*Pactum's readings* (each said where it decides): the day that must fall between the confirmation
and the transfer is the registration of the application in the requesting state (the day the
case's determination is dated by, Art 24(2)); a confirmation on that same day counts («dopo che» is
read by the day, as the records hold days), a transfer carried out on that day does not leave the
application «prima» of it; a relocation cancelled or excluded (its ``closed_on``) on or before the
registration no longer stands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

#: The take-back ground of Art 38(5) as requests store it (``criterion``, at most 20 characters).
GROUND = "relocation_confirmed"
BASIS = "Regulation (EU) 2024/1351, Article 38(5)"
#: The second sentence of Art 38(5): the obligation ends where the Member State of relocation
#: establishes that the applicant obtained a residence document from another Member State.
CESSATION_BASIS = "Regulation (EU) 2024/1351, Article 38(5), second sentence"
CONFIRMATION_BASIS = "Regulation (EU) 2024/1351, Article 67(9)"
TRANSFER_BASIS = "Regulation (EU) 2024/1351, Article 67(11)"
#: The stages of a relocation that no longer stands (the solidarity area's closed stages).
CLOSED_STAGES = ("excluded", "cancelled")


@dataclass(frozen=True)
class Relocation:
    """A relocation of the person as the solidarity area records it."""

    id: str
    origin: str
    destination: str
    confirmed_on: date | None  # Art 67(9): the relocation state's confirmation (accepted_on)
    transferred_on: date | None  # Art 67(11): the transfer carried out (arrived_on)
    stage: str
    closed_on: date | None = None

    def words(self) -> str:
        """The relocation as a notification and its page name it."""
        confirmed = self.confirmed_on.isoformat() if self.confirmed_on else "not confirmed"
        return (f"relocation {self.id} from {self.origin} to {self.destination}, confirmed by {self.destination} "
                f"on {confirmed} ({CONFIRMATION_BASIS})"
                + (f", transferred on {self.transferred_on.isoformat()}" if self.transferred_on
                   else f", transfer not carried out ({TRANSFER_BASIS})"))


@dataclass(frozen=True)
class Finding:
    """The relocation on which the state asked takes the person back (``relocation``), or why none
    does (``problem``, in words for the field ``take_back_ground``)."""

    relocation: Relocation | None
    problem: str | None


def relocation_obliging(relocations: Iterable[Relocation], requested: str, registered_on: date) -> Finding:
    """The relocation that obliges ``requested`` to take the person back under Art 38(5) for an
    application registered on ``registered_on`` in another Member State: a relocation of the person
    to ``requested`` (the Member State of relocation), confirmed (Art 67(9)) on or before that day,
    not transferred (Art 67(11)) by then and not closed by then; of several, the latest confirmed.
    Otherwise why none does, naming what the records show."""
    to_requested = [r for r in relocations if r.destination == requested]
    if not to_requested:
        return Finding(None, f"no relocation of the person to {requested} is recorded: {requested} takes the person "
                             f"back under {BASIS} only as the Member State of relocation")
    standing = [r for r in to_requested if not (r.stage in CLOSED_STAGES and (r.closed_on is None
                                                                              or r.closed_on <= registered_on))]
    if not standing:
        r = to_requested[-1]
        return Finding(None, f"the relocation of the person to {requested} ({r.id}) was {r.stage} before the "
                             f"application was registered on {registered_on.isoformat()}: it no longer stands")
    confirmed = [r for r in standing if r.confirmed_on is not None and r.confirmed_on <= registered_on]
    if not confirmed:
        r = standing[-1]
        when = (f"only on {r.confirmed_on.isoformat()}" if r.confirmed_on is not None else "not yet")
        return Finding(None, f"{requested} confirmed the relocation of the person ({r.id}) {when} "
                             f"({CONFIRMATION_BASIS}); {BASIS} obliges it for an application registered after "
                             f"the confirmation (here {registered_on.isoformat()})")
    pending = [r for r in confirmed if r.transferred_on is None or r.transferred_on > registered_on]
    if not pending:
        r = max(confirmed, key=lambda x: (x.confirmed_on or date.min, x.id))
        assert r.transferred_on is not None
        return Finding(None, f"the person was transferred to {requested} on {r.transferred_on.isoformat()} "
                             f"({r.id}, {TRANSFER_BASIS}), before the application registered on "
                             f"{registered_on.isoformat()}: {BASIS} covers only the time before the transfer (after it, the "
                             "procedure after relocation applies, Regulation (EU) 2024/1351, Article 68)")
    return Finding(max(pending, key=lambda x: (x.confirmed_on or date.min, x.id)), None)
