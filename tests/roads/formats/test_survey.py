"""Survey readers: every format written from known data and read back; every refusal."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.gpx import import_track_with_accel
from kotacerdas.roads.formats.nmea import nmea_checksum
from kotacerdas.roads.formats.survey import (
    detect_format,
    import_survey,
    read_survey,
    streams_hash,
    write_survey_package,
)
from kotacerdas.roads.streams import SurveyStreams, Track, Vector3

T0 = 1_700_000_000.0  # 2023-11-14T22:13:20Z
G = np.array([0.3, 0.5, 9.79])


def r(value: float) -> str:
    """Shortest exact text of a float."""
    return repr(float(value))


def make_drive(seconds: int = 30, hz: float = 100.0, seed: int = 1) -> SurveyStreams:
    """A drive east along 7.3 S at 10 m/s, fixes at 1 Hz, accelerometer at ``hz``."""
    rng = np.random.default_rng(seed)
    t = T0 + np.arange(seconds + 1, dtype=float)
    lon = 112.78 + 10.0 * (t - T0) / (111_320.0 * np.cos(np.radians(7.3)))
    lat = np.full(t.size, -7.3) + rng.normal(0, 1e-6, t.size)
    track = Track(t, lat, lon, np.full(t.size, 10.0), np.full(t.size, 4.0))
    ta = T0 + np.arange(int(seconds * hz)) / hz
    lin = rng.normal(0, 0.5, (ta.size, 3))
    accel = Vector3(ta, lin[:, 0] + G[0], lin[:, 1] + G[1], lin[:, 2] + G[2])
    gravity = Vector3(ta, np.full(ta.size, G[0]), np.full(ta.size, G[1]), np.full(ta.size, G[2]))
    gyro = Vector3(ta, *rng.normal(0, 0.01, (3, ta.size)))
    return SurveyStreams(track, accel, gravity, gyro, vehicle_id="L 1234 AB", metadata={"city": "surabaya"})


# -- writers of the foreign formats (from the published column layouts) ------------------------
def write_sensor_logger(folder: Path, s: SurveyStreams, total: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    tr = s.track
    ns = lambda t: str(int(round(t * 1e9)))  # noqa: E731
    rows = [
        "time,seconds_elapsed,bearingAccuracy,speedAccuracy,verticalAccuracy,horizontalAccuracy,"
        "speed,bearing,altitude,longitude,latitude"
    ]
    for i in range(len(tr)):
        rows.append(
            f"{ns(tr.t[i])},{tr.t[i] - T0},0,0.5,3,{tr.accuracy[i]},{tr.speed[i]},90,5,{r(tr.lon[i])},{r(tr.lat[i])}"
        )
    (folder / "Location.csv").write_text("\n".join(rows) + "\n")

    def vec(name: str, v: Vector3, minus: Vector3 | None = None) -> None:
        out = ["time,seconds_elapsed,z,y,x"]
        for i in range(len(v)):
            x, y, z = v.x[i], v.y[i], v.z[i]
            if minus is not None:
                x, y, z = x - minus.x[i], y - minus.y[i], z - minus.z[i]
            out.append(f"{ns(v.t[i])},{v.t[i] - T0},{r(z)},{r(y)},{r(x)}")
        (folder / name).write_text("\n".join(out) + "\n")

    if total:
        vec("TotalAcceleration.csv", s.accel)
    vec("Accelerometer.csv", s.accel, minus=s.gravity)
    vec("Gravity.csv", s.gravity)
    vec("Gyroscope.csv", s.gyro)
    return folder


def write_phyphox(folder: Path, s: SurveyStreams, pause_at: float | None = None) -> Path:
    """phyphox export; with ``pause_at`` the recording pauses for 100 s from that time
    (samples of ``s`` at or after ``pause_at + 100`` are the ones after the pause)."""
    (folder / "meta").mkdir(parents=True, exist_ok=True)
    start = T0 - 2.0  # experiment starts 2 s before the first sample
    events = [("START", 0.0, start)]

    def exp_time(t: np.ndarray) -> np.ndarray:
        e = t - start
        if pause_at is not None:
            e = np.where(t >= pause_at + 100.0, e - 100.0, e)
        return e

    if pause_at is not None:
        events += [("PAUSE", pause_at - start, pause_at), ("START", pause_at - start, pause_at + 100.0)]
    rows = ['"event","experiment time","system time","system time text"']
    for ev, e, sys in events:
        rows.append(f'"{ev}",{r(e)},{r(sys)},"{datetime.fromtimestamp(sys, UTC).isoformat()}"')
    (folder / "meta" / "time.csv").write_text("\n".join(rows) + "\n")
    tr = s.track
    te = exp_time(tr.t)
    rows = [
        '"Time (s)","Latitude (°)","Longitude (°)","Height (m)","Velocity (m/s)","Direction (°)",'
        '"Horizontal Accuracy (m)","Vertical Accuracy (m)"'
    ]
    for i in range(len(tr)):
        rows.append(f"{r(te[i])},{r(tr.lat[i])},{r(tr.lon[i])},5,{r(tr.speed[i])},90,{r(tr.accuracy[i])},3")
    (folder / "Location.csv").write_text("\n".join(rows) + "\n")
    ta = exp_time(s.accel.t)
    rows = [
        '"Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)","Acceleration z (m/s^2)",'
        '"Absolute acceleration (m/s^2)"'
    ]
    a = s.accel
    for i in range(len(a)):
        rows.append(f"{r(ta[i])},{r(a.x[i])},{r(a.y[i])},{r(a.z[i])},9.8")
    (folder / "Accelerometer.csv").write_text("\n".join(rows) + "\n")
    return folder


def iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat().replace("+00:00", "Z")


def write_gpx(path: Path, s: SurveyStreams) -> Path:
    tr = s.track
    pts = "\n".join(
        f'   <trkpt lat="{r(tr.lat[i])}" lon="{r(tr.lon[i])}"><ele>5.0</ele><time>{iso(tr.t[i])}</time>'
        f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:speed>{r(tr.speed[i])}</gpxtpx:speed>"
        f"</gpxtpx:TrackPointExtension></extensions></trkpt>"
        for i in range(len(tr))
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v2">\n'
        f" <trk><name>drive</name><trkseg>\n{pts}\n </trkseg></trk>\n</gpx>\n"
    )
    return path


def nmea(body: str) -> str:
    return f"${body}*{nmea_checksum(body)}"


def dm(value: float, deg_digits: int) -> tuple[str, str]:
    a = abs(value)
    deg = int(a)
    minutes = (a - deg) * 60
    return f"{deg:0{deg_digits}d}{minutes:07.4f}", ""


def write_nmea(path: Path, s: SurveyStreams) -> Path:
    tr = s.track
    lines = []
    for i in range(len(tr)):
        d = datetime.fromtimestamp(tr.t[i], UTC)
        hms = d.strftime("%H%M%S") + ".00"
        lat, _ = dm(tr.lat[i], 2)
        lon, _ = dm(tr.lon[i], 3)
        ns_ = "S" if tr.lat[i] < 0 else "N"
        ew = "E" if tr.lon[i] >= 0 else "W"
        lines.append(nmea(f"GNGGA,{hms},{lat},{ns_},{lon},{ew},1,09,0.9,5.0,M,10.0,M,,"))
        knots = tr.speed[i] / (1852 / 3600)
        lines.append(nmea(f"GNRMC,{hms},A,{lat},{ns_},{lon},{ew},{knots:.3f},90.0,{d.strftime('%d%m%y')},,,A"))
        lines.append(nmea("GPGSV,1,1,00"))
    path.write_text("\r\n".join(lines) + "\r\n")
    return path


def write_accel_csv(path: Path, s: SurveyStreams, iso_time: bool = False) -> Path:
    a, g = s.accel, s.gyro
    rows = ["time,ax,ay,az,gx,gy,gz"]
    for i in range(len(a)):
        t = iso(a.t[i]) if iso_time else r(a.t[i])
        rows.append(f"{t},{r(a.x[i])},{r(a.y[i])},{r(a.z[i])},{r(g.x[i])},{r(g.y[i])},{r(g.z[i])}")
    path.write_text("\n".join(rows) + "\n")
    return path


def zip_folder(folder: Path, path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, "export/" + p.relative_to(folder).as_posix())
    return path


def assert_track_close(got: Track, want: Track, pos_tol: float = 1e-9, t_tol: float = 1e-6) -> None:
    assert len(got) == len(want)
    np.testing.assert_allclose(got.t, want.t, atol=t_tol, rtol=0)
    np.testing.assert_allclose(got.lat, want.lat, atol=pos_tol, rtol=0)
    np.testing.assert_allclose(got.lon, want.lon, atol=pos_tol, rtol=0)


def lines_of(path: Path) -> list[str]:
    return path.read_text().splitlines()


# -- survey package ----------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_package_round_trip_exact(tmp_path, fmt):
    drive = make_drive()
    path = write_survey_package(drive, tmp_path / f"drive-{fmt}.zip", fmt=fmt, device="test phone")
    assert detect_format(path) == "kotacerdas-survey"
    got = import_survey(path)
    s = got.streams
    for name in ("t", "lat", "lon", "speed", "accuracy"):
        np.testing.assert_array_equal(getattr(s.track, name), getattr(drive.track, name))
    for name in ("accel", "gravity", "gyro"):
        np.testing.assert_array_equal(getattr(s, name).as_array(), getattr(drive, name).as_array())
    assert s.vehicle_id == "L 1234 AB" and s.metadata["device"] == "test phone"
    assert s.metadata["city"] == "surabaya"
    assert got.content_hash == streams_hash(drive)
    assert got.report.total_excluded == 0 and got.report.rows["accelerometer"] == len(drive.accel)
    # writing twice gives the same bytes (idempotent upload)
    again = write_survey_package(drive, tmp_path / "again.zip", fmt=fmt, device="test phone")
    assert again.read_bytes() == path.read_bytes()


def test_package_csv_and_parquet_hash_equal(tmp_path):
    drive = make_drive()
    a = import_survey(write_survey_package(drive, tmp_path / "a.zip", fmt="csv"))
    b = import_survey(write_survey_package(drive, tmp_path / "b.zip", fmt="parquet"))
    assert a.content_hash == b.content_hash
    other = make_drive(seed=2)
    assert streams_hash(other) != a.content_hash


def rewrite_zip(src: Path, dst: Path, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        files = {n: zin.read(n) for n in zin.namelist()}
        files = change(files)
        for n, data in files.items():
            zout.writestr(n, data)
    return dst


def test_package_refuses_tampered_or_incomplete(tmp_path):
    drive = make_drive()
    good = write_survey_package(drive, tmp_path / "good.zip")

    def cut(files):
        files["accelerometer.csv"] = files["accelerometer.csv"][:-40]
        return files

    with pytest.raises(RoadsError, match="SHA-256") as err:
        import_survey(rewrite_zip(good, tmp_path / "cut.zip", cut))
    assert err.value.record == "accelerometer.csv"

    def drop_accel(files):
        m = json.loads(files["manifest.json"])
        m["streams"] = [s for s in m["streams"] if s["name"] != "accelerometer"]
        files["manifest.json"] = json.dumps(m)
        return files

    with pytest.raises(RoadsError, match="no accelerometer stream"):
        import_survey(rewrite_zip(good, tmp_path / "noacc.zip", drop_accel))

    def bad_version(files):
        m = json.loads(files["manifest.json"])
        m["version"] = 2
        files["manifest.json"] = json.dumps(m)
        return files

    with pytest.raises(RoadsError, match="version 2"):
        import_survey(rewrite_zip(good, tmp_path / "v2.zip", bad_version))


def rehash(files: dict, name: str) -> dict:
    import hashlib

    m = json.loads(files["manifest.json"])
    for s in m["streams"]:
        if s["file"] == name:
            s["sha256"] = hashlib.sha256(files[name]).hexdigest()
    files["manifest.json"] = json.dumps(m)
    return files


def test_package_time_errors_name_the_row(tmp_path):
    drive = make_drive()
    good = write_survey_package(drive, tmp_path / "good.zip")

    def backwards(files):
        rows = files["location.csv"].decode().splitlines()
        rows[5], rows[6] = rows[6], rows[5]  # data rows 5 and 6 = lines 6 and 7
        files["location.csv"] = ("\n".join(rows) + "\n").encode()
        return rehash(files, "location.csv")

    with pytest.raises(RoadsError, match="before the previous one") as err:
        import_survey(rewrite_zip(good, tmp_path / "back.zip", backwards))
    assert err.value.record == "location.csv:7"

    def duplicate(files):
        rows = files["location.csv"].decode().splitlines()
        rows.insert(4, rows[3])
        files["location.csv"] = ("\n".join(rows) + "\n").encode()
        return rehash(files, "location.csv")

    got = import_survey(rewrite_zip(good, tmp_path / "dup.zip", duplicate))
    assert got.report.excluded == {"duplicate_timestamp": 1}
    assert got.report.examples == [("duplicate_timestamp", "location.csv:5")]
    assert len(got.streams.track) == len(drive.track)
    assert got.streams.metadata["excluded.duplicate_timestamp"] == "1"


def test_gps_jump_excluded_then_refused(tmp_path):
    drive = make_drive(seconds=60)
    drive.track.lat[10] += 0.01  # ~1.1 km away for one second
    got = import_survey(write_survey_package(drive, tmp_path / "jump.zip"))
    assert got.report.excluded == {"gps_jump": 1}
    assert len(got.streams.track) == len(drive.track) - 1
    assert got.report.examples == [("gps_jump", "location.csv:12")]
    many = make_drive(seconds=60)
    many.track.lat[10:20] += 0.01
    with pytest.raises(RoadsError, match="jump faster than 60.0 m/s") as err:
        import_survey(write_survey_package(many, tmp_path / "jumps.zip"))
    assert err.value.record == "location.csv:12"


def test_low_accelerometer_rate_refused(tmp_path):
    drive = make_drive(hz=20.0)
    with pytest.raises(RoadsError, match="20.0 Hz"):
        import_survey(write_survey_package(drive, tmp_path / "slow.zip"))


def test_track_and_accelerometer_must_overlap(tmp_path):
    drive = make_drive()
    drive.accel.t = drive.accel.t + 7 * 3600.0  # local time written as UTC
    with pytest.raises(RoadsError, match="do not overlap"):
        import_survey(write_survey_package(drive, tmp_path / "shift.zip"))


# -- Sensor Logger ------------------------------------------------------------------------------
@pytest.mark.parametrize("as_zip", [False, True])
def test_sensor_logger_round_trip(tmp_path, as_zip):
    drive = make_drive()
    folder = write_sensor_logger(tmp_path / "sl", drive)
    path = zip_folder(folder, tmp_path / "sl.zip") if as_zip else folder
    assert detect_format(path) == "sensor-logger"
    s = read_survey(path)
    assert s.source_format == "sensor-logger"
    assert_track_close(s.track, drive.track)
    np.testing.assert_allclose(s.accel.as_array(), drive.accel.as_array(), atol=1e-12)
    np.testing.assert_allclose(s.gravity.as_array(), drive.gravity.as_array())
    np.testing.assert_allclose(s.gyro.t, drive.gyro.t, atol=1e-6)


def test_sensor_logger_total_acceleration_preferred(tmp_path):
    drive = make_drive()
    folder = write_sensor_logger(tmp_path / "sl", drive, total=True)
    (folder / "Gravity.csv").unlink()
    s = read_survey(folder)
    np.testing.assert_allclose(s.accel.as_array(), drive.accel.as_array(), atol=1e-12)
    assert s.gravity is None


def test_sensor_logger_missing_gravity_refused(tmp_path):
    folder = write_sensor_logger(tmp_path / "sl", make_drive())
    (folder / "Gravity.csv").unlink()
    with pytest.raises(RoadsError, match="neither Gravity.csv nor TotalAcceleration.csv"):
        read_survey(folder)
    (folder / "Location.csv").rename(folder / "gps.csv")
    with pytest.raises(RoadsError):
        read_survey(folder)


def test_sensor_logger_truncated_rows(tmp_path):
    folder = write_sensor_logger(tmp_path / "sl", make_drive())
    acc = folder / "Accelerometer.csv"
    rows = lines_of(acc)
    acc.write_text("\n".join(rows[:-1] + [rows[-1][:25]]) + "\n")  # cut while writing
    got = import_survey(folder)
    assert got.report.excluded == {"truncated_last_row": 1}
    assert got.report.examples[0] == ("truncated_last_row", f"Accelerometer.csv:{len(rows)}")
    rows[100] = rows[100][:25]
    acc.write_text("\n".join(rows) + "\n")
    with pytest.raises(RoadsError, match="values but the header has 5") as err:
        import_survey(folder)
    assert err.value.record == "Accelerometer.csv:101"


def test_sensor_logger_bad_number_named(tmp_path):
    folder = write_sensor_logger(tmp_path / "sl", make_drive())
    loc = folder / "Location.csv"
    rows = lines_of(loc)
    rows[3] = rows[3].rsplit(",", 1)[0] + ",-7,3"
    loc.write_text("\n".join(rows) + "\n")
    with pytest.raises(RoadsError) as err:
        import_survey(folder)
    assert err.value.record == "Location.csv:4"


# -- phyphox -------------------------------------------------------------------------------------
@pytest.mark.parametrize("pause", [False, True])
def test_phyphox_round_trip_with_pause(tmp_path, pause):
    drive = make_drive()
    pause_at = T0 + 14.5 if pause else None
    if pause:
        for v in (drive.track, drive.accel):
            v.t = np.where(v.t >= pause_at, v.t + 100.0, v.t)
    folder = write_phyphox(tmp_path / "px", drive, pause_at=pause_at)
    path = zip_folder(folder, tmp_path / "px.zip")
    assert detect_format(path) == "phyphox"
    s = read_survey(path)
    assert_track_close(s.track, drive.track)
    np.testing.assert_allclose(s.accel.t, drive.accel.t, atol=1e-6)
    np.testing.assert_allclose(s.accel.as_array(), drive.accel.as_array())


def test_phyphox_needs_clock_and_gravity(tmp_path):
    folder = write_phyphox(tmp_path / "px", make_drive())
    acc = folder / "Accelerometer.csv"
    acc.write_text(
        acc.read_text()
        .replace("Acceleration x", "Linear Acceleration x")
        .replace("Acceleration y", "Linear Acceleration y")
        .replace("Acceleration z", "Linear Acceleration z")
    )
    with pytest.raises(RoadsError, match="without gravity"):
        read_survey(folder)
    (folder / "meta" / "time.csv").unlink()
    with pytest.raises(RoadsError, match="meta/time.csv"):
        read_survey(folder)


# -- GPX / NMEA with an accelerometer CSV ---------------------------------------------------------
def test_gpx_with_accel_csv(tmp_path):
    drive = make_drive()
    folder = tmp_path / "gpx"
    folder.mkdir()
    write_gpx(folder / "track.gpx", drive)
    write_accel_csv(folder / "accel.csv", drive)
    got = import_survey(folder)
    assert got.streams.source_format == "gpx+csv"
    assert_track_close(got.streams.track, drive.track, t_tol=1e-3)
    np.testing.assert_allclose(got.streams.track.speed, drive.track.speed)
    np.testing.assert_array_equal(got.streams.accel.as_array(), drive.accel.as_array())
    np.testing.assert_array_equal(got.streams.gyro.as_array(), drive.gyro.as_array())
    # the two-file entry point and ISO times in the CSV
    write_accel_csv(tmp_path / "accel-iso.csv", drive, iso_time=True)
    two = import_track_with_accel(folder / "track.gpx", tmp_path / "accel-iso.csv")
    np.testing.assert_allclose(two.streams.accel.t, drive.accel.t, atol=1e-5)


def test_gpx_faults(tmp_path):
    drive = make_drive()
    folder = tmp_path / "gpx"
    folder.mkdir()
    gpx = write_gpx(folder / "track.gpx", drive)
    with pytest.raises(RoadsError, match="no accelerometer CSV"):
        import_survey(folder)
    write_accel_csv(folder / "accel.csv", drive)
    text = gpx.read_text()
    gpx.write_text(text.replace(f"<time>{iso(drive.track.t[4])}</time>", "", 1))
    with pytest.raises(RoadsError, match="no time") as err:
        import_survey(folder)
    assert err.value.record == "track.gpx:5"
    gpx.write_text(text[: len(text) // 2])
    with pytest.raises(RoadsError, match="not well-formed XML"):
        import_survey(folder)


def test_nmea_with_accel_csv(tmp_path):
    drive = make_drive()
    folder = tmp_path / "nmea"
    folder.mkdir()
    write_nmea(folder / "gps.nmea", drive)
    write_accel_csv(folder / "accel.csv", drive)
    got = import_survey(folder)
    s = got.streams
    assert s.source_format == "nmea+csv"
    assert got.report.total_excluded == 0
    # NMEA keeps 1e-4 minute (~0.2 m) resolution
    assert_track_close(s.track, drive.track, pos_tol=2e-6, t_tol=1e-6)
    np.testing.assert_allclose(s.track.speed, drive.track.speed, atol=1e-3)


def test_nmea_checksum_fix_and_order_faults(tmp_path):
    drive = make_drive()
    folder = tmp_path / "nmea"
    folder.mkdir()
    path = write_nmea(folder / "gps.nmea", drive)
    write_accel_csv(folder / "accel.csv", drive)
    lines = lines_of(path)
    lines[0] = lines[0][:-2] + ("00" if lines[0][-2:] != "00" else "11")  # GGA of second 0 corrupted
    lines[4] = lines[4].replace(",A,", ",V,")  # RMC of second 1 without a fix, checksum fixed below
    body = lines[4][1:].split("*")[0]
    lines[4] = nmea(body)
    path.write_text("\n".join(lines) + "\n")
    got = import_survey(folder)
    assert got.report.excluded == {"bad_checksum": 1, "no_fix": 1}
    assert len(got.streams.track) == len(drive.track)  # the other sentence of each second remains
    lines = lines_of(write_nmea(folder / "gps.nmea", drive))
    lines[3:6], lines[6:9] = lines[6:9], lines[3:6]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RoadsError, match="before the previous one") as err:
        import_survey(folder)
    assert err.value.record == "gps.nmea:7"
    path.write_text("hello\n" + "\n".join(lines))
    with pytest.raises(RoadsError, match="not an NMEA sentence"):
        import_survey(folder)


def test_unknown_input_refused(tmp_path):
    p = tmp_path / "notes.txt"
    p.write_text("nothing here")
    with pytest.raises(RoadsError, match="not a survey format"):
        read_survey(p)
    with pytest.raises(RoadsError, match="does not exist"):
        read_survey(tmp_path / "nope.zip")


def test_error_message_translates(tmp_path):
    drive = make_drive(hz=20.0)
    with pytest.raises(RoadsError) as err:
        import_survey(write_survey_package(drive, tmp_path / "slow.zip"))
    text = err.value.render("id")
    assert "Hz" in text and text != err.value.render("en")


def test_every_message_has_an_indonesian_translation():
    import ast
    import re

    from kotacerdas.core.i18n import catalogue

    cat = catalogue("id")
    src = Path(__file__).resolve().parents[3] / "src" / "kotacerdas" / "roads"
    files = sorted((src / "formats").glob("*.py")) + [src / "map_matching.py"]
    assert len(files) > 6
    for f in files:
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_":
                msg = node.args[0].value
                assert msg in cat, f"{f.name}: {msg}"
                assert set(re.findall(r"\{(\w+)\}", msg)) == set(re.findall(r"\{(\w+)\}", cat[msg]))
