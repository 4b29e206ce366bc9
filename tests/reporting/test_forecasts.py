from __future__ import annotations

from scheduler.calendar import WorkshopCalendar
from scheduler.jobs import JobStatus, Operation, OperationStatus
from scheduler.plan import JobForecast, OperationAssignment, UnplannedOperation
from scheduler.problem import Problem
from scheduler.reporting import build_job_forecasts
from scheduler.reporting.forecasts import progress_check_at

from . import assign, at, job, op, problem


def forecast_of(
    prob: Problem,
    operations: list[OperationAssignment],
    unplanned: list[UnplannedOperation] | None = None,
    job_id: str = "J1",
) -> JobForecast:
    horizon_end = WorkshopCalendar(prob.workshop, prob.now).horizon_end
    forecasts = build_job_forecasts(prob, operations, unplanned or [], horizon_end)
    return next(f for f in forecasts if f.job_id == job_id)


def test_one_day_job_calls_one_hour_before_and_checks_at_75_percent() -> None:
    prob = problem(job("J1", op("O1"), op("O2"), promised_at=at("16:00")))
    ops = [assign("J1", "O1", at("08:00"), at("09:00")), assign("J1", "O2", at("09:00"), at("12:20"))]

    f = forecast_of(prob, ops)

    assert f.completion == at("12:20")
    assert f.slack_minutes == 220
    assert not f.late and not f.at_risk
    assert f.call_customer_at == at("11:20")
    # 75 % of 08:00-12:20 (260 min) is 195 min after the first start.
    assert f.progress_check_at == at("11:15")


def test_job_of_two_days_or_more_calls_four_hours_before() -> None:
    # Arrived Monday 07:30, finishing Wednesday 16:00: 56.5 h, the 4 h rule applies.
    prob = problem(job("J1", op("O1", standard_minutes=900)))
    ops = [assign("J1", "O1", at("08:00"), at("16:00", day=25))]

    f = forecast_of(prob, ops)

    assert f.call_customer_at == at("12:00", day=25)


def test_span_of_exactly_48_hours_counts_as_two_days() -> None:
    prob = problem(job("J1", op("O1"), arrived_at=at("07:30")))
    long_job = forecast_of(prob, [assign("J1", "O1", at("08:00"), at("07:30", day=25))])
    short_job = forecast_of(prob, [assign("J1", "O1", at("08:00"), at("07:25", day=25))])

    assert long_job.call_customer_at == at("03:30", day=25)
    assert short_job.call_customer_at == at("06:25", day=25)


def test_call_is_never_before_the_first_operation_starts() -> None:
    prob = problem(job("J1", op("O1")))
    f = forecast_of(prob, [assign("J1", "O1", at("10:00"), at("10:30"))])

    assert f.call_customer_at == at("10:00")


def test_progress_check_rounds_to_the_nearest_minute() -> None:
    assert progress_check_at(at("08:00"), at("08:07")) == at("08:05")  # 5 min 15 s
    assert progress_check_at(at("08:00"), at("08:10")) == at("08:08")  # 7 min 30 s rounds up


def test_thin_slack_is_at_risk_and_says_so_first() -> None:
    prob = problem(job("J1", op("O1"), promised_at=at("16:00")), at_risk_slack_minutes=30)

    thin = forecast_of(prob, [assign("J1", "O1", at("14:40"), at("15:40"))])
    enough = forecast_of(prob, [assign("J1", "O1", at("14:30"), at("15:30"))])

    assert (thin.slack_minutes, thin.late, thin.at_risk) == (20, False, True)
    assert thin.reasons[0] == "only 20 min margin before the promise of 16:00"
    assert (enough.slack_minutes, enough.at_risk) == (30, False)


def test_late_job_leads_with_its_lateness() -> None:
    prob = problem(job("J1", op("O1", "Brake pads"), promised_at=at("16:00")))
    f = forecast_of(prob, [assign("J1", "O1", at("16:20"), at("17:20"))])

    assert f.slack_minutes == -80
    assert f.late and f.at_risk
    assert f.reasons[0] == "late by 1 h 20 min against the promise of 16:00"


def test_booked_car_more_than_no_show_allowance_late_is_at_risk() -> None:
    booked = job("J1", op("O1"), status=JobStatus.BOOKED, appointment_at=at("08:00"))
    ops = [assign("J1", "O1", at("09:00"), at("10:00"))]

    overdue = forecast_of(problem(booked, now=at("08:45"), no_show_after_minutes=30), ops)
    on_the_limit = forecast_of(problem(booked, now=at("08:30"), no_show_after_minutes=30), ops)

    assert overdue.at_risk
    assert overdue.reasons[0] == (
        "car not arrived 45 min after the appointment at 08:00: follow up, possible no-show"
    )
    assert not on_the_limit.at_risk


def test_unplanned_work_leaves_no_completion_and_is_late_against_an_early_promise() -> None:
    prob = problem(job("J1", op("O1"), op("O2", "Gearbox"), promised_at=at("17:00")), horizon_days=1)
    ops = [assign("J1", "O1", at("08:00"), at("09:00"))]
    unplanned = [UnplannedOperation(job_id="J1", operation_id="O2", reason="no gearbox specialist")]

    f = forecast_of(prob, ops, unplanned)

    assert f.completion is None and f.call_customer_at is None and f.progress_check_at is None
    assert f.late and f.at_risk
    # The horizon ends at 19:00 (18:00 plus the overtime allowance), two hours after the promise.
    assert f.reasons[0] == "late by at least 2 h against the promise of 17:00"
    assert f.reasons[1] == "not all work fits in the plan: Gearbox (O2) (no gearbox specialist)"


def test_job_with_all_work_done_is_not_at_risk() -> None:
    done = Operation(id="O1", standard_minutes=30, skill="maintenance", status=OperationStatus.DONE)
    prob = problem(job("J1", done, status=JobStatus.IN_PROGRESS, promised_at=at("09:00")), now=at("10:00"))

    f = forecast_of(prob, [])

    assert (f.completion, f.late, f.at_risk) == (None, False, False)


def test_one_forecast_per_plannable_job_only() -> None:
    prob = problem(job("J1", op("O1")), job("J2", op("O1"), status=JobStatus.CANCELLED))
    forecasts = build_job_forecasts(prob, [assign("J1", "O1", at("08:00"), at("09:00"))], [], at("19:00"))

    assert [f.job_id for f in forecasts] == ["J1"]
