"""Demo users, then arrivals registered and screened across the bound states from January 2025.

Arrivals follow the Frontex monthly volume and nationality mix per route (see
``pactum.scenario.calibration``) at about 1/200 of the real detections for scale S. About one in
twelve persons is encountered again in a destination state (secondary movement), with the name
written as another authority would write it. France's outermost regions, which the Frontex series
does not cover, have arrivals of their own (``OVERSEAS_REGIONS``), registered on the region's clock
with no Eurodac record and no screening.
"""

from __future__ import annotations

import heapq
import os
import random
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from pactum.common.countries import country
from pactum.common.routes import ROUTES, SEA_ROUTES
from pactum.registry.local_time import region_of
from pactum.registry.model import RegisterArrival, ScreeningForm
from pactum.scenario.calibration import frontex, names_for
from pactum.scenario.world import ScenarioContext, Step
from pactum.services import registry, users
from pactum.services.auth import SYSTEM, Passwords, Principal, Role
from pactum.store.tables.platform import users as users_table

DEMO_PASSWORD = "pactum-demo"
SCALE_S_FRACTION = 1 / 200
DESTINATIONS = ("DE", "FR", "NL", "BE", "AT", "SE", "IT", "ES")
#: Children among the persons arriving (Frontex, DOMAIN.md §9.1: about one in ten) and, of them,
#: those who travel unaccompanied (more than 20,000 unaccompanied minors among about 380,000
#: detections in 2023: about half of the children).
P_CHILD = 0.10
P_UAM_OF_CHILDREN = 0.5
#: Age bands of unaccompanied minors, with their weights, and the share of boys: Eurostat,
#: asylum applicants considered to be unaccompanied minors (migr_asyunaa), EU 2020 (news release
#: of 23 April 2021): 67% aged 16 to 17, 22% aged 14 to 15, 11% under 14; 88% male. Most children
#: arrive with their family: their ages are spread evenly.
UAM_AGE_BANDS = (((16, 17), 67), ((14, 15), 22), ((0, 13), 11))
P_UAM_MALE = 0.88
#: Where an arrival on a route to a state lands when that is a region of the state with a clock of its
#: own (``pactum.registry.local_time.REGIONS``): the Western African (Atlantic) route reaches Spain in
#: the Canary Islands, so its encounters record ``ES-CN`` and their screenings run on the islands'
#: clock (Atlantic/Canary), one hour behind Madrid's.
ROUTE_REGIONS: dict[tuple[str, str | None], str] = {("ES", "Western African Route"): "ES-CN"}

# (username, authority, roles, full name)
DEMO_USERS: list[tuple[str, str, list[Role], str]] = [
    ("eu-admin", "EU-LISA", [Role.admin], "Platform administrator"),
    ("auditor", "EU-LISA", [Role.auditor], "Data protection auditor"),
    ("com-solidarity", "COM", [Role.solidarity_coordinator, Role.analyst], "EU Solidarity Coordinator"),
    ("com-analyst", "COM", [Role.analyst], "Commission follow-up analyst"),
    ("frontex-analyst", "FRONTEX", [Role.analyst], "Frontex risk analyst"),
    ("euaa-analyst", "EUAA", [Role.analyst], "EUAA analyst"),
]
for _ms in ("IT", "EL", "ES", "DE", "FR", "AT", "NL", "BE", "CY", "MT", "BG", "PL", "SE", "HU"):
    low = _ms.lower()
    DEMO_USERS += [
        (f"{low}-caseworker", _ms, [Role.caseworker], f"Caseworker ({_ms})"),
        (f"{low}-reviewer", _ms, [Role.caseworker], f"Senior caseworker, second reviewer ({_ms})"),
        (f"{low}-dublin", _ms, [Role.dublin_unit], f"Dublin unit ({_ms})"),
        (f"{low}-return", _ms, [Role.return_officer], f"Return officer ({_ms})"),
        (f"{low}-admin", _ms, [Role.admin, Role.solidarity_coordinator], f"Administrator ({_ms})"),
        (f"{low}-analyst", _ms, [Role.analyst], f"Analyst ({_ms})"),
    ]


