"""One simulated day per policy and seed against a freshly started service; the report table."""

from __future__ import annotations

import os
import platform
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.simulation.changes import CHANGE_THRESHOLD, VISIBLE_HORIZON
from benchmarks.simulation.day import Policy, Result, Simulation
from benchmarks.simulation.service import Client, running_service

ENGINES = {Policy.REPLAN: "cp-sat", Policy.MORNING: "greedy", Policy.GREEDY: "greedy"}
"""The service's engine for re-plans; the morning plan of REPLAN and MORNING is CP-SAT."""


@dataclass(frozen=True)
class Setup:
    """What one benchmark run simulates, and with which solver budget."""

    technicians: int = 12
    jobs: int = 40
    seeds: tuple[int, ...] = (1, 2, 3)
    replan_seconds: float = 1.0
    morning_seconds: float = 10.0
    workers: int = 2
    policies: tuple[Policy, ...] = field(default=tuple(Policy))
    validate: bool = False
    """Check every plan fetched with `scheduler.plan_validator` (in the simulator, between calls)."""

    @property
    def command(self) -> str:
        return (
            f".venv/bin/python -m benchmarks.simulation --seeds {','.join(map(str, self.seeds))} "
            f"--technicians {self.technicians} --jobs {self.jobs} --replan-seconds {self.replan_seconds} "
            f"--morning-seconds {self.morning_seconds} --workers {self.workers}"
            + ("" if self.policies == tuple(Policy) else f" --policies {','.join(self.policies)}")
            + (" --validate" if self.validate else "")
        )


def simulate(policy: Policy, seed: int, setup: Setup) -> Result:
    morning = "greedy" if policy == Policy.GREEDY else "cp-sat"
    with running_service(
        ENGINES[policy], setup.replan_seconds, setup.morning_seconds, setup.workers
    ) as service:
        client = Client(service.url)
        try:
            simulation = Simulation(
                client,
                policy,
                seed,
                setup.technicians,
                setup.jobs,
                database_url=service.database_url if setup.validate else None,
                morning_engine=morning,
                morning_seconds=setup.morning_seconds,
            )
            return simulation.run()
        finally:
            client.close()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _median(results: list[Result], value: Callable[[Result], float]) -> float:
    return statistics.median(value(r) for r in results) if results else 0.0


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def validation_line(setup: Setup, results: list[Result]) -> list[str]:
    if not setup.validate:
        return ["- plans were not validated (run with `--validate` to check each one)"]
    validated = sum(r.plans_validated for r in results)
    violations = [f"{r.policy.value} seed {r.seed} at {v}" for r in results for v in r.violations]
    return [
        f"- plans validated with `scheduler.plan_validator`: {validated}, violations: {len(violations)}",
        *(f"  - {v}" for v in violations),
    ]


def caption(setup: Setup, results: list[Result]) -> list[str]:
    return [
        f"{setup.technicians} technicians × {setup.jobs} jobs, seeds {', '.join(map(str, setup.seeds))}; "
        f"re-plans limited to {setup.replan_seconds:g} s with {setup.workers} CP-SAT "
        f"worker{'s' if setup.workers != 1 else ''}, the morning plan to {setup.morning_seconds:g} s. "
        "Values are medians over the seeds; latencies are pooled over the seeds.",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.node()}, {cpu_model()}, {os.cpu_count()} CPUs, "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
        f"- command: `{setup.command}`",
        *validation_line(setup, results),
    ]


