"""A lower bound on a day's objective that needs no search of the whole day: every job alone.

Planned as if it had the workshop to itself (every technician, bay, lift and unit free for
it), a job costs no more than it does in any plan of the whole day, for every goal counted
per job or per operation: tardiness, completion, unfinished work, overtime, over-qualification,
bay and technician changes, plan changes. The goals that exist only between jobs (the spread of
workloads, the makespan, the cap on moved jobs) are never below zero. So the sum of the jobs'
own best costs, or of CP-SAT's proven bounds on them, bounds the whole day from below.

CP-SAT's own bound on the whole model is valid too but weak on busy days (it proves little
about completion times); the two are combined by taking the larger.
"""

from __future__ import annotations

import dataclasses
import time

from ortools.sat.python import cp_model

from scheduler.solve_settings import SolverSettings
from scheduler.workshop import ObjectiveWeights
from solver.cpsat.model import build_model
from solver.greedy import greedy_solution
from solver.instance import Instance, Op

BETWEEN_JOBS = ("makespan", "workload_balance")
"""Goals that cannot be split by job: the bound counts them as zero."""


@dataclasses.dataclass(frozen=True)
class JobAloneBound:
    value: float
    jobs: int
    proven_jobs: int
    """Jobs whose cost alone was proven optimal; for the others CP-SAT's bound on it is used."""
    seconds: float


def job_alone_bound(instance: Instance, seconds_per_job: float = 2.0) -> JobAloneBound:
    began = time.perf_counter()
    separable = _without_goals_between_jobs(instance)
    total, proven = 0.0, 0
    for j in range(len(instance.jobs)):
        value, optimal = _cost_alone(_one_job(separable, j), seconds_per_job)
        total += value
        proven += int(optimal)
    return JobAloneBound(total, len(instance.jobs), proven, time.perf_counter() - began)


def _without_goals_between_jobs(instance: Instance) -> Instance:
    workshop = instance.problem.workshop
    weights: ObjectiveWeights = workshop.settings.weights.model_copy(update=dict.fromkeys(BETWEEN_JOBS, 0))
    settings = workshop.settings.model_copy(update={"weights": weights, "max_moved_jobs": None})
    separable = workshop.model_copy(update={"settings": settings})
    problem = instance.problem.model_copy(update={"workshop": separable})
    return dataclasses.replace(instance, problem=problem)


def _one_job(instance: Instance, j: int) -> Instance:
    """The instance with job `j` only, its operations numbered from 0."""
    job = instance.jobs[j]
    renumber = {old: new for new, old in enumerate(job.ops)}
    ops: list[Op] = [
        dataclasses.replace(
            instance.ops[old],
            index=new,
            job=0,
            predecessors=[renumber[p] for p in instance.ops[old].predecessors],
        )
        for old, new in renumber.items()
    ]
    keys = {op.key for op in ops}
    unplannable = {key: why for key, why in instance.unplannable.items() if key in keys}
    alone = dataclasses.replace(job, ops=list(range(len(ops))))
    return dataclasses.replace(instance, jobs=[alone], ops=ops, unplannable=unplannable)


def _cost_alone(instance: Instance, seconds: float) -> tuple[float, bool]:
    """CP-SAT's proven lower bound on the job's cost alone, and whether it is its optimum."""
    hint = greedy_solution(instance)
    built = build_model(instance, hint, SolverSettings(max_candidates_per_operation=200))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    status = solver.solve(built.model)
    if status == cp_model.OPTIMAL:
        return solver.objective_value, True
    if status in (cp_model.FEASIBLE, cp_model.UNKNOWN):  # out of time: the bound proven so far holds
        return solver.best_objective_bound, False
    raise RuntimeError(f"a job alone is {solver.status_name(status)}: the model contradicts itself")
