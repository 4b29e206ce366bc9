"""Jobs (repair orders): stored as domain Jobs, merged with what the service keeps on upsert."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.db.models import JobRow
from api.db.session import aware, utcnow
from api.problems import ApiProblem, FieldError
from api.schemas.convert import job_to_domain, job_to_wire, operation_to_domain
from api.schemas.jobs import JobIn, JobOut
from scheduler.jobs import PLANNABLE_JOB_STATUSES, Job, JobStatus, OperationStatus
from scheduler.labour import keep_supplemental
from scheduler.workshop import Workshop


def job_of(row: JobRow) -> Job:
    return Job.model_validate(row.data)


def job_day(job: Job, timezone: str) -> date | None:
    moment = job.appointment_at or job.arrived_at or job.promised_at
    return moment.astimezone(ZoneInfo(timezone)).date() if moment else None


def merge_job(job_id: str, incoming: JobIn, stored: Job | None, workshop: Workshop) -> Job:
    """The incoming repair order with the progress, pins and states the service already holds.

    Supplemental work the update does not mention stays on the job (see `keep_supplemental`).
    """
    kept = {op.id: op for op in stored.operations} if stored else {}
    sent = [operation_to_domain(op, op.id, kept.get(op.id)) for op in incoming.operations]
    operations = keep_supplemental(sent, list(kept.values()), workshop)
    present = {op.id for op in operations}
    errors = [
        FieldError(
            path="body.operations", message=f"operation {op.id!r} is {op.status.value}; it cannot be removed"
        )
        for op in kept.values()
        if op.id not in present and op.status != OperationStatus.PENDING
    ]
    if errors:
        raise ApiProblem(422, "started or finished work cannot be removed", errors=errors)
    status = incoming.status
    if status is None:
        status = stored.status if stored else (JobStatus.ARRIVED if incoming.arrived_at else JobStatus.BOOKED)
    arrived_at = incoming.arrived_at
    if arrived_at is None and stored is not None:
        arrived_at = stored.arrived_at  # learnt from a vehicle.arrived event
    return job_to_domain(job_id, incoming, status=status, arrived_at=arrived_at, operations=operations)


def save_job(session: Session, workshop_id: str, job: Job, timezone: str, row: JobRow | None) -> JobRow:
    now = utcnow()
    if row is None:
        row = JobRow(workshop_id=workshop_id, id=job.id, created_at=now)
        session.add(row)
    row.data = job.model_dump(mode="json")
    row.status = job.status.value
    row.day = job_day(job, timezone)
    row.updated_at = now
    session.flush()
    return row


def list_jobs(
    session: Session,
    workshop_id: str,
    day: date | None,
    statuses: Sequence[JobStatus],
    limit: int,
    offset: int,
) -> list[JobRow]:
    query = select(JobRow).where(JobRow.workshop_id == workshop_id)
    if day is not None:
        query = query.where(JobRow.day == day)
    if statuses:
        query = query.where(JobRow.status.in_([s.value for s in statuses]))
    query = query.order_by(JobRow.day, JobRow.id).limit(limit).offset(offset)
    return list(session.scalars(query))


def open_jobs(session: Session, workshop_id: str) -> list[JobRow]:
    plannable = [s.value for s in PLANNABLE_JOB_STATUSES]
    query = select(JobRow).where(JobRow.workshop_id == workshop_id, JobRow.status.in_(plannable))
    return list(session.scalars(query.order_by(JobRow.id)))


def open_job_count(session: Session, workshop_id: str) -> int:
    plannable = [s.value for s in PLANNABLE_JOB_STATUSES]
    query = select(func.count()).where(JobRow.workshop_id == workshop_id, JobRow.status.in_(plannable))
    return int(session.scalar(query) or 0)


def job_out(row: JobRow) -> JobOut:
    return job_to_wire(
        job_of(row),
        workshop_id=row.workshop_id,
        day=row.day,
        version=row.version,
        updated_at=aware(row.updated_at),
    )
