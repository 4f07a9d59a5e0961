"""Generated applications for the responsibility benchmarks: a seeded mix of the situations Dublin
units see (irregular entries and disembarkations, visas and residence documents, family members,
unaccompanied minors, relocations, security threats), across both regimes."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from pactum.common.states import MEMBER_STATES
from pactum.responsibility.model import (
    Diploma,
    Document,
    Entry,
    Facts,
    FamilyMember,
    Stay,
)

STATES = tuple(MEMBER_STATES)
FRONTLINE = ("IT", "EL", "ES", "MT", "CY", "HR", "BG", "HU", "PL")
DESTINATION = ("DE", "FR", "NL", "BE", "AT", "SE", "CH", "IT", "ES")
START = date(2025, 7, 1)


def facts_stream(n: int, seed: int = 4) -> Iterator[Facts]:
    rng = random.Random(seed)
    for _ in range(n):
        reg = START + timedelta(days=rng.randrange(0, 730))
        reg_in = rng.choice(DESTINATION)
        entries: list[Entry] = []
        documents: list[Document] = []
        family: list[FamilyMember] = []
        diplomas: list[Diploma] = []
        stays: list[Stay] = []
        r = rng.random()
        if r < 0.55:
            kind = "sar_disembarkation" if rng.random() < 0.3 else "irregular_crossing"
            entries.append(Entry(kind, rng.choice(FRONTLINE), reg - timedelta(days=rng.randrange(1, 800))))  # type: ignore[arg-type]
        if rng.random() < 0.18:
            start = reg - timedelta(days=rng.randrange(0, 1500))
            kind = "visa" if rng.random() < 0.7 else "residence_document"
            documents.append(Document(kind, rng.choice(STATES), start,  # type: ignore[arg-type]
                                      start + timedelta(days=rng.randrange(15, 900))))
        if rng.random() < 0.08:
            family.append(FamilyMember(rng.choice(("spouse", "child", "sibling", "parent")),  # type: ignore[arg-type]
                                       rng.choice(STATES),
                                       rng.choice(("beneficiary_of_protection", "applicant",  # type: ignore[arg-type]
                                                   "legally_residing")),
                                       wishes_in_writing=rng.random() < 0.7))
        if rng.random() < 0.04:
            diplomas.append(Diploma(rng.choice(STATES), reg - timedelta(days=rng.randrange(30, 3000))))
        if rng.random() < 0.05:
            end = reg - timedelta(days=rng.randrange(1, 200))
            stays.append(Stay(rng.choice(STATES), end - timedelta(days=rng.randrange(30, 400)), end))
        uam = rng.random() < 0.04
        dob = reg - timedelta(days=365 * (rng.randrange(14, 17) if uam else rng.randrange(18, 60)))
        yield Facts(
            registered_in=reg_in, registered_on=reg, date_of_birth=dob, unaccompanied_minor=uam,
            family_members=tuple(family), documents=tuple(documents), diplomas=tuple(diplomas),
            entries=tuple(entries), stays=tuple(stays),
            relocated_to=rng.choice(DESTINATION) if rng.random() < 0.02 else None,
            security_threat=rng.random() < 0.005,
        )
