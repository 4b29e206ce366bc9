"""The planning problem of a workshop as stored: configuration, open jobs, parts, at the service's now."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from api.db.models import WorkshopRow
from api.store.jobs import job_of, open_jobs
from api.store.workshops import parts_of, parts_row, workshop_of
from scheduler.problem import Problem


def build_problem(session: Session, workshop_id: str, now: datetime) -> Problem:
    row = session.get(WorkshopRow, workshop_id)
    if row is None:
        raise LookupError(f"workshop {workshop_id!r} not found")
    return Problem(
        workshop=workshop_of(row),
        jobs=[job_of(job) for job in open_jobs(session, workshop_id)],
        parts=parts_of(parts_row(session, workshop_id)),
        now=now,
    )
