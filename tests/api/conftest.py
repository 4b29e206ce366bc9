"""Fixtures of the API tests: the app through its ASGI interface, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.auth import Role, hash_key, store_key
from api.db.models import ApiKeyRow
from api.deps import Services
from api.settings import Settings
from scheduler.solve_settings import EngineChoice
from tests.api import data
from tests.api.pg import Databases, admin_engine

GROUP = "g1"
ADMIN = "test-admin-g1"


class Clock:
    """The service's clock, set by the test."""

    def __init__(self, now: datetime = data.NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
def executor() -> Iterator[ProcessPoolExecutor]:
    """One solving process per test worker, shared by every app the tests start."""
    pool = ProcessPoolExecutor(1, mp_context=get_context("spawn"))
    yield pool
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[Databases]:
    engine = admin_engine()
    yield Databases(engine)
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bayplan.sqlite3'}"
        return
    databases: Databases = request.getfixturevalue("pg_databases")
    url = databases.create()
    yield url
    databases.drop(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bayplan.sqlite3'}"


def test_settings(database_url: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "solve_engine": EngineChoice.GREEDY,
        "solve_time_limit_seconds": 1.0,
        "solve_workers": 1,
        **extra,
    }
    return Settings(**values)


test_settings.__test__ = False  # type: ignore[attr-defined]


@dataclass
class Api:
    """A running app, its client, and keys made for the test."""

    app: FastAPI
    client: TestClient
    clock: Clock
    keys: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def services(self) -> Services:
        services: Services = self.app.state.services
        return services

    def key(
        self, role: Role, *, workshop_id: str | None = None, group_id: str | None = None
    ) -> dict[str, str]:
        """Headers with a new key of this role and scope."""
        secret = f"key-{role.value}-{workshop_id or group_id}-{len(self.keys)}"
        with self.services.database.session() as session:
            store_key(session, secret, name=secret, role=role, workshop_id=workshop_id, group_id=group_id)
        self.keys[secret] = {"Authorization": f"Bearer {secret}"}
        return self.keys[secret]

    @property
    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {ADMIN}"}

    def create_workshop(self, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.client.post("/v1/workshops", json=body or data.workshop(), headers=self.admin)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    def wait(self, workshop_id: str = "w1", timeout: float = 60) -> None:
        assert self.services.solver.wait_idle(workshop_id, timeout), "solves did not finish"


def _ensure_admin(api: Api) -> None:
    with api.services.database.session() as session:
        if session.scalar(select(ApiKeyRow).where(ApiKeyRow.key_hash == hash_key(ADMIN))) is None:
            store_key(session, ADMIN, name="test admin", role=Role.ADMIN, group_id=GROUP)


StartApi = Callable[..., AbstractContextManager[Api]]


@pytest.fixture
def start_api(executor: ProcessPoolExecutor) -> StartApi:
    """Starts an app (lifespan included) on a database, with the admin key of dealer group g1.

    The app reads the test's clock, or with `own_clock` its own: the wall clock, or the
    `X-Bayplan-Now` header when the settings allow it (`Api.clock` is then not the app's).
    """

    @contextmanager
    def started(
        settings: Settings, clock: Clock | None = None, *, own_clock: bool = False, **kwargs: Any
    ) -> Iterator[Api]:
        clock = clock or Clock()
        app = create_app(settings, clock=None if own_clock else clock, executor=executor, **kwargs)
        with TestClient(app, raise_server_exceptions=False) as client:
            running = Api(app, client, clock)
            _ensure_admin(running)
            yield running

    return started


@pytest.fixture
def api(start_api: StartApi, database_url: str) -> Iterator[Api]:
    """The app on SQLite and on PostgreSQL, with the admin key of dealer group g1."""
    with start_api(test_settings(database_url)) as running:
        yield running


@pytest.fixture
def w1(api: Api) -> Api:
    """The app with workshop w1 created and its first plan solved."""
    api.create_workshop()
    api.wait("w1")
    return api
