"""The order in which the greedy dispatcher takes work: jobs by promise, operations by precedence."""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable

from solver.instance import Instance, JobInfo, Op

JobOrder = Callable[[Instance, list[Op]], list[JobInfo]]


def job_order(instance: Instance, ops: list[Op]) -> list[JobInfo]:
    """Earliest promise first (jobs without one last); then heavier priority, earlier arrival, index."""
    release: dict[int, int] = {}
    for op in ops:
        release[op.job] = min(release.get(op.job, op.release), op.release)
    horizon = instance.horizon

    def key(index: int) -> tuple[bool, int, int, int, int]:
        job = instance.jobs[index]
        promise = job.promise if job.promise is not None else horizon
        return job.promise is None, promise, -job.weight, release.get(index, horizon), index

    return [instance.jobs[i] for i in sorted(range(len(instance.jobs)), key=key)]


def jittered_order(seed: int, spread: float = 3.0) -> JobOrder:
    """`job_order` with each job moved by up to `spread` places at random (seeded)."""

    def order(instance: Instance, ops: list[Op]) -> list[JobInfo]:
        draw = random.Random(seed)
        ranked = job_order(instance, ops)
        keys = [place + draw.uniform(-spread, spread) for place in range(len(ranked))]
        return [job for _, job in sorted(zip(keys, ranked, strict=True), key=lambda pair: pair[0])]

    return order


def topological(instance: Instance, job: JobInfo, plannable: set[int]) -> list[Op]:
    """The job's plannable operations, each after its predecessors, lower index first on ties."""
    members = plannable & set(job.ops)
    waiting = {i: {p for p in instance.ops[i].predecessors if p in members} for i in members}
    ready = [i for i, preds in waiting.items() if not preds]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        current = heapq.heappop(ready)
        order.append(current)
        for i, preds in waiting.items():
            if current in preds:
                preds.discard(current)
                if not preds:
                    heapq.heappush(ready, i)
    # A cycle would leave work behind; it follows in index order and is found waiting.
    order += sorted(members - set(order))
    return [instance.ops[i] for i in order]
