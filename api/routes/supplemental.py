"""Supplemental work found during a job: preview the delay, then record the customer's answer.

Proposing stores the new operations on the job with approval "pending" (the
planner ignores them) and the preview; the plan does not change. Approving
makes them plannable and re-plans from the published plan; declining or
deferring records the answer and leaves the plan as it is.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Response
from sqlalchemy.orm import Session

from api.auth import Permission, Principal, PrincipalDep, require, visible_workshop
from api.checks import check_job, job_issues
from api.db.models import JobRow, SupplementalRow, WorkshopRow
from api.deps import Services, ServicesDep, SessionDep, SettingsDep
from api.etags import check_if_match
from api.problems import ApiProblem, FieldError, error_responses, not_found
from api.routes.params import IfMatch, JobId, WorkshopId
from api.routes.quotes import operation_issues
from api.schemas.quotes import PartNeedIn, work_items_to_domain
from api.schemas.supplemental import (
    SUPPLEMENTAL_EXAMPLE,
    DecisionOut,
    SupplementalList,
    SupplementalOut,
    SupplementalRequest,
)
from api.settings import Settings
from api.store.jobs import job_of, open_jobs, save_job
from api.store.plans import published_plan
from api.store.problem import problem_and_version
from api.store.supplemental import (
    create_proposal,
    decide,
    decision_out,
    ordered_parts,
    preview_out,
    proposal,
    proposal_out,
    proposals,
    with_approval,
)
from api.store.workshops import parts_of, parts_row, set_parts, workshop_of
from scheduler.jobs import PLANNABLE_JOB_STATUSES, Approval, Job, PartLine
from scheduler.labour import LabourError, Supplement, add_supplemental
from scheduler.workshop import Workshop
from solver.quotes import PartNeed
from solver.supplemental import preview_supplemental

router = APIRouter(
    prefix="/v1/workshops/{workshop_id}/jobs/{job_id}/supplemental",
    tags=["supplemental work"],
    responses=error_responses(401, 403, 404, 422),
)
PREVIEW_WAIT_SECONDS = 10.0
"""How much longer than a re-plan's time limit a preview waits for the re-plans under way."""
ProposalId = Annotated[str, Path(max_length=40, description="The proposal's id (S-…).")]


def _job_row(session: Session, principal: Principal, workshop_id: str, job_id: str) -> JobRow:
    visible_workshop(session, principal, workshop_id)
    row = session.get(JobRow, (workshop_id, job_id))
    if row is None:
        raise not_found("job", job_id)
    return row


def _open(job: Job) -> None:
    if job.status not in PLANNABLE_JOB_STATUSES:
        raise ApiProblem(409, f"job {job.id!r} is {job.status.value}; it takes no more work")


def _needs(parts: list[PartNeedIn]) -> list[PartNeed]:
    return [PartNeed(p.part_number, p.quantity, p.eta) for p in parts]


def _supplement(workshop: Workshop, job: Job, body: SupplementalRequest, settings: Settings) -> Supplement:
    items = work_items_to_domain(body.work)
    lines = [PartLine(part_number=p.part_number, quantity=p.quantity) for p in body.parts]
    try:
        supplement = add_supplemental(job, items, lines, workshop)
    except LabourError as error:
        raise ApiProblem(
            422,
            "the work cannot be built",
            errors=[FieldError(path=f"body.{error.path}", message=error.message)],
        ) from error
    issues = job_issues(workshop, supplement.job, "body")
    if issues:
        ids = [op.id for op in supplement.job.operations]
        errors = operation_issues(issues, ids, supplement.item_of, items)
        raise ApiProblem(422, "the work does not fit the workshop", errors=errors)
    check_job(workshop, supplement.job, settings)
    return supplement


@router.post("", status_code=201, response_model=SupplementalOut, responses=error_responses(409, 412))
def propose(
    workshop_id: WorkshopId,
    job_id: JobId,
    body: Annotated[SupplementalRequest, Body(openapi_examples={"pads": {"value": SUPPLEMENTAL_EXAMPLE}})],
    session: SessionDep,
    services: ServicesDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatch = None,
) -> SupplementalOut:
    """Preview supplemental work: the job's new completion, its delay, the knock-on on other jobs.

    The preview is the re-plan an approval would start (same engine and time limit), made now and
    not kept. The operations are stored on the job with approval "pending"; nothing is re-planned.
    If-Match is the job's ETag.
    """
    require(Permission.SUPPLEMENTAL, principal)
    row = _job_row(session, principal, workshop_id, job_id)
    _open(job_of(row))
    session.commit()  # a re-plan under way (the job was just booked, say) finishes first
    services.solver.wait_idle(workshop_id, services.settings.replan_time_limit_seconds + PREVIEW_WAIT_SECONDS)
    session.refresh(row)
    if if_match is not None:
        check_if_match(if_match, row.version)
    job = job_of(row)
    _open(job)
    problem, plan_version = problem_and_version(session, workshop_id, services.clock())
    supplement = _supplement(problem.workshop, job, body, settings)
    seen_version = row.version
    session.commit()  # plan without holding a transaction
    parts = ordered_parts(problem.parts, _needs(body.parts), problem.jobs)
    preview = preview_supplemental(
        problem, supplement.job, set(supplement.operation_ids), parts, services.solver.replan_settings()
    )
    session.refresh(row)
    if row.version != seen_version:
        raise ApiProblem(409, f"job {job_id!r} changed while the preview was made; ask again")
    save_job(session, workshop_id, supplement.job, problem.workshop.timezone, row)
    created = create_proposal(
        session,
        workshop_id,
        job_id,
        request=body.model_dump(mode="json"),
        note=body.note,
        operation_ids=supplement.operation_ids,
        preview=preview_out(preview),
        plan_version=plan_version,
        key_id=principal.key_id,
    )
    session.commit()
    response.headers["Location"] = f"/v1/workshops/{workshop_id}/jobs/{job_id}/supplemental/{created.id}"
    return proposal_out(created)


