"""Where an encounter happened fixes its clock: the region (ISO 3166-2) or time zone (IANA) of one of
its state's territories, checked against the state; without one, the clock of the offset given, or
the capital's."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from pactum.registry import rules
from pactum.registry.local_time import (
    LOCAL_ZERO,
    REGIONS,
    encounter_zone_name,
    local_day,
    place_problem,
    region_of,
    region_of_zone,
    screening_zone_name,
)
from pactum.registry.model import EurodacCategory

#: 23:30 UTC on 29 November 2026: 23:30 on the Canary Islands (UTC+0 in winter), 00:30 on 30
#: November in Madrid.
NIGHT = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)


def test_the_zone_of_the_region_reads_a_time_in_utc_on_the_islands_clock() -> None:
    assert encounter_zone_name(NIGHT, "ES", "ES-CN") == "Atlantic/Canary"
    assert local_day(NIGHT, "ES", "Atlantic/Canary") == date(2026, 11, 29)
    assert local_day(NIGHT, "ES") == date(2026, 11, 30)  # without the place: Madrid's day, as before
    # an offset given with the time fixes the moment; the region still fixes the clock
    madrid_clock = datetime(2026, 11, 30, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    assert local_day(madrid_clock, "ES", encounter_zone_name(madrid_clock, "ES", "ES-CN")) == date(2026, 11, 29)


def test_without_a_region_the_offset_s_clock_or_the_capital_s() -> None:
    assert encounter_zone_name(NIGHT, "ES") == "Europe/Madrid"
    assert encounter_zone_name(NIGHT.replace(tzinfo=LOCAL_ZERO), "ES") == "Atlantic/Canary"
    assert encounter_zone_name(datetime(2026, 11, 29, 22, 30), "ES") == "Europe/Madrid"  # naive: UTC
    assert encounter_zone_name(datetime(2026, 11, 29, 22, 30, tzinfo=timezone(timedelta(hours=-1))), "PT") \
        == "Atlantic/Azores"
    # Madeira keeps Lisbon's clock: an offset alone says Lisbon
    assert encounter_zone_name(NIGHT.replace(tzinfo=LOCAL_ZERO), "PT") == "Europe/Lisbon"
    assert encounter_zone_name(NIGHT, "PT", "PT-30") == "Atlantic/Madeira"
    assert encounter_zone_name(NIGHT, "IT") == "Europe/Rome"


def test_the_regions_are_their_state_s_only() -> None:
    assert place_problem("ES", "ES-CN", None) is None
    assert place_problem("ES", None, "Atlantic/Canary") is None
    assert place_problem("ES", None, "Europe/Madrid") is None
    assert place_problem("ES", "ES-CN", "Atlantic/Canary") is None
    assert place_problem("PT", "PT-20", None) is None and place_problem("PT", "PT-30", None) is None
    field, message = place_problem("IT", "ES-CN", None) or ("", "")
    assert field == "region" and "not a region of IT" in message and "Europe/Rome" in message
    field, message = place_problem("ES", "PT-20", None) or ("", "")
    assert field == "region" and "ES-CN (Canary Islands)" in message
    field, message = place_problem("ES", None, "Atlantic/Azores") or ("", "")
    assert field == "time_zone" and "Europe/Madrid, Atlantic/Canary" in message
    field, message = place_problem("PT", "PT-20", "Atlantic/Madeira") or ("", "")
    assert field == "time_zone" and "Atlantic/Azores" in message


def test_every_region_is_a_known_zone_and_maps_back() -> None:
    for ms, regions in REGIONS.items():
        for r in regions:
            assert region_of(r.code) == r
            assert region_of_zone(ms, r.zone) == r
            assert r.code.startswith(f"{ms}-")
    assert region_of_zone("ES", "Europe/Madrid") is None


def test_the_screening_counts_on_the_recorded_clock() -> None:
    result, deadline = rules.screening_deadline_at(NIGHT, "ES", "border", "Atlantic/Canary")
    assert result.ends_on == date(2026, 12, 6)
    assert deadline == datetime(2026, 12, 6, 23, 59, 59, tzinfo=UTC)
    assert screening_zone_name(deadline, "ES") == "Atlantic/Canary"
    _, madrid = rules.screening_deadline_at(NIGHT, "ES", "border")
    assert madrid == datetime(2026, 12, 7, 22, 59, 59, tzinfo=UTC)


def test_a_canary_offset_across_the_end_of_summer_time_ends_on_the_islands_clock() -> None:
    """Given with the islands' summer offset (+01:00) on 20 October, the seven days end on 27 October,
    after the clocks went back: 23:59:59 at UTC+0 on the islands' clock (with the fixed offset it was
    22:59:59 UTC, which the islands' clock shows as 22:59 and Madrid's as 23:59)."""
    summer = datetime(2026, 10, 20, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    zone = encounter_zone_name(summer, "ES")
    assert zone == "Atlantic/Canary"
    _, deadline = rules.screening_deadline_at(summer, "ES", "border", zone)
    assert deadline == datetime(2026, 10, 27, 23, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(("at", "zone", "regime"), [
    # 22:30 UTC on 11 June 2026: 23:30 on the islands (UTC+1 in summer), 00:30 on 12 June in Madrid
    (datetime(2026, 6, 11, 22, 30, tzinfo=UTC), "Atlantic/Canary", "pre_pact"),  # 23:30 on 11 June there
    (datetime(2026, 6, 11, 22, 30, tzinfo=UTC), None, "pact"),                   # 00:30 on 12 June in Madrid
])
def test_the_transmission_regime_is_that_of_the_islands_day(at, zone, regime) -> None:
    assert rules.transmission_deadline(at, "ES", EurodacCategory.irregular_crossing, zone).regime == regime


#: France's outermost regions keep one offset all year; Paris changes to summer time.
FRANCE_OVERSEAS = {"FR-971": ("Guadeloupe", "America/Guadeloupe", -4), "FR-972": ("Martinique", "America/Martinique", -4),
                   "FR-973": ("French Guiana", "America/Cayenne", -3), "FR-974": ("La Réunion", "Indian/Reunion", 4),
                   "FR-976": ("Mayotte", "Indian/Mayotte", 3), "FR-MF": ("Saint-Martin", "America/Marigot", -4)}


def test_france_s_outermost_regions_are_iso_codes_on_clocks_without_summer_time() -> None:
    import pycountry

    assert [r.code for r in REGIONS["FR"]] == list(FRANCE_OVERSEAS)
    for code, (name, zone, hours) in FRANCE_OVERSEAS.items():
        r = region_of(code)
        assert r is not None and (r.name, r.zone, r.european) == (name, zone, False)
        assert pycountry.subdivisions.get(code=code) is not None  # an ISO 3166-2 code as installed
        for month in (1, 7):  # winter and summer: the same offset
            at = datetime(2026, month, 15, 12, tzinfo=UTC)
            assert encounter_zone_name(at, "FR", code) == zone
            assert local_moment_offset(at, zone) == timedelta(hours=hours)
    assert all(r.european for ms in ("ES", "PT") for r in REGIONS[ms])


def local_moment_offset(at: datetime, zone: str) -> timedelta | None:
    from zoneinfo import ZoneInfo

    return at.astimezone(ZoneInfo(zone)).utcoffset()


@pytest.mark.parametrize(("at", "code", "day", "paris_day"), [
    # La Réunion, UTC+4: 21:30 UTC is the next day there, the same day in Paris (summer or winter)
    (datetime(2026, 11, 29, 21, 30, tzinfo=UTC), "FR-974", date(2026, 11, 30), date(2026, 11, 29)),
    (datetime(2026, 7, 15, 21, 30, tzinfo=UTC), "FR-974", date(2026, 7, 16), date(2026, 7, 15)),
    # Mayotte, UTC+3: 21:30 UTC is 00:30 the next day
    (datetime(2026, 11, 29, 21, 30, tzinfo=UTC), "FR-976", date(2026, 11, 30), date(2026, 11, 29)),
    # French Guiana, UTC-3: 01:30 UTC is 22:30 the day before; in Paris it is already the day
    (datetime(2026, 11, 30, 1, 30, tzinfo=UTC), "FR-973", date(2026, 11, 29), date(2026, 11, 30)),
    (datetime(2026, 11, 30, 2, 30, tzinfo=UTC), "FR-MF", date(2026, 11, 29), date(2026, 11, 30)),
])
def test_an_outermost_region_s_day_differs_from_paris_s(at, code, day, paris_day) -> None:
    zone = encounter_zone_name(at, "FR", code)
    assert local_day(at, "FR", zone) == day
    assert local_day(at, "FR") == paris_day


def test_an_offset_kept_by_several_regions_does_not_place_the_encounter() -> None:
    from pactum.registry.local_time import offset_problem

    antilles = datetime(2026, 11, 29, 22, 30, tzinfo=timezone(timedelta(hours=-4)))
    field, message = offset_problem(antilles, "FR", None, None) or ("", "")
    assert field == "region" and "FR-971 (Guadeloupe), FR-972 (Martinique), FR-MF (Saint-Martin)" in message
    assert offset_problem(antilles, "FR", "FR-972", None) is None
    assert offset_problem(antilles, "FR", None, "America/Martinique") is None
    guiana = datetime(2026, 11, 29, 22, 30, tzinfo=timezone(timedelta(hours=-3)))
    assert offset_problem(guiana, "FR", None, None) is None
    assert encounter_zone_name(guiana, "FR") == "America/Cayenne"
    # the capital's offset, or Madeira's (Lisbon's too), places nothing in doubt
    assert offset_problem(datetime(2026, 11, 29, 22, 30, tzinfo=timezone(timedelta(hours=1))), "FR", None, None) is None
    assert offset_problem(NIGHT.replace(tzinfo=LOCAL_ZERO), "PT", None, None) is None
    assert offset_problem(NIGHT, "FR", None, None) is None  # UTC: the capital's clock


def test_eurodac_and_the_screening_stop_at_france_s_european_territory() -> None:
    pact, before = date(2026, 11, 30), date(2026, 5, 10)
    assert rules.outside_eurodac("FR", "Indian/Mayotte", pact) == [
        "Regulation (EU) 2024/1358, Article 60", "Regulation (EU) 2024/1351, Article 76"]
    assert rules.outside_eurodac("FR", "America/Cayenne", before) == [
        "Regulation (EU) No 603/2013, Article 42", "Regulation (EU) No 604/2013, Article 43"]
    screening = rules.outside_screening("FR", "Indian/Reunion", pact)
    assert any("Convention implementing the Schengen Agreement, Article 138" in s for s in screening)
    assert rules.outside_screening("FR", "Indian/Reunion", before) == []  # no screening then anyway
    # metropolitan France, the Canary Islands, the Azores and Madeira keep both
    for ms, zone in (("FR", "Europe/Paris"), ("FR", None), ("ES", "Atlantic/Canary"), ("PT", "Atlantic/Azores"),
                     ("PT", "Atlantic/Madeira")):
        assert rules.outside_eurodac(ms, zone, pact) == [] and rules.outside_screening(ms, zone, pact) == []
