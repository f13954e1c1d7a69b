"""The M&E report as an Excel workbook (openpyxl): one sheet each for figures, projects, indicators,
partnerships and statistics, headers in the report's language, values as numbers."""

from __future__ import annotations

import io

from kotacerdas.ascn import framework
from kotacerdas.core.i18n import gettext


def render(data) -> bytes:
    """The report ``data`` as ``.xlsx`` bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    lang = data.lang

    def t(msg: str) -> str:
        return gettext(msg, lang)

    book = Workbook()
    info = book.active
    info.title = t("Report")[:31]
    info.append([data.title])
    info["A1"].font = Font(bold=True, size=14)
    info.append([t("Year"), data.year])
    info.append([t("Scope"), data.scope])
    info.append([t("Generated"), data.generated])
    if data.has_demo:
        info.append([t("Includes demo data: generated for trying the platform, not official figures.")])

    def sheet(title: str, header: list[str], rows: list[list]) -> None:
        ws = book.create_sheet(t(title)[:31])
        ws.append([t(h) for h in header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in rows:
            ws.append(r)
        for col in ws.columns:
            ws.column_dimensions[col[0].column_letter].width = min(
                60, max(10, max(len(str(c.value or "")) for c in col) + 2)
            )

    fig_rows = []
    for f in data.figures:
        for c in f["claims"] or [None]:
            fig_rows.append(
                [f["label"], f["computed"]["value"], c["qualifier"] if c else None, c["value"] if c else None,
                 c["source"] if c else None, c["as_of"] if c else None]
            )  # fmt: skip
    sheet("Figures", ["Figure", "Computed from the registry", "Qualifier", "Published", "Source", "As of"], fig_rows)
    sheet(
        "Projects",
        ["ID", "Project", "Local title", "City", "Country", "Status", "Focus areas", "Start", "Budget", "Currency",
         "Partners", "Source", "Demo"],
        [
            [pr["id"], pr["title"], pr["local_title"], pr["city_name"], pr["country"],
             framework.label(framework.PROJECT_STATUSES, pr["status"], lang),
             ", ".join(framework.label(framework.FOCUS_AREAS, a, lang) for a in pr["focus_areas"]),
             pr["start_date"], pr["budget"], pr["currency"], ", ".join(pr["partners"]), pr["source"], pr["is_demo"]]
            for pr in data.projects
        ],
    )  # fmt: skip
    sheet(
        "Indicators",
        ["Project", "Indicator", "Unit", str(data.year - 1), str(data.year)],
        [
            [pr["title"], ind["name"], ind["unit"], ind["previous"], ind["value"]]
            for pr in data.projects
            for ind in pr["indicators"]
        ],
    )
    sheet(
        "Partnerships",
        ["Partner", "City", "Project", "Type", "Programme", "Status", "Since", "Source"],
        [
            [ps["partner_name"], ps["city_name"], ps["project_id"],
             framework.label(framework.PARTNERSHIP_TYPES, ps["type"], lang), ps["programme_name"],
             framework.label(framework.PARTNERSHIP_STATUSES, ps["status"], lang), ps["start_date"], ps["source"]]
            for ps in data.partnerships
        ],
    )  # fmt: skip
    stat_rows = []
    for kind, title in (("focus_area", "Focus area"), ("status", "Status"), ("country", "Country"),
                        ("partnership_type", "Partnership type")):  # fmt: skip
        for label, n in data.stats[kind]:
            stat_rows.append([t(title), label, n])
    sheet("Statistics", ["Breakdown", "Category", "Count"], stat_rows)
    if data.live:
        sheet(
            "Live figures",
            ["System", "Figure", "Value"],
            [[t(s["title"]), t(k), v] for s in data.live for k, v in s["figures"]],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
