"""From a recorded identity to the normalised columns the linkage model compares.

The same function prepares the batch input (every engine) and the online search query, so that
a record is normalised identically whichever path it takes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from pactum.identity.normalise import (
    STATE_READING,
    NormalisedName,
    authority_reading,
    name_order_folded,
    name_order_key,
    normalise_document_number,
    normalise_name,
    normalise_text,
    parse_birth_date,
)

#: Columns produced by :func:`features`, in order.
FEATURE_COLUMNS: tuple[str, ...] = (
    "given_folded", "surname_folded", "given_key", "surname_key", "given_first_key",
    "names_folded", "names_key", "names_key_local", "name_words", "father_folded", "father_key",
    "dob_year", "dob_ym", "dob_full", "dob_md", "dob_dm",
    "sex", "nationality", "place_folded", "place_key", "document",
)

_UNKNOWN_NATIONALITY = frozenset({"", "XXX"})


@lru_cache(maxsize=200_000)
def _name(text: str) -> NormalisedName:
    return normalise_name(text)


@lru_cache(maxsize=50_000)
def _place(text: str) -> str:
    return normalise_text(text)


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    raw = resources.files("pactum").joinpath("data/identity/places.json").read_text(encoding="utf-8")
    return dict(json.loads(raw))


def place_key(folded: str) -> str | None:
    """Rule ``place_names``: the GeoNames id of the town a folded place of birth names, by any of
    its names (Halab, Alep and Aleppo; Wahran and Oran; Kiev and Kyiv), or ``None`` for a name
    the gazetteer does not hold (a region, a village). ``data/identity/places.json``, built by
    ``scripts/build_places.py`` from GeoNames (CC BY 4.0)."""
    return _places().get(folded) if folded else None


def _or_none(s: str) -> str | None:
    return s or None


def local_names_key(given_text: str, surname_text: str, member_state: str | None) -> str | None:
    """The names key as the recording state's authorities read the letters (rule
    ``authority_reading``: a German record's Chaled as Khaled), or ``None`` when that is the
    neutral key (:func:`features`' ``names_key``) or the state has no reading of its own."""
    if not member_state or member_state.upper() not in STATE_READING:
        return None
    read_given = authority_reading(given_text, member_state)
    read_surname = authority_reading(surname_text, member_state)
    if read_given is None and read_surname is None:
        return None
    given, surname = _name(given_text), _name(surname_text)
    key = name_order_key(given if read_given is None else _name(read_given),
                         surname if read_surname is None else _name(read_surname))
    return key if key and key != name_order_key(given, surname) else None


def features(record: Mapping[str, Any]) -> dict[str, Any]:
    """Normalised comparison columns of one record (missing values are ``None``)."""

    def text(key: str) -> str:
        v = record.get(key)
        return "" if v is None else str(v).strip()

    given = _name(text("given_names"))
    surname = _name(text("surname"))
    father = _name(text("father_name"))
    dob = parse_birth_date(text("date_of_birth"))
    sex = text("sex").upper()[:1]
    nationality = text("nationality").upper()
    return {
        "given_folded": _or_none(given.folded),
        "surname_folded": _or_none(surname.folded),
        "given_key": _or_none(given.key),
        "surname_key": _or_none(surname.key),
        "given_first_key": _or_none(given.first_key),
        "names_folded": _or_none(name_order_folded(given, surname)),
        "names_key": _or_none(name_order_key(given, surname)),
        "names_key_local": local_names_key(text("given_names"), text("surname"), text("member_state")),
        "name_words": sorted(set(given.keys + surname.keys)) or None,
        "father_folded": _or_none(father.folded),
        "father_key": _or_none(father.key),
        "dob_year": dob.year,
        "dob_ym": dob.year_month,
        "dob_full": dob.full,
        "dob_md": dob.month_day,
        "dob_dm": dob.day_month,
        "sex": sex if sex in ("M", "F") else None,
        "nationality": None if nationality in _UNKNOWN_NATIONALITY else nationality,
        "place_folded": _or_none(place := _place(text("place_of_birth"))),
        "place_key": place_key(place),
        "document": _or_none(normalise_document_number(text("document_number"))),
    }
