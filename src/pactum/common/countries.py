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
        named = _by_name().get(code.strip().casefold())
        hint = f": {named.name} is {named.alpha3}" if named is not None else ""
        raise ValueError(f"'{code}' is not an ISO 3166 alpha-3 country code{hint}")
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


@lru_cache(maxsize=1)
def all_countries() -> tuple[Country, ...]:
    """Every code :func:`country` accepts as a nationality or a third country, by name: ISO 3166's
    countries, Kosovo, and the ICAO codes for a stateless person and an unknown nationality. What a
    form offers to pick from, so that an officer finds "Eritrea" without knowing it is ERI."""
    found = {country(c.alpha_3) for c in pycountry.countries}
    found |= {country(code) for code in _EXTRA}
    return tuple(sorted(found, key=lambda c: (c.name.casefold(), c.alpha3)))


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Country]:
    """Countries by a name an officer may type instead of the code ("eritrea"), only where the
    name is one country's: the refusal of a name says which code to write (never taken for it)."""
    seen: dict[str, set[str]] = {}
    for c in pycountry.countries:
        for name in {c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)} - {None}:
            seen.setdefault(str(name).casefold(), set()).add(c.alpha_3)
    for code, name in _EXTRA.items():
        seen.setdefault(name.casefold(), set()).add(code)
    # "Congo" is COG's name and the head of the DRC's ("Congo, The Democratic Republic of the"):
    # a name another country's name begins with, before a comma, says no code
    heads = {name.split(",")[0] for name in seen if "," in name}
    return {name: country(next(iter(codes))) for name, codes in seen.items()
            if len(codes) == 1 and name not in heads}
