"""The problem compiled to integers on the time axis, shared by the greedy and CP-SAT.

Everything the engines need is decided here once: which technicians, bays and
lifts can serve each operation, how long it takes each technician from each
start, when it is released, and how scarce parts are supplied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np

from scheduler.calendar import WorkshopCalendar, intersect, outage_windows, total_minutes
from scheduler.jobs import Job, Operation, OperationStatus
from scheduler.plan import OperationAssignment
from scheduler.problem import Problem
from scheduler.workshop import Bay, EquipmentPool, Lift, Technician, Workshop
from solver.axis import BoolArray, IntArray, TimeAxis
from solver.tech_time import NO_START, TechnicianTime


@dataclass(frozen=True)
class TechOption:
    tech: int
    slots: int
    overqualification: int


@dataclass(frozen=True)
class PlaceOption:
    bay: int | None
    lift: int | None


@dataclass(frozen=True)
class PartDemand:
    part: int
    quantity: int


@dataclass(frozen=True)
class Reference:
    """Where the published plan has this operation: what a re-plan keeps unless moving pays."""

    tech: int | None
    """Index into the op's tech options; None when unattended or the technician can no longer do it."""
    place: int | None
    """Index into the op's place options; None when that bay and lift can no longer take it."""
    start: int
    frozen: bool
    """Starts within the frozen window: it stays unless it cannot."""


@dataclass
class Op:
    index: int
    job: int
    operation: Operation
    work_slots: int
    """Unattended duration in slots (crew 0); for crew 1 see each TechOption."""
    techs: list[TechOption]
    places: list[PlaceOption]
    equipment: list[int]
    parts: list[PartDemand]
    predecessors: list[int]
    release: int
    fixed_start: int | None = None
    latest_end: int | None = None
    """Set only for work a neighbourhood round holds: it may end sooner (finish in overtime instead of
    pausing overnight) but never later, or it would run into work the round does not see."""
    started: bool = False
    reference: Reference | None = None

    @property
    def attended(self) -> bool:
        return self.operation.crew_size == 1

    @property
    def key(self) -> tuple[str, str]:
        return self.job_id, self.operation.id

    job_id: str = ""


@dataclass(frozen=True)
class JobInfo:
    job: Job
    ops: list[int]
    promise: int | None
    """Deadline point on the axis, or None without a promise."""
    weight: int
    promise_slack_minutes: int = 0
    """Wall-clock minutes from the end at the deadline point to the promise itself (a promise at
    19:00 after a 17:30 close leaves 90): lateness in minutes counts from the promise."""


@dataclass(frozen=True)
class PartSupply:
    part_number: str
    points: list[int]
    """Axis point from which tranche k is there (0: stock on hand)."""
    cumulative: list[int]
    """Units available up to and including tranche k."""


@dataclass
class Instance:
    problem: Problem
    calendar: WorkshopCalendar
    axis: TimeAxis
    technicians: list[Technician]
    tech_time: list[TechnicianTime]
    bays: list[Bay]
    lifts: list[Lift]
    pools: list[EquipmentPool]
    bay_blocked: list[BoolArray]
    lift_blocked: list[BoolArray]
    pool_capacity: list[IntArray]
    """Units in service per slot."""
    jobs: list[JobInfo] = field(default_factory=list)
    ops: list[Op] = field(default_factory=list)
    parts: list[PartSupply] = field(default_factory=list)
    unplannable: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def bays_with_lift(self) -> set[int]:
        installed = {lift.bay_id for lift in self.lifts if lift.bay_id is not None}
        return {i for i, bay in enumerate(self.bays) if bay.id in installed}

    @property
    def horizon(self) -> int:
        return self.axis.size

    @property
    def workshop(self) -> Workshop:
        return self.problem.workshop

    def end_of(self, op: Op, option: TechOption | None, start: int) -> int:
        """End point of `op` started at `start`, or NO_START."""
        if option is None:
            end = start + op.work_slots
            return end if end <= self.horizon else NO_START
        return int(self.tech_time[option.tech].timing(option.slots).end[start])


def minutes_late(instance: Instance, job: JobInfo, completion: int) -> int:
    """Wall-clock minutes by which a job ending at point `completion` misses its promise: a car
    promised for 17:00 and ready at 08:30 the next morning is 15.5 hours late, not half an hour."""
    if job.promise is None or completion <= job.promise:
        return 0
    return max(0, instance.axis.minutes_between(job.promise, completion) - job.promise_slack_minutes)


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def work_slots(minutes: float, grain: int) -> int:
    return max(1, ceil_div(round(minutes * 1000), grain * 1000))