class _HashedAhead(Passwords):
    """The demo users' password hashes, computed before the users are created, several at once:
    argon2 releases the GIL, and hashing the 90 users' password one after the other was the build's
    largest single cost after its queries (about 4 CPU-seconds). Each hash is the store's own
    hasher's, with its own salt, as ``create_user`` would have made it; another password is hashed
    as usual."""

    def __init__(self, inner: Passwords, hashes: list[str]) -> None:
        self._inner, self._hashes = inner, hashes

    def hash(self, password: str) -> str:
        if password == DEMO_PASSWORD and self._hashes:
            return self._hashes.pop()
        return self._inner.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        return self._inner.verify(password_hash, password)


def create_demo_users(ctx: ScenarioContext) -> None:
    services = ctx.services
    with services.engine.connect() as conn:
        existing = set(conn.execute(select(users_table.c.username)).scalars())
    todo = [u for u in DEMO_USERS if u[0] not in existing]
    inner = services.passwords
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        hashes = list(pool.map(lambda _: inner.hash(DEMO_PASSWORD), todo))
    services.passwords = _HashedAhead(inner, hashes)
    try:
        with ctx.progress("Demo users", len(DEMO_USERS)) as advance:
            for username, authority, roles, full_name in DEMO_USERS:
                if username not in existing:
                    users.create_user(services, SYSTEM, users.UserCreate(
                        username=username, full_name=full_name, authority=authority, roles=roles,
                        password=DEMO_PASSWORD))
                advance(1)
    finally:
        services.passwords = inner


def _officer(ms: str) -> Principal:
    return Principal(f"scenario-{ms}", f"scenario-{ms.lower()}", ms, frozenset({Role.caseworker}))


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _months(start: date, end: date) -> list[date]:
    out, d = [], date(start.year, start.month, 1)
    while d <= end:
        out.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def _respell(rng: random.Random, name: str) -> str:
    """How another authority may write the same name (the noise identity resolution must handle)."""
    variants = [("ou", "u"), ("u", "ou"), ("oha", "uha"), ("Mohammed", "Muhammad"),
                ("Mohammed", "Mohamed"), ("Mohammad", "Muhammad"), ("kh", "h"), ("Kh", "H"),
                ("ee", "i"), ("y", "i"), ("ss", "s"), ("Al-", "El "), ("Abdel-", "Abdul "),
                ("ullah", "ulla"), ("ei", "ey"), ("ii", "iy")]
    rng.shuffle(variants)
    for a, b in variants:
        if a in name:
            return name.replace(a, b, 1)
    return name


def _age(rng: random.Random, child: bool, unaccompanied: bool) -> int:
    """An age at arrival: an unaccompanied minor's from Eurostat's age bands, another child's
    evenly from 0 to 17, an adult's around 27."""
    if unaccompanied:
        low, high = rng.choices([b for b, _ in UAM_AGE_BANDS], weights=[w for _, w in UAM_AGE_BANDS])[0]
        return rng.randint(low, high)
    return rng.randint(0, 17) if child else int(min(65, max(18, rng.gauss(27, 8))))


def _dob(rng: random.Random, on: date, age: int) -> tuple[date, str]:
    """The day of birth of a person aged ``age`` on ``on``, and the date of birth as recorded:
    often only the year or month, or the 1 January placeholder many authorities record."""
    born = on - timedelta(days=age * 365 + rng.randint(0, 364))
    return born, _recorded(rng, born)


def _recorded(rng: random.Random, born: date) -> str:
    roll = rng.random()
    if roll < 0.18:
        return f"{born.year:04d}"
    if roll < 0.23:
        return f"{born.year:04d}-{born.month:02d}"
    if roll < 0.33:
        return f"{born.year:04d}-01-01"  # the placeholder many authorities record
    return born.isoformat()


