"""Solves run in a process pool, never in the event loop; triggers during a solve coalesce.

Per workshop at most one solve runs. A trigger while it runs queues one follow-up
solve; later triggers join that queued one. The follow-up reads the workshop
when it starts, so it sees every change made meanwhile.

A solve asked for explicitly (POST .../plans) runs for the solve time limit. A
re-plan that a change triggers starts from the published plan and runs for the
short re-plan time limit, so the new plan is there within about two seconds; a
workshop's first plan, with nothing published yet, gets the solve time limit.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Executor, Future
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlalchemy import select, update

from api.db.models import PlanRow, WorkshopRow
from api.db.session import Database, utcnow
from api.schemas.plans import PlanStatus
from api.settings import Settings
from api.solve_worker import Planner, SolveTask, run_solve
from api.store.plans import create_plan, publish
from api.store.problem import build_problem
from api.store.workshops import workshop_of
from scheduler.plan import Plan, SolveStatus
from scheduler.solve_settings import EngineChoice, SolverSettings

log = logging.getLogger("api.solving")
Clock = Callable[[], datetime]
UNPUBLISHABLE = frozenset({SolveStatus.INFEASIBLE, SolveStatus.MODEL_INVALID})


@dataclass
class _Lane:
    """The solves of one workshop."""

    running: str | None = None
    queued: str | None = None
    future: Future[str] | None = None


@dataclass(frozen=True)
class Triggered:
    plan_id: str
    version: int
    status: PlanStatus
    coalesced: bool


class SolveManager:
    def __init__(
        self, database: Database, planner: Planner, executor: Executor, clock: Clock, settings: Settings
    ) -> None:
        self.database = database
        self.planner = planner
        self.executor = executor
        self.clock = clock
        self.settings = settings
        self._lanes: dict[str, _Lane] = {}
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._closing = False

    def trigger(
        self,
        workshop_id: str,
        reason: str,
        engine: EngineChoice | None = None,
        time_limit: float | None = None,
        *,
        explicit: bool = False,
    ) -> Triggered:
        """Ask for a solve of the workshop; answers the plan that will carry it.

        `explicit`: asked for as a solve (POST .../plans), not triggered by a change; it runs for
        `time_limit` or the solve time limit, where a triggered re-plan runs for the re-plan limit.
        """
        if explicit:
            time_limit = time_limit or self.settings.solve_time_limit_seconds
        with self._lock:
            lane = self._lanes.setdefault(workshop_id, _Lane())
            if lane.queued is not None:
                if explicit:
                    self._upgrade(lane.queued, engine, time_limit)
                return self._triggered(lane.queued, coalesced=True)
            with self.database.session() as session:
                row = create_plan(session, workshop_id, reason, engine and engine.value, time_limit)
                triggered = Triggered(row.id, row.version, PlanStatus.QUEUED, coalesced=False)
            if lane.running is not None or self._closing:
                lane.queued = row.id
            else:
                lane.running = row.id
                self._start(workshop_id, lane)
            return triggered

    def _triggered(self, plan_id: str, coalesced: bool) -> Triggered:
        with self.database.session() as session:
            row = session.get(PlanRow, plan_id)
            assert row is not None
            return Triggered(row.id, row.version, PlanStatus(row.status), coalesced)

    def _upgrade(self, plan_id: str, engine: EngineChoice | None, time_limit: float | None) -> None:
        """A queued re-plan that an explicit solve joins takes the solve's engine and time limit."""
        with self.database.session() as session:
            row = session.get(PlanRow, plan_id)
            assert row is not None
            row.engine = engine.value if engine else row.engine
            row.time_limit_seconds = max(row.time_limit_seconds or 0.0, time_limit or 0.0) or None

    def replan_settings(self) -> SolverSettings:
        """What a triggered re-plan runs with (previews of a change use it too)."""
        return SolverSettings(
            engine=self.settings.solve_engine,
            time_limit_seconds=min(
                self.settings.replan_time_limit_seconds, self.settings.solve_max_time_limit_seconds
            ),
            workers=self.settings.solve_workers,
        )

    def _solver_settings(self, row: PlanRow, replan: bool) -> SolverSettings:
        """The row's time limit, else the re-plan limit when a plan is published, else the solve limit."""
        default = (
            self.settings.replan_time_limit_seconds if replan else self.settings.solve_time_limit_seconds
        )
        limit = min(row.time_limit_seconds or default, self.settings.solve_max_time_limit_seconds)
        engine = EngineChoice(row.engine) if row.engine else self.settings.solve_engine
        # A re-plan answers within seconds: neighbourhood rounds from the kept plan, no whole model.
        share = 0.0 if replan and not row.time_limit_seconds else SolverSettings().whole_model_share
        return SolverSettings(
            engine=engine,
            time_limit_seconds=limit,
            workers=self.settings.solve_workers,
            whole_model_share=share,
        )

    def _start(self, workshop_id: str, lane: _Lane) -> None:
        plan_id = lane.running
        assert plan_id is not None
        try:
            with self.database.session() as session:
                row = session.get(PlanRow, plan_id)
                assert row is not None
                problem = build_problem(session, workshop_id, self.clock())
                settings = self._solver_settings(row, replan=problem.published_plan is not None)
                row.status, row.started_at = PlanStatus.RUNNING.value, utcnow()
                row.engine, row.time_limit_seconds = settings.engine.value, settings.time_limit_seconds
            task = SolveTask(
                plan_id,
                self.database.url,
                problem.model_dump_json(),
                settings.model_dump_json(),
                self.planner,
            )
            future = self.executor.submit(run_solve, task)
        except Exception as error:
            log.exception("solve %s could not start", plan_id)
            self._finish(plan_id, None, f"could not start: {error}")
            self._advance(workshop_id, lane)
            return
        lane.future = future
        future.add_done_callback(partial(self._done, workshop_id, plan_id))

    def _done(self, workshop_id: str, plan_id: str, future: Future[str]) -> None:
        try:
            try:
                plan_json, error = future.result(), None
            except (Exception, CancelledError) as failure:
                log.exception("solve %s failed", plan_id)
                plan_json, error = None, f"{type(failure).__name__}: {failure}"
            self._finish(plan_id, plan_json, error)
        except Exception:
            log.exception("the end of solve %s could not be recorded", plan_id)
        finally:
            with self._lock:
                lane = self._lanes[workshop_id]
                if lane.running == plan_id:
                    self._advance(workshop_id, lane)

    def _finish(self, plan_id: str, plan_json: str | None, error: str | None) -> None:
        with self.database.session() as session:
            row = session.get(PlanRow, plan_id)
            if row is None:
                return
            row.finished_at = utcnow()
            if plan_json is None:
                row.status, row.error = PlanStatus.FAILED.value, error
                return
            plan = Plan.model_validate_json(plan_json)
            row.result = plan.model_dump(mode="json")
            row.status = (PlanStatus.STOPPED if row.stop_requested else PlanStatus.DONE).value
            workshop = workshop_of(session.get_one(WorkshopRow, row.workshop_id))
            if workshop.settings.auto_publish and plan.solve.status not in UNPUBLISHABLE:
                publish(session, row)
        log.info("solve %s finished", plan_id)

    def _advance(self, workshop_id: str, lane: _Lane) -> None:
        with self._lock:
            lane.future = None
            if self._closing:
                lane.running = None  # a queued follow-up stays queued: the next start solves it
            else:
                lane.running, lane.queued = lane.queued, None
                if lane.running is not None:
                    self._start(workshop_id, lane)
            self._changed.notify_all()

    def stop(self, workshop_id: str, plan_id: str) -> bool:
        """Stop a queued or running solve; False when it had already finished."""
        with self._lock:
            lane = self._lanes.get(workshop_id, _Lane())
            with self.database.session() as session:
                if lane.queued == plan_id:
                    lane.queued = None
                    session.execute(
                        update(PlanRow)
                        .where(PlanRow.id == plan_id)
                        .values(status=PlanStatus.CANCELLED.value, finished_at=utcnow())
                    )
                    return True
                row = session.get(PlanRow, plan_id)
                if row is None or row.status not in (PlanStatus.QUEUED.value, PlanStatus.RUNNING.value):
                    return False
                row.stop_requested = True
                return True

    def busy(self, workshop_id: str) -> bool:
        with self._lock:
            lane = self._lanes.get(workshop_id)
            return lane is not None and (lane.running is not None or lane.queued is not None)

    def wait_idle(self, workshop_id: str, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: not self.busy(workshop_id), timeout)

    def recover(self) -> list[str]:
        """After a restart: solves the last process left unfinished are marked and solved again."""
        with self.database.session() as session:
            unfinished = (PlanStatus.QUEUED.value, PlanStatus.RUNNING.value)
            rows = list(session.scalars(select(PlanRow).where(PlanRow.status.in_(unfinished))))
            for row in rows:
                row.status, row.finished_at = PlanStatus.INTERRUPTED.value, utcnow()
            workshops = sorted({row.workshop_id for row in rows})
        for workshop_id in workshops:
            self.trigger(workshop_id, "re-plan after a restart")
        return workshops

    def close(self, timeout: float = 30.0) -> None:
        """Stop every running solve, keep its best plan; queued ones stay queued for the next start."""
        with self._lock:
            self._closing = True
            running = [(wid, lane.running, lane.future) for wid, lane in self._lanes.items() if lane.running]
        for workshop_id, plan_id, _ in running:
            assert plan_id is not None
            self.stop(workshop_id, plan_id)
        for workshop_id, _, future in running:
            if future is not None:
                try:
                    future.result(timeout)
                except (Exception, CancelledError):
                    log.info("solve of %s ended with an error while closing", workshop_id)
        with self._changed:
            self._changed.wait_for(
                lambda: all(lane.running is None for lane in self._lanes.values()), timeout
            )
