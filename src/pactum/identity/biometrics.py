"""Biometric templates: fixed-length vectors from an external extractor, and synthetic ones.

Pactum does not extract features from fingerprints or faces; national systems send templates
produced by a certified extractor to the matching service, as with the EU's shared Biometric
Matching Service. A template here is a float vector of :data:`TEMPLATE_DIMENSIONS` values; two
captures of one person are close in cosine similarity.

For tests, the demo and the benchmark, :class:`SyntheticBiometrics` makes each person a random
unit vector and each capture that vector plus Gaussian noise, renormalised.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

#: Length of the templates this installation accepts (a property of the extractor).
TEMPLATE_DIMENSIONS = 128


def as_template(values: list[float] | NDArray[np.float32], dimensions: int = TEMPLATE_DIMENSIONS) -> NDArray[np.float32]:
    """Validate and L2-normalise one template; ``ValueError`` with a readable message if unusable."""
    v = np.asarray(values, dtype=np.float32)
    if v.ndim != 1 or v.shape[0] != dimensions:
        raise ValueError(f"a template has {dimensions} values, this one has {v.size}")
    if not np.all(np.isfinite(v)):
        raise ValueError("a template holds only finite numbers")
    norm = float(np.linalg.norm(v))
    if norm == 0.0:
        raise ValueError("a template cannot be all zeros")
    return (v / norm).astype(np.float32)


class SyntheticBiometrics:
    """Seeded synthetic templates: ``person(i)`` is a unit vector, ``capture(i)`` a noisy copy."""

    def __init__(self, seed: int, dimensions: int = TEMPLATE_DIMENSIONS, noise: float = 0.35):
        self.seed = seed
        self.dimensions = dimensions
        self.noise = noise

    def person(self, index: int) -> NDArray[np.float32]:
        rng = np.random.default_rng([self.seed, index])
        v = rng.standard_normal(self.dimensions).astype(np.float32)
        return (v / np.linalg.norm(v)).astype(np.float32)

    def persons(self, n: int) -> NDArray[np.float32]:
        rng = np.random.default_rng([self.seed, 0xB10])
        m = rng.standard_normal((n, self.dimensions)).astype(np.float32)
        return (m / np.linalg.norm(m, axis=1, keepdims=True)).astype(np.float32)

    def captures(self, persons: NDArray[np.float32], capture_seed: int) -> NDArray[np.float32]:
        rng = np.random.default_rng([self.seed, capture_seed])
        noise = rng.standard_normal(persons.shape).astype(np.float32) * (self.noise / np.sqrt(self.dimensions))
        m = persons + noise
        return (m / np.linalg.norm(m, axis=1, keepdims=True)).astype(np.float32)

    def capture(self, index: int, capture_seed: int) -> NDArray[np.float32]:
        return self.captures(self.person(index)[None, :], capture_seed * 1_000_003 + index)[0]
