"""Supplemental work (追加维修项目) on the wire: the proposal, its preview, the customer's answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from api.schemas.base import WireModel
from api.schemas.quotes import MAX_WORK_ITEMS, PartNeedIn, WorkItemIn

SupplementalStatus = Literal["pending", "approved", "declined", "deferred"]


class SupplementalRequest(WireModel):
    """Work the technician found; parts on hand (eta null) or ordered (eta)."""

    work: list[WorkItemIn] = Field(min_length=1, max_length=MAX_WORK_ITEMS)
    parts: list[PartNeedIn] = Field(default_factory=list, max_length=50)
    note: str = Field("", max_length=2000)


class MovedJobOut(WireModel):
    job_id: str
    completion_before: datetime | None
    completion_after: datetime | None
    delta_minutes: int | None
    """Positive: later than in the published plan."""


class PreviewOut(WireModel):
    promised_at: datetime | None
    predicted_completion_before: datetime | None
    predicted_completion: datetime | None
    """With the supplemental work approved; null when it does not fit in the planning horizon."""
    delay_minutes: int
    """How far past the promise the job now finishes (no promise: past its old completion)."""
    new_promise_at: datetime | None
    """The promise still holds, or the new completion with the workshop's margin."""
    moved_jobs: list[MovedJobOut]
    """Every other job the change moves, and by how much."""


class SupplementalOut(PreviewOut):
    id: str
    job_id: str
    status: SupplementalStatus
    operation_ids: list[str]
    note: str
    based_on_plan_version: int | None
    created_at: datetime
    decided_at: datetime | None
    plan_id: str | None
    """The re-plan an approval started."""
    plan_version: int | None


class SupplementalList(WireModel):
    items: list[SupplementalOut]


class DecisionOut(WireModel):
    id: str
    status: SupplementalStatus
    plan_id: str | None
    """Approve: the re-plan that takes the work in; decline or defer: null (the plan stays)."""
    plan_version: int | None
    """Approve: that re-plan's version; decline or defer: the published plan's."""


SUPPLEMENTAL_EXAMPLE: dict[str, Any] = {
    "work": [{"labour_code": "BRK-PAD-F"}],
    "parts": [{"part_number": "BP-F-CAM", "quantity": 1, "eta": None}],
    "note": "front pads at 2 mm",
}