def build_arrivals(ctx: ScenarioContext) -> None:
    rng = ctx.step_rng("registry")
    cal = frontex()
    plan: list[tuple[datetime, str, str]] = []
    for month in _months(ctx.start, ctx.end):
        volumes = cal.monthly_by_route.get(month.month, {})
        for route, detections in sorted(volumes.items()):
            expected = detections * SCALE_S_FRACTION * ctx.scale
            n = int(expected) + (rng.random() < expected - int(expected))
            for _ in range(n):
                day = rng.randint(1, 28)
                at = datetime(month.year, month.month, day, rng.randint(0, 23), rng.randint(0, 59),
                              tzinfo=UTC)
                if at.date() >= ctx.end:
                    continue
                plan.append((at, route, _weighted(rng, cal.nationality_mix[route])))
    plan.sort()
    persons: list[dict[str, object]] = []
    overseas: list[dict[str, object]] = []
    end_moment = ctx.end_moment
    overseas_rng = ctx.step_rng("registry:overseas")
    overseas_plan = _overseas_plan(ctx, overseas_rng)
    # France's overseas arrivals are registered in time order among the others, from their own stream
    # (the draws of the other arrivals stay where they were)
    merged: Iterator[tuple[datetime, int, tuple[datetime, str, str] | _OverseasArrival]] = heapq.merge(
        ((item[0], 0, item) for item in plan), ((item.at, 1, item) for item in overseas_plan),
        key=lambda t: (t[0], t[1]))
    with ctx.progress("Arrivals registered and screened", len(plan) + len(overseas_plan)) as advance:
        for _, _, item in merged:
            if isinstance(item, _OverseasArrival):
                overseas.append(_register_overseas(ctx, overseas_rng, item, end_moment))
                advance(1)
                continue
            at, route, nationality = item
            ms = rng.choice(ROUTES.get(route) or ("IT",))
            person = _register(ctx, rng, at, route, nationality, ms, end_moment)
            persons.append(person)
            if rng.random() < 1 / 12:
                later = at + timedelta(days=rng.randint(20, 200))
                dest = rng.choice([d for d in DESTINATIONS if d != ms])
                if later < end_moment:
                    persons.append(_register(ctx, rng, later, None, nationality, dest, end_moment,
                                             again=person))
            advance(1)
    ctx.shared["registry.persons"] = persons
    ctx.shared[OVERSEAS_PERSONS] = overseas


