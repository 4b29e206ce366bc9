"""The soft goals: each named term is reported and steers the plan where it should."""

from __future__ import annotations

import threading

from fixtures.generator import generate_problem
from scheduler.plan import Engine, SolveStatus
from scheduler.plan_validator import validate_plan
from scheduler.solve_settings import SolverSettings
from solver.cpsat.model import solve_cpsat
from solver.evaluate import evaluate_terms, weighted_total
from solver.greedy import greedy_solution
from solver.instance import compile_problem
from solver.planner import make_plan
from tests.solver.conftest import Solve, hm, op
from tests.solver.tiny_problems import job, operation, problem, technician

TERM_NAMES = {
    "tardiness",
    "unfinished",
    "completion",
    "makespan",
    "plan_change",
    "moved_jobs_over_cap",
    "overtime",
    "overqualification",
    "workload_balance",
    "bay_change",
    "technician_change",
}


def test_every_term_is_reported_by_its_stable_name(solve_cpsat: Solve) -> None:
    plan = solve_cpsat(problem([technician("T1", {"maintenance": 1})], [job("J", [operation("o", 30)])]))
    assert set(plan.solve.objective_terms) == TERM_NAMES
    assert plan.solve.objective_terms["completion"] == 30.0


def test_a_master_technician_is_kept_for_work_that_needs_him(solve_cpsat: Solve) -> None:
    techs = [technician("MASTER", {"maintenance": 3}), technician("APPR", {"maintenance": 1})]
    plan = solve_cpsat(problem(techs, [job("J", [operation("oil", 30)])]))
    assert op(plan, "J", "oil").technician_id == "APPR"
    assert plan.solve.objective_terms["overqualification"] == 0


def test_a_car_keeps_its_bay_and_technician(solve_cpsat: Solve) -> None:
    # One-member teams: workload balance has nothing to spread, so only the change terms speak.
    techs = [technician("T1", {"maintenance": 1}, team="A"), technician("T2", {"maintenance": 1}, team="B")]
    ops = [operation("a", 30), operation("b", 30, predecessors=["a"]), operation("c", 30, predecessors=["b"])]
    plan = solve_cpsat(problem(techs, [job("J", ops)]))
    assert len({op(plan, "J", o).bay_id for o in "abc"}) == 1
    assert len({op(plan, "J", o).technician_id for o in "abc"}) == 1
    assert plan.solve.objective_terms["bay_change"] == 0


def test_work_is_spread_evenly_over_a_team(solve_cpsat: Solve) -> None:
    techs = [technician("T1", {"maintenance": 1}), technician("T2", {"maintenance": 1})]
    jobs = [job(f"J{i}", [operation("o", 60)], promised_at="2026-11-23T17:00:00+08:00") for i in range(4)]
    plan = solve_cpsat(problem(techs, jobs))
    per_tech = [sum(1 for a in plan.operations if a.technician_id == t) for t in ("T1", "T2")]
    assert per_tech == [2, 2]


def test_cp_sat_objective_matches_the_independent_evaluation() -> None:
    techs = [technician("T1", {"maintenance": 2}), technician("T2", {"maintenance": 1}, team="B")]
    jobs = [
        job(
            "J1",
            [operation("a", 90), operation("b", 45, predecessors=["a"])],
            promised_at="2026-11-23T10:00:00+08:00",
        ),
        job("J2", [operation("a", 240)], customer_waiting=True, promised_at="2026-11-23T12:00:00+08:00"),
    ]
    instance = compile_problem(problem(techs, jobs))
    outcome = solve_cpsat(
        instance, greedy_solution(instance), SolverSettings(time_limit_seconds=10, workers=1)
    )
    assert outcome.status == "optimal" and outcome.solution is not None
    assert outcome.objective == weighted_total(instance, evaluate_terms(instance, outcome.solution))


def test_cp_sat_never_does_worse_than_its_greedy_warm_start() -> None:
    techs = [technician(f"T{i}", {"maintenance": 1 + i % 3, "brakes_chassis": 1}) for i in range(3)]
    jobs = [
        job(
            f"J{i}",
            [operation("a", 30 + 15 * (i % 4)), operation("b", 40, skill="brakes_chassis")],
            promised_at=f"2026-11-23T{9 + i % 5:02d}:00:00+08:00",
            customer_waiting=i % 3 == 0,
        )
        for i in range(8)
    ]
    instance = compile_problem(problem(techs, jobs))
    greedy = greedy_solution(instance)
    outcome = solve_cpsat(instance, greedy, SolverSettings(time_limit_seconds=3, workers=1))
    assert outcome.objective is not None
    assert outcome.objective <= weighted_total(instance, evaluate_terms(instance, greedy))


def test_a_stopped_solve_still_returns_a_valid_plan() -> None:
    p = problem(
        [technician("T1", {"maintenance": 1})], [job(f"J{i}", [operation("o", 30)]) for i in range(6)]
    )
    stop = threading.Event()
    stop.set()
    plan = make_plan(p, SolverSettings(time_limit_seconds=30, workers=1), stop=stop)
    assert plan.solve.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL, SolveStatus.FALLBACK)
    assert plan.solve.engine in (Engine.CP_SAT, Engine.GREEDY)
    assert not validate_plan(p, plan)


def test_a_promise_missed_overnight_counts_every_wall_clock_minute(solve_cpsat: Solve) -> None:
    # Ten hours of work, nine in today's shift and no overtime: ready at 09:00 tomorrow, promised
    # for 18:00 today. The customer waits the night: 15 hours late, not the one working hour.
    settings = {"horizon_days": 2, "overtime_max_minutes_per_day": 0}
    day = problem(
        [technician("T1", {"maintenance": 1})],
        [job("J", [operation("long", 600)], promised_at="2026-11-23T18:00:00+08:00")],
        settings=settings,
    )
    plan = solve_cpsat(day)
    assert hm(op(plan, "J", "long").end) == "09:00"
    assert plan.solve.objective_terms["tardiness"] == 15 * 60 == plan.kpis.total_tardiness_minutes


def test_cp_sat_objective_matches_the_evaluation_on_a_day_with_late_cars() -> None:
    day = generate_problem(technicians=2, bays=3, jobs=5, days=1, seed=1, target_load=1.4)
    instance = compile_problem(day)
    settings = SolverSettings(time_limit_seconds=10, workers=1, whole_model_share=1)
    outcome = solve_cpsat(instance, greedy_solution(instance), settings)
    assert outcome.status == "optimal" and outcome.solution is not None
    terms = evaluate_terms(instance, outcome.solution)
    assert terms["tardiness"] > 0
    assert outcome.objective == weighted_total(instance, terms)