@router.get("", response_model=SupplementalList)
def list_(
    workshop_id: WorkshopId, job_id: JobId, session: SessionDep, principal: PrincipalDep
) -> SupplementalList:
    """The job's supplemental work, oldest first."""
    _job_row(session, principal, workshop_id, job_id)
    return SupplementalList(items=[proposal_out(r) for r in proposals(session, workshop_id, job_id)])


def _proposal(
    session: Session,
    principal: Principal,
    workshop_id: str,
    job_id: str,
    proposal_id: ProposalId,
    for_update: bool,
) -> tuple[SupplementalRow, JobRow]:
    job_row = _job_row(session, principal, workshop_id, job_id)
    found = proposal(session, workshop_id, job_id, proposal_id, for_update=for_update)
    if found is None:
        raise not_found("supplemental work", proposal_id)
    return found, job_row


@router.get("/{proposal_id}", response_model=SupplementalOut)
def read(
    workshop_id: WorkshopId,
    job_id: JobId,
    proposal_id: ProposalId,
    session: SessionDep,
    principal: PrincipalDep,
) -> SupplementalOut:
    return proposal_out(_proposal(session, principal, workshop_id, job_id, proposal_id, False)[0])


def _decide(
    workshop_id: str,
    job_id: str,
    proposal_id: str,
    decision: Approval,
    session: Session,
    services: Services,
    settings: Settings,
    principal: Principal,
) -> DecisionOut:
    """Record the customer's answer on the proposal and its operations; an approval re-plans."""
    require(Permission.SUPPLEMENTAL, principal)
    row, job_row = _proposal(session, principal, workshop_id, job_id, proposal_id, True)
    if row.status != Approval.PENDING.value:
        raise ApiProblem(409, f"supplemental work {proposal_id!r} was {row.status} already")
    job = job_of(job_row)
    missing = [op_id for op_id in row.operation_ids if job.operation(op_id) is None]
    if missing:
        raise ApiProblem(409, f"operation(s) {', '.join(missing)} are no longer on job {job_id!r}")
    workshop = workshop_of(session.get_one(WorkshopRow, workshop_id))
    changed = with_approval(job, row.operation_ids, decision)
    if decision == Approval.APPROVED:
        _open(job)
        parts = parts_row(session, workshop_id)
        needs = _needs([PartNeedIn.model_validate(p) for p in row.request.get("parts", [])])
        others = [job_of(r) for r in open_jobs(session, workshop_id)]
        set_parts(parts, ordered_parts(parts_of(parts), needs, others))
        check_job(workshop, changed, settings)
    save_job(session, workshop_id, changed, workshop.timezone, job_row)
    decide(row, decision, principal.key_id)
    if decision == Approval.APPROVED:
        session.commit()
        triggered = services.solver.trigger(
            workshop_id, f"supplemental work {proposal_id} on job {job_id} approved"
        )
        row.plan_id, row.plan_version = triggered.plan_id, triggered.version
    else:
        published = published_plan(session, workshop_id)
        row.plan_version = published.version if published else None
    session.commit()
    return decision_out(row)


def _answer_route(action: str, decision: Approval, description: str) -> None:
    """`POST …/{proposal_id}/<action>`: one route per answer, so that each has its own OpenAPI entry."""

    def answer(
        workshop_id: WorkshopId,
        job_id: JobId,
        proposal_id: ProposalId,
        session: SessionDep,
        services: ServicesDep,
        settings: SettingsDep,
        principal: PrincipalDep,
    ) -> DecisionOut:
        return _decide(workshop_id, job_id, proposal_id, decision, session, services, settings, principal)

    router.add_api_route(
        f"/{{proposal_id}}/{action}",
        answer,
        methods=["POST"],
        name=action,
        description=description,
        response_model=DecisionOut,
        responses=error_responses(409),
    )


_answer_route(
    "approve",
    Approval.APPROVED,
    "The customer agrees: the work joins the job and the workshop is re-planned from the published plan.",
)
_answer_route("decline", Approval.DECLINED, "The customer says no: recorded; the plan stays as it is.")
_answer_route(
    "defer", Approval.DEFERRED, "The work waits for a later visit: recorded; the plan stays as it is."
)
