"""Plan changes as a technician notices them: another technician, or a start moved enough, soon."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from benchmarks.simulation.changes import CHANGE_THRESHOLD, VISIBLE_HORIZON, Key, Slot, changes_seen

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
OP: Key = ("RO-1", "10")
EVERYONE = {"T1", "T2"}


def seen(before: Slot, after: Slot, *, started: bool = False, present: set[str] = EVERYONE) -> list[str]:
    return changes_seen({OP: before}, {OP: after}, NOW, lambda _key: not started, present)


def test_a_start_moved_by_the_threshold_or_less_is_not_a_change() -> None:
    soon = NOW + timedelta(minutes=30)
    assert seen(("T1", soon), ("T1", soon + CHANGE_THRESHOLD)) == []
    assert seen(("T1", soon), ("T1", soon - CHANGE_THRESHOLD)) == []


def test_a_start_moved_by_more_than_the_threshold_is_seen_once_by_its_technician() -> None:
    soon = NOW + timedelta(minutes=30)
    assert seen(("T1", soon), ("T1", soon + CHANGE_THRESHOLD + timedelta(minutes=5))) == ["T1"]


def test_work_beyond_the_horizon_before_and_after_is_not_seen() -> None:
    late = NOW + VISIBLE_HORIZON + timedelta(minutes=10)
    assert seen(("T1", late), ("T1", late + timedelta(hours=1))) == []
    assert seen(("T1", late), ("T2", late)) == []


def test_work_moved_into_or_out_of_the_horizon_is_seen() -> None:
    late = NOW + VISIBLE_HORIZON + timedelta(hours=1)
    soon = NOW + timedelta(minutes=45)
    assert seen(("T1", late), ("T1", soon)) == ["T1"]
    assert seen(("T1", soon), ("T1", late)) == ["T1"]


def test_another_technician_is_seen_by_both_unless_one_is_not_here_or_not_soon() -> None:
    soon = NOW + timedelta(minutes=20)
    late = NOW + VISIBLE_HORIZON + timedelta(hours=2)
    assert sorted(seen(("T1", soon), ("T2", soon))) == ["T1", "T2"]
    assert seen(("T1", soon), ("T2", soon), present={"T2"}) == ["T2"]
    assert seen(("T1", soon), ("T2", late)) == ["T1"]


def test_started_work_new_work_and_dropped_work_are_not_changes() -> None:
    soon = NOW + timedelta(minutes=20)
    assert seen(("T1", soon), ("T2", soon), started=True) == []
    other: Key = ("RO-2", "10")
    assert changes_seen({OP: ("T1", soon)}, {other: ("T1", soon)}, NOW, lambda _k: True, EVERYONE) == []
    assert changes_seen({}, {OP: ("T1", soon)}, NOW, lambda _k: True, EVERYONE) == []
