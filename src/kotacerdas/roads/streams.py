"""The sensor streams of one survey drive, as every reader produces them.

A survey is one drive of one vehicle: GPS fixes plus the phone's accelerometer
(and gravity and gyroscope when the phone gives them). Every input format (phone
sensor-logger CSV, GPX or NMEA with an accelerometer CSV, the survey package) is
read into a :class:`SurveyStreams`; the simulator produces the same; processing
consumes it. Times are seconds since the Unix epoch (UTC), float64.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Track:
    """GPS fixes. ``speed`` (m/s) and ``accuracy`` (horizontal, m) are NaN where unknown."""

    t: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    speed: np.ndarray
    accuracy: np.ndarray

    def __len__(self) -> int:
        return int(self.t.size)


@dataclass
class Vector3:
    """A three-axis stream in the phone's own axes (m/s² or rad/s)."""

    t: np.ndarray
    x: np.ndarray
    y: np.ndarray
    z: np.ndarray

    def __len__(self) -> int:
        return int(self.t.size)

    def as_array(self) -> np.ndarray:
        """The samples as an ``(n, 3)`` array."""
        return np.column_stack([self.x, self.y, self.z])


@dataclass
class SurveyStreams:
    """One drive: the track, the accelerometer and the optional streams.

    ``accel`` is the total specific force in phone axes, gravity included (a
    phone lying still reads about 9.81 m/s² along the axis pointing up). Readers
    whose source splits linear acceleration from gravity add the two. ``gravity``
    is the phone's own gravity estimate when it has one; without it processing
    estimates gravity by low-pass filtering ``accel``.
    """

    track: Track
    accel: Vector3
    gravity: Vector3 | None = None
    gyro: Vector3 | None = None
    vehicle_id: str | None = None
    source_format: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
