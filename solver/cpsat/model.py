"""The CP-SAT model: variables, rules and goals in one place, solved with a greedy warm start."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.solve_settings import SolverSettings
from solver.cpsat.build import create_variables, pause_slots
from solver.cpsat.constraints import CONSTRAINTS
from solver.cpsat.lns import ROUND_SECONDS, BuildAndSolve, Incumbent, RoundResult, improve, round_solver
from solver.cpsat.objective import Term, build_objective
from solver.cpsat.stability import add_published_moves
from solver.cpsat.variables import Variables
from solver.evaluate import evaluate_terms, weighted_total
from solver.instance import Instance, plannable_ops
from solver.solution import Placement, Solution


@dataclass
class CpSatModel:
    instance: Instance
    model: cp_model.CpModel
    variables: Variables
    terms: list[Term] = field(default_factory=list)


def build_model(instance: Instance, hint: Solution, settings: SolverSettings) -> CpSatModel:
    model = cp_model.CpModel()
    variables = create_variables(model, instance, hint, settings)
    for constraint in CONSTRAINTS:
        constraint(model, instance, variables)
    _completion_times(model, instance, variables)
    _work_lengths(model, instance, variables)
    add_published_moves(model, instance, variables, hint)
    terms = build_objective(model, instance, variables)
    _add_hint(model, variables, hint)
    _complete_hint(model)
    return CpSatModel(instance, model, variables, terms)


def _work_lengths(model: cp_model.CpModel, instance: Instance, variables: Variables) -> None:
    """Redundant: an operation lasts its chosen technician's slots plus at most the pauses it may span.

    The technician intervals share one length variable that only the chosen option's
    end == start + pauses + slots fixes; without these bounds the no-overlap propagators and
    the LP see sizes from 0 until the choice is made, and the search stalls on shop-floor
    instances (FJSP mk03: 242 instead of the optimal 204 in 5 s). Where no pause can fall
    (round-the-clock work) the two bounds make the length exact.
    """
    for vars_ in variables.ops.values():
        if not vars_.techs:
            continue
        options = [(vars_.op.techs[c.option], c.chosen) for c in vars_.techs]
        least = sum(option.slots * chosen for option, chosen in options)
        pauses = [(pause_slots(instance, vars_.op, option.tech), chosen) for option, chosen in options]
        if any(slots for slots, _ in pauses):
            model.add(vars_.length >= least)
            model.add(vars_.length <= least + sum(slots * chosen for slots, chosen in pauses))
        else:
            # One equality, not two inequalities: presolve then sees the size as a sum of literals.
            model.add(vars_.length == least)


def _complete_hint(model: cp_model.CpModel) -> None:
    """Extend the greedy's hint to every auxiliary variable.

    CP-SAT repairs a partial hint only with a small effort, which fails on
    realistic days; fixing the hinted variables and solving once gives the
    values of all the others in a fraction of a second.
    """
    completer = cp_model.CpSolver()
    completer.parameters.fix_variables_to_their_hinted_value = True
    completer.parameters.num_workers = 1
    completer.parameters.max_time_in_seconds = 5.0
    if completer.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return
    proto = model.proto
    model.clear_hints()  # type: ignore[no-untyped-call]
    for index in range(len(proto.variables)):
        variable = model.get_int_var_from_proto_index(index)
        model.add_hint(variable, completer.value(variable))


def _completion_times(model: cp_model.CpModel, instance: Instance, variables: Variables) -> None:
    for j, job in enumerate(instance.jobs):
        ends = [variables.ops[i].end for i in job.ops if i in variables.ops]
        if ends:
            completion = model.new_int_var(0, instance.horizon, f"completion[{job.job.id}]")
            model.add_max_equality(completion, ends)
            variables.completion[j] = completion


def _add_hint(model: cp_model.CpModel, variables: Variables, hint: Solution) -> None:
    for index, vars_ in variables.ops.items():
        placement = hint.placements.get(index)
        if not vars_.op.started:
            model.add_hint(vars_.present, placement is not None)
        if placement is None:
            continue
        if vars_.op.fixed_start is None:
            model.add_hint(vars_.start, placement.start)
        model.add_hint(vars_.end, placement.end)
        model.add_hint(vars_.length, placement.end - placement.start)
        for choice in vars_.techs:
            model.add_hint(choice.chosen, choice.option == placement.tech_option)
        for place in vars_.places:
            model.add_hint(place.chosen, place.option == placement.place)


class _Progress(cp_model.CpSolverSolutionCallback):
    """Reports each better solution and stops the search when asked."""

    def __init__(self, built: CpSatModel, best: _Best, stop: threading.Event | None) -> None:
        super().__init__()
        self._built = built
        self._best = best
        self._stop = stop

    def on_solution_callback(self) -> None:
        self._best.offer(scored(self._built.instance, extract_solution(self._built, self.value)))
        if self._stop is not None and self._stop.is_set():
            self.stop_search()


@dataclass(frozen=True)
class CpSatOutcome:
    status: str
    solution: Solution | None
    objective: float | None
    best_bound: float | None
    seconds: float


STATUS_NAMES = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "model_invalid",
    cp_model.UNKNOWN: "unknown",
}


def solve_cpsat(
    instance: Instance,
    hint: Solution,
    settings: SolverSettings,
    on_solution: Callable[[Solution, float], None] | None = None,
    stop: threading.Event | None = None,
) -> CpSatOutcome:
    """The whole model first (it proves small days optimal and gives the bound), then
    neighbourhood rounds on every worker from the best plan so far, both from the greedy plan.

    `whole_model_share` of the time goes to the whole model: 0 skips it (quick re-plans: no
    bound), 1 gives it all the time (no rounds). Days with more than
    `whole_model_max_operations` skip it too unless it has all the time.
    """
    began = time.perf_counter()
    deadline = began + settings.time_limit_seconds
    best = _Best(on_solution)
    whole: _WholeModel | None = None
    if _searches_whole_model(instance, settings):
        built = build_model(instance, hint, settings)
        remaining = max(1.0, deadline - time.perf_counter())
        share = settings.whole_model_share
        whole = _WholeModel(built, settings, remaining if share >= 1 else max(0.5, remaining * share))
        whole.run(best, stop)
        if whole.status_name in ("infeasible", "model_invalid"):
            return CpSatOutcome(whole.status_name, None, None, None, time.perf_counter() - began)
    proven = whole is not None and whole.status_name == "optimal"
    if settings.whole_model_share < 1 and not proven and not (stop is not None and stop.is_set()):
        improve(
            instance,
            best.current() or scored(instance, hint),
            settings,
            deadline=deadline,
            workers=settings.workers,
            solve=_round_solve(settings),
            best=best.current,
            on_improvement=best.offer,
            stop=stop,
        )
    incumbent = best.current()
    seconds = time.perf_counter() - began
    if incumbent is None:
        return CpSatOutcome(whole.status_name if whole else "unknown", None, None, None, seconds)
    bound = whole.bound if whole else None
    status = "optimal" if proven else "feasible"
    return CpSatOutcome(status, incumbent.solution, incumbent.objective, bound, seconds)


def _searches_whole_model(instance: Instance, settings: SolverSettings) -> bool:
    share = settings.whole_model_share
    small = len(plannable_ops(instance)) <= settings.whole_model_max_operations
    return share >= 1 or (share > 0 and small)


def _round_solve(settings: SolverSettings) -> BuildAndSolve:
    def solve(sub: Instance, hint: Solution, deadline: float, seed: int) -> RoundResult | None:
        built = build_model(sub, hint, settings)
        solver = round_solver(min(ROUND_SECONDS, deadline - time.perf_counter()), 1, seed)
        status = solver.solve(built.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return RoundResult(
            extract_solution(built, solver.value), solver.objective_value, status == cp_model.OPTIMAL
        )

    return solve


class _Best:
    """The best plan found by any search; each improvement is reported once, in order."""

    def __init__(self, on_solution: Callable[[Solution, float], None] | None) -> None:
        self._on_solution = on_solution
        self._lock = threading.Lock()
        self._incumbent: Incumbent | None = None

    def offer(self, candidate: Incumbent) -> None:
        with self._lock:
            if self._incumbent is not None and candidate.objective >= self._incumbent.objective:
                return
            self._incumbent = candidate
            if self._on_solution is not None:
                self._on_solution(candidate.solution, candidate.objective)

    def current(self) -> Incumbent | None:
        with self._lock:
            return self._incumbent


class _WholeModel:
    """CP-SAT on the whole model, on every worker: its solutions go to `best`, its bound here."""

    def __init__(self, built: CpSatModel, settings: SolverSettings, seconds: float) -> None:
        self._built = built
        self._solver = _whole_model_solver(settings, seconds, settings.workers)
        self.status_name = "unknown"
        self.bound: float | None = None

    def run(self, best: _Best, stop: threading.Event | None) -> None:
        watcher = _watch_stop(self._solver, stop)
        try:
            status = self._solver.solve(self._built.model, _Progress(self._built, best, stop))
            self.status_name = STATUS_NAMES.get(status, "unknown")
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                self.bound = self._solver.best_objective_bound
                best.offer(scored(self._built.instance, extract_solution(self._built, self._solver.value)))
        finally:
            if watcher is not None:
                watcher.set()


def _whole_model_solver(settings: SolverSettings, seconds: float, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    # Probing in presolve costs whole seconds on workshop days and loses the warm start.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = settings.seed
    solver.parameters.relative_gap_limit = settings.relative_gap
    return solver


def _watch_stop(solver: cp_model.CpSolver, stop: threading.Event | None) -> threading.Event | None:
    """Stops the search from outside even while no new solution arrives."""
    if stop is None:
        return None
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.1):
            if stop.is_set():
                solver.stop_search()
                return

    threading.Thread(target=watch, daemon=True).start()
    return done


def scored(instance: Instance, solution: Solution) -> Incumbent:
    """A solution with the objective it really has. CP-SAT's own value can be higher before the
    search ends: a lateness or a crossed night it has not yet pushed down to what the times imply."""
    return Incumbent(solution, float(weighted_total(instance, evaluate_terms(instance, solution))))


def extract_solution(built: CpSatModel, value: Callable[[cp_model.LinearExprT], int]) -> Solution:
    solution = Solution()
    for index, vars_ in built.variables.ops.items():
        if not value(vars_.present):
            solution.unplanned[index] = "no room for it inside the planning horizon"
            continue
        tech = next((c.option for c in vars_.techs if value(c.chosen)), None)
        place = next(c.option for c in vars_.places if value(c.chosen))
        solution.placements[index] = Placement(index, tech, place, value(vars_.start), value(vars_.end))
    return solution
