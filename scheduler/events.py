"""What DMS events do to parts and to resource availability: pure functions on domain objects.

The service applies events in batches (api/event_apply.py); the effects themselves
belong to the domain so that any other caller (a replay tool, a simulation) applies
them the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from scheduler.common import TimeWindow
from scheduler.jobs import PartDelivery, PartsSituation, PartStock
from scheduler.workshop import Workshop

ResourceKind = Literal["technician", "bay", "lift"]
"""A resource that can be away: a technician's absences, a bay's or lift's outages."""

_COLLECTIONS: dict[ResourceKind, str] = {"technician": "technicians", "bay": "bays", "lift": "lifts"}
_WINDOWS: dict[ResourceKind, str] = {
    "technician": "absences",
    "bay": "out_of_service",
    "lift": "out_of_service",
}


def arrive(parts: PartsSituation, part_number: str, quantity: int) -> PartsSituation:
    """Stock on hand grows; open deliveries of the part shrink by as much, earliest ETA first."""
    stock = list(parts.stock)
    index = next((i for i, s in enumerate(stock) if s.part_number == part_number), None)
    if index is None:
        stock.append(PartStock(part_number=part_number, on_hand=quantity))
    else:
        stock[index] = PartStock(part_number=part_number, on_hand=stock[index].on_hand + quantity)
    left = quantity
    deliveries: list[PartDelivery] = []
    for delivery in sorted(parts.deliveries, key=lambda d: d.eta):
        if delivery.part_number != part_number or left == 0:
            deliveries.append(delivery)
        elif delivery.quantity <= left:
            left -= delivery.quantity
        else:
            deliveries.append(delivery.model_copy(update={"quantity": delivery.quantity - left}))
            left = 0
    return PartsSituation(stock=stock, deliveries=deliveries)


def move_eta(parts: PartsSituation, part_number: str, eta: datetime, quantity: int | None) -> PartsSituation:
    """Open deliveries of the part now arrive at `eta`; with a quantity they become one delivery of it."""
    mine = [d for d in parts.deliveries if d.part_number == part_number]
    others = [d for d in parts.deliveries if d.part_number != part_number]
    total = quantity or sum(d.quantity for d in mine) or 1
    moved = [PartDelivery(part_number=part_number, quantity=total, eta=eta)]
    return PartsSituation(stock=list(parts.stock), deliveries=others + moved)


def _replace(
    workshop: Workshop, kind: ResourceKind, resource_id: str, change: str, value: object
) -> Workshop:
    collection = _COLLECTIONS[kind]
    items = list(getattr(workshop, collection))
    index = next((i for i, item in enumerate(items) if item.id == resource_id), None)
    if index is None:
        raise LookupError(f"unknown {kind} {resource_id!r}")
    items[index] = items[index].model_copy(update={change: value})
    return workshop.model_copy(update={collection: items})


def _windows(workshop: Workshop, kind: ResourceKind, resource_id: str) -> list[TimeWindow]:
    item = next((i for i in getattr(workshop, _COLLECTIONS[kind]) if i.id == resource_id), None)
    if item is None:
        raise LookupError(f"unknown {kind} {resource_id!r}")
    return list(getattr(item, _WINDOWS[kind]))


def out_of_service(
    workshop: Workshop, kind: ResourceKind, resource_id: str, start: datetime, end: datetime, reason: str
) -> Workshop:
    """A technician's absence, or a bay's or lift's outage, from start to end."""
    windows = _windows(workshop, kind, resource_id)
    windows.append(TimeWindow(start=start, end=end, reason=reason))
    return _replace(workshop, kind, resource_id, _WINDOWS[kind], windows)


def back(workshop: Workshop, kind: ResourceKind, resource_id: str, at: datetime) -> Workshop:
    """The window that covers `at` ends there; windows planned for later stay."""
    kept: list[TimeWindow] = []
    for window in _windows(workshop, kind, resource_id):
        if window.start <= at < window.end:
            if window.start < at:
                kept.append(window.model_copy(update={"end": at}))
        else:
            kept.append(window)
    return _replace(workshop, kind, resource_id, _WINDOWS[kind], kept)
