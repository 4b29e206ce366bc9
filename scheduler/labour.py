"""The labour catalogue at work: what the front desk asks for becomes a job's operations.

A work item is a labour code of the workshop's catalogue (标准工时) or a whole
operation written out. Items become `Operation`s in the job's flow order, with
predecessors by kind: diagnosis before repair, repair before alignment, body
before paint before curing, all work before the quality inspection, the
inspection before the wash. A kind missing from the job is replaced by its own
predecessors (alignment after diagnosis when there is no repair, the wash after
all work when there is no inspection).

Supplemental work joins a job that already has operations: the new operations
wait for the job's earlier kinds, and the job's pending operations of later
kinds (its inspection, its wash) wait for them in turn.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from scheduler.common import DomainModel, Identifier
from scheduler.jobs import Approval, Job, Operation, OperationStatus, PartLine
from scheduler.workshop import LabourCode, LiftType, SkillLevel, Workshop


class OperationKind(StrEnum):
    """Where an operation sits in the job's flow; the order below is the flow."""

    DIAGNOSIS = "diagnosis"
    REPAIR = "repair"
    BODY = "body"
    PAINT = "paint"
    CURING = "curing"
    ALIGNMENT = "alignment"
    INSPECTION = "inspection"
    WASH = "wash"


WORK_KINDS: tuple[OperationKind, ...] = (
    OperationKind.DIAGNOSIS,
    OperationKind.REPAIR,
    OperationKind.BODY,
    OperationKind.PAINT,
    OperationKind.CURING,
    OperationKind.ALIGNMENT,
)
"""Kinds that are work on the car (everything before the inspection)."""

KIND_PREDECESSORS: Mapping[OperationKind, tuple[OperationKind, ...]] = {
    OperationKind.DIAGNOSIS: (),
    OperationKind.REPAIR: (OperationKind.DIAGNOSIS,),
    OperationKind.BODY: (),
    OperationKind.PAINT: (OperationKind.BODY,),
    OperationKind.CURING: (OperationKind.PAINT,),
    OperationKind.ALIGNMENT: (OperationKind.REPAIR,),
    OperationKind.INSPECTION: WORK_KINDS,
    OperationKind.WASH: (OperationKind.INSPECTION,),
}
"""Kinds an operation of each kind waits for."""

_RANK = {kind: rank for rank, kind in enumerate(OperationKind)}
_KIND_VALUES = frozenset(kind.value for kind in OperationKind)

_KIND_BY_SKILL: Mapping[str, OperationKind] = {
    "quality_inspection": OperationKind.INSPECTION,
    "wash": OperationKind.WASH,
    "body": OperationKind.BODY,
    "paint": OperationKind.PAINT,
    "alignment": OperationKind.ALIGNMENT,
}


