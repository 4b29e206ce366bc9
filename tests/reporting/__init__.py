"""Tiny hand-built problems and assignments for the reporting tests.

The workshop is in Asia/Shanghai, open Mon-Sat 08:00-18:00 with lunch 12:00-13:00;
planning starts on Monday 23 November 2026 at 08:00 unless a test says otherwise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.jobs import Job, JobStatus, Operation, PartsSituation
from scheduler.plan import OperationAssignment, WorkPiece
from scheduler.problem import Problem
from scheduler.workshop import Bay, EquipmentPool, PlanningSettings, Technician, Workshop

ZONE = ZoneInfo("Asia/Shanghai")


def at(hhmm: str, day: int = 23) -> datetime:
    """A wall-clock time in November 2026 (the 23rd is a Monday)."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime(2026, 11, day, hours, minutes, tzinfo=ZONE)


def workshop(**settings: Any) -> Workshop:
    return Workshop(
        id="W1",
        name="Riverside Motors",
        timezone="Asia/Shanghai",
        technicians=[
            Technician(id="T2", name="Zhang Min", team="B"),
            Technician(id="T1", name="Li Wei", team="A"),
        ],
        bays=[Bay(id="B1"), Bay(id="B2"), Bay(id="B3")],
        equipment=[EquipmentPool(id="RIG", name="alignment rig", count=1)],
        settings=PlanningSettings(**settings),
    )


def op(op_id: str, text: str = "", **fields: Any) -> Operation:
    return Operation(id=op_id, text=text, standard_minutes=fields.pop("standard_minutes", 60), **fields)


def job(job_id: str, *operations: Operation, **fields: Any) -> Job:
    fields.setdefault("status", JobStatus.ARRIVED)
    fields.setdefault("arrived_at", at("07:30") if fields["status"] is not JobStatus.BOOKED else None)
    return Job(id=job_id, operations=list(operations), **fields)


def problem(
    *jobs: Job,
    now: datetime | None = None,
    parts: PartsSituation | None = None,
    **settings: Any,
) -> Problem:
    return Problem(
        workshop=workshop(**settings),
        jobs=list(jobs),
        parts=parts or PartsSituation(),
        now=now or at("08:00"),
    )


def assign(
    job_id: str,
    op_id: str,
    start: datetime,
    end: datetime,
    *,
    tech: str | None = "T1",
    bay: str | None = "B1",
    pieces: list[tuple[datetime, datetime]] | None = None,
    **fields: Any,
) -> OperationAssignment:
    spans = pieces or [(start, end)]
    worked = sum(int((e - s).total_seconds() // 60) for s, e in spans)
    return OperationAssignment(
        job_id=job_id,
        operation_id=op_id,
        technician_id=tech,
        bay_id=bay,
        start=start,
        end=end,
        pieces=[WorkPiece(start=s, end=e) for s, e in spans],
        work_minutes=worked,
        **fields,
    )
