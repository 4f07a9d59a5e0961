"""EU-wide first-instance recognition rates per nationality (APR Art 42(1)(j)).

The rate is the proportion of first-instance decisions granting international protection: (refugee
status + subsidiary protection) / all first-instance decisions (positive, national humanitarian status
and rejected; otherwise-closed cases are left out), over the EU Member States, as Eurostat's
``migr_asydcfsta`` gives it (GENCONV + SUB_PROT over TOTAL; HUMSTAT is a decision but not international
protection). The reference period is "the latest available yearly Union-wide average": the last
complete calendar year before the application for which the platform holds decisions for that
nationality.

The platform's figures are UNHCR's, whose "complementary protection" (``dec_other``, held in
:attr:`DecisionStat.subsidiary_protection`) is subsidiary protection and national humanitarian
statuses together. The complementary grants of a deciding state that
``pactum/data/procedures/national_protection.yaml`` names as its national status for a citizenship
count as humanitarian status (in the total only); the rest count as subsidiary protection. Each rate
also gives the rate counting none of those as international protection (its range) and says when the
threshold lies inside the range (``uncertain``): the figures then do not show the rate to be at or
below the threshold, and the rate used stays the one that counts them (docs/procedures.md says why).

An unknown origin (``XXX``, UNHCR's ``UNK``) has no rate, nor have stateless applicants as a group
(``XXA``: for them Art 42(1)(j) looks at the country of former habitual residence).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from pactum.common.countries import STATELESS, UNHCR_UNKNOWN, UNKNOWN

NATIONAL_STATUSES_FILE = "national_protection.yaml"

#: Codes that never have a recognition rate, and why.
NO_RATE: dict[str, str] = {
    UNKNOWN: "the country of origin is unknown: an unknown origin is not a nationality and has no "
             "recognition rate (APR Art 42(1)(j) looks at the applicant's nationality)",
    UNHCR_UNKNOWN: "UNK is UNHCR's code for an unknown country of origin: an unknown origin is not a "
                   "nationality and has no recognition rate (APR Art 42(1)(j) looks at the applicant's "
                   "nationality)",
    STATELESS: "for a stateless applicant APR Art 42(1)(j) looks at the recognition rate of the country "
               "of former habitual residence, not at stateless applicants as a group; no rate is used",
}
#: Why a nationality has no figures of its own in UNHCR's statistics.
NOT_SEPARATE: dict[str, str] = {
    "XKX": "UNHCR counts Kosovo (UN Security Council resolution 1244 (1999)) together with Serbia "
           "under SRB: no first-instance figures for Kosovo alone are held",
}


@dataclass(frozen=True, slots=True)
class DecisionStat:
    """First-instance decisions of one year, one deciding state, one nationality.

    ``subsidiary_protection`` holds the complementary protection as the source gives it: UNHCR's
    ``dec_other``, subsidiary protection and national humanitarian statuses together."""

    year: int
    member_state: str
    nationality: str
    refugee_status: int
    subsidiary_protection: int
    rejected: int
    closed: int = 0
    source: str = ""

    @property
    def positive(self) -> int:
        """Refugee status and complementary protection as reported (national statuses included)."""
        return self.refugee_status + self.subsidiary_protection

    @property
    def decided(self) -> int:
        return self.positive + self.rejected


@dataclass(frozen=True, slots=True)
class NationalStatus:
    """A deciding state's complementary protection for a citizenship that is its national status."""

    member_state: str
    nationality: str
    status: str
    legal_basis: str


@lru_cache(maxsize=1)
def shipped_national_statuses() -> tuple[NationalStatus, ...]:
    """The attributions shipped in ``pactum/data/procedures/national_protection.yaml``."""
    raw = resources.files("pactum.data.procedures").joinpath(NATIONAL_STATUSES_FILE).read_text("utf-8")
    out: list[NationalStatus] = []
    for e in yaml.safe_load(raw)["national_statuses"]:
        for nat in e["nationalities"]:
            out.append(NationalStatus(str(e["member_state"]), str(nat), str(e["status"]),
                                      str(e["legal_basis"])))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class NationalGrants:
    """Complementary grants of one state counted as its national status (not international protection)."""

    member_state: str
    decisions: int
    status: str
    legal_basis: str

    def as_dict(self) -> dict[str, Any]:
        return {"member_state": self.member_state, "decisions": self.decisions, "status": self.status,
                "legal_basis": self.legal_basis}


