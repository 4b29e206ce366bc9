"""The day's random facts: drawn up front, per subject, the same whatever the policy."""

from __future__ import annotations

import statistics

import pytest

from benchmarks.simulation.day import Policy, Simulation
from benchmarks.simulation.facts import (
    DURATION_SPREAD,
    NO_SHOW_SHARE,
    DayFacts,
    Decision,
    can_find_work,
    draw_day,
    replaceable,
)
from benchmarks.simulation.service import Client
from fixtures.generator import generate_problem
from scheduler.problem import Problem

SEEDS = range(1, 6)


def realistic_day(seed: int) -> Problem:
    return generate_problem(12, None, 40, 1, seed)


@pytest.fixture(scope="module")
def days() -> list[tuple[Problem, DayFacts]]:
    problems = [realistic_day(seed) for seed in SEEDS]
    return [(problem, draw_day(problem, seed)) for seed, problem in zip(SEEDS, problems, strict=True)]


def test_every_policy_is_given_the_same_day() -> None:
    client = Client("http://127.0.0.1:9")  # never called: the day is drawn before anything is sent
    try:
        facts = [Simulation(client, policy, 4, 6, 16).facts for policy in Policy]
    finally:
        client.close()
    assert facts[0] == facts[1] == facts[2]
    assert facts[0] == draw_day(generate_problem(6, None, 16, 1, 4), 4)
    assert facts[0] != draw_day(generate_problem(6, None, 16, 1, 4), 5)


def test_a_jobs_facts_do_not_depend_on_the_other_jobs() -> None:
    problem = realistic_day(7)
    fewer = problem.model_copy(update={"jobs": list(reversed(problem.jobs[5:]))})
    full, part = draw_day(problem, 7), draw_day(fewer, 7)
    kept = {job.id for job in fewer.jobs}
    assert {j: a for j, a in full.arrivals.items() if j in kept} == part.arrivals
    assert {j: f for j, f in full.findings.items() if j in kept} == part.findings
    assert {k: s for k, s in full.scatter.items() if k[0] in kept} == part.scatter


def test_the_days_have_the_briefs_proportions(days: list[tuple[Problem, DayFacts]]) -> None:
    arrivals = [a for _, facts in days for a in facts.arrivals.values()]
    no_shows = sum(a.no_show for a in arrivals) / len(arrivals)
    assert NO_SHOW_SHARE - 0.05 < no_shows < NO_SHOW_SHARE + 0.05
    assert any(a.at is not None and a.late_minutes > 30 for a in arrivals)
    assert any(a.at is not None and a.late_minutes < 0 for a in arrivals)
    eligible = sum(
        can_find_work(job, facts.arrivals.get(job.id)) for problem, facts in days for job in problem.jobs
    )
    findings = [f for _, facts in days for f in facts.findings.values()]
    assert 0.15 < len(findings) / eligible < 0.35
    decisions = [f.decision for f in findings]
    assert decisions.count(Decision.APPROVE) > len(decisions) / 2
    assert Decision.DECLINE in decisions or Decision.DEFER in decisions
    scatter = [s for _, facts in days for s in facts.scatter.values()]
    assert statistics.mean(scatter) == pytest.approx(1.0, abs=0.03)
    assert statistics.stdev(scatter) == pytest.approx(DURATION_SPREAD, abs=0.04)


def test_findings_only_where_every_policy_can_report_them(days: list[tuple[Problem, DayFacts]]) -> None:
    for problem, facts in days:
        jobs = {job.id: job for job in problem.jobs}
        for job_id in facts.findings:
            arrival = facts.arrivals.get(job_id)
            assert arrival is None or not arrival.no_show
            assert sum(op.crew_size for op in jobs[job_id].operations if op.plannable) >= 2


def test_the_sick_technician_leaves_every_skill_level_covered(days: list[tuple[Problem, DayFacts]]) -> None:
    for problem, facts in days:
        sick = problem.workshop.technician(facts.sick.resource_id)
        assert sick is not None and facts.sick.at.hour == 12
        colleagues = [t for t in problem.workshop.technicians if t.id != sick.id]
        for grade in sick.skills:
            levels = [g.level for t in colleagues if (g := t.grade(grade.skill)) is not None]
            assert max(levels, default=0) >= grade.level, f"{sick.id} alone has {grade.skill} {grade.level}"


def test_the_only_technician_with_a_skill_level_is_not_replaceable() -> None:
    technicians = list(realistic_day(1).workshop.technicians)
    alone = [t for t in technicians if not replaceable(t, technicians)]
    assert alone and len(alone) < len(technicians)
    for technician in alone:
        colleagues = [t for t in technicians if t.id != technician.id]
        assert any(
            all((g := c.grade(grade.skill)) is None or g.level < grade.level for c in colleagues)
            for grade in technician.skills
        ) or not set(technician.certifications) <= {x for c in colleagues for x in c.certifications}
