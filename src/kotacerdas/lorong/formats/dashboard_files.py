"""The dashboard for the mayor's office as an Excel workbook (openpyxl) and a PDF (reportlab), in one language.

Both hold the same figures as the dashboard page: the summary, reports on time per period,
units per theme, the ranking of kelurahan and of units, and each indicator's trend. Numbers are
written as numbers (Excel can sum them); texts come translated from the caller.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def _tables(data: dict[str, Any], ranking: Sequence[Any], t: Callable[[str], str], lang: str):
    name = "name_id" if lang == "id" else "name_en"
    summary = [
        [t("Programme"), data["programme"]],
        [t("City"), data["city"]],
        [t("Periods"), f"{data['periods'][0]} – {data['periods'][-1]}"],
        [t("Units"), data["units"]],
    ] + [[t("Grade") + f" {g}", n] for g, n in sorted(data["grades"].items())]
    reports = [[t("Period"), t("Expected"), t("Submitted"), t("On time"), t("Verified")]] + [
        [r["period"], r["expected"], r["submitted"], r["on_time"], r["verified"]] for r in data["reports"]
    ]
    themes = [[t("Theme"), t("Units")]] + [[x[name], x["units"]] for x in data["themes"]]
    kel = [[t("Kelurahan"), t("Kecamatan"), t("Units"), t("Mean score"), t("Reports on time (%)")]] + [
        [
            k["name"],
            k["kecamatan"],
            k["units"],
            k["mean_score"],
            round(100 * k["on_time_share"], 1) if k["on_time_share"] is not None else None,
        ]
        for k in sorted(data["kelurahan"], key=lambda k: -(k["mean_score"] or -1))
    ]
    units = [[t("Rank"), t("Unit"), t("Score")]] + [[r.rank, r.name, r.score] for r in ranking]
    trend = [[t("Indicator"), t("Unit of measure")] + list(data["periods"])] + [
        [x[name], x["unit"]] + [p["value"] for p in x["values"]] for x in data["trend"]
    ]
    return summary, reports, themes, kel, units, trend


def workbook(data: dict[str, Any], ranking: Sequence[Any], t: Callable[[str], str], lang: str) -> bytes:
    """The dashboard as an XLSX workbook, one sheet per table."""
    summary, reports, themes, kel, units, trend = _tables(data, ranking, t, lang)
    wb = Workbook()
    sheets = [
        (t("Summary"), summary),
        (t("Reports"), reports),
        (t("Themes"), themes),
        (t("Kelurahan"), kel),
        (t("Ranking"), units),
        (t("Trend"), trend),
    ]
    first = True
    for title, rows in sheets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = title[:31]
        for r in rows:
            ws.append(["" if v is None else v for v in r])
        if title != t("Summary"):
            for cell in ws[1]:
                cell.font = Font(bold=True)
            ws.freeze_panes = "A2"
        ws.column_dimensions["A"].width = 34
        ws.column_dimensions["B"].width = 18
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _table(rows, widths=None):
    body = [["–" if v is None else (f"{v:,.2f}" if isinstance(v, float) else str(v)) for v in r] for r in rows]
    table = Table(body, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6f0ee")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa9ad")),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def pdf(data: dict[str, Any], ranking: Sequence[Any], t: Callable[[str], str], lang: str, title: str) -> bytes:
    """The dashboard as an A4 landscape PDF."""
    summary, reports, themes, kel, units, trend = _tables(data, ranking, t, lang)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
        author="kotacerdas",
    )
    styles = getSampleStyleSheet()
    story = [Paragraph(title, styles["Title"]), _table(summary, [60 * mm, 60 * mm]), Spacer(1, 6 * mm)]
    story += [Paragraph(t("Reports on time"), styles["Heading2"]), _table(reports), PageBreak()]
    story += [Paragraph(t("Units per theme"), styles["Heading2"]), _table(themes, [90 * mm, 25 * mm]), PageBreak()]
    story += [Paragraph(t("Kelurahan"), styles["Heading2"]), _table(kel), PageBreak()]
    story += [Paragraph(t("Ranking"), styles["Heading2"]), _table(units[:101], [20 * mm, 100 * mm, 25 * mm])]
    last = trend[0][-6:]
    story += [PageBreak(), Paragraph(t("Trend"), styles["Heading2"])]
    story += [_table([r[:2] + r[-6:] if len(r) > 8 else r for r in [trend[0][:2] + last] + trend[1:]])]
    doc.build(story)
    return buf.getvalue()
