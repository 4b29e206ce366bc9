from __future__ import annotations

from scheduler.calendar import WorkshopCalendar
from scheduler.jobs import OperationStatus, Progress
from scheduler.plan import Kpis, UnplannedOperation
from scheduler.reporting import build_job_forecasts, compute_kpis

from . import assign, at, job, op, problem


def test_kpis_of_a_small_plan() -> None:
    # One working day: two technicians with 08:00-12:00 and 13:00-18:00 = 540 min each.
    started = op("A1", "Service", status=OperationStatus.STARTED, progress=Progress(started_at=at("07:30")))
    prob = problem(
        job("JA", started, promised_at=at("16:00")),
        job("JB", op("B1", "Brakes"), promised_at=at("12:00")),
        job("JC", op("C1", "Inspection"), op("C2", "Engine"), promised_at=at("11:00")),
        job("JD", op("D1", "Paint"), op("D2", "Curing", crew_size=0, skill=None)),
        horizon_days=1,
    )
    horizon_end = WorkshopCalendar(prob.workshop, prob.now).horizon_end
    ops = [
        # Started at 07:30: only the 120 minutes after now count as planned work.
        assign("JA", "A1", at("07:30"), at("10:00"), started=True),
        # Pauses over lunch: 2 pieces of 60 minutes.
        assign(
            "JB",
            "B1",
            at("11:00"),
            at("14:00"),
            tech="T2",
            bay="B2",
            pieces=[(at("11:00"), at("12:00")), (at("13:00"), at("14:00"))],
        ),
        assign("JC", "C1", at("10:00"), at("10:30"), overtime_minutes=0),
        assign("JD", "D1", at("14:00"), at("18:30"), tech="T2", bay="B3", overtime_minutes=30),
        # Unattended curing: no technician time.
        assign("JD", "D2", at("18:30"), at("22:00"), tech=None, bay="B3"),
    ]
    unplanned = [UnplannedOperation(job_id="JC", operation_id="C2", reason="no engine specialist")]
    forecasts = build_job_forecasts(prob, ops, unplanned, horizon_end)

    kpis = compute_kpis(prob, ops, unplanned, forecasts, horizon_end)

    assert horizon_end == at("19:00")
    assert kpis == Kpis(
        jobs_planned=3,  # JA, JB, JD; JC has unplanned work
        jobs_with_promise=3,
        on_time_share=round(1 / 3, 4),  # only JA
        late_jobs=2,
        total_tardiness_minutes=120 + 480,  # JB 14:00 vs 12:00; JC to the horizon end 19:00 vs 11:00
        worst_tardiness_minutes=480,
        technician_utilisation=round((120 + 120 + 30 + 270) / 1080, 4),
        overtime_minutes=30,
        unplanned_operations=1,
    )


def test_no_promises_means_everything_on_time() -> None:
    prob = problem(job("J1", op("O1")), horizon_days=1)
    ops = [assign("J1", "O1", at("08:00"), at("09:00"))]
    forecasts = build_job_forecasts(prob, ops, [], at("19:00"))

    kpis = compute_kpis(prob, ops, [], forecasts, at("19:00"))

    assert (kpis.on_time_share, kpis.late_jobs, kpis.jobs_with_promise) == (1.0, 0, 0)
    assert kpis.technician_utilisation == round(60 / 1080, 4)
