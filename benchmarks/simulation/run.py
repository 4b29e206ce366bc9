"""One simulated day per policy and seed against a freshly started service; the report table."""

from __future__ import annotations

import os
import platform
import statistics
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.simulation.day import Policy, Result, Simulation
from benchmarks.simulation.service import Client, running_service

ENGINES = {Policy.REPLAN: "cp-sat", Policy.MORNING: "greedy", Policy.GREEDY: "greedy"}
"""The service's engine for re-plans; the morning plan of REPLAN and MORNING is CP-SAT."""


def simulate(
    policy: Policy,
    seed: int,
    technicians: int,
    jobs: int,
    *,
    replan_seconds: float = 1.0,
    morning_seconds: float = 10.0,
    validate: bool = False,
) -> Result:
    engine = ENGINES[policy]
    morning = "greedy" if policy == Policy.GREEDY else "cp-sat"
    with running_service(engine, replan_seconds, morning_seconds) as service:
        client = Client(service.url)
        try:
            simulation = Simulation(
                client,
                policy,
                seed,
                technicians,
                jobs,
                database_url=service.database_url if validate else None,
                morning_engine=morning,
                morning_seconds=morning_seconds,
            )
            return simulation.run()
        finally:
            client.close()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def report(results: list[Result], seeds: list[int], technicians: int, jobs: int, seconds: float) -> str:
    by_policy: dict[Policy, list[Result]] = defaultdict(list)
    for result in results:
        by_policy[result.policy].append(result)
    lines = [
        "# Simulated dealership day: Bayplan re-planning vs the morning plan vs the greedy dispatcher",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.node()} / {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}",
        f"- seeds: {', '.join(map(str, seeds))}; {technicians} technicians, {jobs} jobs; "
        f"re-plan time limit {seconds} s (CP-SAT, 1 worker)",
        "- values are medians over the seeds; latencies are pooled over the seeds",
        "- command: `.venv/bin/python -m benchmarks.simulation "
        f"--seeds {','.join(map(str, seeds))} --technicians {technicians} --jobs {jobs} "
        f"--replan-seconds {seconds}` (see the date line for the morning plan's limit in the log)",
        "",
        "| policy | promises kept | mean lateness (min) | worst lateness (min) | utilisation "
        "| overtime (min) | plan changes seen | plans | events | errors |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for policy, rs in by_policy.items():
        lines.append(
            f"| {policy.value} | {_median([r.kept_share for r in rs]):.0%} "
            f"| {_median([r.mean_lateness for r in rs]):.0f} | {_median([r.worst_lateness for r in rs]):.0f} "
            f"| {_median([r.utilisation for r in rs]):.0%} | {_median([r.overtime_minutes for r in rs]):.0f} "
            f"| {_median([float(r.plan_changes) for r in rs]):.0f} "
            f"| {_median([float(r.plans_seen) for r in rs]):.0f} "
            f"| {_median([float(r.events_sent) for r in rs]):.0f} | {sum(len(r.errors) for r in rs)} |"
        )
    lines += [
        "",
        "## API latency (ms)",
        "",
        "| policy | endpoint | calls | p50 | p95 | p99 |",
        "|---|---|---|---|---|---|",
    ]
    for policy, rs in by_policy.items():
        pooled: dict[str, list[float]] = defaultdict(list)
        for r in rs:
            for endpoint, values in r.latencies.items():
                pooled[endpoint] += values
        for endpoint in sorted(pooled):
            v = pooled[endpoint]
            lines.append(
                f"| {policy.value} | `{endpoint}` | {len(v)} "
                f"| {_pct(v, 0.5):.0f} | {_pct(v, 0.95):.0f} | {_pct(v, 0.99):.0f} |"
            )
    lines += [
        "",
        "Notes: `GET /plan` is called with `wait_seconds`, so its latency includes the re-plan it waits for.",
        "Plan changes: not-yet-started operations whose technician or start changed between consecutive",
        "plans",
        "(morning plan: operations the simulator re-assigned when the technician went home).",
        "Utilisation: worked minutes over the first day's shift minutes;",
        "overtime: worked minutes outside shifts.",
        "",
    ]
    return "\n".join(lines)


def write(text: str, path: Path) -> None:
    path.write_text(text, encoding="utf-8")
