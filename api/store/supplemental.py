"""Supplemental work proposals: stored with their preview; the customer's answer changes the job."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import SupplementalRow
from api.db.session import aware, utcnow
from api.schemas.supplemental import DecisionOut, MovedJobOut, PreviewOut, SupplementalOut
from scheduler.jobs import Approval, Job, PartDelivery, PartsSituation, PartStock
from solver.quotes import PartNeed
from solver.supplemental import SupplementalPreview


def preview_out(preview: SupplementalPreview) -> PreviewOut:
    return PreviewOut(
        promised_at=preview.promised_at,
        predicted_completion_before=preview.completion_before,
        predicted_completion=preview.completion_after,
        delay_minutes=preview.delay_minutes,
        new_promise_at=preview.new_promise_at,
        moved_jobs=[
            MovedJobOut(
                job_id=m.job_id,
                completion_before=m.completion_before,
                completion_after=m.completion_after,
                delta_minutes=m.delta_minutes,
            )
            for m in preview.moved_jobs
        ],
    )


def create_proposal(
    session: Session,
    workshop_id: str,
    job_id: str,
    *,
    request: dict[str, object],
    note: str,
    operation_ids: Sequence[str],
    preview: PreviewOut,
    plan_version: int | None,
    key_id: str,
) -> SupplementalRow:
    row = SupplementalRow(
        id=f"S-{uuid.uuid4().hex[:16]}",
        workshop_id=workshop_id,
        job_id=job_id,
        status=Approval.PENDING.value,
        note=note,
        request=request,
        operation_ids=list(operation_ids),
        preview=preview.model_dump(mode="json"),
        based_on_plan_version=plan_version,
        created_by=key_id,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def proposals(session: Session, workshop_id: str, job_id: str) -> list[SupplementalRow]:
    query = select(SupplementalRow).where(
        SupplementalRow.workshop_id == workshop_id, SupplementalRow.job_id == job_id
    )
    return list(session.scalars(query.order_by(SupplementalRow.created_at, SupplementalRow.id)))


def proposal(
    session: Session, workshop_id: str, job_id: str, proposal_id: str, *, for_update: bool = False
) -> SupplementalRow | None:
    query = select(SupplementalRow).where(
        SupplementalRow.id == proposal_id,
        SupplementalRow.workshop_id == workshop_id,
        SupplementalRow.job_id == job_id,
    )
    return session.scalar(query.with_for_update() if for_update else query)


def proposal_out(row: SupplementalRow) -> SupplementalOut:
    return SupplementalOut.model_validate(
        {
            **row.preview,
            "id": row.id,
            "job_id": row.job_id,
            "status": row.status,
            "operation_ids": row.operation_ids,
            "note": row.note,
            "based_on_plan_version": row.based_on_plan_version,
            "created_at": aware(row.created_at),
            "decided_at": row.decided_at and aware(row.decided_at),
            "plan_id": row.plan_id,
            "plan_version": row.plan_version,
        }
    )


def decision_out(row: SupplementalRow) -> DecisionOut:
    return DecisionOut.model_validate(
        {"id": row.id, "status": row.status, "plan_id": row.plan_id, "plan_version": row.plan_version}
    )


def decide(row: SupplementalRow, decision: Approval, key_id: str, when: datetime | None = None) -> None:
    row.status = decision.value
    row.decided_at = when or utcnow()
    row.decided_by = key_id


def with_approval(job: Job, operation_ids: Sequence[str], approval: Approval) -> Job:
    wanted = set(operation_ids)
    operations = [
        op.model_copy(update={"approval": approval}) if op.id in wanted else op for op in job.operations
    ]
    return job.model_copy(update={"operations": operations})


def ordered_parts(parts: PartsSituation, needs: Sequence[PartNeed], jobs: Sequence[Job]) -> PartsSituation:
    """The parts situation with the parts ordered for the work (those with an eta) on their way.

    A part number nobody tracked was always there for the other jobs: it becomes tracked with
    what they need on hand, so that only the new work waits for the delivery.
    """
    ordered = [n for n in needs if n.eta is not None]
    if not ordered:
        return parts
    stock = list(parts.stock)
    for number in sorted({n.part_number for n in ordered}):
        if not parts.tracked(number):
            demand = sum(
                line.quantity
                for job in jobs
                for op in job.operations
                if op.plannable
                for line in op.parts
                if line.part_number == number
            )
            stock.append(PartStock(part_number=number, on_hand=demand))
    deliveries = [
        *parts.deliveries,
        *(PartDelivery(part_number=n.part_number, quantity=n.quantity, eta=n.eta) for n in ordered if n.eta),
    ]
    return PartsSituation(stock=stock, deliveries=deliveries)
