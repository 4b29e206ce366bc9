"""The application factory: settings, database and migrations, solving pool, routers, errors, logs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from multiprocessing import get_context

import anyio
from fastapi import FastAPI, Request, Response

from api import openapi, problems
from api.db.session import Database
from api.demo import ensure_demo
from api.deps import Services
from api.limits import BodyLimit
from api.logs import RequestContext
from api.migrations import upgrade
from api.routes import events, health, jobs, keys, operations, plans, quotes, supplemental, web, workshops
from api.settings import Settings, get_settings
from api.solve_worker import Planner
from api.solving import SolveManager

log = logging.getLogger("api")
Clock = Callable[[], datetime]

DESCRIPTION = """
Bayplan plans the service workshop of a car dealership. A dealer management system (DMS), the
dispatcher and the front desk call it: workshops, jobs (repair orders), DMS events and plans.

Authenticate with an API key: `Authorization: Bearer <key>` or `X-API-Key: <key>`. Errors are
`application/problem+json`; updates take `If-Match` with the ETag last read.
"""


def utc_now() -> datetime:
    return datetime.now(UTC)


class HeaderClock:
    """Test and simulation only (settings.allow_clock_override): now is the latest `X-Bayplan-Now`."""

    def __init__(self) -> None:
        self.now: datetime | None = None

    def __call__(self) -> datetime:
        return self.now or utc_now()

    def install(self, app: FastAPI) -> None:
        @app.middleware("http")
        async def read_now(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
            header = request.headers.get("x-bayplan-now")
            if header:
                try:
                    moment = datetime.fromisoformat(header)
                except ValueError:
                    moment = None
                if moment is None or moment.tzinfo is None:
                    reason = "must be an ISO 8601 time with a UTC offset"
                    error = problems.FieldError(path="header.X-Bayplan-Now", message=reason)
                    problem = problems.ProblemDetails(
                        title="Unprocessable Content",
                        status=422,
                        detail=f"X-Bayplan-Now {reason}",
                        errors=[error],
                    )
                    return problems.problem_response(request, problem)
                self.now = moment
            return await call_next(request)


def _default_planner() -> Planner:
    from solver.planner import make_plan

    return make_plan


def start_services(settings: Settings, planner: Planner, clock: Clock, executor: Executor | None) -> Services:
    database = Database(settings.resolved_database_url)
    upgrade(database)
    pool = executor or ProcessPoolExecutor(settings.solve_processes, mp_context=get_context("spawn"))
    solver = SolveManager(database, planner, pool, clock, settings)
    demo = ensure_demo(database, settings, clock()) if settings.load_demo else None
    solver.recover()
    if demo is not None:
        solver.trigger(demo, "demo workshop loaded")
        solver.wait_idle(demo, settings.startup_wait_seconds)
    return Services(settings=settings, database=database, solver=solver, clock=clock)


def stop_services(services: Services, owns_executor: bool) -> None:
    services.solver.close()
    if owns_executor:
        services.solver.executor.shutdown(wait=True, cancel_futures=True)
    services.database.dispose()


def create_app(
    settings: Settings | None = None,
    *,
    planner: Planner | None = None,
    clock: Clock | None = None,
    executor: Executor | None = None,
) -> FastAPI:
    """The service. Tests pass their settings, a clock and a shared process pool."""
    resolved = settings or get_settings()
    header_clock = HeaderClock() if resolved.allow_clock_override and clock is None else None
    clock = clock or header_clock

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = await anyio.to_thread.run_sync(
            start_services, resolved, planner or _default_planner(), clock or utc_now, executor
        )
        app.state.services = services
        log.info("bayplan ready", extra={"database": services.database.engine.url.render_as_string()})
        yield
        await anyio.to_thread.run_sync(stop_services, services, executor is None)

    app = FastAPI(title="Bayplan", version="1.0.0", description=DESCRIPTION, lifespan=lifespan)
    if settings is not None:
        app.dependency_overrides[get_settings] = lambda: resolved
    problems.install(app)
    openapi.install(app)
    app.add_middleware(BodyLimit, max_bytes=resolved.max_body_bytes)
    app.add_middleware(RequestContext)
    if header_clock is not None:
        header_clock.install(app)
    for module in (health, workshops, jobs, operations, supplemental, events, plans, quotes, keys):
        app.include_router(module.router)
    app.include_router(web.router)  # the board and the desk (browser pages), outside the OpenAPI document
    return app
