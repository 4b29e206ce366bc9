"""Neighbourhood rounds: a round's answer is a valid whole-day plan and never worse than its start."""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime

import pytest

from benchmarks.instances import load_instance
from fixtures.generator import generate_problem
from scheduler.plan import Engine, Plan, SolveStatus
from scheduler.plan_validator import validate_plan
from scheduler.solve_settings import SolverSettings
from solver.cpsat.lns import (
    NEIGHBOURHOODS,
    Incumbent,
    _a_costly_job,
    _Search,
    around_a_late_job,
    restricted,
    widened,
)
from solver.cpsat.model import _round_solve
from solver.evaluate import evaluate_terms, weighted_total
from solver.greedy import greedy_solution
from solver.instance import Instance, compile_problem, minutes_late
from solver.planner import _plan, make_plan
from solver.solution import Placement, Solution
from tests.solver import tiny_problems as tiny


@pytest.mark.parametrize("seed", [1, 2])
def test_rounds_only_improve_and_plans_stay_valid(seed: int) -> None:
    problem = generate_problem(technicians=6, bays=7, jobs=16, days=1, seed=seed)
    greedy = make_plan(problem, SolverSettings(engine="greedy"))
    # Rounds alone: the whole model gets a sliver of the time and one worker.
    settings = SolverSettings(time_limit_seconds=4, workers=1, seed=seed, whole_model_share=0.05)
    plan = make_plan(problem, settings)
    assert not validate_plan(problem, plan)
    assert plan.solve.objective is not None and greedy.solve.objective is not None
    assert plan.solve.objective < greedy.solve.objective


def test_a_restricted_round_keeps_everything_outside_the_slice() -> None:
    problem = generate_problem(technicians=6, bays=7, jobs=16, days=1, seed=3)
    instance = compile_problem(problem)
    incumbent = greedy_solution(instance)
    search = _Search(instance, Incumbent(incumbent, 0.0), seed=5)
    for choose in NEIGHBOURHOODS:
        freed = choose(search)
        sub, hint, freed = restricted(instance, incumbent, freed)
        assert freed, choose.__name__
        # The hint, read back on the full instance, is the incumbent itself.
        back = widened(instance, sub, hint, incumbent, freed)
        assert back.placements == incumbent.placements
        assert weighted_total(instance, evaluate_terms(instance, back)) == weighted_total(
            instance, evaluate_terms(instance, incumbent)
        )


def test_held_work_may_end_sooner_in_a_round_and_the_whole_plan_follows() -> None:
    """A held operation that paused overnight may finish in overtime instead; the morning slot it
    frees must then be free in the whole plan too (a round once kept the old end: double booking)."""
    problem = tiny.problem(
        [tiny.technician("T1", {"maintenance": 2})],
        [
            tiny.job("J1", [tiny.operation("A", 120)]),
            tiny.job(
                "J2",
                [tiny.operation("B", 60)],
                appointment_at="2026-11-24T08:00:00+08:00",
                promised_at="2026-11-24T09:00:00+08:00",
            ),
        ],
        bays=[{"id": "B1"}, {"id": "B2"}],
        settings={"horizon_days": 2},
    )
    instance = compile_problem(problem)
    point = instance.axis.release_point
    a, b = instance.ops
    incumbent = Solution()
    # A from 17:00, paused overnight, done at 09:00; B after it, an hour late.
    monday_five = point(at("2026-11-23T17:00"))
    incumbent.placements[a.index] = Placement(a.index, 0, 0, monday_five, point(at("09:00")))
    incumbent.placements[b.index] = Placement(b.index, 0, 1, point(at("09:00")), point(at("10:00")))
    before = make_plan_of(instance, incumbent)
    assert not validate_plan(problem, before)

    sub, hint, freed = restricted(instance, incumbent, {b.index})
    assert freed == {b.index}
    found = _round_solve(SolverSettings(seed=1))(sub, hint, time.perf_counter() + 5, 1)
    assert found is not None
    after = widened(instance, sub, found.solution, incumbent, freed)
    assert after.placements[a.index].end < incumbent.placements[a.index].end, "A finishes in overtime"
    assert not validate_plan(problem, make_plan_of(instance, after))


def at(clock: str) -> datetime:
    """Tuesday 2026-11-24 at `clock` unless a full date is given (+08:00)."""
    text = clock if "T" in clock else f"2026-11-24T{clock}"
    return datetime.fromisoformat(f"{text}:00+08:00")


def make_plan_of(instance: Instance, solution: Solution) -> Plan:
    return _plan(instance, solution, Engine.CP_SAT, SolveStatus.FEASIBLE, time.perf_counter())


def test_a_late_job_is_drawn_by_what_its_lateness_costs() -> None:
    instance = compile_problem(load_instance("20x60", 3))
    incumbent = greedy_solution(instance)
    search = _Search(instance, Incumbent(incumbent, 0.0), seed=7)
    ends = {
        j: max(incumbent.placements[i].end for i in job.ops) for j, job in enumerate(instance.jobs) if job.ops
    }
    cost = {j: instance.jobs[j].weight * minutes_late(instance, instance.jobs[j], e) for j, e in ends.items()}
    draws = Counter(_a_costly_job(search)[0] for _ in range(400))
    assert set(draws) <= {j for j, c in cost.items() if c > 0}
    # The greedy day has cars a night late and cars minutes late: the night costs most rounds.
    assert draws.most_common(1)[0][0] in {j for j, c in cost.items() if c == max(cost.values())}
    assert len({j for j, c in cost.items() if c > 0}) > 2


def test_around_a_late_job_frees_whole_stretches_of_able_technicians() -> None:
    instance = compile_problem(load_instance("20x60", 3))
    incumbent = greedy_solution(instance)
    # The same seed draws the same job first.
    chosen, late = _a_costly_job(_Search(instance, Incumbent(incumbent, 0.0), seed=11))
    search = _Search(instance, Incumbent(incumbent, 0.0), seed=11)
    freed = around_a_late_job(search)
    assert late and chosen is not None
    job = instance.jobs[chosen]
    assert set(job.ops) <= freed
    begin = min(instance.ops[i].release for i in job.ops)
    finish = max(incumbent.placements[i].end for i in job.ops)
    others = {search.technician(incumbent.placements[i]) for i in freed - set(job.ops)}
    assert others
    for tech in others:
        stretch = {
            p.op
            for p in incumbent.placements.values()
            if search.technician(p) == tech and p.start < finish and p.end > begin
        }
        assert stretch <= freed, "a technician's stretch is freed whole"
