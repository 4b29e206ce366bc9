"""Workshops: configuration (technicians, bays, lifts, equipment, calendars, settings) and parts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from api.auth import Permission, PrincipalDep, require, visible_workshop
from api.checks import check_workshop
from api.db.models import WorkshopRow
from api.deps import ServicesDep, SessionDep
from api.etags import check_if_match, etag
from api.problems import ApiProblem, error_responses
from api.routes.params import IfMatch, WorkshopId
from api.schemas.convert import parts_to_domain, workshop_to_domain
from api.schemas.workshops import (
    WORKSHOP_EXAMPLE,
    PartsIn,
    PartsOut,
    WorkshopConfig,
    WorkshopCreate,
    WorkshopList,
    WorkshopOut,
)
from api.store.jobs import job_of, open_jobs
from api.store.workshops import (
    create_workshop,
    parts_of,
    parts_out,
    parts_row,
    set_parts,
    set_workshop,
    visible_workshops,
    workshop_out,
    workshop_summary,
)
from scheduler.jobs import PartsSituation

router = APIRouter(prefix="/v1/workshops", tags=["workshops"], responses=error_responses(401, 403, 404, 422))
_CONFIG_EXAMPLE = {k: v for k, v in WORKSHOP_EXAMPLE.items() if k != "id"}


@router.get("", response_model=WorkshopList)
def list_workshops(session: SessionDep, principal: PrincipalDep) -> WorkshopList:
    """The workshops this key may see: its own, or its dealer group's."""
    rows = visible_workshops(session, principal.workshop_id, principal.group_id)
    return WorkshopList(items=[workshop_summary(row) for row in rows])


@router.post("", status_code=201, response_model=WorkshopOut, responses=error_responses(409))
def create(
    body: Annotated[WorkshopCreate, Body(openapi_examples={"workshop": {"value": WORKSHOP_EXAMPLE}})],
    session: SessionDep,
    services: ServicesDep,
    principal: PrincipalDep,
    response: Response,
) -> WorkshopOut:
    """Create a workshop in the key's dealer group; it is planned at once."""
    require(Permission.CONFIGURE, principal)
    if principal.group_id is None:
        raise ApiProblem(403, "only a dealer group's admin key creates workshops")
    if session.get(WorkshopRow, body.id) is not None:
        raise ApiProblem(409, f"workshop {body.id!r} already exists")
    workshop = workshop_to_domain(body, body.id)
    check_workshop(workshop, [], PartsSituation())
    row = create_workshop(session, workshop, principal.group_id)
    session.commit()
    services.solver.trigger(row.id, "workshop created")
    response.headers["ETag"] = etag(row.version)
    response.headers["Location"] = f"/v1/workshops/{row.id}"
    return workshop_out(row)


@router.get("/{workshop_id}", response_model=WorkshopOut)
def read(
    workshop_id: WorkshopId, session: SessionDep, principal: PrincipalDep, response: Response
) -> WorkshopOut:
    row = visible_workshop(session, principal, workshop_id)
    response.headers["ETag"] = etag(row.version)
    return workshop_out(row)


@router.put("/{workshop_id}", response_model=WorkshopOut, responses=error_responses(412))
def update(
    workshop_id: WorkshopId,
    body: Annotated[WorkshopConfig, Body(openapi_examples={"workshop": {"value": _CONFIG_EXAMPLE}})],
    session: SessionDep,
    services: ServicesDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatch = None,
) -> WorkshopOut:
    """Replace the configuration; the workshop is re-planned."""
    require(Permission.CONFIGURE, principal)
    row = visible_workshop(session, principal, workshop_id)
    check_if_match(if_match, row.version)
    workshop = workshop_to_domain(body, workshop_id)
    parts = parts_of(parts_row(session, workshop_id))
    check_workshop(workshop, [job_of(j) for j in open_jobs(session, workshop_id)], parts)
    set_workshop(row, workshop)
    session.flush()
    session.commit()
    services.solver.trigger(workshop_id, "workshop configuration changed")
    response.headers["ETag"] = etag(row.version)
    return workshop_out(row)


@router.get("/{workshop_id}/parts", response_model=PartsOut)
def read_parts(
    workshop_id: WorkshopId, session: SessionDep, principal: PrincipalDep, response: Response
) -> PartsOut:
    """Stock on hand and inbound deliveries."""
    visible_workshop(session, principal, workshop_id)
    row = parts_row(session, workshop_id)
    response.headers["ETag"] = etag(row.version)
    return parts_out(row)


@router.put("/{workshop_id}/parts", response_model=PartsOut, responses=error_responses(412))
def update_parts(
    workshop_id: WorkshopId,
    body: Annotated[PartsIn, Body(openapi_examples={"parts": {"value": PartsIn.EXAMPLE}})],
    session: SessionDep,
    services: ServicesDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatch = None,
) -> PartsOut:
    """Replace the parts situation; the workshop is re-planned."""
    require(Permission.POST_EVENTS, principal)
    visible_workshop(session, principal, workshop_id)
    row = parts_row(session, workshop_id)
    check_if_match(if_match, row.version)
    set_parts(row, parts_to_domain(body))
    session.flush()
    session.commit()
    services.solver.trigger(workshop_id, "parts situation changed")
    response.headers["ETag"] = etag(row.version)
    return parts_out(row)
