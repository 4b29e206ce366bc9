"""Large-neighbourhood search over the workshop: re-solve a slice of the day, keep the rest.

CP-SAT's own neighbourhoods are generic (random variables, random constraints)
and, on a busy day of a few hundred operations, rarely find the exchanges that
matter here: a late car taking a technician's slot from a car with slack, a
team re-shuffling an afternoon. Each round frees one such slice — the work
around a late job, a stretch of time on a group of technicians, a handful of
jobs — and builds a small model in which every other operation is fixed where
the incumbent has it (one technician, one place, one start). CP-SAT solves it
from the incumbent, so a round can only improve the plan.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from scheduler.solve_settings import SolverSettings
from solver.evaluate import evaluate_terms, weighted_total
from solver.instance import Instance, Op, PlaceOption, Reference, TechOption, minutes_late, plannable_ops
from solver.solution import Placement, Solution

_LOG = logging.getLogger(__name__)
Neighbourhood = Callable[["_Search"], set[int]]


@dataclasses.dataclass
class Incumbent:
    solution: Solution
    objective: float


@dataclasses.dataclass(frozen=True)
class RoundResult:
    solution: Solution
    objective: float
    optimal: bool


BuildAndSolve = Callable[[Instance, Solution, float, int], RoundResult | None]
"""Solve a (restricted) instance from a hint, by a deadline, with a seed; None when nothing was found."""

ROUND_SECONDS = 1.0
"""Search time of one round once its model is built. On the stored 20x60 and 40x120 days at 10 s,
2 s rounds were mostly cut off by time and 1 s rounds did better; FJSP mk06/mk10 at 30 s prefer
longer rounds, and 0.5 s cost them 1-5 %, 1 s nothing measurable."""


class _Search:
    """State shared by the neighbourhood choosers."""

    def __init__(self, instance: Instance, incumbent: Incumbent, seed: int) -> None:
        self.instance = instance
        self.incumbent = incumbent
        self.random = random.Random(seed)
        self.ops = plannable_ops(instance)
        self.size = max(8, min(20, len(self.ops) // 4))
        """Operations the current round frees (its neighbourhood's size)."""
        self.arms = [_Arm(choose, self.size) for choose in NEIGHBOURHOODS]

    def pick(self) -> _Arm:
        """Each neighbourhood once, then mostly the one that has paid best lately."""
        untried = [arm for arm in self.arms if arm.rate is None]
        if untried:
            return untried[0]
        if self.random.random() < EXPLORE:
            return self.random.choice(self.arms)
        return max(self.arms, key=lambda arm: arm.rate or 0.0)

    @property
    def placements(self) -> dict[int, Placement]:
        return self.incumbent.solution.placements

    def technician(self, placement: Placement) -> int | None:
        if placement.tech_option is None:
            return None
        return self.instance.ops[placement.op].techs[placement.tech_option].tech


def around_a_late_job(search: _Search) -> set[int]:
    """A late (or the latest-finishing) job, and work of technicians able to help around it."""
    instance = search.instance
    chosen, late = _a_costly_job(search)
    if chosen is None:
        return set()
    job = instance.jobs[chosen]
    own = [search.placements[i] for i in job.ops if i in search.placements]
    capable = {o.tech for i in job.ops for o in instance.ops[i].techs}
    finish = max((p.end for p in own), default=instance.horizon)
    if not late:
        begin = min((p.start for p in own), default=0)
        around = [op for ops in _work_of(search, capable, begin, finish).values() for op in ops]
        search.random.shuffle(around)
        return set(job.ops) | set(around[: search.size])
    # A late job often began late: it needs room from its release on, and a whole stretch of one
    # technician's day is room where scattered operations are not.
    begin = min(instance.ops[i].release for i in job.ops)
    by_technician = _work_of(search, capable, begin, finish)
    technicians = sorted(by_technician)
    search.random.shuffle(technicians)
    freed = set(job.ops)
    for tech in technicians:
        if len(freed) >= search.size:
            break
        freed |= set(by_technician[tech])
    return freed


def _work_of(search: _Search, technicians: set[int], begin: int, finish: int) -> dict[int, list[int]]:
    """Per technician, the operations placed on him that overlap [begin, finish)."""
    work: dict[int, list[int]] = {}
    for p in search.placements.values():
        tech = search.technician(p)
        if tech is not None and tech in technicians and p.start < finish and p.end > begin:
            work.setdefault(tech, []).append(p.op)
    return work


def _a_costly_job(search: _Search) -> tuple[int | None, bool]:
    """A late job drawn by what its lateness costs (a night late earns the most rounds), and True;
    without one, one of the last fifth to finish (they hold up the makespan and the completions)."""
    instance, placements = search.instance, search.placements
    ends = {
        j: max((placements[i].end for i in job.ops if i in placements), default=0)
        for j, job in enumerate(instance.jobs)
        if job.ops
    }
    costs = {
        j: instance.jobs[j].weight * minutes_late(instance, instance.jobs[j], end) for j, end in ends.items()
    }
    late = [j for j, cost in costs.items() if cost > 0]
    if late:
        return search.random.choices(late, weights=[costs[j] for j in late])[0], True
    latest = sorted(ends, key=ends.__getitem__, reverse=True)[: max(1, len(ends) // 5)]
    return (search.random.choice(latest), False) if latest else (None, False)


def a_team_at_work(search: _Search) -> set[int]:
    """The work of a few technicians of one team around one moment: they can swap and rebalance."""
    placed = [p for p in search.placements.values() if p.tech_option is not None]
    if not placed:
        return set()
    anchor = search.random.choice(placed)
    technicians = search.instance.technicians
    own = search.technician(anchor)
    team = technicians[own].team if own is not None else ""
    members = [t for t, tech in enumerate(technicians) if tech.team == team and t != own]
    search.random.shuffle(members)
    chosen = {own, *members[:4]}
    near = sorted(
        (p for p in placed if search.technician(p) in chosen), key=lambda p: abs(p.start - anchor.start)
    )
    return {p.op for p in near[: search.size]}


def some_jobs(search: _Search) -> set[int]:
    """Every operation of a few random jobs: whole cars change technician and bay together."""
    jobs = [job for job in search.instance.jobs if job.ops]
    search.random.shuffle(jobs)
    freed: set[int] = set()
    for job in jobs:
        freed |= set(job.ops)
        if len(freed) >= search.size:
            break
    return freed


NEIGHBOURHOODS: tuple[Neighbourhood, ...] = (around_a_late_job, a_team_at_work, some_jobs)

EXPLORE = 0.25
"""Share of rounds given to a neighbourhood at random; the others go to the one paying best."""


@dataclasses.dataclass
class _Arm:
    """A neighbourhood with what it has earned: its size, and the objective it gains per second."""

    choose: Neighbourhood
    size: int
    rate: float | None = None
    """Smoothed gain per second of its rounds; None until it has had one."""

    def learn(self, gain: float, seconds: float, optimal: bool, most: int) -> None:
        rate = max(0.0, gain) / max(seconds, 1e-3)
        self.rate = rate if self.rate is None else 0.7 * self.rate + 0.3 * rate
        # A round solved to optimality could have freed more; one cut off by its time, less.
        if optimal:
            self.size = min(most, self.size + max(2, self.size // 5))
        else:
            self.size = max(6, self.size - max(1, self.size // 5))


@dataclasses.dataclass(frozen=True)
class _Slice:
    """What the freed work may use: other work on these stays in the round's model, fixed."""

    techs: set[int]
    bays: set[int]
    lifts: set[int]
    jobs: set[int]
    pools: set[int]
    parts: set[int]

    @classmethod
    def of(cls, instance: Instance, incumbent: Solution, freed: set[int]) -> _Slice:
        placed = [(instance.ops[i], incumbent.placements[i]) for i in freed if i in incumbent.placements]
        places = [op.places[p.place] for op, p in placed]
        return cls(
            techs={op.techs[p.tech_option].tech for op, p in placed if p.tech_option is not None},
            bays={place.bay for place in places if place.bay is not None},
            lifts={place.lift for place in places if place.lift is not None},
            jobs={instance.ops[i].job for i in freed},
            pools={pool for i in freed for pool in instance.ops[i].equipment},
            parts={demand.part for i in freed for demand in instance.ops[i].parts},
        )

    def touches(self, op: Op, placement: Placement) -> bool:
        place = op.places[placement.place]
        tech = op.techs[placement.tech_option].tech if placement.tech_option is not None else None
        return (
            op.job in self.jobs
            or tech in self.techs
            or place.bay in self.bays
            or place.lift in self.lifts
            or bool(self.pools.intersection(op.equipment))
            or any(d.part in self.parts for d in op.parts)
        )


def restricted(
    instance: Instance, incumbent: Solution, freed: set[int]
) -> tuple[Instance, Solution, set[int]]:
    """A small instance for one round, its hint, and the work it frees.

    Freed work may move among the technicians and places the slice already uses
    (so technicians swap, cars change bays); work touching those stays, fixed where
    the incumbent has it; all other work is left out of the round.
    """
    freed = _with_unplaced_predecessors(instance, incumbent, freed)
    scope = _Slice.of(instance, incumbent, freed)
    ops: list[Op] = []
    outside = dict(instance.unplannable)
    hint = Solution()
    for op in instance.ops:
        placement = incumbent.placements.get(op.index)
        if op.index in freed:
            narrowed = _narrowed(op, scope)
            ops.append(narrowed)
            if placement is not None:
                hint.placements[op.index] = _renumbered(op, narrowed, placement)
        elif placement is not None and scope.touches(op, placement):
            ops.append(_fixed(op, placement))
            hint.placements[op.index] = _renumbered(op, ops[-1], placement)
        else:
            ops.append(op)
            outside.setdefault(op.key, "outside this round")
    return dataclasses.replace(instance, ops=ops, unplannable=outside), hint, freed


def _with_unplaced_predecessors(instance: Instance, incumbent: Solution, freed: set[int]) -> set[int]:
    """Work that freed work waits for and that is not placed joins the round, so that the
    rule 'planned only with its predecessors' still sees it."""
    result = set(freed)
    stack = list(freed)
    while stack:
        for pred in instance.ops[stack.pop()].predecessors:
            if pred not in result and pred not in incumbent.placements:
                result.add(pred)
                stack.append(pred)
    return result


def _narrowed(op: Op, scope: _Slice) -> Op:
    techs = [o for o in op.techs if o.tech in scope.techs]
    places = [
        p
        for p in op.places
        if (p.bay is None or p.bay in scope.bays) and (p.lift is None or p.lift in scope.lifts)
    ]
    return _with_options(op, techs, places, fixed_start=op.fixed_start, started=op.started)


def _fixed(op: Op, placement: Placement) -> Op:
    techs = [op.techs[placement.tech_option]] if placement.tech_option is not None else []
    # Present like work under way; technician, place and start as the incumbent has them. Its end
    # may come sooner, and the round's answer then replaces the incumbent's (see `widened`).
    return _with_options(
        op,
        techs,
        [op.places[placement.place]],
        fixed_start=placement.start,
        latest_end=placement.end,
        started=True,
    )


def _with_options(op: Op, techs: list[TechOption], places: list[PlaceOption], **changes: object) -> Op:
    reference = op.reference
    if reference is not None:
        reference = Reference(
            tech=_position(techs, op.techs, reference.tech),
            place=_position(places, op.places, reference.place),
            start=reference.start,
            frozen=reference.frozen,
        )
    return dataclasses.replace(op, techs=techs, places=places, reference=reference, **changes)  # type: ignore[arg-type]


def _position(new: Sequence[object], old: Sequence[object], index: int | None) -> int | None:
    if index is None:
        return None
    return next((i for i, item in enumerate(new) if item == old[index]), None)


def _renumbered(source: Op, target: Op, placement: Placement) -> Placement:
    """The same placement with option indices of `target`'s lists (from `source`'s)."""
    return dataclasses.replace(
        placement,
        tech_option=_position(target.techs, source.techs, placement.tech_option),
        place=_position(target.places, source.places, placement.place) or 0,
    )


def widened(
    instance: Instance, sub: Instance, found: Solution, incumbent: Solution, freed: set[int]
) -> Solution:
    """The round's answer on the full instance: freed and held work where the round put it (held work
    keeps its start and may only end sooner), the rest unchanged."""
    solution = Solution(
        placements=dict(incumbent.placements),
        unplanned={i: r for i, r in incumbent.unplanned.items() if i not in freed},
    )
    for index in freed:
        solution.placements.pop(index, None)
    for index, placement in found.placements.items():
        solution.placements[index] = _renumbered(sub.ops[index], instance.ops[index], placement)
    for index in freed - found.placements.keys():
        solution.unplanned[index] = found.unplanned.get(index, "no room for it inside the planning horizon")
    return solution


def improve(
    instance: Instance,
    incumbent: Incumbent,
    settings: SolverSettings,
    *,
    deadline: float,
    workers: int,
    solve: BuildAndSolve,
    best: Callable[[], Incumbent | None],
    on_improvement: Callable[[Incumbent], None],
    stop: threading.Event | None = None,
) -> Incumbent:
    """Rounds until the deadline, on `workers` threads at once; each better plan is reported.

    `best` gives the best plan any search found meanwhile (another thread, the whole model):
    rounds continue from it. Each thread solves its rounds on one CP-SAT worker.
    """
    if workers <= 1:
        return _rounds(instance, incumbent, settings.seed, deadline, solve, best, on_improvement, stop)
    results: list[Incumbent] = []

    def run(thread: int) -> None:
        seed = settings.seed + 1000 * thread
        results.append(_rounds(instance, incumbent, seed, deadline, solve, best, on_improvement, stop))

    threads = [threading.Thread(target=run, args=(k,), daemon=True) for k in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return min(results, key=lambda found: found.objective, default=incumbent)


def _rounds(
    instance: Instance,
    incumbent: Incumbent,
    seed: int,
    deadline: float,
    solve: BuildAndSolve,
    best: Callable[[], Incumbent | None],
    on_improvement: Callable[[Incumbent], None],
    stop: threading.Event | None,
) -> Incumbent:
    search = _Search(instance, incumbent, seed)
    round_number = 0
    last_round = 0.0
    # A round that cannot finish before the deadline is not started.
    while time.perf_counter() < deadline - max(0.3, 0.75 * last_round) and not (
        stop is not None and stop.is_set()
    ):
        elsewhere = best()
        if elsewhere is not None and elsewhere.objective < search.incumbent.objective:
            search.incumbent = elsewhere
        arm = search.pick()
        round_number += 1
        search.size = arm.size
        freed = arm.choose(search)
        sub, hint, freed = restricted(instance, search.incumbent.solution, freed)
        began, before = time.perf_counter(), search.incumbent.objective
        found = solve(sub, hint, deadline, seed + round_number)
        if found is not None:
            candidate = widened(instance, sub, found.solution, search.incumbent.solution, freed)
            # The round saw part of the day: the whole day's objective decides.
            objective = float(weighted_total(instance, evaluate_terms(instance, candidate)))
            if objective < search.incumbent.objective:
                search.incumbent = Incumbent(candidate, objective)
                on_improvement(search.incumbent)
        last_round = time.perf_counter() - began
        optimal = found is not None and found.optimal
        arm.learn(before - search.incumbent.objective, last_round, optimal, most=len(search.ops))
        _LOG.debug(
            "round %d %s: %d ops freed, %s, %.2fs",
            round_number,
            arm.choose.__name__,
            len(freed),
            f"{search.incumbent.objective:.0f}" if found else "nothing",
            last_round,
        )
    return search.incumbent


def round_solver(seconds: float, workers: int, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.cp_model_probing_level = 0
    return solver
