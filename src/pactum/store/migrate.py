"""Running the migrations from code (``pactum db upgrade``, tests, the demo)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

HERE = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config(str(HERE / "alembic.ini"))
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("version_locations", str(HERE / "versions"))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, target: str = "heads") -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)


def has_schema(engine: Engine) -> bool:
    """Whether the store has been migrated (``pactum db upgrade``) at least once. A SQLite file
    that does not exist yet is not created by asking."""
    from sqlalchemy import inspect

    database = engine.url.database
    if engine.url.get_backend_name() == "sqlite" and database not in (None, "", ":memory:") \
            and not Path(str(database)).exists():
        return False
    return inspect(engine).has_table("alembic_version")


def current_heads(engine: Engine) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def script_heads() -> set[str]:
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def pending_heads(engine: Engine, code: set[str] | None = None) -> set[str]:
    """The code's migration heads (one per area branch) the store has not reached: empty when the
    store is at the code's migrations (or ahead of them). ``code`` defaults to
    :func:`script_heads` (a caller asking often reads them once).

    A head of one area that another area's migration depends on (``depends_on``:
    ``awareness_0002_local_months`` reads the column ``registry_0006_encounter_time_zone`` adds) is
    no longer listed in the store's version table once the dependent migration ran, though it is
    still a head of the scripts: it is reached when it is an ancestor of a head the store holds."""
    missing = (script_heads() if code is None else code) - (current := current_heads(engine))
    if not missing:
        return missing
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    revisions = {r.revision for r in scripts.walk_revisions()}
    known = tuple(h for h in current if h in revisions)  # a store ahead of the code holds others
    reached = {r.revision for r in scripts.iterate_revisions(known, "base")} if known else set()
    return missing - reached
