"""The service as a subprocess (`python -m api`) on a free loopback port, and a timed HTTP client."""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

ADMIN_KEY = "bayplan-sim-admin"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A free loopback port below Linux's ephemeral range (32768-60999).

    A port from `bind(0)` lies in the range outgoing connections draw from: while the service runs its
    first solve, before it listens, a client connection elsewhere on the machine could take it.
    """
    draw = random.SystemRandom()
    for _ in range(100):
        port = draw.randrange(20000, 32768)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free loopback port between 20000 and 32767")


@dataclass
class Service:
    url: str
    data_dir: Path

    @property
    def database_url(self) -> str:
        return f"sqlite:///{(self.data_dir / 'bayplan.sqlite3').as_posix()}"


def tiny_demo(directory: Path) -> Path:
    """The tiny fixture as the demo workshop.

    `python -m api` always loads a demo workshop and solves it at start-up: a tiny one does not
    hold the solving pool while the simulated workshop waits for its morning plan. Its id must be
    `demo`, which start-up solves by name.
    """
    problem = json.loads((ROOT / "fixtures" / "tiny.json").read_text(encoding="utf-8"))
    problem["workshop"]["id"] = "demo"
    path = directory / "demo.json"
    path.write_text(json.dumps(problem), encoding="utf-8")
    return path


@contextmanager
def running_service(
    engine: str, replan_seconds: float, solve_seconds: float, workers: int
) -> Iterator[Service]:
    """`python -m api` with a temp SQLite data dir and the clock override on."""
    with tempfile.TemporaryDirectory(prefix="bayplan-sim-") as tmp:
        port = free_port()
        env = {
            **os.environ,
            "BAYPLAN_DATA_DIR": tmp,
            "BAYPLAN_PORT": str(port),
            "BAYPLAN_HOST": "127.0.0.1",
            "BAYPLAN_LOG_LEVEL": "WARNING",
            "BAYPLAN_SOLVE_ENGINE": engine,
            "BAYPLAN_REPLAN_TIME_LIMIT_SECONDS": str(replan_seconds),
            "BAYPLAN_SOLVE_TIME_LIMIT_SECONDS": str(solve_seconds),
            "BAYPLAN_SOLVE_WORKERS": str(workers),
            "BAYPLAN_STARTUP_WAIT_SECONDS": "0",
            "BAYPLAN_DEMO_API_KEY": ADMIN_KEY,
            "BAYPLAN_DEMO_FIXTURE": str(tiny_demo(Path(tmp))),
            "BAYPLAN_ALLOW_CLOCK_OVERRIDE": "1",
            "BAYPLAN_MAX_EVENTS_PER_BATCH": "1000",
        }
        env.pop("BAYPLAN_DATABASE_URL", None)
        log = open(Path(tmp) / "service.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "api"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise RuntimeError(
                        f"the service exited: {(Path(tmp) / 'service.log').read_text()[-2000:]}"
                    )
                try:
                    if httpx.get(f"{url}/livez", timeout=1).status_code < 500:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("the service did not start within 60 s")
                time.sleep(0.2)
            yield Service(url=url, data_dir=Path(tmp))
        finally:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


class ApiError(RuntimeError):
    pass


@dataclass
class Client:
    """httpx over loopback; every call carries the simulated now, is timed per endpoint, 2xx or raises."""

    base: str
    key: str = ADMIN_KEY
    now: datetime | None = None
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.base, timeout=120)

    def close(self) -> None:
        self.http.close()

    def call(self, method: str, path: str, endpoint: str, body: Any = None, **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.key}"}
        if self.now is not None:
            headers["X-Bayplan-Now"] = self.now.isoformat()
        started = time.perf_counter()
        response = self.http.request(method, path, json=body, headers=headers, params=params or None)
        self.latencies[f"{method} {endpoint}"].append((time.perf_counter() - started) * 1000)
        if response.status_code >= 400:
            message = f"{method} {path}: {response.status_code} {response.text[:1000]}"
            self.errors.append(message)
            raise ApiError(message)
        return response.json() if response.content else None
