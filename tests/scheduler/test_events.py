from __future__ import annotations

from datetime import datetime

import pytest
from pydantic import ValidationError

from scheduler.events import arrive, back, move_eta, out_of_service
from scheduler.jobs import PartDelivery, PartsSituation, PartStock
from scheduler.workshop import Bay, Lift, LiftType, Technician, Workshop


def t(clock: str) -> datetime:
    return datetime.fromisoformat(f"2026-11-23T{clock}:00+08:00")


def test_arrival_adds_stock_and_consumes_the_earliest_deliveries() -> None:
    parts = PartsSituation(
        stock=[PartStock(part_number="P1", on_hand=1)],
        deliveries=[
            PartDelivery(part_number="P1", quantity=2, eta=t("15:00")),
            PartDelivery(part_number="P1", quantity=2, eta=t("10:00")),
            PartDelivery(part_number="P2", quantity=1, eta=t("09:00")),
        ],
    )
    after = arrive(parts, "P1", 3)
    assert after.stock == [PartStock(part_number="P1", on_hand=4)]
    assert after.deliveries == [
        PartDelivery(part_number="P2", quantity=1, eta=t("09:00")),
        PartDelivery(part_number="P1", quantity=1, eta=t("15:00")),
    ]
    assert arrive(PartsSituation(), "P9", 2).stock == [PartStock(part_number="P9", on_hand=2)]


def test_eta_change_moves_open_deliveries() -> None:
    parts = PartsSituation(deliveries=[PartDelivery(part_number="P1", quantity=2, eta=t("10:00"))])
    assert move_eta(parts, "P1", t("16:00"), None).deliveries == [
        PartDelivery(part_number="P1", quantity=2, eta=t("16:00"))
    ]
    assert move_eta(parts, "P1", t("16:00"), 5).deliveries[0].quantity == 5
    assert move_eta(PartsSituation(), "P3", t("16:00"), None).deliveries[0].quantity == 1


def test_lift_out_of_service_and_back() -> None:
    workshop = Workshop(id="w", lifts=[Lift(id="L1", type=LiftType.TWO_POST, load_limit_kg=3000)])
    down = out_of_service(workshop, "lift", "L1", t("09:00"), t("17:00"), "cable")
    assert [(w.start, w.end, w.reason) for w in down.lifts[0].out_of_service] == [
        (t("09:00"), t("17:00"), "cable")
    ]
    later = out_of_service(down, "lift", "L1", t("18:00"), t("19:00"), "service")
    repaired = back(later, "lift", "L1", t("11:00"))
    assert [(w.start, w.end) for w in repaired.lifts[0].out_of_service] == [
        (t("09:00"), t("11:00")),
        (t("18:00"), t("19:00")),
    ]
    assert back(down, "lift", "L1", t("09:00")).lifts[0].out_of_service == []
    with pytest.raises(LookupError):
        back(workshop, "lift", "L2", t("09:00"))


def test_technician_absence_and_bay_outage_land_in_their_own_windows() -> None:
    workshop = Workshop(id="w", technicians=[Technician(id="T1")], bays=[Bay(id="B1")])
    away = out_of_service(workshop, "technician", "T1", t("13:00"), t("15:00"), "doctor")
    assert [(w.start, w.end, w.reason) for w in away.technicians[0].absences] == [
        (t("13:00"), t("15:00"), "doctor")
    ]
    assert away.bays[0].out_of_service == []
    closed = out_of_service(away, "bay", "B1", t("08:00"), t("10:00"), "flooded")
    assert [(w.start, w.end) for w in closed.bays[0].out_of_service] == [(t("08:00"), t("10:00"))]
    assert back(closed, "technician", "T1", t("14:00")).technicians[0].absences[0].end == t("14:00")


def test_an_outage_that_ends_before_it_starts_is_refused() -> None:
    workshop = Workshop(id="w", bays=[Bay(id="B1")])
    with pytest.raises(ValidationError, match="must be after start"):
        out_of_service(workshop, "bay", "B1", t("10:00"), t("09:00"), "")
