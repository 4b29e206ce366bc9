"""The stored dealership days and their reference plans still mean what the results table says."""

from __future__ import annotations

import pytest

from benchmarks.instances import SEEDS, SIZES, load_instance, load_reference, reference_path
from scheduler.plan_validator import validate_plan
from solver.evaluate import evaluate_terms, weighted_total
from solver.instance import compile_problem
from solver.plan_builder import solution_of

DAYS = [(size, seed) for size in SIZES for seed in SEEDS]


@pytest.mark.parametrize(("size", "seed"), DAYS)
def test_every_day_has_a_reference(size: str, seed: int) -> None:
    assert reference_path(size, seed).exists(), "run python -m benchmarks.reference_plans"


@pytest.mark.parametrize(("size", "seed"), DAYS)
def test_a_reference_is_valid_and_scores_what_it_claims(size: str, seed: int) -> None:
    # A change to the goals would leave the stored objectives, and the table, silently stale.
    problem, reference = load_instance(size, seed), load_reference(size, seed)
    assert reference is not None
    assert validate_plan(problem, reference.plan) == []
    instance = compile_problem(problem)
    assert weighted_total(instance, evaluate_terms(instance, solution_of(instance, reference.plan))) == (
        reference.objective
    )
    assert reference.job_alone_bound <= reference.lower_bound <= reference.objective
