"""The 1:N biometric index: a usearch HNSW graph over the stored templates, persisted beside the
store so that a restarted API loads it instead of rebuilding it.

* Keys of the graph are ``biometric_templates.index_key`` (increasing integers); a hit is mapped
  to its identity record through the table at search time, so a template removed from the store
  is never returned even while the graph still holds it.
* The file ``<store>.biometric.usearch`` (SQLite) or ``<var_dir>/biometric-<database>.usearch``
  (other stores) has a sidecar ``.json`` naming the highest key it holds, how many templates it
  holds and the id of the template with the highest key. On first use in a process the file is
  loaded if the store still has that template under that key and exactly that many templates up
  to it; templates enrolled since then (higher keys) are added. Otherwise the graph is rebuilt
  from the table with all cores and saved.
* Enrolments add to the loaded graph at once; the job ``identity_biometric_index`` saves the
  graph again so that the next start has less to add.

Parameters (measured in ``bench/identity/biometric_search.py``, figures in docs/performance.md):
cosine metric, vectors stored as f16 (half the memory of f32; the templates are unit vectors, so
the rounding moves cosine similarity by less than 1e-3), connectivity 16, expansion 128 when
adding and 256 when searching.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, func, select

from pactum.identity.biometrics import TEMPLATE_DIMENSIONS
from pactum.store.tables.identity import biometric_templates

#: usearch parameters of the platform's index (see the module docstring).
DTYPE = "f16"
CONNECTIVITY = 16
EXPANSION_ADD = 128
SEARCH_EXPANSION = 256


def new_index(dimensions: int = TEMPLATE_DIMENSIONS, *, dtype: str = DTYPE, connectivity: int = CONNECTIVITY,
              expansion_add: int = EXPANSION_ADD, expansion_search: int = SEARCH_EXPANSION) -> Any:
    """An empty usearch index with the platform's parameters (the benchmark uses the same)."""
    from usearch.index import Index

    return Index(ndim=dimensions, metric="cos", dtype=dtype, connectivity=connectivity,
                 expansion_add=expansion_add, expansion_search=expansion_search)


def build_threads() -> int:
    return max(1, os.cpu_count() or 1)


