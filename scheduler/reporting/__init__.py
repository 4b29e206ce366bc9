"""Post-processing of a solved plan: job forecasts, KPIs and plain-language reasons.

Solver-independent: it works on the domain model and a list of operation
assignments, whichever engine produced them.
"""

from scheduler.reporting.forecasts import build_job_forecasts
from scheduler.reporting.kpis import compute_kpis
from scheduler.reporting.reasons import explain_jobs

__all__ = ["build_job_forecasts", "compute_kpis", "explain_jobs"]
