"""Test drives from known data, written in every survey format the readers take (from the published layouts)."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from kotacerdas.roads.formats.nmea import nmea_checksum
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
