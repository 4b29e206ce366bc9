"""The soft goals: each builds one named term (in minutes) whose weight comes from the settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.cpsat.stability import moved_jobs_over_cap
from solver.cpsat.variables import OpVars, Variables
from solver.evaluate import term_weight
from solver.instance import Instance, JobInfo, minutes_late

LinearExpr = cp_model.LinearExprT


@dataclass(frozen=True)
class Term:
    name: str
    expression: LinearExpr
    weight: int


TermBuilder = Callable[[cp_model.CpModel, Instance, Variables], LinearExpr]


def tardiness(model: cp_model.CpModel, instance: Instance, variables: Variables) -> LinearExpr:
    """Priority-weighted wall-clock minutes past the promise; unfinished jobs are late to the
    horizon's end. A night or a shared break the job runs past counts in full."""
    cuts = instance.axis.cuts()
    total: list[LinearExpr] = []
    for j, job in enumerate(instance.jobs):
        ops = [variables.ops[i] for i in job.ops if i in variables.ops]
        if job.promise is None or not job.ops:
            continue
        late = model.new_int_var(0, minutes_late(instance, job, instance.horizon), f"tardiness[{job.job.id}]")
        if ops:
            model.add(late >= _minutes_past_promise(model, instance, job, variables.completion[j], cuts))
        unfinished = minutes_late(instance, job, instance.horizon)
        if len(ops) < len(job.ops):
            model.add(late >= unfinished)
        for vars_ in ops:
            model.add(late >= unfinished).only_enforce_if(~vars_.present)
        total.append(job.weight * late)
    return sum(total)


def _minutes_past_promise(
    model: cp_model.CpModel,
    instance: Instance,
    job: JobInfo,
    completion: cp_model.IntVar,
    cuts: list[tuple[int, int]],
) -> LinearExpr:
    """Wall-clock minutes from the promise to the completion (negative when early): the axis
    slots past the deadline point, plus every cut the completion lies beyond, less the slack."""
    assert job.promise is not None
    grain = instance.axis.grain_minutes
    crossed: list[LinearExpr] = []
    for point, minutes in cuts:
        if point < job.promise:
            continue
        beyond = model.new_bool_var("")
        model.add(completion <= point).only_enforce_if(~beyond)
        crossed.append(minutes * beyond)
    return cp_model.LinearExpr.sum([grain * (completion - job.promise), *crossed]) - job.promise_slack_minutes


def unfinished(model: cp_model.CpModel, instance: Instance, variables: Variables) -> LinearExpr:
    """Standard minutes of work left out of the horizon."""
    return sum(v.op.operation.standard_minutes * (1 - v.present) for v in variables.ops.values())


def completion(model: cp_model.CpModel, instance: Instance, variables: Variables) -> LinearExpr:
    """Cars finish early: the sum of job completions, in minutes from now on the axis."""
    return instance.axis.grain_minutes * sum(variables.completion.values())


def makespan(model: cp_model.CpModel, instance: Instance, variables: Variables) -> LinearExpr:
    """The last job's completion, in minutes from now on the axis (the shop's classic measure)."""
    last = model.new_int_var(0, instance.horizon, "makespan")
    for completion_point in variables.completion.values():
        model.add(last >= completion_point)
    return instance.axis.grain_minutes * last


def overtime(model: cp_model.CpModel, instance: Instance, variables: Variables) -> LinearExpr:
    return instance.axis.grain_minutes * sum(
        c.overtime for v in variables.ops.values() for c in v.techs if c.overtime is not None
    )


def overqualification(model: cp_model.CpModel, instance: Instance, variables: Variables) -> LinearExpr:
    """Level-minutes of master technicians spent on work below their level."""
    grain = instance.axis.grain_minutes
    return sum(
        grain * v.op.techs[c.option].overqualification * v.op.techs[c.option].slots * c.chosen
        for v in variables.ops.values()
        for c in v.techs
        if v.op.techs[c.option].overqualification
    )


