"""A planner for the solving tests: the real planner, held until stopped or for the time limit.

It runs in the solving process (it is picklable by reference), first reports the
greedy plan as an improvement, then waits, like a long CP-SAT search would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from scheduler.plan import Plan
from scheduler.problem import Problem
from scheduler.solve_settings import EngineChoice, SolverSettings
from solver.planner import make_plan


def held_planner(
    problem: Problem,
    settings: SolverSettings | None = None,
    *,
    on_improvement: Callable[[Plan], None] | None = None,
    stop: threading.Event | None = None,
) -> Plan:
    settings = settings or SolverSettings()
    plan = make_plan(problem, settings.model_copy(update={"engine": EngineChoice.GREEDY}))
    if on_improvement is not None:
        on_improvement(plan)
    (stop or threading.Event()).wait(settings.time_limit_seconds)
    return plan
