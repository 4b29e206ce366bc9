"""What each DMS event does to the domain objects of one workshop, inside one batch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.checks import check_job_count, job_issues
from api.db.models import JobRow
from api.problems import ApiProblem, FieldError
from api.schemas import events as ev
from api.settings import Settings
from api.store.jobs import job_of, merge_job, open_job_count
from scheduler.events import ResourceKind, arrive, back, move_eta, out_of_service
from scheduler.jobs import PLANNABLE_JOB_STATUSES, Job, JobStatus, OperationStatus, PartsSituation, Progress
from scheduler.workshop import Workshop


class Rejected(Exception):
    """The event cannot be applied; `field` names what is wrong, relative to the event."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class Batch:
    """The workshop's state while a batch is applied; written back only if every event applies."""

    session: Session
    settings: Settings
    workshop: Workshop
    parts: PartsSituation
    now: datetime
    jobs: dict[str, Job] = field(default_factory=dict)
    rows: dict[str, JobRow | None] = field(default_factory=dict)
    changed_jobs: set[str] = field(default_factory=set)
    workshop_changed: bool = False
    parts_changed: bool = False
    opened_jobs: int = 0

    def job(self, job_id: str, field_name: str = "job_id") -> Job:
        if job_id not in self.rows:
            row = self.session.get(JobRow, (self.workshop.id, job_id))
            self.rows[job_id] = row
            if row is not None:
                self.jobs[job_id] = job_of(row)
        if job_id not in self.jobs:
            raise Rejected(field_name, f"unknown job {job_id!r}")
        return self.jobs[job_id]

    def exists(self, job_id: str) -> bool:
        try:
            self.job(job_id)
        except Rejected:
            return False
        return True

    def put(self, job: Job, field_name: str = "job") -> None:
        errors = job_issues(self.workshop, job, field_name)
        if errors:
            raise Rejected(errors[0].path, errors[0].message)
        if len(job.operations) > self.settings.max_operations_per_job:
            raise Rejected(
                f"{field_name}.operations", f"at most {self.settings.max_operations_per_job} operations"
            )
        self.jobs[job.id] = job
        self.changed_jobs.add(job.id)


def _at(event: Any, batch: Batch) -> datetime:
    """When it happened, in the workshop's local time (the service's now when the DMS did not say)."""
    moment: datetime = event.occurred_at or batch.now
    return moment.astimezone(ZoneInfo(batch.workshop.timezone))


def _opening(batch: Batch, job: Job, old: Job | None) -> None:
    if job.status in PLANNABLE_JOB_STATUSES and (old is None or old.status not in PLANNABLE_JOB_STATUSES):
        try:
            check_job_count(
                open_job_count(batch.session, batch.workshop.id) + batch.opened_jobs, batch.settings
            )
        except ApiProblem as problem:
            raise Rejected("job", problem.errors[0].message) from problem
        batch.opened_jobs += 1


def _job_created(batch: Batch, event: ev.JobCreated) -> str:
    if batch.exists(event.job.id):
        raise Rejected("job.id", f"job {event.job.id!r} already exists; send job.updated")
    job = merge_job(event.job.id, event.job, None, batch.workshop)
    _opening(batch, job, None)
    batch.put(job)
    return f"job {job.id} created"


def _job_updated(batch: Batch, event: ev.JobUpdated) -> str:
    old = batch.job(event.job.id, "job.id")
    try:
        job = merge_job(event.job.id, event.job, old, batch.workshop)
    except ApiProblem as problem:
        raise Rejected("job.operations", problem.errors[0].message) from problem
    _opening(batch, job, old)
    batch.put(job)
    return f"job {job.id} updated"


def _set_status(batch: Batch, job: Job, status: JobStatus, **extra: Any) -> None:
    batch.put(job.model_copy(update={"status": status, **extra}))


def _job_cancelled(batch: Batch, event: ev.JobCancelled) -> str:
    job = batch.job(event.job_id)
    if job.status in (JobStatus.DONE, JobStatus.DELIVERED):
        raise Rejected("job_id", f"job {job.id!r} is {job.status.value}; it cannot be cancelled")
    _set_status(batch, job, JobStatus.CANCELLED)
    return f"job {job.id} cancelled"


def _vehicle_arrived(batch: Batch, event: ev.VehicleArrived) -> str:
    job = batch.job(event.job_id)
    at = job.arrived_at or _at(event, batch)
    status = JobStatus.ARRIVED if job.status in (JobStatus.BOOKED, JobStatus.NO_SHOW) else job.status
    _opening(batch, job.model_copy(update={"status": status}), job)
    _set_status(batch, job, status, arrived_at=at)
    return f"job {job.id} arrived at {at.isoformat()}"


def _no_show(batch: Batch, event: ev.NoShow) -> str:
    job = batch.job(event.job_id)
    if job.status != JobStatus.BOOKED:
        raise Rejected("job_id", f"job {job.id!r} is {job.status.value}; only a booked job can be a no-show")
    _set_status(batch, job, JobStatus.NO_SHOW)
    return f"job {job.id} is a no-show"


def _with_operation(batch: Batch, event: Any, change: Callable[[Job, Any], dict[str, Any]]) -> Job:
    job = batch.job(event.job_id)
    operation = job.operation(event.operation_id)
    if operation is None:
        raise Rejected("operation_id", f"job {job.id!r} has no operation {event.operation_id!r}")
    changed = operation.model_copy(update=change(job, operation))
    return job.model_copy(
        update={"operations": [changed if o.id == operation.id else o for o in job.operations]}
    )


