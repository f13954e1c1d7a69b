"""The road condition report as an Excel workbook (openpyxl): per kecamatan and per road.

Sheets: *Kecamatan* (network length, measured length, length per Bina Marga class and
the *jalan mantap* share per kecamatan, with a city total), *Jalan* (the same per road, its
class named in the reader's language), *Ruas* (each segment with its IRI, its SDI and the
combined class from both, saying what the class rests on when one of the two is missing or
older than a year: :func:`kotacerdas.roads.store.damage.segment_exports`) and *Info* (city,
when it was made, the filters, the class rules, sources). Headers are in the requested
language; numbers are stored as numbers with a number format (km with 3 decimals, shares as
percentages), the date it was made as a date cell in the city's time zone and the filter's days
(*From*, *Until*) as date cells, and the workbook carries a title. The map's filters (dates,
classes, kecamatan) select what it counts, as they select what the map and its figures show.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import formats
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.core.models import City
from kotacerdas.network.labels import highway_label, source_label
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.bina_marga import BOUNDARIES_M_PER_KM, RoadClass
from kotacerdas.roads.charts import CLASS_COLOURS
from kotacerdas.roads.sdi import SDI_BOUNDARIES, basis_notes
from kotacerdas.roads.store.condition import city_totals, district_totals, filtered, road_totals, survey_count
from kotacerdas.roads.store.damage import segment_exports

CLASSES = list(RoadClass)
KM_FORMAT = "#,##0.000"
SHARE_FORMAT = "0.0%"
IRI_FORMAT = "0.00"
SDI_FORMAT = "0.0"
DATE_FORMAT = "yyyy-mm-dd hh:mm"
DAY_FORMAT = "yyyy-mm-dd"


def _header(ws, titles: list[str], classes_from: int | None = None) -> None:
    """A bold header row (the class columns from ``classes_from``, 1-based, in their colours), kept in view."""
    ws.append(titles)
    for i, cell in enumerate(ws[ws.max_row], start=1):
        cell.font = Font(bold=True)
        k = i - classes_from if classes_from is not None else -1
        if 0 <= k < len(CLASSES):
            cell.fill = PatternFill("solid", fgColor=CLASS_COLOURS[CLASSES[k].value].lstrip("#"))
    ws.freeze_panes = "A2"


def _widths(ws) -> None:
    for col in ws.columns:
        width = max(len(str(c.value)) if c.value is not None else 0 for c in col)
        ws.column_dimensions[get_column_letter(col[0].column)].width = min(max(10, width + 2), 48)


def _formats(ws, first_km: int, last_km: int, share: int, iri: int) -> None:
    """Number formats of the data rows: km columns, the share column, the IRI column (1-based)."""
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if first_km <= cell.column <= last_km:
                cell.number_format = KM_FORMAT
            elif cell.column == share:
                cell.number_format = SHARE_FORMAT
            elif cell.column == iri:
                cell.number_format = IRI_FORMAT


def _figures(session: Session, city: City, filters: dict[str, Any] | None) -> tuple[list, dict, list]:
    """Per kecamatan, the city's total and per road: the whole network, or what the filters select."""
    if filters and any(v is not None for v in filters.values()):
        found = filtered(session, city.id, **filters)
        return found.districts, found.totals.as_dict(), found.roads
    return district_totals(session, city.id), city_totals(session, city.id).as_dict(), road_totals(session, city.id)


def _filter_rows(filters: dict[str, Any] | None, t) -> list[tuple[str, Any]]:
    if not filters or not any(v is not None for v in filters.values()):
        return [(t(N_("Filters")), t(N_("none: the whole network, latest condition")))]
    out = []
    if filters.get("since") is not None:
        out.append((t(N_("From")), filters["since"].date()))
    if filters.get("until") is not None:
        out.append((t(N_("Until")), filters["until"].date()))
    if filters.get("classes"):
        labels = {c.value: t(c.message) for c in RoadClass} | {"none": t(N_("Not measured"))}
        out.append((t(N_("Condition class")), ", ".join(labels.get(c, c) for c in sorted(filters["classes"]))))
    if filters.get("district"):
        out.append((t(N_("Kecamatan")), filters["district"]))
    return out


