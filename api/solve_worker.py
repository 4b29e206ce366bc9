"""What runs inside a solving process: the planner, with its improvements and stop flag on the database.

The task crosses the process boundary as JSON strings; the best plan so far is
written to the plan's row as the planner improves it, and the row's
stop_requested flag (set by DELETE on any instance of the service) stops it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select, update

from api.db.models import PlanRow
from api.db.session import Database, utcnow
from scheduler.plan import Plan
from scheduler.problem import Problem
from scheduler.solve_settings import SolverSettings

STOP_POLL_SECONDS = 0.2
SAVE_EVERY_SECONDS = 0.5


class Planner(Protocol):
    def __call__(
        self,
        problem: Problem,
        settings: SolverSettings | None = None,
        *,
        on_improvement: Callable[[Plan], None] | None = None,
        stop: threading.Event | None = None,
    ) -> Plan: ...


@dataclass(frozen=True)
class SolveTask:
    plan_id: str
    database_url: str
    problem_json: str
    settings_json: str
    planner: Planner


class _ImprovementSaver:
    """Writes the best plan so far to the plan's row, at most every SAVE_EVERY_SECONDS."""

    def __init__(self, database: Database, plan_id: str) -> None:
        self.database = database
        self.plan_id = plan_id
        self.saved_at = 0.0

    def __call__(self, plan: Plan) -> None:
        if time.monotonic() - self.saved_at < SAVE_EVERY_SECONDS:
            return
        self.saved_at = time.monotonic()
        with self.database.session() as session:
            session.execute(
                update(PlanRow)
                .where(PlanRow.id == self.plan_id)
                .values(result=plan.model_dump(mode="json"), improved_at=utcnow())
            )


def _watch_stop(database: Database, plan_id: str, stop: threading.Event, finished: threading.Event) -> None:
    while not finished.wait(STOP_POLL_SECONDS):
        with database.session() as session:
            if session.scalar(select(PlanRow.stop_requested).where(PlanRow.id == plan_id)):
                stop.set()
                return


def run_solve(task: SolveTask) -> str:
    """Solve and return the final plan as JSON."""
    database = Database(task.database_url)
    stop, finished = threading.Event(), threading.Event()
    watcher = threading.Thread(target=_watch_stop, args=(database, task.plan_id, stop, finished), daemon=True)
    try:
        problem = Problem.model_validate_json(task.problem_json)
        settings = SolverSettings.model_validate_json(task.settings_json)
        watcher.start()
        saver = _ImprovementSaver(database, task.plan_id)
        plan = task.planner(problem, settings, on_improvement=saver, stop=stop)
        return plan.model_dump_json()
    finally:
        finished.set()
        if watcher.is_alive():
            watcher.join()
        database.dispose()