@dataclass(frozen=True, slots=True)
class Outcomes:
    """First-instance decisions split as Art 42(1)(j) reads them."""

    refugee_status: int = 0
    subsidiary_protection: int = 0  # complementary protection counted as subsidiary protection
    humanitarian: int = 0  # complementary protection attributed to a national status: total only
    rejected: int = 0
    closed: int = 0
    national: tuple[NationalGrants, ...] = ()
    # the complementary grants counted as subsidiary protection, by state, largest first
    unsplit_by_state: tuple[tuple[str, int], ...] = ()

    @property
    def complementary(self) -> int:
        """UNHCR's complementary protection as reported."""
        return self.subsidiary_protection + self.humanitarian

    @property
    def positive(self) -> int:
        """Decisions granting international protection."""
        return self.refugee_status + self.subsidiary_protection

    @property
    def decided(self) -> int:
        return self.positive + self.humanitarian + self.rejected


def outcomes(rows: Iterable[DecisionStat], national: Iterable[NationalStatus] | None = None) -> Outcomes:
    """Add up ``rows``, counting the complementary grants ``national`` names (default: the shipped
    attributions) as humanitarian status and the others as subsidiary protection."""
    attributed = {(n.member_state, n.nationality): n
                  for n in (shipped_national_statuses() if national is None else national)}
    rs = sp = hum = rj = cl = 0
    by_national: dict[str, list[Any]] = {}
    by_state: dict[str, int] = {}
    for r in rows:
        rs += r.refugee_status
        rj += r.rejected
        cl += r.closed
        ns = attributed.get((r.member_state, r.nationality))
        if ns is not None:
            hum += r.subsidiary_protection
            acc = by_national.setdefault(r.member_state, [0, ns])
            acc[0] += r.subsidiary_protection
        else:
            sp += r.subsidiary_protection
            by_state[r.member_state] = by_state.get(r.member_state, 0) + r.subsidiary_protection
    grants = tuple(NationalGrants(ms, n, ns.status, ns.legal_basis)
                   for ms, (n, ns) in sorted(by_national.items(), key=lambda kv: (-kv[1][0], kv[0])) if n)
    unsplit = tuple(sorted(((ms, n) for ms, n in by_state.items() if n), key=lambda kv: (-kv[1], kv[0])))
    return Outcomes(rs, sp, hum, rj, cl, grants, unsplit)


def _pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100.0 * part / whole, 2)


