"""Technicians, bays, lifts and the car: who and where may do the work, and never twice at once."""

from __future__ import annotations

from scheduler.plan_validator.context import (
    Context,
    Item,
    Violation,
    double_bookings,
    item_violation,
    outage_hits,
)


def _technician_fit(ctx: Context, item: Item) -> list[Violation]:
    op, tech_id = item.op, item.a.technician_id
    if op.crew_size == 0:
        if tech_id is not None:
            return [
                item_violation("technician_unexpected", item, f"unattended step has technician {tech_id}")
            ]
        return []
    if tech_id is None:
        return [item_violation("technician_missing", item, "operation needs a technician")]
    tech = ctx.technician(item)
    if tech is None:
        return [item_violation("unknown_technician", item, f"no technician {tech_id}")]
    found: list[Violation] = []
    grade = tech.grade(op.skill) if op.skill is not None else None
    if op.skill is not None and grade is None:
        found.append(item_violation("technician_skill", item, f"{tech_id} lacks skill {op.skill}"))
    if grade is not None and grade.level < op.min_level:
        found.append(
            item_violation(
                "technician_level", item, f"{tech_id} has {op.skill} level {grade.level} < {op.min_level}"
            )
        )
    if op.certification is not None and op.certification not in tech.certifications:
        found.append(
            item_violation(
                "technician_certification", item, f"{tech_id} lacks certification {op.certification}"
            )
        )
    if op.technician_minutes is not None and tech_id not in op.technician_minutes:
        listed = ", ".join(sorted(op.technician_minutes))
        found.append(
            item_violation(
                "technician_unlisted", item, f"{tech_id} is not among the technicians timed for it ({listed})"
            )
        )
    return found


def check_technicians(ctx: Context) -> list[Violation]:
    found = [v for item in ctx.items for v in _technician_fit(ctx, item)]
    found += double_bookings(
        ctx.items,
        lambda it: [it.a.technician_id] if it.a.technician_id is not None else [],
        "technician_double_booked",
        "technician",
    )
    return found


def _bay_fit(ctx: Context, item: Item) -> list[Violation]:
    op, bay_id, vehicle = item.op, item.a.bay_id, item.job.vehicle
    if bay_id is None:
        if op.bay_capability is not None:
            return [item_violation("bay_missing", item, f"operation needs a {op.bay_capability} bay")]
        return []
    if op.bay_capability is None:
        return [item_violation("bay_unexpected", item, f"operation needs no bay but has {bay_id}")]
    bay = ctx.problem.workshop.bay(bay_id)
    if bay is None:
        return [item_violation("unknown_bay", item, f"no bay {bay_id}")]
    found: list[Violation] = []
    if op.bay_capability not in bay.capabilities:
        found.append(
            item_violation("bay_capability", item, f"bay {bay_id} has no capability {op.bay_capability}")
        )
    if bay.max_vehicle_weight_kg is not None and vehicle.weight_kg > bay.max_vehicle_weight_kg:
        found.append(
            item_violation(
                "bay_vehicle_limit",
                item,
                f"vehicle {vehicle.weight_kg} kg exceeds bay {bay_id} limit {bay.max_vehicle_weight_kg} kg",
            )
        )
    limit = bay.max_vehicle_length_mm
    if limit is not None and vehicle.length_mm is not None and vehicle.length_mm > limit:
        found.append(
            item_violation(
                "bay_vehicle_limit",
                item,
                f"vehicle {vehicle.length_mm} mm exceeds bay {bay_id} limit {limit} mm",
            )
        )
    found += outage_hits(item, ctx.calendar.bay_outages(bay_id), "bay_out_of_service", f"bay {bay_id}")
    return found


def check_bays(ctx: Context) -> list[Violation]:
    found = [v for item in ctx.items for v in _bay_fit(ctx, item)]
    found += double_bookings(
        ctx.items,
        lambda it: [it.a.bay_id] if it.a.bay_id is not None else [],
        "bay_double_booked",
        "bay",
    )
    return found


def _lift_fit(ctx: Context, item: Item) -> list[Violation]:
    op, lift_id, bay_id = item.op, item.a.lift_id, item.a.bay_id
    if lift_id is None:
        if op.lift_type is not None:
            return [item_violation("lift_missing", item, f"operation needs a {op.lift_type.value} lift")]
        return []
    if op.lift_type is None:
        return [item_violation("lift_unexpected", item, f"operation needs no lift but has {lift_id}")]
    lift = ctx.problem.workshop.lift(lift_id)
    if lift is None:
        return [item_violation("unknown_lift", item, f"no lift {lift_id}")]
    found: list[Violation] = []
    if lift.type != op.lift_type:
        found.append(
            item_violation(
                "lift_type", item, f"lift {lift_id} is {lift.type.value}, needs {op.lift_type.value}"
            )
        )
    weight = item.job.vehicle.weight_kg
    if weight > lift.load_limit_kg:
        found.append(
            item_violation(
                "lift_overload", item, f"vehicle {weight} kg > lift {lift_id} limit {lift.load_limit_kg} kg"
            )
        )
    if lift.bay_id is not None and lift.bay_id != bay_id:
        found.append(
            item_violation(
                "lift_wrong_bay", item, f"lift {lift_id} is installed in bay {lift.bay_id}, not {bay_id}"
            )
        )
    installed = ctx.problem.workshop.installed_lift(bay_id) if bay_id is not None else None
    if lift.bay_id is None and installed is not None:
        found.append(
            item_violation(
                "mobile_lift_in_lift_bay",
                item,
                f"mobile lift {lift_id} used in bay {bay_id}, which has lift {installed.id} installed",
            )
        )
    found += outage_hits(item, ctx.calendar.lift_outages(lift_id), "lift_out_of_service", f"lift {lift_id}")
    return found


def check_lifts(ctx: Context) -> list[Violation]:
    found = [v for item in ctx.items for v in _lift_fit(ctx, item)]
    found += double_bookings(
        ctx.items,
        lambda it: [it.a.lift_id] if it.a.lift_id is not None else [],
        "lift_double_booked",
        "lift",
    )
    return found


def check_car(ctx: Context) -> list[Violation]:
    return double_bookings(ctx.items, lambda it: [it.job.id], "car_double_booked", "car of job")
