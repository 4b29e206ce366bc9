from __future__ import annotations

from tests.api import data
from tests.api.conftest import Api


def test_create_read_and_list(api: Api) -> None:
    created = api.create_workshop()
    assert created["id"] == "w1" and created["group_id"] == "g1" and created["version"] == 1
    assert created["settings"]["auto_publish"] is True  # defaults filled in
    response = api.client.get("/v1/workshops/w1", headers=api.admin)
    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    assert [t["id"] for t in response.json()["technicians"]] == ["T1", "T2"]
    listed = api.client.get("/v1/workshops", headers=api.admin).json()["items"]
    assert [w["id"] for w in listed] == ["w1"]


def test_create_twice_is_a_conflict(api: Api) -> None:
    api.create_workshop()
    response = api.client.post("/v1/workshops", json=data.workshop(), headers=api.admin)
    assert response.status_code == 409


def test_update_replans_and_bumps_the_etag(w1: Api) -> None:
    before = w1.client.get("/v1/workshops/w1/plans", headers=w1.admin).json()["items"]
    body = data.without_id(data.workshop(name="Renamed"))
    response = w1.client.put("/v1/workshops/w1", json=body, headers={**w1.admin, "If-Match": '"1"'})
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"2"'
    assert response.json()["name"] == "Renamed"
    w1.wait()
    after = w1.client.get("/v1/workshops/w1/plans", headers=w1.admin).json()["items"]
    assert len(after) == len(before) + 1
    assert after[0]["trigger"] == "workshop configuration changed"


def test_stale_if_match_is_412(w1: Api) -> None:
    body = data.without_id(data.workshop())
    assert (
        w1.client.put("/v1/workshops/w1", json=body, headers={**w1.admin, "If-Match": '"1"'}).status_code
        == 200
    )
    response = w1.client.put("/v1/workshops/w1", json=body, headers={**w1.admin, "If-Match": '"1"'})
    assert response.status_code == 412
    assert response.headers["content-type"] == "application/problem+json"
    assert '"2"' in response.json()["detail"]


def test_invalid_configuration_names_the_field(api: Api) -> None:
    body = data.workshop(timezone="Mars/Olympus")
    response = api.client.post("/v1/workshops", json=body, headers=api.admin)
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "body.timezone"


def test_cross_reference_errors_name_the_field(api: Api) -> None:
    body = data.workshop(lifts=[{"id": "L1", "type": "two_post", "load_limit_kg": 3000, "bay_id": "B9"}])
    response = api.client.post("/v1/workshops", json=body, headers=api.admin)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["path"] == "body.lifts[0].bay_id"
    assert error["message"].startswith("unknown bay 'B9'")


def test_removing_a_pinned_technician_is_refused(w1: Api) -> None:
    job = data.job(operations=[data.operation()])
    assert w1.client.post("/v1/workshops/w1/jobs", json=job, headers=w1.admin).status_code == 201
    pin = w1.client.put(
        "/v1/workshops/w1/jobs/RO-1/operations/10/pin", json={"technician_id": "T2"}, headers=w1.admin
    )
    assert pin.status_code == 200, pin.text
    body = data.without_id(data.workshop())
    body["technicians"] = body["technicians"][:1]
    response = w1.client.put("/v1/workshops/w1", json=body, headers=w1.admin)
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "jobs[RO-1].operations[0].pin.technician_id"


def test_parts_read_and_replace(w1: Api) -> None:
    parts = w1.client.get("/v1/workshops/w1/parts", headers=w1.admin)
    assert parts.json() == {"stock": [], "deliveries": [], "version": 1}
    body = {"stock": [{"part_number": "P1", "on_hand": 3}], "deliveries": []}
    response = w1.client.put(
        "/v1/workshops/w1/parts", json=body, headers={**w1.admin, "If-Match": parts.headers["etag"]}
    )
    assert response.status_code == 200
    assert response.json()["stock"] == [{"part_number": "P1", "on_hand": 3}]
    stale = w1.client.put("/v1/workshops/w1/parts", json=body, headers={**w1.admin, "If-Match": '"1"'})
    assert stale.status_code == 412


