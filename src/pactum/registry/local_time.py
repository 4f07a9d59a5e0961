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

A state with territory in another zone (Spain's Canary Islands, Portugal's Azores and Madeira,
France's outermost regions) records where an encounter happened with its **region** (:data:`REGIONS`:
the ISO 3166-2 code of the territory, ``ES-CN``, ``PT-20``, ``PT-30``, ``FR-971`` … ``FR-MF``) or the
IANA zone: the encounter's time, in UTC or at any
offset, is then read on that territory's clock (:func:`encounter_zone_name`). Without it, an offset
given with the time that is the clock of one of the state's territories places it there (``+00:00``
included, as above; an offset several regions keep, ``-04:00`` in France, is refused by
:func:`offset_problem` rather than guessed); a time given in UTC (``Z``), or at an offset no clock of
the state keeps at that moment, is read at the capital. The registration passes the zone it records to the functions
below (``zone``); without one they read the time as the points above say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from pactum.common.clock import as_utc

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


@dataclass(frozen=True)
class Region:
    """A territory of a state that keeps a clock of its own (its IANA time zone), by its ISO 3166-2
    subdivision code."""

    code: str
    name: str
    zone: str
    #: Whether the region is part of its state's European territory. France's outermost regions
    #: (Art 349 TFEU) are not: the Union's law applies there (Art 355(1) TFEU), but Regulation (EU)
    #: 2024/1351 applies to France's European territory only (Art 76), and with it Eurodac (Reg.
    #: (EU) 2024/1358 Art 60), as Reg. 604/2013 Art 43 and Reg. 603/2013 Art 42 did; the Schengen
    #: acquis neither (Convention implementing the Schengen Agreement, Art 138). See
    #: ``pactum.registry.rules.outside_eurodac`` and ``outside_screening``.
    european: bool = True


#: The territories of a state in a time zone other than its capital's, by their ISO 3166-2 code:
#: Spain's Canary Islands (``ES-CN``, ``Atlantic/Canary``: one hour behind Madrid all year), Portugal's
#: Azores (``PT-20``, ``Atlantic/Azores``: one hour behind Lisbon) and Madeira (``PT-30``,
#: ``Atlantic/Madeira``: Lisbon's clock, a zone of its own in the zone database), France's outermost
#: regions (Art 349 TFEU), none of which changes to summer time: Guadeloupe (``FR-971``,
#: ``America/Guadeloupe``, UTC-4), Martinique (``FR-972``, ``America/Martinique``, UTC-4), French
#: Guiana (``FR-973``, ``America/Cayenne``, UTC-3), La Réunion (``FR-974``, ``Indian/Reunion``,
#: UTC+4), Mayotte (``FR-976``, ``Indian/Mayotte``, UTC+3) and Saint-Martin (``FR-MF``,
#: ``America/Marigot``, UTC-4) — the codes as ISO 3166-2 (pycountry 26.2.16) gives them. An
#: encounter records one of its state's (``encounter.region``); none is the capital's clock (the
#: mainland, Spain's Balearic Islands, Ceuta and Melilla, Corsica).
REGIONS: dict[str, tuple[Region, ...]] = {
    "ES": (Region("ES-CN", "Canary Islands", "Atlantic/Canary"),),
    "PT": (Region("PT-20", "Azores", "Atlantic/Azores"), Region("PT-30", "Madeira", "Atlantic/Madeira")),
    "FR": (Region("FR-971", "Guadeloupe", "America/Guadeloupe", european=False),
           Region("FR-972", "Martinique", "America/Martinique", european=False),
           Region("FR-973", "French Guiana", "America/Cayenne", european=False),
           Region("FR-974", "La Réunion", "Indian/Reunion", european=False),
           Region("FR-976", "Mayotte", "Indian/Mayotte", european=False),
           Region("FR-MF", "Saint-Martin", "America/Marigot", european=False)),
}

#: Territory of a state in a time zone other than its capital's (IANA names), whose clock an offset
#: given with a time may be (Spain's Canary Islands; Portugal's Madeira and Azores; France's outermost
#: regions).
OTHER_ZONES: dict[str, tuple[str, ...]] = {
    ms: tuple(r.zone for r in regions) for ms, regions in REGIONS.items()}

