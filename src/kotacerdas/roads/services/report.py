"""The road condition report as an Excel workbook (openpyxl): per kecamatan and per road.

Sheets: *Kecamatan* (network length, measured length, length per Bina Marga class and
the *jalan mantap* share per kecamatan, with a city total), *Jalan* (the same per road)
and *Info* (city, date, class rule, sources). Headers are in the requested language.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core.i18n import N_, gettext
from kotacerdas.core.models import City
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.bina_marga import BOUNDARIES_M_PER_KM, RoadClass
from kotacerdas.roads.charts import CLASS_COLOURS
from kotacerdas.roads.store.condition import city_totals, district_totals, road_totals, survey_count

CLASSES = list(RoadClass)


def _header(ws, titles: list[str], classes_from: int) -> None:
    ws.append(titles)
    for i, cell in enumerate(ws[ws.max_row], start=1):
        cell.font = Font(bold=True)
        k = i - classes_from
        if 0 <= k < len(CLASSES):
            cell.fill = PatternFill("solid", fgColor=CLASS_COLOURS[CLASSES[k].value].lstrip("#"))


def _widths(ws) -> None:
    for col in ws.columns:
        width = max(len(str(c.value)) if c.value is not None else 0 for c in col)
        ws.column_dimensions[get_column_letter(col[0].column)].width = min(max(10, width + 2), 48)


def _pct(v: float | None) -> float | None:
    return round(v * 100.0, 1) if v is not None else None


def report_workbook(session: Session, city: City, lang: str = "id") -> bytes:
    """The Excel report of a city's road condition (``.xlsx`` bytes)."""

    def t(msg: str) -> str:
        return gettext(msg, lang)

    class_titles = [t(c.message) + " (km)" for c in CLASSES]
    wb = Workbook()
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
            t(N_("Jalan mantap (%)")),
            t(N_("Mean IRI (m/km)")),
        ],
        classes_from=5,
    )
    for d in district_totals(session, city.id):
        ws.append(
            [
                d["code"] or "-",
                d["name"] or t(N_("Outside every kecamatan")),
                d["network_km"],
                d["measured_km"],
                *[d["km_by_class"][c.value] for c in CLASSES],
                _pct(d["mantap_share"]),
                d["mean_iri"],
            ]
        )
    total = city_totals(session, city.id).as_dict()
    ws.append(
        [
            city.code,
            t(N_("Total")),
            total["network_km"],
            total["measured_km"],
            *[total["km_by_class"][c.value] for c in CLASSES],
            _pct(total["mantap_share"]),
            total["mean_iri"],
        ]
    )
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
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
            t(N_("Jalan mantap (%)")),
            t(N_("Mean IRI (m/km)")),
        ],
        classes_from=5,
    )
    for r in road_totals(session, city.id):
        wr.append(
            [
                r["road"],
                r["highway"],
                r["network_km"],
                r["measured_km"],
                *[r["km_by_class"][c.value] for c in CLASSES],
                _pct(r["mantap_share"]),
                r["mean_iri"],
            ]
        )
    _widths(wr)

    wi = wb.create_sheet("Info")
    sources = sorted(set(session.scalars(select(RoadSegmentRow.source).where(RoadSegmentRow.city_id == city.id))))
    b1, b2, b3 = BOUNDARIES_M_PER_KM
    rows = [
        (t(N_("City")), f"{city.name} ({city.code})"),
        (t(N_("Made at")), datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        (t(N_("Surveys")), survey_count(session, city.id)),
        (
            t(N_("Class rule (IRI, m/km)")),
            f"{t(RoadClass.BAIK.message)} < {b1:g} ≤ {t(RoadClass.SEDANG.message)} < {b2:g} ≤ "
            f"{t(RoadClass.RUSAK_RINGAN.message)} < {b3:g} ≤ {t(RoadClass.RUSAK_BERAT.message)}",
        ),
        (t(N_("Jalan mantap")), t(N_("Good + fair, over the measured length"))),
        (t(N_("Network sources")), ", ".join(sources)),
    ]
    for row in rows:
        wi.append(list(row))
        wi.cell(wi.max_row, 1).font = Font(bold=True)
    _widths(wi)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