def _register(ctx: ScenarioContext, rng: random.Random, at: datetime, route: str | None,
              nationality: str, ms: str, end_moment: datetime,
              again: dict[str, object] | None = None) -> dict[str, object]:
    group = names_for(nationality)
    if again is None:
        roll = rng.random()
        child = roll < P_CHILD
        unaccompanied = child and rng.random() < P_UAM_OF_CHILDREN
        if unaccompanied:
            sex = "M" if rng.random() < P_UAM_MALE else "F"
        else:
            sex = "F" if (roll > 0.85 or (child and rng.random() < 0.4)) else "M"
        given = rng.choice(group.female if sex == "F" else group.male)
        if rng.random() < 0.3:
            given = f"{given} {rng.choice(group.male)}"
        surname = rng.choice(group.surnames)
        born, dob = _dob(rng, at.date(), _age(rng, child, unaccompanied))
        facts: dict[str, object] = {"given": given, "surname": surname, "sex": sex, "dob": dob, "born": born,
                                    "nationality": nationality, "child": child, "unaccompanied": unaccompanied}
    else:
        facts = dict(again)
        facts["given"] = _respell(rng, str(again["given"]))
        facts["surname"] = _respell(rng, str(again["surname"]))
        if rng.random() < 0.3:
            facts["dob"] = str(again["dob"])[:4]
    given, surname = str(facts["given"]), str(facts["surname"])
    native_given = group.native.get(given.split()[0]) if rng.random() < 0.5 else None
    if route is None:
        kind = "in_territory_application" if rng.random() < 0.7 else "illegal_stay"
    elif route in SEA_ROUTES:
        kind = "sar_disembarkation" if rng.random() < 0.6 else "irregular_crossing"
    else:
        kind = "border_crossing_point_application" if rng.random() < 0.05 else "irregular_crossing"
    captured = at + timedelta(hours=rng.uniform(0.5, 30))
    transmitted = captured + timedelta(hours=rng.uniform(1, 60) if rng.random() < 0.95 else rng.uniform(73, 120))
    # the world ends now: an arrival of its last days is registered by now, its fingerprints
    # taken and sent no later than that (nothing in the store is dated in the future)
    registered = min(max(transmitted, at) + timedelta(minutes=5), end_moment)
    transmitted = min(transmitted, registered - timedelta(minutes=1))
    captured = min(captured, transmitted)
    has_doc = rng.random() < 0.35
    command = RegisterArrival.model_validate({
        "identity": {
            "given_names": native_given or given, "surname": surname,
            "given_names_latin": given, "surname_latin": surname,
            "sex": facts["sex"], "date_of_birth": facts["dob"], "nationality": nationality,
            "documents": ([{"type": "passport", "number": f"{nationality[:2]}{rng.randint(1000000, 9999999)}",
                            "country": nationality}] if has_doc and nationality not in ("XXX", "XXA") else []),
        },
        "encounter": {"member_state": ms, "occurred_at": at, "kind": kind, "route": route,
                      "place": None, "border_section": None, "region": ROUTE_REGIONS.get((ms, route))},
        "biometrics": {"captured_at": captured, "transmitted_at": transmitted,
                       "template_ref": f"tpl-{rng.getrandbits(48):012x}"},
        # the four days of Screening Reg. Art 8(3) are an irregular crosser's only (Art 5(1)(a)); the draw
        # is made for every arrival, as before, so the world's other draws stay where they were
        "held_over_72h": (rng.random() < 0.05) and kind == "irregular_crossing",
    })
    officer = _officer(ms)
    ctx.at(registered)
    result = registry.register_arrival(ctx.services, officer, command)
    if result.screening and result.screening.deadline_at < end_moment - timedelta(days=2):
        _complete_screening(ctx, rng, officer, result.screening.id, result.screening.version,
                            result.screening.deadline_at, nationality, result.screening.variant,
                            route=route)
    facts.update({"person_id": result.person_id, "record_id": result.identity_record_id,
                  "member_state": ms, "at": at, "registered_at": registered, "kind": kind, "route": route})
    return facts


#: Where the demo world's persons registered in France's outermost regions are left for later steps
#: (``ctx.shared``): apart from ``registry.persons``, which the identity, responsibility and returns
#: steps read as arrivals at the Schengen external border and their secondary movements.
OVERSEAS_PERSONS = "registry.overseas_persons"


@dataclass(frozen=True)
class OverseasRegion:
    """Arrivals in one of France's outermost regions (``pactum.registry.local_time.REGIONS``), where
    no Eurodac record and no screening are made (AMMR Art 76, Eurodac Art 60): the registry records
    the encounter with its region, on the region's clock."""

    region: str
    per_year: float
    """arrivals a year at scale S: a demo assumption, modest beside the thousands a year the French
    authorities meet there (see ``OVERSEAS_REGIONS``), like the 1/200 of the Frontex series elsewhere"""
    nationalities: tuple[tuple[str, int], ...]
    """the nationality mix (weights)"""
    kinds: tuple[tuple[str, int], ...]
    """how the persons are met (``EncounterKind``, weights)"""
    crossings: tuple[tuple[str, str], ...]
    """(place, border section) where a crossing is met"""
    town: str
    """where a person met inside the region applies or is found staying"""
    hours: tuple[int, int]
    """the local hours (from, to, on the region's clock; to may be past midnight) of most encounters"""