class LabourError(ValueError):
    """A work item that cannot become an operation; `path` names it (e.g. `work[1].labour_code`)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class OperationSpec(DomainModel):
    """An operation written out by hand: everything but its id, predecessors and progress."""

    labour_code: str = ""
    text: str = ""
    standard_minutes: Annotated[int, Field(ge=1, le=60 * 40)]
    skill: str | None = None
    min_level: SkillLevel = 1
    certification: str | None = None
    bay_capability: str | None = "general"
    lift_type: LiftType | None = None
    equipment: list[Identifier] = Field(default_factory=list)
    parts: list[PartLine] = Field(default_factory=list)
    crew_size: Literal[0, 1] = 1


class WorkItem(DomainModel):
    """A labour code of the catalogue, or an operation written out; `kind` overrides its place in the flow."""

    labour_code: str | None = None
    operation: OperationSpec | None = None
    kind: OperationKind | None = None

    @model_validator(mode="after")
    def _one_of(self) -> WorkItem:
        if (self.labour_code is None) == (self.operation is None):
            raise ValueError("give either labour_code or operation")
        return self


def parse_kind(kind: str, path: str) -> OperationKind:
    try:
        return OperationKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in OperationKind)
        raise LabourError(path, f"unknown kind {kind!r}; use one of {known}") from None


def inferred_kind(skill: str | None, crew_size: int) -> OperationKind:
    """The kind of an operation that names no catalogue code: by its skill (unattended: curing)."""
    if crew_size == 0:
        return OperationKind.CURING
    return _KIND_BY_SKILL.get(skill or "", OperationKind.REPAIR)


def kind_of(operation: Operation, workshop: Workshop) -> OperationKind:
    """An existing operation's kind: its labour code's in the catalogue, else inferred from its skill."""
    entry = workshop.labour(operation.labour_code) if operation.labour_code else None
    if entry is not None and entry.kind in _KIND_VALUES:
        return OperationKind(entry.kind)
    return inferred_kind(operation.skill, operation.crew_size)


def resolve_kinds(wanted: Sequence[OperationKind], present: set[OperationKind]) -> set[OperationKind]:
    """The kinds present in the job that stand for `wanted` (a missing kind by its own predecessors)."""
    kinds: set[OperationKind] = set()
    for kind in wanted:
        kinds |= {kind} if kind in present else resolve_kinds(KIND_PREDECESSORS[kind], present)
    return kinds


def flow_order(kinds: Sequence[OperationKind]) -> list[int]:
    """Indices in the job's flow order, stable inside a kind."""
    return sorted(range(len(kinds)), key=lambda i: _RANK[kinds[i]])


def flow_predecessors(kinds: Sequence[OperationKind]) -> list[list[int]]:
    """For each operation (by index), the indices of the operations it waits for."""
    present = set(kinds)
    waits = [resolve_kinds(KIND_PREDECESSORS[kind], present) for kind in kinds]
    return [[j for j, other in enumerate(kinds) if other in waits[i] and j != i] for i in range(len(kinds))]


def operation_from_labour(
    entry: LabourCode,
    operation_id: str,
    predecessors: Sequence[str] = (),
    *,
    parts: Sequence[PartLine] | None = None,
    lift_type: LiftType | None = None,
) -> Operation:
    """The catalogue entry as an operation; parts default to one of each typical part."""
    lines = list(parts) if parts is not None else [PartLine(part_number=p) for p in entry.typical_parts]
    return Operation(
        id=operation_id,
        labour_code=entry.code,
        text=entry.text,
        standard_minutes=entry.standard_minutes,
        skill=entry.skill,
        min_level=entry.min_level,
        certification=entry.certification,
        bay_capability=entry.bay_capability,
        lift_type=lift_type or entry.lift_type,
        equipment=list(entry.equipment),
        parts=lines,
        predecessors=list(predecessors),
        crew_size=entry.crew_size,
    )


@dataclass(frozen=True)
class _Drafted:
    """A work item resolved against the catalogue, before it has its id and predecessors."""

    item_index: int
    kind: OperationKind
    entry: LabourCode | None
    spec: OperationSpec | None


def _draft(index: int, item: WorkItem, workshop: Workshop, path: str) -> _Drafted:
    where = f"{path}[{index}]"
    if item.labour_code is not None:
        entry = workshop.labour(item.labour_code)
        if entry is None:
            raise LabourError(f"{where}.labour_code", _unknown_code(item.labour_code, workshop))
        kind = item.kind or parse_kind(entry.kind, f"{where}.labour_code")
        return _Drafted(index, kind, entry, None)
    assert item.operation is not None
    spec = item.operation
    if item.kind is not None:
        kind = item.kind
    else:
        entry = workshop.labour(spec.labour_code) if spec.labour_code else None
        kind = (
            parse_kind(entry.kind, f"{where}.operation.labour_code")
            if entry is not None
            else inferred_kind(spec.skill, spec.crew_size)
        )
    return _Drafted(index, kind, None, spec)


def _unknown_code(code: str, workshop: Workshop) -> str:
    if not workshop.labour_catalogue:
        return f"unknown labour code {code!r}: the workshop has no labour catalogue"
    codes = [entry.code for entry in workshop.labour_catalogue]
    close = [c for c in codes if c.split("-")[0] == code.split("-")[0]][:5] or codes[:5]
    return f"unknown labour code {code!r}; the catalogue has e.g. {', '.join(close)}"


