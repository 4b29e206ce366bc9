"""The objective's named terms computed directly from a solution (any engine).

These mirror solver/cpsat/objective.py term by term, so a greedy plan and a
CP-SAT plan are scored on the same scale, and tests can check that CP-SAT's
objective equals this evaluation of its own answer.
"""

from __future__ import annotations

from solver.instance import Instance, Op, minutes_late, plannable_ops
from solver.solution import Solution


def evaluate_terms(instance: Instance, solution: Solution) -> dict[str, int]:
    grain = instance.axis.grain_minutes
    ops = plannable_ops(instance)
    loads = _technician_loads(instance, solution, ops)
    completions = _completions(instance, solution)
    moved = moved_ops(instance, solution)
    cap = instance.workshop.settings.max_moved_jobs
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
        "plan_change": len(moved),
        "moved_jobs_over_cap": max(0, len({instance.ops[i].job for i in moved}) - cap)
        if cap is not None
        else 0,
    }


CAP_OVERRUN_WEIGHT = 100_000
"""A job moved beyond the cap costs more than any ordinary trade-off: the cap binds unless the
changes leave no other way."""


def term_weight(instance: Instance, name: str) -> int:
    if name == "moved_jobs_over_cap":
        return CAP_OVERRUN_WEIGHT
    return int(getattr(instance.workshop.settings.weights, name))


def weighted_total(instance: Instance, terms: dict[str, int]) -> int:
    return sum(term_weight(instance, name) * value for name, value in terms.items())


def moved_ops(instance: Instance, solution: Solution) -> list[int]:
    """Published operations the solution gives another technician, place or start (or leaves out)."""
    moved = []
    for op in plannable_ops(instance):
        reference = op.reference
        if reference is None:
            continue
        placement = solution.placements.get(op.index)
        kept = (
            placement is not None
            and reference.place is not None
            and (reference.tech is not None or not op.attended)
            and (placement.tech_option, placement.place, placement.start)
            == (reference.tech, reference.place, reference.start)
        )
        if not kept:
            moved.append(op.index)
    return moved


def _completions(instance: Instance, solution: Solution) -> dict[int, int]:
    """Per job with plannable work: the latest end of its planned operations (0 when none)."""
    result: dict[int, int] = {}
    excluded = _excluded(instance)
    for j, job in enumerate(instance.jobs):
        ops = [i for i in job.ops if i not in excluded]
        if ops:
            result[j] = max((solution.placements[i].end for i in ops if i in solution.placements), default=0)
    return result


def _excluded(instance: Instance) -> set[int]:
    return {op.index for op in instance.ops if op.key in instance.unplannable}


def _tardiness(instance: Instance, solution: Solution) -> int:
    completions = _completions(instance, solution)
    excluded = _excluded(instance)
    total = 0
    for j, job in enumerate(instance.jobs):
        if job.promise is None or not job.ops:
            continue
        late = minutes_late(instance, job, completions.get(j, 0))
        if any(i in excluded or i not in solution.placements for i in job.ops):
            late = max(late, minutes_late(instance, job, instance.horizon))
        total += job.weight * late
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
