"""Third countries by ISO 3166 alpha-3 (as Eurostat and Frontex data use them), via pycountry.

Pactum adds the ICAO/Eurostat codes for statelessness and unknown nationality, and Kosovo (XKX),
which ISO has not assigned.

``UNK`` is not a country: UNHCR's statistics give it for an unknown country of origin (its own code
UKN; UNHCR counts Kosovo with Serbia under SRB), and ICAO Doc 9303 gives it to travel documents
UNMIK issued to residents of Kosovo. :func:`country` refuses it, saying to write XXX (unknown) or
XKX (Kosovo), so that an unknown origin is never taken for Kosovo (a safe country of origin);
:func:`nationality_name` names it "Unknown" where statistics show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pycountry

STATELESS = "XXA"
UNKNOWN = "XXX"
KOSOVO = "XKX"
#: UNHCR's code (coo_iso) for an unknown country of origin in its statistics.
UNHCR_UNKNOWN = "UNK"
_EXTRA = {STATELESS: "Stateless", UNKNOWN: "Unknown", KOSOVO: "Kosovo"}
_AMBIGUOUS = {
    UNHCR_UNKNOWN: "'UNK' is UNHCR's code for an unknown country of origin and ICAO's for a travel "
                   "document UNMIK issued to a resident of Kosovo: write XXX for an unknown nationality "
                   "or XKX for Kosovo",
}


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
    if c in _AMBIGUOUS:
        raise ValueError(_AMBIGUOUS[c])
    if c in _EXTRA:
        return Country(c, _EXTRA[c])
    found = pycountry.countries.get(alpha_3=c) if len(c) == 3 else None
    if found is None and len(c) == 2:
        found = pycountry.countries.get(alpha_2="GR" if c == "EL" else c)
    if found is None:
        raise ValueError(f"'{code}' is not an ISO 3166 alpha-3 country code")
    name = getattr(found, "common_name", None) or found.name
    return Country(found.alpha_3, name)


#: Codes Frontex adds to ISO 3166 in its detections by nationality (its files' own names).
FRONTEX_CODES = {"STL": "Stateless", "OOO": "Unknown", "OOS": "Unidentified Sub-Saharan Africa"}
#: Codes UNHCR adds to ISO 3166 for the country of origin in its statistics.
UNHCR_CODES = {UNHCR_UNKNOWN: "Unknown"}


def nationality_name(code: object) -> str | None:
    """The name of a nationality as the records and statistics give it: an ISO 3166 country, one
    of Pactum's codes (:data:`STATELESS`, :data:`UNKNOWN`, Kosovo), one of Frontex's
    (:data:`FRONTEX_CODES`) or UNHCR's (:data:`UNHCR_CODES`: ``UNK`` is "Unknown"); None for
    anything else, which is shown as it is."""
    if not isinstance(code, str) or not code.strip():
        return None
    c = code.strip().upper()
    if c in FRONTEX_CODES:
        return FRONTEX_CODES[c]
    if c in UNHCR_CODES:
        return UNHCR_CODES[c]
    try:
        return country(code).name
    except ValueError:
        return None


def is_country(code: str) -> bool:
    try:
        country(code)
    except ValueError:
        return False
    return True
