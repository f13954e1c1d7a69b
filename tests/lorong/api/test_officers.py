"""Officers API: the programme admin sets which kelurahan a lurah verifies; nobody else may."""

from tests.conftest import token_for
from tests.lorong.conftest import K1, K2


def test_the_admin_assigns_a_lurah_who_then_verifies_there(client, api_world):
    admin, lurah = token_for(client, "lorongadmin.7371"), token_for(client, "lurah.7371")
    coord = token_for(client, "lorongcoordinator.7371")
    uid = api_world.units["lr-b1"]  # in K2, not yet the lurah's
    rid = client.post(
        f"/api/v1/lorong/units/{uid}/reports", json={"period": "2025-04", "values": {"acara-seni": 2}}, headers=admin
    ).json()["id"]
    assert client.post(f"/api/v1/lorong/reports/{rid}/verify", json={}, headers=lurah).status_code == 403
    for who in ({}, coord, lurah):
        r = client.put("/api/v1/lorong/officers/73.71/lurah.7371", json={"kelurahan_codes": [K2]}, headers=who)
        assert r.status_code in (401, 403)
    r = client.put("/api/v1/lorong/officers/73.71/lurah.7371", json={"kelurahan_codes": [K1, K2]}, headers=admin)
    assert r.status_code == 200 and r.json() == {"username": "lurah.7371", "kelurahan_codes": [K2, K1]}
    assert client.get("/api/v1/lorong/officers/73.71", headers=admin).json() == [r.json()]
    assert client.post(f"/api/v1/lorong/reports/{rid}/verify", json={}, headers=lurah).json()["status"] == "verified"
    r = client.delete("/api/v1/lorong/officers/73.71/lurah.7371", params={"kelurahan": K2}, headers=admin)
    assert r.json() == {"username": "lurah.7371", "removed": [K2]}
    r = client.put(
        "/api/v1/lorong/officers/73.71/lorongcoordinator.7371",
        json={"kelurahan_codes": [K1]},
        headers=admin | {"Accept-Language": "id"},
    )
    assert r.status_code == 409 and r.json()["field"] == "username" and "lurah" in r.json()["detail"]
    r = client.put(
        "/api/v1/lorong/officers/73.71/lurah.7371", json={"kelurahan_codes": ["73.71.03.9999"]}, headers=admin
    )
    assert r.status_code == 400 and r.json()["field"] == "kelurahan_codes.0"
    assert client.delete("/api/v1/lorong/officers/73.71/lurah.7371", headers=admin).json()["removed"] == [K1]
    assert client.get("/api/v1/lorong/officers/73.71", headers=admin).json() == []
    assert client.get("/api/v1/lorong/officers/73.71", headers=token_for(client, "lorongadmin.3510")).status_code == 403
