"""When work may happen: after the car arrives, after now, with its parts there, inside the horizon."""

from __future__ import annotations

from datetime import datetime

from scheduler.jobs import OperationStatus
from scheduler.plan_validator.context import Context, Item, Violation, fmt, item_violation


def check_release(ctx: Context) -> list[Violation]:
    found: list[Violation] = []
    for item in ctx.items:
        if item.fixed_start:
            continue
        arrival = item.job.expected_arrival
        if arrival is not None and item.a.start < arrival:
            found.append(
                item_violation(
                    "before_arrival", item, f"starts {fmt(item.a.start)} before the car, {fmt(arrival)}"
                )
            )
        if item.a.start < ctx.now:
            found.append(
                item_violation("before_now", item, f"starts {fmt(item.a.start)} before now {fmt(ctx.now)}")
            )
    return found


def _part_shortages(ctx: Context, part_number: str) -> list[Violation]:
    parts = ctx.problem.parts
    stock = sum(s.on_hand for s in parts.stock if s.part_number == part_number)
    events: list[tuple[datetime, int, int, Item | None]] = [
        (d.eta, 0, d.quantity, None) for d in parts.deliveries if d.part_number == part_number
    ]
    for item in ctx.items:
        if item.op.status == OperationStatus.STARTED:
            continue  # started work took its parts from the shelf before the stock was counted
        demand = sum(line.quantity for line in item.op.parts if line.part_number == part_number)
        if demand:
            events.append((item.a.start, 1, -demand, item))
    found: list[Violation] = []
    for moment, _, change, consumer in sorted(events, key=lambda e: (e[0], e[1])):
        stock += change
        if consumer is not None and stock < 0:
            found.append(
                item_violation(
                    "parts_shortage",
                    consumer,
                    f"part {part_number}: {-change} needed at {fmt(moment)}, stock runs {-stock} short",
                )
            )
    return found


def check_parts(ctx: Context) -> list[Violation]:
    numbers = dict.fromkeys(line.part_number for item in ctx.items for line in item.op.parts)
    return [
        v for number in numbers if ctx.problem.parts.tracked(number) for v in _part_shortages(ctx, number)
    ]


def check_horizon(ctx: Context) -> list[Violation]:
    end = ctx.plan.horizon_end
    return [
        item_violation("beyond_horizon", item, f"ends {fmt(item.a.end)} after the horizon {fmt(end)}")
        for item in ctx.items
        if item.a.end > end
    ]
