"""Read any supported survey input: detect the format, read it strictly, hash it.

Formats, tried in this order on a folder, a zip archive or a single file:

``kotacerdas-survey``
    the project's own package (:mod:`~kotacerdas.roads.formats.package`), found by its
    ``manifest.json``;
``sensor-logger``
    the Sensor Logger app's CSV export (:mod:`~kotacerdas.roads.formats.phone_apps`);
``phyphox``
    the phyphox app's CSV export (:mod:`~kotacerdas.roads.formats.phone_apps`);
``gpx+csv`` / ``nmea+csv``
    a GPX or NMEA track with an accelerometer CSV (:mod:`~kotacerdas.roads.formats.gpx`).

:func:`import_survey` returns the streams, the :class:`ImportReport` (rows read,
rows left out per reason) and a content hash for idempotent import;
:func:`read_survey` returns just the :class:`SurveyStreams`.
"""

from __future__ import annotations

from pathlib import Path

from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.gpx import is_track_with_accel, read_track_with_accel
from kotacerdas.roads.formats.package import is_package, read_package, write_survey_package
from kotacerdas.roads.formats.phone_apps import is_phyphox, is_sensor_logger, read_phyphox, read_sensor_logger
from kotacerdas.roads.formats.reading import (
    DEFAULT_LIMITS,
    ImportReport,
    Source,
    SurveyImport,
    SurveyLimits,
    file_sha256,
    streams_hash,
)
from kotacerdas.roads.streams import SurveyStreams

__all__ = [
    "ImportReport",
    "SurveyImport",
    "SurveyLimits",
    "detect_format",
    "file_sha256",
    "import_survey",
    "read_survey",
    "streams_hash",
    "write_survey_package",
]

_READERS = {
    "kotacerdas-survey": read_package,
    "sensor-logger": read_sensor_logger,
    "phyphox": read_phyphox,
    "track+csv": read_track_with_accel,
}


def _detect(source: Source) -> str:
    if is_package(source):
        return "kotacerdas-survey"
    if is_sensor_logger(source):
        return "sensor-logger"
    if is_phyphox(source):
        return "phyphox"
    if is_track_with_accel(source):
        return "track+csv"
    raise RoadsError(
        N_(
            "{file} is not a survey format this platform reads (survey package, Sensor Logger, phyphox, "
            "GPX or NMEA with an accelerometer CSV)"
        ),
        field="file",
        file=source.label,
    )


def detect_format(path: str | Path) -> str:
    """The format name of a survey input (``"kotacerdas-survey"``, ``"sensor-logger"``,
    ``"phyphox"`` or ``"track+csv"``); :class:`RoadsError` when none fits."""
    source = Source(path)
    try:
        return _detect(source)
    finally:
        source.close()


def import_survey(path: str | Path, limits: SurveyLimits = DEFAULT_LIMITS) -> SurveyImport:
    """Detect the format of ``path`` (folder, zip or file) and read it strictly.

    Returns
    -------
    SurveyImport
        ``streams``, ``report`` (rows per stream, exclusions per reason) and
        ``content_hash`` (:func:`streams_hash`).

    Raises
    ------
    RoadsError
        Unknown format, or any fault the format's reader refuses (naming file and row).
    """
    source = Source(path)
    try:
        return _READERS[_detect(source)](source, limits)
    finally:
        source.close()


def read_survey(path: str | Path, limits: SurveyLimits = DEFAULT_LIMITS) -> SurveyStreams:
    """The :class:`SurveyStreams` of a survey input (see :func:`import_survey`).

    Exclusion counts are kept in ``streams.metadata`` as ``"excluded.<reason>"``.
    """
    return import_survey(path, limits).streams
