"""Settings from the environment (``PACTUM_*``); every setting is documented in docs/settings.md."""

from __future__ import annotations

from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PACTUM_", extra="ignore")

    database_url: str = ""
    """SQLAlchemy URL of the store; empty means the embedded SQLite file ``var/pactum.db``."""
    var_dir: Path = Path("var")
    """Where the embedded store, model artefacts and generated reports are kept."""
    session_hours: int = 12
    """How long a web session or API token stays valid."""
    secure_cookies: bool = False
    """Mark the session cookie Secure (set behind HTTPS)."""
    cli_user: str = ""
    """Username the CLI acts as for writes; empty means the local operator principal."""
    argon2_time_cost: int = 2
    """argon2id time cost for password hashing."""
    argon2_memory_kib: int = 19456
    """argon2id memory cost in KiB (OWASP 2023 minimum profile)."""

    @field_validator("database_url")
    @classmethod
    def _a_database_sqlalchemy_can_open(cls, value: str) -> str:
        """Refuse here, naming the setting, a URL that is not one or names a database SQLAlchemy
        has no dialect for (``bogus://x``), rather than fail at the first query. The URL itself is
        not repeated: it may hold a password."""
        if not value:
            return value
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("not a database URL (sqlite:///PATH or postgresql://USER@HOST/NAME)") from None
        try:
            url.get_dialect()
        except ArgumentError:  # NoSuchModuleError: no such dialect or driver
            raise ValueError(f"no database kind '{url.drivername}' "
                             "(sqlite:///PATH or postgresql://USER@HOST/NAME)") from None
        return value

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.var_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.var_dir / 'pactum.db').resolve()}"