def _segments_sheet(wb: Workbook, session: Session, city: City, lang: str, filters: dict[str, Any] | None) -> None:
    """The *Ruas* sheet: one row per segment the filters select, its IRI, SDI and combined class with its basis."""

    def t(msg: str) -> str:
        return gettext(msg, lang)

    labels = {c.value: t(c.message) for c in RoadClass}
    ws = wb.create_sheet("Ruas")
    _header(
        ws,
        [
            t(N_("Road")),
            t(N_("Segment")),
            t(N_("Kecamatan code")),
            t(N_("Length (km)")),
            t(N_("IRI (m/km)")),
            t(N_("IRI class")),
            t(N_("Measured")),
            t(N_("SDI")),
            t(N_("SDI class")),
            t(N_("Condition (IRI and SDI)")),
            t(N_("What the condition rests on")),
        ],
    )
    tz = ZoneInfo(city.timezone or formats.DEFAULT_TZ)
    for _row, p in segment_exports(session, city.id, city.code, **(filters or {})):
        measured = datetime.fromisoformat(p["measured_at"]) if p["measured_at"] else None
        ws.append(
            [
                p["road"],
                p["segment_id"],
                p["district_code"] or "-",
                p["length_m"] / 1000.0,
                p["iri_m_per_km"],
                labels.get(p["class"] or "", t(N_("Not measured"))),
                measured.astimezone(tz).replace(tzinfo=None) if measured else None,
                p["sdi"],
                labels.get(p["sdi_class"] or "", t(N_("Not assessed"))),
                labels.get(p["combined_class"] or "", t(N_("Not measured"))),
                "; ".join(t(n) for n in basis_notes(p["basis"], p["missing"], p["stale"])),
            ]
        )
        r = ws.max_row
        ws.cell(r, 4).number_format = KM_FORMAT
        ws.cell(r, 5).number_format = IRI_FORMAT
        ws.cell(r, 7).number_format = DATE_FORMAT
        ws.cell(r, 8).number_format = SDI_FORMAT
        colour = CLASS_COLOURS.get(p["combined_class"] or "")
        if colour:
            ws.cell(r, 10).fill = PatternFill("solid", fgColor=colour.lstrip("#"))
    _widths(ws)