#: France's outermost regions in the demo world. Mayotte: kwassa-kwassa (small fishing boats) from
#: Anjouan in the Comoros, and persons of the Great Lakes region and the Horn of Africa who come the
#: same way from the East African coast, mostly landing at night; French Guiana: river crossings from
#: Brazil (the Oyapock) and Suriname (the Maroni), with Haitians, Cubans and Dominicans, and Syrians
#: and Afghans who reach it through Brazil; Guadeloupe and Martinique: boats from Dominica and Saint
#: Lucia, and Haitians and Venezuelans who apply at the prefecture. The mixes and volumes are the demo
#: world's assumptions, drawn from the nationalities OFPRA's annual reports name for these regions, not
#: figures; nothing is drawn for La Réunion and Saint-Martin.
OVERSEAS_REGIONS: tuple[OverseasRegion, ...] = (
    OverseasRegion("FR-976", 18,
                   (("COM", 62), ("COD", 12), ("BDI", 8), ("RWA", 6), ("SOM", 6), ("MDG", 6)),
                   (("irregular_crossing", 80), ("sar_disembarkation", 20)),
                   (("M'tsamboro beach", "north coast, kwassa-kwassa landing from Anjouan"),
                    ("Dzaoudzi, Petite-Terre", "lagoon, kwassa-kwassa intercepted at sea"),
                    ("Mamoudzou harbour", "lagoon, boat rescued and escorted to port")),
                   "Mamoudzou", (21, 5)),
    OverseasRegion("FR-973", 12,
                   (("HTI", 30), ("CUB", 14), ("DOM", 10), ("BRA", 10), ("GUY", 10), ("SUR", 4),
                    ("SYR", 8), ("AFG", 8), ("VEN", 6)),
                   (("irregular_crossing", 70), ("in_territory_application", 30)),
                   (("Saint-Georges-de-l'Oyapock", "Oyapock river, from Oiapoque (Brazil)"),
                    ("Saint-Laurent-du-Maroni", "Maroni river, from Albina (Suriname)")),
                   "Cayenne", (6, 20)),
    OverseasRegion("FR-971", 3,
                   (("HTI", 60), ("DOM", 25), ("DMA", 15)),
                   (("irregular_crossing", 50), ("illegal_stay", 20), ("in_territory_application", 30)),
                   (("Pointe-à-Pitre", "sea, boat from Dominica"),),
                   "Basse-Terre", (5, 22)),
    OverseasRegion("FR-972", 3,
                   (("HTI", 45), ("VEN", 30), ("LCA", 25)),
                   (("irregular_crossing", 50), ("illegal_stay", 20), ("in_territory_application", 30)),
                   (("Le Robert", "sea, boat from Saint Lucia"),),
                   "Fort-de-France", (5, 22)),
)

#: Names of the overseas arrivals whose nationality the shipped name groups do not cover
#: (``pactum.data.reference/names.yaml`` would give them its default group): (male, female, surnames).
OVERSEAS_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "COM": (("Said", "Ali", "Nassur", "Abdou", "Houmadi", "Ousseni", "Anli", "Kamal", "Mohamed"),
            ("Zaharia", "Mariama", "Echati", "Anzilati", "Fatima", "Nadjma", "Soilha"),
            ("Abdallah", "Attoumani", "Soilihi", "Madi", "Ahamada", "Mdahoma", "Youssouf", "Combo")),
    "MDG": (("Rivo", "Hery", "Tojo", "Fanja", "Andry"), ("Voahangy", "Lalao", "Hanta", "Miora"),
            ("Rakotomalala", "Randriamanana", "Rasoanaivo", "Andriamihaja")),
    "COD": (("Jean", "Patrick", "Christian", "Blaise", "Emmanuel", "Joseph"), ("Esther", "Grace", "Aline", "Divine"),
            ("Mukendi", "Kabongo", "Ilunga", "Tshibangu", "Mbuyi", "Kasongo")),
    "BDI": (("Eric", "Jean-Claude", "Pacifique", "Olivier"), ("Aline", "Claudine", "Divine"),
            ("Niyonzima", "Ndayishimiye", "Hakizimana", "Nshimirimana")),
    "RWA": (("Eric", "Innocent", "Jean-Paul", "Emmanuel"), ("Alice", "Chantal", "Josiane"),
            ("Uwimana", "Habimana", "Mugisha", "Niyonsaba")),
    "HTI": (("Jean", "Pierre", "Wilner", "Jacques", "Frantz", "Ricardo", "Jean Robert"),
            ("Marie", "Nadège", "Rose-Marie", "Guerline", "Fabiola", "Wislande"),
            ("Joseph", "Pierre", "Jean-Baptiste", "Charles", "Louis", "Saint-Fleur", "Dorvil", "Exantus")),
    "DOM": (("José", "Luis", "Ramón", "Wander", "Yunior"), ("María", "Yokasta", "Altagracia"),
            ("Pérez", "Rodríguez", "Santana", "Reyes", "Féliz")),
    "GUY": (("Ravi", "Devon", "Shaun", "Kevin", "Rohan"), ("Alicia", "Shania", "Natasha"),
            ("Persaud", "Singh", "Williams", "Ramsaroop", "Thomas")),
    "SUR": (("Ricardo", "Romano", "Jerrel"), ("Sharon", "Gracia"), ("Pinas", "Amoida", "Linga", "Sabajo")),
    "DMA": (("Kervin", "Jermaine", "Alvin"), ("Sherlene", "Kimone"), ("Joseph", "Charles", "Pierre", "Laville")),
    "LCA": (("Kurt", "Shem", "Jerome"), ("Kimberly", "Shanice"), ("Joseph", "Charles", "Alexander", "Felix")),
}


