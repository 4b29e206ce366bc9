"""Work items become operations in the job's flow, from the workshop's labour catalogue."""

from __future__ import annotations

import pytest

from fixtures.catalogue import CATALOGUE
from fixtures.catalogue import build_operations as fixture_operations
from fixtures.dealership_day import build_workshop
from scheduler.jobs import Approval, Job, Operation, OperationStatus, PartLine
from scheduler.labour import (
    LabourError,
    OperationKind,
    OperationSpec,
    WorkItem,
    add_supplemental,
    build_operations,
    keep_supplemental,
    kind_of,
)
from scheduler.workshop import LabourCode, Workshop


@pytest.fixture(scope="module")
def workshop() -> Workshop:
    return build_workshop()


def codes(*names: str) -> list[WorkItem]:
    return [WorkItem(labour_code=name) for name in names]


def chain(operations: list[Operation]) -> list[tuple[str, list[str]]]:
    return [(op.labour_code, sorted(op.predecessors)) for op in operations]


def test_the_demo_workshop_carries_the_whole_catalogue(workshop: Workshop) -> None:
    assert [entry.code for entry in workshop.labour_catalogue] == list(CATALOGUE)
    assert {entry.kind for entry in workshop.labour_catalogue} <= {k.value for k in OperationKind}


def test_operations_follow_the_flow_diagnosis_repair_alignment_inspection_wash(workshop: Workshop) -> None:
    ops = build_operations(codes("WASH", "QC-LANE", "ALIGN", "BRK-PAD-F", "DIAG"), workshop, "J1")
    assert [op.id for op in ops] == ["J1-01", "J1-02", "J1-03", "J1-04", "J1-05"]
    assert chain(ops) == [
        ("DIAG", []),
        ("BRK-PAD-F", ["J1-01"]),
        ("ALIGN", ["J1-02"]),
        ("QC-LANE", ["J1-01", "J1-02", "J1-03"]),
        ("WASH", ["J1-04"]),
    ]
    pads = ops[1]
    entry = workshop.labour("BRK-PAD-F")
    assert entry is not None
    assert (pads.standard_minutes, pads.skill, pads.lift_type) == (
        entry.standard_minutes,
        entry.skill,
        entry.lift_type,
    )
    assert [p.part_number for p in pads.parts] == entry.typical_parts


def test_a_missing_kind_is_replaced_by_its_own_predecessors(workshop: Workshop) -> None:
    assert chain(build_operations(codes("ALIGN", "DIAG"), workshop, "J")) == [
        ("DIAG", []),
        ("ALIGN", ["J-01"]),
    ]
    assert chain(build_operations(codes("WASH", "OIL-EXP", "TYR-ROT"), workshop, "J")) == [
        ("OIL-EXP", []),
        ("TYR-ROT", []),
        ("WASH", ["J-01", "J-02"]),
    ]
    assert chain(build_operations(codes("CURE", "PAINT", "BODY"), workshop, "J")) == [
        ("BODY", []),
        ("PAINT", ["J-01"]),
        ("CURE", ["J-02"]),
    ]


def test_the_fixtures_build_the_same_flow_as_the_domain(workshop: Workshop) -> None:
    for labour_codes in (
        ("DIAG", "SUS-F", "ALIGN", "QC-LANE", "WASH"),
        ("BODY", "PAINT", "CURE", "QC-CHECK"),
    ):
        ours = build_operations(codes(*labour_codes), workshop, "RO-1")
        theirs = fixture_operations("RO-1", labour_codes)
        assert [(op.id, op.labour_code, op.predecessors) for op in ours] == [
            (op.id, op.labour_code, op.predecessors) for op in theirs
        ]


def test_an_unknown_labour_code_names_the_item(workshop: Workshop) -> None:
    with pytest.raises(LabourError) as raised:
        build_operations(codes("OIL-EXP", "OIL-CHANGE"), workshop, "J")
    assert raised.value.path == "work[1].labour_code"
    assert "'OIL-CHANGE'" in raised.value.message and "OIL-EXP" in raised.value.message
    empty = workshop.model_copy(update={"labour_catalogue": []})
    with pytest.raises(LabourError, match="no labour catalogue"):
        build_operations(codes("OIL-EXP"), empty, "J")


def test_an_operation_written_out_takes_its_kind_from_the_skill_or_the_item(workshop: Workshop) -> None:
    check = OperationSpec(
        text="Road test", standard_minutes=15, skill="quality_inspection", bay_capability=None
    )
    repair = OperationSpec(text="Wiper blades", standard_minutes=10, skill="maintenance")
    ops = build_operations(
        [
            WorkItem(operation=check),
            WorkItem(operation=repair),
            WorkItem(operation=repair, kind=OperationKind.WASH),
        ],
        workshop,
        "J",
    )
    assert [(op.text, op.predecessors) for op in ops] == [
        ("Wiper blades", []),
        ("Road test", ["J-01"]),
        ("Wiper blades", ["J-02"]),
    ]
    assert kind_of(ops[1], workshop) == OperationKind.INSPECTION
    with pytest.raises(ValueError, match="either labour_code or operation"):
        WorkItem()


