"""The last day of a take-charge request, or of a Dublin III take-back request, given the
application's registration (lodging) and a Eurodac hit: the one rule by which the request is
refused as late (``services.responsibility.send_request``), the case says which requests lie
(``request_bars``) and who is responsible now (:func:`pactum.responsibility.current.responsible_now`).

Read in the Official Journal texts (Italian versions, EUR-Lex HTML as republished in the GitHub
repository d5p2rnkdz9-hub/SOSPATTO, ``public/patto-interattivo/1351.html`` and
``ext-reg-2013-604.html``):

- AMMR (Regulation (EU) 2024/1351) Art 39(1): the request is made "in any event within two months
  of the date on which the application was registered"; second subparagraph: "by way of derogation
  from the first subparagraph", in the case of a Eurodac hit (data recorded under Arts 22 and 24 of
  Regulation (EU) 2024/1358) or a VIS hit, "the request shall be sent within one month of receiving
  that hit"; third subparagraph: a request not made within "the periods laid down in the first and
  second subparagraphs" leaves the state where the application was registered responsible. The
  month from the hit *replaces* the two months (a derogation, not an extension): with a hit the
  last day is one month from the hit, earlier or later than two months from the registration.
- Dublin III (Regulation (EU) No 604/2013) Art 21(1): three months from the lodging; second
  subparagraph, also "by way of derogation from the first subparagraph": two months from a
  Eurodac hit (Art 14 data of Regulation (EU) No 603/2013); third subparagraph as above. The two
  months from the hit may not run beyond the three months from the lodging (CJEU C-670/16
  Mengesteab, paragraph 103, applied by :func:`pactum.law.time_limit`).
- Dublin III Art 23(2): a take-back request "within two months of receiving the Eurodac hit";
  "if the take back request is based on evidence other than data obtained from the Eurodac system",
  within three months of the lodging. These are two periods, one for each basis, not a derogation:
  a request on the hit lies until two months from it even after the three months, one on other
  evidence until the three months even after the two; Art 23(3): a request not made within these
  periods leaves the state of the new application responsible.

Pure: dates and citations from the law tree, no storage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from pactum.law import LegalRef, TimeLimitResult, param, time_limit
from pactum.law.time_limits import RULES

#: The time-limit kind (:mod:`pactum.law.time_limits`) of each request whose lateness moves
#: responsibility to the state of registration (lodging). An AMMR take-back notification has a
#: time limit too (Art 41(1)) but sent late still obliges the state notified: it is not here.
LIMIT_KIND = {"take_charge": "take_charge_request", "take_back": "take_back_request"}

#: The rule that leaves the state of registration (lodging) responsible when no request was made
#: in time (the paragraphs' subparagraphs are not in the law tree).
LAPSE_BASIS = {("dublin_iii", "take_charge"): f"{LegalRef.of('dublin3', '21', '1').cite()}, third subparagraph",
               ("dublin_iii", "take_back"): LegalRef.of("dublin3", "23", "3").cite(),
               ("ammr", "take_charge"): f"{LegalRef.of('ammr', '39', '1').cite()}, third subparagraph"}

#: Where the period from a hit replaces the period from the registration ("by way of derogation",
#: Dublin III Art 21(1) and AMMR Art 39(1), second subparagraphs): the hit decides for every
#: request of the case. Elsewhere (Dublin III Art 23(2)) each request's basis chooses its period.
HIT_REPLACES = frozenset({("dublin_iii", "take_charge"), ("ammr", "take_charge")})


@dataclass(frozen=True)
class RequestLimit:
    """The last day of a request of ``kind`` on an application registered (lodged) on
    ``registered_on`` in ``state``, with the Eurodac hit ``hit_on`` (``None``: none known).

    ``last_day``: the day after which the request no longer lies (the state of registration is then
    responsible, :attr:`lapse_basis`); ``from_hit``: whether that day runs from the hit;
    ``registration_day``: the end of the period from the registration alone; ``hit_may_extend``:
    no hit is known and a period from a hit could still end after ``registration_day`` (the request
    then lies only with a hit); ``result``: the computation of the period that gives ``last_day``;
    ``hit_period``: the period that runs from a hit, in words with its article (from the law tree)."""

    kind: str
    regime: str
    registered_on: date
    hit_on: date | None
    last_day: date
    from_hit: bool
    registration_day: date
    hit_may_extend: bool
    lapse_basis: str
    result: TimeLimitResult
    hit_period: str
    hit_source: str = "eurodac"
    """Where the hit came from: ``eurodac``, or ``vis`` (AMMR Art 39(1), second subparagraph)."""

    @property
    def hit_words(self) -> str:
        """The hit as the texts say it: "Eurodac hit", "VIS hit"."""
        return f"{HIT_SOURCE_WORDS.get(self.hit_source, 'Eurodac')} hit"

    @property
    def legal_basis(self) -> str:
        """The article of the period applied (the first legal basis of its computation)."""
        return self.result.legal_basis[0] if self.result.legal_basis else self.lapse_basis

    def words(self) -> str:
        """The last day and what it runs from, as the case page and the refusals say it."""
        if self.from_hit and self.hit_on is not None:
            return (f"{self.last_day.isoformat()}, {self.result.period} from the {self.hit_words} of "
                    f"{self.hit_on.isoformat()} ({self.legal_basis})")
        return (f"{self.last_day.isoformat()}, {self.result.period} from the "
                f"{'lodging' if self.regime == 'dublin_iii' else 'registration'} of the application on "
                f"{self.registered_on.isoformat()} ({self.legal_basis})")


def _end(r: TimeLimitResult) -> date:
    end = r.end
    return end.date() if isinstance(end, datetime) else end


@lru_cache(maxsize=1024)
def _hit_period_words(regime: str, kind: str, registered_on: date) -> str:
    """The period running from a hit for ``kind`` under ``regime``, with its article, as the law
    tree holds it ("1 month from the Eurodac hit (Regulation (EU) 2024/1351, Article 39(1))")."""
    rule = next(r for r in RULES if r.kind == LIMIT_KIND[kind] and r.regime == regime and r.eurodac_hit
                and not r.detained and r.variant is None)
    p = param(rule.path, on=registered_on)
    unit = str(p.unit)
    amount = int(p.value)
    words = f"{amount} {unit[:-1] if amount == 1 and unit.endswith('s') else unit}"
    return f"{words} from {rule.runs_from} ({p.reference.cite()})"


@lru_cache(maxsize=65536)
def _period(regime: str, kind: str, registered_on: date, state: str, hit_on: date | None) -> TimeLimitResult:
    """The period of ``kind`` from the registration (``hit_on`` None) or from the hit, as
    :func:`pactum.law.time_limit` computes it (the Mengesteab cap included)."""
    return time_limit(LIMIT_KIND[kind], hit_on or registered_on, state, application_registered_on=registered_on,
                      eurodac_hit=hit_on is not None)


def request_limit(regime: str, kind: str, registered_on: date, state: str, hit_on: date | None = None, *,
                  on_hit: bool | None = None, hit_source: str = "eurodac") -> RequestLimit:
    """The last day of a ``kind`` request (``take_charge``, or ``take_back`` under Dublin III) on
    the application, given its registration (lodging) and the Eurodac hit ``hit_on``.

    ``on_hit``: for a Dublin III take back, whether the request is based on the hit (``True``:
    two months from it; ``False``: three months from the lodging; ``None``: the case, any basis,
    the later of the two). Where the hit replaces the period from the registration (a take charge
    under either regime) the hit decides whatever the request's basis. ``hit_source``: ``eurodac``
    or ``vis`` (the AMMR's month runs from either, Art 39(1)); only the words differ."""
    if (regime, kind) not in LAPSE_BASIS:
        raise ValueError(f"no time limit moves responsibility for a {kind} under {regime}")
    plain = _period(regime, kind, registered_on, state, None)
    registration_day = _end(plain)
    lapse = LAPSE_BASIS[regime, kind]
    hit_words = _hit_period_words(regime, kind, registered_on)
    hit_period = None if hit_on is None else _period(regime, kind, registered_on, state, hit_on)
    capped = (regime, kind) == ("dublin_iii", "take_charge")  # the hit cannot run past the lodging's limit
    if hit_period is None or ((regime, kind) not in HIT_REPLACES and on_hit is False):
        return RequestLimit(kind, regime, registered_on, hit_on, registration_day, False, registration_day,
                            hit_period is None and not capped, lapse, plain, hit_words, hit_source)
    hit_day = _end(hit_period)
    if (regime, kind) in HIT_REPLACES or on_hit or hit_day >= registration_day:
        # under Dublin III a take charge's two months from the hit stop at the three months from
        # the lodging: the day then runs from the lodging
        from_hit = not (capped and any(s.get("rule") == "outer_limit_from_lodging" for s in hit_period.trace))
        return RequestLimit(kind, regime, registered_on, hit_on, hit_day, from_hit, registration_day, False,
                            lapse, hit_period, hit_words, hit_source)
    return RequestLimit(kind, regime, registered_on, hit_on, registration_day, False, registration_day, False,
                        lapse, plain, hit_words, hit_source)


#: A hit's source as the texts name it.
HIT_SOURCE_WORDS = {"eurodac": "Eurodac", "vis": "VIS"}

#: Which hit, received before any request, runs the time limit of which request (read in the
#: Official Journal's Italian texts, as above), by the case's regime, the hit's source and the
#: category of the data it matched (``pactum.registry.model.EurodacCategory``; ``None`` for VIS):
#:
#: - AMMR Art 39(1), second subparagraph: a take charge within one month of a Eurodac hit "with
#:   data recorded under Articles 22 and 24" of Regulation (EU) 2024/1358 (Art 22: persons
#:   apprehended in connection with the irregular crossing of an external border; Art 24: persons
#:   disembarked after a search and rescue operation) or a VIS hit "with data recorded under
#:   Article 21" of Regulation (EC) No 767/2008; a hit on data of persons found illegally staying
#:   (Art 23 of 2024/1358) is not among them;
#: - AMMR Art 41(1): a take-back notification within two weeks of receiving the Eurodac hit (on an
#:   earlier application's data); late, it still obliges the state notified;
#: - Dublin III Art 21(1), second subparagraph: a take charge within two months of a Eurodac hit
#:   "with data recorded under Article 14" of Regulation (EU) No 603/2013 (irregular crossing; no
#:   VIS hit runs a period under Dublin III);
#: - Dublin III Art 23(2): a take back within two months of the Eurodac hit "under Article 9(5)" of
#:   Regulation (EU) No 603/2013 (an earlier application's data).
_AMMR_39_1_HIT = f"{LegalRef.of('ammr', '39', '1').cite()}, second subparagraph"
HIT_RUNS: dict[tuple[str, str, str | None], tuple[str, str]] = {
    ("ammr", "eurodac", "irregular_crossing"): ("take_charge", _AMMR_39_1_HIT),
    ("ammr", "eurodac", "sar"): ("take_charge", _AMMR_39_1_HIT),
    ("ammr", "vis", None): ("take_charge", _AMMR_39_1_HIT),
    ("ammr", "eurodac", "applicant"): ("take_back_notification", LegalRef.of("ammr", "41", "1").cite()),
    ("dublin_iii", "eurodac", "irregular_crossing"): (
        "take_charge", f"{LegalRef.of('dublin3', '21', '1').cite()}, second subparagraph"),
    ("dublin_iii", "eurodac", "applicant"): ("take_back", LegalRef.of("dublin3", "23", "2").cite()),
}


def hit_runs(regime: str, source: str, category: str | None) -> tuple[str, str] | None:
    """The request whose time limit a hit runs on a case of ``regime`` and the article, or
    ``None`` when the law gives that hit no period (:data:`HIT_RUNS`)."""
    return HIT_RUNS.get((regime, source, category if source == "eurodac" else None))


def hit_runs_nothing(regime: str, source: str, category: str | None) -> str:
    """Why a hit of ``source`` and ``category`` runs no request's time limit under ``regime``: the
    hits that do, in words, with their articles."""
    if regime == "dublin_iii" and source == "vis":
        return ("under Dublin III no time limit runs from a VIS hit: a take-charge request runs from a Eurodac hit "
                "with data of an irregular crossing (Regulation (EU) No 604/2013, Article 21(1), second "
                "subparagraph); record a Eurodac hit, or rely on the three months from the lodging")
    if regime == "ammr":
        return (f"a Eurodac hit on {str(category or '').replace('_', ' ')} data runs no time limit of a request: "
                "the month for a take-charge request runs from a hit with data of an irregular crossing or a "
                "search-and-rescue disembarkation (Regulation (EU) 2024/1358, Articles 22 and 24) or a VIS hit "
                "(Regulation (EU) 2024/1351, Article 39(1), second subparagraph), the two weeks for a take-back "
                "notification from a hit with an earlier application's data (Article 41(1)); the two months "
                "from the registration still run")
    return (f"a Eurodac hit on {str(category or '').replace('_', ' ')} data runs no time limit of a request under "
            "Dublin III: a take charge runs from a hit with data of an irregular crossing (Regulation (EU) No "
            "604/2013, Article 21(1), second subparagraph; Regulation (EU) No 603/2013, Article 14), a take back "
            "from a hit with an earlier application's data (Article 23(2)); the three months from the lodging "
            "still run")


@dataclass(frozen=True)
class KnownHit:
    """The hit a case knows for a kind of request: its day, its source (``eurodac``, ``vis``),
    and where the case learnt it: ``recorded_on``, the day the Dublin unit recorded it on the case
    before any request (``None``: stated on a request)."""

    hit_on: date
    source: str = "eurodac"
    recorded_on: date | None = None


#: A request as :func:`latest_hit` reads it: ``(kind, eurodac_hit, hit_on, sent_on)``, optionally
#: followed by the hit's source (``eurodac``, ``vis``; left out: ``eurodac``).
StatedHit = tuple[str, bool, date | None, date] | tuple[str, bool, date | None, date, str]


def latest_hit(kind: str, requests: Sequence[StatedHit],
               recorded: Sequence[tuple[str, date, date, str]] = ()) -> KnownHit | None:
    """The hit the case knows for ``kind``: the latest it learnt of, whether stated on a request
    of that kind (``requests``: ``(kind, eurodac_hit, hit_on, sent_on[, source])`` in the order sent) or
    recorded on the case (``recorded``: ``(kind, hit_on, recorded_on, source)`` in the order
    recorded, ``kind`` the request whose time limit it runs, :func:`hit_runs`). On one day a hit
    recorded comes before a request sent (the unit records the hit, then drafts the request)."""
    events: list[tuple[date, int, KnownHit]] = []
    for r in requests:
        k, stated, hit_on, sent = r[0], r[1], r[2], r[3]
        if k == kind and stated and hit_on is not None:
            events.append((sent, 1, KnownHit(hit_on, r[4] if len(r) > 4 else "eurodac")))
    for k, hit_on, on, source in recorded:
        if k == kind:
            events.append((on, 0, KnownHit(hit_on, source, on)))
    if not events:
        return None
    return sorted(events, key=lambda e: (e[0], e[1]))[-1][2]


def known_hit(kind: str, requests: Sequence[StatedHit],
              recorded: Sequence[tuple[str, date, date, str]] = ()) -> date | None:
    """The day of the Eurodac (or VIS) hit the case knows for ``kind`` (:func:`latest_hit`):
    stated on the latest request of that kind sent on the case or recorded on the case before
    a request, ``None`` when none is known."""
    found = latest_hit(kind, requests, recorded)
    return None if found is None else found.hit_on
