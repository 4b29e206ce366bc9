"""Pre-solve feasibility check: which plannable work can nothing in the workshop serve, and why.

Runs on a problem that passed `scheduler.validation.check_problem`. Each rule
is a small function that looks at one operation (or job) on its own and
answers in words a dispatcher understands. The rules only look at what a
single operation needs, not at competition between jobs: an operation they
pass may still end up unplanned, but one they flag can never be planned, so
the solver's answer for it is known before it starts.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from scheduler.calendar import Window, WorkshopCalendar, clip, covers, total_minutes
from scheduler.jobs import Job, Operation, PartLine
from scheduler.problem import Problem
from scheduler.workshop import Bay, EquipmentPool, Lift, LiftType, Technician, Workshop


@dataclass(frozen=True)
class FeasibilityIssue:
    """Work that nothing can serve within the horizon; operation_id None: the whole job."""

    job_id: str
    operation_id: str | None
    path: str
    reason: str

    def __str__(self) -> str:
        what = f"{self.job_id}/{self.operation_id}" if self.operation_id else self.job_id
        return f"{what}: {self.reason}"


Finding = tuple[str, str]
"""(path below the operation, e.g. '.skill'; reason)."""


def check_feasibility(problem: Problem) -> list[FeasibilityIssue]:
    """Every plannable operation of a plannable job that nothing can serve, with the reason."""
    context = _Context(problem, WorkshopCalendar(problem.workshop, problem.now))
    plannable = {job.id for job in problem.plannable_jobs()}
    issues: list[FeasibilityIssue] = []
    for index, job in enumerate(problem.jobs):
        if job.id in plannable:
            issues.extend(_job_issues(context, job, f"jobs[{index}]"))
    return issues


def _job_issues(context: _Context, job: Job, path: str) -> list[FeasibilityIssue]:
    late_arrival = _arrival_rule(context, job)
    if late_arrival is not None:
        # Nothing of the job fits; reasons about single operations would only add noise.
        suffix, reason = late_arrival
        return [FeasibilityIssue(job.id, None, f"{path}{suffix}", reason)]
    issues: list[FeasibilityIssue] = []
    for k, operation in enumerate(job.operations):
        if not operation.plannable:
            continue
        for rule in _OPERATION_RULES:
            for suffix, reason in rule(context, job, operation):
                issues.append(
                    FeasibilityIssue(job.id, operation.id, f"{path}.operations[{k}]{suffix}", reason)
                )
    return issues


@dataclass(frozen=True)
class _Context:
    problem: Problem
    calendar: WorkshopCalendar

    @property
    def workshop(self) -> Workshop:
        return self.problem.workshop

    @cached_property
    def horizon(self) -> Window:
        return self.calendar.horizon_start, self.calendar.horizon_end

    @cached_property
    def _on_shift(self) -> dict[str, list[Window]]:
        # Regular time and overtime both count: overtime is allowed, only at a cost.
        return {
            t.id: self.calendar.technician_work(t) + self.calendar.technician_overtime(t)
            for t in self.workshop.technicians
        }

    def start_of(self, job: Job) -> datetime:
        """The earliest moment the job's work can start."""
        arrival = job.expected_arrival
        start = self.horizon[0]
        return max(start, arrival) if arrival is not None else start

    def minutes_on_shift(self, technician: Technician, after: datetime) -> int:
        return total_minutes(clip(self._on_shift.get(technician.id, []), after, self.horizon[1]))

    def out_all_horizon(self, outages: Sequence[Window], after: datetime) -> bool:
        return after >= self.horizon[1] or covers(outages, after, self.horizon[1])


# --- wording -----------------------------------------------------------------------------------


def _kg(weight: int) -> str:
    return f"{weight:,} kg"


def _local(context: _Context, moment: datetime) -> str:
    return moment.astimezone(context.calendar.zone).strftime("%Y-%m-%d %H:%M")


def _needs(operation: Operation) -> str:
    """'skill ev_high_voltage level ≥ 2 and certification hv'."""
    words = f"skill {operation.skill}"
    if operation.min_level > 1:
        words += f" level ≥ {operation.min_level}"
    if operation.certification:
        words += f" and certification {operation.certification}"
    return words


def _vehicle(job: Job) -> str:
    length = f" and {job.vehicle.length_mm:,} mm long" if job.vehicle.length_mm else ""
    return f"a vehicle of {_kg(job.vehicle.weight_kg)}{length}"


