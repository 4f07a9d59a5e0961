"""Identifiers: time-ordered, random, URL-safe, with a readable prefix (``per_01J…``)."""

from __future__ import annotations

import os
import threading
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return "".join(reversed(chars))


_RANDOM_BITS = 80
_lock = threading.Lock()
_last: tuple[int, int] = (-1, 0)  # millisecond and random part of the process's last id


def new_id(prefix: str) -> str:
    """A ULID-like id: 48-bit millisecond time + 80 random bits, so ids sort by creation time.

    The ids one process makes strictly increase: within one millisecond (or when the clock steps
    back) the previous id's random part is incremented, as ULID's monotonic mode does. Rows
    written in the same millisecond and ordered by time, then id (a case's "made" and
    "registered" events) therefore keep the order they were written in."""
    global _last
    with _lock:
        millis = int(time.time() * 1000)
        last_millis, last_rand = _last
        if millis <= last_millis:
            millis, rand = last_millis, last_rand + 1
            if rand >> _RANDOM_BITS:  # the random part is used up: go on in the next millisecond
                millis, rand = millis + 1, int.from_bytes(os.urandom(10), "big") >> 1
        else:
            rand = int.from_bytes(os.urandom(10), "big")
        _last = (millis, rand)
    return f"{prefix}_{_encode(millis, 10)}{_encode(rand, 16)}"


def seeded_id(prefix: str, rng_value: int) -> str:
    """A deterministic id for generated worlds (same seed, same ids)."""
    return f"{prefix}_{_encode(rng_value & ((1 << 130) - 1), 26)}"