@dataclass(frozen=True)
class _OverseasArrival:
    at: datetime
    """in UTC"""
    local: datetime
    """the same moment on the region's clock, as the officer writes it"""
    region: OverseasRegion
    nationality: str


def _overseas_plan(ctx: ScenarioContext, rng: random.Random) -> list[_OverseasArrival]:
    """The overseas arrivals of each month (:data:`OVERSEAS_REGIONS`), each at a local hour of its
    region, before the world's end."""
    plan: list[_OverseasArrival] = []
    for month in _months(ctx.start, ctx.end):
        for region in OVERSEAS_REGIONS:
            zone = region_of(region.region)
            assert zone is not None
            expected = region.per_year / 12 * ctx.scale
            n = int(expected) + (rng.random() < expected - int(expected))
            for _ in range(n):
                low, high = region.hours
                span = (high - low) % 24 + 1
                hour = (low + rng.randrange(span)) % 24 if rng.random() < 0.85 else rng.randrange(24)
                local = datetime(month.year, month.month, rng.randint(1, 28), hour, rng.randint(0, 59),
                                 tzinfo=ZoneInfo(zone.zone))
                at = local.astimezone(UTC)
                if at >= ctx.end_moment:
                    continue
                plan.append(_OverseasArrival(at, local, region, _weighted(rng, list(region.nationalities))))
    plan.sort(key=lambda a: (a.at, a.region.region, a.nationality))
    return plan