def _job(workshop: Workshop, *labour_codes: str) -> Job:
    return Job(id="J7", operations=build_operations(codes(*labour_codes), workshop, "J7"))


def test_supplemental_work_joins_the_flow_and_the_inspection_waits_for_it(workshop: Workshop) -> None:
    job = _job(workshop, "DIAG", "QC-LANE", "WASH")
    added = add_supplemental(job, codes("BRK-PAD-F"), [PartLine(part_number="BP-F-CAM")], workshop)
    assert added.operation_ids == ["J7-S1"]
    new = added.job.operation("J7-S1")
    assert new is not None
    assert new.approval == Approval.PENDING and not new.plannable
    assert new.predecessors == ["J7-01"]
    assert [p.part_number for p in new.parts] == ["BP-F-CAM"]  # the front desk's part, not BP-F
    inspection, wash = added.job.operation("J7-02"), added.job.operation("J7-03")
    assert inspection is not None and wash is not None
    assert inspection.predecessors == ["J7-01", "J7-S1"]
    assert wash.predecessors == ["J7-02"]
    again = add_supplemental(added.job, codes("BRK-PAD-R"), [], workshop)
    assert again.operation_ids == ["J7-S2"]


def test_work_already_started_gets_no_new_predecessor(workshop: Workshop) -> None:
    job = _job(workshop, "OIL-EXP", "QC-CHECK")
    started = [
        op.model_copy(update={"status": OperationStatus.DONE}) if op.labour_code == "QC-CHECK" else op
        for op in job.operations
    ]
    added = add_supplemental(job.model_copy(update={"operations": started}), codes("TYR-ROT"), [], workshop)
    check = added.job.operation("J7-02")
    assert check is not None and check.predecessors == ["J7-01"]


def test_an_update_without_the_supplemental_work_keeps_it_in_the_flow(workshop: Workshop) -> None:
    job = _job(workshop, "DIAG", "QC-LANE", "WASH")
    supplemented = add_supplemental(job, codes("BRK-PAD-F"), [], workshop).job
    sent = list(job.operations)  # as the DMS knows the job: no J7-S1, the inspection waits for J7-01
    assert keep_supplemental(sent, job.operations, workshop) == sent
    kept = keep_supplemental(sent, supplemented.operations, workshop)
    assert [op.id for op in kept] == ["J7-01", "J7-02", "J7-03", "J7-S1"]
    assert kept == supplemented.operations  # the inspection waits for it again

    without_diagnosis = keep_supplemental(sent[1:], supplemented.operations, workshop)
    pads = next(op for op in without_diagnosis if op.id == "J7-S1")
    assert pads.approval == Approval.PENDING and pads.predecessors == []  # J7-01 left the job
    done = [sent[0], sent[1].model_copy(update={"status": OperationStatus.DONE}), sent[2]]
    inspection = keep_supplemental(done, supplemented.operations, workshop)[1]
    assert inspection.predecessors == ["J7-01"]  # finished work gets no new predecessor


def test_kept_supplemental_work_waits_for_a_diagnosis_the_dms_added_since(workshop: Workshop) -> None:
    job = _job(workshop, "QC-LANE", "WASH")
    supplemented = add_supplemental(job, codes("BRK-PAD-F"), [], workshop).job
    diagnosis = build_operations(codes("DIAG"), workshop, "J7-D")[0]
    sent = [*job.operations, diagnosis]
    pads = keep_supplemental(sent, supplemented.operations, workshop)[-1]
    assert pads.id == "J7-S1" and pads.predecessors == [diagnosis.id]
    started = supplemented.model_copy(
        update={
            "operations": [
                op.model_copy(update={"status": OperationStatus.STARTED}) if op.id == "J7-S1" else op
                for op in supplemented.operations
            ]
        }
    )
    assert keep_supplemental(sent, started.operations, workshop)[-1].predecessors == []  # under way


def test_a_code_of_unknown_kind_names_the_work_item(workshop: Workshop) -> None:
    broken = [*workshop.labour_catalogue[:2], LabourCode(code="X1", kind="polish", standard_minutes=30)]
    with pytest.raises(LabourError) as raised:
        build_operations(
            codes("X1"), workshop.model_copy(update={"labour_catalogue": broken}), "J", path="body.work"
        )
    assert raised.value.path == "body.work[0].labour_code" and "polish" in raised.value.message
