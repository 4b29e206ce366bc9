from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from api.db.models import Base
from api.db.session import Database
from api.migrations import alembic_config, upgrade


def test_migrations_build_exactly_the_models(database_url: str) -> None:
    database = Database(database_url)
    upgrade(database)
    upgrade(database)  # a second start-up finds nothing to do
    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    with database.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    database.dispose()


def test_sqlite_runs_in_wal_mode(sqlite_url: str) -> None:
    database = Database(sqlite_url)
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    database.dispose()
