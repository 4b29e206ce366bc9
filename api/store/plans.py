"""Plan rows: versions, publication, history, wire views."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from api.db.models import PlanRow
from api.db.session import aware, utcnow
from api.schemas.convert import kpis_to_wire, plan_to_wire
from api.schemas.plans import PlanOut, PlanState, PlanStatus, PlanSummary
from scheduler.plan import Kpis, OperationAssignment, Plan


def create_plan(
    session: Session, workshop_id: str, trigger: str, engine: str | None, time_limit_seconds: float | None
) -> PlanRow:
    latest = session.scalar(select(func.max(PlanRow.version)).where(PlanRow.workshop_id == workshop_id))
    row = PlanRow(
        id=uuid.uuid4().hex,
        workshop_id=workshop_id,
        version=int(latest or 0) + 1,
        status=PlanStatus.QUEUED.value,
        state=PlanState.DRAFT.value,
        trigger=trigger[:200],
        engine=engine,
        time_limit_seconds=time_limit_seconds,
        stop_requested=False,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def publish(session: Session, row: PlanRow) -> None:
    """Make the plan the workshop's published one; the one before becomes superseded."""
    session.execute(
        update(PlanRow)
        .where(
            PlanRow.workshop_id == row.workshop_id,
            PlanRow.state == PlanState.PUBLISHED.value,
            PlanRow.id != row.id,
        )
        .values(state=PlanState.SUPERSEDED.value)
    )
    row.state = PlanState.PUBLISHED.value
    row.published_at = utcnow()


def published_plan(session: Session, workshop_id: str) -> PlanRow | None:
    query = select(PlanRow).where(
        PlanRow.workshop_id == workshop_id, PlanRow.state == PlanState.PUBLISHED.value
    )
    return session.scalar(query.order_by(PlanRow.version.desc()).limit(1))


def plan_row(session: Session, workshop_id: str, plan_id: str) -> PlanRow | None:
    row = session.get(PlanRow, plan_id)
    return row if row is not None and row.workshop_id == workshop_id else None


def history(session: Session, workshop_id: str, limit: int, offset: int) -> list[PlanRow]:
    query = select(PlanRow).where(PlanRow.workshop_id == workshop_id).order_by(PlanRow.version.desc())
    return list(session.scalars(query.limit(limit).offset(offset)))


def plan_summary(row: PlanRow) -> PlanSummary:
    result = row.result or {}
    return PlanSummary(
        id=row.id,
        workshop_id=row.workshop_id,
        version=row.version,
        status=PlanStatus(row.status),
        state=PlanState(row.state),
        trigger=row.trigger,
        engine=row.engine,
        time_limit_seconds=row.time_limit_seconds,
        created_at=aware(row.created_at),
        started_at=row.started_at and aware(row.started_at),
        finished_at=row.finished_at and aware(row.finished_at),
        published_at=row.published_at and aware(row.published_at),
        error=row.error,
        solve_status=result.get("solve", {}).get("status"),
        kpis=kpis_to_wire(Kpis.model_validate(result["kpis"])) if "kpis" in result else None,
    )


def plan_out(
    row: PlanRow,
    *,
    technician_id: str | None = None,
    bay_id: str | None = None,
    day: date | None = None,
    job_id: str | None = None,
    timezone: str = "UTC",
) -> PlanOut:
    plan = Plan.model_validate(row.result) if row.result else None
    if plan is not None and (technician_id or bay_id or day or job_id):
        plan = filter_plan(plan, PlanFilter(technician_id, bay_id, day, job_id), timezone)
    wire = plan_to_wire(plan) if plan is not None else None
    return PlanOut(**plan_summary(row).model_dump(), plan=wire)


@dataclass(frozen=True)
class PlanFilter:
    technician_id: str | None = None
    bay_id: str | None = None
    day: date | None = None
    job_id: str | None = None

    def keeps(self, a: OperationAssignment, zone: ZoneInfo) -> bool:
        on_day = (
            self.day is None or a.start.astimezone(zone).date() <= self.day <= a.end.astimezone(zone).date()
        )
        return (
            on_day
            and self.technician_id in (None, a.technician_id)
            and self.bay_id in (None, a.bay_id)
            and self.job_id in (None, a.job_id)
        )


def filter_plan(plan: Plan, only: PlanFilter, timezone: str) -> Plan:
    """The operations of one technician, bay, local day and/or job, with the forecasts of their jobs."""
    zone = ZoneInfo(timezone)
    operations = [a for a in plan.operations if only.keeps(a, zone)]
    jobs = {a.job_id for a in operations} | ({only.job_id} if only.job_id else set())
    return plan.model_copy(
        update={
            "operations": operations,
            "jobs": [j for j in plan.jobs if j.job_id in jobs],
            "unplanned": [u for u in plan.unplanned if u.job_id in jobs],
        }
    )
