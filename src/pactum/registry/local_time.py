"""The local day of an encounter: where it happened, not in UTC.

Periods counted in days run on the calendar days of the place where the event occurred (Reg.
1182/71 counts "the day during which an event occurs"), and the Pact applies to encounters from
12 June 2026 as a day there: a disembarkation at Lampedusa at 01:30 on 12 June (23:30 UTC on
11 June) is an encounter of 12 June. Pactum stores moments in UTC; this module finds their local
day and the end of a local day.

- A timestamp given with a UTC offset (``2026-06-12T01:30:00+02:00``) is read at that offset:
  the officer said what the clock showed where it happened. An offset of zero written as
  ``+00:00`` is such a clock where the state has territory that keeps UTC at that moment (the
  Canary Islands, Madeira and mainland Portugal in winter, the Azores in summer, Ireland in
  winter, Iceland): a Canary Islands arrival at 23:30 on 29 November is an arrival of 29
  November, not of Madrid's 30 November. The JSON contracts mark such a time with
  :data:`LOCAL_ZERO` (``pactum.registry.model``); where no territory of the state keeps UTC at that
  moment (Italy), ``+00:00`` can only be UTC.
- A naive timestamp (the platform's convention: UTC) or one given in UTC (``Z``, or a Python
  datetime in UTC) is read in the Member State's time zone (``STATE_ZONES``: the zone of its
  capital; Europe's summer time follows Directive 2000/84/EC, and ``zoneinfo`` knows it).

A state with territory in another zone (Spain's Canary Islands, Portugal's Azores) gives the
offset with the time to be read there (``+00:00`` included); a time given in UTC (``Z``) is read at
the capital.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

#: The time zone of each state's capital (IANA names), for every state the platform registers for.
STATE_ZONES: dict[str, str] = {
    "AT": "Europe/Vienna", "BE": "Europe/Brussels", "BG": "Europe/Sofia", "CY": "Asia/Nicosia",
    "CZ": "Europe/Prague", "DE": "Europe/Berlin", "DK": "Europe/Copenhagen", "EE": "Europe/Tallinn",
    "EL": "Europe/Athens", "ES": "Europe/Madrid", "FI": "Europe/Helsinki", "FR": "Europe/Paris",
    "HR": "Europe/Zagreb", "HU": "Europe/Budapest", "IE": "Europe/Dublin", "IT": "Europe/Rome",
    "LT": "Europe/Vilnius", "LU": "Europe/Luxembourg", "LV": "Europe/Riga", "MT": "Europe/Malta",
    "NL": "Europe/Amsterdam", "PL": "Europe/Warsaw", "PT": "Europe/Lisbon", "RO": "Europe/Bucharest",
    "SE": "Europe/Stockholm", "SI": "Europe/Ljubljana", "SK": "Europe/Bratislava",
    "CH": "Europe/Zurich", "IS": "Atlantic/Reykjavik", "LI": "Europe/Vaduz", "NO": "Europe/Oslo",
}

#: Territory of a state in a time zone other than its capital's (IANA names), whose clock an offset
#: given with a time may be (Spain's Canary Islands; Portugal's Madeira and Azores).
OTHER_ZONES: dict[str, tuple[str, ...]] = {
    "ES": ("Atlantic/Canary",),
    "PT": ("Atlantic/Madeira", "Atlantic/Azores"),
}

#: The offset of a time given as ``+00:00`` (not ``Z``): a local clock showing UTC+0, not UTC. The
#: JSON contracts put it on such a time (``pactum.registry.model``); :func:`local_moment` reads it
#: at that offset where some territory of the state keeps UTC at that moment.
LOCAL_ZERO = timezone(timedelta(0), "+00:00")

#: The last moment of a day, as Pactum stores the end of a period counted in days.
END_OF_DAY = time(23, 59, 59)


@lru_cache(maxsize=64)
def state_zone(member_state: str) -> ZoneInfo:
    """The time zone of ``member_state`` (``KeyError`` for a state without one)."""
    return ZoneInfo(STATE_ZONES[member_state])


def zone_name(member_state: str) -> str:
    return STATE_ZONES[member_state]


def keeps_utc(at: datetime, member_state: str) -> bool:
    """Whether a clock of ``member_state`` (its capital's or another territory's,
    :data:`OTHER_ZONES`) shows UTC+0 at the moment ``at`` (aware)."""
    names = (STATE_ZONES[member_state], *OTHER_ZONES.get(member_state, ()))
    return any(not at.astimezone(ZoneInfo(name)).utcoffset() for name in names)


def local_moment(at: datetime, member_state: str) -> datetime:
    """``at`` as the clock showed it where it happened (see the module's rules)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    if at.utcoffset():  # given with the local offset: read as given
        return at
    if at.tzinfo is LOCAL_ZERO and keeps_utc(at, member_state):  # "+00:00": a clock of the state
        return at
    return at.astimezone(state_zone(member_state))


def local_day(at: datetime, member_state: str) -> date:
    """The calendar day at the place of the event."""
    return local_moment(at, member_state).date()


def event_zone(at: datetime, member_state: str) -> tzinfo:
    """The zone whose days count for an event at ``at``: the state's, or the fixed offset given
    with the time when it differs from the state's at that moment (the Canary Islands, the
    Azores)."""
    local = local_moment(at, member_state)
    zone = state_zone(member_state)
    if local.utcoffset() == local.astimezone(zone).utcoffset():
        return zone
    assert local.tzinfo is not None
    return local.tzinfo


def end_of_local_day(day: date, zone: tzinfo) -> datetime:
    """The last moment (23:59:59) of ``day`` in ``zone``, in UTC."""
    return datetime.combine(day, END_OF_DAY, tzinfo=zone).astimezone(UTC)


def local_today(now: datetime, member_state: str) -> date:
    """Today in the state (``now`` is the clock's moment, in UTC)."""
    return local_day(now, member_state)


def start_of_local_day(day: date, member_state: str) -> datetime:
    """Midnight at the start of ``day`` in the state, in UTC."""
    return datetime.combine(day, time(0), tzinfo=state_zone(member_state)).astimezone(UTC)


def in_state_time(at: datetime, member_state: str, zone: str | None = None) -> datetime:
    """A stored moment (UTC) as the state's clock shows it (``zone``: the clock of one of its
    territories, e.g. ``Atlantic/Canary``, :func:`screening_zone_name`)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(ZoneInfo(zone) if zone else state_zone(member_state))


def screening_zone_name(deadline_at: datetime, member_state: str) -> str:
    """The time zone (IANA name) of the place where a screening runs, read from its deadline.

    A screening's deadline is the end (23:59:59) of its last day in the zone of the encounter
    (:func:`event_zone`: the capital's, or the offset the officer gave with the time). Pactum keeps
    no other trace of that zone (the encounter's ``place`` and ``border_section`` are free text),
    so the zone is the one of the state whose clock shows the end of a day at ``deadline_at``: the
    capital's first, then :data:`OTHER_ZONES` — a Canary Islands arrival given with its own offset
    reads ``Atlantic/Canary`` (always one hour behind Madrid), an Azores one ``Atlantic/Azores``.
    Madeira keeps Lisbon's clock all year, so its screenings read ``Europe/Lisbon``: the same time."""
    if deadline_at.tzinfo is None:
        deadline_at = deadline_at.replace(tzinfo=UTC)
    capital = STATE_ZONES[member_state]
    for name in (capital, *OTHER_ZONES.get(member_state, ())):
        shown = deadline_at.astimezone(ZoneInfo(name))
        if (shown.hour, shown.minute) == (END_OF_DAY.hour, END_OF_DAY.minute):
            return name
    return capital