#: The capital's territory as the forms name it, for a state with :data:`REGIONS`.
MAINLAND_WORDS: dict[str, str] = {
    "ES": "mainland Spain, the Balearic Islands, Ceuta and Melilla",
    "PT": "mainland Portugal",
    "FR": "metropolitan France, Corsica included",
}


def region_of(code: str) -> Region | None:
    """The region of the ISO 3166-2 ``code`` (any state's), or None."""
    for regions in REGIONS.values():
        for r in regions:
            if r.code == code:
                return r
    return None


def region_of_zone(member_state: str, zone: str) -> Region | None:
    """The state's region whose clock is ``zone`` (IANA), or None (the capital's, or not the state's)."""
    return next((r for r in REGIONS.get(member_state, ()) if r.zone == zone), None)


def state_zone_names(member_state: str) -> tuple[str, ...]:
    """The state's time zones (IANA), the capital's first."""
    return (STATE_ZONES[member_state], *OTHER_ZONES.get(member_state, ()))


def eurodac_zone_names(member_state: str) -> tuple[str, ...]:
    """The time zones of the state's territory where Eurodac applies (:attr:`Region.european`), the
    capital's first: a day of its Eurodac data is over when it is over on all of them."""
    return (STATE_ZONES[member_state], *(r.zone for r in REGIONS.get(member_state, ()) if r.european))


def place_problem(member_state: str, region: str | None, zone: str | None) -> tuple[str, str] | None:
    """Why ``region`` (ISO 3166-2) and ``zone`` (IANA) cannot say where an encounter in
    ``member_state`` happened — ``(field, message)``, the field ``region`` or ``time_zone`` — or
    None. Each must be one of the state's (the Canary Islands only for Spain; a zone of the state's
    territory, the capital's included), and, both given, the same place."""
    regions = REGIONS.get(member_state, ())
    if region is not None and region not in {r.code for r in regions}:
        listed = ", ".join(f"{r.code} ({r.name})" for r in regions)
        other = region_of(region)
        whose = f"{region} ({other.name}) is not a region of {member_state}" if other else (
            f"{region!r} is not a region with a clock of its own")
        return ("region", f"{whose}: " + (f"give one of {member_state}'s, {listed}, or none for "
                                          f"{MAINLAND_WORDS.get(member_state, 'the capital')} ({STATE_ZONES[member_state]})"
                                          if regions else
                                          f"{member_state} keeps one clock ({STATE_ZONES[member_state]}): give none"))
    names = state_zone_names(member_state)
    if zone is not None and zone not in names:
        return ("time_zone", f"{zone!r} is not a time zone of {member_state}: give one of {', '.join(names)}")
    if region is not None and zone is not None:
        r = region_of(region)
        assert r is not None
        if r.zone != zone:
            return ("time_zone", f"{zone} is not the clock of {region} ({r.name}), which is {r.zone}")
    return None

def offset_problem(at: datetime, member_state: str, region: str | None, zone: str | None) -> tuple[str, str] | None:
    """Why the offset given with ``at`` cannot say where an encounter without a region or time zone
    happened — ``("region", message)`` — or None: where it is the clock of several of the state's
    regions and not the capital's (``-04:00`` in France is Guadeloupe's, Martinique's and
    Saint-Martin's), Pactum does not guess the region; the officer gives it."""
    if region is not None or zone is not None or at.tzinfo is None:
        return None
    offset = local_moment(at, member_state).utcoffset()
    if at.astimezone(state_zone(member_state)).utcoffset() == offset:
        return None
    matching = [r for r in REGIONS.get(member_state, ()) if at.astimezone(ZoneInfo(r.zone)).utcoffset() == offset]
    if len(matching) < 2:
        return None
    listed = ", ".join(f"{r.code} ({r.name})" for r in matching)
    shown = at.strftime("%z")
    return ("region", f"the offset {shown[:3]}:{shown[3:]} given with the time is the clock of {listed}: "
                      "give the region where the encounter happened")


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