def report_workbook(session: Session, city: City, lang: str = "id", filters: dict[str, Any] | None = None) -> bytes:
    """The Excel report of a city's road condition (``.xlsx`` bytes); ``filters`` as the map's (dates, classes)."""

    def t(msg: str) -> str:
        return gettext(msg, lang)

    districts, total, roads = _figures(session, city, filters)
    class_titles = [t(c.message) + " (km)" for c in CLASSES]
    wb = Workbook()
    wb.properties.title = t(N_("Road condition of {city}")).format(city=city.name)
    wb.properties.subject = t(N_("Road condition per kecamatan and per road (Bina Marga classes, jalan mantap)"))
    wb.properties.creator = "kotacerdas"
    wb.properties.language = formats.locale_of(lang).replace("_", "-")
    ws = wb.active
    ws.title = "Kecamatan"
    _header(
        ws,
        [
            t(N_("Kecamatan code")),
            t(N_("Kecamatan")),
            t(N_("Network (km)")),
            t(N_("Measured (km)")),
            *class_titles,
            t(N_("Jalan mantap")),
            t(N_("Mean IRI (m/km)")),
        ],
        classes_from=5,
    )
    for d in districts:
        ws.append(
            [
                d["code"] or "-",
                d["name"] or t(N_("Outside every kecamatan")),
                d["network_km"],
                d["measured_km"],
                *[d["km_by_class"][c.value] for c in CLASSES],
                d["mantap_share"],
                d["mean_iri"],
            ]
        )
    ws.append(
        [
            city.code,
            t(N_("Total")),
            total["network_km"],
            total["measured_km"],
            *[total["km_by_class"][c.value] for c in CLASSES],
            total["mantap_share"],
            total["mean_iri"],
        ]
    )
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    share_col = 5 + len(CLASSES)
    _formats(ws, 3, 4 + len(CLASSES), share_col, share_col + 1)
    _widths(ws)

    wr = wb.create_sheet("Jalan")
    _header(
        wr,
        [
            t(N_("Road")),
            t(N_("Class of road")),
            t(N_("Network (km)")),
            t(N_("Measured (km)")),
            *class_titles,
            t(N_("Jalan mantap")),
            t(N_("Mean IRI (m/km)")),
            t(N_("OSM highway tag")),
        ],
        classes_from=5,
    )
    for r in roads:
        wr.append(
            [
                r["road"],
                highway_label(r["highway"], lang),
                r["network_km"],
                r["measured_km"],
                *[r["km_by_class"][c.value] for c in CLASSES],
                r["mantap_share"],
                r["mean_iri"],
                r["highway"],
            ]
        )
    _formats(wr, 3, 4 + len(CLASSES), share_col, share_col + 1)
    _widths(wr)

    _segments_sheet(wb, session, city, lang, filters)

    wi = wb.create_sheet("Info")
    sources = sorted(set(session.scalars(select(RoadSegmentRow.source).where(RoadSegmentRow.city_id == city.id))))
    b1, b2, b3 = BOUNDARIES_M_PER_KM
    s1, s2, s3 = SDI_BOUNDARIES
    tz = city.timezone or formats.DEFAULT_TZ
    made = datetime.now(UTC).astimezone(ZoneInfo(tz)).replace(tzinfo=None, microsecond=0)
    rows: list[tuple[str, Any]] = [
        (t(N_("City")), f"{city.name} ({city.code})"),
        (t(N_("Made at")), made),
        (t(N_("Time zone")), tz),
        (t(N_("Surveys")), survey_count(session, city.id)),
        *_filter_rows(filters, t),
        (
            t(N_("Class rule (IRI, m/km)")),
            f"{t(RoadClass.BAIK.message)} < {formats.compact(b1, lang)} ≤ {t(RoadClass.SEDANG.message)} < "
            f"{formats.compact(b2, lang)} ≤ {t(RoadClass.RUSAK_RINGAN.message)} < {formats.compact(b3, lang)} ≤ "
            f"{t(RoadClass.RUSAK_BERAT.message)}",
        ),
        (
            t(N_("Class rule (SDI)")),
            f"{t(RoadClass.BAIK.message)} < {formats.compact(s1, lang)} ≤ {t(RoadClass.SEDANG.message)} < "
            f"{formats.compact(s2, lang)} ≤ {t(RoadClass.RUSAK_RINGAN.message)} < {formats.compact(s3, lang)} ≤ "
            f"{t(RoadClass.RUSAK_BERAT.message)}",
        ),
        (
            t(N_("Condition (IRI and SDI)")),
            t(
                N_(
                    "Bina Marga's IRI x SDI matrix (SMD-03/RCS, 2011); from the one known when the other is missing "
                    "or older than a year"
                )
            ),
        ),
        (t(N_("Jalan mantap")), t(N_("Good + fair, over the measured length"))),
        (t(N_("Network sources")), ", ".join(source_label(s, lang) for s in sources) or "–"),
    ]
    for label, value in rows:
        wi.append([label, value])
        wi.cell(wi.max_row, 1).font = Font(bold=True)
        if isinstance(value, datetime):
            wi.cell(wi.max_row, 2).number_format = DATE_FORMAT
        elif isinstance(value, date):  # the filter's days: date cells a spreadsheet sorts and filters as dates
            wi.cell(wi.max_row, 2).number_format = DAY_FORMAT
    _widths(wi)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
