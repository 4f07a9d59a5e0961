"""Generated relocation-matching instances with the real nationality mix of MED5 applicants.

Origins (IT, EL, CY, ES, MT) and nationalities are drawn in proportion to the new asylum
applications lodged there in 2024 (UNHCR, shipped in ``pactum/data/solidarity``). Links follow
simple, documented assumptions about diasporas and languages (below); they shape realistic
instances for the demo world, the baselines comparison and the benchmarks, and are never a legal
input. Everything is drawn from the ``random.Random`` passed in, so an instance is reproducible.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from functools import lru_cache
from importlib import resources

from pactum.common.countries import UNKNOWN
from pactum.solidarity.fairshare import SOLIDARITY_STATES
from pactum.solidarity.matching import (
    DEFAULT_WEIGHTS,
    ApplicantIn,
    CapacityIn,
    LinkIn,
    MatchingRequest,
)

ISO3_TO_STATE = {"ITA": "IT", "GRC": "EL", "CYP": "CY", "ESP": "ES", "MLT": "MT"}

EU27: tuple[str, ...] = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "EL", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
)  # fmt: skip

# Generation assumptions (not law): where diasporas and languages give a meaningful link.
_LANGUAGE: dict[str, tuple[str, ...]] = {
    "fr": ("FR", "BE", "LU"),
    "es": ("ES", "PT"),
    "en": ("IE", "MT"),
    "pt": ("PT",),
}
_NATIONALITY_LANGUAGE: dict[str, str] = {
    **{c: "fr" for c in ("SEN", "CIV", "GIN", "MLI", "MAR", "DZA", "TUN", "CMR", "COD", "BFA", "HTI", "MRT", "TCD")},
    **{c: "es" for c in ("VEN", "COL", "PER", "HND", "NIC", "CUB", "ECU", "SLV", "ARG", "PRY", "GTM", "CHL", "BOL", "DOM")},
    **{c: "en" for c in ("NGA", "GHA", "GMB", "PAK", "BGD", "IND", "SLE", "LBR", "SDN", "ERI", "LKA")},
    "BRA": "pt",
    "AGO": "pt",
    "GNB": "pt",
}
_DIASPORA: dict[str, tuple[str, ...]] = {
    "SYR": ("DE", "SE", "NL", "AT"),
    "AFG": ("DE", "AT", "SE", "FR"),
    "TUR": ("DE", "NL", "AT", "BE"),
    "ERI": ("DE", "NL", "SE"),
    "SOM": ("SE", "FI", "NL"),
    "IRQ": ("DE", "SE", "FI"),
    "IRN": ("DE", "SE", "NL"),
    "PAK": ("DE", "IE", "BE"),
    "BGD": ("PT", "IE", "DE"),
    "EGY": ("DE", "NL", "FR"),
    "MAR": ("FR", "BE", "NL", "ES"),
    "DZA": ("FR", "BE"),
    "TUN": ("FR", "DE", "BE"),
    "SEN": ("FR", "BE"),
    "NGA": ("IE", "DE"),
    "VEN": ("ES", "PT"),
    "COL": ("ES",),
    "PSE": ("DE", "SE", "BE"),
    "GEO": ("DE", "FR", "EL"),
}


#: UNHCR's code for an unknown country of origin in its statistics (not a country).
_UNHCR_UNKNOWN = "UNK"


@lru_cache(maxsize=1)
def nationality_mix() -> dict[str, list[tuple[str, int]]]:
    """Applications lodged in 2024 per MED5 state, by nationality (state -> [(iso3, count)]). UNHCR's
    ``UNK`` (an unknown country of origin) is read as Pactum's ``XXX`` (unknown nationality): the
    records never take it for Kosovo."""
    mix: dict[str, list[tuple[str, int]]] = defaultdict(list)
    path = resources.files("pactum").joinpath("data/solidarity/unhcr_applications_med5_by_origin_2024.csv")
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            origin = UNKNOWN if row["origin_iso3"] == _UNHCR_UNKNOWN else row["origin_iso3"]
            mix[ISO3_TO_STATE[row["asylum_country_iso3"]]].append((origin, int(row["applicants"])))
    return dict(mix)


def _pick(rng: random.Random, items: list[tuple[str, int]]) -> str:
    total = sum(w for _, w in items)
    r = rng.uniform(0, total)
    acc = 0.0
    for k, w in items:
        acc += w
        if r <= acc:
            return k
    return items[-1][0]


def _links(rng: random.Random, nationality: str, origin: str, receivers: tuple[str, ...]) -> list[LinkIn]:
    links: list[LinkIn] = []
    lang = _NATIONALITY_LANGUAGE.get(nationality)
    for s in _DIASPORA.get(nationality, ()):
        if s in receivers and s != origin and rng.random() < 0.12:
            links.append(LinkIn(member_state=s, kind="family"))
        elif s in receivers and s != origin and rng.random() < 0.15:
            links.append(LinkIn(member_state=s, kind="cultural"))
    if lang:
        for s in _LANGUAGE[lang]:
            if s in receivers and s != origin and rng.random() < 0.5:
                links.append(LinkIn(member_state=s, kind="language"))
    if rng.random() < 0.06:
        links.append(LinkIn(member_state=rng.choice(receivers), kind="previous_residence"))
    if rng.random() < 0.04:
        links.append(LinkIn(member_state=rng.choice(receivers), kind="diploma"))
    return [link for link in links if link.member_state != origin]


def generate(
    rng: random.Random,
    n_applicants: int,
    *,
    receivers: tuple[str, ...] = EU27,
    family_share: float = 0.35,
    exclusion_share: float = 0.05,
    capacity_ratio: float = 0.8,
) -> MatchingRequest:
    """An instance with about ``n_applicants`` persons, ``family_share`` of them in families of 2-5.

    Total places are ``capacity_ratio`` x applicants, split across ``receivers`` roughly in
    proportion to their size in the key (population-like weights), so demand exceeds supply.
    """
    mix = nationality_mix()
    origin_weights = [(s, sum(n for _, n in rows)) for s, rows in mix.items()]
    applicants: list[ApplicantIn] = []
    fam_no = 0
    while len(applicants) < n_applicants:
        origin = _pick(rng, origin_weights)
        nat = _pick(rng, mix[origin])
        size = 1
        if rng.random() < family_share / 2.2:  # mean family size ~3.2, so ~family_share persons
            size = rng.choice((2, 2, 3, 3, 4, 5))
        size = min(size, n_applicants - len(applicants))
        family_id = None
        if size > 1:
            fam_no += 1
            family_id = f"F{fam_no}"
        shared = _links(rng, nat, origin, receivers)
        excluded: list[str] = []
        if rng.random() < exclusion_share:
            excluded = rng.sample([s for s in receivers if s != origin], k=rng.randint(1, 3))
        for m in range(size):
            links = shared if (m == 0 or rng.random() < 0.9) else _links(rng, nat, origin, receivers)
            applicants.append(
                ApplicantIn(
                    id=f"A{len(applicants) + 1}",
                    family_id=family_id,
                    in_member_state=origin,
                    links=list(links),
                    excluded_member_states=list(excluded),
                )
            )
    places_total = int(n_applicants * capacity_ratio)
    raw = {s: rng.uniform(0.2, 1.0) * (3.0 if s in ("DE", "FR") else 1.0) for s in receivers}
    total_w = sum(raw.values())
    # a state not bound by the solidarity rules (Denmark) takes part in no relocation: no places
    capacities = [CapacityIn(member_state=s, places=int(places_total * w / total_w)) for s, w in raw.items()
                  if s in SOLIDARITY_STATES]
    return MatchingRequest(capacities=capacities, applicants=applicants, weights=dict(DEFAULT_WEIGHTS))
