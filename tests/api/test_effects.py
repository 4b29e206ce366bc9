from __future__ import annotations

from datetime import datetime

import pytest

from api.effects import arrive, back, move_eta, out_of_service
from scheduler.jobs import PartDelivery, PartsSituation, PartStock
from scheduler.workshop import Lift, LiftType, Workshop


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
