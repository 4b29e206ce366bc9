"""A short simulated day against the real service (`python -m api` on loopback): the two agree.

Each policy plays the same short day (4 technicians, 12 jobs): no HTTP error, every job ends
done or cancelled in the service as in the simulator, every plan fetched passes the independent
validator, and the random facts applied are exactly the ones drawn for the day. One test per
policy, so that each day is simulated once, also when the suite runs on several workers.
"""

from __future__ import annotations

import pytest

from benchmarks.simulation.day import Policy, Result
from benchmarks.simulation.facts import DayFacts, Decision, draw_day
from benchmarks.simulation.run import Setup, simulate
from fixtures.generator import generate_problem
from scheduler.problem import Problem

SHORT_DAY = Setup(
    technicians=4, jobs=12, seeds=(2,), replan_seconds=0.3, morning_seconds=2.0, workers=1, validate=True
)
"""Seed 2: no-shows, a car over 30 minutes late, a walk-in, an approval and a refusal, a late delivery."""
SEED = SHORT_DAY.seeds[0]


def expected_facts(problem: Problem, facts: DayFacts) -> set[str]:
    """The facts a simulation of this day must apply, in `Simulation.applied`'s words."""
    expected = {f"sick {facts.sick.resource_id}"}
    if facts.lift_failure is not None:
        expected.add(f"lift down {facts.lift_failure.resource_id}")
    for job in problem.jobs:
        arrival = facts.arrivals.get(job.id)
        if arrival is not None and arrival.at is None:
            expected.add(f"no-show {job.id}")
            continue
        if arrival is not None and arrival.at is not None:
            expected.add(f"arrival {job.id} {arrival.at:%d %H:%M}" + (" walk-in" if arrival.walk_in else ""))
        expected |= {
            f"duration {job.id}/{op.id} x{facts.scatter[(job.id, op.id)]:.4f}"
            for op in job.operations
            if op.plannable
        }
        finding = facts.findings.get(job.id)
        if finding is not None:
            expected.add(f"finding {job.id} {finding.minutes} min {finding.decision}")
            if finding.decision == Decision.APPROVE:
                expected.add(f"duration {job.id}/{job.id}-S1 x{finding.scatter:.4f}")
    return expected


def assert_no_http_error(result: Result) -> None:
    assert result.errors == []
    assert result.events_sent > 0


def assert_jobs_closed_alike(result: Result) -> None:
    assert set(result.final_states) == set(result.sim_states), "the service knows every job, walk-ins too"
    agreeing = {"done": {"done", "delivered"}, "cancelled": {"cancelled", "no_show"}}
    disagreements = {
        job: (sim, result.final_states[job])
        for job, sim in result.sim_states.items()
        if result.final_states[job] not in agreeing.get(sim, set())
    }
    assert disagreements == {}


def assert_plans_valid(result: Result) -> None:
    assert result.plans_validated == result.plans_seen
    if result.policy == Policy.MORNING:
        assert result.plans_seen == 1, "the morning plan is never re-planned"
    else:
        assert result.plans_seen > 1, "every event brings a new plan"
    assert result.violations == []


def assert_day_as_drawn(result: Result) -> None:
    problem = generate_problem(SHORT_DAY.technicians, None, SHORT_DAY.jobs, 1, SEED)
    facts = draw_day(problem, SEED)
    assert len(facts.findings) >= 2 and any(a.no_show for a in facts.arrivals.values())
    parts = {fact for fact in result.facts_applied if fact.startswith("parts ")}
    assert result.facts_applied - parts == expected_facts(problem, facts)
    assert parts <= {f"parts {d.part_number} x{d.quantity} {d.arrives:%d %H:%M}" for d in facts.deliveries}
    assert result.proposals == len(facts.findings)


@pytest.mark.parametrize("policy", list(Policy))
def test_a_short_day_runs_clean_and_as_drawn(policy: Policy) -> None:
    result = simulate(policy, SEED, SHORT_DAY)
    assert_no_http_error(result)
    assert_jobs_closed_alike(result)
    assert set(result.sim_states.values()) == {"done", "cancelled"}
    assert_plans_valid(result)
    assert_day_as_drawn(result)
