"""Service settings, read from BAYPLAN_* environment variables behind a cached dependency."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from scheduler.solve_settings import EngineChoice


class Settings(BaseSettings):
    """Everything the service reads from its environment (prefix BAYPLAN_)."""

    model_config = SettingsConfigDict(env_prefix="BAYPLAN_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = None
    """SQLAlchemy URL; unset: a SQLite file under data_dir."""
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    log_level: str = "INFO"

    max_body_bytes: Annotated[int, Field(ge=1024)] = 1_000_000
    max_jobs_per_workshop: Annotated[int, Field(ge=1)] = 500
    """Open (plannable) jobs a workshop may hold."""
    max_operations_per_job: Annotated[int, Field(ge=1)] = 40
    max_events_per_batch: Annotated[int, Field(ge=1)] = 200

    solve_engine: EngineChoice = EngineChoice.CP_SAT
    solve_time_limit_seconds: Annotated[float, Field(gt=0, le=3600)] = 10.0
    """Time limit of a solve asked for with POST .../plans (and of a workshop's first plan)."""
    replan_time_limit_seconds: Annotated[float, Field(gt=0, le=3600)] = 1.0
    """Time limit of the re-plans that changes trigger (events, jobs, pins, approvals, configuration)
    once a plan is published: short, so that the new plan is there within about two seconds."""
    solve_max_time_limit_seconds: Annotated[float, Field(gt=0, le=3600)] = 120.0
    """Upper bound for a time limit asked for in a solve request."""
    solve_workers: Annotated[int, Field(ge=1, le=64)] = 2
    """CP-SAT search workers per solve."""
    solve_processes: Annotated[int, Field(ge=1, le=64)] = 1
    """Processes in the solving pool: solves of different workshops run side by side."""

    allow_clock_override: bool = False
    """Test and simulation only: the service's clock reads the `X-Bayplan-Now` header (ISO 8601 with
    offset) of the latest request that carried one. Never switch this on in production."""

    load_demo: bool = False
    demo_api_key: str = "bayplan-demo-key"
    """Admin key of the demo dealer group, known so the README's curl session works as written."""
    demo_fixture: Path | None = None
    """Problem JSON of the demo workshop; unset: fixtures/dealership_day.json."""
    startup_wait_seconds: Annotated[float, Field(ge=0, le=600)] = 30.0
    """How long start-up waits for the demo's first plan."""

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            url = self.database_url
            if url.startswith("postgresql://") or url.startswith("postgres://"):
                url = "postgresql+psycopg://" + url.split("://", 1)[1]
            return url
        return f"sqlite:///{(self.data_dir / 'bayplan.sqlite3').as_posix()}"


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once from the environment; override this dependency in tests."""
    return Settings()
