"""Identifiers: time-ordered, random, URL-safe, with a readable prefix (``per_01J…``)."""

from __future__ import annotations

import os
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return "".join(reversed(chars))


def new_id(prefix: str) -> str:
    """A ULID-like id: 48-bit millisecond time + 80 random bits, so ids sort by creation time."""
    millis = int(time.time() * 1000)
    rand = int.from_bytes(os.urandom(10), "big")
    return f"{prefix}_{_encode(millis, 10)}{_encode(rand, 16)}"


def seeded_id(prefix: str, rng_value: int) -> str:
    """A deterministic id for generated worlds (same seed, same ids)."""
    return f"{prefix}_{_encode(rng_value & ((1 << 130) - 1), 26)}"
