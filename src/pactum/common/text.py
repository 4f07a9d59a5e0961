"""Text every store can hold.

PostgreSQL text cannot hold the NUL character (U+0000): psycopg refuses the statement. No name,
reason or number a user types has it, so every way in (the API, the web forms, the CLI's files)
refuses it, naming the field, before anything is written.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import StringConstraints

#: What the user is told when a value holds the NUL character.
NUL_MESSAGE = "must not contain the NUL character (U+0000)"


def nul_locations(value: object, loc: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Where in a decoded JSON value (dicts, lists, strings) a string holds the NUL character:
    each place as the path of keys and indexes from ``loc``."""
    if isinstance(value, str):
        return [loc] if "\x00" in value else []
    if isinstance(value, dict):
        return [found for k, v in value.items() for found in nul_locations(v, (*loc, str(k)))]
    if isinstance(value, list):
        return [found for i, v in enumerate(value) for found in nul_locations(v, (*loc, i))]
    return []


#: Free text a person must write: leading and trailing blanks are dropped before the length is
#: checked, so that "   " does not pass ``min_length=1`` as a reason, a name or a message.
Text = Annotated[str, StringConstraints(strip_whitespace=True)]


def shortened(value: str, limit: int = 40) -> str:
    """``value`` as a message quotes it: whole up to ``limit`` characters, else cut with "…" (an
    id of 10,000 characters typed by mistake is not echoed back whole)."""
    return value if len(value) <= limit else value[:limit] + "…"


def plural(count: int, one: str, many: str | None = None) -> str:
    """The noun that goes with ``count``: ``one`` for exactly 1, else ``many`` (``one`` + "s" when
    not given) — "1 hit", "0 hits", "2 hits"; "1 entry", "3 entries" with ``many="entries"``."""
    return one if count == 1 else (many if many is not None else one + "s")


def counted(count: int, one: str, many: str | None = None, *, grouped: bool = False) -> str:
    """``count`` and its noun: "1 hit", "2 hits"; with ``grouped`` the thousands separated
    ("1,234 decisions")."""
    number = f"{count:,}" if grouped else str(count)
    return f"{number} {plural(count, one, many)}"


#: The proper names a code's words hold, as the law writes them ("protection in another Member
#: State", "indicated responsible in Eurodac"), by the lower-case words a code gives.
_PROPER_WORDS = re.compile(r"\b(member states?|eurodac|schengen|frontex|euaa|etias|sis|vis|icao|un|eu)\b")
_PROPER = {"member state": "Member State", "member states": "Member States", "eurodac": "Eurodac",
           "schengen": "Schengen", "frontex": "Frontex", "euaa": "EUAA", "etias": "ETIAS", "sis": "SIS",
           "vis": "VIS", "icao": "ICAO", "un": "UN", "eu": "EU"}


def code_words(code: object) -> str:
    """A code of the domain as words (``protection_in_another_member_state``: "protection in another
    Member State"; ``indicated_responsible_in_eurodac``: "indicated responsible in Eurodac"): the
    underscores as spaces and the proper names capitalised as the law writes them; "" for None."""
    if code is None:
        return ""
    return _PROPER_WORDS.sub(lambda m: _PROPER[m.group(1)], str(code).replace("_", " "))