def compile_problem(problem: Problem) -> Instance:
    workshop = problem.workshop
    calendar = WorkshopCalendar(workshop, problem.now)
    techs = list(workshop.technicians)
    # Shared breaks and closed hours drop out of the axis; opening hours count only without staff.
    windows = [w for t in techs for w in calendar.technician_work(t) + calendar.technician_overtime(t)]
    windows = windows or calendar.opening_windows()
    axis = TimeAxis.build(windows, calendar.horizon_start, workshop.settings.grain_minutes)
    day = axis.day_index()
    tech_time = [
        TechnicianTime(
            work=axis.mask(calendar.technician_work(t)),
            overtime=axis.mask(calendar.technician_overtime(t)),
            day=day,
        )
        for t in techs
    ]
    instance = Instance(
        problem=problem,
        calendar=calendar,
        axis=axis,
        technicians=techs,
        tech_time=tech_time,
        bays=list(workshop.bays),
        lifts=list(workshop.lifts),
        pools=list(workshop.equipment),
        bay_blocked=[axis.touching(outage_windows(b.out_of_service)) for b in workshop.bays],
        lift_blocked=[axis.touching(outage_windows(lift.out_of_service)) for lift in workshop.lifts],
        pool_capacity=[_pool_capacity(axis, p) for p in workshop.equipment],
    )
    _compile_parts(instance)
    for job in problem.plannable_jobs():
        _compile_job(instance, job)
    _drop_orphans(instance)
    _hold_for_paused_work(instance)
    return instance


def _pool_capacity(axis: TimeAxis, pool: EquipmentPool) -> IntArray:
    capacity = np.full(axis.size, pool.count, dtype=np.int64)
    for outage in pool.out_of_service:
        capacity[axis.touching([(outage.start, outage.end)])] -= outage.units
    return np.maximum(capacity, 0)


def _compile_parts(instance: Instance) -> None:
    parts = instance.problem.parts
    numbers = sorted({s.part_number for s in parts.stock} | {d.part_number for d in parts.deliveries})
    for number in numbers:
        on_hand = sum(s.on_hand for s in parts.stock if s.part_number == number)
        deliveries = sorted(
            (instance.axis.release_point(d.eta), d.quantity)
            for d in parts.deliveries
            if d.part_number == number
        )
        points, cumulative = [0], [on_hand]
        for point, quantity in deliveries:
            if point >= instance.horizon:
                continue
            points.append(point)
            cumulative.append(cumulative[-1] + quantity)
        instance.parts.append(PartSupply(number, points, cumulative))


def priority_weight(workshop: Workshop, job: Job) -> int:
    weights = workshop.settings.priority_weights
    candidates: list[int] = [int(getattr(weights, job.priority.value))]
    if job.customer_waiting:
        candidates.append(weights.waiting_customer)
    if job.comeback:
        candidates.append(weights.comeback)
    return max(candidates)


def _compile_job(instance: Instance, job: Job) -> None:
    axis = instance.axis
    release = axis.release_point(max(job.expected_arrival or instance.problem.now, instance.problem.now))
    plannable = [op for op in job.operations if op.plannable]
    local = {op.id: len(instance.ops) + i for i, op in enumerate(plannable)}
    job_index = len(instance.jobs)
    for op in plannable:
        compiled = _compile_operation(instance, job, job_index, op, release)
        compiled.predecessors = [local[p] for p in op.predecessors if p in local]
        instance.ops.append(compiled)
    promise = axis.deadline_point(job.promised_at) if job.promised_at else None
    slack = 0
    if job.promised_at is not None and promise is not None:
        slack = int((job.promised_at - axis.end_time(promise)).total_seconds()) // 60
    weight = priority_weight(instance.workshop, job)
    instance.jobs.append(JobInfo(job, list(local.values()), promise, weight, slack))


def _compile_operation(instance: Instance, job: Job, job_index: int, op: Operation, release: int) -> Op:
    grain = instance.workshop.settings.grain_minutes
    compiled = Op(
        index=len(instance.ops),
        job=job_index,
        job_id=job.id,
        operation=op,
        work_slots=work_slots(op.standard_minutes, grain),
        techs=_tech_options(instance, op),
        places=_place_options(instance, job, op),
        equipment=[i for i, p in enumerate(instance.pools) if p.id in op.equipment],
        parts=_part_demands(instance, op),
        predecessors=[],
        release=release,
    )
    if op.status == OperationStatus.STARTED and op.progress is not None:
        _fix_started(instance, compiled)
    elif op.pin is not None:
        _apply_pin(instance, compiled)
    else:
        compiled.reference = published_reference(instance, compiled)
    reason = _why_unservable(instance, compiled)
    if reason:
        instance.unplannable[compiled.key] = reason
    return compiled


