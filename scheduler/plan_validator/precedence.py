"""Precedence: an operation starts after its predecessors end, and is planned only if they are."""

from __future__ import annotations

from scheduler.jobs import Job, Operation
from scheduler.plan_validator.context import Context, Item, Violation, fmt, item_violation


def _plannable_predecessors(ctx: Context, job: Job, op: Operation) -> list[Operation]:
    preds = [job.operation(pred_id) for pred_id in op.predecessors]
    return [p for p in preds if p is not None and (job.id, p.id) in ctx.expected]


def _unplanned_ancestors(ctx: Context, item: Item) -> list[str]:
    planned = ctx.planned
    missing: list[str] = []
    seen: set[str] = set()
    stack = _plannable_predecessors(ctx, item.job, item.op)
    while stack:
        pred = stack.pop()
        if pred.id in seen:
            continue
        seen.add(pred.id)
        if (item.job.id, pred.id) not in planned:
            missing.append(pred.id)
        stack += _plannable_predecessors(ctx, item.job, pred)
    return sorted(missing)


def check_precedence(ctx: Context) -> list[Violation]:
    planned = ctx.planned
    found: list[Violation] = []
    for item in ctx.items:
        for pred in _plannable_predecessors(ctx, item.job, item.op):
            before = planned.get((item.job.id, pred.id))
            if before is not None and item.a.start < before.a.end:
                found.append(
                    item_violation(
                        "precedence",
                        item,
                        f"starts {fmt(item.a.start)} before predecessor {pred.id} ends {fmt(before.a.end)}",
                    )
                )
        missing = _unplanned_ancestors(ctx, item)
        if missing:
            found.append(
                item_violation(
                    "unplanned_predecessor", item, f"planned although predecessor(s) {missing} are not"
                )
            )
    return found
