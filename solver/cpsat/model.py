"""The CP-SAT model: variables, rules and goals in one place, solved with a greedy warm start."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.solve_settings import SolverSettings
from solver.cpsat.build import create_variables
from solver.cpsat.constraints import CONSTRAINTS
from solver.cpsat.objective import Term, build_objective
from solver.cpsat.stability import add_published_moves
from solver.cpsat.variables import Variables
from solver.instance import Instance
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
    add_published_moves(model, instance, variables, hint)
    terms = build_objective(model, instance, variables)
    _add_hint(model, variables, hint)
    _complete_hint(model)
    return CpSatModel(instance, model, variables, terms)


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

    def __init__(
        self,
        built: CpSatModel,
        on_solution: Callable[[Solution, float], None] | None,
        stop: threading.Event | None,
    ) -> None:
        super().__init__()
        self._built = built
        self._on_solution = on_solution
        self._stop = stop

    def on_solution_callback(self) -> None:
        if self._on_solution is not None:
            self._on_solution(extract_solution(self._built, self.value), self.objective_value)
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
    began = time.perf_counter()
    built = build_model(instance, hint, settings)
    solver = cp_model.CpSolver()
    # The time limit covers building the model too; CP-SAT gets what is left.
    solver.parameters.max_time_in_seconds = max(
        1.0, settings.time_limit_seconds - (time.perf_counter() - began)
    )
    # Probing in presolve costs whole seconds on workshop days and loses the warm start.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.num_workers = settings.workers
    solver.parameters.random_seed = settings.seed
    solver.parameters.relative_gap_limit = settings.relative_gap
    watcher = _watch_stop(solver, stop)
    status = solver.solve(built.model, _Progress(built, on_solution, stop))
    if watcher is not None:
        watcher.set()
    name = STATUS_NAMES.get(status, "unknown")
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return CpSatOutcome(
        status=name,
        solution=extract_solution(built, solver.value) if found else None,
        objective=solver.objective_value if found else None,
        best_bound=solver.best_objective_bound if found else None,
        seconds=time.perf_counter() - began,
    )


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
