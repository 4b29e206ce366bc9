"""Why the greedy dispatcher leaves work unplanned, in the words the plan shows the workshop."""

from __future__ import annotations

from solver.instance import Op

NO_ROOM = "no qualified technician and bay free before the horizon ends"


def waits_for(pred: Op) -> str:
    return f"waits for operation {pred.operation.id}, which cannot be planned"


def waiting_for_part(part_number: str) -> str:
    return f"waiting for part {part_number}: not enough stock or deliveries within the horizon"


def fixed_blocked(op: Op) -> str:
    if op.started:
        return "started work cannot continue: its technician, bay or equipment is taken at its start"
    return "pinned start cannot be kept: no qualified technician, bay and equipment are free then"