def _after_arrival(context: _Context, job: Job) -> str:
    start = context.start_of(job)
    if start > context.horizon[0]:
        return f" after the car arrives ({_local(context, start)})"
    return ""


# --- job rule ----------------------------------------------------------------------------------


def _arrival_rule(context: _Context, job: Job) -> Finding | None:
    arrival = job.expected_arrival
    if arrival is None or arrival < context.horizon[1]:
        return None
    field = ".arrived_at" if job.arrived_at else ".appointment_at"
    return field, (
        f"arrives after the planning horizon ({_local(context, arrival)}; "
        f"the horizon ends {_local(context, context.horizon[1])})"
    )


# --- technician rules --------------------------------------------------------------------------


def _shortfall(technician: Technician, operation: Operation) -> str | None:
    """What the technician lacks for the operation, or None when qualified."""
    if operation.skill is None:
        return None
    grade = technician.grade(operation.skill)
    if grade is None:
        return f"lacks skill {operation.skill}"
    if grade.level < operation.min_level:
        return f"has skill {operation.skill} only at level {grade.level}, needs {operation.min_level}"
    if operation.certification and operation.certification not in technician.certifications:
        return f"lacks certification {operation.certification}"
    if operation.technician_minutes is not None and technician.id not in operation.technician_minutes:
        return "is not among the technicians timed for it (technician_minutes)"
    return None


def _work_minutes(technician: Technician, operation: Operation) -> int:
    measured = operation.technician_minutes
    if measured is not None and technician.id in measured:
        return measured[technician.id]
    efficiency = technician.efficiency_for(operation.skill) if operation.skill else technician.efficiency
    return math.ceil(operation.standard_minutes / efficiency)


def _fixed_technician(context: _Context, operation: Operation) -> Technician | None:
    """The technician started work stays with, else the pinned one."""
    if operation.progress is not None and operation.progress.technician_id:
        return context.workshop.technician(operation.progress.technician_id)
    if operation.pin is not None and operation.pin.technician_id:
        return context.workshop.technician(operation.pin.technician_id)
    return None


def _needs_technician(operation: Operation) -> bool:
    return operation.crew_size == 1 and operation.skill is not None


def _technician_rule(context: _Context, job: Job, operation: Operation) -> Iterator[Finding]:
    """Someone qualified must be on shift after the car arrives, long enough to do the work."""
    if not _needs_technician(operation) or _fixed_technician(context, operation) is not None:
        return
    qualified = [t for t in context.workshop.technicians if _shortfall(t, operation) is None]
    if not qualified:
        yield ".skill", f"no technician with {_needs(operation)} works in this workshop"
        return
    start = context.start_of(job)
    on_shift = [t for t in qualified if context.minutes_on_shift(t, start) > 0]
    if not on_shift:
        names = ", ".join(t.id for t in qualified)
        reason = (
            f"no technician with {_needs(operation)} is on shift within the horizon"
            f"{_after_arrival(context, job)} (qualified: {names})"
        )
        yield ".skill", reason
        return
    if operation.progress is None and not any(_has_time(context, t, operation, start) for t in on_shift):
        yield ".standard_minutes", _too_long(context, on_shift, operation, start)


def _has_time(context: _Context, technician: Technician, operation: Operation, start: datetime) -> bool:
    return context.minutes_on_shift(technician, start) >= _work_minutes(technician, operation)


def _too_long(context: _Context, technicians: list[Technician], operation: Operation, start: datetime) -> str:
    best = max(technicians, key=lambda t: context.minutes_on_shift(t, start) - _work_minutes(t, operation))
    return (
        f"takes longer than the working time left in the horizon: {best.id} would need "
        f"{_work_minutes(best, operation):,} minutes but is on shift for only "
        f"{context.minutes_on_shift(best, start):,}"
    )


def _pinned_technician_rule(context: _Context, job: Job, operation: Operation) -> Iterator[Finding]:
    if operation.progress is not None or operation.pin is None or not _needs_technician(operation):
        return
    technician = _fixed_technician(context, operation)
    if technician is None:
        return
    where = ".pin.technician_id"
    shortfall = _shortfall(technician, operation)
    start = context.start_of(job)
    if shortfall is not None:
        yield where, f"pinned technician {technician.id} {shortfall}"
    elif context.minutes_on_shift(technician, start) == 0:
        off = f"is not on shift within the horizon{_after_arrival(context, job)}"
        yield where, f"pinned technician {technician.id} {off}"
    elif not _has_time(context, technician, operation, start):
        yield where, f"pinned technician {technician.id} {_too_long(context, [technician], operation, start)}"