def _operation(drafted: _Drafted, operation_id: str, predecessors: list[str]) -> Operation:
    if drafted.entry is not None:
        return operation_from_labour(drafted.entry, operation_id, predecessors)
    assert drafted.spec is not None
    return Operation.model_validate(
        {**drafted.spec.model_dump(), "id": operation_id, "predecessors": predecessors}
    )


@dataclass(frozen=True)
class JobWork:
    """Operations made from work items, and the job's existing operations that now wait for them."""

    operations: list[Operation]
    """The new operations, in flow order."""
    item_of: dict[str, int]
    """New operation id → index of the work item it came from."""
    kinds: list[OperationKind]
    """Kind of each new operation."""
    existing: list[Operation]
    """The job's operations as before, pending ones with the new operations added to their predecessors."""


def build_job_work(
    items: Sequence[WorkItem],
    workshop: Workshop,
    new_id: Callable[[int], str],
    *,
    existing: Sequence[Operation] = (),
    path: str = "work",
) -> JobWork:
    """Operations for `items` (ids from `new_id(0)`, `new_id(1)`, … in flow order) fitted into the job's flow.

    Raises LabourError naming the item (`work[1].labour_code`) when a labour code is not in the catalogue.
    """
    drafted = [_draft(i, item, workshop, path) for i, item in enumerate(items)]
    drafted = [drafted[i] for i in flow_order([d.kind for d in drafted])]
    ids = [new_id(n) for n in range(len(drafted))]
    taken = {op.id for op in existing}
    clash = next((i for i in ids if i in taken), None)
    if clash is not None:
        raise LabourError(path, f"operation id {clash!r} is already used in the job")
    old_kinds = [kind_of(op, workshop) for op in existing]
    kinds = old_kinds + [d.kind for d in drafted]
    all_ids = [op.id for op in existing] + ids
    waits = flow_predecessors(kinds)
    offset = len(existing)
    operations = [
        _operation(d, ids[n], [all_ids[j] for j in waits[offset + n]]) for n, d in enumerate(drafted)
    ]
    item_of = {ids[n]: d.item_index for n, d in enumerate(drafted)}
    updated = _waiting_for_added(existing, all_ids, waits)
    return JobWork(operations, item_of, [d.kind for d in drafted], updated)


def _waiting_for_added(
    existing: Sequence[Operation], all_ids: Sequence[str], waits: Sequence[Sequence[int]]
) -> list[Operation]:
    """The existing operations (the first of `all_ids`), the pending ones also waiting for the added ones.

    `waits` are the flow predecessors (by index into `all_ids`) of every operation, existing and added.
    """
    offset = len(existing)
    return [_waiting_also(op, [all_ids[j] for j in waits[k] if j >= offset]) for k, op in enumerate(existing)]


def _waiting_also(op: Operation, ids: Sequence[str]) -> Operation:
    """`op` also waiting for `ids` it does not wait for yet, if it has not started."""
    new = [i for i in ids if i not in op.predecessors]
    if not new or op.status != OperationStatus.PENDING:
        return op
    return op.model_copy(update={"predecessors": [*op.predecessors, *new]})


def build_operations(
    items: Sequence[WorkItem], workshop: Workshop, prefix: str, *, path: str = "work"
) -> list[Operation]:
    """A new job's operations `<prefix>-01`, `-02`, … in flow order with the predecessor chain."""
    return build_job_work(items, workshop, lambda n: f"{prefix}-{n + 1:02d}", path=path).operations


def _same_part(typical: str, asked: str) -> bool:
    """The asked part number is the typical one, or its model-specific variant (`BP-F` → `BP-F-CAM`)."""
    return asked == typical or asked.startswith(typical + "-")


