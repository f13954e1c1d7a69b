"""The city dashboard of a programme: its aggregates with names in both languages, its charts (``core.charts``)
and the choropleth per kelurahan drawn on the city's stored admin areas."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import charts
from kotacerdas.core.geometry import feature, feature_collection
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.core.models import AdminArea, City
from kotacerdas.lorong import periods
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.measures import unit_text
from kotacerdas.lorong.services import areas as area_service
from kotacerdas.lorong.services.programmes import indicators, themes
from kotacerdas.lorong.services.scores import current_period
from kotacerdas.lorong.store.queries import aggregates
from kotacerdas.lorong.store.rows import must_get
from kotacerdas.lorong.store.tables import LorongProgramme, LorongReport, LorongUnit

MEASURES = ("mean_score", "units", "on_time_share")
DEFAULT_PERIODS = 24


def newest_period(session: Session, programme: LorongProgramme) -> periods.Period:
    """The newest period with a submitted or verified report (the one the dashboard opens on)."""
    newest = session.scalar(
        select(LorongReport.period)
        .where(LorongReport.programme_id == programme.id, LorongReport.status.in_(("submitted", "verified")))
        .order_by(LorongReport.period.desc())  # keys of one kind sort in time order; uses the index
        .limit(1)
    )
    return periods.parse(newest, programme.period) if newest else current_period(session, programme)


def window(session: Session, programme: LorongProgramme, until: str | None, n: int) -> list[str]:
    end = periods.parse(until, programme.period) if until else newest_period(session, programme)
    return [p.key for p in periods.last(n, programme.period, end)]


def dashboard(session: Session, programme: LorongProgramme, *, until: str | None = None, n: int = DEFAULT_PERIODS):
    """The dashboard's figures as plain data (JSON-ready)."""
    keys = window(session, programme, until, n)
    agg = aggregates(session, programme.id, keys)
    city = must_get(session, City, programme.city_id)
    names = area_service.city_areas(session, city)
    theme_rows = themes(session, programme.id, active_only=True)
    ind_rows = indicators(session, programme.id, active_only=True)
    trend = []
    for ind in ind_rows:
        series = agg.trend.get(ind.id, {})
        points = []
        for key in keys:
            total, count = series.get(key, (0.0, 0))
            value = (total / count if count else None) if ind.area_agg == "mean" else (total if count else None)
            points.append({"period": key, "value": round(value, 4) if value is not None else None, "units": count})
        trend.append(
            {
                "indicator": ind.code,
                "name_id": ind.name.get("id", ""),
                "name_en": ind.name.get("en", ""),
                "unit": ind.unit,
                "unit_en": unit_text(ind.unit, "en"),
                "area_agg": ind.area_agg,
                "values": points,
            }
        )
    reports = []
    for key in keys:
        r = agg.reports[key]
        reports.append(
            {
                "period": key,
                "expected": agg.units,
                **r,
                "on_time_share": round(r["on_time"] / agg.units, 4) if agg.units else None,
            }
        )
    kelurahan = []
    for code, k in sorted(agg.kelurahan.items()):
        kelurahan.append(
            {
                "code": code,
                "name": names.kelurahan.get(code, code),
                "kecamatan_code": k["kecamatan_code"],
                "kecamatan": names.kecamatan.get(k["kecamatan_code"], k["kecamatan_code"]),
                "units": k["units"],
                "mean_score": round(k["mean_score"], 2) if k["mean_score"] is not None else None,
                "submitted": k["submitted"],
                "on_time_share": round(k["on_time"] / k["units"], 4) if k["units"] else None,
            }
        )
    return {
        "programme": programme.code,
        "city": city.code,
        "city_name": city.name,
        "period": programme.period,
        "periods": keys,
        "units": agg.units,
        "grades": agg.grades,
        "suggested_grades": agg.suggested_grades,
        "themes": [
            {
                "code": t.code,
                "name_id": t.name.get("id", ""),
                "name_en": t.name.get("en", ""),
                "units": agg.theme_units.get(t.id, 0),
            }
            for t in theme_rows
        ],
        "reports": reports,
        "trend": trend,
        "kelurahan": kelurahan,
    }


def report_title(programme: LorongProgramme, data: dict[str, Any], lang: str) -> str:
    """The title of the dashboard's PDF: the programme's name in ``lang`` and the city's name (not its code)."""
    return f"{programme.name.get(lang) or programme.name.get('id')} · {data['city_name']}"