@dataclass(frozen=True, slots=True)
class RecognitionRate:
    nationality: str
    year: int | None
    positive: int  # refugee status + subsidiary protection
    decided: int  # all first-instance decisions (national humanitarian status included)
    states_reporting: int
    source: str
    outcomes: Outcomes = field(default_factory=Outcomes)
    note: str = ""  # why there is no rate, or no figures of the nationality's own

    @property
    def rate(self) -> float | None:
        """The rate used: complementary protection not attributed to a national status counted as
        subsidiary protection."""
        return _pct(self.positive, self.decided)

    @property
    def lowest_rate(self) -> float | None:
        """The rate counting none of the complementary grants as international protection."""
        return _pct(self.outcomes.refugee_status, self.decided)

    def uncertain(self, threshold: float | None) -> bool:
        """Whether the threshold lies inside the rate's range: the figures then do not say whether the
        rate is at or below it (the source does not split complementary protection)."""
        low, high = self.lowest_rate, self.rate
        return threshold is not None and low is not None and high is not None and low <= threshold < high

    def explanation(self, threshold: float | None = None) -> str:
        """How the rate was computed, in words a lawyer can check."""
        if self.rate is None:
            note = self.note or "no first-instance decisions held for this nationality"
            return note[0].upper() + note[1:] + "."
        o = self.outcomes
        text = (f"Refugee status {o.refugee_status:,} + subsidiary protection {o.subsidiary_protection:,} = "
                f"{self.positive:,} decisions granting international protection, of {self.decided:,} "
                f"first-instance decisions in {self.year} (EU Member States, {self.states_reporting} "
                f"reporting) = {self.rate}%.")
        if o.national:
            parts = "; ".join(f"{g.member_state} {g.decisions:,} ({g.status}, {g.legal_basis})" for g in o.national)
            text += (f" Not counted as international protection, only in the total: {o.humanitarian:,} grants "
                     f"of a national humanitarian status, which UNHCR reports as complementary protection: "
                     f"{parts}.")
        if o.subsidiary_protection:
            largest = ", ".join(f"{ms} {n:,}" for ms, n in o.unsplit_by_state[:3])
            text += (f" The subsidiary protection counted is UNHCR's complementary protection not attributed to a "
                     f"national status; UNHCR does not separate subsidiary protection from national humanitarian "
                     f"statuses (largest: {largest}): counting none of it as international protection gives "
                     f"{self.lowest_rate}%.")
            if self.uncertain(threshold):
                text += (f" The {threshold}% threshold lies between the two: these figures do not show the rate "
                         f"to be at or below it, so the ground is not applied on them; Eurostat's "
                         f"migr_asydcfsta (refugee status, subsidiary protection and humanitarian status apart) "
                         f"decides.")
            elif threshold is not None:
                side = "at or below" if self.rate <= threshold else "above"
                text += f" Either way the rate is {side} the {threshold}% threshold."
        return text

    def as_dict(self, threshold: float | None = None) -> dict[str, Any]:
        o = self.outcomes
        low = self.lowest_rate
        out: dict[str, Any] = {
            "nationality": self.nationality,
            "reference_year": self.year,
            "rate_percent": self.rate,
            "positive_decisions": self.positive,
            "total_decisions": self.decided,
            "states_reporting": self.states_reporting,
            "source": self.source,
            "refugee_status_decisions": o.refugee_status,
            "subsidiary_protection_decisions": o.subsidiary_protection,
            "humanitarian_status_decisions": o.humanitarian,
            "rejected_decisions": o.rejected,
            "national_status_attributed": [g.as_dict() for g in o.national],
            "rate_range_percent": None if low is None else [low, self.rate],
            "uncertain": self.uncertain(threshold),
            "explanation": self.explanation(threshold),
        }
        if threshold is not None:
            out["threshold_percent"] = threshold
            out["at_or_below_threshold"] = self.rate is not None and self.rate <= threshold
        return out


def reference_year(applied_on: date) -> int:
    """The latest calendar year whose yearly data can exist on ``applied_on``."""
    return applied_on.year - 1


def has_rate(nationality: str) -> bool:
    """Whether the code can have a recognition rate (not an unknown origin, not stateless)."""
    return nationality not in NO_RATE


def eu_recognition_rate(
    stats: Iterable[DecisionStat],
    nationality: str,
    applied_on: date,
    eu_states: Iterable[str],
    national: Iterable[NationalStatus] | None = None,
) -> RecognitionRate:
    """The EU-wide rate for ``nationality`` in the latest year before ``applied_on`` with data;
    ``national``: the complementary grants to count as national status (default: shipped)."""
    if nationality in NO_RATE:
        return RecognitionRate(nationality, None, 0, 0, 0, "no recognition rate", note=NO_RATE[nationality])
    eu = set(eu_states)
    by_year: dict[int, list[DecisionStat]] = {}
    last = reference_year(applied_on)
    for s in stats:
        if s.nationality == nationality and s.member_state in eu and s.year <= last:
            by_year.setdefault(s.year, []).append(s)
    years = sorted((y for y, rows in by_year.items() if sum(r.decided for r in rows) > 0), reverse=True)
    if not years:
        return RecognitionRate(nationality, None, 0, 0, 0, "no first-instance decisions held",
                               note=NOT_SEPARATE.get(nationality, ""))
    y = years[0]
    rows = by_year[y]
    sources = sorted({r.source for r in rows if r.source})
    o = outcomes(rows, national)
    return RecognitionRate(
        nationality=nationality,
        year=y,
        positive=o.positive,
        decided=o.decided,
        states_reporting=len({r.member_state for r in rows}),
        source=", ".join(sources),
        outcomes=o,
    )
