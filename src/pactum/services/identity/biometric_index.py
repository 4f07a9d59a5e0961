"""The 1:N biometric index of a store: every stored template, searched exhaustively in two stages
(:class:`pactum.identity.biometrics.TemplateIndex`: a Hamming scan of 16-byte sign-bit codes over
all templates, then exact cosine similarity on the best :data:`RERANK_CANDIDATES`), persisted
beside the store so that a restarted API loads it instead of reading every template again.
ADR 0006 explains why this replaced an HNSW graph (measured recall@1 0.874 at 1,000,000).

* Keys are ``biometric_templates.index_key`` (increasing integers); a hit is mapped to its
  identity record through the table at search time, so a template removed from the store is never
  returned. A key the table no longer has is marked removed in the index the first time a search
  meets it, and the next save leaves it out.
* The file ``<store>.biometric.npz`` (SQLite) or ``<var_dir>/biometric-<host>-<port>-<database>.npz``
  (other stores) holds keys, codes, f16 vectors and the centre of the codes; a sidecar ``.json``
  names the highest key it holds, how many templates it holds and the id of the template with the
  highest key. On first use in a process the file is loaded if the store still has that template
  under that key and exactly that many templates up to it; templates enrolled since then (higher
  keys) are added. Otherwise the index is rebuilt from the table (no graph: reading the templates
  is the whole cost) and saved.
* Enrolments are appended to the loaded index at once (thread-safe; searches running at the time
  see the index as it was when they started); the job ``identity_biometric_index`` saves the index
  again so that the next start has less to add, and recomputes the centre of the codes once the
  index has doubled since it was computed.

Figures: ``bench/identity/biometric_search.py``, docs/performance.md ("Biometric 1:N search").
"""

from __future__ import annotations

import json
import os
import threading
import zipfile
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, bindparam, func, select

from pactum.identity.biometrics import (
    MIN_CENTRE_SAMPLE,
    TEMPLATE_DIMENSIONS,
    TemplateIndex,
)
from pactum.store.tables.identity import biometric_templates

#: Layout of the saved file; a sidecar naming another layout is ignored and the index rebuilt.
FILE_FORMAT = "sign-bits+f16/1"
#: Templates read from the table per step when the index is built.
READ_BATCH = 50_000

def write_index_file(path: Path, index: TemplateIndex) -> dict[str, int]:
    """Write the live templates of ``index`` to ``path`` (replaced atomically); returns the
    ``max_key`` and ``count`` written."""
    arrays = index.arrays()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        np.savez(f, keys=arrays["keys"], codes=arrays["codes"], vectors=arrays["vectors"],
                 centre=arrays["centre"], centre_count=arrays["centre_count"])
    os.replace(tmp, path)
    keys = arrays["keys"]
    return {"max_key": int(keys.max()) if keys.size else 0, "count": int(keys.size)}