def _started_technician_rule(context: _Context, job: Job, operation: Operation) -> Iterator[Finding]:
    """Started work stays with its technician, who must be on shift to finish it."""
    progress = operation.progress
    if progress is None or not progress.technician_id or progress.remaining_minutes == 0:
        return
    technician = context.workshop.technician(progress.technician_id)
    if technician is not None and context.minutes_on_shift(technician, context.horizon[0]) == 0:
        reason = f"technician {technician.id}, who started the work, is not on shift within the horizon"
        yield ".progress.technician_id", reason


# --- bay and lift rules --------------------------------------------------------------------------


def _bay_takes(bay: Bay, job: Job) -> bool:
    vehicle = job.vehicle
    if bay.max_vehicle_weight_kg is not None and vehicle.weight_kg > bay.max_vehicle_weight_kg:
        return False
    return not (
        bay.max_vehicle_length_mm is not None
        and vehicle.length_mm is not None
        and vehicle.length_mm > bay.max_vehicle_length_mm
    )


def _capable(bay: Bay, operation: Operation) -> bool:
    return operation.bay_capability is None or operation.bay_capability in bay.capabilities


def _bay_open(context: _Context, bay: Bay, job: Job) -> bool:
    return not context.out_all_horizon(context.calendar.bay_outages(bay.id), context.start_of(job))


def _pinned_bay(context: _Context, operation: Operation) -> Bay | None:
    if operation.pin is None or not operation.pin.bay_id:
        return None
    return context.workshop.bay(operation.pin.bay_id)


def _usable_bays(context: _Context, job: Job, operation: Operation) -> list[Bay]:
    """Bays (the pinned one, when pinned) that can take this operation on this car in the horizon."""
    pinned = _pinned_bay(context, operation)
    bays = [pinned] if pinned is not None else context.workshop.bays
    return [b for b in bays if _capable(b, operation) and _bay_takes(b, job) and _bay_open(context, b, job)]


def _needs_bay(operation: Operation) -> bool:
    # Started work keeps the bay it is in, so only work still to start needs one found.
    return operation.progress is None and (
        operation.bay_capability is not None or operation.lift_type is not None
    )


def _bay_rule(context: _Context, job: Job, operation: Operation) -> Iterator[Finding]:
    if not _needs_bay(operation) or _pinned_bay(context, operation) is not None:
        return
    if _usable_bays(context, job, operation):
        return
    capability = operation.bay_capability
    capable = [b for b in context.workshop.bays if _capable(b, operation)]
    kind = f"bay with capability {capability}" if capability else "bay"
    if not capable:
        yield ".bay_capability", f"no {kind} exists in this workshop"
    elif not any(_bay_takes(b, job) for b in capable):
        yield ".bay_capability", f"no {kind} takes {_vehicle(job)}"
    else:
        reason = f"every {kind} that takes {_vehicle(job)} is out of service for the rest of the horizon"
        yield ".bay_capability", reason


def _pinned_bay_rule(context: _Context, job: Job, operation: Operation) -> Iterator[Finding]:
    bay = _pinned_bay(context, operation)
    if bay is None or not _needs_bay(operation):
        return
    where = ".pin.bay_id"
    if not _capable(bay, operation):
        yield where, f"pinned bay {bay.id} lacks capability {operation.bay_capability}"
    elif not _bay_takes(bay, job):
        yield where, f"pinned bay {bay.id} does not take {_vehicle(job)}"
    elif not _bay_open(context, bay, job):
        yield where, f"pinned bay {bay.id} is out of service for the rest of the horizon"


def _lift_serves(context: _Context, lift: Lift, job: Job, lift_type: LiftType) -> bool:
    return (
        lift.type == lift_type
        and lift.load_limit_kg >= job.vehicle.weight_kg
        and not context.out_all_horizon(context.calendar.lift_outages(lift.id), context.start_of(job))
    )


