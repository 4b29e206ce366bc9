"""The planning problem of a workshop as stored: configuration, open jobs, parts and the published plan."""

from __future__ import annotations

import logging
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.db.models import WorkshopRow
from api.store.jobs import job_of, open_jobs
from api.store.plans import published_plan
from api.store.workshops import parts_of, parts_row, workshop_of
from scheduler.plan import Plan
from scheduler.problem import Problem

log = logging.getLogger("api.store")


def current_plan(session: Session, workshop_id: str) -> tuple[Plan | None, int | None]:
    """The workshop's published plan as a domain Plan, and its version; (None, None) without one."""
    row = published_plan(session, workshop_id)
    if row is None or row.result is None:
        return None, None
    try:
        return Plan.model_validate(row.result), row.version
    except ValidationError:  # a plan stored by an older release: re-plans start afresh
        log.warning("published plan %s of %s no longer reads as a plan", row.id, workshop_id)
        return None, None


def build_problem(session: Session, workshop_id: str, now: datetime) -> Problem:
    """What the planner is given; a re-plan starts from the published plan."""
    return problem_and_version(session, workshop_id, now)[0]


def problem_and_version(session: Session, workshop_id: str, now: datetime) -> tuple[Problem, int | None]:
    """The problem, and the version of the published plan it carries (None without one)."""
    row = session.get(WorkshopRow, workshop_id)
    if row is None:
        raise LookupError(f"workshop {workshop_id!r} not found")
    plan, version = current_plan(session, workshop_id)
    problem = Problem(
        workshop=workshop_of(row),
        jobs=[job_of(job) for job in open_jobs(session, workshop_id)],
        parts=parts_of(parts_row(session, workshop_id)),
        now=now,
        published_plan=plan,
    )
    return problem, version
