"""Third countries by ISO 3166 alpha-3 (as Eurostat and Frontex data use them), via pycountry.

Pactum adds the ICAO/Eurostat codes for statelessness and unknown nationality, and Kosovo (XKX),
which ISO has not assigned.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pycountry

STATELESS = "XXA"
UNKNOWN = "XXX"
_EXTRA = {STATELESS: "Stateless", UNKNOWN: "Unknown", "XKX": "Kosovo", "UNK": "Kosovo"}


@dataclass(frozen=True, slots=True)
class Country:
    alpha3: str
    name: str


@lru_cache(maxsize=512)
def country(code: str) -> Country:
    """Return the country for an alpha-3 code (alpha-2 accepted); raise ``ValueError`` otherwise."""
    if not isinstance(code, str) or not code.strip():
        raise ValueError("a country code is required")
    c = code.strip().upper()
    if c in _EXTRA:
        return Country("XKX" if c == "UNK" else c, _EXTRA[c])
    found = pycountry.countries.get(alpha_3=c) if len(c) == 3 else None
    if found is None and len(c) == 2:
        found = pycountry.countries.get(alpha_2="GR" if c == "EL" else c)
    if found is None:
        raise ValueError(f"'{code}' is not an ISO 3166 alpha-3 country code")
    name = getattr(found, "common_name", None) or found.name
    return Country(found.alpha_3, name)


def is_country(code: str) -> bool:
    try:
        country(code)
    except ValueError:
        return False
    return True