def _lift_available(context: _Context, job: Job, operation: Operation, lift_type: LiftType) -> bool:
    """An installed lift in a usable bay, or a mobile lift and a usable bay without an installed lift."""
    workshop = context.workshop
    bays = _usable_bays(context, job, operation)
    installed = [workshop.installed_lift(b.id) for b in bays]
    if any(lift is not None and _lift_serves(context, lift, job, lift_type) for lift in installed):
        return True
    mobile = [lift for lift in workshop.lifts if lift.mobile and _lift_serves(context, lift, job, lift_type)]
    return bool(mobile) and any(lift is None for lift in installed)


def _lift_rule(context: _Context, job: Job, operation: Operation) -> Iterator[Finding]:
    lift_type = operation.lift_type
    if lift_type is None or not _needs_bay(operation):
        return
    if not _usable_bays(context, job, operation):
        return  # the bay rules already say why
    if _lift_available(context, job, operation, lift_type):
        return
    lift = f"{lift_type.value} lift for {_kg(job.vehicle.weight_kg)}"
    pinned = _pinned_bay(context, operation)
    lead = f"pinned bay {pinned.id} has no {lift}" if pinned is not None else f"no bay with a {lift}"
    yield ".lift_type", f"{lead} ({_lift_detail(context, job, lift_type)})"


def _lift_detail(context: _Context, job: Job, lift_type: LiftType) -> str:
    of_type = [lift for lift in context.workshop.lifts if lift.type == lift_type]
    if not of_type:
        return f"the workshop has no {lift_type.value} lift"
    strongest = max(lift.load_limit_kg for lift in of_type)
    if strongest < job.vehicle.weight_kg:
        return f"the strongest {lift_type.value} lift takes {_kg(strongest)}"
    if not any(_lift_serves(context, lift, job, lift_type) for lift in of_type):
        return f"every {lift_type.value} lift strong enough is out of service for the rest of the horizon"
    return f"the {lift_type.value} lifts strong enough are not in, or cannot be brought to, a bay that fits"


# --- equipment and parts -------------------------------------------------------------------------


def _units_out(pool: EquipmentPool, start: datetime, end: datetime) -> int:
    return sum(o.units for o in pool.out_of_service if o.start <= start and end <= o.end)


def _pool_in_service(context: _Context, pool: EquipmentPool, after: datetime) -> bool:
    """Is at least one unit in service at some moment between `after` and the horizon's end?"""
    end = context.horizon[1]
    if after >= end:
        return False
    cuts = {after, end} | {t for o in pool.out_of_service for t in (o.start, o.end) if after < t < end}
    moments = sorted(cuts)
    return any(_units_out(pool, a, b) < pool.count for a, b in itertools.pairwise(moments))


def _equipment_rule(context: _Context, job: Job, operation: Operation) -> Iterator[Finding]:
    if operation.progress is not None:
        return  # started work already holds its equipment
    for n, pool_id in enumerate(operation.equipment):
        pool = context.workshop.equipment_pool(pool_id)
        if pool is not None and not _pool_in_service(context, pool, context.start_of(job)):
            yield f".equipment[{n}]", f"equipment pool {pool_id!r} has no unit in service within the horizon"


def _part_supply(context: _Context, part_number: str) -> int:
    parts = context.problem.parts
    on_hand = sum(s.on_hand for s in parts.stock if s.part_number == part_number)
    inbound = sum(
        d.quantity for d in parts.deliveries if d.part_number == part_number and d.eta < context.horizon[1]
    )
    return on_hand + inbound


def _short_part(context: _Context, line: PartLine) -> str | None:
    if not context.problem.parts.tracked(line.part_number):
        return None  # untracked parts are always available
    supply = _part_supply(context, line.part_number)
    if supply >= line.quantity:
        return None
    return (
        f"part {line.part_number}: needs {line.quantity}, only {supply} in stock or delivered "
        f"within the horizon"
    )


def _parts_rule(context: _Context, job: Job, operation: Operation) -> Iterator[Finding]:
    if operation.progress is not None:
        return  # started work has its parts
    for n, line in enumerate(operation.parts):
        shortage = _short_part(context, line)
        if shortage is not None:
            yield f".parts[{n}]", shortage


OperationRule = Callable[[_Context, Job, Operation], Iterator[Finding]]

_OPERATION_RULES: tuple[OperationRule, ...] = (
    _technician_rule,
    _pinned_technician_rule,
    _started_technician_rule,
    _bay_rule,
    _pinned_bay_rule,
    _lift_rule,
    _equipment_rule,
    _parts_rule,
)
