"""A corpus of malformed input for every importer, generated (nothing large is committed).

Each function returns ``[(name, filename, bytes)]``: files a careless user or an attacker might send. The same
corpus feeds the API tests (``tests/test_malformed.py``: a 4xx problem and an unchanged database), the command
line (a non-zero exit and one line naming the record) and the memory test (``tests/test_memory.py``: each
importer in a subprocess under a memory limit).
"""

from __future__ import annotations

import io
import json
import zipfile
from functools import cache

Case = tuple[str, str, bytes]
#: A long line: past the csv module's 128 KiB field limit (a user's 30 MB line fails the same way).
LONG = 3 << 20


def zip_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


@cache
def zip_bomb(member: str = "data.csv", mb: int = 300) -> bytes:
    """A zip of about 300 KB whose one member unpacks to ``mb`` MB of zeros (written without holding them)."""
    buf = io.BytesIO()
    block = b"0" * (1 << 20)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf, zf.open(member, "w", force_zip64=True) as out:
        for _ in range(mb):
            out.write(block)
    return buf.getvalue()


@cache
def many_members(n: int = 5000) -> bytes:
    return zip_of({f"f{i}.csv": b"" for i in range(n)})


def deep_json(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth


def generic(ext: str) -> list[Case]:
    """What any importer may be sent instead of its file."""
    return [
        ("empty", f"empty{ext}", b""),
        ("not utf-8", f"latin1{ext}", b"\xff\xfe\x00\x81 caf\xe9\n\x80\x81\x82\n"),
        ("binary", f"random{ext}", bytes(range(256)) * 64),
        ("deep json", f"deep{ext}", deep_json()),
        ("long line", f"long{ext}", b"a," + b"x" * LONG + b"\n"),
        ("zip bomb", f"bomb{ext}", zip_bomb()),
        ("zip of many files", f"many{ext}", many_members()),
        ("truncated zip", f"cut{ext}", zip_of({"a.csv": b"x" * 10_000})[:300]),
    ]


# -- GeoJSON (admin areas, stations) ---------------------------------------------------------------------------


def _fc(features, **extra) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features, **extra}).encode()


