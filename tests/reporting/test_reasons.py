from __future__ import annotations

from datetime import timedelta

from scheduler.jobs import (
    JobStatus,
    OperationStatus,
    PartDelivery,
    PartLine,
    PartsSituation,
    PartStock,
    Pin,
    Progress,
)
from scheduler.plan import EquipmentUse
from scheduler.reporting import explain_jobs
from scheduler.reporting.reasons import MAX_REASONS

from . import assign, at, job, op, problem

BRAKE_PADS = [PartLine(part_number="BRK-PAD-22", quantity=1)]


def test_waiting_for_the_car_to_arrive() -> None:
    # Appointment 09:12, grain 5 min: the plan starts at 09:15, the next grain.
    prob = problem(job("J1", op("O1", "Oil service"), status=JobStatus.BOOKED, appointment_at=at("09:12")))
    reasons = explain_jobs(prob, [assign("J1", "O1", at("09:15"), at("10:15"))])

    assert reasons["J1"] == ["Oil service (O1): waited for the car to arrive at 09:12"]


def test_waiting_for_a_parts_delivery() -> None:
    parts = PartsSituation(
        stock=[PartStock(part_number="BRK-PAD-22", on_hand=0)],
        deliveries=[PartDelivery(part_number="BRK-PAD-22", quantity=4, eta=at("14:00"))],
    )
    prob = problem(job("J1", op("R1", "Brake pads", parts=BRAKE_PADS)), parts=parts)
    reasons = explain_jobs(prob, [assign("J1", "R1", at("14:00"), at("15:00"))])

    assert reasons["J1"] == ["Brake pads (R1): waited for part BRK-PAD-22 (ETA 14:00)"]


def test_a_delivery_is_not_the_reason_when_stock_was_enough() -> None:
    # Exactly enough on hand for the one brake-pad set needed.
    parts = PartsSituation(
        stock=[PartStock(part_number="BRK-PAD-22", on_hand=1)],
        deliveries=[PartDelivery(part_number="BRK-PAD-22", quantity=4, eta=at("14:00"))],
    )
    prob = problem(job("J1", op("R1", "Brake pads", parts=BRAKE_PADS)), parts=parts)
    reasons = explain_jobs(prob, [assign("J1", "R1", at("14:00"), at("15:00"))])

    assert reasons["J1"] == ["Brake pads (R1): planned at 14:00"]


def test_stock_taken_by_an_earlier_job_makes_the_delivery_the_reason() -> None:
    parts = PartsSituation(
        stock=[PartStock(part_number="BRK-PAD-22", on_hand=1)],
        deliveries=[PartDelivery(part_number="BRK-PAD-22", quantity=4, eta=at("14:00"))],
    )
    prob = problem(
        job("J0", op("R1", "Brake pads", parts=BRAKE_PADS)),
        job("J1", op("R1", "Brake pads", parts=BRAKE_PADS)),
        parts=parts,
    )
    ops = [
        assign("J0", "R1", at("09:00"), at("10:00"), tech="T2", bay="B2"),
        assign("J1", "R1", at("14:00"), at("15:00")),
    ]

    assert explain_jobs(prob, ops)["J1"] == ["Brake pads (R1): waited for part BRK-PAD-22 (ETA 14:00)"]


def test_busy_technician_names_the_other_job() -> None:
    prob = problem(
        job("J-0123", op("R1", "brake pads")),
        job("J-0200", op("O1", "Oil service")),
    )
    ops = [
        assign("J-0123", "R1", at("09:00"), at("11:40"), bay="B1"),
        assign("J-0200", "O1", at("11:40"), at("12:00"), bay="B2"),
    ]

    assert explain_jobs(prob, ops)["J-0200"] == [
        "Oil service (O1): technician Li Wei busy with job J-0123 (brake pads) until 11:40"
    ]


def test_occupied_bay_and_busy_equipment_name_the_other_job() -> None:
    prob = problem(
        job("J-0110", op("R1", "Suspension")),
        job("J-0101", op("A1", "Alignment", equipment=["RIG"])),
        job("J1", op("R1", "Struts")),
        job("J2", op("A1", "Alignment", equipment=["RIG"])),
    )
    rig = [EquipmentUse(pool_id="RIG", unit=1)]
    ops = [
        assign("J-0110", "R1", at("08:00"), at("11:00"), tech="T2", bay="B3"),
        assign("J1", "R1", at("11:00"), at("11:30"), tech="T1", bay="B3"),
        assign("J-0101", "A1", at("08:00"), at("10:00"), tech="T1", bay="B1", equipment=rig),
        assign("J2", "A1", at("10:00"), at("10:45"), tech="T2", bay="B2", equipment=rig),
    ]
    reasons = explain_jobs(prob, ops)

    assert reasons["J1"] == ["Struts (R1): bay B3 occupied by job J-0110 (Suspension) until 11:00"]
    assert reasons["J2"] == ["Alignment (A1): alignment rig busy with job J-0101 (Alignment) until 10:00"]


