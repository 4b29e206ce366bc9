"""The objective's named terms computed directly from a solution (any engine).

These mirror solver/cpsat/objective.py term by term, so a greedy plan and a
CP-SAT plan are scored on the same scale, and tests can check that CP-SAT's
objective equals this evaluation of its own answer.
"""

from __future__ import annotations

from solver.instance import Instance, Op, plannable_ops
from solver.solution import Solution


def evaluate_terms(instance: Instance, solution: Solution) -> dict[str, int]:
    grain = instance.axis.grain_minutes
    ops = plannable_ops(instance)
    loads = _technician_loads(instance, solution, ops)
    completions = _completions(instance, solution)
    return {
        "tardiness": _tardiness(instance, solution),
        "unfinished": sum(op.operation.standard_minutes for op in ops if op.index not in solution.placements),
        "completion": grain * sum(completions.values()),
        "makespan": grain * max(completions.values(), default=0),
        "overtime": grain * sum(_overtime_slots(instance, solution, op) for op in ops),
        "overqualification": grain * sum(_overqualification(solution, op) for op in ops),
        "workload_balance": grain * _balance(instance, loads),
        "bay_change": _changes(instance, solution, "bay"),
        "technician_change": _changes(instance, solution, "tech"),
    }


def weighted_total(instance: Instance, terms: dict[str, int]) -> int:
    weights = instance.workshop.settings.weights
    return sum(int(getattr(weights, name)) * value for name, value in terms.items())


def _completions(instance: Instance, solution: Solution) -> dict[int, int]:
    """Per job with plannable work: the latest end of its planned operations (0 when none)."""
    result: dict[int, int] = {}
    for j, job in enumerate(instance.jobs):
        ops = [i for i in job.ops if i not in _excluded(instance)]
        if ops:
            result[j] = max((solution.placements[i].end for i in ops if i in solution.placements), default=0)
    return result


def _excluded(instance: Instance) -> set[int]:
    return {op.index for op in instance.ops if op.key in instance.unplannable}


def _tardiness(instance: Instance, solution: Solution) -> int:
    grain = instance.axis.grain_minutes
    completions = _completions(instance, solution)
    excluded = _excluded(instance)
    total = 0
    for j, job in enumerate(instance.jobs):
        if job.promise is None or not job.ops:
            continue
        late = max(0, completions.get(j, 0) - job.promise)
        if any(i in excluded or i not in solution.placements for i in job.ops):
            late = max(late, instance.horizon - job.promise)
        total += job.weight * grain * late
    return total


def _overtime_slots(instance: Instance, solution: Solution, op: Op) -> int:
    placement = solution.placements.get(op.index)
    if placement is None or placement.tech_option is None:
        return 0
    option = op.techs[placement.tech_option]
    return instance.tech_time[option.tech].overtime_between(placement.start, placement.end)


def _overqualification(solution: Solution, op: Op) -> int:
    placement = solution.placements.get(op.index)
    if placement is None or placement.tech_option is None:
        return 0
    option = op.techs[placement.tech_option]
    return option.overqualification * option.slots


def _technician_loads(instance: Instance, solution: Solution, ops: list[Op]) -> list[int]:
    loads = [0] * len(instance.technicians)
    for op in ops:
        placement = solution.placements.get(op.index)
        if placement is not None and placement.tech_option is not None:
            option = op.techs[placement.tech_option]
            loads[option.tech] += option.slots
    return loads


def _balance(instance: Instance, loads: list[int]) -> int:
    teams: dict[str, list[int]] = {}
    for t, tech in enumerate(instance.technicians):
        if tech.team:
            teams.setdefault(tech.team, []).append(loads[t])
    teams = {name: members for name, members in teams.items() if len(members) > 1}
    spread = sum(max(members) - min(members) for members in teams.values())
    averages = [sum(members) // len(members) for members in teams.values()]
    if len(averages) > 1:
        spread += max(averages) - min(averages)
    return spread


def _changes(instance: Instance, solution: Solution, kind: str) -> int:
    total = 0
    excluded = _excluded(instance)
    for job in instance.jobs:
        served = [
            instance.ops[i] for i in job.ops if i not in excluded and _has_resource(instance.ops[i], kind)
        ]
        if len(served) < 2:
            continue
        used = {_resource(op, solution, kind) for op in served if op.index in solution.placements}
        used.discard(None)
        if used:
            total += len(used) - 1
    return total


def _has_resource(op: Op, kind: str) -> bool:
    if kind == "bay":
        return any(p.bay is not None for p in op.places)
    return bool(op.techs)


def _resource(op: Op, solution: Solution, kind: str) -> int | None:
    placement = solution.placements[op.index]
    if kind == "bay":
        return op.places[placement.place].bay
    return op.techs[placement.tech_option].tech if placement.tech_option is not None else None