def _tech_options(instance: Instance, op: Operation) -> list[TechOption]:
    if op.crew_size == 0 or op.skill is None:
        return []
    grain = instance.workshop.settings.grain_minutes
    options = []
    for index, tech in enumerate(instance.technicians):
        grade = tech.grade(op.skill)
        if grade is None or grade.level < op.min_level:
            continue
        if op.certification and op.certification not in tech.certifications:
            continue
        measured = op.technician_minutes
        if measured is not None and tech.id not in measured:
            continue
        minutes = (
            measured[tech.id] if measured is not None else op.standard_minutes / tech.efficiency_for(op.skill)
        )
        slots = work_slots(minutes, grain)
        if not np.any(instance.tech_time[index].timing(slots).end != NO_START):
            continue
        options.append(TechOption(index, slots, grade.level - op.min_level))
    return options


def _place_options(instance: Instance, job: Job, op: Operation) -> list[PlaceOption]:
    if op.bay_capability is None:
        return [PlaceOption(None, None)]
    vehicle = job.vehicle
    options: list[PlaceOption] = []
    for b, bay in enumerate(instance.bays):
        if op.bay_capability not in bay.capabilities:
            continue
        if bay.max_vehicle_weight_kg is not None and vehicle.weight_kg > bay.max_vehicle_weight_kg:
            continue
        if bay.max_vehicle_length_mm is not None and (vehicle.length_mm or 0) > bay.max_vehicle_length_mm:
            continue
        installed = next((i for i, lift in enumerate(instance.lifts) if lift.bay_id == bay.id), None)
        if op.lift_type is None:
            options.append(PlaceOption(b, None))
        elif installed is not None:
            if _lift_fits(instance.lifts[installed], op, vehicle.weight_kg):
                options.append(PlaceOption(b, installed))
        else:
            options += [
                PlaceOption(b, i)
                for i, lift in enumerate(instance.lifts)
                if lift.mobile and _lift_fits(lift, op, vehicle.weight_kg)
            ]
    return options


def _lift_fits(lift: Lift, op: Operation, weight_kg: int) -> bool:
    return lift.type == op.lift_type and lift.load_limit_kg >= weight_kg


def _part_demands(instance: Instance, op: Operation) -> list[PartDemand]:
    if op.status == OperationStatus.STARTED:
        return []  # started work has taken its parts from the shelf already
    numbers = [p.part_number for p in instance.parts]
    totals: dict[int, int] = {}
    for line in op.parts:
        if line.part_number in numbers:
            index = numbers.index(line.part_number)
            totals[index] = totals.get(index, 0) + line.quantity
    return [PartDemand(part, quantity) for part, quantity in sorted(totals.items())]


def _fix_started(instance: Instance, op: Op) -> None:
    """Started work continues where it is, on its technician, bay and lift."""
    progress = op.operation.progress
    assert progress is not None
    op.started = True
    op.release = 0
    if progress.technician_id is not None:
        op.techs = [
            _remaining_option(instance, op, option)
            for option in op.techs
            if instance.technicians[option.tech].id == progress.technician_id
        ] or [_forced_option(instance, op, progress.technician_id)]
    elif not op.attended:
        op.work_slots = _remaining_slots(instance, op, None)
    if progress.bay_id is not None:
        op.places = _places_matching(instance, op, progress.bay_id, progress.lift_id)
    op.fixed_start = _first_start(instance, op)


def _hold_for_paused_work(instance: Instance) -> None:
    """Started work that cannot go on right now (its technician is on a break, or in overtime it
    cannot finish in) holds its technician, bay, lift and equipment from now until it resumes:
    the plan shows it from its real start, and nothing else may slip in meanwhile."""
    for op in instance.ops:
        if not op.started or not op.fixed_start or op.key in instance.unplannable:
            continue
        until = op.fixed_start
        if len(op.techs) == 1:
            tech = op.techs[0].tech
            instance.tech_time[tech] = instance.tech_time[tech].without(0, until)
        if len(op.places) == 1:
            place = op.places[0]
            if place.bay is not None:
                instance.bay_blocked[place.bay][:until] = True
            if place.lift is not None:
                instance.lift_blocked[place.lift][:until] = True
        for pool in op.equipment:
            instance.pool_capacity[pool][:until] = np.maximum(instance.pool_capacity[pool][:until] - 1, 0)


def _forced_option(instance: Instance, op: Op, technician_id: str) -> TechOption:
    """Work already under way stays with its technician even if the record says he lacks the skill."""
    index = next((i for i, t in enumerate(instance.technicians) if t.id == technician_id), None)
    if index is None:
        return TechOption(-1, 1, 0)
    return _remaining_option(instance, op, TechOption(index, op.work_slots, 0))


def _remaining_option(instance: Instance, op: Op, option: TechOption) -> TechOption:
    return TechOption(option.tech, _remaining_slots(instance, op, option), option.overqualification)


