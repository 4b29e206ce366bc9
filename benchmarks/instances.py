"""The dealership-day benchmark instances, stored with their reference plans and lower bounds.

Each instance is a generated day (fixtures.generator) written once to
benchmarks/instances/dealership/<size>-s<seed>.problem.json.gz, so that results are compared
on the same day whatever the generator becomes. Beside it, <name>.reference.json.gz holds the
best plan a long run found (checked by the independent validator), how it was made, and the
day's lower bound: the larger of CP-SAT's bound in that run and the job-alone bound
(solver/bounds.py).
"""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from fixtures.generator import generate_problem
from scheduler.plan import Plan
from scheduler.problem import Problem

FOLDER = Path(__file__).with_name("instances") / "dealership"
SIZES = ("10x30", "20x60", "40x120", "80x250")
SEEDS = (1, 2, 3)


class Reference(BaseModel):
    """The best plan known for an instance and the bound it is measured against."""

    model_config = ConfigDict(extra="forbid")

    objective: float
    lower_bound: float
    cp_sat_bound: float | None
    job_alone_bound: float
    time_limit_seconds: float
    workers: int
    made_on: date
    machine: str
    ortools: str
    plan: Plan


def instance_name(size: str, seed: int) -> str:
    return f"{size}-s{seed}"


def _read(path: Path) -> str:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return stream.read()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same content gives the same bytes, so a rewrite shows no change in git.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as stream:
        stream.write(text.encode("utf-8"))


def load_instance(size: str, seed: int) -> Problem:
    """The stored day; generated and stored on first use."""
    path = FOLDER / f"{instance_name(size, seed)}.problem.json.gz"
    if path.exists():
        return Problem.model_validate_json(_read(path))
    technicians, jobs = (int(x) for x in size.split("x"))
    problem = generate_problem(technicians=technicians, bays=None, jobs=jobs, days=1, seed=seed)
    _write(path, problem.model_dump_json())
    return problem


def reference_path(size: str, seed: int) -> Path:
    return FOLDER / f"{instance_name(size, seed)}.reference.json.gz"


def load_reference(size: str, seed: int) -> Reference | None:
    path = reference_path(size, seed)
    return Reference.model_validate_json(_read(path)) if path.exists() else None


def save_reference(size: str, seed: int, reference: Reference) -> None:
    _write(reference_path(size, seed), reference.model_dump_json())
