"""The rules of the plan, one function per constraint family."""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from solver.axis import runs
from solver.cpsat.variables import OpVars, Variables
from solver.instance import Instance

Constraint = Callable[[cp_model.CpModel, Instance, Variables], None]


def one_technician_and_place(model: cp_model.CpModel, instance: Instance, variables: Variables) -> None:
    """A planned operation has exactly one technician (if attended) and one place."""
    for vars_ in variables.ops.values():
        if vars_.op.attended:
            model.add(sum(c.chosen for c in vars_.techs) == vars_.present)
        else:
            model.add(vars_.end == vars_.start + vars_.op.work_slots).only_enforce_if(vars_.present)
        model.add(sum(c.chosen for c in vars_.places) == vars_.present)
        if vars_.op.fixed_start is None:
            model.add(vars_.start == 0).only_enforce_if(~vars_.present)
        model.add(vars_.end == 0).only_enforce_if(~vars_.present)


def release(model: cp_model.CpModel, instance: Instance, variables: Variables) -> None:
    """Work starts after the car arrives (and never before now)."""
    for vars_ in variables.ops.values():
        if vars_.op.release > 0:
            model.add(vars_.start >= vars_.op.release).only_enforce_if(vars_.present)


def precedence(model: cp_model.CpModel, instance: Instance, variables: Variables) -> None:
    """Operations follow their order; a successor is planned only with its predecessors."""
    for vars_ in variables.ops.values():
        for pred_index in vars_.op.predecessors:
            pred = variables.ops.get(pred_index)
            if pred is None:
                continue
            model.add_implication(vars_.present, pred.present)
            model.add(vars_.start >= pred.end).only_enforce_if(vars_.present)


def technician_no_overlap(model: cp_model.CpModel, instance: Instance, variables: Variables) -> None:
    for choices in variables.by_technician().values():
        model.add_no_overlap([c.interval for c in choices])


def _blocked_intervals(model: cp_model.CpModel, mask: object, name: str) -> list[cp_model.IntervalVar]:
    return [
        model.new_fixed_size_interval_var(start, end - start, f"{name}:{start}")
        for start, end in runs(mask)  # type: ignore[arg-type]
    ]


def bay_no_overlap(model: cp_model.CpModel, instance: Instance, variables: Variables) -> None:
    """One car per bay, and none while the bay is out of service."""
    for bay, choices in variables.by_place("bay").items():
        blocked = _blocked_intervals(model, instance.bay_blocked[bay], f"bay-out[{bay}]")
        model.add_no_overlap([c.interval for c in choices] + blocked)


def lift_no_overlap(model: cp_model.CpModel, instance: Instance, variables: Variables) -> None:
    """Mobile lifts go to one bay at a time; no lift is used while out of service."""
    for lift, choices in variables.by_place("lift").items():
        blocked = _blocked_intervals(model, instance.lift_blocked[lift], f"lift-out[{lift}]")
        model.add_no_overlap([c.interval for c in choices] + blocked)


def car_no_overlap(model: cp_model.CpModel, instance: Instance, variables: Variables) -> None:
    """A car is in one place at a time."""
    for job in instance.jobs:
        intervals = [variables.ops[i].interval for i in job.ops if i in variables.ops]
        if len(intervals) > 1:
            model.add_no_overlap(intervals)


def equipment_capacity(model: cp_model.CpModel, instance: Instance, variables: Variables) -> None:
    """Identical units shared by all bays; units out of service reduce the pool."""
    for pool_index, pool in enumerate(instance.pools):
        users = [v for v in variables.ops.values() if pool_index in v.op.equipment]
        if not users:
            continue
        capacity = instance.pool_capacity[pool_index]
        outages = [
            (model.new_fixed_size_interval_var(s, e - s, f"pool-out[{pool.id}]:{s}"), pool.count - units)
            for units in sorted({int(c) for c in capacity if c < pool.count})
            for s, e in runs(capacity == units)
        ]
        intervals = [v.interval for v in users] + [interval for interval, _ in outages]
        demands = [1] * len(users) + [demand for _, demand in outages]
        model.add_cumulative(intervals, demands, pool.count)


def parts_supply(model: cp_model.CpModel, instance: Instance, variables: Variables) -> None:
    """Each demand waits for a supply tranche; stock is shared by cumulative quantity."""
    for part_index, supply in enumerate(instance.parts):
        demands = [
            (v, d.quantity) for v in variables.ops.values() for d in v.op.parts if d.part == part_index
        ]
        if sum(q for _, q in demands) <= supply.cumulative[0]:
            continue
        for vars_, _ in demands:
            _tranche_literals(model, vars_, part_index, supply.points)
        for k, available in enumerate(supply.cumulative):
            model.add(
                sum(q * lit for v, q in demands for lit in v.tranches[part_index][: k + 1]) <= available
            )


def _tranche_literals(model: cp_model.CpModel, vars_: OpVars, part_index: int, points: list[int]) -> None:
    literals = [model.new_bool_var(f"tranche[{vars_.op.index}:{part_index}:{k}]") for k in range(len(points))]
    model.add(sum(literals) == vars_.present)
    for literal, point in zip(literals, points, strict=True):
        if point > 0:
            model.add(vars_.start >= point).only_enforce_if(literal)
    vars_.tranches[part_index] = literals


CONSTRAINTS: tuple[Constraint, ...] = (
    one_technician_and_place,
    release,
    precedence,
    technician_no_overlap,
    bay_no_overlap,
    lift_no_overlap,
    car_no_overlap,
    equipment_capacity,
    parts_supply,
)
