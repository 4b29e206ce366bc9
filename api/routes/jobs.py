"""Jobs (repair orders): create, upsert by the DMS's id, read, list by day and status, cancel."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Query, Response
from sqlalchemy.orm import Session

from api.auth import Permission, PrincipalDep, require, visible_workshop
from api.checks import check_job, check_job_count
from api.db.models import JobRow, WorkshopRow
from api.deps import ServicesDep, SessionDep, SettingsDep
from api.etags import check_if_match, etag
from api.problems import ApiProblem, error_responses, not_found
from api.routes.params import IfMatch, JobId, WorkshopId
from api.schemas.jobs import JOB_EXAMPLE, JobCreate, JobIn, JobList, JobOut
from api.settings import Settings
from api.store.jobs import job_of, job_out, list_jobs, merge_job, open_job_count, save_job
from api.store.workshops import workshop_of
from scheduler.jobs import PLANNABLE_JOB_STATUSES, JobStatus

router = APIRouter(
    prefix="/v1/workshops/{workshop_id}/jobs", tags=["jobs"], responses=error_responses(401, 403, 404, 422)
)
_JOB_BODY = {k: v for k, v in JOB_EXAMPLE.items() if k != "id"}


@router.get("", response_model=JobList)
def list_(
    workshop_id: WorkshopId,
    session: SessionDep,
    principal: PrincipalDep,
    day: Annotated[date | None, Query(description="Local day: appointment, arrival or promise.")] = None,
    status: Annotated[list[JobStatus] | None, Query(description="Any of these statuses.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> JobList:
    visible_workshop(session, principal, workshop_id)
    rows = list_jobs(session, workshop_id, day, status or [], limit, offset)
    return JobList(items=[job_out(row) for row in rows])


def _store(
    workshop_id: str, job_id: str, body: JobIn, row: JobRow | None, session: Session, settings: Settings
) -> JobRow:
    workshop = workshop_of(session.get_one(WorkshopRow, workshop_id))
    job = merge_job(job_id, body, job_of(row) if row else None, workshop)
    opens = job.status in PLANNABLE_JOB_STATUSES and (row is None or row.status not in PLANNABLE_JOB_STATUSES)
    if opens:
        check_job_count(open_job_count(session, workshop_id), settings)
    check_job(workshop, job, settings)
    return save_job(session, workshop_id, job, workshop.timezone, row)


@router.post("", status_code=201, response_model=JobOut, responses=error_responses(409))
def create(
    workshop_id: WorkshopId,
    body: Annotated[JobCreate, Body(openapi_examples={"repair order": {"value": JOB_EXAMPLE}})],
    session: SessionDep,
    services: ServicesDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    response: Response,
) -> JobOut:
    """Create a job; 409 when the id exists (PUT upserts)."""
    require(Permission.WRITE_JOBS, principal)
    visible_workshop(session, principal, workshop_id)
    if session.get(JobRow, (workshop_id, body.id)) is not None:
        raise ApiProblem(
            409, f"job {body.id!r} already exists; PUT /v1/workshops/{workshop_id}/jobs/{body.id} updates it"
        )
    row = _store(workshop_id, body.id, body, None, session, settings)
    session.commit()
    services.solver.trigger(workshop_id, f"job {body.id} created")
    response.headers["ETag"] = etag(row.version)
    response.headers["Location"] = f"/v1/workshops/{workshop_id}/jobs/{row.id}"
    return job_out(row)


@router.get("/{job_id}", response_model=JobOut)
def read(
    workshop_id: WorkshopId, job_id: JobId, session: SessionDep, principal: PrincipalDep, response: Response
) -> JobOut:
    visible_workshop(session, principal, workshop_id)
    row = session.get(JobRow, (workshop_id, job_id))
    if row is None:
        raise not_found("job", job_id)
    response.headers["ETag"] = etag(row.version)
    return job_out(row)


@router.put("/{job_id}", response_model=JobOut, responses={**error_responses(412), 201: {"model": JobOut}})
def upsert(
    workshop_id: WorkshopId,
    job_id: JobId,
    body: Annotated[JobIn, Body(openapi_examples={"repair order": {"value": _JOB_BODY}})],
    session: SessionDep,
    services: ServicesDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatch = None,
) -> JobOut:
    """Create or replace the job with the DMS's id; progress and pins already known are kept.

    Supplemental work proposed through Bayplan (operations with an `approval`: pending, approved,
    declined or deferred) stays on the job when the body does not list it: a DMS that does not know
    it yet loses nothing, and the customer's answer still applies to it. The job's pending
    operations of later kinds (inspection, wash) wait for it as before. An operation the body lists
    by id replaces the stored one; its approval stays as stored unless the body sends `approval`.
    Started or finished work cannot be removed (422).
    """
    require(Permission.WRITE_JOBS, principal)
    visible_workshop(session, principal, workshop_id)
    row = session.get(JobRow, (workshop_id, job_id))
    if row is not None:
        check_if_match(if_match, row.version)
    elif if_match not in (None, "*"):
        raise ApiProblem(412, f"job {job_id!r} does not exist, so If-Match {if_match} cannot match")
    created = row is None
    row = _store(workshop_id, job_id, body, row, session, settings)
    session.commit()
    services.solver.trigger(workshop_id, f"job {job_id} {'created' if created else 'updated'}")
    response.status_code = 201 if created else 200
    response.headers["ETag"] = etag(row.version)
    return job_out(row)


@router.post("/{job_id}/cancel", response_model=JobOut, responses=error_responses(409, 412))
def cancel(
    workshop_id: WorkshopId,
    job_id: JobId,
    session: SessionDep,
    services: ServicesDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatch = None,
) -> JobOut:
    """Cancel the job; its work leaves the plan."""
    require(Permission.WRITE_JOBS, principal)
    workshop = workshop_of(visible_workshop(session, principal, workshop_id))
    row = session.get(JobRow, (workshop_id, job_id))
    if row is None:
        raise not_found("job", job_id)
    check_if_match(if_match, row.version)
    job = job_of(row)
    if job.status in (JobStatus.DONE, JobStatus.DELIVERED):
        raise ApiProblem(409, f"job {job_id!r} is {job.status.value}; it cannot be cancelled")
    save_job(
        session, workshop_id, job.model_copy(update={"status": JobStatus.CANCELLED}), workshop.timezone, row
    )
    session.commit()
    services.solver.trigger(workshop_id, f"job {job_id} cancelled")
    response.headers["ETag"] = etag(row.version)
    return job_out(row)
