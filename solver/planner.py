"""Planning service: greedy first (the best of a few job orders), then CP-SAT warm-started from it,
that greedy plan again as the fallback."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from scheduler.plan import Engine, Plan, SolveInfo, SolveStatus
from scheduler.problem import Problem
from scheduler.solve_settings import EngineChoice, SolverSettings
from solver.cpsat.model import CpSatOutcome, solve_cpsat
from solver.evaluate import evaluate_terms, term_weight, weighted_total
from solver.greedy import greedy_solution
from solver.instance import Instance, compile_problem
from solver.plan_builder import build_plan
from solver.solution import Solution
from solver.starts import best_start

CP_STATUS = {
    "optimal": SolveStatus.OPTIMAL,
    "feasible": SolveStatus.FEASIBLE,
    "infeasible": SolveStatus.INFEASIBLE,
    "model_invalid": SolveStatus.MODEL_INVALID,
}


def make_plan(
    problem: Problem,
    settings: SolverSettings | None = None,
    *,
    on_improvement: Callable[[Plan], None] | None = None,
    stop: threading.Event | None = None,
) -> Plan:
    settings = settings or SolverSettings()
    began = time.perf_counter()
    instance = compile_problem(problem)
    if settings.engine == EngineChoice.GREEDY or not instance.ops:
        return _plan(instance, greedy_solution(instance), Engine.GREEDY, SolveStatus.GREEDY, began)
    greedy = best_start(instance, time_limit=settings.time_limit_seconds, seed=settings.seed)

    def improved(solution: Solution, objective: float) -> None:
        if on_improvement is not None:
            on_improvement(_plan(instance, solution, Engine.CP_SAT, SolveStatus.FEASIBLE, began))

    # The time limit covers the whole answer: what compiling and the greedy took comes off it.
    left = max(0.5, settings.time_limit_seconds - (time.perf_counter() - began))
    cp_settings = settings.model_copy(update={"time_limit_seconds": left})
    outcome = solve_cpsat(instance, greedy, cp_settings, improved if on_improvement else None, stop)
    if outcome.solution is None:
        status = CP_STATUS.get(outcome.status, SolveStatus.FALLBACK)
        if status not in (SolveStatus.INFEASIBLE, SolveStatus.MODEL_INVALID):
            status = SolveStatus.FALLBACK
        return _plan(instance, greedy, Engine.GREEDY, status, began)
    return _plan(instance, outcome.solution, Engine.CP_SAT, CP_STATUS[outcome.status], began, outcome)


def _plan(
    instance: Instance,
    solution: Solution,
    engine: Engine,
    status: SolveStatus,
    began: float,
    outcome: CpSatOutcome | None = None,
) -> Plan:
    terms = evaluate_terms(instance, solution)
    info = SolveInfo(
        engine=engine,
        status=status,
        objective=outcome.objective if outcome else float(weighted_total(instance, terms)),
        best_bound=outcome.best_bound if outcome else None,
        solve_seconds=round(time.perf_counter() - began, 3),
        objective_terms={k: float(v) for k, v in terms.items()},
        weighted_terms={k: float(v * term_weight(instance, k)) for k, v in terms.items()},
    )
    return build_plan(instance, solution, info, datetime.now(UTC))
