"""Tiny hand-made problems for the solver tests."""

from __future__ import annotations

from typing import Any

from scheduler.problem import Problem

NOW = "2026-11-23T07:30:00+08:00"


def technician(tech_id: str, skills: dict[str, int], **extra: Any) -> dict[str, Any]:
    return {
        "id": tech_id,
        "name": tech_id,
        "team": extra.pop("team", "A"),
        "skills": [{"skill": s, "level": level} for s, level in skills.items()],
        **extra,
    }


def operation(op_id: str, minutes: int, skill: str | None = "maintenance", **extra: Any) -> dict[str, Any]:
    return {"id": op_id, "standard_minutes": minutes, "skill": skill, **extra}


def job(job_id: str, operations: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"id": job_id, "operations": operations, **extra}


def problem(
    technicians: list[dict[str, Any]],
    jobs: list[dict[str, Any]],
    bays: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> Problem:
    workshop: dict[str, Any] = {
        "id": "tiny",
        "timezone": "Asia/Shanghai",
        "technicians": technicians,
        "bays": bays if bays is not None else [{"id": "B1"}, {"id": "B2"}],
        "lifts": extra.pop("lifts", []),
        "equipment": extra.pop("equipment", []),
        "settings": extra.pop("settings", {"horizon_days": 1}),
    }
    workshop.update(extra.pop("workshop", {}))
    return Problem.model_validate({"workshop": workshop, "jobs": jobs, "now": extra.pop("now", NOW), **extra})
