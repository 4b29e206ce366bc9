"""Equipment pools: the units an operation needs, within the pool and never over its capacity."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from scheduler.plan_validator.context import (
    Context,
    Item,
    Violation,
    double_bookings,
    fmt,
    item_violation,
    overlaps,
)


def _equipment_fit(ctx: Context, item: Item) -> list[Violation]:
    found: list[Violation] = []
    wanted, used = Counter(item.op.equipment), Counter(use.pool_id for use in item.a.equipment)
    if wanted != used:
        found.append(
            item_violation(
                "equipment_mismatch",
                item,
                f"uses pools {sorted(used.elements())}, operation needs {sorted(wanted.elements())}",
            )
        )
    for use in item.a.equipment:
        pool = ctx.problem.workshop.equipment_pool(use.pool_id)
        if pool is None:
            found.append(item_violation("unknown_equipment_pool", item, f"no equipment pool {use.pool_id}"))
        elif not 1 <= use.unit <= pool.count:
            found.append(
                item_violation(
                    "equipment_unit_range", item, f"unit {use.unit} of {pool.id} is not in 1..{pool.count}"
                )
            )
    return found


def _pool_overload(ctx: Context, item: Item, pool_id: str, users: Sequence[Item]) -> Violation | None:
    """The first moment of the item's use at which the pool's units in use exceed what is in service."""
    pool = ctx.problem.workshop.equipment_pool(pool_id)
    if pool is None:
        return None
    start, end = item.a.start, item.a.end
    outages = [o for o in pool.out_of_service if overlaps(start, end, o.start, o.end)]
    users = [u for u in users if overlaps(start, end, u.a.start, u.a.end)]
    moments = (
        {start}
        | {u.a.start for u in users if u.a.start > start}
        | {o.start for o in outages if o.start > start}
    )
    for moment in sorted(moments):
        in_use = sum(
            1
            for u in users
            if u.a.start <= moment < u.a.end
            for use in u.a.equipment
            if use.pool_id == pool_id
        )
        down = sum(o.units for o in outages if o.start <= moment < o.end)
        if in_use + down > pool.count:
            return item_violation(
                "equipment_over_capacity",
                item,
                f"{pool_id} at {fmt(moment)}: {in_use} unit(s) in use and {down} out of service "
                f"of {pool.count}",
            )
    return None


def check_equipment(ctx: Context) -> list[Violation]:
    found = [v for item in ctx.items for v in _equipment_fit(ctx, item)]
    found += double_bookings(
        ctx.items,
        lambda it: [f"{use.pool_id}#{use.unit}" for use in it.a.equipment],
        "equipment_double_booked",
        "equipment unit",
    )
    users: dict[str, list[Item]] = defaultdict(list)
    for item in ctx.items:
        for pool_id in dict.fromkeys(use.pool_id for use in item.a.equipment):
            users[pool_id].append(item)
    for pool_id, group in users.items():
        for item in group:
            overload = _pool_overload(ctx, item, pool_id, group)
            if overload is not None:
                found.append(overload)
    return found