def _register_overseas(ctx: ScenarioContext, rng: random.Random, arrival: _OverseasArrival,
                       end_moment: datetime) -> dict[str, object]:
    """Register an arrival in one of France's outermost regions through the registry service, as a
    French officer there does: the encounter's time as the region's clock showed it, with the region;
    fingerprints taken for the state's own records (no Eurodac record, no screening: the registry's
    rule, ``encounter.outside_scope``)."""
    nationality, region = arrival.nationality, arrival.region
    child = rng.random() < P_CHILD
    unaccompanied = child and rng.random() < P_UAM_OF_CHILDREN
    sex = ("M" if rng.random() < P_UAM_MALE else "F") if unaccompanied else (
        "F" if rng.random() < (0.45 if child else 0.3) else "M")
    own = OVERSEAS_NAMES.get(nationality)
    if own is not None:
        male, female, surnames = own
    else:
        group = names_for(nationality)
        male, female, surnames = tuple(group.male), tuple(group.female), tuple(group.surnames)
    given = rng.choice(female if sex == "F" else male)
    surname = rng.choice(surnames)
    born, dob = _dob(rng, arrival.local.date(), _age(rng, child, unaccompanied))
    kind = _weighted(rng, list(region.kinds))
    place: str
    section: str | None
    place, section = rng.choice(region.crossings)
    if kind in ("in_territory_application", "illegal_stay"):  # met inside the region, not at its border
        place, section = region.town, None
    registered = min(arrival.at + timedelta(hours=rng.uniform(1, 20)), end_moment)
    captured = min(arrival.at + timedelta(hours=rng.uniform(0.5, 12)), registered - timedelta(minutes=1))
    has_doc = rng.random() < 0.25
    command = RegisterArrival.model_validate({
        "identity": {
            "given_names": given, "surname": surname, "sex": sex, "date_of_birth": dob, "nationality": nationality,
            "documents": ([{"type": "passport", "number": f"{nationality[:2]}{rng.randint(1000000, 9999999)}",
                            "country": nationality}] if has_doc else []),
        },
        # the time as the officer there reads it (the region's offset), and the region itself
        "encounter": {"member_state": "FR", "occurred_at": arrival.local.isoformat(), "kind": kind,
                      "route": None, "place": place, "border_section": section, "region": region.region},
        "biometrics": {"captured_at": captured, "template_ref": f"tpl-{rng.getrandbits(48):012x}"},
    })
    ctx.at(registered)
    result = registry.register_arrival(ctx.services, _officer("FR"), command)
    return {"given": given, "surname": surname, "sex": sex, "dob": dob, "born": born,
            "nationality": nationality, "child": child, "unaccompanied": unaccompanied,
            "person_id": result.person_id, "record_id": result.identity_record_id,
            "encounter_id": result.encounter_id, "member_state": "FR", "region": region.region,
            "at": arrival.at, "local_day": arrival.local.date(), "registered_at": registered, "kind": kind,
            "route": None}


#: Languages a person of a nationality most often speaks at a screening interview (the demo's
#: answer to Screening Reg. Art 17(1)(b), "languages spoken"); a nationality not listed: English.
LANGUAGES: dict[str, tuple[str, ...]] = {
    "SYR": ("Arabic", "Kurdish (Kurmanji)"), "AFG": ("Dari", "Pashto"), "BGD": ("Bengali",),
    "EGY": ("Arabic",), "MLI": ("Bambara", "French"), "UKR": ("Ukrainian", "Russian"),
    "DZA": ("Arabic", "French"), "MAR": ("Arabic", "Tamazight", "French"), "SEN": ("Wolof", "French"),
    "TUR": ("Turkish", "Kurdish (Kurmanji)"), "PAK": ("Urdu", "Punjabi"), "GIN": ("Pular", "French"),
    "SDN": ("Arabic",), "TUN": ("Arabic", "French"), "GMB": ("Mandinka", "English"),
    "ERI": ("Tigrinya",), "SOM": ("Somali",), "IRQ": ("Arabic", "Kurdish (Sorani)"),
    "CIV": ("French", "Dioula"), "PSE": ("Arabic",), "IRN": ("Farsi",), "MRT": ("Hassaniya Arabic",),
    "ETH": ("Amharic", "Oromo"), "SLE": ("Krio", "English"), "NGA": ("English", "Yoruba"),
    "LBN": ("Arabic",), "KWT": ("Arabic",), "CHN": ("Mandarin Chinese",), "YEM": ("Arabic",),
    "LKA": ("Tamil", "Sinhala"), "COM": ("Comorian", "French"), "COG": ("French", "Lingala"),
    "CMR": ("French", "English"), "BFA": ("Mooré", "French"), "BDI": ("Kirundi", "French"),
    "IND": ("Hindi", "Punjabi"), "NPL": ("Nepali",), "GEO": ("Georgian",), "ALB": ("Albanian",),
}
#: Countries where persons on a route often lived before they arrived (Screening Reg. Art 17(1)(b),
#: "countries of residence before arrival"), besides their own.
RESIDENCE_ON_ROUTE: dict[str, tuple[str, ...]] = {
    "Central Mediterranean Route": ("Libya", "Tunisia"),
    "Eastern Mediterranean Route": ("Türkiye", "Lebanon"),
    "Western Mediterranean Route": ("Morocco", "Algeria"),
    "Western African Route": ("Mauritania", "Morocco", "Senegal"),
    "Western Balkan Route": ("Türkiye", "Serbia", "Bosnia and Herzegovina"),
    "Eastern Borders Route": ("Belarus", "Russian Federation"),
    "Circular Route from Albania to Greece": ("Albania",),
    "Black Sea Route": ("Türkiye",),
}
#: Family members a person says are in a Member State (Art 17(1)(g)), and where.
FAMILY = ("brother", "sister", "husband", "wife", "uncle", "cousin", "father", "mother")
FAMILY_STATES = ("Germany", "France", "the Netherlands", "Belgium", "Austria", "Sweden", "Italy", "Spain")


