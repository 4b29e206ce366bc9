"""The discrete-event simulation of one dealership day (and whatever spills into the next).

A heapq of timed events on a simulated clock. The day's random facts (arrivals, durations,
supplemental work, parts slips, the sick technician, the lift failure) are drawn up front by
`facts.draw_day`, so the three policies see the same day. The simulator is the DMS: every fact goes
to the service over HTTP, stamped with the simulated now (`X-Bayplan-Now`, honoured because the
service runs with BAYPLAN_ALLOW_CLOCK_OVERRIDE=1).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from api.db.session import Database
from api.schemas.jobs import JobCreate, OperationIn
from api.schemas.workshops import PartsIn, WorkshopCreate
from api.store.problem import build_problem
from benchmarks.simulation.changes import VISIBLE_HORIZON, Key, Slot, changes_seen, slots
from benchmarks.simulation.facts import LIFT_OUTAGE, DayFacts, Decision, Finding, describe, draw_day
from benchmarks.simulation.service import Client
from fixtures.generator import generate_problem
from scheduler.calendar import WorkshopCalendar
from scheduler.feasibility import _shortfall
from scheduler.jobs import Job, Operation, OperationStatus
from scheduler.plan import Plan
from scheduler.plan_validator import validate_plan
from scheduler.problem import Problem

WORKSHOP = "sim"
WAIT = 30.0


class Policy(StrEnum):
    REPLAN = "bayplan-replan"
    """The service re-plans (CP-SAT) on every event and publishes; technicians follow the latest plan."""
    MORNING = "morning-plan"
    """The morning plan only; new work is appended greedily by the simulator."""
    GREEDY = "greedy-dispatch"
    """The service runs the greedy dispatcher on every event; technicians follow the latest plan."""


@dataclass
class SimOp:
    job_id: str
    op_id: str
    minutes: int
    skill: str | None
    parts: list[tuple[str, int]]
    predecessors: list[str]
    unattended: bool
    source: Operation
    scatter: float
    """Actual over expected duration (a drawn fact)."""
    status: str = "pending"  # pending, started, done
    technician: str | None = None
    bay: str | None = None
    lift: str | None = None

    @property
    def key(self) -> Key:
        return (self.job_id, self.op_id)


def sim_op(job_id: str, op: Operation, scatter: float) -> SimOp:
    return SimOp(
        job_id=job_id,
        op_id=op.id,
        minutes=op.standard_minutes,
        skill=op.skill,
        parts=[(p.part_number, p.quantity) for p in op.parts],
        predecessors=list(op.predecessors),
        unattended=op.crew_size == 0,
        source=op,
        scatter=scatter,
        status="done" if op.status == OperationStatus.DONE else "pending",
    )


@dataclass
class SimJob:
    job: Job
    ops: dict[str, SimOp]
    walk_in: bool = False
    arrived: bool = False
    state: str = "open"  # open, done, cancelled
    completed_at: datetime | None = None
    promise: datetime | None = None
    pending_proposal: bool = False
    supplemental_checked: bool = False


@dataclass
class Result:
    policy: Policy
    seed: int
    day: str = ""
    """The drawn day in one line (`facts.describe`)."""
    promises: int = 0
    kept: int = 0
    lateness: list[float] = field(default_factory=list)
    worked_minutes: float = 0.0
    capacity_minutes: float = 0.0
    overtime_minutes: float = 0.0
    changes_seen: Counter[tuple[str, date]] = field(default_factory=Counter)
    """Plan changes noticed, per (technician, local day); see `changes`."""
    technician_days: int = 0
    """Technicians × working days the simulation spanned."""
    plans_seen: int = 0
    plans_validated: int = 0
    violations: list[str] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    final_states: dict[str, str] = field(default_factory=dict)
    """Job id → status, as the service lists the jobs at the end."""
    sim_states: dict[str, str] = field(default_factory=dict)
    """Job id → open, done or cancelled, as the simulator saw the day end."""
    events_sent: int = 0
    facts_applied: set[str] = field(default_factory=set)
    """The drawn facts as the simulation applied them, policy-independent by design."""
    proposals: int = 0
    end: datetime | None = None

    @property
    def kept_share(self) -> float:
        return self.kept / self.promises if self.promises else 1.0

    @property
    def mean_lateness(self) -> float:
        return sum(self.lateness) / len(self.lateness) if self.lateness else 0.0

    @property
    def worst_lateness(self) -> float:
        return max(self.lateness, default=0.0)

    @property
    def utilisation(self) -> float:
        return self.worked_minutes / self.capacity_minutes if self.capacity_minutes else 0.0

    @property
    def plan_changes(self) -> int:
        return sum(self.changes_seen.values())

    @property
    def changes_per_technician_day(self) -> float:
        return self.plan_changes / self.technician_days if self.technician_days else 0.0

    @property
    def worst_technician_day(self) -> int:
        return max(self.changes_seen.values(), default=0)


def wire(model: type[Any], data: dict[str, Any]) -> dict[str, Any]:
    """The fields of a domain dump that the wire model takes."""
    return {k: v for k, v in data.items() if k in model.model_fields}


def job_body(job: Job) -> dict[str, Any]:
    data = job.model_dump(mode="json")
    data["operations"] = [wire(OperationIn, op) for op in data["operations"]]
    body = wire(JobCreate, data)
    JobCreate.model_validate(body)
    return body


def without_id(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "id"}


def operation_of(wire_op: dict[str, Any]) -> Operation:
    """A job card's operation as the service returns it, in the domain's terms."""
    return Operation.model_validate({k: v for k, v in wire_op.items() if k not in ("progress", "pin")})


class Simulation:
    def __init__(
        self,
        client: Client,
        policy: Policy,
        seed: int,
        technicians: int,
        jobs: int,
        *,
        database_url: str | None = None,
        morning_engine: str = "cp-sat",
        morning_seconds: float = 10.0,
    ) -> None:
        self.client = client
        self.policy = policy
        self.problem: Problem = generate_problem(technicians, None, jobs, 1, seed)
        self.facts: DayFacts = draw_day(self.problem, seed)
        self.workshop = self.problem.workshop
        self.zone = WorkshopCalendar(self.workshop, self.problem.now).zone
        self.now = self.problem.now
        self.start = self.problem.now
        self.database = Database(database_url) if database_url else None
        self.morning_engine = morning_engine
        self.morning_seconds = morning_seconds
        self.result = Result(policy=policy, seed=seed, day=describe(self.facts))
        self.queue: list[tuple[datetime, int, str, dict[str, Any]]] = []
        self.seq = 0
        self.event_seq = 0
        self.pending: list[dict[str, Any]] = []
        self.jobs: dict[str, SimJob] = {}
        self.busy: dict[str, SimOp | None] = {t.id: None for t in self.workshop.technicians}
        self.busy_since: dict[str, datetime] = {}
        self.absent_until: dict[str, datetime] = {}
        self.bay_use: dict[str, str] = {}
        self.lift_use: dict[str, str] = {}
        self.lift_down: set[str] = set()
        self.stock: dict[str, int] = {s.part_number: s.on_hand for s in self.problem.parts.stock}
        self.tracked = set(self.stock) | {d.part_number for d in self.problem.parts.deliveries}
        self.plan: Plan | None = None
        self.plan_version: int | None = None
        self.slots: dict[Key, Slot] = {}
        """(technician, start) per operation in the plan the technicians follow: the latest plan
        fetched (for the morning-plan policy, the morning plan)."""
        self.static: dict[str, list[Key]] = {t.id: [] for t in self.workshop.technicians}
        self.static_bay: dict[Key, tuple[str | None, str | None]] = {}
        calendar = WorkshopCalendar(self.workshop, self.start)
        self.shifts = {t.id: calendar.shift_windows(t) for t in self.workshop.technicians}
        self.result.capacity_minutes = self.first_day_shift_minutes()
        self.proposals: dict[str, str] = {}
        """Proposal id → job id."""

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def first_day_shift_minutes(self) -> float:
        first_day = self.local_day(self.start)
        return sum(
            (e - s).total_seconds() / 60
            for windows in self.shifts.values()
            for s, e in windows
            if self.local_day(s) == first_day
        )

    # --- the event queue -----------------------------------------------------------------------

    def at(self, moment: datetime, kind: str, **payload: Any) -> None:
        self.seq += 1
        heapq.heappush(self.queue, (max(moment, self.now), self.seq, kind, payload))

    def send(self, event_type: str, **fields: Any) -> None:
        self.event_seq += 1
        event = {
            "id": f"sim-{self.event_seq}",
            "type": event_type,
            "occurred_at": self.now.isoformat(),
            **fields,
        }
        self.pending.append(event)

    def flush(self) -> None:
        if not self.pending:
            return
        self.client.now = self.now
        self.client.call("POST", f"/v1/workshops/{WORKSHOP}/events", "/events", {"events": self.pending})
        self.result.events_sent += len(self.pending)
        self.pending = []
        if self.policy != Policy.MORNING:
            self.fetch_plan()

    def applied(self, fact: str) -> None:
        self.result.facts_applied.add(fact)

    # --- set-up --------------------------------------------------------------------------------

    def schedule_day(self) -> None:
        """The drawn facts on the event queue; the jobs as the simulator tracks them."""
        for job in self.problem.jobs:
            ops = {
                op.id: sim_op(job.id, op, self.facts.scatter[(job.id, op.id)])
                for op in job.operations
                if op.plannable or op.status == OperationStatus.DONE
            }
            sim = SimJob(job=job, ops=ops, promise=job.promised_at)
            arrival = self.facts.arrivals.get(job.id)
            if arrival is None:
                sim.arrived = True
            elif arrival.at is None:
                assert job.appointment_at is not None
                self.at(job.appointment_at + timedelta(minutes=45), "no_show", job=job.id)
            else:
                sim.walk_in = arrival.walk_in
                self.at(arrival.at, "arrive", job=job.id)
            self.jobs[job.id] = sim
        for delivery in self.facts.deliveries:
            if delivery.notice is not None:
                self.at(
                    delivery.notice,
                    "parts_eta",
                    part=delivery.part_number,
                    eta=delivery.arrives,
                    quantity=delivery.quantity,
                )
            self.at(delivery.arrives, "parts_arrive", part=delivery.part_number, quantity=delivery.quantity)
        self.at(self.facts.sick.at, "sick", technician=self.facts.sick.resource_id)
        if self.facts.lift_failure is not None:
            self.at(self.facts.lift_failure.at, "lift_fail", lift=self.facts.lift_failure.resource_id)
        for tech, windows in self.shifts.items():
            for start, _ in windows:
                self.at(start, "wake", technician=tech)

    def upload(self) -> None:
        body = {**wire(WorkshopCreate, self.workshop.model_dump(mode="json")), "id": WORKSHOP}
        self.client.now = self.now
        self.client.call("POST", "/v1/workshops", "/workshops", body)
        self.client.call(
            "PUT",
            f"/v1/workshops/{WORKSHOP}/parts",
            "/parts",
            wire(PartsIn, self.problem.parts.model_dump(mode="json")),
        )
        for sim in self.jobs.values():
            if sim.walk_in:
                continue
            self.client.call(
                "PUT",
                f"/v1/workshops/{WORKSHOP}/jobs/{sim.job.id}",
                "/jobs/{id}",
                without_id(job_body(sim.job)),
            )
        self.plan_version = None
        self.wait_idle()
        self.client.call(
            "POST",
            f"/v1/workshops/{WORKSHOP}/plans",
            "/plans",
            {"engine": self.morning_engine, "time_limit_seconds": self.morning_seconds},
        )
        self.fetch_plan()
        if self.policy == Policy.MORNING:
            self.static_from_plan()

    def wait_idle(self) -> None:
        self.client.call("GET", f"/v1/workshops/{WORKSHOP}/plan", "/plan", wait_seconds=WAIT)

    # --- plans ---------------------------------------------------------------------------------

    def fetch_plan(self) -> None:
        self.client.now = self.now
        body = self.client.call("GET", f"/v1/workshops/{WORKSHOP}/plan", "/plan", wait_seconds=WAIT)
        if body["version"] == self.plan_version:
            return
        plan = Plan.model_validate(body["plan"])
        if self.database is not None:
            self.validate(plan)
        self.count_changes(plan)
        self.plan, self.plan_version = plan, body["version"]
        self.result.plans_seen += 1

    def validate(self, plan: Plan) -> None:
        assert self.database is not None
        with self.database.session() as session:
            problem = build_problem(session, WORKSHOP, self.now)
        problem = problem.model_copy(update={"published_plan": self.plan})
        violations = validate_plan(problem, plan)
        self.result.plans_validated += 1
        self.result.violations += [f"{self.now:%H:%M} {v}" for v in violations]

    def count_changes(self, plan: Plan) -> None:
        new = slots(plan)
        if self.plan is not None:
            for tech in changes_seen(self.slots, new, self.now, self.not_started, self.present()):
                self.notice(tech)
        self.slots = new

    def notice(self, tech: str) -> None:
        self.result.changes_seen[(tech, self.local_day(self.now))] += 1

    def not_started(self, key: Key) -> bool:
        op = self.op(*key)
        return op is not None and op.status == "pending"

    def present(self) -> set[str]:
        return {t for t in self.busy if t not in self.absent_until or self.now >= self.absent_until[t]}

    def op(self, job_id: str, op_id: str) -> SimOp | None:
        sim = self.jobs.get(job_id)
        return sim.ops.get(op_id) if sim else None

    def static_from_plan(self) -> None:
        assert self.plan is not None
        planned: set[Key] = set()
        for a in sorted(self.plan.operations, key=lambda a: a.start):
            op = self.op(a.job_id, a.operation_id)
            if op is None or op.unattended or a.technician_id is None:
                continue
            self.static[a.technician_id].append(op.key)
            self.static_bay[op.key] = (a.bay_id, a.lift_id)
            planned.add(op.key)
        for sim in self.jobs.values():
            if sim.walk_in:
                continue
            for op in sim.ops.values():
                if op.status == "pending" and not op.unattended and op.key not in planned:
                    self.append_greedy(op)

    def queued_minutes(self, tech: str) -> int:
        """Standard minutes of the work still waiting on a technician's list (morning plan)."""
        return sum(
            self.jobs[j].ops[o].minutes
            for j, o in self.static[tech]
            if self.jobs[j].ops[o].status == "pending"
        )

    def append_greedy(self, op: SimOp, reassigned: bool = False) -> None:
        """Morning-plan policy: new work goes to the least-loaded qualified technician still here."""
        present = self.present()
        here = [t for t in self.workshop.technicians if t.id in present]
        fit = [t for t in here if _shortfall(t, op.source) is None] or here
        best = min(fit, key=lambda t: (self.queued_minutes(t.id), t.id))
        # Work handed over is a change the new technician notices if it comes within the horizon.
        if reassigned and timedelta(minutes=self.queued_minutes(best.id)) < VISIBLE_HORIZON:
            self.notice(best.id)
        self.static[best.id].append(op.key)
        self.static_bay.setdefault(op.key, (None, None))

    # --- dispatch ------------------------------------------------------------------------------

    def on_shift(self, tech: str) -> bool:
        if tech not in self.present():
            return False
        return any(s <= self.now < e for s, e in self.shifts[tech])

    def ready(self, op: SimOp, bay: str | None, lift: str | None) -> bool:
        sim = self.jobs[op.job_id]
        if op.status != "pending" or sim.state != "open" or not sim.arrived:
            return False
        if any(o.status == "started" for o in sim.ops.values()):
            return False  # the car is in one place at a time
        for pred in op.predecessors:
            p = sim.ops.get(pred)
            if p is not None and p.status != "done":
                return False
        if sim.pending_proposal and sum(o.status == "pending" for o in sim.ops.values()) == 1:
            return False  # the car waits for the customer's answer before its last operation
        for part, quantity in op.parts:
            if part in self.tracked and self.stock.get(part, 0) < quantity:
                return False
        if bay is not None and bay in self.bay_use:
            return False
        return lift is None or (lift not in self.lift_use and lift not in self.lift_down)

    def its_turn(self, op: SimOp) -> bool:
        """No other operation of the car is planned to start before this one.

        An idle technician may start his own work early, but does not take a car that the plan
        he follows gives to a colleague first (the car is in one place at a time).
        """
        planned = self.slots.get(op.key)
        if planned is None:
            return True
        return not any(
            other is not op
            and other.status == "pending"
            and self.slots.get(other.key, planned)[1] < planned[1]
            for other in self.jobs[op.job_id].ops.values()
        )

    def candidates(self, tech: str) -> list[tuple[SimOp, str | None, str | None]]:
        if self.policy == Policy.MORNING:
            return [
                (self.jobs[j].ops[o], *self.static_bay.get((j, o), (None, None)))
                for j, o in self.static[tech]
            ]
        if self.plan is None:
            return []
        out: list[tuple[SimOp, str | None, str | None]] = []
        for a in sorted(self.plan.operations, key=lambda a: a.start):
            if a.technician_id != tech:
                continue
            op = self.op(a.job_id, a.operation_id)
            if op is not None:
                out.append((op, a.bay_id, a.lift_id))
        return out

    def unattended_candidates(self) -> list[tuple[SimOp, str | None, str | None]]:
        out: list[tuple[SimOp, str | None, str | None]] = []
        planned = {(a.job_id, a.operation_id): a for a in self.plan.operations} if self.plan else {}
        for sim in self.jobs.values():
            for op in sim.ops.values():
                if op.unattended and op.status == "pending":
                    a = planned.get(op.key)
                    out.append((op, a.bay_id if a else None, a.lift_id if a else None))
        return out

    def dispatch(self) -> None:
        for tech in sorted(self.busy):
            if self.busy[tech] is not None or not self.on_shift(tech):
                continue
            for op, bay, lift in self.candidates(tech):
                if self.ready(op, bay, lift) and self.its_turn(op):
                    self.start_op(op, tech, bay, lift)
                    break
        for op, bay, lift in self.unattended_candidates():
            if self.ready(op, bay, lift):
                self.start_op(op, None, bay, lift)

    def actual_minutes(self, op: SimOp, tech: str | None) -> float:
        """Standard time / the technician's efficiency, times the op's drawn scatter."""
        if tech is None:
            return float(op.minutes)
        technician = self.workshop.technician(tech)
        assert technician is not None
        efficiency = technician.efficiency_for(op.skill) if op.skill else technician.efficiency
        return op.minutes / efficiency * op.scatter

    def start_op(self, op: SimOp, tech: str | None, bay: str | None, lift: str | None) -> None:
        op.status, op.technician, op.bay, op.lift = "started", tech, bay, lift
        for part, quantity in op.parts:
            if part in self.tracked:
                self.stock[part] = self.stock.get(part, 0) - quantity
        if bay is not None:
            self.bay_use[bay] = op.job_id
        if lift is not None:
            self.lift_use[lift] = op.job_id
        if tech is not None:
            self.busy[tech] = op
            self.busy_since[tech] = self.now
        self.applied(f"duration {op.job_id}/{op.op_id} x{op.scatter:.4f}")
        self.send(
            "operation.started",
            job_id=op.job_id,
            operation_id=op.op_id,
            technician_id=tech,
            bay_id=bay,
            lift_id=lift,
        )
        minutes = max(1.0, self.actual_minutes(op, tech))
        self.at(self.now + timedelta(minutes=minutes), "finish", job=op.job_id, op=op.op_id)

    # --- event handlers ------------------------------------------------------------------------

    def handle(self, kind: str, p: dict[str, Any]) -> None:
        handlers: dict[str, Callable[[dict[str, Any]], None]] = {
            "arrive": self.on_arrive,
            "no_show": self.on_no_show,
            "finish": self.on_finish,
            "answer": self.on_answer,
            "parts_eta": self.on_parts_eta,
            "parts_arrive": self.on_parts_arrive,
            "sick": self.on_sick,
            "lift_fail": self.on_lift_fail,
            "lift_back": self.on_lift_back,
            "wake": lambda _p: None,
        }
        handlers[kind](p)

    def on_arrive(self, p: dict[str, Any]) -> None:
        sim = self.jobs[p["job"]]
        sim.arrived = True
        self.applied(f"arrival {sim.job.id} {self.now:%d %H:%M}" + (" walk-in" if sim.walk_in else ""))
        if sim.walk_in:
            body = job_body(sim.job)
            body.update(appointment_at=None, arrived_at=self.now.isoformat(), status="arrived")
            self.send("job.created", job=body)
            if self.policy == Policy.MORNING:
                for op in sim.ops.values():
                    if not op.unattended:
                        self.append_greedy(op)
        else:
            self.send("vehicle.arrived", job_id=sim.job.id)

    def on_no_show(self, p: dict[str, Any]) -> None:
        sim = self.jobs[p["job"]]
        self.applied(f"no-show {sim.job.id}")
        self.send("job.no_show", job_id=sim.job.id)
        self.send("job.cancelled", job_id=sim.job.id, reason="no-show")
        sim.state = "cancelled"

    def on_finish(self, p: dict[str, Any]) -> None:
        sim = self.jobs[p["job"]]
        op = sim.ops[p["op"]]
        op.status = "done"
        if op.technician is not None:
            self.busy[op.technician] = None
            self.account(op.technician, self.busy_since.pop(op.technician), self.now)
        if op.bay is not None:
            self.bay_use.pop(op.bay, None)
        if op.lift is not None:
            self.lift_use.pop(op.lift, None)
        self.send("operation.finished", job_id=sim.job.id, operation_id=op.op_id)
        if all(o.status == "done" for o in sim.ops.values()):
            sim.state, sim.completed_at = "done", self.now
            return
        if not sim.supplemental_checked and not op.unattended:
            sim.supplemental_checked = True
            finding = self.facts.findings.get(sim.job.id)
            if finding is not None:
                self.propose(sim, op, finding)

    def propose(self, sim: SimJob, found_by: SimOp, finding: Finding) -> None:
        self.flush()  # the DMS has sent the finish before the technician's finding
        source = found_by.source
        operation = {
            "text": "supplemental work found by the technician",
            "standard_minutes": finding.minutes,
            "skill": source.skill,
            "min_level": 1,
            "bay_capability": source.bay_capability,
            "lift_type": source.lift_type.value if source.lift_type else None,
        }
        body = self.client.call(
            "POST",
            f"/v1/workshops/{WORKSHOP}/jobs/{sim.job.id}/supplemental",
            "/jobs/{id}/supplemental",
            {"work": [{"operation": operation}], "note": "found during the job"},
        )
        self.result.proposals += 1
        self.applied(f"finding {sim.job.id} {finding.minutes} min {finding.decision}")
        sim.pending_proposal = True
        self.proposals[body["id"]] = sim.job.id
        self.at(
            self.now + finding.answer_after,
            "answer",
            proposal=body["id"],
            decision=finding.decision,
            new_promise=body.get("new_promise_at"),
        )

    def on_answer(self, p: dict[str, Any]) -> None:
        job_id = self.proposals[p["proposal"]]
        sim = self.jobs[job_id]
        self.flush()
        self.client.now = self.now
        self.client.call(
            "POST",
            f"/v1/workshops/{WORKSHOP}/jobs/{job_id}/supplemental/{p['proposal']}/{p['decision']}",
            "/jobs/{id}/supplemental/{id}/{decision}",
        )
        sim.pending_proposal = False
        if p["decision"] == Decision.APPROVE:
            self.take_approved_work(sim)
            if p["new_promise"] and sim.promise is not None:
                sim.promise = max(sim.promise, datetime.fromisoformat(p["new_promise"]))
        if self.policy != Policy.MORNING:
            self.fetch_plan()

    def take_approved_work(self, sim: SimJob) -> None:
        """The job card as the service now has it: the new operations, and who waits for them."""
        body = self.client.call("GET", f"/v1/workshops/{WORKSHOP}/jobs/{sim.job.id}", "/jobs/{id}")
        finding = self.facts.findings[sim.job.id]
        for wire_op in body["operations"]:
            op = operation_of(wire_op)
            known = sim.ops.get(op.id)
            if known is None and op.plannable:
                added = sim_op(sim.job.id, op, finding.scatter)
                sim.ops[op.id] = added
                if self.policy == Policy.MORNING:
                    self.append_greedy(added)
            elif known is not None and known.status == "pending":
                known.predecessors = list(op.predecessors)

    def on_parts_eta(self, p: dict[str, Any]) -> None:
        self.send(
            "parts.eta_changed", part_number=p["part"], eta=p["eta"].isoformat(), quantity=p["quantity"]
        )

    def on_parts_arrive(self, p: dict[str, Any]) -> None:
        self.applied(f"parts {p['part']} x{p['quantity']} {self.now:%d %H:%M}")
        self.stock[p["part"]] = self.stock.get(p["part"], 0) + p["quantity"]
        self.send("parts.arrived", part_number=p["part"], quantity=p["quantity"])

    def end_of_working_day(self, tech: str) -> datetime:
        today = self.local_day(self.now)
        ends = [e for _, e in self.shifts[tech] if self.local_day(e) == today and e > self.now]
        return max(ends, default=self.now + timedelta(hours=1))

    def on_sick(self, p: dict[str, Any]) -> None:
        tech = p["technician"]
        if self.busy[tech] is not None:  # finishes what is on the lift first, then goes home
            self.at(self.now + timedelta(minutes=5), "sick", technician=tech)
            return
        self.applied(f"sick {tech}")
        back = self.end_of_working_day(tech)
        self.absent_until[tech] = back  # home for the rest of the day, back the next morning
        self.send(
            "technician.absent",
            technician_id=tech,
            start=self.now.isoformat(),
            end=back.isoformat(),
            reason="sick",
        )
        if self.policy == Policy.MORNING:
            mine = [
                self.jobs[j].ops[o] for j, o in self.static[tech] if self.jobs[j].ops[o].status == "pending"
            ]
            self.static[tech] = []
            for op in mine:
                self.append_greedy(op, reassigned=True)

    def on_lift_fail(self, p: dict[str, Any]) -> None:
        lift = p["lift"]
        if lift in self.lift_use:  # the car on it comes down first
            self.at(self.now + timedelta(minutes=5), "lift_fail", lift=lift)
            return
        self.applied(f"lift down {lift}")
        self.lift_down.add(lift)
        back = self.now + LIFT_OUTAGE
        self.send(
            "lift.out_of_service",
            lift_id=lift,
            start=self.now.isoformat(),
            end=back.isoformat(),
            reason="hydraulics",
        )
        self.at(back, "lift_back", lift=lift)

    def on_lift_back(self, p: dict[str, Any]) -> None:
        self.lift_down.discard(p["lift"])
        self.send("lift.back", lift_id=p["lift"])

    def account(self, tech: str, start: datetime, end: datetime) -> None:
        minutes = (end - start).total_seconds() / 60
        self.result.worked_minutes += minutes
        inside = sum(
            max(0.0, (min(end, e) - max(start, s)).total_seconds() / 60) for s, e in self.shifts[tech]
        )
        self.result.overtime_minutes += max(0.0, minutes - inside)

    # --- the run -------------------------------------------------------------------------------

    def open_jobs(self) -> list[SimJob]:
        return [s for s in self.jobs.values() if s.state == "open"]

    def run(self, limit: timedelta = timedelta(days=3)) -> Result:
        self.schedule_day()
        self.upload()
        self.dispatch()
        self.flush()
        while self.queue and self.open_jobs():
            moment = self.queue[0][0]
            if moment - self.start > limit:
                break
            self.now = moment
            while self.queue and self.queue[0][0] == moment:
                _, _, kind, payload = heapq.heappop(self.queue)
                self.handle(kind, payload)
            self.flush()
            self.dispatch()
            self.flush()
            if not self.queue and self.open_jobs():
                self.idle_wake()
        self.finish()
        return self.result

    def idle_wake(self) -> None:
        """Nothing left on the queue but open work: wake the technicians at their next shift start."""
        later = [s for windows in self.shifts.values() for s, _ in windows if s > self.now]
        if later:
            self.at(min(later), "wake", technician="")

    def technician_days(self) -> int:
        """(technician, day) pairs with a shift that began before the simulation ended."""
        return len(
            {
                (tech, self.local_day(s))
                for tech, windows in self.shifts.items()
                for s, _ in windows
                if s < self.now
            }
        )

    def finish(self) -> None:
        for sim in self.jobs.values():
            if sim.state == "done" and sim.promise is not None and sim.completed_at is not None:
                self.result.promises += 1
                late = (sim.completed_at - sim.promise).total_seconds() / 60
                self.result.kept += late <= 0
                self.result.lateness.append(max(0.0, late))
        self.result.end = self.now
        self.result.technician_days = self.technician_days()
        self.result.latencies = dict(self.client.latencies)
        self.result.errors = list(self.client.errors)
        jobs = self.client.call("GET", f"/v1/workshops/{WORKSHOP}/jobs", "/jobs", limit=500)
        self.result.final_states = {j["id"]: j["status"] for j in jobs["items"]}
        self.result.sim_states = {job_id: sim.state for job_id, sim in self.jobs.items()}