def _check_ids(batch: Batch, event: ev.OperationStarted) -> None:
    if event.technician_id and batch.workshop.technician(event.technician_id) is None:
        raise Rejected("technician_id", f"unknown technician {event.technician_id!r}")
    if event.bay_id and batch.workshop.bay(event.bay_id) is None:
        raise Rejected("bay_id", f"unknown bay {event.bay_id!r}")
    if event.lift_id and batch.workshop.lift(event.lift_id) is None:
        raise Rejected("lift_id", f"unknown lift {event.lift_id!r}")


def _operation_started(batch: Batch, event: ev.OperationStarted) -> str:
    _check_ids(batch, event)
    at = _at(event, batch)

    def start(job: Job, operation: Any) -> dict[str, Any]:
        if operation.status == OperationStatus.DONE:
            raise Rejected("operation_id", f"operation {operation.id!r} is done")
        began = operation.progress.started_at if operation.progress else at
        progress = Progress(
            started_at=began, technician_id=event.technician_id, bay_id=event.bay_id, lift_id=event.lift_id
        )
        return {"status": OperationStatus.STARTED, "progress": progress}

    job = _with_operation(batch, event, start)
    arrived = job.arrived_at or at
    _opening(batch, job.model_copy(update={"status": JobStatus.IN_PROGRESS}), job)
    batch.put(job.model_copy(update={"status": JobStatus.IN_PROGRESS, "arrived_at": arrived}))
    return f"operation {event.job_id}/{event.operation_id} started"


def _operation_paused(batch: Batch, event: ev.OperationPaused) -> str:
    def pause(job: Job, operation: Any) -> dict[str, Any]:
        if operation.status != OperationStatus.STARTED or operation.progress is None:
            raise Rejected(
                "operation_id", f"operation {operation.id!r} is {operation.status.value}, not started"
            )
        return {
            "progress": operation.progress.model_copy(update={"remaining_minutes": event.remaining_minutes})
        }

    batch.put(_with_operation(batch, event, pause))
    return f"operation {event.job_id}/{event.operation_id} paused, {event.remaining_minutes} min to go"


def _operation_finished(batch: Batch, event: ev.OperationFinished) -> str:
    job = _with_operation(batch, event, lambda _job, _op: {"status": OperationStatus.DONE})
    if not any(op.plannable for op in job.operations):
        job = job.model_copy(update={"status": JobStatus.DONE})
    batch.put(job)
    return f"operation {event.job_id}/{event.operation_id} finished" + (
        ", job done" if job.status == JobStatus.DONE else ""
    )


def _parts_arrived(batch: Batch, event: ev.PartsArrived) -> str:
    batch.parts = arrive(batch.parts, event.part_number, event.quantity)
    batch.parts_changed = True
    return f"{event.quantity} x {event.part_number} arrived"


def _parts_eta(batch: Batch, event: ev.PartsEtaChanged) -> str:
    batch.parts = move_eta(batch.parts, event.part_number, event.eta, event.quantity)
    batch.parts_changed = True
    return f"{event.part_number} now expected {event.eta.isoformat()}"


OPEN_ENDED = timedelta(days=14)


def _outage(batch: Batch, event: Any, kind: ResourceKind, resource_id: str) -> str:
    start = event.start or _at(event, batch)
    end = event.end or start + OPEN_ENDED
    try:
        batch.workshop = out_of_service(batch.workshop, kind, resource_id, start, end, event.reason)
    except LookupError as error:
        raise Rejected(f"{kind}_id", str(error)) from error
    except ValidationError as error:
        raise Rejected("end", "end must be after start") from error
    batch.workshop_changed = True
    return f"{kind} {resource_id} unavailable {start.isoformat()} - {end.isoformat()}"


def _back(batch: Batch, event: Any, kind: ResourceKind, resource_id: str) -> str:
    at = _at(event, batch)
    try:
        batch.workshop = back(batch.workshop, kind, resource_id, at)
    except LookupError as error:
        raise Rejected(f"{kind}_id", str(error)) from error
    batch.workshop_changed = True
    return f"{kind} {resource_id} available from {at.isoformat()}"


APPLY: dict[str, Callable[[Batch, Any], str]] = {
    "job.created": _job_created,
    "job.updated": _job_updated,
    "job.cancelled": _job_cancelled,
    "vehicle.arrived": _vehicle_arrived,
    "job.no_show": _no_show,
    "operation.started": _operation_started,
    "operation.paused": _operation_paused,
    "operation.finished": _operation_finished,
    "parts.arrived": _parts_arrived,
    "parts.eta_changed": _parts_eta,
    "technician.absent": lambda b, e: _outage(b, e, "technician", e.technician_id),
    "technician.back": lambda b, e: _back(b, e, "technician", e.technician_id),
    "bay.out_of_service": lambda b, e: _outage(b, e, "bay", e.bay_id),
    "bay.back": lambda b, e: _back(b, e, "bay", e.bay_id),
    "lift.out_of_service": lambda b, e: _outage(b, e, "lift", e.lift_id),
    "lift.back": lambda b, e: _back(b, e, "lift", e.lift_id),
}


def apply_event(batch: Batch, event: Any, index: int) -> ev.EventResult:
    try:
        detail = APPLY[event.type](batch, event)
    except Rejected as rejected:
        raise ApiProblem(
            422,
            f"event {event.id!r} cannot be applied; nothing in the batch was applied",
            errors=[FieldError(path=f"body.events[{index}].{rejected.field}", message=rejected.message)],
        ) from rejected
    job_id = getattr(event, "job_id", None) or (event.job.id if hasattr(event, "job") else None)
    return ev.EventResult(id=event.id, type=event.type, outcome="applied", detail=detail, job_id=job_id)