def _square(lon: float, lat: float, d: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def geojson_areas(city: str = "35.10") -> list[Case]:
    good = {"type": "Feature", "properties": {"code": f"{city}.98", "name": "Uji"}, "geometry": _square(114.3, -8.2)}
    nan = dict(good, geometry={"type": "Polygon", "coordinates": [[[float("nan"), 0], [1, 0], [1, 1], [0, 0]]]})
    return generic(".geojson") + [
        ("crs as a string", "crs.geojson", _fc([good], crs="EPSG:3857")),
        ("crs of another system", "crs2.geojson", _fc([good], crs={"type": "name",
                                                                   "properties": {"name": "EPSG:3857"}})),
        ("features not a list", "nolist.geojson", json.dumps({"type": "FeatureCollection", "features": 7}).encode()),
        ("a feature that is null", "null.geojson", _fc([None])),
        ("a feature that is a number", "num.geojson", _fc([3])),
        ("properties not an object", "props.geojson", _fc([dict(good, properties=[1, 2])])),
        ("geometry not an object", "geom.geojson", _fc([dict(good, geometry="POLYGON")])),
        ("NaN coordinates", "nan.geojson", json.dumps({"type": "FeatureCollection", "features": [nan]}).encode()),
        ("huge coordinates", "huge.geojson", _fc([dict(good, geometry=_square(1e308, 1e308))])),
        ("code as a number", "code.geojson", _fc([dict(good, properties={"code": 3510, "name": "X"})])),
        ("a JSON array", "array.geojson", b"[1, 2, 3]"),
    ]  # fmt: skip


def geojson_stations() -> list[Case]:
    def point(lon, lat, **props):
        base = {"station_id": "s1", "name": "S1", "capacity": 4} | props
        return {"type": "Feature", "properties": base, "geometry": {"type": "Point", "coordinates": [lon, lat]}}

    return [
        ("crs as a string", "crs.geojson", _fc([point(114.37, -8.21)], crs="EPSG:4326")),
        ("features not a list", "nolist.geojson", json.dumps({"type": "FeatureCollection", "features": "x"}).encode()),
        ("a feature that is null", "null.geojson", _fc([None])),
        ("properties not an object", "props.geojson", _fc([dict(point(114.37, -8.21), properties="x")])),
        ("NaN coordinates", "nan.geojson", json.dumps({"type": "FeatureCollection", "features": [
            point(float("nan"), -8.21)]}).encode()),
        ("coordinates out of range", "range.geojson", _fc([point(500, -95)])),
        ("a capacity of 10^12", "cap.geojson", _fc([point(114.37, -8.21, capacity=10**12)])),
        ("an empty station id", "emptyid.geojson", _fc([point(114.37, -8.21, station_id="")])),
        ("a 10 KB station id", "longid.geojson", _fc([point(114.37, -8.21, station_id="s" * 10_000)])),
        ("deep json", "deep.geojson", deep_json()),
    ]  # fmt: skip


# -- CSV files of Bike Sharing ------------------------------------------------------------------------------------

STATION_HEADER = b"station_id,name,lat,lon,capacity\n"


def station_csvs() -> list[Case]:
    row = lambda sid=b"s1", lat=b"-8.21", lon=b"114.37", cap=b"4": b",".join([sid, b"S", lat, lon, cap]) + b"\n"  # noqa: E731
    return generic(".csv") + [
        ("missing columns", "cols.csv", b"a,b\n1,2\n"),
        ("a capacity of 10^12", "cap.csv", STATION_HEADER + row(cap=b"1000000000000")),
        ("a negative capacity", "neg.csv", STATION_HEADER + row(cap=b"-3")),
        ("a capacity that is not a number", "capx.csv", STATION_HEADER + row(cap=b"many")),
        ("an empty station id", "emptyid.csv", STATION_HEADER + row(sid=b"")),
        ("a 10 KB station id", "longid.csv", STATION_HEADER + row(sid=b"s" * 10_000)),
        ("a latitude of nan", "nan.csv", STATION_HEADER + row(lat=b"nan")),
        ("a longitude of inf", "inf.csv", STATION_HEADER + row(lon=b"inf")),
        ("a latitude of 999", "range.csv", STATION_HEADER + row(lat=b"999")),
        ("a 3 MB line", "line.csv", STATION_HEADER + row(sid=b"s" * LONG)),
        ("a truncated row", "short.csv", STATION_HEADER + b"s1,S,-8.21\n"),
    ]


TRIP_HEADER = b"trip_id,bike_id,start_station_id,end_station_id,start_time,end_time\n"


def trip_csvs(bike: bytes = b"uji-alpha-0") -> list[Case]:
    def row(start=b"2025-03-03T08:00:00+07:00", end=b"2025-03-03T08:20:00+07:00", trip=b"t1", b=bike):
        return b",".join([trip, b, b"alpha", b"gamma", start, end]) + b"\n"

    return generic(".csv") + [
        ("missing columns", "cols.csv", b"trip_id\nt1\n"),
        ("a trip in year 9999", "y9999.csv", TRIP_HEADER + row(start=b"9999-01-01T00:00:00+07:00",
                                                               end=b"9999-01-01T00:20:00+07:00")),
        ("a trip before 1900", "y1800.csv", TRIP_HEADER + row(start=b"1800-01-01T00:00:00+07:00",
                                                              end=b"1800-01-01T00:20:00+07:00")),
        ("an end before the start", "back.csv", TRIP_HEADER + row(end=b"2025-03-03T07:00:00+07:00")),
        ("a time that is not a time", "time.csv", TRIP_HEADER + row(start=b"yesterday")),
        ("an unknown station", "station.csv", TRIP_HEADER + b"t1,uji-alpha-0,nowhere,gamma,"
                                                            b"2025-03-03T08:00:00+07:00,2025-03-03T08:20:00+07:00\n"),
        ("a 3 MB line", "line.csv", TRIP_HEADER + row(trip=b"t" * LONG)),
    ]  # fmt: skip


# -- OpenStreetMap extracts --------------------------------------------------------------------------------------


def osm_xml(nodes: list[tuple[int, str, str]], ways: list[list[int]]) -> bytes:
    lines = ["<?xml version='1.0' encoding='UTF-8'?>", "<osm version='0.6' generator='test'>"]
    lines += [f"  <node id='{i}' version='1' lat='{lat}' lon='{lon}'/>" for i, lat, lon in nodes]
    for w, refs in enumerate(ways, start=1):
        lines.append(f"  <way id='{w}' version='1'>")
        lines += [f"    <nd ref='{r}'/>" for r in refs]
        lines.append("    <tag k='highway' v='residential'/>")
        lines.append("  </way>")
    lines.append("</osm>")
    return "\n".join(lines).encode()


def osm_files() -> list[Case]:
    ok = [(1, "-8.2137", "114.3676"), (2, "-8.2140", "114.3690")]
    return [
        ("empty", "empty.osm", b""),
        ("not XML", "text.osm", b"this is not an extract"),
        ("binary", "random.osm.pbf", bytes(range(256)) * 64),
        ("a latitude of nan", "nan.osm", osm_xml([(1, "nan", "114.3676"), (2, "-8.2140", "114.3690")], [[1, 2]])),
        ("a longitude of inf", "inf.osm", osm_xml([(1, "-8.2137", "inf"), (2, "-8.2140", "114.3690")], [[1, 2]])),
        ("a latitude of 1e308", "huge.osm", osm_xml([(1, "1e308", "114.3676"), (2, "-8.2140", "114.3690")], [[1, 2]])),
        ("a way without its nodes", "dangling.osm", osm_xml(ok[:1], [[1, 99]])),
        ("an extract of another city", "makassar.osm", osm_xml([(1, "-5.1470", "119.4320"), (2, "-5.1480", "119.4330")],
                                                               [[1, 2]])),
        ("billion laughs", "laughs.osm", b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                                         b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
                                         b"<osm>&lol2;</osm>"),
        ("zip bomb", "bomb.osm.gz", _gzip_bomb()),
    ]  # fmt: skip


@cache
def _gzip_bomb(mb: int = 300) -> bytes:
    import gzip

    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb") as gz:
        block = b" " * (1 << 20)
        for _ in range(mb):
            gz.write(block)
    return buf.getvalue()


# -- surveys and profiles (Road Manager) -------------------------------------------------------------------------


def _csv(header: str, rows) -> bytes:
    return (header + "\n" + "".join(",".join(str(v) for v in r) + "\n" for r in rows)).encode()


def _package(location: bytes, accel: bytes, manifest: dict | bytes | None = None) -> bytes:
    import hashlib

    entry = lambda name, file, data, cols: {  # noqa: E731
        "name": name,
        "file": file,
        "format": "csv",
        "columns": cols,
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    if manifest is None:
        manifest = {
            "format": "kotacerdas-survey",
            "version": 1,
            "streams": [
                entry("location", "location.csv", location, ["t", "lat", "lon", "speed", "accuracy"]),
                entry("accelerometer", "accelerometer.csv", accel, ["t", "x", "y", "z"]),
            ],
        }
    body = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    return zip_of({"manifest.json": body, "location.csv": location, "accelerometer.csv": accel})  # fmt: skip


T0 = 1_743_469_200.0  # 2025-04-01 01:00 UTC


def _drive(seconds: int = 60, lat0: float = -8.2137, lon0: float = 114.3676, gap_s: float = 0.0):
    loc = [(T0 + i + (gap_s if i > seconds // 2 else 0), lat0 + i * 1e-5, lon0, 8.0, 5.0) for i in range(seconds)]
    acc = [(T0 + k / 100, 0.1, 0.2, 9.8) for k in range(seconds * 100)]
    if gap_s:
        acc = [(t + (gap_s if t > T0 + seconds / 2 else 0), x, y, z) for t, x, y, z in acc]
    return loc, acc


def survey_files() -> list[Case]:
    loc, acc = _drive()
    location, accel = _csv("t,lat,lon,speed,accuracy", loc), _csv("t,x,y,z", acc)
    far = [(t + (30_000 * 365.25 * 86400 if i > 30 else 0), la, lo, s, a) for i, (t, la, lo, s, a) in enumerate(loc)]
    gap_loc, gap_acc = _drive(gap_s=10 * 86400)
    huge_acc = [(t, 1e308 if i == 500 else x, y, z) for i, (t, x, y, z) in enumerate(acc)]
    null_island = [(t, 0.0, 0.0, s, a) for t, _la, _lo, s, a in loc]
    speed_inf = [(t, la, lo, "inf" if i == 5 else s, a) for i, (t, la, lo, s, a) in enumerate(loc)]
    bad = lambda **m: _package(location, accel, {"format": "kotacerdas-survey", "version": 1, **m})  # noqa: E731
    gpx = (
        "<?xml version='1.0'?><gpx version='1.1' xmlns='http://www.topografix.com/GPX/1/1'><trk><trkseg>"
        + "".join(
            f"<trkpt lat='{la}' lon='{lo}'><time>2025-04-01T01:00:{i:02d}Z</time><speed>"
            f"{'inf' if i == 3 else 8}</speed></trkpt>"
            for i, (_t, la, lo, _s, _a) in enumerate(loc[:50])
        )
        + "</trkseg></trk></gpx>"
    ).encode()
    accel_csv = _csv("time,ax,ay,az", [(f"{t:.2f}", x, y, z) for t, x, y, z in acc[:5000]])
    return generic(".zip") + [
        ("manifest not JSON", "m1.zip", _package(location, accel, b"{not json")),
        ("manifest nested 100,000 deep", "m2.zip", _package(location, accel, deep_json())),
        ("manifest a list", "m3.zip", _package(location, accel, b"[]")),
        ("streams not a list", "m4.zip", bad(streams="all")),
        ("a stream named by a list", "m5.zip", bad(streams=[{"name": ["location"], "file": "location.csv",
                                                             "format": "csv", "columns": [], "sha256": "x"}])),
        ("columns as a string", "m6.zip", bad(streams=[{"name": "location", "file": "location.csv", "format": "csv",
                                                        "columns": "t,lat,lon", "sha256": "x"}])),
        ("metadata a list", "m7.zip", bad(streams=[], metadata=[1, 2])),
        ("a time jump of 30,000 years", "far.zip", _package(_csv("t,lat,lon,speed,accuracy", far), accel)),
        ("a 10-day GPS gap", "gap.zip", _package(_csv("t,lat,lon,speed,accuracy", gap_loc),
                                                 _csv("t,x,y,z", gap_acc))),
        ("an acceleration of 1e308", "acc.zip", _package(location, _csv("t,x,y,z", huge_acc))),
        ("a track at 0,0", "null-island.zip", _package(_csv("t,lat,lon,speed,accuracy", null_island), accel)),
        ("a GPS speed of inf", "speed.zip", _package(_csv("t,lat,lon,speed,accuracy", speed_inf), accel)),
        ("a GPX speed of inf", "gpx.zip", zip_of({"track.gpx": gpx, "accel.csv": accel_csv})),
        ("a Sensor Logger export that is a zip bomb", "logger.zip", _logger_bomb(location)),
        ("an NMEA log of garbage", "nmea.zip", zip_of({"log.nmea": b"$GPRMC,nan,A,nan,N*00\n" * 50,
                                                       "accel.csv": accel_csv})),
    ]  # fmt: skip


@cache
def _logger_bomb(location: bytes) -> bytes:
    """A Sensor Logger zip whose Accelerometer.csv unpacks to 100 MB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Location.csv", location)
        with zf.open("Accelerometer.csv", "w", force_zip64=True) as out:
            out.write(b"time,seconds_elapsed,z,y,x\n")
            block = b"1743469200000000000,0.0,0.1,0.2,9.8\n" * 30_000
            for _ in range(100):
                out.write(block)
    return buf.getvalue()


def erd(nchan: str = "2", nscan: str = "4", dx: str = "0.25", samples: str = "0.001 0.002\n" * 4) -> bytes:
    return (f"ERDFILEV2.00\n{nchan}, {nscan}, 1, 1, 0, 0, {dx}, 0.0\nTITLE   test\nEND\n" + samples).encode()


def profile_files() -> list[Case]:
    return generic(".erd") + [
        ("a billion channels", "chan.erd", erd(nchan="1000000000")),
        ("zero channels", "zero.erd", erd(nchan="0")),
        ("minus two channels", "neg.erd", erd(nchan="-2")),
        ("a trillion scans", "scans.erd", erd(nscan="1000000000000")),
        ("an interval of 0", "dx0.erd", erd(dx="0.0")),
        ("an interval of 1e308", "dxhuge.erd", erd(dx="1e308")),
        ("a sample of nan", "nan.erd", erd(samples="nan 0.002\n" + "0.001 0.002\n" * 3)),
        ("a profile CSV not in UTF-8", "latin1.csv", b"distance,elevation\n0,\xe9\n"),
        ("a profile CSV with inf", "inf.csv", b"distance,elevation\n0,0\n0.25,inf\n0.5,0\n0.75,0\n"),
    ]


def reference_files() -> list[Case]:
    head = b"from_m,to_m,iri_m_per_km\n"
    return [
        ("an IRI of nan", "nan.csv", head + b"0,100,nan\n100,200,3.1\n"),
        ("a negative IRI", "neg.csv", head + b"0,100,-2\n100,200,3.1\n"),
        ("an IRI of 1e308", "huge.csv", head + b"0,100,1e308\n"),
        ("a section ending before it starts", "back.csv", head + b"100,0,2.5\n"),
        ("not UTF-8", "latin1.csv", head + b"0,100,\xe9\n"),
        ("a 3 MB line", "line.csv", head + b"0,100," + b"9" * LONG + b"\n"),
    ]


# -- spreadsheets (ASCN, Lorong Wisata) ---------------------------------------------------------------------------


@cache
def xlsx_bomb() -> bytes:
    """A real workbook whose first sheet is replaced by 100 MB of rows."""
    from openpyxl import Workbook

    book = io.BytesIO()
    wb = Workbook()
    wb.active.title = "partners"
    wb.active.append(["name"])
    wb.save(book)
    buf = io.BytesIO()
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                out.writestr(item, src.read(item))
                continue
            with out.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000
                for _ in range(100):
                    sheet.write(row)
                sheet.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def spreadsheet_files() -> list[Case]:
    return generic(".csv") + [
        ("an xlsx that is a zip bomb", "bomb.xlsx", xlsx_bomb()),
        ("an xlsx that is not a workbook", "notbook.xlsx", zip_of({"hello.txt": b"hi"})),
        ("a truncated xlsx", "cut.xlsx", zip_of({"xl/workbook.xml": b"<workbook/>" * 1000})[:200]),
    ]


def image_files() -> list[Case]:
    """Photos (Lorong Wisata) and documents (ASCN) that are not what they claim."""
    import struct
    import zlib

    def png(width: int, height: int) -> bytes:
        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
        idat = zlib.compress(b"\0" * 1000)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")

    return [
        ("empty", "empty.png", b""),
        ("not an image", "text.png", b"hello"),
        ("a 60,000 x 60,000 PNG", "huge.png", png(60_000, 60_000)),
        ("a truncated PNG", "cut.png", png(10, 10)[:40]),
        ("a docx zip bomb", "bomb.docx", zip_bomb("word/document.xml")),
    ]