def read_index_file(path: Path) -> TemplateIndex:
    """The index saved by :func:`write_index_file`; ``ValueError`` if the file is not one."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in ("keys", "codes", "vectors", "centre", "centre_count")}
    except (OSError, KeyError, EOFError, ValueError, zipfile.BadZipFile) as exc:
        raise ValueError(f"{path} is not a saved biometric index: {exc}") from exc
    return TemplateIndex.from_arrays(arrays)


# the records of a search's nearest templates, built once (one query per search)
_RECORDS_OF_KEYS = (select(biometric_templates.c.index_key, biometric_templates.c.identity_record_id)
                    .where(biometric_templates.c.index_key.in_(bindparam("keys", expanding=True))))


class BiometricIndex:
    """The index of one store, with the path it is persisted to (``None``: kept in memory only)."""

    def __init__(self, path: Path | None, dimensions: int = TEMPLATE_DIMENSIONS):
        self.path = path
        self.dimensions = dimensions
        self.index = TemplateIndex(dimensions)
        self.lock = threading.Lock()  # serialises open/save; the index has its own lock
        self.dirty = False
        #: how the index was obtained on first use: "loaded", "loaded+added", "built" or "empty"
        self.origin = "empty"

    @property
    def max_key(self) -> int:
        return self.index.max_key()

    # -- persistence ------------------------------------------------------------------------------

    def _meta_path(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name + ".json")

    def open(self, conn: Connection) -> None:
        """Load the saved index if it still describes this store, else build it from the table."""
        if self.path is not None and self._load_saved(conn):
            added = self._add_rows(conn, self.max_key)
            self.origin = "loaded+added" if added else "loaded"
            self.dirty = bool(added)
            return
        self.index = TemplateIndex(self.dimensions)
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
            if meta.get("format") != FILE_FORMAT or int(meta.get("dimensions", 0)) != self.dimensions:
                return False
        except (ValueError, KeyError, TypeError):
            return False
        at_max = conn.execute(select(biometric_templates.c.id)
                              .where(biometric_templates.c.index_key == max_key)).scalar()
        upto = conn.execute(select(func.count()).select_from(biometric_templates)
                            .where(biometric_templates.c.index_key <= max_key)).scalar()
        if at_max != template_id or int(upto or 0) != count:
            return False  # the file belongs to another store or to an older state of this one
        try:
            index = read_index_file(self.path)
        except ValueError:
            return False
        if len(index) != count or index.max_key() != max_key or index.dimensions != self.dimensions:
            return False  # a crash between writing the file and its sidecar
        self.index = index
        return True

    def save(self, conn: Connection) -> bool:
        """Write the index and its sidecar (each atomically replaced); False when kept in memory
        only. Recomputes the centre of the codes first if the index has doubled since."""
        if self.path is None or len(self.index) == 0:
            return False
        with self.lock:
            if len(self.index) >= max(MIN_CENTRE_SAMPLE, 2 * self.index.centre_count):
                self.index.recentre()
            before = len(self.index)
            written = write_index_file(self.path, self.index)
            template_id = conn.execute(select(biometric_templates.c.id)
                                       .where(biometric_templates.c.index_key == written["max_key"])).scalar()
            meta = {**written, "template_id": template_id, "format": FILE_FORMAT,
                    "dimensions": self.dimensions, "rerank_candidates": self.index.rerank}
            tmp_meta = self._meta_path().with_name(self._meta_path().name + ".tmp")
            tmp_meta.write_text(json.dumps(meta), encoding="utf-8")
            # the file first, then the sidecar: a crash in between leaves a sidecar that does not
            # match the file, and the index is rebuilt
            os.replace(tmp_meta, self._meta_path())
            self.dirty = len(self.index) != before
            _remove_hnsw_leftovers(self.path)
        return True

    # -- content -------------------------------------------------------------------------------------

    def _add_rows(self, conn: Connection, after_key: int) -> int:
        q = (select(biometric_templates.c.index_key, biometric_templates.c.vector)
             .where(biometric_templates.c.index_key > after_key).order_by(biometric_templates.c.index_key))
        # streamed (a server-side cursor on PostgreSQL): a million templates are never all in
        # memory as Python rows at once. The option goes on this statement only: set on the
        # connection (Connection.execution_options changes it in place) it would make the unit of
        # work's next INSERT a cursor too, which PostgreSQL refuses
        result = conn.execute(q, execution_options={"stream_results": True, "max_row_buffer": READ_BATCH})
        total = 0
        while batch := result.fetchmany(READ_BATCH):
            keys = np.fromiter((int(row[0]) for row in batch), dtype=np.int64, count=len(batch))
            vectors = np.frombuffer(b"".join(bytes(row[1]) for row in batch), dtype=np.float32)
            self.index.append(keys, vectors.reshape(len(batch), self.dimensions))
            total += len(batch)
        return total

    def add(self, key: int, vector: NDArray[np.float32]) -> None:
        """Append one enrolled template (searchable at once); a key already held is ignored."""
        if key <= self.max_key and self.index.contains(key):
            return
        self.index.append([key], vector)
        self.dirty = True

    def __len__(self) -> int:
        return len(self.index)

    def search(self, conn: Connection, vector: NDArray[np.float32], k: int) -> list[tuple[str, float]]:
        """(identity_record_id, cosine similarity) of the ``k`` nearest templates, best first."""
        keys, scores = self.index.nearest(vector, k)
        if keys.size == 0:
            return []
        wanted = [int(key) for key in keys]
        records = dict(conn.execute(_RECORDS_OF_KEYS, {"keys": wanted}).all())
        gone = [key for key in wanted if key not in records]
        if gone:
            self.index.mark_removed(gone)
            self.dirty = True
        return [(records[key], float(s)) for key, s in zip(wanted, scores, strict=True) if key in records]


def _remove_hnsw_leftovers(path: Path) -> None:
    """Delete the usearch graph the previous version of this module saved beside the store."""
    old = path.with_name(path.name.removesuffix(".npz") + ".usearch")
    for stale in (old, old.with_name(old.name + ".json")):
        stale.unlink(missing_ok=True)


def index_path(conn: Connection) -> Path | None:
    """Where the index of this store is kept: beside a SQLite file, in ``var_dir`` for a server
    store, nowhere for an in-memory store."""
    url = conn.engine.url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:" or url.database.startswith("file::memory:"):
            return None
        return Path(url.database).with_name(Path(url.database).name + ".biometric.npz")
    from pactum.settings import Settings

    name = f"biometric-{url.host or 'local'}-{url.port or ''}-{url.database or 'db'}.npz"
    return Settings().var_dir / name


_INDEXES: dict[str, BiometricIndex] = {}
_OPEN_LOCK = threading.Lock()


def _store_key(conn: Connection) -> str:
    """The store ``conn`` belongs to, as :data:`_INDEXES` keys its index."""
    return conn.engine.url.render_as_string(hide_password=True)


def for_store(conn: Connection) -> BiometricIndex:
    """The index of the store ``conn`` belongs to, opened (loaded or built) on first use."""
    key = _store_key(conn)
    idx = _INDEXES.get(key)
    if idx is None:
        with _OPEN_LOCK:
            idx = _INDEXES.get(key)
            if idx is None:
                idx = BiometricIndex(index_path(conn))
                idx.open(conn)
                _INDEXES[key] = idx
    return idx


def remove_keys(conn: Connection, keys: list[int]) -> None:
    """Never return the templates ``keys`` again from this store's index, if it is open in this
    process (call it once their deletion is committed: ``UnitOfWork.after_commit``). An index opened
    later is built or loaded from the table and the file, which no longer hold them (a saved file
    that still does is found stale by its count and rebuilt)."""
    if not keys:
        return
    idx = _INDEXES.get(_store_key(conn))
    if idx is not None:
        idx.index.mark_removed(list(keys))
        idx.dirty = True


def forget(conn: Connection) -> None:
    """Drop the in-process index of this store (the next use loads or rebuilds it)."""
    _INDEXES.pop(_store_key(conn), None)
