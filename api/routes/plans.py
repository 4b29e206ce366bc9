"""Plans: the published plan, solves (submit, poll, stop), history, publication."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Query, Response
from sqlalchemy.orm import Session

from api.auth import Permission, Principal, PrincipalDep, require, visible_workshop
from api.db.models import PlanRow
from api.deps import ServicesDep, SessionDep
from api.problems import ApiProblem, error_responses, not_found
from api.routes.params import PlanId, WorkshopId
from api.schemas.plans import (
    FINISHED,
    SOLVE_EXAMPLE,
    PlanList,
    PlanOut,
    PlanStatus,
    SolveAccepted,
    SolveRequest,
)
from api.store.plans import history, plan_out, plan_row, plan_summary, publish, published_plan
from api.store.workshops import workshop_of
from scheduler.plan import Plan, SolveStatus

router = APIRouter(
    prefix="/v1/workshops/{workshop_id}", tags=["plans"], responses=error_responses(401, 403, 404, 422)
)
WaitSeconds = Annotated[
    float, Query(ge=0, le=30, description="Wait up to this long for the workshop's solves to finish first.")
]


@router.get("/plan", response_model=PlanOut)
def current(
    workshop_id: WorkshopId,
    session: SessionDep,
    services: ServicesDep,
    principal: PrincipalDep,
    technician_id: Annotated[str | None, Query(max_length=64)] = None,
    bay_id: Annotated[str | None, Query(max_length=64)] = None,
    day: Annotated[date | None, Query(description="Local day in the workshop's timezone.")] = None,
    job_id: Annotated[str | None, Query(max_length=64)] = None,
    wait_seconds: WaitSeconds = 0,
) -> PlanOut:
    """The published plan, optionally only one technician's, bay's, day's and/or job's operations."""
    row = visible_workshop(session, principal, workshop_id)
    if wait_seconds:
        session.commit()  # hold no transaction (on SQLite: no lock) while the solver finishes
        services.solver.wait_idle(workshop_id, wait_seconds)
    plan = published_plan(session, workshop_id)
    if plan is None:
        raise ApiProblem(404, f"workshop {workshop_id!r} has no published plan yet")
    timezone = workshop_of(row).timezone
    return plan_out(
        plan, technician_id=technician_id, bay_id=bay_id, day=day, job_id=job_id, timezone=timezone
    )


@router.get("/plans", response_model=PlanList)
def list_(
    workshop_id: WorkshopId,
    session: SessionDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> PlanList:
    """Plan history, newest version first."""
    visible_workshop(session, principal, workshop_id)
    return PlanList(items=[plan_summary(row) for row in history(session, workshop_id, limit, offset)])


@router.post("/plans", status_code=202, response_model=SolveAccepted)
def solve(
    workshop_id: WorkshopId,
    session: SessionDep,
    services: ServicesDep,
    principal: PrincipalDep,
    response: Response,
    body: Annotated[SolveRequest | None, Body(openapi_examples={"solve": {"value": SOLVE_EXAMPLE}})] = None,
) -> SolveAccepted:
    """Start a solve; answers at once with the plan id to poll."""
    require(Permission.SOLVE, principal)
    visible_workshop(session, principal, workshop_id)
    session.commit()
    request = body or SolveRequest()
    triggered = services.solver.trigger(
        workshop_id, "solve requested", request.engine, request.time_limit_seconds, explicit=True
    )
    response.headers["Location"] = f"/v1/workshops/{workshop_id}/plans/{triggered.plan_id}"
    return SolveAccepted(
        plan_id=triggered.plan_id,
        version=triggered.version,
        status=triggered.status,
        coalesced=triggered.coalesced,
    )


def _plan(session: Session, principal: Principal, workshop_id: str, plan_id: str) -> PlanRow:
    visible_workshop(session, principal, workshop_id)
    row = plan_row(session, workshop_id, plan_id)
    if row is None:
        raise not_found("plan", plan_id)
    return row


@router.get("/plans/{plan_id}", response_model=PlanOut)
def read(
    workshop_id: WorkshopId,
    plan_id: PlanId,
    session: SessionDep,
    services: ServicesDep,
    principal: PrincipalDep,
    wait_seconds: WaitSeconds = 0,
) -> PlanOut:
    """Status and the best plan found so far."""
    row = _plan(session, principal, workshop_id, plan_id)
    if wait_seconds and PlanStatus(row.status) not in FINISHED:
        session.commit()
        services.solver.wait_idle(workshop_id, wait_seconds)
        session.refresh(row)
    return plan_out(row)


@router.delete("/plans/{plan_id}", response_model=PlanOut, responses=error_responses(409))
def stop(
    workshop_id: WorkshopId,
    plan_id: PlanId,
    session: SessionDep,
    services: ServicesDep,
    principal: PrincipalDep,
) -> PlanOut:
    """Stop the solve; it keeps the best plan found so far."""
    require(Permission.SOLVE, principal)
    row = _plan(session, principal, workshop_id, plan_id)
    session.commit()
    if not services.solver.stop(workshop_id, plan_id):
        raise ApiProblem(409, f"plan {plan_id!r} is {row.status}; there is no solve to stop")
    session.refresh(row)
    return plan_out(row)


@router.post("/plans/{plan_id}/publish", response_model=PlanOut, responses=error_responses(409))
def publish_plan(
    workshop_id: WorkshopId, plan_id: PlanId, session: SessionDep, principal: PrincipalDep
) -> PlanOut:
    """Make this plan the published one (the dispatcher's decision)."""
    require(Permission.PUBLISH, principal)
    row = _plan(session, principal, workshop_id, plan_id)
    if row.result is None or PlanStatus(row.status) not in FINISHED:
        raise ApiProblem(409, f"plan {plan_id!r} is {row.status}; only a finished plan is published")
    if Plan.model_validate(row.result).solve.status in (SolveStatus.INFEASIBLE, SolveStatus.MODEL_INVALID):
        raise ApiProblem(409, f"plan {plan_id!r} breaks the rules; it cannot be published")
    publish(session, row)
    session.commit()
    return plan_out(row)
