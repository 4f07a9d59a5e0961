"""Safe-country lists as dated, referenced data (APR Arts 59-64).

An entry says that, for a scope (``EU`` for the Union list in APR Annex II or a Member State code
for a national list), a third country is designated under a concept from a date (and possibly
until a date), with the act that designates it. Authorised users maintain the entries; the ones
shipped in ``pactum/data/procedures/safe_countries.yaml`` seed the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any, Literal

import pycountry
import yaml
from pydantic import BaseModel, ConfigDict, Field

from pactum.common.countries import STATELESS, UNKNOWN, country
from pactum.common.errors import ValidationProblem
from pactum.common.states import EU_MEMBER_STATES, member_state

#: The days a designation may start or end between: not before the Refugee Convention was signed
#: (28 July 1951; every safe-country concept applies it), nor after 2099 (a typing slip, not an act).
EARLIEST = date(1951, 7, 28)
LATEST = date(2099, 12, 31)
#: The Union's Member States by ISO alpha-3: not third countries, so none is designated (they are
#: regarded as safe countries of origin for each other: Protocol (No 24) on asylum for nationals of
#: Member States of the European Union; APR Arts 59-64 designate third countries).
EU_ALPHA3: frozenset[str] = frozenset(
    c.alpha_3 for c in (pycountry.countries.get(alpha_2="GR" if ms == "EL" else ms) for ms in EU_MEMBER_STATES)
    if c is not None)

#: Codes for a nationality that is not a country: never designated.
NOT_A_COUNTRY: frozenset[str] = frozenset({STATELESS, UNKNOWN})

Concept = Literal["safe_country_of_origin", "safe_third_country", "candidate_country"]
CONCEPTS: tuple[str, ...] = ("safe_country_of_origin", "safe_third_country", "candidate_country")


@dataclass(frozen=True, slots=True)
class SafeCountryEntry:
    scope: str
    concept: str
    country: str
    valid_from: date
    reference: str
    valid_to: date | None = None
    exclusion: str | None = None
    note: str = ""

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "concept": self.concept,
            "country": self.country,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "reference": self.reference,
            "exclusion": self.exclusion,
            "note": self.note,
        }


#: The longest exclusion ground a designation keeps (the store's column).
EXCLUSION_MAX = 60


class SafeCountryIn(BaseModel):
    """``POST /api/v1/procedures/safe-countries``: one designation as an authorised user submits
    it. Each field is JSON text (or absent, or null); :func:`validate_entry` checks what they say,
    with its message per field. (The body was a free JSON object: a ``note`` of ``[]`` or a
    ``reference`` of ``2024`` was stored as the text ``"[]"`` or ``"2024"``.) A field it does not
    have is refused by name (``valid_untill`` was dropped: the designation stored without an end)."""

    model_config = ConfigDict(extra="forbid")

    scope: str | None = Field(None, description="'EU' or a Member State code")
    concept: str | None = Field(None, description=" | ".join(CONCEPTS))
    country: str | None = Field(None, description="ISO 3166 alpha-3 code")
    valid_from: str | None = Field(None, description="YYYY-MM-DD")
    valid_to: str | None = Field(None, description="YYYY-MM-DD")
    reference: str | None = Field(None, description="the act that designates the country")
    exclusion: str | None = None
    note: str | None = None


def validate_entry(raw: dict[str, Any]) -> SafeCountryEntry:
    """Check one entry as an authorised user submits it; ``ValidationProblem`` per field."""
    problems: list[tuple[str, str]] = []
    scope = str(raw.get("scope") or "").strip().upper()
    if scope != "EU":
        try:
            scope = member_state(scope)
        except ValueError as e:
            problems.append(("scope", f"'EU' or a Member State code: {e}"))
    concept = str(raw.get("concept") or "")
    if concept not in CONCEPTS:
        problems.append(("concept", f"one of {', '.join(CONCEPTS)}"))
    if concept == "candidate_country" and scope != "EU":
        problems.append(("concept", "candidate countries are designated at Union level only"))
    ctry = ""
    try:
        ctry = country(str(raw.get("country") or "")).alpha3
    except ValueError as e:
        problems.append(("country", str(e)))
    if ctry in NOT_A_COUNTRY:
        problems.append(("country", f"{ctry} ({'stateless' if ctry == 'XXA' else 'unknown nationality'}) "
                                    "is not a country: only a third country is designated (Regulation "
                                    "(EU) 2024/1348, Articles 59 and 61)"))
    if ctry in EU_ALPHA3:
        problems.append(("country", f"{ctry} is a Member State of the Union, not a third country: "
                                    "Member States are not designated (Protocol (No 24) on asylum "
                                    "for nationals of Member States)"))

    def _date(field: str, required: bool) -> date | None:
        v = raw.get(field)
        if v in (None, ""):
            if required:
                problems.append((field, "a date (YYYY-MM-DD) is required"))
            return None
        try:
            d = v if isinstance(v, date) else date.fromisoformat(str(v))
        except ValueError:
            problems.append((field, "not a date (YYYY-MM-DD)"))
            return None
        if not EARLIEST <= d <= LATEST:
            problems.append((field, f"between {EARLIEST.isoformat()} (the Refugee Convention) and "
                                    f"{LATEST.isoformat()}"))
            return None
        return d

    vf = _date("valid_from", True)
    vt = _date("valid_to", False)
    if vf and vt and vt < vf:
        problems.append(("valid_to", "ends before it starts"))
    reference = str(raw.get("reference") or "").strip()
    if not reference:
        problems.append(("reference", "name the act that designates the country"))
    exclusion = str(raw.get("exclusion") or "").strip() or None
    if exclusion is not None and len(exclusion) > EXCLUSION_MAX:
        problems.append(("exclusion", f"at most {EXCLUSION_MAX} characters (the ground, e.g. 'armed conflict')"))
    if problems:
        raise ValidationProblem(problems)
    assert vf is not None
    return SafeCountryEntry(
        scope=scope,
        concept=concept,
        country=ctry,
        valid_from=vf,
        valid_to=vt,
        reference=reference,
        exclusion=exclusion,
        note=str(raw.get("note") or ""),
    )


class SafeCountryChange(BaseModel):
    """``PATCH /api/v1/procedures/safe-countries/{id}``: an administrator ends a designation from a
    date (``valid_to``, the last day it applies) or corrects what it says (its dates, the act, the
    exclusion, the note), giving the ``version`` they saw and the ``reason``. The scope, concept
    and country are what the designation is: a wrong one is withdrawn (``DELETE``) and added
    again. A field left out stays as it is; ``valid_to`` of null reopens the end."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(description="the designation's version you saw")
    reason: str = Field(description="why the designation is ended or corrected")
    valid_from: str | None = Field(None, description="YYYY-MM-DD")
    valid_to: str | None = Field(None, description="YYYY-MM-DD, the last day it applies")
    reference: str | None = None
    exclusion: str | None = None
    note: str | None = None


