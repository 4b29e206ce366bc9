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
from solver.instance import Instance, Op, TechOption, plannable_ops
from solver.solution import Solution

LinearExpr = cp_model.LinearExprT


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
    end = model.new_int_var(0, horizon if op.latest_end is None else op.latest_end, f"end[{name}]")
    length = model.new_int_var(0, horizon, f"length[{name}]")
    interval = model.new_optional_interval_var(start, length, end, present, f"op[{name}]")
    vars_ = OpVars(op, present, start, end, length, interval)
    limit = settings.max_candidates_per_operation
    _add_tech_choices(model, instance, vars_, candidate_techs(op, hint, limit))
    for option in candidate_places(instance, op, hint, limit):
        chosen = model.new_bool_var(f"place[{name}#{option}]")
        place_interval = model.new_optional_interval_var(start, length, end, chosen, f"at[{name}#{option}]")
        vars_.places.append(PlaceChoice(option, chosen, place_interval))
    return vars_


def _add_tech_choices(model: cp_model.CpModel, instance: Instance, vars_: OpVars, options: list[int]) -> None:
    """One literal per technician; the pause decisions are shared by technicians with equal calendars."""
    by_pattern: dict[bytes, list[TechChoice]] = {}
    for option in options:
        tech_option = vars_.op.techs[option]
        name = f"{vars_.op.job_id}/{vars_.op.operation.id}@{instance.technicians[tech_option.tech].id}"
        chosen = model.new_bool_var(f"tech[{name}]")
        choice = TechChoice(option, chosen, _work_interval(model, instance, vars_, tech_option, chosen, name))
        vars_.techs.append(choice)
        by_pattern.setdefault(instance.tech_time[tech_option.tech].pattern, []).append(choice)
    for choices in by_pattern.values():
        _calendar_of_group(model, instance, vars_, choices)


def _work_interval(
    model: cp_model.CpModel,
    instance: Instance,
    vars_: OpVars,
    option: TechOption,
    chosen: cp_model.IntVar,
    name: str,
) -> cp_model.IntervalVar:
    """The technician's own interval, sized by his time and the pauses he may take, not by the
    operation's shared length: the no-overlap and energy reasoning on a technician then see the
    work he really brings (FJSP mk10: bound 114 with a shared length)."""
    pauses = pause_slots(instance, vars_.op, option.tech)
    if not pauses:
        return model.new_optional_fixed_size_interval_var(vars_.start, option.slots, chosen, f"work[{name}]")
    size = model.new_int_var(option.slots, option.slots + pauses, f"length[{name}]")
    return model.new_optional_interval_var(vars_.start, size, vars_.end, chosen, f"work[{name}]")


def pause_slots(instance: Instance, op: Op, tech: int) -> int:
    """All the technician's off-work gaps and overtime runs the op can reach."""
    tech_time = instance.tech_time[tech]
    low, high = reachable(op, instance.horizon)
    stretches = tech_time.hard_gaps + tech_time.overtime_runs
    return sum(end - start for start, end in stretches if end > low and start < high)


def _calendar_of_group(
    model: cp_model.CpModel, instance: Instance, vars_: OpVars, choices: list[TechChoice]
) -> None:
    """Work runs in the technicians' time: it pauses over every gap it spans.

    For each gap the operation ends before it, starts after it, or spans it;
    an overtime run may instead be worked when the operation finishes in it.
    """
    tech_time = instance.tech_time[vars_.op.techs[choices[0].option].tech]
    active = model.new_bool_var("")
    model.add(active == sum(c.chosen for c in choices))
    first, last = tech_time.span
    model.add(vars_.start >= max(first, vars_.op.release)).only_enforce_if(active)
    model.add(vars_.end <= last).only_enforce_if(active)
    # Fixed work (started, pinned, or held by a neighbourhood round) starts at its start: gaps
    # that end before it need no decision; nor, for held work, gaps from its latest end on.
    low, high = reachable(vars_.op, instance.horizon)
    pause: list[LinearExpr] = []
    for gap_start, gap_end in tech_time.hard_gaps:
        if gap_end <= low or gap_start >= high:
            continue
        pause.append((gap_end - gap_start) * _hard_gap(model, vars_, active, gap_start, gap_end))
    overtime: list[LinearExpr] = []
    for run_start, run_end in tech_time.overtime_runs:
        if run_end <= low or run_start >= high:
            continue
        paused, worked = _overtime_run(model, vars_, active, run_start, run_end)
        pause.append((run_end - run_start) * paused)
        overtime.append(worked)
    for choice in choices:
        slots = vars_.op.techs[choice.option].slots
        worked_end = cp_model.LinearExpr.sum([vars_.start, *pause]) + int(slots)
        model.add(vars_.end == worked_end).only_enforce_if(choice.chosen)
    if overtime:
        total = model.new_int_var(0, instance.horizon, "")
        model.add(total == sum(overtime))
        choices[0].overtime = total


def reachable(op: Op, horizon: int) -> tuple[int, int]:
    """The stretch of the axis an operation can span: from its release (or fixed start) to its
    latest end. Gaps and overtime runs outside it need no decision."""
    low = op.release if op.fixed_start is None else op.fixed_start
    return low, horizon if op.latest_end is None else op.latest_end


def _hard_gap(
    model: cp_model.CpModel, vars_: OpVars, active: cp_model.IntVar, gap_start: int, gap_end: int
) -> LinearExpr:
    """Returns the literal expression 'the operation spans this gap'."""
    after = model.new_bool_var("")
    before = model.new_bool_var("")
    model.add(after + before <= active)
    model.add(vars_.start >= gap_end).only_enforce_if(after)
    model.add(vars_.start <= gap_start - 1).only_enforce_if([~after, active])
    model.add(vars_.end <= gap_start).only_enforce_if(before)
    model.add(vars_.end >= gap_end + 1).only_enforce_if([~before, active])
    return active - after - before


def _overtime_run(
    model: cp_model.CpModel, vars_: OpVars, active: cp_model.IntVar, run_start: int, run_end: int
) -> tuple[cp_model.IntVar, LinearExpr]:
    """Returns (paused over the run, overtime slots worked in it)."""
    after, before, tail, inside, paused = (model.new_bool_var("") for _ in range(5))
    model.add(after + before + tail + inside + paused == active)
    model.add(vars_.start >= run_end).only_enforce_if(after)
    model.add(vars_.end <= run_start).only_enforce_if(before)
    for literal in (tail, paused):
        model.add(vars_.start <= run_start - 1).only_enforce_if(literal)
    model.add(vars_.end >= run_start + 1).only_enforce_if(tail)
    model.add(vars_.end <= run_end).only_enforce_if(tail)
    model.add(vars_.start >= run_start).only_enforce_if(inside)
    model.add(vars_.end <= run_end).only_enforce_if(inside)
    model.add(vars_.end >= run_end + 1).only_enforce_if(paused)
    worked = model.new_int_var(0, run_end - run_start, "")
    model.add(worked == vars_.end - run_start).only_enforce_if(tail)
    model.add(worked == vars_.end - vars_.start).only_enforce_if(inside)
    model.add(worked == 0).only_enforce_if(~tail, ~inside)
    return paused, worked
