"""Video: reading (PyAV) and refusing bad files with the reason, GPS embedded as GoPro GPMF or NMEA, aligning with a
track (offset, no overlap, no recording time), frames chosen by distance (none at a stop), decoding in order with
faults reported per frame."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from kotacerdas.roads.camera_sim import write_drive_video
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.streams import Track
from kotacerdas.roads.video import align, decode_frames, embedded_track, parse_start, probe_video, sample_poses
from tests.roads.camera import straight_track

IMAGES = [np.full((180, 320, 3), v, np.uint8) for v in (40, 120, 200)]


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    path = tmp_path_factory.mktemp("video") / "drive.mp4"
    return write_drive_video(path, IMAGES, straight_track(20), fps=10.0, size=(320, 180)), straight_track(20)


def test_probe(video):
    path, track = video
    info = probe_video(path)
    assert (info.width, info.height, info.fps, info.codec) == (320, 180, 10.0, "h264")
    assert info.recorded_at == track.t[0] and 18.5 < info.duration_s <= 19.0


def test_bad_files_are_refused_with_the_reason(video, tmp_path):
    path, _track = video
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00" * 1000)
    with pytest.raises(RoadsError, match="junk.mp4 is not a readable video"):
        probe_video(junk)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    try:  # a truncated MP4 (index at the end) cannot be opened; one with its index first decodes what it has
        info = probe_video(cut)
    except RoadsError as exc:
        assert "cut.mp4" in str(exc)
    else:
        frames = list(decode_frames(cut, [1.0, 15.0, 18.0], prefetch=0))
        assert frames[0].image is not None and any(f.error for f in frames), info


def test_frames_every_5_m_and_none_at_a_stop():
    t = np.arange(60.0) + 1.75e9
    x = np.concatenate([np.arange(20) * 10.0, np.full(20, 200.0), 200 + np.arange(1, 21) * 10.0])
    lon = 114.36 + x / (111_320.0 * np.cos(np.radians(8.2)))
    speed = np.concatenate([np.full(20, 10.0), np.zeros(20), np.full(20, 10.0)])
    track = Track(t, np.full(60, -8.2), lon, speed, np.full(60, 4.0))
    poses = sample_poses(track, t[0], t[-1], every_m=5.0)
    assert len(poses) == 80 and poses[1].distance_m == 5.0
    assert not any(20 < p.t - t[0] < 39 for p in poses)  # standing still: no frame
    assert all(p.heading_deg == pytest.approx(90.0, abs=0.5) for p in poses)
    jitter = replace(
        track,
        speed=np.full(60, np.nan),
        lon=lon + np.r_[np.zeros(20), np.random.default_rng(1).normal(0, 1.5e-5, 20), np.zeros(20)],
    )
    assert len(sample_poses(jitter, t[0], t[-1], every_m=5.0)) <= 84  # GPS jitter at the stop adds few frames
    assert len(sample_poses(track, t[0], t[-1], every_m=20.0)) == 20


def test_align_offset_and_overlap(video):
    path, track = video
    info = probe_video(path)
    v0, lo, hi = align(info, track, offset_s=2.0)
    assert v0 == track.t[0] + 2.0 and lo == v0 and hi == track.t[-1]
    with pytest.raises(RoadsError, match="does not overlap its track"):
        align(info, replace(track, t=track.t + 3600))
    with pytest.raises(RoadsError, match="does not say when it was recorded"):
        align(replace(info, recorded_at=None), track)


def test_a_video_that_does_not_say_when_takes_a_start(video, tmp_path):
    """WhatsApp strips the recording time: the error names both ways to give it, and a start given places it."""
    from datetime import UTC, datetime, timedelta, timezone

    from kotacerdas.roads.services.captures_input import prepare_video

    _path, track = video
    stripped = write_drive_video(
        tmp_path / "whatsapp.mp4", IMAGES, track, fps=10.0, size=(320, 180), creation_time=False
    )
    with pytest.raises(RoadsError, match="whatsapp.mp4 does not say when it was recorded") as err:
        prepare_video(stripped, track)
    assert "--start" in str(err.value) and "start in an upload" in str(err.value) and err.value.field == "start"
    wib = datetime.fromtimestamp(track.t[0], UTC).astimezone(timezone(timedelta(hours=7)))
    prepared = prepare_video(stripped, track, start=parse_start(wib.isoformat()))
    assert prepared.report["video_start"] == datetime.fromtimestamp(track.t[0], UTC).isoformat()
    assert len(prepared.poses) > 10


def test_parse_start():
    assert parse_start(None) is None and parse_start("  ") is None
    assert parse_start("2025-04-01T08:00:00+07:00") == parse_start("2025-04-01T01:00:00Z") == 1743469200.0
    for bad in ("2025-04-01T08:00:00", "2025-04-01", "yesterday"):  # no zone: hours away from the track
        with pytest.raises(RoadsError, match="must be an ISO 8601 time with its zone"):
            parse_start(bad)


def test_decode_picks_the_frames_asked(video):
    path, _track = video
    frames = list(decode_frames(path, [0.0, 0.5, 5.0, 18.0, 25.0]))
    assert [f.index for f in frames] == [0, 1, 2, 3, 4]
    assert all(f.image is not None and f.image.shape == (180, 320, 3) for f in frames[:4])
    assert frames[4].image is None and "ends before" in frames[4].error
    # 5 s in the vehicle is 40 m along (8 m/s): the fifth 10 m stretch, which shows picture 4 % 3 = 1 (grey 120)
    assert abs(int(frames[2].image.mean()) - 120) < 8 and abs(int(frames[0].image.mean()) - 40) < 8


@pytest.mark.parametrize("embed", ["gpmf", "nmea"])
def test_embedded_gps(embed, tmp_path):
    track = straight_track(12)
    path = write_drive_video(
        tmp_path / f"{embed}.mp4", IMAGES, track, fps=10.0, size=(320, 180), embed=embed, creation_time=False
    )
    assert probe_video(path).recorded_at is None
    got, start = embedded_track(path)
    assert len(got) == 11 and start == pytest.approx(track.t[0], abs=0.01)
    assert got.lat[3] == pytest.approx(track.lat[3], abs=1e-6) and got.lon[3] == pytest.approx(track.lon[3], abs=1e-6)
    assert got.speed[0] == pytest.approx(8.0, abs=0.01)
    plain = write_drive_video(tmp_path / "plain.mp4", IMAGES, track, fps=10.0, size=(320, 180))
    assert embedded_track(plain) is None
