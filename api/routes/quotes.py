"""The front desk: promise quotes, appointment slots and the labour catalogue they are built from.

Quotes and slots change nothing stored. They are answered in the request (the
greedy dispatcher takes well under a second), from the published plan, with the
transaction closed first so that no lock is held meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Body
from sqlalchemy.orm import Session

from api.auth import Permission, PrincipalDep, require, visible_workshop
from api.checks import job_issues
from api.deps import ServicesDep, SessionDep
from api.problems import ApiProblem, FieldError, error_responses
from api.routes.params import WorkshopId
from api.schemas.quotes import (
    QUOTE_EXAMPLE,
    SLOTS_EXAMPLE,
    LabourCatalogueOut,
    QuoteOut,
    QuoteRequest,
    SlotsOut,
    SlotsRequest,
    prospect_to_domain,
    quote_to_wire,
    slot_to_wire,
)
from api.schemas.resources import LabourCode
from api.store.problem import problem_and_version
from api.store.workshops import workshop_of
from scheduler.labour import LabourError, WorkItem
from scheduler.problem import Problem
from solver.quotes import Prepared, Prospect, QuoteError, appointment_slots, prepare, quote

router = APIRouter(
    prefix="/v1/workshops/{workshop_id}", tags=["front desk"], responses=error_responses(401, 403, 404, 422)
)


@router.get("/labour-catalogue", response_model=LabourCatalogueOut)
def labour_catalogue(
    workshop_id: WorkshopId, session: SessionDep, principal: PrincipalDep
) -> LabourCatalogueOut:
    """The workshop's standard labour times; work items refer to them by labour code."""
    workshop = workshop_of(visible_workshop(session, principal, workshop_id))
    return LabourCatalogueOut(
        items=[LabourCode.model_validate(entry.model_dump()) for entry in workshop.labour_catalogue]
    )


def item_path(work: Sequence[WorkItem], index: int, rest: str, prefix: str = "body.work") -> str:
    """Where in the request an issue of the operation made from work item `index` lies."""
    item = work[index]
    if item.operation is not None:
        return f"{prefix}[{index}].operation{rest}"
    return f"{prefix}[{index}].labour_code"


def operation_issues(
    issues: list[FieldError], operation_ids: Sequence[str], item_of: dict[str, int], work: Sequence[WorkItem]
) -> list[FieldError]:
    """Issues of a job's operations (`body.operations[k]…`) moved onto the work items they came from."""
    moved: list[FieldError] = []
    for issue in issues:
        head, _, rest = issue.path.partition("]")
        if head.startswith("body.operations[") and head[16:].isdigit():
            operation_id = operation_ids[int(head[16:])]
            if operation_id in item_of:
                index = item_of[operation_id]
                label = (
                    "" if work[index].operation is not None else f"labour code {work[index].labour_code}: "
                )
                moved.append(FieldError(path=item_path(work, index, rest), message=label + issue.message))
                continue
        moved.append(issue)
    return moved


def _prepared(problem: Problem, prospect: Prospect) -> Prepared:
    try:
        prepared = prepare(problem, prospect)
    except LabourError as error:
        raise ApiProblem(
            422,
            "the work cannot be built",
            errors=[FieldError(path=f"body.{error.path}", message=error.message)],
        ) from error
    issues = job_issues(problem.workshop, prepared.job, "body")
    if issues:
        ids = [op.id for op in prepared.job.operations]
        errors = operation_issues(issues, ids, prepared.item_of, prospect.work)
        raise ApiProblem(422, "the work does not fit the workshop", errors=errors)
    return prepared


def planning_problem(session: Session, services: ServicesDep, workshop_id: str) -> tuple[Problem, int | None]:
    """The workshop's problem now, with its published plan and that plan's version."""
    problem, version = problem_and_version(session, workshop_id, services.clock())
    session.commit()  # hold no transaction (on SQLite: no write lock) while planning
    return problem, version


def _quote_problem(error: QuoteError) -> ApiProblem:
    return ApiProblem(
        422, error.message, errors=[FieldError(path=f"body.{error.path}", message=error.message)]
    )


@router.post("/quotes", response_model=QuoteOut)
def promise_quote(
    workshop_id: WorkshopId,
    body: Annotated[QuoteRequest, Body(openapi_examples={"quote": {"value": QUOTE_EXAMPLE}})],
    session: SessionDep,
    services: ServicesDep,
    principal: PrincipalDep,
) -> QuoteOut:
    """The earliest completion that can be promised, with margin, for a prospective job.

    Every assignment of the published plan stays where it is; the new work is fitted around it.
    Nothing stored changes.
    """
    require(Permission.QUOTE, principal)
    visible_workshop(session, principal, workshop_id)
    problem, version = planning_problem(session, services, workshop_id)
    prospect = prospect_to_domain(body)
    _prepared(problem, prospect)
    arrival: datetime | None = None if body.arrival == "earliest" else body.arrival
    try:
        answer = quote(problem, prospect, arrival)
    except QuoteError as error:
        raise _quote_problem(error) from error
    return quote_to_wire(answer, version)


@router.post("/quotes/slots", response_model=SlotsOut)
def slots(
    workshop_id: WorkshopId,
    body: Annotated[SlotsRequest, Body(openapi_examples={"slots": {"value": SLOTS_EXAMPLE}})],
    session: SessionDep,
    services: ServicesDep,
    principal: PrincipalDep,
) -> SlotsOut:
    """Appointment slots of a day, graded by the promise and by how much the booking disturbs the plan."""
    require(Permission.QUOTE, principal)
    visible_workshop(session, principal, workshop_id)
    problem, version = planning_problem(session, services, workshop_id)
    if body.day < problem.now.astimezone(ZoneInfo(problem.workshop.timezone)).date():
        message = "lies in the past"
        raise ApiProblem(
            422, f"day {body.day} {message}", errors=[FieldError(path="body.day", message=message)]
        )
    prospect = prospect_to_domain(body)
    _prepared(problem, prospect)
    try:
        found = appointment_slots(problem, prospect, body.day, body.slot_minutes)
    except QuoteError as error:
        raise ApiProblem(
            422, error.message, errors=[FieldError(path="body.day", message=error.message)]
        ) from error
    return SlotsOut(day=body.day, slots=[slot_to_wire(s) for s in found], based_on_plan_version=version)
