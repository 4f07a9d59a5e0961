"""Identifiers sort by creation: two rows written in the same millisecond and ordered by time,
then id (a case's "made" and "registered" events) keep the order they were written in."""

from __future__ import annotations

from pactum.common import ids


def test_ids_of_one_millisecond_keep_their_order(monkeypatch):
    monkeypatch.setattr(ids.time, "time", lambda: 1_780_000_000.0)  # the clock does not move
    made = [ids.new_id("ace") for _ in range(1000)]
    assert made == sorted(made) and len(set(made)) == 1000
    assert {i[:14] for i in made} == {made[0][:14]}  # one millisecond, prefix and time part alike


def test_a_clock_that_steps_back_does_not_reorder_ids(monkeypatch):
    monkeypatch.setattr(ids.time, "time", lambda: 1_790_000_000.5)
    first = ids.new_id("ace")
    monkeypatch.setattr(ids.time, "time", lambda: 1_790_000_000.0)  # half a second back
    second = ids.new_id("ace")
    assert second > first


def test_ids_are_still_random_across_milliseconds_and_time_ordered(monkeypatch):
    t = [1_800_000_000.0]
    monkeypatch.setattr(ids.time, "time", lambda: t[0])
    a = ids.new_id("per")
    t[0] += 0.002
    b = ids.new_id("per")
    assert b > a and a[14:] != b[14:]
    assert len(a) == len("per_") + 26