def _form_rng(ctx: ScenarioContext) -> random.Random:
    """The stream of the screening form's points (b) and (g): drawn apart from the registry's own
    stream, so that answering them moves no other draw of the world."""
    stream = ctx.shared.get("registry.form_rng")
    if not isinstance(stream, random.Random):
        stream = ctx.shared["registry.form_rng"] = ctx.step_rng("registry:screening-form")
    return stream


def _form_answers(form_rng: random.Random, nationality: str, route: str | None) -> dict[str, str]:
    """Points (b), countries of residence and languages, and (g), family in a Member State, as an
    officer writes them down from the interview."""
    try:
        own = country(nationality).name if nationality not in ("XXX", "XXA") else None
    except ValueError:
        own = None
    residence = [own] if own else []
    elsewhere = RESIDENCE_ON_ROUTE.get(route or "", ())
    if elsewhere and (not residence or form_rng.random() < 0.45):
        residence.append(form_rng.choice(elsewhere))
    languages = list(LANGUAGES.get(nationality, ("English",)))
    if len(languages) > 1 and form_rng.random() < 0.4:
        languages = languages[:1]
    if form_rng.random() < 0.2:
        family = f"{form_rng.choice(FAMILY)} in {form_rng.choice(FAMILY_STATES)} (declared)"
    else:
        family = "none declared"
    return {"residence_before_arrival": ", ".join(residence) or "not stated",
            "languages": ", ".join(languages), "family_in_member_state": family}


LOW_RECOGNITION = {"BGD", "EGY", "MAR", "TUN", "PAK", "IND", "DZA", "GEO", "ALB", "NPL", "SEN", "GMB"}


def _complete_screening(ctx: ScenarioContext, rng: random.Random, officer: Principal,
                        screening_id: str, version: int, deadline: datetime, nationality: str,
                        variant: str = "border", *, route: str | None = None) -> None:
    if nationality in LOW_RECOGNITION:
        outcome = rng.choices(["border_procedure", "return", "asylum"], [0.6, 0.2, 0.2])[0]
    else:
        outcome = rng.choices(["asylum", "relocation", "return", "border_procedure"],
                              [0.82, 0.06, 0.07, 0.05])[0]
    if variant == "inland" and outcome == "border_procedure":
        # screened inside the territory: not the border procedure (APR Art 43(1)), the asylum procedure
        outcome = "asylum"
    ctx.at(deadline - timedelta(hours=rng.uniform(2, 60)))
    answers = _form_answers(_form_rng(ctx), nationality, route)
    registry.update_screening(ctx.services, officer, screening_id, ScreeningForm(
        version=version, health_check="no acute condition found", **answers,
        vulnerability="none identified" if rng.random() < 0.85 else "special reception needs",
        applied_for_protection=outcome in ("asylum", "border_procedure", "relocation"),
        database_hit=rng.random() < 0.04, cooperated=rng.random() < 0.95, outcome=outcome,  # type: ignore[arg-type]
    ))


def build(ctx: ScenarioContext) -> None:
    create_demo_users(ctx)
    build_arrivals(ctx)


STEP = Step(name="registry", order=10, build=build,
            description="Demo users; arrivals registered and screened, calibrated on Frontex")
