"""Neighbourhood rounds: a round's answer is a valid whole-day plan and never worse than its start."""

from __future__ import annotations

import pytest

from fixtures.generator import generate_problem
from scheduler.plan_validator import validate_plan
from scheduler.solve_settings import SolverSettings
from solver.cpsat.lns import NEIGHBOURHOODS, Incumbent, _Search, restricted, widened
from solver.evaluate import evaluate_terms, weighted_total
from solver.greedy import greedy_solution
from solver.instance import compile_problem
from solver.planner import make_plan


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
