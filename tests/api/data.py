"""Tiny workshops and jobs for the API tests (a Monday in Shanghai, before opening)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

NOW = datetime.fromisoformat("2026-11-23T07:30:00+08:00")


def workshop(workshop_id: str = "w1", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": workshop_id,
        "name": f"Workshop {workshop_id}",
        "timezone": "Asia/Shanghai",
        "technicians": [
            {"id": "T1", "name": "Li", "skills": [{"skill": "maintenance", "level": 2}]},
            {
                "id": "T2",
                "name": "Wu",
                "skills": [{"skill": "maintenance", "level": 1}, {"skill": "brakes_chassis", "level": 2}],
            },
        ],
        "bays": [{"id": "B1"}, {"id": "B2"}],
        "settings": {"horizon_days": 1},
    }
    body.update(extra)
    return body


def operation(
    op_id: str = "10", minutes: int = 60, skill: str = "maintenance", **extra: Any
) -> dict[str, Any]:
    return {"id": op_id, "standard_minutes": minutes, "skill": skill, **extra}


def job(job_id: str = "RO-1", operations: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": job_id,
        "vehicle": {"vin": "LSVAU2180N2183321", "model": "Lavida"},
        "appointment_at": "2026-11-23T08:00:00+08:00",
        "promised_at": "2026-11-23T17:00:00+08:00",
        "operations": operations or [operation()],
        **extra,
    }


def without_id(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "id"}