def _remaining_slots(instance: Instance, op: Op, option: TechOption | None) -> int:
    progress = op.operation.progress
    assert progress is not None
    grain = instance.workshop.settings.grain_minutes
    if progress.remaining_minutes is not None:
        return work_slots(progress.remaining_minutes, grain)
    total_slots = option.slots if option else op.work_slots
    if option is None:
        return total_slots
    tech = instance.technicians[option.tech]
    worked = intersect(
        instance.calendar.shift_windows(tech) + instance.calendar.overtime_windows(tech),
        [(progress.started_at, instance.problem.now)],
    )
    return max(1, total_slots - total_minutes(worked) // grain)


def _places_matching(instance: Instance, op: Op, bay_id: str, lift_id: str | None) -> list[PlaceOption]:
    bay = next((i for i, b in enumerate(instance.bays) if b.id == bay_id), None)
    lift = next((i for i, x in enumerate(instance.lifts) if x.id == lift_id), None)
    if bay is None:
        return op.places
    matching = [p for p in op.places if p.bay == bay and (lift_id is None or p.lift == lift)]
    return matching or [PlaceOption(bay, lift)]


def _apply_pin(instance: Instance, op: Op) -> None:
    pin = op.operation.pin
    assert pin is not None
    if pin.technician_id is not None:
        op.techs = [o for o in op.techs if instance.technicians[o.tech].id == pin.technician_id]
    if pin.bay_id is not None:
        op.places = [p for p in op.places if p.bay is not None and instance.bays[p.bay].id == pin.bay_id]
    if pin.start is not None:
        op.fixed_start = instance.axis.release_point(max(pin.start, instance.problem.now))


def published_reference(instance: Instance, op: Op) -> Reference | None:
    """The op's place in the published plan, on this problem's axis and options."""
    published = instance.problem.published_plan
    assignment = published.assignment(op.job_id, op.operation.id) if published else None
    if assignment is None:
        return None
    tech = None
    if op.attended:
        tech = next(
            (
                i
                for i, o in enumerate(op.techs)
                if instance.technicians[o.tech].id == assignment.technician_id
            ),
            None,
        )
    place = next(
        (i for i, p in enumerate(op.places) if place_ids(instance, p) == _published_place(assignment)), None
    )
    now = instance.problem.now
    start = instance.axis.release_point(max(assignment.start, now))
    window = timedelta(minutes=instance.workshop.settings.frozen_window_minutes)
    keepable = place is not None and (tech is not None or not op.attended)
    return Reference(tech, place, start, frozen=keepable and assignment.start < now + window)


def place_ids(instance: Instance, place: PlaceOption) -> tuple[str | None, str | None]:
    bay = instance.bays[place.bay].id if place.bay is not None else None
    lift = instance.lifts[place.lift].id if place.lift is not None else None
    return bay, lift


def _published_place(assignment: OperationAssignment) -> tuple[str | None, str | None]:
    return assignment.bay_id, assignment.lift_id


def _first_start(instance: Instance, op: Op) -> int | None:
    option = op.techs[0] if op.techs else None
    if option is not None and option.tech < 0:
        return None
    for start in range(instance.horizon):
        if instance.end_of(op, option, start) != NO_START:
            return start
    return None


def _why_unservable(instance: Instance, op: Op) -> str:
    operation = op.operation
    if op.attended and not op.techs:
        level = f"{operation.skill} level ≥ {operation.min_level}"
        cert = f" and certification {operation.certification}" if operation.certification else ""
        return f"no technician with skill {level}{cert} is on shift within the horizon"
    if op.attended and op.techs[0].tech < 0:
        return "the technician recorded on this started work is unknown"
    if not op.places:
        lift = f" with a {operation.lift_type.value} lift" if operation.lift_type else ""
        return f"no bay with capability {operation.bay_capability}{lift} takes this vehicle"
    if op.release >= instance.horizon:
        return "the car arrives after the planning horizon"
    for pool in op.equipment:
        if not np.any(instance.pool_capacity[pool] > 0):
            return f"equipment pool {instance.pools[pool].id} has no unit in service within the horizon"
    if (op.started or op.fixed_start is not None) and op.fixed_start is None:
        return "started work cannot continue within the horizon"
    if op.fixed_start is not None and op.fixed_start >= instance.horizon:
        return "pinned start lies outside the planning horizon"
    return ""


def _drop_orphans(instance: Instance) -> None:
    """Successors of work that cannot be planned cannot be planned either."""
    changed = True
    while changed:
        changed = False
        for op in instance.ops:
            if op.key in instance.unplannable:
                continue
            blocked = [p for p in op.predecessors if instance.ops[p].key in instance.unplannable]
            if blocked:
                pred = instance.ops[blocked[0]].operation.id
                instance.unplannable[op.key] = f"waits for operation {pred}, which cannot be planned"
                changed = True


def plannable_ops(instance: Instance) -> list[Op]:
    return [op for op in instance.ops if op.key not in instance.unplannable]