def local_moment(at: datetime, member_state: str, zone: str | None = None) -> datetime:
    """``at`` as the clock showed it where it happened (see the module's rules); ``zone``: the
    clock of the place recorded with it (the encounter's ``time_zone``), which reads it whatever the
    offset given."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    if zone is not None:
        return at.astimezone(ZoneInfo(zone))
    if at.utcoffset():  # given with the local offset: read as given
        return at
    if at.tzinfo is LOCAL_ZERO and keeps_utc(at, member_state):  # "+00:00": a clock of the state
        return at
    return at.astimezone(state_zone(member_state))


def local_day(at: datetime, member_state: str, zone: str | None = None) -> date:
    """The calendar day at the place of the event (``zone``: its clock, when recorded)."""
    return local_moment(at, member_state, zone).date()


def stored_day(at: datetime | str, member_state: str, zone: str | None = None) -> date:
    """The local day of a moment the store holds (an encounter's ``occurred_at``, a Eurodac
    record's ``registered_at``, a capture's ``captured_at``): UTC, naive or aware, or the text
    SQLite hands back for an aggregate of timestamps, read on ``zone`` (the encounter's recorded
    ``time_zone``) or, without one, the clock of the state's capital, as the registration read it.
    A state the platform keeps no clock for (none registers in Pactum) keeps the UTC day."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at.replace("Z", "+00:00").replace(" ", "T", 1))
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    if zone is None and member_state not in STATE_ZONES:
        return at.date()
    return local_day(at, member_state, zone)


def event_zone(at: datetime, member_state: str, zone: str | None = None) -> tzinfo:
    """The zone whose days count for an event at ``at``: ``zone`` when the place is recorded; else
    the state's, or the fixed offset given with the time when it differs from the state's at that
    moment (the Canary Islands, the Azores)."""
    if zone is not None:
        return ZoneInfo(zone)
    local = local_moment(at, member_state)
    capital = state_zone(member_state)
    if local.utcoffset() == local.astimezone(capital).utcoffset():
        return capital
    assert local.tzinfo is not None
    return local.tzinfo


def encounter_zone_name(at: datetime, member_state: str, region: str | None = None,
                        zone: str | None = None) -> str:
    """The time zone (IANA) of the place of an encounter at ``at``, which its record keeps: that of
    ``region`` (ISO 3166-2) or ``zone`` when given (checked by :func:`place_problem`); otherwise
    the zone of the state whose clock the offset given with ``at`` is at that moment (the
    capital's first: ``+00:00`` in winter in Spain is the Canary Islands', ``-01:00`` in Portugal
    the Azores'); otherwise (a time in UTC, or an offset no clock of the state keeps) the
    capital's."""
    if zone is not None:
        return zone
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    if region is not None:
        r = region_of(region)
        if r is not None:
            return r.zone
    offset = local_moment(at, member_state).utcoffset()
    for name in state_zone_names(member_state):
        if at.astimezone(ZoneInfo(name)).utcoffset() == offset:
            return name
    return STATE_ZONES[member_state]


def end_of_local_day(day: date, zone: tzinfo) -> datetime:
    """The last moment (23:59:59) of ``day`` in ``zone``, in UTC."""
    return datetime.combine(day, END_OF_DAY, tzinfo=zone).astimezone(UTC)


def local_today(now: datetime, member_state: str) -> date:
    """Today in the state (``now`` is the clock's moment, in UTC)."""
    return local_day(now, member_state)


def state_today(now: datetime, member_state: str | None) -> date:
    """Today on the clock of ``member_state`` (its capital's, :data:`STATE_ZONES`): the day a case's
    dates are checked against and its deadlines counted on. At 23:30 UTC on 1 December it is already
    2 December in Athens and Nicosia, still 1 December in Lisbon. ``now`` is the clock's moment; a
    caller without a state (an EU body) or a state the platform keeps no clock for keeps the UTC
    day."""
    if member_state in STATE_ZONES:
        return local_today(now, member_state)
    return as_utc(now).date()


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

