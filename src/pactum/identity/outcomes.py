"""How the linkage model fares on the officers' decisions: verified links by the match
probability they were created with.

Every yellow link an officer verifies (Reg. (EU) 2019/818, Articles 29-32) says whether two
records are one person (white or red) or two (green), and the link keeps the probability the
model gave it when it was created. Grouped by probability, those decisions are the model's
accuracy on the store's own data, which no generated benchmark can stand in for: if the model is
well calibrated, the share of a band's links verified as one person is close to the band's mean
probability. A share well below it means the model is overconfident there (namesakes it takes for
one person); well above, that the yellow threshold could be raised. The decisions are also the
labels ``pactum identity train`` learns from, so this is what training on them would correct.

Links with biometric evidence are counted apart: there the templates, not the names, decided
the colour (a biometric match with a different identity, or a close identity whose templates
differ), so their probability says little about the model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from itertools import pairwise
from typing import Any

from pactum.identity.links import BIOMETRIC_MATCH, RED, label_of

#: Band edges of the match probability for links decided on biographic evidence alone. Links
#: start at the candidate threshold (:data:`pactum.identity.links.CANDIDATE`, 0.5); the edges
#: under 0.95 split the yellow range, the ones above it hold links a document or a biometric
#: contradiction kept yellow.
BAND_EDGES = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0)

BIOGRAPHIC, BIOMETRIC_MATCHED, BIOMETRIC_DIFFERENT = "biographic", "biometric match", "biometric templates differ"


@dataclass(frozen=True)
class Decided:
    """One verified link: the probability and biometric score it was created with, and the colour
    the officer gave it."""

    match_probability: float | None
    biometric_score: float | None
    colour: str


@dataclass(frozen=True)
class OutcomeRow:
    evidence: str
    #: probability band ``[low, high)`` (the last band includes 1.0); ``None`` for biometric rows
    low: float | None
    high: float | None
    verified: int
    same_person: int
    different_persons: int
    #: of ``same_person``, verified as red (one person under an unjustified different identity)
    red: int
    #: ``same_person / verified``; ``None`` when nothing was verified
    share_same_person: float | None
    #: mean match probability the links were created with; ``None`` when none had one
    mean_match_probability: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def evidence_of(d: Decided) -> str:
    if d.biometric_score is None:
        return BIOGRAPHIC
    return BIOMETRIC_MATCHED if d.biometric_score >= BIOMETRIC_MATCH else BIOMETRIC_DIFFERENT


def band_of(p: float) -> tuple[float, float] | None:
    """The ``[low, high)`` band of :data:`BAND_EDGES` holding ``p`` (1.0 in the last one), or
    ``None`` below the first edge."""
    for low, high in pairwise(BAND_EDGES):
        if low <= p < high or (high == BAND_EDGES[-1] and p == high):
            return low, high
    return None


def _row(evidence: str, band: tuple[float, float] | None, items: list[Decided]) -> OutcomeRow:
    labels = [label_of(d.colour) for d in items]
    same = labels.count(1)
    probs = [d.match_probability for d in items if d.match_probability is not None]
    return OutcomeRow(
        evidence=evidence, low=band[0] if band else None, high=band[1] if band else None,
        verified=len(items), same_person=same, different_persons=labels.count(0),
        red=sum(1 for d in items if d.colour == RED),
        share_same_person=round(same / len(items), 4) if items else None,
        mean_match_probability=round(sum(probs) / len(probs), 4) if probs else None,
    )


def summarise(decided: Iterable[Decided]) -> list[OutcomeRow]:
    """One row per probability band for biographic links (every band, empty ones included, so
    that a table reads the same from one day to the next), then one per kind of biometric
    evidence. Links whose colour is not a decision (white made automatically, yellow pending) are
    not counted; the caller selects verified links."""
    by_band: dict[tuple[float, float], list[Decided]] = {b: [] for b in pairwise(BAND_EDGES)}
    below: list[Decided] = []
    biometric: dict[str, list[Decided]] = {BIOMETRIC_MATCHED: [], BIOMETRIC_DIFFERENT: []}
    for d in decided:
        if label_of(d.colour) is None:
            continue
        kind = evidence_of(d)
        if kind != BIOGRAPHIC:
            biometric[kind].append(d)
            continue
        band = band_of(d.match_probability) if d.match_probability is not None else None
        (by_band[band] if band else below).append(d)
    rows = [_row(BIOGRAPHIC, band, items) for band, items in by_band.items()]
    if below:
        # only a link made before the candidate threshold was raised, or by hand, lands here
        rows.insert(0, _row(BIOGRAPHIC, (0.0, BAND_EDGES[0]), below))
    rows += [_row(kind, None, items) for kind, items in biometric.items()]
    return rows
