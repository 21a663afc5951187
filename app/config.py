"""Settings from the environment (prefix ``LEERREVIEW_``) and a ``.env`` file, read once on first use."""

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, computed_field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the service reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="LEERREVIEW_", env_file=".env", extra="ignore")

    data_dir: Path = Path("./data")
    database_url: str | None = None
    secret_key: str | None = None
    default_language: Literal["nl", "en"] = "nl"
    base_url: str = "http://localhost:8000"
    cookie_secure: bool | None = Field(default=None, description="Defaults to true when base_url is https.")
    session_idle_minutes: int = 120
    session_absolute_hours: int = 12
    login_attempts_per_minute: int = 10
    # Failed log-ins per e-mail address (known or not) within lockout_minutes: after lockout_after_failures of
    # them each next try waits 1, 2, 4, … seconds, at most login_backoff_max_seconds (a slow-down, never a lock).
    lockout_after_failures: int = 10
    lockout_minutes: int = 15
    login_backoff_max_seconds: int = Field(default=60, ge=1, le=3600)
    join_failures_per_client: int = 10
    join_failures_global: int = 200
    # Longer than a proxy's idle upstream connections (nginx: 60 s) and than the pauses between a phone's taps:
    # a connection the server closes just as a client reuses it fails that request (seen at uvicorn's 5 s).
    keep_alive_seconds: int = Field(default=75, ge=1, le=3600)
    # A request's body is read whole before any handler runs (app.middleware.RequestBodyMiddleware): at most this
    # many bytes, and at least at this rate after a grace period, or the request is refused (413 / 408).
    request_max_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    request_body_grace_seconds: float = Field(default=10.0, gt=0, le=600)
    request_body_min_bytes_per_second: int = Field(default=1024, ge=1)
    # At most this many files (PDF, Word) are made at once per process; more wait their turn (app.downloads).
    file_jobs: int = Field(default=2, ge=1, le=32)
    # The room's busiest routes (stickers) served by their endpoints past FastAPI's per-request machinery
    # (app.lane); off, FastAPI serves them too, with the same answers (a switch for diagnosis, and the tests').
    lane: bool = True
    _file_key: str | None = PrivateAttr(default=None)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def effective_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'leerreview.sqlite3').resolve()}"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def secure_cookies(self) -> bool:
        """Whether cookies carry ``Secure`` and the ``__Host-`` prefix."""
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.base_url.startswith("https://")

    @property
    def is_sqlite(self) -> bool:
        """True when the database is SQLite."""
        return self.effective_database_url.startswith("sqlite")

    @property
    def upload_dir(self) -> Path:
        """Where uploaded documents live, outside the web root."""
        return self.data_dir / "uploads"

    def resolved_secret_key(self) -> str:
        """The secret key: given, or generated once into the data directory and kept there (read once)."""
        if self.secret_key:
            return self.secret_key
        if self._file_key is None:
            key_file = self.data_dir / "secret_key"
            if not key_file.exists():
                self.data_dir.mkdir(parents=True, exist_ok=True)
                key_file.touch(mode=0o600)
                key_file.write_text(secrets.token_urlsafe(48))
            self._file_key = key_file.read_text().strip()
        return self._file_key


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests build their own and pass them in)."""
    return Settings()
