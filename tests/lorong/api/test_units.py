"""Units API: the public directory carries public fields only; private fields for the unit's own staff; QR codes;
photos; creation and editing within the roles."""

import io

import zxingcpp
from PIL import Image

from kotacerdas.lorong.generate import demo_photo
from tests.conftest import token_for

PRIVATE = ("coordinator", "coordinator_name", "contact_phone", "contact_email", "081234567890", "Ibu Lorong")


def test_directory_is_public_geojson_without_private_fields(client, api_world):
    r = client.get("/api/v1/lorong/units", params={"city": "73.71", "theme": "kuliner"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["numberMatched"] == 2 and {f["properties"]["code"] for f in fc["features"]} == {"lr-a1", "lr-b2"}
    assert fc["features"][0]["geometry"]["type"] == "LineString"
    assert not any(word in r.text for word in PRIVATE)
    one = client.get("/api/v1/lorong/units/73.71/lorong-anggrek").json()
    assert one["properties"]["kelurahan"] == "Maradekaya" and one["properties"]["public_contact"] == "Pokdarwis 0811"
    assert not any(word in str(one) for word in PRIVATE)


def test_private_fields_for_the_coordinator_and_the_lurah_only(client, api_world):
    uid = api_world.units["lr-a1"]
    for user, status in (
        ("lorongcoordinator.7371", 200),
        ("lurah.7371", 200),
        ("lorongadmin.7371", 200),
        ("lorongcoordinator.3510", 403),
        ("public.7371", 403),
        ("roadofficer.7371", 403),
    ):
        r = client.get(f"/api/v1/lorong/units/{uid}/private", headers=token_for(client, user))
        assert r.status_code == status, user
    other = client.get(
        f"/api/v1/lorong/units/{api_world.units['lr-b1']}/private", headers=token_for(client, "lurah.7371")
    )
    assert other.status_code == 403
    body = client.get(f"/api/v1/lorong/units/{uid}/private", headers=token_for(client, "lurah.7371")).json()
    assert body["contact_phone"] == "081234567890" and body["coordinator"] == "lorongcoordinator.7371"


def test_qr_codes_link_to_the_public_page(client, api_world):
    r = client.get("/api/v1/lorong/units/73.71/lorong-anggrek/qr.png")
    assert r.headers["content-type"] == "image/png"
    decoded = [x.text for x in zxingcpp.read_barcodes(Image.open(io.BytesIO(r.content)))]
    assert decoded == ["http://testserver/lorong/73.71/lorong-anggrek"]
    svg = client.get("/api/v1/lorong/units/73.71/lorong-anggrek/qr.svg")
    assert svg.headers["content-type"] == "image/svg+xml" and b"<title>Lorong Anggrek</title>" in svg.content
    assert client.get("/lorong/73.71/lorong-anggrek").status_code == 200


def test_create_and_edit_within_the_roles(client, api_world):
    admin = token_for(client, "lorongadmin.7371")
    body = {
        "programme": "lorong-wisata",
        "code": "lr-new",
        "name": "Lorong Sakura",
        "kecamatan_code": "73.71.03",
        "kelurahan_code": "73.71.03.1003",
        "themes": ["seni"],
        "coordinator": "lorongcoordinator.7371",
        "geometry": {"type": "LineString", "coordinates": [[119.42, -5.14], [119.421, -5.141]]},
    }
    r = client.post("/api/v1/lorong/units?city=73.71", json=body, headers=admin)
    assert r.status_code == 201, r.text
    uid = r.json()["id"]
    assert r.json()["slug"] == "lorong-sakura"
    coord = token_for(client, "lorongcoordinator.7371")
    assert client.patch(f"/api/v1/lorong/units/{uid}", json={"address": "Jl. Baru"}, headers=coord).status_code == 200
    r = client.patch(f"/api/v1/lorong/units/{uid}", json={"grade": "A"}, headers=coord)
    assert r.status_code == 403 and r.json()["field"] == "grade"
    assert (
        client.post("/api/v1/lorong/units?city=73.71", json=body | {"code": "lr-x"}, headers=coord).status_code == 403
    )
    r = client.post(
        "/api/v1/lorong/units?city=73.71",
        json=body | {"code": "lr-y", "kelurahan_code": "73.71.03.9999"},
        headers=admin,
    )
    assert r.status_code == 400 and r.json()["field"] == "kelurahan_code"


def test_activities_photos_and_what_the_public_sees(client, api_world):
    uid = api_world.units["lr-a1"]
    coord = token_for(client, "lorongcoordinator.7371")
    r = client.put(
        f"/api/v1/lorong/units/{uid}/activities/warung-coto",
        json={
            "kind": "umkm",
            "theme": "destinasi-kuliner",
            "name": "Warung Coto Daeng",
            "contact": "0813999",
            "products": [{"name": "Coto Makassar", "price": 25000, "unit": "mangkok"}],
        },
        headers=coord,
    )
    assert r.status_code == 200 and r.json()["contact"] == "0813999"
    public = client.get("/api/v1/lorong/units/73.71/lorong-anggrek").json()["properties"]
    act = public["activities"][0]
    assert act["products"][0]["price"] == 25000 and act["contact"] is None
    up = client.post(
        f"/api/v1/lorong/units/{uid}/photos",
        files={"file": ("p.png", demo_photo(2), "image/png")},
        data={"public": "true"},
        headers=coord,
    )
    assert up.status_code == 201
    pid = up.json()["id"]
    assert client.get(f"/api/v1/lorong/photos/{pid}").content == demo_photo(2)
    bad = client.post(
        f"/api/v1/lorong/units/{uid}/photos", files={"file": ("x.gif", b"GIF89a", "image/gif")}, headers=coord
    )
    assert bad.status_code == 400 and bad.json()["field"] == "file"


def test_a_renamed_lorong_keeps_its_page_and_qr_code(client, api_world):
    admin = token_for(client, "lorongadmin.7371")
    uid = api_world.units["lr-a1"]
    printed = client.get("/api/v1/lorong/units/73.71/lorong-anggrek/qr.png").content
    r = client.patch(f"/api/v1/lorong/units/{uid}", json={"name": "Lorong Anggrek Indah"}, headers=admin)
    assert r.status_code == 200 and r.json()["slug"] == "lorong-anggrek"
    page = client.get("/api/v1/lorong/units/73.71/lorong-anggrek")
    assert page.status_code == 200 and page.json()["properties"]["name"] == "Lorong Anggrek Indah"
    assert client.get("/lorong/73.71/lorong-anggrek").status_code == 200
    assert client.get("/api/v1/lorong/units/73.71/lorong-anggrek/qr.png").content == printed
    # a new lorong with the old name gets a slug of its own
    body = {
        "programme": "lorong-wisata",
        "code": "lr-new",
        "name": "Lorong Anggrek",
        "kecamatan_code": "73.71.03",
        "kelurahan_code": "73.71.03.1003",
        "geometry": {"type": "LineString", "coordinates": [[119.42, -5.14], [119.421, -5.141]]},
    }
    assert client.post("/api/v1/lorong/units?city=73.71", json=body, headers=admin).json()["slug"] == "lorong-anggrek-2"


def test_unit_photos_are_private_unless_marked_public_and_carry_no_gps(client, api_world):
    from tests.lorong.test_photos import half_blue, phone_exif

    uid = api_world.units["lr-a1"]
    coord = token_for(client, "lorongcoordinator.7371")
    buf = io.BytesIO()
    half_blue().save(buf, "JPEG", exif=phone_exif())
    phone = buf.getvalue()

    def upload(data, **form):
        r = client.post(
            f"/api/v1/lorong/units/{uid}/photos",
            files={"file": ("hp.jpg", data, "image/jpeg")},
            data=form,
            headers=coord,
        )
        assert r.status_code == 201, r.text
        return r.json()["id"]

    kept = upload(demo_photo(11))
    assert client.get(f"/api/v1/lorong/photos/{kept}").status_code == 401  # private by default
    assert client.get(f"/api/v1/lorong/photos/{kept}", headers=coord).content == demo_photo(11)
    shown = upload(phone, public="true")
    served = client.get(f"/api/v1/lorong/photos/{shown}").content
    assert served.startswith(b"\xff\xd8") and b"Samsung" not in served and b"Exif" not in served
    assert Image.open(io.BytesIO(served)).getexif().get_ifd(0x8825) == {}
    page = client.get("/api/v1/lorong/units/73.71/lorong-anggrek").json()["properties"]
    assert shown in page["photos"] and kept not in page["photos"]


def test_activities_are_written_and_read_in_both_languages(client, api_world):
    uid = api_world.units["lr-a1"]
    coord = token_for(client, "lorongcoordinator.7371")
    body = {
        "kind": "umkm",
        "theme": "destinasi-kuliner",
        "name": {"id": "Dapur Daeng", "en": "Daeng's kitchen"},
        "description": {"id": "Masakan rumahan", "en": "Home cooking"},
        "products": [{"name": {"id": "Pisang epe", "en": "Grilled banana"}, "price": 10000, "unit": "porsi"}],
    }
    r = client.put(f"/api/v1/lorong/units/{uid}/activities/dapur", json=body, headers=coord)
    assert r.status_code == 200 and r.json()["name"] == {"id": "Dapur Daeng", "en": "Daeng's kitchen"}
    old_style = {"kind": "mural", "theme": "seni", "name": "Mural lorong", "description": "Lukisan warga"}
    assert client.put(f"/api/v1/lorong/units/{uid}/activities/mural", json=old_style, headers=coord).status_code == 200
    public = client.get("/api/v1/lorong/units/73.71/lorong-anggrek").json()["properties"]["activities"]
    by_code = {a["code"]: a for a in public}
    assert by_code["mural"]["name"] == {"id": "Mural lorong", "en": ""}
    assert by_code["dapur"]["products"][0]["name"] == {"id": "Pisang epe", "en": "Grilled banana"}
    english = coord | {"Accept-Language": "en"}
    bad = client.put(f"/api/v1/lorong/units/{uid}/activities/dapur", json={"name": {"en": "Kitchen"}}, headers=english)
    assert bad.status_code == 400 and bad.json()["field"] == "name.id" and "Bahasa Indonesia" in bad.json()["detail"]
    en = client.get("/lorong/73.71/lorong-anggrek?lang=en").text
    assert "Daeng&#39;s kitchen" in en and "Home cooking" in en and "Grilled banana" in en
    assert '<span lang="id">Mural lorong</span> <small class="lang-note">(in Bahasa Indonesia only)</small>' in en
    idn = client.get("/lorong/73.71/lorong-anggrek?lang=id").text
    assert "Dapur Daeng" in idn and "Pisang epe" in idn and "Mural lorong" in idn and "lang-note" not in idn
