"""Languages by ISO 639 code, via pycountry: a language a person understands, as a decision's
translation names it.

A code is accepted as ISO 639-1 (two letters, ``ti``), ISO 639-3 or ISO 639-2/T (three letters,
``tir``, ``prs``) or ISO 639-2/B (``fre``); it is kept as ISO 639-3, which every language has (Dari,
``prs``, has no two-letter code). The codes that name no language a person speaks are refused:
``und`` (undetermined), ``mul`` (multiple languages), ``mis`` (uncoded), ``zxx`` (no linguistic
content) and the range reserved for local use (``qaa``-``qtz``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pycountry

#: ISO 639 codes that name no language a person understands.
NOT_A_LANGUAGE = frozenset({"und", "mul", "mis", "zxx"})


@dataclass(frozen=True, slots=True)
class Language:
    alpha3: str
    name: str


@lru_cache(maxsize=512)
def language(code: str) -> Language:
    """The language of an ISO 639 code (639-1, 639-2/T or /B, 639-3); ``ValueError`` otherwise."""
    if not isinstance(code, str) or not code.strip():
        raise ValueError("a language code is required (ISO 639, e.g. 'ti' or 'tir' for Tigrinya)")
    c = code.strip().lower()
    if c in NOT_A_LANGUAGE or (len(c) == 3 and "qaa" <= c <= "qtz"):
        raise ValueError(f"'{code.strip()}' names no language a person understands: give the language's ISO 639 code")
    found = None
    if len(c) == 2 and c.isalpha():
        found = pycountry.languages.get(alpha_2=c)
    elif len(c) == 3 and c.isalpha():
        found = pycountry.languages.get(alpha_3=c) or pycountry.languages.get(bibliographic=c)
    if found is None:
        named = _by_name().get(code.strip().casefold())
        hint = f": {named.name} is '{named.alpha3}'" if named is not None else ""
        raise ValueError(f"'{code.strip()}' is not an ISO 639 language code{hint}")
    return Language(found.alpha_3, found.name)


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Language]:
    """Languages by their English name, to say the code of a language typed by name."""
    return {lang.name.casefold(): Language(lang.alpha_3, lang.name) for lang in pycountry.languages}


def language_name(code: str | None) -> str:
    """The language's English name (the code itself when it names none)."""
    if not code:
        return ""
    try:
        return language(code).name
    except ValueError:
        return code