def _num(lang: str):
    def fmt(v: float) -> str:
        text = f"{v:,.0f}" if abs(v) >= 100 or float(v).is_integer() else f"{v:,.1f}"
        return text.replace(",", "\u202f") if lang == "id" else text

    return fmt


def charts_for(data: dict[str, Any], lang: str, indicator: str | None = None) -> dict[str, str]:
    """SVG charts of a dashboard: theme coverage, reports on time, and the trend of one indicator."""
    name = "name_id" if lang == "id" else "name_en"
    fmt = _num(lang)
    out = {
        "themes": charts.category_chart(
            [str(i) for i, _t in enumerate(data["themes"], start=1)],
            [t["units"] for t in data["themes"]],
            title=gettext("Units per theme", lang),
            y_title=gettext("Units", lang),
            x_title=gettext("Theme (number in the list below)", lang),
            tips=[f"{t[name]}: {t['units']}" for t in data["themes"]],
            fmt=fmt,
            css_class="lorong-themes",
            chart_id="chart-themes",
            max_labels=21,
        ),
        "reports": charts.category_chart(
            [r["period"] for r in data["reports"]],
            [100.0 * (r["on_time_share"] or 0) for r in data["reports"]],
            title=gettext("Reports on time (%)", lang),
            y_title="%",
            x_title=gettext("Period", lang),
            fmt=fmt,
            colour="#2f6fb0",
            css_class="lorong-reports",
            chart_id="chart-reports",
        ),
    }
    with_values = (t for t in data["trend"] if any(p["value"] is not None for p in t["values"]))
    trend = next((t for t in data["trend"] if t["indicator"] == indicator), None) or next(
        with_values, data["trend"][0] if data["trend"] else None
    )
    if trend is not None:
        out["trend"] = charts.category_chart(
            [p["period"] for p in trend["values"]],
            [p["value"] for p in trend["values"]],  # a period without a verified value is a gap, not a zero
            kind="line",
            title=f"{trend[name]} ({unit_text(trend['unit'], lang)})",
            y_title=unit_text(trend["unit"], lang),
            x_title=gettext("Period", lang),
            fmt=fmt,
            colour="#b5651d",
            css_class="lorong-trend",
            chart_id="chart-trend",
            empty_text=gettext("No verified values yet", lang),
            missing_text=gettext("no verified value", lang),
        )
        out["trend_indicator"] = trend["indicator"]
    return out


def choropleth(session: Session, programme: LorongProgramme, data: dict[str, Any], measure: str = "mean_score"):
    """A GeoJSON FeatureCollection of the city's kelurahan (stored village areas) with the dashboard's figures.

    Areas join the units by Kemendagri code; areas stored with BPS codes (an HDX file) join through the
    code tables of :mod:`kotacerdas.lorong.services.areas`, or by name. A programme whose units are the
    villages themselves draws the units' own polygons when the city has no village areas stored.
    """
    if measure not in MEASURES:
        raise LorongError(
            N_("{name} must be one of: {allowed}"), field="measure", name="measure", allowed=", ".join(MEASURES)
        )
    city = must_get(session, City, programme.city_id)
    names = area_service.city_areas(session, city)
    by_code = {k["code"]: k for k in data["kelurahan"]}
    features = []
    rows = list(session.scalars(select(AdminArea).where(AdminArea.city_id == city.id, AdminArea.level == "village")))
    for area in rows:
        code = names.kemendagri(area)
        k = by_code.get(code or "", {})
        features.append(
            feature(
                area.geom,
                {
                    "code": code or area.code,
                    "area_code": area.code,
                    "name": area.name,
                    "source": area.source,
                    "units": k.get("units", 0),
                    "mean_score": k.get("mean_score"),
                    "on_time_share": k.get("on_time_share"),
                    "value": k.get(measure, 0 if measure == "units" else None),
                },
                fid=area.id,
            )
        )
    if not rows and programme.unit_level == "village":
        for unit in session.scalars(select(LorongUnit).where(LorongUnit.programme_id == programme.id)):
            k = by_code.get(unit.kelurahan_code, {})
            features.append(
                feature(
                    unit.geom,
                    {
                        "code": unit.kelurahan_code,
                        "area_code": unit.kelurahan_code,
                        "name": unit.name,
                        "source": "unit",
                        "units": k.get("units", 0),
                        "mean_score": unit.score,
                        "on_time_share": k.get("on_time_share"),
                        "value": unit.score if measure == "mean_score" else k.get(measure),
                    },
                    fid=unit.id,
                )
            )
    return feature_collection(features, measure=measure, programme=programme.code)