def test_predecessor_chain_reads_chronologically() -> None:
    prob = problem(job("J1", op("D1", "Diagnosis"), op("R1", "Repair", predecessors=["D1"])))
    ops = [
        assign("J1", "D1", at("08:00"), at("10:30")),
        assign("J1", "R1", at("10:30"), at("11:30"), tech="T2"),
    ]

    assert explain_jobs(prob, ops)["J1"] == [
        "Diagnosis (D1): started at the beginning of planning",
        "Repair (R1): started after Diagnosis (D1) finished at 10:30",
    ]


def test_closing_time_pause_and_waiting_for_opening() -> None:
    prob = problem(job("J1", op("R1", "Engine repair", standard_minutes=240)), job("J2", op("O1", "Wash")))
    ops = [
        assign(
            "J1",
            "R1",
            at("16:00"),
            at("10:00", day=24),
            pieces=[(at("16:00"), at("18:00")), (at("08:00", day=24), at("10:00", day=24))],
        ),
        assign("J2", "O1", at("08:00", day=24), at("09:00", day=24), tech="T2", bay="B2"),
    ]
    reasons = explain_jobs(prob, ops)

    assert "Engine repair (R1): paused over closing time, resumes at 08:00 on Tue 24 Nov" in reasons["J1"]
    assert reasons["J2"] == ["Wash (O1): waited for opening at 08:00 on Tue 24 Nov"]


def test_technician_busy_until_closing_then_opening() -> None:
    prob = problem(job("J0", op("R1", "Clutch")), job("J1", op("O1", "Oil service")))
    ops = [
        assign("J0", "R1", at("13:00"), at("18:00")),
        assign("J1", "O1", at("08:00", day=24), at("09:00", day=24), bay="B2"),
    ]

    assert explain_jobs(prob, ops)["J1"] == [
        "Oil service (O1): technician Li Wei busy with job J0 (Clutch) until 18:00,"
        " then waited for opening at 08:00 on Tue 24 Nov"
    ]


def test_lunch_break_is_a_break_not_closing() -> None:
    prob = problem(job("J1", op("O1", "Tyres")))
    ops = [
        assign(
            "J1",
            "O1",
            at("11:00"),
            at("13:30"),
            pieces=[(at("11:00"), at("12:00")), (at("13:00"), at("13:30"))],
        )
    ]

    assert "Tyres (O1): paused over the break, resumes at 13:00" in explain_jobs(prob, ops)["J1"]


def test_late_job_states_lateness_first() -> None:
    prob = problem(job("J1", op("O1", "Service"), promised_at=at("16:00")))
    reasons = explain_jobs(prob, [assign("J1", "O1", at("16:20"), at("17:20"))])

    assert reasons["J1"][0] == "late by 1 h 20 min against the promise of 16:00"


def test_work_in_progress_is_where_the_chain_starts() -> None:
    started = op("O1", "Service", status=OperationStatus.STARTED, progress=Progress(started_at=at("07:40")))
    prob = problem(job("J1", started, op("O2", "Wash", predecessors=["O1"])))
    ops = [
        assign("J1", "O1", at("07:40"), at("09:00"), started=True),
        assign("J1", "O2", at("09:00"), at("09:30"), tech="T2"),
    ]

    assert explain_jobs(prob, ops)["J1"][0] == "Service (O1): in progress since 07:40"


def test_long_chains_keep_the_root_cause_and_the_limit() -> None:
    # Nine operations in a row, 15 minutes each, from the car's arrival at 08:30.
    steps = [op(f"S{i}", f"Step {i}", predecessors=[f"S{i - 1}"] if i else []) for i in range(9)]
    prob = problem(job("J1", *steps, status=JobStatus.BOOKED, appointment_at=at("08:30")))
    quarter = timedelta(minutes=15)
    ops = [
        assign("J1", f"S{i}", at("08:30") + i * quarter, at("08:30") + (i + 1) * quarter) for i in range(9)
    ]

    reasons = explain_jobs(prob, ops)["J1"]

    assert len(reasons) == MAX_REASONS
    # The arrival is the root cause; trimming drops hand-overs, never the cause.
    assert reasons[0] == "Step 0 (S0): waited for the car to arrive at 08:30"
    assert reasons[-1] == "Step 8 (S8): started after Step 7 (S7) finished at 10:30"


def test_a_pinned_start_explains_itself_but_a_technician_pin_does_not() -> None:
    time_pin = op("O1", "Service", pin=Pin(start=at("10:00")))
    tech_pin = op("O1", "Service", pin=Pin(technician_id="T1"))
    ops = [assign("J1", "O1", at("10:00"), at("11:00"), pinned=True)]

    assert explain_jobs(problem(job("J1", time_pin)), ops)["J1"] == [
        "Service (O1): pinned by the dispatcher to start at 10:00"
    ]
    assert explain_jobs(problem(job("J1", tech_pin)), ops)["J1"] == ["Service (O1): planned at 10:00"]
