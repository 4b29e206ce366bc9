"""CP-SAT variables, held in small typed containers."""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.instance import Instance, Op
from solver.solution import Solution


@dataclass
class TechChoice:
    option: int
    """Index into Op.techs."""
    chosen: cp_model.IntVar
    interval: cp_model.IntervalVar
    overtime: cp_model.IntVar | None = None
    """Overtime slots used when chosen (None: this option never uses overtime)."""


@dataclass
class PlaceChoice:
    option: int
    """Index into Op.places."""
    chosen: cp_model.IntVar
    interval: cp_model.IntervalVar


@dataclass
class OpVars:
    op: Op
    present: cp_model.IntVar
    start: cp_model.IntVar
    end: cp_model.IntVar
    length: cp_model.IntVar
    interval: cp_model.IntervalVar
    techs: list[TechChoice] = field(default_factory=list)
    places: list[PlaceChoice] = field(default_factory=list)
    tranches: dict[int, list[cp_model.IntVar]] = field(default_factory=dict)
    """Per part index: one literal per supply tranche."""


@dataclass
class Variables:
    ops: dict[int, OpVars] = field(default_factory=dict)
    completion: dict[int, cp_model.IntVar] = field(default_factory=dict)
    moved: dict[int, cp_model.IntVar] = field(default_factory=dict)
    """Per published operation: true when the plan moves it."""
    """Per job index with planned work."""

    def of(self, op_index: int) -> OpVars:
        return self.ops[op_index]

    def by_technician(self) -> dict[int, list[TechChoice]]:
        result: dict[int, list[TechChoice]] = {}
        for vars_ in self.ops.values():
            for choice in vars_.techs:
                result.setdefault(vars_.op.techs[choice.option].tech, []).append(choice)
        return result

    def by_place(self, attribute: str) -> dict[int, list[PlaceChoice]]:
        """Choices grouped by bay ('bay') or by lift ('lift')."""
        result: dict[int, list[PlaceChoice]] = {}
        for vars_ in self.ops.values():
            for choice in vars_.places:
                key = getattr(vars_.op.places[choice.option], attribute)
                if key is not None:
                    result.setdefault(key, []).append(choice)
        return result


def candidate_techs(op: Op, hint: Solution, limit: int) -> list[int]:
    """The greedy's choice plus the least over-qualified, fastest others."""
    ranked = sorted(range(len(op.techs)), key=lambda i: (op.techs[i].overqualification, op.techs[i].slots))
    return _keep_hinted(ranked, hint, op.index, "tech_option", limit)


def candidate_places(instance: Instance, op: Op, hint: Solution, limit: int) -> list[int]:
    """Keep lift and special bays for the work that needs them."""

    def cost(i: int) -> tuple[int, int]:
        bay = op.places[i].bay
        if bay is None:
            return 0, 0
        spare_lift = op.operation.lift_type is None and bay in instance.bays_with_lift
        return int(spare_lift), len(instance.bays[bay].capabilities)

    ranked = sorted(range(len(op.places)), key=cost)
    return _keep_hinted(ranked, hint, op.index, "place", limit)


def _keep_hinted(ranked: list[int], hint: Solution, op_index: int, attribute: str, limit: int) -> list[int]:
    placement = hint.placements.get(op_index)
    chosen = getattr(placement, attribute) if placement is not None else None
    kept = ranked[:limit]
    if chosen is not None and chosen not in kept:
        kept = [*kept[: limit - 1], chosen]
    return sorted(kept)
