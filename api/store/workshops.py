"""Workshops and their parts situation."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import PartsRow, WorkshopRow
from api.db.session import aware, utcnow
from api.schemas.convert import parts_to_wire, workshop_to_wire
from api.schemas.workshops import PartsOut, WorkshopOut, WorkshopSummary
from scheduler.jobs import PartsSituation
from scheduler.workshop import Workshop


def workshop_of(row: WorkshopRow) -> Workshop:
    return Workshop.model_validate(row.config)


def set_workshop(row: WorkshopRow, workshop: Workshop) -> None:
    row.config = workshop.model_dump(mode="json")
    row.updated_at = utcnow()


def create_workshop(session: Session, workshop: Workshop, group_id: str | None) -> WorkshopRow:
    now = utcnow()
    row = WorkshopRow(
        id=workshop.id,
        group_id=group_id,
        config=workshop.model_dump(mode="json"),
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()  # the parts row refers to it
    session.add(
        PartsRow(workshop_id=workshop.id, data=PartsSituation().model_dump(mode="json"), updated_at=now)
    )
    session.flush()
    return row


def parts_row(session: Session, workshop_id: str) -> PartsRow:
    row = session.get(PartsRow, workshop_id)
    if row is None:  # pragma: no cover - created with the workshop
        row = PartsRow(
            workshop_id=workshop_id, data=PartsSituation().model_dump(mode="json"), updated_at=utcnow()
        )
        session.add(row)
        session.flush()
    return row


def parts_of(row: PartsRow) -> PartsSituation:
    return PartsSituation.model_validate(row.data)


def set_parts(row: PartsRow, parts: PartsSituation) -> None:
    row.data = parts.model_dump(mode="json")
    row.updated_at = utcnow()


def visible_workshops(session: Session, workshop_id: str | None, group_id: str | None) -> list[WorkshopRow]:
    query = select(WorkshopRow).order_by(WorkshopRow.id)
    if workshop_id is not None:
        query = query.where(WorkshopRow.id == workshop_id)
    else:
        query = query.where(WorkshopRow.group_id == group_id)
    return list(session.scalars(query))


def workshop_out(row: WorkshopRow) -> WorkshopOut:
    return workshop_to_wire(
        workshop_of(row), group_id=row.group_id, version=row.version, updated_at=aware(row.updated_at)
    )


def parts_out(row: PartsRow) -> PartsOut:
    return parts_to_wire(parts_of(row), version=row.version)


def workshop_summary(row: WorkshopRow) -> WorkshopSummary:
    return WorkshopSummary(
        id=row.id, name=str(row.config.get("name", "")), group_id=row.group_id, version=row.version
    )
