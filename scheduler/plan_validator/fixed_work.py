"""Fixed work: started operations stay where they are, pinned ones where the dispatcher put them."""

from __future__ import annotations

from datetime import datetime

from scheduler.calendar import intersect
from scheduler.plan_validator.context import Context, Item, Violation, fmt, item_violation


def _started_fit(item: Item) -> list[Violation]:
    a, progress = item.a, item.op.progress
    if not item.started:
        if a.started:
            return [item_violation("started_flag", item, "marked started but the operation has not started")]
        return []
    found: list[Violation] = []
    if not a.started:
        found.append(item_violation("started_flag", item, "started operation is not marked started"))
    if progress is None:
        return found
    pairs = [
        ("technician", progress.technician_id, a.technician_id),
        ("bay", progress.bay_id, a.bay_id),
        ("lift", progress.lift_id, a.lift_id),
    ]
    for what, kept, given in pairs:
        if kept is not None and given != kept:
            found.append(
                item_violation("started_moved", item, f"started on {what} {kept}, planned on {given}")
            )
    if a.start != progress.started_at:
        found.append(
            item_violation(
                "started_moved", item, f"started at {fmt(progress.started_at)}, planned from {fmt(a.start)}"
            )
        )
    return found


def _pin_start_kept(ctx: Context, item: Item, pinned: datetime) -> bool:
    """A pin into a break or before the shift means the first working moment after it."""
    if item.a.start == pinned:
        return True
    tech = ctx.technician(item)
    windows = ctx.technician_windows(tech) if tech is not None else ctx.unattended_windows()
    return item.a.start > pinned and not intersect(windows, [(pinned, item.a.start)])


def _pin_fit(ctx: Context, item: Item) -> list[Violation]:
    a, pin = item.a, item.op.pin
    if pin is None:
        return []
    found: list[Violation] = []
    if not a.pinned:
        found.append(item_violation("pinned_flag", item, "pinned operation is not marked pinned"))
    if pin.technician_id is not None and a.technician_id != pin.technician_id:
        found.append(
            item_violation(
                "pin_ignored", item, f"pinned to technician {pin.technician_id}, planned {a.technician_id}"
            )
        )
    if pin.bay_id is not None and a.bay_id != pin.bay_id:
        found.append(item_violation("pin_ignored", item, f"pinned to bay {pin.bay_id}, planned {a.bay_id}"))
    if pin.start is not None and not _pin_start_kept(ctx, item, pin.start):
        found.append(
            item_violation("pin_ignored", item, f"pinned to start {fmt(pin.start)}, planned {fmt(a.start)}")
        )
    return found


def check_fixed_work(ctx: Context) -> list[Violation]:
    return [v for item in ctx.items for v in _started_fit(item) + _pin_fit(ctx, item)]
