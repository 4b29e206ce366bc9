"""The PostgreSQL server on this machine: started when down; a fresh database per test."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

ADMIN_URL = os.environ.get("BAYPLAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _reachable(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


def _start_server() -> None:
    clusters = Path("/etc/postgresql")
    if not clusters.is_dir():
        return
    for version in sorted(p.name for p in clusters.iterdir()):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            check=False,
            capture_output=True,
            timeout=60,
        )


def admin_engine() -> Engine:
    """An autocommit engine on the admin database; fails under CI=true when no server can be reached."""
    engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    if _reachable(engine):
        return engine
    _start_server()
    for _ in range(30):
        if _reachable(engine):
            return engine
        time.sleep(1)
    message = f"PostgreSQL is not reachable at {ADMIN_URL}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class Databases:
    """Creates databases named bayplan_test_<random> and drops them again."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self) -> str:
        name = f"bayplan_test_{uuid.uuid4().hex[:12]}"
        with self.engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
