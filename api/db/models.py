"""The tables. Domain objects are stored as JSON documents next to the columns queries need."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

Document = dict[str, Any]


class Base(DeclarativeBase):
    type_annotation_map = {Document: JSON, datetime: DateTime(timezone=True)}  # noqa: RUF012


class WorkshopRow(Base):
    __tablename__ = "workshops"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    group_id: Mapped[str | None] = mapped_column(String(64), index=True)
    config: Mapped[Document]
    """The domain Workshop as JSON."""
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PartsRow(Base):
    __tablename__ = "parts"

    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[Document]
    """The domain PartsSituation as JSON."""
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class JobRow(Base):
    __tablename__ = "jobs"

    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    day: Mapped[date | None] = mapped_column(Date, index=True)
    """Local day of the job in the workshop: appointment, arrival or promise, whichever is known first."""
    data: Mapped[Document]
    """The domain Job as JSON."""
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class EventRow(Base):
    __tablename__ = "events"

    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[Document]
    result: Mapped[Document]
    """The answer given when the event was applied, returned again on a replay."""
    received_at: Mapped[datetime]


class PlanRow(Base):
    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("workshop_id", "version", name="uq_plans_workshop_version"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    """1, 2, 3, ... per workshop, in the order solves were asked for."""
    status: Mapped[str] = mapped_column(String(16), index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    trigger: Mapped[str] = mapped_column(String(200))
    engine: Mapped[str | None] = mapped_column(String(16))
    time_limit_seconds: Mapped[float | None] = mapped_column(Float)
    stop_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    result: Mapped[Document | None]
    """The best domain Plan found so far, as JSON."""
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    improved_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]


class SupplementalRow(Base):
    """Supplemental work found during a job (追加维修项目): proposal, preview, the customer's answer."""

    __tablename__ = "supplemental_work"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)
    request: Mapped[Document]
    """The work items and parts as asked for."""
    operation_ids: Mapped[list[str]] = mapped_column(JSON)
    preview: Mapped[Document]
    """What the change does to the plan, as shown before the answer."""
    based_on_plan_version: Mapped[int | None] = mapped_column(Integer)
    plan_id: Mapped[str | None] = mapped_column(String(36))
    plan_version: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str | None] = mapped_column(String(32))
    decided_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ApiKeyRow(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 of the key; the key itself is never stored."""
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    workshop_id: Mapped[str | None] = mapped_column(String(64), index=True)
    group_id: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