class BiometricIndex:
    """The graph of one store, with the path it is persisted to (``None``: kept in memory only)."""

    def __init__(self, path: Path | None, dimensions: int = TEMPLATE_DIMENSIONS):
        self.path = path
        self.dimensions = dimensions
        self.index = new_index(dimensions)
        self.max_key = 0
        self.lock = threading.Lock()
        self.dirty = False
        #: how the graph was obtained on first use: "loaded", "loaded+added", "built" or "empty"
        self.origin = "empty"

    # -- persistence ------------------------------------------------------------------------------

    def _meta_path(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name + ".json")

    def open(self, conn: Connection) -> None:
        """Load the saved graph if it still describes this store, else build it from the table."""
        if self.path is not None and self._load_saved(conn):
            added = self._add_rows(conn, self.max_key)
            self.origin = "loaded+added" if added else "loaded"
            self.dirty = bool(added)
            return
        self.index = new_index(self.dimensions)
        self.max_key = 0
        n = self._add_rows(conn, 0)
        self.origin = "built" if n else "empty"
        if n:
            self.save(conn)

    def _load_saved(self, conn: Connection) -> bool:
        assert self.path is not None
        meta_path = self._meta_path()
        if not (self.path.exists() and meta_path.exists()):
            return False
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            max_key, count, template_id = int(meta["max_key"]), int(meta["count"]), str(meta["template_id"])
            if meta.get("dtype") != DTYPE or int(meta.get("dimensions", 0)) != self.dimensions:
                return False
        except (ValueError, KeyError, TypeError):
            return False
        at_max = conn.execute(select(biometric_templates.c.id)
                              .where(biometric_templates.c.index_key == max_key)).scalar()
        upto = conn.execute(select(func.count()).select_from(biometric_templates)
                            .where(biometric_templates.c.index_key <= max_key)).scalar()
        if at_max != template_id or int(upto or 0) != count:
            return False  # the file belongs to another store or to an older state of this one
        index = new_index(self.dimensions)
        index.load(str(self.path))
        if len(index) != count:
            return False
        index.expansion_search = SEARCH_EXPANSION
        self.index, self.max_key = index, max_key
        return True

    def save(self, conn: Connection) -> bool:
        """Write the graph and its sidecar (atomically replaced); False when kept in memory only."""
        if self.path is None or self.max_key == 0:
            return False
        with self.lock:
            template_id = conn.execute(select(biometric_templates.c.id)
                                       .where(biometric_templates.c.index_key == self.max_key)).scalar()
            meta = {"max_key": self.max_key, "count": len(self.index), "template_id": template_id,
                    "dtype": DTYPE, "dimensions": self.dimensions, "connectivity": CONNECTIVITY}
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            self.index.save(str(tmp))
            tmp_meta = self._meta_path().with_name(self._meta_path().name + ".tmp")
            tmp_meta.write_text(json.dumps(meta), encoding="utf-8")
            # the graph first, then the sidecar: a crash in between leaves a sidecar that does not
            # match the graph's size, and the graph is rebuilt
            os.replace(tmp, self.path)
            os.replace(tmp_meta, self._meta_path())
            self.dirty = False
        return True

    # -- content -------------------------------------------------------------------------------------

    def _add_rows(self, conn: Connection, after_key: int) -> int:
        keys: list[int] = []
        chunks: list[bytes] = []
        q = (select(biometric_templates.c.index_key, biometric_templates.c.vector)
             .where(biometric_templates.c.index_key > after_key).order_by(biometric_templates.c.index_key))
        for key, raw in conn.execute(q):
            keys.append(int(key))
            chunks.append(bytes(raw))
        if not keys:
            return 0
        vectors = np.frombuffer(b"".join(chunks), dtype=np.float32).reshape(len(keys), self.dimensions)
        with self.lock:
            self.index.add(np.asarray(keys, dtype=np.uint64), vectors, threads=build_threads())
            self.max_key = max(self.max_key, keys[-1])
        return len(keys)

    def add(self, key: int, vector: NDArray[np.float32]) -> None:
        with self.lock:
            if self.index.contains(key):
                return
            self.index.add(key, vector)
            self.max_key = max(self.max_key, key)
            self.dirty = True

    def __len__(self) -> int:
        return len(self.index)

    def search(self, conn: Connection, vector: NDArray[np.float32], k: int) -> list[tuple[str, float]]:
        """(identity_record_id, cosine similarity) of the ``k`` nearest templates, best first."""
        n = len(self.index)
        if n == 0:
            return []
        with self.lock:
            matches = self.index.search(vector, min(k, n))
        keys = [int(key) for key in matches.keys]
        if not keys:
            return []
        records = dict(conn.execute(
            select(biometric_templates.c.index_key, biometric_templates.c.identity_record_id)
            .where(biometric_templates.c.index_key.in_(keys))).all())
        return [(records[key], 1.0 - float(d)) for key, d in zip(keys, matches.distances, strict=False)
                if key in records]


def index_path(conn: Connection) -> Path | None:
    """Where the graph of this store is kept: beside a SQLite file, in ``var_dir`` for a server
    store, nowhere for an in-memory store."""
    url = conn.engine.url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:" or url.database.startswith("file::memory:"):
            return None
        return Path(url.database).with_name(Path(url.database).name + ".biometric.usearch")
    from pactum.settings import Settings

    name = f"biometric-{url.host or 'local'}-{url.port or ''}-{url.database or 'db'}.usearch"
    return Settings().var_dir / name


_INDEXES: dict[str, BiometricIndex] = {}
_OPEN_LOCK = threading.Lock()


def for_store(conn: Connection) -> BiometricIndex:
    """The graph of the store ``conn`` belongs to, opened (loaded or built) on first use."""
    key = conn.engine.url.render_as_string(hide_password=True)
    idx = _INDEXES.get(key)
    if idx is None:
        with _OPEN_LOCK:
            idx = _INDEXES.get(key)
            if idx is None:
                idx = BiometricIndex(index_path(conn))
                idx.open(conn)
                _INDEXES[key] = idx
    return idx


def forget(conn: Connection) -> None:
    """Drop the in-process graph of this store (the next use loads or rebuilds it)."""
    _INDEXES.pop(conn.engine.url.render_as_string(hide_password=True), None)
