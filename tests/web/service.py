"""The real service for the browser tests and the screenshots: uvicorn in a thread on a free loopback port.

SQLite in a temporary folder, the demo workshop loaded, greedy solves (fast and repeatable), and a
clock the caller holds: at the demo fixture's `now` the demo day stays the fixture's own day.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from api.app import create_app
from api.auth import Role, store_key
from api.deps import Services
from api.settings import Settings
from scheduler.solve_settings import EngineChoice

DEMO_NOW = datetime.fromisoformat("2026-11-23T07:30:00+08:00")
"""The `now` of fixtures/dealership_day.json: a Monday in Shanghai, before opening."""
DEMO_KEY = "bayplan-demo-key"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


class Clock:
    """The service's clock, set by the caller."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def loopback_socket() -> socket.socket:
    """A socket bound to a free loopback port, held until uvicorn listens on it.

    Handing uvicorn the bound socket leaves no window in which another connection could take the
    port: the service's first solve runs before it listens.
    """
    bound = socket.socket()
    bound.bind(("127.0.0.1", 0))
    return bound


@dataclass
class Service:
    """A running service: its address, app, clock, and an HTTP client with the demo key."""

    url: str
    app: FastAPI
    clock: Clock
    http: httpx.Client

    @property
    def services(self) -> Services:
        services: Services = self.app.state.services
        return services

    def call(self, method: str, path: str, *, key: str = DEMO_KEY, json: Any = None) -> Any:
        response = self.http.request(method, path, json=json, headers={"Authorization": f"Bearer {key}"})
        assert response.is_success, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()

    def key(
        self, name: str, role: Role, *, workshop_id: str | None = None, group_id: str | None = None
    ) -> str:
        """A new API key of this role and scope."""
        with self.services.database.session() as session:
            store_key(session, name, name=name, role=role, workshop_id=workshop_id, group_id=group_id)
        return name

    def idle(self, workshop_id: str = "demo", timeout: float = 120) -> None:
        assert self.services.solver.wait_idle(workshop_id, timeout), "the solves did not finish"


@contextmanager
def running_service(data_dir: Path, now: datetime = DEMO_NOW) -> Iterator[Service]:
    bound = loopback_socket()
    port: int = bound.getsockname()[1]
    settings = Settings(
        database_url=f"sqlite:///{data_dir / 'bayplan.sqlite3'}",
        host="127.0.0.1",
        port=port,
        load_demo=True,
        solve_engine=EngineChoice.GREEDY,
        solve_time_limit_seconds=5,
        solve_workers=1,
        startup_wait_seconds=120,
    )
    clock = Clock(now)
    executor = ProcessPoolExecutor(1, mp_context=get_context("spawn"))
    app = create_app(settings, clock=clock, executor=executor)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [bound]}, name="bayplan-web-test", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + 180
        while not server.started:  # start-up includes the demo's first solve
            assert thread.is_alive(), "the service stopped during start-up"
            assert time.monotonic() < deadline, "the service did not start"
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=url, timeout=60) as http:
            yield Service(url=url, app=app, clock=clock, http=http)
    finally:
        server.should_exit = True
        thread.join(timeout=90)
        executor.shutdown(wait=True, cancel_futures=True)
        bound.close()
