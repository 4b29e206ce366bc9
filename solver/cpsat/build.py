"""Creating the CP-SAT variables of every operation."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.solve_settings import SolverSettings
from solver.cpsat.variables import (
    OpVars,
    PlaceChoice,
    TechChoice,
    Variables,
    candidate_places,
    candidate_techs,
)
from solver.instance import Instance, Op, plannable_ops
from solver.solution import Solution
from solver.tech_time import NO_START


def create_variables(
    model: cp_model.CpModel, instance: Instance, hint: Solution, settings: SolverSettings
) -> Variables:
    variables = Variables()
    for op in plannable_ops(instance):
        variables.ops[op.index] = _op_vars(model, instance, op, hint, settings)
    return variables


def _op_vars(
    model: cp_model.CpModel, instance: Instance, op: Op, hint: Solution, settings: SolverSettings
) -> OpVars:
    horizon = instance.horizon
    name = f"{op.job_id}/{op.operation.id}"
    present = model.new_constant(1) if op.started else model.new_bool_var(f"present[{name}]")
    if op.fixed_start is not None:
        start = model.new_constant(op.fixed_start)
    else:
        start = model.new_int_var(0, horizon - 1, f"start[{name}]")
    end = model.new_int_var(0, horizon, f"end[{name}]")
    length = model.new_int_var(0, horizon, f"length[{name}]")
    interval = model.new_optional_interval_var(start, length, end, present, f"op[{name}]")
    vars_ = OpVars(op, present, start, end, length, interval)
    limit = settings.max_candidates_per_operation
    for option in candidate_techs(op, hint, limit):
        vars_.techs.append(_tech_choice(model, instance, vars_, option))
    for option in candidate_places(instance, op, hint, limit):
        chosen = model.new_bool_var(f"place[{name}#{option}]")
        place_interval = model.new_optional_interval_var(start, length, end, chosen, f"at[{name}#{option}]")
        vars_.places.append(PlaceChoice(option, chosen, place_interval))
    return vars_


def _tech_choice(model: cp_model.CpModel, instance: Instance, vars_: OpVars, option: int) -> TechChoice:
    op = vars_.op
    tech_option = op.techs[option]
    timing = instance.tech_time[tech_option.tech].timing(tech_option.slots)
    name = f"{op.job_id}/{op.operation.id}@{instance.technicians[tech_option.tech].id}"
    chosen = model.new_bool_var(f"tech[{name}]")
    interval = model.new_optional_interval_var(vars_.start, vars_.length, vars_.end, chosen, f"work[{name}]")
    valid_starts = [s for s, e in enumerate(timing.end) if e != NO_START]
    model.add_linear_expression_in_domain(
        vars_.start, cp_model.Domain.from_values(valid_starts)
    ).only_enforce_if(chosen)
    if timing.linear:
        model.add(vars_.end == vars_.start + tech_option.slots).only_enforce_if(chosen)
    else:
        sentinel = instance.horizon + 1
        table = [int(e) if e != NO_START else sentinel for e in timing.end]
        end_if_chosen = model.new_int_var(0, sentinel, f"end_if[{name}]")
        model.add_element(vars_.start, table, end_if_chosen)
        model.add(vars_.end == end_if_chosen).only_enforce_if(chosen)
    overtime = None
    if timing.overtime.any():
        overtime = model.new_int_var(0, int(timing.overtime.max()), f"ot[{name}]")
        ot_table = [int(v) for v in timing.overtime]
        ot_at_start = model.new_int_var(0, int(timing.overtime.max()), f"ot_at[{name}]")
        model.add_element(vars_.start, ot_table, ot_at_start)
        model.add(overtime == ot_at_start).only_enforce_if(chosen)
        model.add(overtime == 0).only_enforce_if(~chosen)
    return TechChoice(option, chosen, interval, overtime)
