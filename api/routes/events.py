"""DMS events: a batch applied in one transaction or not at all; replays answer as the first time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body
from sqlalchemy import select

from api.auth import Permission, PrincipalDep, require, visible_workshop
from api.db.models import EventRow, WorkshopRow
from api.db.session import utcnow
from api.deps import ServicesDep, SessionDep, SettingsDep
from api.event_apply import Batch, apply_event
from api.problems import ApiProblem, FieldError, error_responses
from api.routes.params import WorkshopId
from api.schemas.events import EVENTS_EXAMPLE, EventBatch, EventBatchResult, EventResult
from api.store.jobs import save_job
from api.store.workshops import parts_of, parts_row, set_parts, set_workshop, workshop_of

router = APIRouter(
    prefix="/v1/workshops/{workshop_id}", tags=["events"], responses=error_responses(401, 403, 404, 422)
)


@router.post("/events", response_model=EventBatchResult)
def post_events(
    workshop_id: WorkshopId,
    body: Annotated[EventBatch, Body(openapi_examples={"events": {"value": EVENTS_EXAMPLE}})],
    session: SessionDep,
    services: ServicesDep,
    settings: SettingsDep,
    principal: PrincipalDep,
) -> EventBatchResult:
    """Apply a batch of DMS events in order, all or nothing, then re-plan."""
    require(Permission.POST_EVENTS, principal)
    if len(body.events) > settings.max_events_per_batch:
        raise ApiProblem(
            422,
            "batch too large",
            errors=[
                FieldError(
                    path="body.events", message=f"at most {settings.max_events_per_batch} events per batch"
                )
            ],
        )
    visible_workshop(session, principal, workshop_id)
    # Batches of one workshop apply one after the other (a row lock on PostgreSQL, the write lock on SQLite).
    row = session.scalars(select(WorkshopRow).where(WorkshopRow.id == workshop_id).with_for_update()).one()
    parts = parts_row(session, workshop_id)
    batch = Batch(session, settings, workshop_of(row), parts_of(parts), services.clock())
    results: list[EventResult] = []
    replayed: list[str] = []
    seen: dict[str, EventResult] = {}
    for index, event in enumerate(body.events):
        stored = seen.get(event.id) or _stored(session, workshop_id, event.id)
        if stored is not None:
            results.append(stored)
            replayed.append(event.id)
            continue
        result = apply_event(batch, event, index)
        seen[event.id] = result
        results.append(result)
        session.add(
            EventRow(
                workshop_id=workshop_id,
                id=event.id,
                type=event.type,
                payload=event.model_dump(mode="json"),
                result=result.model_dump(mode="json"),
                received_at=utcnow(),
            )
        )
    if not seen:
        return EventBatchResult(results=results, replayed=replayed, plan_id=None)
    for job_id in sorted(batch.changed_jobs):
        save_job(session, workshop_id, batch.jobs[job_id], batch.workshop.timezone, batch.rows.get(job_id))
    if batch.workshop_changed:
        set_workshop(row, batch.workshop)
    if batch.parts_changed:
        set_parts(parts, batch.parts)
    session.commit()
    triggered = services.solver.trigger(workshop_id, f"{len(seen)} DMS event(s): {', '.join(list(seen)[:5])}")
    return EventBatchResult(results=results, replayed=replayed, plan_id=triggered.plan_id)


def _stored(session: SessionDep, workshop_id: str, event_id: str) -> EventResult | None:
    row = session.get(EventRow, (workshop_id, event_id))
    return EventResult.model_validate(row.result) if row is not None else None