def workload_balance(model: cp_model.CpModel, instance: Instance, variables: Variables) -> LinearExpr:
    """Spread inside each team, plus the spread of per-member load between teams."""
    grain = instance.axis.grain_minutes
    loads = _technician_loads(model, instance, variables)
    teams: dict[str, list[int]] = {}
    for t, tech in enumerate(instance.technicians):
        if tech.team:
            teams.setdefault(tech.team, []).append(t)
    teams = {name: members for name, members in teams.items() if len(members) > 1}
    spread: list[LinearExpr] = [_spread(model, [loads[t] for t in members]) for members in teams.values()]
    averages = []
    for name, members in teams.items():
        average = model.new_int_var(0, instance.horizon, f"team_load[{name}]")
        # Floor division as two inequalities: an IntDiv would let presolve add unhinted variables.
        total = sum(loads[t] for t in members)
        model.add(len(members) * average <= total)
        model.add(total <= len(members) * average + len(members) - 1)
        averages.append(average)
    if len(averages) > 1:
        spread.append(_spread(model, averages))
    return grain * sum(spread)


def _technician_loads(model: cp_model.CpModel, instance: Instance, variables: Variables) -> list[LinearExpr]:
    loads: list[list[LinearExpr]] = [[] for _ in instance.technicians]
    for vars_ in variables.ops.values():
        for choice in vars_.techs:
            option = vars_.op.techs[choice.option]
            loads[option.tech].append(option.slots * choice.chosen)
    return [sum(terms) for terms in loads]


def _spread(model: cp_model.CpModel, values: Sequence[LinearExpr]) -> LinearExpr:
    high = model.new_int_var(0, 10**7, "")
    low = model.new_int_var(0, 10**7, "")
    for value in values:
        model.add(high >= value)
        model.add(low <= value)
    return high - low


def bay_change(model: cp_model.CpModel, instance: Instance, variables: Variables) -> LinearExpr:
    """Every extra bay a car visits."""
    return _changes(model, instance, variables, "bay")


def technician_change(model: cp_model.CpModel, instance: Instance, variables: Variables) -> LinearExpr:
    """Every extra technician a job passes through."""
    return _changes(model, instance, variables, "tech")


def _changes(model: cp_model.CpModel, instance: Instance, variables: Variables, kind: str) -> LinearExpr:
    total: list[LinearExpr] = []
    for job in instance.jobs:
        used: dict[int, list[cp_model.IntVar]] = {}
        served = []
        for vars_ in (variables.ops[i] for i in job.ops if i in variables.ops):
            pairs = _resource_literals(vars_, kind)
            if pairs:
                served.append(vars_.present)
            for resource, literal in pairs:
                used.setdefault(resource, []).append(literal)
        if len(served) < 2 or len(used) < 2:
            continue
        flags = []
        for resource, literals in used.items():
            flag = model.new_bool_var(f"uses[{job.job.id}:{kind}{resource}]")
            for literal in literals:
                model.add_implication(literal, flag)
            flags.append(flag)
        any_planned = model.new_bool_var(f"any_planned[{job.job.id}:{kind}]")
        model.add_max_equality(any_planned, served)
        total.append(sum(flags) - any_planned)
    return sum(total)


def _resource_literals(vars_: OpVars, kind: str) -> list[tuple[int, cp_model.IntVar]]:
    if kind == "bay":
        pairs = [(vars_.op.places[c.option].bay, c.chosen) for c in vars_.places]
    else:
        pairs = [(vars_.op.techs[c.option].tech, c.chosen) for c in vars_.techs]
    return [(resource, literal) for resource, literal in pairs if resource is not None]


def plan_change(model: cp_model.CpModel, instance: Instance, variables: Variables) -> LinearExpr:
    """Published operations given another technician, place or start."""
    return sum(variables.moved.values())


TERMS: tuple[tuple[str, TermBuilder], ...] = (
    ("tardiness", tardiness),
    ("unfinished", unfinished),
    ("completion", completion),
    ("makespan", makespan),
    ("overtime", overtime),
    ("overqualification", overqualification),
    ("workload_balance", workload_balance),
    ("bay_change", bay_change),
    ("technician_change", technician_change),
    ("plan_change", plan_change),
    ("moved_jobs_over_cap", moved_jobs_over_cap),
)


def build_objective(model: cp_model.CpModel, instance: Instance, variables: Variables) -> list[Term]:
    terms = []
    for name, builder in TERMS:
        weight = term_weight(instance, name)
        if weight:
            terms.append(Term(name, builder(model, instance, variables), weight))
    model.minimize(sum(t.weight * t.expression for t in terms))
    return terms
