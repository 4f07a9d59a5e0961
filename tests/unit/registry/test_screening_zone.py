"""The clock a screening runs on, read from its deadline (the end of its last day where it runs):
a disembarkation in the Canary Islands runs on the islands' clock, one hour behind Madrid."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from pactum.registry import rules
from pactum.registry.local_time import LOCAL_ZERO, in_state_time, screening_zone_name


def _zone_of(occurred_at: datetime, member_state: str) -> str:
    _, deadline_at = rules.screening_deadline_at(occurred_at, member_state, "border")
    return screening_zone_name(deadline_at, member_state)


def test_a_canary_islands_arrival_given_with_the_islands_offset_runs_on_their_clock() -> None:
    # 25 November, 06:30 on Gran Canaria (UTC+0 in winter, written "+00:00")
    winter = datetime(2026, 11, 25, 6, 30, tzinfo=LOCAL_ZERO)
    _, deadline_at = rules.screening_deadline_at(winter, "ES", "border")
    assert screening_zone_name(deadline_at, "ES") == "Atlantic/Canary"
    local = in_state_time(deadline_at, "ES", "Atlantic/Canary")
    assert (local.hour, local.minute) == (23, 59) and local.utcoffset() == timedelta(0)
    # in summer the islands keep UTC+1, Madrid UTC+2
    summer = datetime(2026, 7, 10, 22, 30, tzinfo=timezone(timedelta(hours=1)))
    assert _zone_of(summer, "ES") == "Atlantic/Canary"


def test_a_mainland_spain_arrival_runs_on_madrid_time() -> None:
    assert _zone_of(datetime(2026, 11, 25, 6, 30, tzinfo=UTC), "ES") == "Europe/Madrid"
    assert _zone_of(datetime(2026, 11, 25, 7, 30, tzinfo=timezone(timedelta(hours=1))), "ES") == "Europe/Madrid"


def test_the_azores_run_on_their_clock_and_madeira_on_lisbon_s_which_is_the_same() -> None:
    azores = datetime(2026, 11, 25, 5, 30, tzinfo=timezone(timedelta(hours=-1)))
    assert _zone_of(azores, "PT") == "Atlantic/Azores"
    assert _zone_of(datetime(2026, 11, 25, 6, 30, tzinfo=LOCAL_ZERO), "PT") == "Europe/Lisbon"


def test_a_state_with_one_clock_runs_on_its_capital_s() -> None:
    assert _zone_of(datetime(2026, 11, 25, 6, 30, tzinfo=UTC), "IT") == "Europe/Rome"
    assert _zone_of(datetime(2026, 7, 1, 23, 30, tzinfo=UTC), "IT") == "Europe/Rome"
