"""The independent plan validator: checks any Plan against its Problem and lists every violation.

It uses the domain model and the calendar only, never the solver, so a solver bug
cannot hide behind a matching bug here. Each rule family is one small function; all
of them run, and every broken rule is reported with a stable rule name. The families
live in one module per concern (coverage, timing, resources, equipment, release,
precedence, fixed_work, forecasts) and share `context`: the plan's operations resolved
against the problem, and the helpers every family uses.

Rule names (stable; tests and tools may rely on them):

- coverage: unknown_operation, not_plannable_operation, duplicate_operation, missing_operation
- pieces and working time: invalid_pieces, outside_working_time, overtime_mismatch
- duration: work_minutes_mismatch, duration_mismatch
- technician: technician_missing, technician_unexpected, unknown_technician, technician_skill,
  technician_level, technician_certification, technician_unlisted, technician_double_booked
- bay: bay_missing, bay_unexpected, unknown_bay, bay_capability, bay_vehicle_limit, bay_double_booked,
  bay_out_of_service
- lift: lift_missing, lift_unexpected, unknown_lift, lift_type, lift_overload, lift_wrong_bay,
  mobile_lift_in_lift_bay, lift_double_booked, lift_out_of_service
- equipment: equipment_mismatch, unknown_equipment_pool, equipment_unit_range, equipment_double_booked,
  equipment_over_capacity
- car: car_double_booked
- release: before_arrival, before_now, parts_shortage
- precedence: precedence, unplanned_predecessor
- fixed work: started_moved, started_flag, pin_ignored, pinned_flag
- horizon: beyond_horizon
- forecasts: forecast_missing, forecast_unexpected, forecast_duplicate, forecast_promised_at,
  forecast_completion, forecast_slack, forecast_late
- KPIs: kpi_mismatch
"""

from __future__ import annotations

from collections.abc import Callable

from scheduler.plan import Plan
from scheduler.plan_validator.context import Context, Violation, build_context
from scheduler.plan_validator.coverage import check_coverage
from scheduler.plan_validator.equipment import check_equipment
from scheduler.plan_validator.fixed_work import check_fixed_work
from scheduler.plan_validator.forecasts import (
    ON_TIME_SHARE_TOLERANCE,
    check_forecasts,
    check_kpis,
    recomputed_kpis,
)
from scheduler.plan_validator.precedence import check_precedence
from scheduler.plan_validator.release import check_horizon, check_parts, check_release
from scheduler.plan_validator.resources import check_bays, check_car, check_lifts, check_technicians
from scheduler.plan_validator.timing import check_durations, check_overtime, check_pieces, check_working_time
from scheduler.problem import Problem

RULE_FAMILIES: tuple[Callable[[Context], list[Violation]], ...] = (
    check_coverage,
    check_pieces,
    check_technicians,
    check_working_time,
    check_overtime,
    check_durations,
    check_bays,
    check_lifts,
    check_equipment,
    check_car,
    check_release,
    check_parts,
    check_precedence,
    check_fixed_work,
    check_horizon,
    check_forecasts,
    check_kpis,
)


def validate_plan(problem: Problem, plan: Plan) -> list[Violation]:
    """Every rule the plan breaks, in rule-family order; an empty list for a valid plan."""
    ctx = build_context(problem, plan)
    return [violation for family in RULE_FAMILIES for violation in family(ctx)]


def recompute_kpis(problem: Problem, plan: Plan) -> dict[str, float]:
    """The plan's KPIs (except utilisation) recomputed from its assignments, without the solver."""
    return recomputed_kpis(build_context(problem, plan))


def assert_valid(problem: Problem, plan: Plan) -> None:
    """Raise AssertionError listing every violation when the plan breaks any rule."""
    violations = validate_plan(problem, plan)
    if violations:
        lines = "\n".join(f"  - {v}" for v in violations)
        raise AssertionError(f"plan has {len(violations)} violation(s):\n{lines}")


__all__ = ["ON_TIME_SHARE_TOLERANCE", "Violation", "assert_valid", "recompute_kpis", "validate_plan"]
