from __future__ import annotations

from datetime import time

import pytest
from pydantic import ValidationError

from scheduler.common import ClockWindow
from scheduler.validation import validate_document
from scheduler.workshop import Workshop


def _error(start: str, end: str = "18:00") -> tuple[tuple[int | str, ...], str]:
    with pytest.raises(ValidationError) as raised:
        ClockWindow.model_validate({"start": start, "end": end})
    [error] = raised.value.errors()
    return error["loc"], error["msg"]


def test_a_clock_time_is_a_local_whole_minute() -> None:
    window = ClockWindow.model_validate({"start": "08:00", "end": "18:00:00"})
    assert (window.start, window.end) == (time(8), time(18))
    assert (window.start_minute, window.end_minute) == (480, 1080)


@pytest.mark.parametrize("start", ["08:00+08:00", "08:00Z"])
def test_a_clock_time_with_an_offset_is_refused_naming_the_field(start: str) -> None:
    loc, message = _error(start)
    assert loc == ("start",)
    assert "without UTC offset" in message


def test_the_end_with_an_offset_is_refused_before_it_is_compared() -> None:
    # Comparing an aware end with a naive start would raise TypeError, not a validation error.
    loc, message = _error("08:00", "18:00+08:00")
    assert loc == ("end",) and "without UTC offset" in message


@pytest.mark.parametrize("start", ["08:00:30", "08:00:00.250"])
def test_seconds_are_refused_because_the_calendar_counts_minutes(start: str) -> None:
    loc, message = _error(start)
    assert loc == ("start",) and "whole minute" in message


def test_the_end_comes_after_the_start() -> None:
    loc, message = _error("18:00", "08:00")
    assert loc == () and "end 08:00:00 must be after start 18:00:00" in message


def test_an_offset_in_opening_hours_is_an_issue_with_its_path() -> None:
    hours = {"mon": [{"start": "08:00+08:00", "end": "18:00"}]}
    with pytest.raises(ValidationError):
        Workshop.model_validate({"id": "w", "opening_hours": hours})
    document = {"workshop": {"id": "w", "opening_hours": hours}, "now": "2026-11-23T07:30:00+08:00"}
    problem, issues = validate_document(document)
    assert problem is None
    assert [issue.path for issue in issues] == ["workshop.opening_hours.mon[0].start"]
    assert issues[0].message.startswith("must be a local wall-clock time without UTC offset")
