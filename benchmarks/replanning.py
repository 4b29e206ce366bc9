"""How fast the service answers the front desk and the DMS; writes benchmarks/replanning.md.

    .venv/bin/python -m benchmarks.replanning [--technicians 40] [--jobs 120] [--seed 1] [--repetitions 5]

On a generated day (fixtures.generator), loaded into a service started in this
process (SQLite in a temporary folder, the solving pool, the service's own
settings: CP-SAT with the short re-plan time limit unless told otherwise), it
measures the wall time of

- a re-plan after one DMS event: POST one event (a car drives in), then wait
  until the re-plan it triggered is done;
- a promise quote: POST …/quotes;
- appointment slots: POST …/quotes/slots for the day on the 15-minute grid;
- a supplemental-work preview: POST …/jobs/{id}/supplemental (the approval's re-plan, made now).

Each is repeated and the median reported. Every published plan is checked by the
independent validator at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import Role, store_key
from api.db.models import PlanRow
from api.deps import Services
from api.settings import Settings
from api.store.jobs import save_job
from api.store.problem import build_problem
from api.store.workshops import create_workshop, parts_row, set_parts
from fixtures.generator import generate_problem
from scheduler.jobs import JobStatus
from scheduler.plan import Plan
from scheduler.plan_validator import validate_plan
from scheduler.problem import Problem
from scheduler.solve_settings import EngineChoice

RESULTS = Path(__file__).with_name("replanning.md")
KEY = "benchmark-admin"
HEADERS = {"Authorization": f"Bearer {KEY}"}
QUOTE_WORK = [{"labour_code": "OIL-EXP"}, {"labour_code": "BRK-PAD-F"}, {"labour_code": "QC-LANE"}]


@dataclass(frozen=True)
class Timing:
    what: str
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@contextmanager
def service(problem: Problem, settings: Settings) -> Iterator[tuple[TestClient, Services]]:
    """The app on a fresh SQLite database with the day loaded and its first plan published."""
    app = create_app(settings, clock=_Clock(problem.now))
    with TestClient(app, raise_server_exceptions=True) as client:
        services: Services = app.state.services
        workshop = problem.workshop
        with services.database.session() as session:
            store_key(session, KEY, name="benchmark", role=Role.ADMIN, workshop_id=workshop.id)
            create_workshop(session, workshop, None)
            for job in problem.jobs:
                save_job(session, workshop.id, job, workshop.timezone, None)
            set_parts(parts_row(session, workshop.id), problem.parts)
        services.solver.trigger(workshop.id, "benchmark day loaded", explicit=True)
        if not services.solver.wait_idle(workshop.id, settings.solve_time_limit_seconds + 120):
            raise SystemExit("the first plan did not finish")
        yield client, services


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    if response.status_code != status:
        raise SystemExit(
            f"{response.request.method} {response.request.url}: {response.status_code} {response.text}"
        )
    answer: dict[str, Any] = response.json()
    return answer


def _post(client: TestClient, url: str, body: dict[str, Any], status: int = 200) -> float:
    """Seconds until the answer is there."""
    began = time.perf_counter()
    _ok(client.post(url, json=body, headers=HEADERS), status)
    return time.perf_counter() - began


def replan_after_event(client: TestClient, base: str, job_id: str, n: int) -> float:
    """Seconds from sending one DMS event until the re-plan it triggered is done."""
    began = time.perf_counter()
    event = {"id": f"bench-{n}-{job_id}", "type": "vehicle.arrived", "job_id": job_id}
    result = _ok(client.post(f"{base}/events", json={"events": [event]}, headers=HEADERS))
    plan = _ok(client.get(f"{base}/plans/{result['plan_id']}", params={"wait_seconds": 30}, headers=HEADERS))
    if plan["status"] != "done":
        raise SystemExit(f"re-plan ended {plan['status']}: {plan.get('error')}")
    return time.perf_counter() - began


def bench(problem: Problem, settings: Settings, repetitions: int) -> tuple[list[Timing], dict[str, Any]]:
    workshop_id = problem.workshop.id
    base = f"/v1/workshops/{workshop_id}"
    booked = [j.id for j in problem.jobs if j.status == JobStatus.BOOKED]
    if len(booked) < repetitions:
        raise SystemExit(f"only {len(booked)} booked jobs for {repetitions} repetitions")
    day = problem.now.date().isoformat()
    timings: dict[str, list[float]] = {"replan": [], "quote": [], "slots": [], "preview": []}
    facts: dict[str, Any] = {}
    with service(problem, settings) as (client, services):
        for n in range(repetitions):
            timings["replan"].append(replan_after_event(client, base, booked[n], n))
            quote = {"work": QUOTE_WORK, "customer_waiting": True}
            timings["quote"].append(_post(client, f"{base}/quotes", quote))
            slots = {"work": QUOTE_WORK, "day": day, "slot_minutes": 15}
            timings["slots"].append(_post(client, f"{base}/quotes/slots", slots))
            supplemental = {"work": [{"labour_code": "BRK-PAD-R"}], "note": f"benchmark {n}"}
            target = f"{base}/jobs/{booked[-1 - n]}/supplemental"
            timings["preview"].append(_post(client, target, supplemental, 201))
        services.solver.wait_idle(workshop_id, 60)
        facts["plans"] = len(
            _ok(client.get(f"{base}/plans", params={"limit": 500}, headers=HEADERS))["items"]
        )
        facts["violations"] = _check(services, workshop_id, problem.now)
    labels = {
        "replan": "re-plan after one DMS event (event sent → new plan done)",
        "quote": "promise quote (POST …/quotes)",
        "slots": "appointment slots of the day, 15-minute grid (POST …/quotes/slots)",
        "preview": "supplemental-work preview (POST …/jobs/{id}/supplemental)",
    }
    return [Timing(labels[k], v) for k, v in timings.items()], facts


def _check(services: Services, workshop_id: str, now: datetime) -> int:
    """Violations the independent validator finds in the published plan."""
    with services.database.session() as session:
        row = (
            session.query(PlanRow)
            .filter(PlanRow.workshop_id == workshop_id, PlanRow.state == "published")
            .one()
        )
        plan = Plan.model_validate(row.result)
        problem = build_problem(session, workshop_id, now)
    violations = validate_plan(problem, plan)
    for violation in violations[:5]:
        print(f"  {violation.rule}: {violation.message}")
    return len(violations)


def render(timings: list[Timing], facts: dict[str, Any], args: argparse.Namespace, settings: Settings) -> str:
    lines = [
        f"## Front desk and re-planning speed ({date.today().isoformat()})",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores. Generated day: "
        f"{args.technicians} technicians, {args.jobs} jobs, seed {args.seed} (fixtures.generator), "
        f"seen at 07:30. Service settings: engine {settings.solve_engine.value}, re-plan time limit "
        f"{settings.replan_time_limit_seconds:g} s, {settings.solve_workers} CP-SAT workers, SQLite, "
        f"requests through the app in-process (FastAPI TestClient), {args.repetitions} repetitions.",
        "",
        "| what | median s | min s | max s |",
        "|---|---|---|---|",
    ]
    for t in timings:
        lines.append(f"| {t.what} | {t.median:.2f} | {min(t.seconds):.2f} | {max(t.seconds):.2f} |")
    lines += [
        "",
        f"Plans made: {facts['plans']}; validator violations in the final published plan: "
        f"{facts['violations']}.",
        "",
        "The re-plan time is from sending the event to the new plan being done (and published), the "
        "solve's own time limit included. Quotes, slots and previews are answered in the request: "
        "quotes and slots with the greedy dispatcher around the pinned published plan, previews with "
        "the re-plan's own engine and time limit.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--technicians", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=120)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--engine", choices=[e.value for e in EngineChoice], default=None)
    parser.add_argument("--replan-time-limit", type=float, default=None)
    parser.add_argument("--first-plan-time-limit", type=float, default=10.0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    problem = generate_problem(args.technicians, None, args.jobs, days=1, seed=args.seed)
    with tempfile.TemporaryDirectory() as folder:
        values: dict[str, Any] = {
            "database_url": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
            "solve_time_limit_seconds": args.first_plan_time_limit,
        }
        if args.engine:
            values["solve_engine"] = EngineChoice(args.engine)
        if args.replan_time_limit:
            values["replan_time_limit_seconds"] = args.replan_time_limit
        settings = Settings(**values)
        timings, facts = bench(problem, settings, args.repetitions)
    text = render(timings, facts, args, settings)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 1 if facts["violations"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
