from __future__ import annotations

from scheduler.board import render_board
from scheduler.calendar import WorkshopCalendar
from scheduler.plan import Engine, OperationAssignment, Plan, SolveInfo, SolveStatus, UnplannedOperation
from scheduler.problem import Problem
from scheduler.reporting import build_job_forecasts, compute_kpis

from . import assign, at, job, op, problem


def make_plan(prob: Problem, ops: list[OperationAssignment], unplanned: list[UnplannedOperation]) -> Plan:
    horizon_end = WorkshopCalendar(prob.workshop, prob.now).horizon_end
    forecasts = build_job_forecasts(prob, ops, unplanned, horizon_end)
    return Plan(
        workshop_id=prob.workshop.id,
        created_at=prob.now,
        horizon_start=prob.now,
        horizon_end=horizon_end,
        solve=SolveInfo(
            engine=Engine.CP_SAT,
            status=SolveStatus.OPTIMAL,
            objective=1234.0,
            best_bound=1234.0,
            solve_seconds=0.5,
        ),
        operations=ops,
        unplanned=unplanned,
        jobs=forecasts,
        kpis=compute_kpis(prob, ops, unplanned, forecasts, horizon_end),
    )


def board_lines() -> list[str]:
    prob = problem(
        job("J-0001", op("O1", "Oil service")),
        job(
            "J-0007", op("R1", "Brakes"), op("R2", "Road test", predecessors=["R1"]), promised_at=at("16:00")
        ),
        job("J-0009", op("W1", "Wheel bearing")),
        horizon_days=1,
    )
    ops = [
        assign("J-0001", "O1", at("08:00"), at("09:10")),
        assign(
            "J-0007",
            "R1",
            at("09:10"),
            at("16:20"),
            pieces=[(at("09:10"), at("12:00")), (at("13:00"), at("16:20"))],
        ),
        assign("J-0007", "R2", at("16:20"), at("17:20"), tech="T1", bay=None),
    ]
    unplanned = [UnplannedOperation(job_id="J-0009", operation_id="W1", reason="bearing not in stock")]
    return render_board(prob, make_plan(prob, ops, unplanned)).splitlines()


def test_header_names_workshop_day_and_solve() -> None:
    lines = board_lines()

    assert lines[0] == "Riverside Motors - board for Mon 23 Nov 2026 (times in Asia/Shanghai)"
    assert lines[1] == "engine cp-sat, status optimal, objective 1234, planned at 08:00"


def test_one_line_per_technician_by_team() -> None:
    lines = board_lines()
    start = lines.index("Technicians")

    # Team A's Li Wei (T1) comes before team B's Zhang Min (T2) although T2 is listed first.
    assert lines[start + 1] == (
        "  Li Wei (Team A)     08:00→09:10 J-0001/Oil service · 09:10→16:20 J-0007/Brakes"
        " · 16:20→17:20 J-0007/Road test"
    )
    assert lines[start + 2] == "  Zhang Min (Team B)  no work planned"


def test_late_job_is_listed_with_its_reasons() -> None:
    lines = board_lines()
    start = lines.index("Late and at-risk jobs")

    assert lines[start + 1] == "  J-0007  LATE  promised 16:00  predicted 17:20  slack -1 h 20 min"
    assert lines[start + 2] == "      - late by 1 h 20 min against the promise of 16:00"
    assert "      - Road test (R2): started after Brakes (R1) finished at 16:20" in lines


def test_unplanned_and_kpis_sections() -> None:
    lines = board_lines()

    assert "  J-0009/Wheel bearing (W1): bearing not in stock" in lines
    assert "  on-time share 0% of 1 promised jobs, 1 late" in lines
    assert "  tardiness total 80 min, worst 80 min" in lines
    # 70 + 370 + 60 worked minutes over 2 x 540 shift minutes.
    assert f"  technician utilisation {500 / 1080:.0%}, overtime 0 min" in lines


def test_other_days_and_unattended_work_are_shown() -> None:
    prob = problem(
        job("J1", op("P1", "Paint"), op("P2", "Curing", crew_size=0, skill=None, predecessors=["P1"]))
    )
    ops = [
        assign("J1", "P1", at("08:00", day=24), at("10:00", day=24), bay="B3"),
        assign("J1", "P2", at("10:00", day=24), at("14:00", day=24), tech=None, bay="B3"),
    ]
    lines = render_board(prob, make_plan(prob, ops, [])).splitlines()

    assert "  Li Wei (Team A)     Tue 24 Nov 08:00→10:00 J1/Paint" in lines
    assert "  Unattended          Tue 24 Nov 10:00→14:00 J1/Curing" in lines
    assert "Late and at-risk jobs" not in lines
