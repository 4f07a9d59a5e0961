"""The states bound by the Pact on Migration and Asylum, named by EU inter-institutional codes.

ISO 3166 alpha-2 except ``EL`` for Greece (``GR`` is accepted on input). Libraries that want ISO
codes (``holidays``, pycountry) get them from :attr:`State.iso2`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

StateKind = Literal["eu", "associated"]


@dataclass(frozen=True, slots=True)
class State:
    code: str
    name: str
    kind: StateKind
    iso2: str
    iso3: str
    note: str = ""


_DK_NOTE = (
    "Not bound by the Pact instruments under Protocol No 22 TEU/TFEU; applies the Dublin and "
    "Eurodac rules through its 2006 international agreement with the EU."
)
_IE_NOTE = "Protocol No 21: bound by the Pact instruments it has opted into."
_ASSOC_NOTE = "Associated with Dublin and Eurodac by agreement with the EU; not bound by APR/Screening."

_STATES: tuple[State, ...] = (
    State("AT", "Austria", "eu", "AT", "AUT"),
    State("BE", "Belgium", "eu", "BE", "BEL"),
    State("BG", "Bulgaria", "eu", "BG", "BGR"),
    State("HR", "Croatia", "eu", "HR", "HRV"),
    State("CY", "Cyprus", "eu", "CY", "CYP"),
    State("CZ", "Czechia", "eu", "CZ", "CZE"),
    State("DK", "Denmark", "eu", "DK", "DNK", _DK_NOTE),
    State("EE", "Estonia", "eu", "EE", "EST"),
    State("FI", "Finland", "eu", "FI", "FIN"),
    State("FR", "France", "eu", "FR", "FRA"),
    State("DE", "Germany", "eu", "DE", "DEU"),
    State("EL", "Greece", "eu", "GR", "GRC"),
    State("HU", "Hungary", "eu", "HU", "HUN"),
    State("IE", "Ireland", "eu", "IE", "IRL", _IE_NOTE),
    State("IT", "Italy", "eu", "IT", "ITA"),
    State("LV", "Latvia", "eu", "LV", "LVA"),
    State("LT", "Lithuania", "eu", "LT", "LTU"),
    State("LU", "Luxembourg", "eu", "LU", "LUX"),
    State("MT", "Malta", "eu", "MT", "MLT"),
    State("NL", "Netherlands", "eu", "NL", "NLD"),
    State("PL", "Poland", "eu", "PL", "POL"),
    State("PT", "Portugal", "eu", "PT", "PRT"),
    State("RO", "Romania", "eu", "RO", "ROU"),
    State("SK", "Slovakia", "eu", "SK", "SVK"),
    State("SI", "Slovenia", "eu", "SI", "SVN"),
    State("ES", "Spain", "eu", "ES", "ESP"),
    State("SE", "Sweden", "eu", "SE", "SWE"),
    State("IS", "Iceland", "associated", "IS", "ISL", _ASSOC_NOTE),
    State("LI", "Liechtenstein", "associated", "LI", "LIE", _ASSOC_NOTE),
    State("NO", "Norway", "associated", "NO", "NOR", _ASSOC_NOTE),
    State("CH", "Switzerland", "associated", "CH", "CHE", _ASSOC_NOTE),
)

MEMBER_STATES: dict[str, State] = {s.code: s for s in _STATES}
EU_MEMBER_STATES: tuple[str, ...] = tuple(s.code for s in _STATES if s.kind == "eu")
ALIASES = {"GR": "EL", "UK": "GB"}

EU_BODIES: dict[str, str] = {
    "COM": "European Commission",
    "EUAA": "European Union Agency for Asylum",
    "FRONTEX": "European Border and Coast Guard Agency (Frontex)",
    "EU-LISA": "eu-LISA (operator of the shared systems)",
}


def member_state(code: str) -> str:
    """Normalise a state code (``gr`` -> ``EL``); raise ``ValueError`` naming the bad code."""
    if not isinstance(code, str) or not code.strip():
        raise ValueError("a Member State code is required")
    c = code.strip().upper()
    c = ALIASES.get(c, c)
    if c not in MEMBER_STATES:
        raise ValueError(f"'{code}' is not a state bound by the Pact (use codes such as IT, DE, EL)")
    return c


def state(code: str) -> State:
    return MEMBER_STATES[member_state(code)]


def is_authority(code: str) -> bool:
    return code in MEMBER_STATES or code in EU_BODIES


def authority_name(code: str) -> str:
    if code in MEMBER_STATES:
        return MEMBER_STATES[code].name
    return EU_BODIES.get(code, code)
