from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import Settings, get_settings


def test_defaults_put_a_sqlite_file_under_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BAYPLAN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BAYPLAN_DATABASE_URL", raising=False)
    assert Settings().resolved_database_url == f"sqlite:///{tmp_path.as_posix()}/bayplan.sqlite3"


def test_a_postgres_url_uses_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BAYPLAN_DATABASE_URL", "postgresql://bayplan@db/bayplan")
    monkeypatch.setenv("BAYPLAN_MAX_JOBS_PER_WORKSHOP", "7")
    settings = Settings()
    assert settings.resolved_database_url == "postgresql+psycopg://bayplan@db/bayplan"
    assert settings.max_jobs_per_workshop == 7


def test_settings_are_read_once() -> None:
    get_settings.cache_clear()
    assert get_settings() is get_settings()
    get_settings.cache_clear()
