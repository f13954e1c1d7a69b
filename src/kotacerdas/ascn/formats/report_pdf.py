"""The M&E report as PDF (ReportLab): A4, Noto fonts chosen per script and shaped by HarfBuzz, tables of
figures (computed beside claimed), projects, indicators and partnerships, in Bahasa Indonesia or English."""

from __future__ import annotations

import io

from kotacerdas.ascn import framework
from kotacerdas.ascn.formats import fonts
from kotacerdas.core.i18n import gettext


def _number(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return text.replace(",", "\u2009" if lang == "id" else ",").replace(".", "," if lang == "id" else ".")


def render(data, missing: set[str] | None = None) -> bytes:  # noqa: C901 (complexity baseline: split when next changed)
    """The report ``data`` (:class:`kotacerdas.ascn.services.reports.ReportData`) as PDF bytes.

    Characters no registered font can draw are collected in ``missing`` (and listed on the last page).
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    fonts.registered()
    lang = data.lang
    missing = missing if missing is not None else set()

    def t(msg: str, **kw) -> str:
        text = gettext(msg, lang)
        return text.format(**kw) if kw else text

    body = ParagraphStyle("body", fontName=fonts.BASE, fontSize=9, leading=12, shaping=1)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#44545a"))
    h1 = ParagraphStyle("h1", parent=body, fontSize=16, leading=20, spaceAfter=4, textColor=colors.HexColor("#0f5c52"))
    h2 = ParagraphStyle("h2", parent=body, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4)

    def p(text: str, style=body) -> Paragraph:
        return Paragraph(fonts.markup(str(text), missing), style)

    def table(rows: list[list], widths: list[float]) -> Table:
        cells = [
            [p(c, small if i else ParagraphStyle("th", parent=small, textColor=colors.black)) for c in r]
            for i, r in enumerate(rows)
        ]
        tbl = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1)
        tbl.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3efec")),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b8c7c3")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return tbl

    story = [p(data.title, h1), p(t("Generated {when}", when=data.generated), small)]
    if data.city:
        c = data.city
        local = f" ({c['local_name']})" if c["local_name"] and c["local_name"] != c["name"] else ""
        country = gettext(framework.ASEAN_COUNTRIES.get(c["country"], c["country"]), lang)
        story.append(p(f"{c['name']}{local} · {country} · {t('member since {year}', year=c['year_joined'])}"))
    if data.has_demo:
        story.append(p(t("Includes demo data: generated for trying the platform, not official figures."), small))

    story.append(p(t("Figures"), h2))
    rows = [[t("Figure"), t("Computed from the registry"), t("Published"), t("Source"), t("As of")]]
    for f in data.figures:
        claims = f["claims"] or [None]
        for i, c in enumerate(claims):
            rows.append(
                [
                    f["label"] if i == 0 else "",
                    _number(f["computed"]["value"], lang) if i == 0 else "",
                    (t(c["qualifier"]) + " " if c and c["qualifier"] else "")
                    + (_number(c["value"], lang) if c else "–"),
                    c["source"] if c else "",
                    c["as_of"] if c else "",
                ]
            )
    story.append(table(rows, [32, 28, 24, 70, 16]))
    if data.budgets:
        story.append(Spacer(1, 4))
        budget_text = "; ".join(f"{cur} {_number(v, lang)}" for cur, v in data.budgets.items())
        story.append(p(t("Project budgets by currency (not converted): {budgets}", budgets=budget_text), small))

    story.append(p(t("Projects by focus area"), h2))
    story.append(
        table([[t("Focus area"), t("Projects")]] + [[a, str(n)] for a, n in data.stats["focus_area"]], [80, 30])
    )

    if data.live:
        story.append(p(t("Live figures from the city's systems"), h2))
        for sys in data.live:
            story.append(p(f"{t(sys['title'])}: " + "; ".join(f"{t(k)} {v}" for k, v in sys["figures"])))

    story.append(p(t("Projects"), h2))
    rows = [[t("Project"), t("City"), t("Status"), t("Focus areas"), t("Budget"), t("Partners")]]
    for pr in data.projects:
        title = pr["title"] + (f"\n{pr['local_title']}" if pr["local_title"] else "")
        rows.append(
            [
                title,
                pr["city_name"],
                framework.label(framework.PROJECT_STATUSES, pr["status"], lang),
                ", ".join(framework.label(framework.FOCUS_AREAS, a, lang) for a in pr["focus_areas"]),
                f"{pr['currency']} {_number(pr['budget'], lang)}" if pr["budget"] is not None else "–",
                ", ".join(pr["partners"]),
            ]
        )
    story.append(table(rows, [52, 24, 20, 34, 24, 26]))

    indicator_rows = [[t("Project"), t("Indicator"), str(data.year - 1), str(data.year)]]
    for pr in data.projects:
        for ind in pr["indicators"]:
            indicator_rows.append(
                [
                    pr["title"],
                    f"{ind['name']} ({ind['unit']})",
                    _number(ind["previous"], lang),
                    _number(ind["value"], lang),
                ]
            )
    if len(indicator_rows) > 1:
        story.append(p(t("Indicators"), h2))
        story.append(table(indicator_rows, [70, 60, 25, 25]))

    story.append(p(t("Partnerships active in {year}", year=data.year), h2))
    rows = [[t("Partner"), t("City"), t("Type"), t("Programme"), t("Since")]]
    for ps in data.partnerships:
        rows.append(
            [
                ps["partner_name"],
                ps["city_name"],
                framework.label(framework.PARTNERSHIP_TYPES, ps["type"], lang),
                ps["programme_name"] or "",
                ps["start_date"] or "",
            ]
        )
    story.append(table(rows, [60, 30, 36, 30, 20]))
    if missing:
        story.append(Spacer(1, 6))
        story.append(p(t("Characters no installed font can draw: {chars}", chars=" ".join(sorted(missing))), small))

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=14 * mm, bottomMargin=14 * mm,
        title=data.title, author="kotacerdas", lang=lang,
    )  # fmt: skip
    doc.build(story)
    return out.getvalue()