def kpi_rows(by_policy: dict[Policy, list[Result]]) -> list[str]:
    lines = [
        "| policy | promises kept | mean lateness (min) | worst lateness (min) | utilisation "
        "| overtime (min) | plan changes seen | per technician-day (worst) | plans | events "
        "| supplemental proposals | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for policy, rs in by_policy.items():
        worst_day = max(r.worst_technician_day for r in rs)
        lines.append(
            f"| {policy.value} | {_median(rs, lambda r: r.kept_share):.0%} "
            f"| {_median(rs, lambda r: r.mean_lateness):.0f} | {_median(rs, lambda r: r.worst_lateness):.0f} "
            f"| {_median(rs, lambda r: r.utilisation):.0%} | {_median(rs, lambda r: r.overtime_minutes):.0f} "
            f"| {_median(rs, lambda r: r.plan_changes):.0f} "
            f"| {_median(rs, lambda r: r.changes_per_technician_day):.1f} ({worst_day}) "
            f"| {_median(rs, lambda r: r.plans_seen):.0f} | {_median(rs, lambda r: r.events_sent):.0f} "
            f"| {_median(rs, lambda r: r.proposals):.0f} | {sum(len(r.errors) for r in rs)} |"
        )
    return lines


def day_rows(results: list[Result]) -> list[str]:
    days = {r.seed: r.day for r in results}
    return ["| seed | the day |", "|---|---|", *(f"| {seed} | {day} |" for seed, day in sorted(days.items()))]


def latency_rows(by_policy: dict[Policy, list[Result]]) -> list[str]:
    lines = ["| policy | endpoint | calls | p50 | p95 | p99 |", "|---|---|---|---|---|---|"]
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
    return lines


def definitions() -> list[str]:
    threshold = int(CHANGE_THRESHOLD.total_seconds() // 60)
    horizon = VISIBLE_HORIZON.total_seconds() / 3600
    return [
        "- **Policies.** bayplan-replan: the service re-plans with CP-SAT (from the published plan) on "
        "every event and the technicians follow the latest plan. morning-plan: Bayplan's morning plan "
        "(CP-SAT), never re-planned; new work (walk-ins, approved supplemental work, the sick technician's "
        "list) goes to the end of the list of the least-loaded qualified technician. greedy-dispatch: the "
        "service runs the greedy dispatcher on every event; the technicians follow the latest plan. "
        "In every policy an idle technician takes the first of their own operations, in plan order, that "
        "is ready (car there, predecessors done, parts, bay and lift free) — early if need be, but never "
        "a car the plan gives to a colleague first.",
        "- **The same day.** Every random fact is drawn before the policy plays, from its own stream "
        "keyed by seed and subject (`benchmarks/simulation/facts.py`); *The days* lists them. The sick "
        "technician is drawn among those whose skills (at their level) and certifications a colleague "
        "also has, so that the afternoon's work can still be done. What "
        "follows from them (when the sick technician is free to leave, when a lift with a car on it is "
        "taken down, when the found work is reported) depends on how the day unfolds. The day repeats "
        "exactly; the plans do not: CP-SAT under a time limit finds different plans from run to run, "
        "the more so on a busy machine, hence several seeds.",
        "- **Promises kept**: jobs done by their promise (moved to the new promise when supplemental work "
        "is approved) over jobs done; **lateness**: minutes past the promise, 0 when kept.",
        f"- **Plan changes seen**: between two consecutive plans a technician was shown, a not-yet-started "
        f"operation moved to another technician (noticed by the one losing it and the one getting it) or "
        f"its start moved by more than {threshold} minutes (noticed by its technician), counted only when "
        f"the work starts within the technician's next {horizon:g} hours, before or after the change, and "
        "the technician is at work. Morning plan: the sick technician's operations handed to others that "
        f"come within {horizon:g} hours of the receiver's queue. **Per technician-day**: changes seen over "
        "technicians × working days the simulation spanned (median over seeds; in brackets the most any "
        "one technician saw in one day, over all seeds).",
        "- **Utilisation**: minutes worked on operations over the first day's shift minutes; **overtime**: "
        "minutes worked outside shifts. A technician finishes the operation in hand before a break or "
        "going home (the plans pause it), so work through a break counts as overtime too.",
        "- **Plans**: distinct plan versions the technicians were shown; **events**: DMS events sent.",
        "- `GET /plan` is called with `wait_seconds` after each batch of events, so its latency includes "
        "the re-plan it waits for.",
    ]


def report(results: list[Result], setup: Setup) -> str:
    by_policy: dict[Policy, list[Result]] = defaultdict(list)
    for result in results:
        by_policy[result.policy].append(result)
    lines = [
        "# Simulated dealership day: Bayplan re-planning vs the morning plan vs the greedy dispatcher",
        "",
        *caption(setup, results),
        "",
        *kpi_rows(by_policy),
        "",
        "## The days (drawn once per seed, the same for every policy)",
        "",
        *day_rows(results),
        "",
        "## API latency (ms)",
        "",
        *latency_rows(by_policy),
        "",
        "## Definitions",
        "",
        *definitions(),
        "",
    ]
    return "\n".join(lines)


def write(text: str, path: Path) -> None:
    path.write_text(text, encoding="utf-8")