def test_a_clock_time_with_an_offset_is_422_naming_the_field(api: Api) -> None:
    body = data.workshop(opening_hours={"mon": [{"start": "08:00+08:00", "end": "18:00"}]})
    body["technicians"][0]["shifts"] = [{"days": ["mon"], "window": {"start": "08:00", "end": "17:00Z"}}]
    response = api.client.post("/v1/workshops", json=body, headers=api.admin)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    errors = {error["path"]: error["message"] for error in response.json()["errors"]}
    assert errors.keys() == {"body.opening_hours.mon[0].start", "body.technicians[0].shifts[0].window.end"}
    assert all("without UTC offset" in message for message in errors.values())


def test_the_labour_catalogue_is_read_and_replaced(w1: Api) -> None:
    assert w1.client.get("/v1/workshops/w1", headers=w1.admin).json()["labour_catalogue"] == []
    code = {
        "code": "ROAD",
        "text": "Road test",
        "standard_minutes": 20,
        "skill": "maintenance",
        "bay_capability": None,
    }
    body = data.without_id(data.workshop(labour_catalogue=[code]))
    response = w1.client.put("/v1/workshops/w1", json=body, headers=w1.admin)
    assert response.status_code == 200, response.text
    [stored] = w1.client.get("/v1/workshops/w1", headers=w1.admin).json()["labour_catalogue"]
    assert stored["code"] == "ROAD" and stored["bay_capability"] is None and stored["kind"] == "repair"


BAD_CATALOGUE = [
    {"code": "OIL", "text": "Oil service", "standard_minutes": 30, "skill": "maintenance"},
    {"code": "BRK", "standard_minutes": 60, "skill": "brakes", "bay_capability": "lift_bay"},
    {"code": "ROAD", "kind": "road_test", "standard_minutes": 20, "bay_capability": None},
    {"code": "OIL", "standard_minutes": 35, "skill": "maintenance", "equipment": ["ac_station"]},
]


def test_a_bad_labour_catalogue_is_422_naming_each_field_and_stores_nothing(api: Api) -> None:
    response = api.client.post(
        "/v1/workshops", json=data.workshop(labour_catalogue=BAD_CATALOGUE), headers=api.admin
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    errors = {error["path"]: error["message"] for error in response.json()["errors"]}
    assert errors == {
        "body.labour_catalogue[3].code": (
            "duplicate labour code 'OIL' (first at body.labour_catalogue[0].code)"
        ),
        "body.labour_catalogue[1].skill": "unknown skill 'brakes' (did you mean 'brakes_chassis'?)",
        "body.labour_catalogue[1].bay_capability": "unknown bay capability 'lift_bay'",
        "body.labour_catalogue[2].kind": errors["body.labour_catalogue[2].kind"],
        "body.labour_catalogue[2].skill": "needs a skill: a technician does this work (crew_size 1)",
        "body.labour_catalogue[3].equipment[0]": "unknown equipment pool 'ac_station'",
    }
    assert errors["body.labour_catalogue[2].kind"].startswith(
        "unknown kind 'road_test'; use one of diagnosis"
    )
    assert api.client.get("/v1/workshops/w1", headers=api.admin).status_code == 404

    api.create_workshop()
    before = api.client.get("/v1/workshops/w1", headers=api.admin)
    body = data.without_id(data.workshop(labour_catalogue=BAD_CATALOGUE[2:3]))
    response = api.client.put("/v1/workshops/w1", json=body, headers=api.admin)
    assert response.status_code == 422
    assert [e["path"] for e in response.json()["errors"]] == [
        "body.labour_catalogue[0].kind",
        "body.labour_catalogue[0].skill",
    ]
    after = api.client.get("/v1/workshops/w1", headers=api.admin)
    assert after.json() == before.json() and after.headers["etag"] == before.headers["etag"]
