"""Biometric templates: fixed-length vectors from an external extractor, and synthetic ones.

Pactum does not extract features from fingerprints or faces; national systems send templates
produced by a certified extractor to the matching service, as with the EU's shared Biometric
Matching Service. A template here is a float vector of :data:`TEMPLATE_DIMENSIONS` values; two
captures of one person are close in cosine similarity.

For tests, the demo and the benchmark, :class:`SyntheticBiometrics` makes each person a random
unit vector and each capture that vector plus Gaussian noise, renormalised.

:class:`TemplateIndex` is the 1:N search: an exhaustive scan of 16-byte binary codes (one sign bit
per value) by Hamming distance, then exact cosine similarity on the best few hundred (ADR 0006).
The service ``pactum.services.identity.biometric_index`` keeps one per store and persists it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

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


# --- 1:N search: exhaustive two-stage search over binary codes -------------------------------------

#: How many templates the binary scan hands to exact cosine re-ranking (at least ``k``). Measured
#: in ``bench/identity/biometric_search.py`` at 1,000,000 synthetic templates: the true template of
#: every one of 2,000 queries was the nearest by Hamming distance (captures with cosine 0.89); with
#: noisier captures (cosine 0.74, below the match threshold) 99.95% were among the first 256.
RERANK_CANDIDATES = 256

#: Smallest first batch whose mean becomes the centre of the codes (a smaller index keeps the
#: origin until :meth:`TemplateIndex.recentre`; below :data:`RERANK_CANDIDATES` templates every
#: one is compared exactly anyway).
MIN_CENTRE_SAMPLE = 1_000

#: Rows coded per step when codes are computed in bulk (bounds the temporary f32 copy to 32 MiB).
_CODE_CHUNK = 65_536
#: Rows scanned per step of the Hamming scan (the temporaries stay in the CPU cache).
_SCAN_CHUNK = 65_536


def code_words(dimensions: int) -> int:
    """64-bit words of the binary code of a template of ``dimensions`` values (one bit each)."""
    return (dimensions + 63) // 64


def sign_codes(vectors: NDArray[np.floating], centre: NDArray[np.float32]) -> NDArray[np.uint64]:
    """Binary codes of ``vectors`` (rows): bit ``j`` is set when value ``j`` lies above the centre.

    Returned word-major, shape ``(words, rows)``: word ``w`` of every template is one contiguous
    column, which the scan reads with one vector instruction per template and word. The angle
    between two unit vectors is about ``pi * hamming / dimensions`` (random-hyperplane hashing;
    the hyperplanes here are the axes through the centre).
    """
    m = np.atleast_2d(vectors)
    rows, dims = m.shape
    words = code_words(dims)
    out = np.empty((words, rows), dtype=np.uint64)
    for start in range(0, rows, _CODE_CHUNK):
        block = m[start:start + _CODE_CHUNK].astype(np.float32) > centre
        packed = np.packbits(block, axis=1, bitorder="little")
        if packed.shape[1] != words * 8:
            packed = np.pad(packed, ((0, 0), (0, words * 8 - packed.shape[1])))
        out[:, start:start + block.shape[0]] = np.ascontiguousarray(packed).view("<u8").T
    return out


def hamming_distances(codes: NDArray[np.uint64], n: int, query: NDArray[np.uint64]) -> NDArray[np.unsignedinteger]:
    """Hamming distance from ``query`` (one code, ``(words,)``) to the first ``n`` codes of
    ``codes`` (word-major), by XOR and population count on 64-bit words."""
    words = codes.shape[0]
    dist: NDArray[np.unsignedinteger]
    if words * 64 <= 255:
        dist = np.zeros(n, dtype=np.uint8)
    else:
        dist = np.zeros(n, dtype=np.uint16)
    step = min(_SCAN_CHUNK, max(n, 1))
    x = np.empty(step, dtype=np.uint64)
    c = np.empty(step, dtype=np.uint8)
    for start in range(0, n, step):
        stop = min(start + step, n)
        size = stop - start
        for w in range(words):
            np.bitwise_xor(codes[w, start:stop], query[w], out=x[:size])
            np.bitwise_count(x[:size], out=c[:size])
            np.add(dist[start:stop], c[:size], out=dist[start:stop], casting="unsafe")
    return dist


def nearest_by_hamming(dist: NDArray[np.unsignedinteger], count: int, max_distance: int) -> NDArray[np.intp]:
    """Rows of the ``count`` smallest distances (all rows if fewer), in no particular order.

    The cut-off distance is found by bisection on counts (each a single pass over one byte per
    template); ties at the cut-off are broken arbitrarily. Rows whose distance exceeds
    ``max_distance`` (removed templates) are never returned.
    """
    lo, hi = 0, max_distance
    if np.count_nonzero(dist <= hi) <= count:
        return np.flatnonzero(dist <= hi)
    while lo < hi:
        mid = (lo + hi) // 2
        if np.count_nonzero(dist <= mid) >= count:
            hi = mid
        else:
            lo = mid + 1
    rows = np.flatnonzero(dist <= lo)
    if rows.size > count:
        rows = rows[np.argpartition(dist[rows], count - 1)[:count]]
    return rows


class TemplateIndex:
    """All enrolled templates of a store, searched exhaustively in two stages.

    1. A binary code per template (the sign of each value after subtracting a centre: 128 bits,
       16 bytes for 128 values) is compared with the query's by Hamming distance over *all*
       templates; the :data:`RERANK_CANDIDATES` nearest go on.
    2. Their cosine similarity with the query is computed exactly from the stored vectors (f16:
       half of f32, the templates are unit vectors so the rounding moves cosine similarity by less
       than 1e-3) and they are ranked by it.

    There is no graph to build: enrolling appends a row, and a search sees every row appended
    before it started. Appends and searches may run in different threads; a search takes a
    consistent snapshot under the lock and then runs without it (numpy releases the GIL), so
    searches of two requests run side by side.

    ``centre`` is the mean of the templates when the index was (re)built; :meth:`recentre`
    recomputes it when the index has grown (templates whose values are, say, all positive would
    otherwise get nearly identical codes).
    """

    def __init__(self, dimensions: int = TEMPLATE_DIMENSIONS, *, capacity: int = 1024,
                 rerank: int = RERANK_CANDIDATES):
        self.dimensions = dimensions
        self.words = code_words(dimensions)
        self.rerank = rerank
        self.lock = threading.Lock()
        self.centre = np.zeros(dimensions, dtype=np.float32)
        #: number of templates the centre was computed from (0: not computed yet)
        self.centre_count = 0
        self._n = 0
        self._keys = np.empty(capacity, dtype=np.int64)
        self._codes = np.empty((self.words, capacity), dtype=np.uint64)
        self._vectors = np.empty((capacity, dimensions), dtype=np.float16)
        self._removed = np.empty(0, dtype=np.intp)

    def __len__(self) -> int:
        """Templates held, not counting those found removed from the store."""
        return self._n - self._removed.size

    # -- content --------------------------------------------------------------------------------

    def _normalised(self, vectors: NDArray[np.floating]) -> NDArray[np.float32]:
        m = np.asarray(vectors, dtype=np.float32).reshape(-1, self.dimensions)
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return (m / norms).astype(np.float32)

    def _reserve(self, total: int) -> None:
        cap = self._keys.shape[0]
        if total <= cap:
            return
        new_cap = max(total, cap + cap // 2, 1024)
        keys = np.empty(new_cap, dtype=np.int64)
        codes = np.empty((self.words, new_cap), dtype=np.uint64)
        vectors = np.empty((new_cap, self.dimensions), dtype=np.float16)
        keys[: self._n] = self._keys[: self._n]
        codes[:, : self._n] = self._codes[:, : self._n]
        vectors[: self._n] = self._vectors[: self._n]
        # searches running on the old arrays keep them; rows below ``_n`` never change in place
        self._keys, self._codes, self._vectors = keys, codes, vectors

    def append(self, keys: NDArray[np.integer] | list[int], vectors: NDArray[np.floating]) -> None:
        """Add templates (one row per key), normalised to unit length; a first batch of at least
        :data:`MIN_CENTRE_SAMPLE` added to an empty index sets the centre."""
        k = np.asarray(keys, dtype=np.int64).reshape(-1)
        m = self._normalised(vectors)
        if k.shape[0] != m.shape[0]:
            raise ValueError(f"{k.shape[0]} keys for {m.shape[0]} templates")
        if k.size == 0:
            return
        with self.lock:
            if self._n == 0 and self.centre_count == 0 and k.size >= MIN_CENTRE_SAMPLE:
                self.centre = m.mean(axis=0).astype(np.float32)
                self.centre_count = int(k.size)
            codes = sign_codes(m, self.centre)
            self._reserve(self._n + k.size)
            lo, hi = self._n, self._n + k.size
            self._keys[lo:hi] = k
            self._codes[:, lo:hi] = codes
            self._vectors[lo:hi] = m
            self._n = hi

    def contains(self, key: int) -> bool:
        n, keys = self._n, self._keys
        return bool(np.any(keys[:n] == key))

    def max_key(self) -> int:
        n = self._n
        return int(self._keys[:n].max()) if n else 0

    def mark_removed(self, keys: list[int]) -> None:
        """Never return these keys again (their templates were removed from the store)."""
        with self.lock:
            rows = np.flatnonzero(np.isin(self._keys[: self._n], np.asarray(keys, dtype=np.int64)))
            self._removed = np.union1d(self._removed, rows).astype(np.intp)

    def recentre(self) -> None:
        """Recompute the centre from all templates held and recode them (done when the index has
        doubled since the centre was computed; costs about a second per million templates)."""
        with self.lock:
            n, vectors = self._n, self._vectors
        if n == 0:
            return
        total = np.zeros(self.dimensions, dtype=np.float64)
        for start in range(0, n, _CODE_CHUNK):
            total += vectors[start:min(start + _CODE_CHUNK, n)].astype(np.float64).sum(axis=0)
        centre = (total / n).astype(np.float32)
        codes = sign_codes(vectors[:n], centre)
        with self.lock:
            # rows appended meanwhile are coded with the new centre too
            fresh = np.empty_like(self._codes)
            fresh[:, :n] = codes
            if self._n > n:
                fresh[:, n:self._n] = sign_codes(self._vectors[n:self._n], centre)
            self._codes, self.centre, self.centre_count = fresh, centre, self._n

    # -- search -------------------------------------------------------------------------------------

    def nearest(self, vector: NDArray[np.floating], k: int) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
        """Keys and cosine similarities of the ``k`` most similar templates, best first."""
        with self.lock:
            n, keys, codes, vectors = self._n, self._keys, self._codes, self._vectors
            centre, removed = self.centre, self._removed
        if n == 0 or k <= 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        q = self._normalised(vector)[0]
        dist = hamming_distances(codes, n, sign_codes(q[None, :], centre)[:, 0])
        beyond = self.words * 64 + 1
        if removed.size:
            dist[removed] = beyond
        rows = nearest_by_hamming(dist, max(self.rerank, k), beyond - 1)
        scores = vectors[rows].astype(np.float32) @ q
        order = np.argsort(-scores, kind="stable")[:k]
        return keys[rows[order]].copy(), scores[order]

    def exact_nearest(self, vector: NDArray[np.floating], k: int) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
        """The same answer by comparing the query with every stored vector (the baseline of the
        benchmark and of the tests)."""
        with self.lock:
            n, keys, vectors, removed = self._n, self._keys, self._vectors, self._removed
        q = self._normalised(vector)[0]
        scores = np.empty(n, dtype=np.float32)
        for start in range(0, n, _CODE_CHUNK):
            stop = min(start + _CODE_CHUNK, n)
            scores[start:stop] = vectors[start:stop].astype(np.float32) @ q
        if removed.size:
            scores[removed] = -np.inf
        k = min(k, n - removed.size)
        if k <= 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        top = np.argpartition(-scores, k - 1)[:k] if k < n else np.arange(n)
        top = top[np.argsort(-scores[top], kind="stable")][:k]
        return keys[top].copy(), scores[top]

    # -- persistence (arrays; the file format is the service's) -----------------------------------

    def arrays(self) -> dict[str, NDArray[Any]]:
        """A snapshot of the live templates: ``keys``, ``codes`` (word-major), ``vectors`` (f16),
        ``centre`` and ``centre_count``."""
        with self.lock:
            n, keys, codes, vectors = self._n, self._keys, self._codes, self._vectors
            centre, centre_count, removed = self.centre, self.centre_count, self._removed
        if removed.size:
            live = np.ones(n, dtype=bool)
            live[removed] = False
            return {"keys": keys[:n][live], "codes": codes[:, :n][:, live], "vectors": vectors[:n][live],
                    "centre": centre, "centre_count": np.asarray(centre_count, dtype=np.int64)}
        return {"keys": keys[:n], "codes": codes[:, :n], "vectors": vectors[:n], "centre": centre,
                "centre_count": np.asarray(centre_count, dtype=np.int64)}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, NDArray[Any]], *, headroom: float = 0.125,
                    rerank: int = RERANK_CANDIDATES) -> TemplateIndex:
        """The index saved by :meth:`arrays` (with room to append before the arrays are copied)."""
        keys, codes, vectors = arrays["keys"], arrays["codes"], arrays["vectors"]
        n, dims = vectors.shape
        if keys.shape != (n,) or codes.shape != (code_words(dims), n) or arrays["centre"].shape != (dims,):
            raise ValueError("the saved arrays do not fit together")
        idx = cls(dims, capacity=max(1024, n + int(n * headroom)), rerank=rerank)
        idx._keys[:n] = keys
        idx._codes[:, :n] = codes
        idx._vectors[:n] = vectors
        idx._n = n
        idx.centre = np.asarray(arrays["centre"], dtype=np.float32)
        idx.centre_count = int(arrays["centre_count"])
        return idx