def attach_parts(
    operations: Sequence[Operation],
    lines: Sequence[PartLine],
    kinds: Sequence[OperationKind],
    *,
    rename: Callable[[str], str] | None = None,
) -> list[Operation]:
    """Part lines asked for by the front desk, put on the operations that take them.

    A line replaces the operation's typical part it names (the same number, or the model's variant
    of it); otherwise it goes to the first operation that is real work on the car (not a
    diagnosis, inspection or wash), else to the first operation. `rename` gives the number the
    line is stored under (e.g. a part reserved for one job).
    """
    ops = list(operations)
    if not ops:
        return ops
    work = [i for i, kind in enumerate(kinds) if kind in WORK_KINDS and kind != OperationKind.DIAGNOSIS]
    fallback = work[0] if work else 0
    for line in lines:
        index = next(
            (
                i
                for i, op in enumerate(ops)
                if any(_same_part(p.part_number, line.part_number) for p in op.parts)
            ),
            fallback,
        )
        kept = [p for p in ops[index].parts if not _same_part(p.part_number, line.part_number)]
        stored = line.model_copy(update={"part_number": rename(line.part_number)}) if rename else line
        ops[index] = ops[index].model_copy(update={"parts": [*kept, stored]})
    return ops


@dataclass(frozen=True)
class Supplement:
    """A job with supplemental work added, pending the customer's approval."""

    job: Job
    operation_ids: list[str]
    """The new operations, in flow order."""
    item_of: dict[str, int]


def supplemental_id(job: Job, n: int) -> str:
    """`<job>-S<n>`, or `S<n>-<short hash>` when the job's id is too long for that."""
    candidate = f"{job.id}-S{n}"
    return candidate if len(candidate) <= 64 else f"S{n}-{zlib.crc32(job.id.encode()):08x}"


def add_supplemental(
    job: Job, items: Sequence[WorkItem], lines: Sequence[PartLine], workshop: Workshop, *, path: str = "work"
) -> Supplement:
    """The job with `items` as new operations `<job>-S1`, … (approval pending) in its flow.

    The job's pending operations of later kinds (inspection, wash) wait for the new work; as long
    as it is pending (or declined) the planner ignores those links.
    """
    taken = {op.id for op in job.operations}
    first = 1
    while supplemental_id(job, first) in taken:
        first += 1
    work = build_job_work(
        items, workshop, lambda n: supplemental_id(job, first + n), existing=job.operations, path=path
    )
    added = attach_parts(work.operations, lines, work.kinds)
    added = [op.model_copy(update={"approval": Approval.PENDING}) for op in added]
    updated = job.model_copy(update={"operations": [*work.existing, *added]})
    return Supplement(updated, [op.id for op in added], work.item_of)


def keep_supplemental(
    operations: Sequence[Operation], stored: Sequence[Operation], workshop: Workshop
) -> list[Operation]:
    """A job's operations as an update sends them, with the supplemental work it does not mention.

    Supplemental work is proposed through Bayplan, so the DMS that updates the repair order may not
    know it yet: every operation of `stored` with an approval state (pending, approved, declined or
    deferred) whose id is not in `operations` is kept, after them. A kept operation keeps those of
    its predecessors that are still on the job; the update's pending operations of later kinds (the
    inspection, the wash) wait for it, as they did when it was proposed; if it has not started, it
    waits for the update's operations of earlier kinds (a diagnosis the DMS added since).
    """
    sent = {op.id for op in operations}
    missing = [op for op in stored if op.approval is not None and op.id not in sent]
    if not missing:
        return list(operations)
    present = sent | {op.id for op in missing}
    kept = [
        op.model_copy(update={"predecessors": [p for p in op.predecessors if p in present]}) for op in missing
    ]
    all_ops = [*operations, *kept]
    all_ids = [op.id for op in all_ops]
    waits = flow_predecessors([kind_of(op, workshop) for op in all_ops])
    offset = len(operations)
    kept = [
        _waiting_also(op, [all_ids[j] for j in waits[offset + k] if j < offset]) for k, op in enumerate(kept)
    ]
    return [*_waiting_for_added(operations, all_ids, waits), *kept]
