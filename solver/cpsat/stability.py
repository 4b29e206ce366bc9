"""Re-planning from the published plan: what counts as moving it, and what may not move."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.cpsat.variables import OpVars, Variables
from solver.instance import Instance, Reference
from solver.solution import Solution


def add_published_moves(
    model: cp_model.CpModel, instance: Instance, variables: Variables, hint: Solution
) -> None:
    """One literal per published operation: true when it leaves its technician, place or start.

    Frozen work that the warm start could keep where it was is held there; frozen
    work that cannot stay (its technician fell ill, its predecessor overran) moves.
    """
    for index, vars_ in variables.ops.items():
        reference = vars_.op.reference
        if reference is None:
            continue
        moved = _moved_literal(model, vars_, reference)
        variables.moved[index] = moved
        if reference.frozen and _hint_keeps(hint, index, reference):
            model.add(moved == 0)


def _moved_literal(model: cp_model.CpModel, vars_: OpVars, reference: Reference) -> cp_model.IntVar:
    name = f"moved[{vars_.op.job_id}/{vars_.op.operation.id}]"
    moved = model.new_bool_var(name)
    keep = ~moved
    model.add_implication(keep, vars_.present)
    tech = next((c.chosen for c in vars_.techs if c.option == reference.tech), None)
    place = next((c.chosen for c in vars_.places if c.option == reference.place), None)
    if place is None or (vars_.op.attended and tech is None):
        model.add(moved == 1)  # that technician or place is no longer among the choices
        return moved
    model.add_implication(keep, place)
    if tech is not None:
        model.add_implication(keep, tech)
    model.add(vars_.start == reference.start).only_enforce_if(keep)
    return moved


def _hint_keeps(hint: Solution, index: int, reference: Reference) -> bool:
    placement = hint.placements.get(index)
    return (
        placement is not None
        and placement.start == reference.start
        and placement.place == reference.place
        and placement.tech_option == reference.tech
    )


def moved_jobs_over_cap(
    model: cp_model.CpModel, instance: Instance, variables: Variables
) -> cp_model.LinearExprT:
    """Jobs with a moved operation beyond the workshop's cap (0 without a cap)."""
    cap = instance.workshop.settings.max_moved_jobs
    if cap is None or not variables.moved:
        return 0
    by_job: dict[int, list[cp_model.IntVar]] = {}
    for index, moved in variables.moved.items():
        by_job.setdefault(variables.ops[index].op.job, []).append(moved)
    flags = []
    for job, literals in by_job.items():
        flag = model.new_bool_var(f"job_moved[{instance.jobs[job].job.id}]")
        for literal in literals:
            model.add_implication(literal, flag)
        flags.append(flag)
    over = model.new_int_var(0, len(flags), "moved_jobs_over_cap")
    model.add(over >= sum(flags) - cap)
    return over
