"""A short simulated day against the real service (`python -m api` on loopback): the two agree."""

from __future__ import annotations

from benchmarks.simulation.day import Policy
from benchmarks.simulation.run import simulate


def test_simulated_day_runs_clean_against_the_service() -> None:
    result = simulate(Policy.GREEDY, 3, 4, 12, replan_seconds=0.5, morning_seconds=2.0, validate=True)
    assert result.errors == []
    assert result.final_states, "the service lists the day's jobs"
    unfinished = {j: s for j, s in result.final_states.items() if s not in ("done", "delivered", "cancelled")}
    assert unfinished == {}
    assert result.plans_seen > 1 and result.plans_validated == result.plans_seen
    assert result.violations == []
    assert result.events_sent > 0
