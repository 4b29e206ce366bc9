"""Operations inside a job, and the dispatcher's pins on them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response
from sqlalchemy.orm import Session

from api.auth import Permission, Principal, PrincipalDep, require, visible_workshop
from api.checks import check_job
from api.db.models import JobRow, WorkshopRow
from api.deps import ServicesDep, SessionDep, SettingsDep
from api.etags import check_if_match, etag
from api.problems import ApiProblem, FieldError, error_responses, not_found
from api.routes.params import IfMatch, JobId, OperationId, WorkshopId
from api.schemas.convert import operation_to_domain, pin_to_domain
from api.schemas.jobs import OPERATION_EXAMPLE, OperationFields, OperationOut, PinIn
from api.settings import Settings
from api.store.jobs import job_of, job_out, save_job
from api.store.workshops import workshop_of
from scheduler.jobs import Job, OperationStatus, Pin

router = APIRouter(
    prefix="/v1/workshops/{workshop_id}/jobs/{job_id}/operations",
    tags=["operations"],
    responses=error_responses(401, 403, 404, 412, 422),
)
_OPERATION_BODY = {k: v for k, v in OPERATION_EXAMPLE.items() if k != "id"}
_PIN_EXAMPLE = {"technician_id": "T2", "bay_id": "B1", "start": "2026-11-23T10:00:00+08:00"}


def _job_row(session: Session, principal: Principal, workshop_id: str, job_id: str) -> JobRow:
    visible_workshop(session, principal, workshop_id)
    row = session.get(JobRow, (workshop_id, job_id))
    if row is None:
        raise not_found("job", job_id)
    return row


def _operation_out(row: JobRow, operation_id: str) -> OperationOut:
    found = next((op for op in job_out(row).operations if op.id == operation_id), None)
    if found is None:
        raise not_found("operation", operation_id)
    return found


def _save(session: Session, settings: Settings, row: JobRow, job: Job, response: Response) -> None:
    workshop = workshop_of(session.get_one(WorkshopRow, row.workshop_id))
    check_job(workshop, job, settings)
    save_job(session, row.workshop_id, job, workshop.timezone, row)
    session.commit()
    response.headers["ETag"] = etag(row.version)


@router.get("/{operation_id}", response_model=OperationOut)
def read(
    workshop_id: WorkshopId,
    job_id: JobId,
    operation_id: OperationId,
    session: SessionDep,
    principal: PrincipalDep,
) -> OperationOut:
    return _operation_out(_job_row(session, principal, workshop_id, job_id), operation_id)


@router.put("/{operation_id}", response_model=OperationOut)
def upsert(
    workshop_id: WorkshopId,
    job_id: JobId,
    operation_id: OperationId,
    body: Annotated[
        OperationFields, Body(openapi_examples={"supplemental work": {"value": _OPERATION_BODY}})
    ],
    session: SessionDep,
    services: ServicesDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatch = None,
) -> OperationOut:
    """Add or replace one operation (e.g. supplemental work); If-Match is the job's ETag."""
    require(Permission.WRITE_JOBS, principal)
    row = _job_row(session, principal, workshop_id, job_id)
    check_if_match(if_match, row.version)
    job = job_of(row)
    old = job.operation(operation_id)
    operation = operation_to_domain(body, operation_id, old)
    operations = [operation if op.id == operation_id else op for op in job.operations]
    if old is None:
        operations.append(operation)
    _save(session, settings, row, job.model_copy(update={"operations": operations}), response)
    services.solver.trigger(workshop_id, f"operation {job_id}/{operation_id} changed")
    return _operation_out(row, operation_id)


def _set_pin(row: JobRow, operation_id: str, pin: Pin | None) -> Job:
    job = job_of(row)
    operation = job.operation(operation_id)
    if operation is None:
        raise not_found("operation", operation_id)
    if operation.status == OperationStatus.DONE:
        raise ApiProblem(409, f"operation {operation_id!r} is done; there is nothing to pin")
    pinned = operation.model_copy(update={"pin": pin})
    return job.model_copy(
        update={"operations": [pinned if op.id == operation_id else op for op in job.operations]}
    )


@router.put("/{operation_id}/pin", response_model=OperationOut, responses=error_responses(409))
def pin(
    workshop_id: WorkshopId,
    job_id: JobId,
    operation_id: OperationId,
    body: Annotated[PinIn, Body(openapi_examples={"pin": {"value": _PIN_EXAMPLE}})],
    session: SessionDep,
    services: ServicesDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatch = None,
) -> OperationOut:
    """Fix the operation to a technician, bay and/or start; every later plan keeps it."""
    require(Permission.PIN, principal)
    if body.technician_id is None and body.bay_id is None and body.start is None:
        raise ApiProblem(
            422,
            "a pin fixes something",
            errors=[FieldError(path="body", message="give technician_id, bay_id and/or start")],
        )
    row = _job_row(session, principal, workshop_id, job_id)
    check_if_match(if_match, row.version)
    _save(session, settings, row, _set_pin(row, operation_id, pin_to_domain(body)), response)
    services.solver.trigger(workshop_id, f"operation {job_id}/{operation_id} pinned")
    return _operation_out(row, operation_id)


@router.delete("/{operation_id}/pin", response_model=OperationOut, responses=error_responses(409))
def unpin(
    workshop_id: WorkshopId,
    job_id: JobId,
    operation_id: OperationId,
    session: SessionDep,
    services: ServicesDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatch = None,
) -> OperationOut:
    """Release the pin; the planner may move the operation again."""
    require(Permission.PIN, principal)
    row = _job_row(session, principal, workshop_id, job_id)
    check_if_match(if_match, row.version)
    _save(session, settings, row, _set_pin(row, operation_id, None), response)
    services.solver.trigger(workshop_id, f"operation {job_id}/{operation_id} unpinned")
    return _operation_out(row, operation_id)
