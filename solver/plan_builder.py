"""From an engine's axis solution to the dispatcher's Plan in wall-clock time."""

from __future__ import annotations

import itertools
from datetime import datetime

from scheduler.plan import (
    EquipmentUse,
    OperationAssignment,
    Plan,
    SolveInfo,
    UnplannedOperation,
    WorkPiece,
)
from scheduler.reporting import build_job_forecasts, compute_kpis
from scheduler.reporting.changes import plan_changes
from solver.instance import Instance, Op, place_ids, work_slots
from solver.solution import Placement, Solution


def build_plan(instance: Instance, solution: Solution, solve: SolveInfo, created_at: datetime) -> Plan:
    units = assign_equipment_units(instance, solution)
    operations = [
        _assignment(instance, instance.ops[i], p, units.get(i, []))
        for i, p in sorted(solution.placements.items())
    ]
    unplanned = [
        UnplannedOperation(job_id=op.job_id, operation_id=op.operation.id, reason=reason)
        for op in instance.ops
        for reason in [_unplanned_reason(instance, solution, op)]
        if reason
    ]
    horizon_end = instance.axis.end_time(instance.horizon)
    forecasts = build_job_forecasts(instance.problem, operations, unplanned, horizon_end)
    kpis = compute_kpis(instance.problem, operations, unplanned, forecasts, horizon_end)
    return Plan(
        workshop_id=instance.workshop.id,
        created_at=created_at,
        horizon_start=instance.calendar.horizon_start,
        horizon_end=horizon_end,
        solve=solve,
        operations=operations,
        unplanned=unplanned,
        jobs=forecasts,
        kpis=kpis,
        changes=plan_changes(instance.problem, operations, forecasts),
    )


def _unplanned_reason(instance: Instance, solution: Solution, op: Op) -> str:
    if op.key in instance.unplannable:
        return instance.unplannable[op.key]
    if op.index in solution.placements:
        return ""
    return solution.unplanned.get(op.index, "no room for it inside the planning horizon")


def _assignment(
    instance: Instance, op: Op, placement: Placement, units: list[EquipmentUse]
) -> OperationAssignment:
    axis = instance.axis
    grain = axis.grain_minutes
    place = op.places[placement.place]
    operation = op.operation
    technician_id = None
    overtime_slots = 0
    if placement.tech_option is not None:
        option = op.techs[placement.tech_option]
        tech_time = instance.tech_time[option.tech]
        slots = tech_time.slots_between(placement.start, placement.end)
        overtime_slots = tech_time.overtime_between(placement.start, placement.end)
        technician = instance.technicians[option.tech]
        technician_id = technician.id
        # Started work reports its whole duration; its pieces show only what is left.
        measured = operation.technician_minutes
        if measured is not None and technician.id in measured:
            minutes: float = measured[technician.id]
        else:
            minutes = operation.standard_minutes / technician.efficiency_for(operation.skill or "")
        work_minutes = work_slots(minutes, grain) * grain
    else:
        slots = list(range(placement.start, placement.end))
        work_minutes = op.work_slots * grain
    start = axis.start_time(placement.start)
    if op.started and operation.progress is not None:
        start = operation.progress.started_at
    bay_id, lift_id = place_ids(instance, place)
    return OperationAssignment(
        job_id=op.job_id,
        operation_id=operation.id,
        technician_id=technician_id,
        bay_id=bay_id,
        lift_id=lift_id,
        equipment=units,
        start=start,
        end=axis.end_time(placement.end),
        pieces=[WorkPiece(start=a, end=b) for a, b in axis.pieces(slots)],
        work_minutes=work_minutes,
        overtime_minutes=overtime_slots * grain,
        pinned=operation.pin is not None,
        started=op.started,
    )


def assign_equipment_units(instance: Instance, solution: Solution) -> dict[int, list[EquipmentUse]]:
    """Number the identical units: each operation keeps one unit of each pool throughout, the lowest
    free at its start.

    Started work holds its unit from its real start, before the horizon: a job paused over lunch
    keeps its tester while its placement only starts when the work resumes.
    """
    result: dict[int, list[EquipmentUse]] = {}
    for pool_index, pool in enumerate(instance.pools):
        busy: list[tuple[int, int, int]] = []  # (start, end, unit)
        held = sorted(
            (
                (0 if instance.ops[p.op].started else p.start, p.end, p.op)
                for p in solution.placements.values()
                if pool_index in instance.ops[p.op].equipment
            ),
        )
        for start, end, op in held:
            taken = {u for s, e, u in busy if s < end and start < e}
            unit = next(u for u in itertools.count(1) if u not in taken)
            busy.append((start, end, unit))
            result.setdefault(op, []).append(EquipmentUse(pool_id=pool.id, unit=unit))
    return result


def solution_of(instance: Instance, plan: Plan) -> Solution:
    """A plan read back onto the instance's axis and options (the inverse of `build_plan`), so that
    a stored plan can be scored by the evaluation. Raises LookupError for an assignment the instance
    cannot express (unknown operation, technician or place)."""
    solution = Solution()
    ops = {op.key: op for op in instance.ops}
    for a in plan.operations:
        op = ops.get((a.job_id, a.operation_id))
        if op is None:
            raise LookupError(f"{a.job_id}/{a.operation_id} is not an operation of this problem")
        where = (a.bay_id, a.lift_id)
        place = next((i for i, p in enumerate(op.places) if place_ids(instance, p) == where), None)
        if place is None:
            raise LookupError(f"{a.job_id}/{a.operation_id}: bay and lift {where} cannot take it")
        start = instance.axis.release_point(a.start)
        if op.started and op.fixed_start is not None:
            start = op.fixed_start  # the plan shows started work from when it really started
        end = instance.axis.deadline_point(a.end)
        tech = _option_of(instance, op, a.technician_id)
        solution.placements[op.index] = Placement(op.index, tech, place, start, end)
    return solution


def _option_of(instance: Instance, op: Op, technician_id: str | None) -> int | None:
    if technician_id is None:
        return None
    options = [instance.technicians[o.tech].id for o in op.techs]
    if technician_id not in options:
        raise LookupError(f"{op.job_id}/{op.operation.id}: technician {technician_id} cannot do it")
    return options.index(technician_id)
