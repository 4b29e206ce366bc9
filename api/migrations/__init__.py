"""Alembic migrations, applied programmatically at start-up (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from api.db.session import Database, is_sqlite

MIGRATIONS = Path(__file__).parent
ADVISORY_LOCK = 0x6261_7970  # "bayp": one migrating process at a time on PostgreSQL


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS.as_posix())
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(database: Database, revision: str = "head") -> None:
    """Bring the database's schema to `revision` inside one transaction."""
    config = alembic_config(database.url)
    with database.engine.begin() as connection:
        if not is_sqlite(database.url):
            connection.execute(text(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK})"))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