class SafeCountryWithdrawal(BaseModel):
    """``DELETE /api/v1/procedures/safe-countries/{id}``: a designation entered in error (it never
    applied: a wrong country, scope or concept) is withdrawn, with the ``version`` seen and the
    ``reason`` (the audit trail keeps what it said)."""

    model_config = ConfigDict(extra="forbid")

    version: int
    reason: str


def shipped_entries() -> list[SafeCountryEntry]:
    text = resources.files("pactum.data.procedures").joinpath("safe_countries.yaml").read_text("utf-8")
    doc = yaml.safe_load(text)
    out: list[SafeCountryEntry] = []
    for lst in doc["lists"]:
        for item in lst["countries"]:
            raw = {
                "scope": lst["scope"],
                "concept": lst["concept"],
                "reference": lst["reference"],
                "valid_from": item.get("valid_from", lst["valid_from"]),
                "valid_to": item.get("valid_to", lst.get("valid_to")),
                "country": item["country"],
                "exclusion": item.get("exclusion"),
                "note": item.get("note", lst.get("note", "")),
            }
            out.append(validate_entry(raw))
    return out


def designations(
    entries: Iterable[SafeCountryEntry], nationality: str, on: date, member_state_code: str
) -> list[SafeCountryEntry]:
    """Entries in force on ``on`` for ``nationality`` in the EU list or that state's own list."""
    return [
        e
        for e in entries
        if e.country == nationality and e.in_force(on) and e.scope in ("EU", member_state_code)
    ]
