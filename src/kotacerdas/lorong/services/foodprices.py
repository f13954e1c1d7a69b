"""Food-price use cases: markets, weekly prices, the city's settings, series per commodity and area, index and
alerts (the rules are in :mod:`kotacerdas.lorong.foodprices`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.db import utcnow
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.formats import Quantity
from kotacerdas.core.geometry import from_geojson, validate
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City
from kotacerdas.lorong import foodprices
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.services import access
from kotacerdas.lorong.services.programmes import check_code
from kotacerdas.lorong.store.rows import must_get
from kotacerdas.lorong.store.tables import LorongMarket, LorongPrice, LorongPriceSettings, LorongUnit


def save_market(session: Session, city: City, code: str, data: dict[str, Any]) -> LorongMarket:
    check_code(code)
    if data.get("unit_id") is not None:
        unit = session.get(LorongUnit, data["unit_id"])
        if unit is None or unit.city_id != city.id:
            raise LorongError(N_("No unit with id {id}"), field="unit_id", status=404, id=data["unit_id"])
    market = session.scalar(select(LorongMarket).where(LorongMarket.city_id == city.id, LorongMarket.code == code))
    if market is None:
        if not data.get("name"):
            raise LorongError(N_("{name} is required"), field="name", name="name")
        market = LorongMarket(city_id=city.id, code=code)
        session.add(market)
    for key in ("name", "kind", "kecamatan_code", "kelurahan_code", "unit_id"):
        if data.get(key) is not None:
            setattr(market, key, data[key])
    if data.get("location") is not None:
        market.geom = validate(from_geojson(data["location"]), allowed=("Point",))
    session.flush()
    return market


def get_market(session: Session, city_id: int, code: str) -> LorongMarket:
    market = session.scalar(select(LorongMarket).where(LorongMarket.city_id == city_id, LorongMarket.code == code))
    if market is None:
        raise LorongError(N_("No market {code} in this city"), field="market", status=404, code=code)
    return market


def city_today(city: City, now: datetime | None = None) -> date:
    """Today in the city's time zone."""
    now = now or utcnow()
    try:
        return now.astimezone(ZoneInfo(city.timezone)).date()
    except (KeyError, ValueError):
        return now.date()


def recent_prices(session: Session, city_id: int, commodity: str, week: date, *, leave_out: int | None = None):
    """The city's prices of ``commodity`` in the :data:`~kotacerdas.lorong.foodprices.RECENT_WEEKS` weeks up to
    ``week`` (but the row ``leave_out``, the one being corrected)."""
    first = week - timedelta(weeks=foodprices.RECENT_WEEKS - 1)
    stmt = select(LorongPrice.price).where(
        LorongPrice.city_id == city_id,
        LorongPrice.commodity == commodity,
        LorongPrice.week >= first,
        LorongPrice.week <= week,
    )
    if leave_out is not None:
        stmt = stmt.where(LorongPrice.id != leave_out)
    return [float(p) for p in session.scalars(stmt)]


def record_price(
    session: Session,
    market: LorongMarket,
    commodity: str,
    day: date,
    price: int,
    user_id=None,
    *,
    now: datetime | None = None,
    confirm_outlier: bool = False,
):
    """Record (or correct) the price of a commodity at a market for the week of ``day``.

    Refused for a week after the current one in the city's time zone, and for an outlier (see
    :func:`kotacerdas.lorong.foodprices.outlier_reference`) unless ``confirm_outlier``.
    """
    foodprices.check_commodity(commodity)
    foodprices.check_price(price)
    week = foodprices.week_of(day)
    city = must_get(session, City, market.city_id)
    if week > foodprices.week_of(city_today(city, now)):
        raise LorongError(
            N_("The week of {day} has not started yet; prices are recorded for this week or earlier ones"),
            field="day",
            day=day.isoformat(),
        )
    row = session.scalar(
        select(LorongPrice).where(
            LorongPrice.market_id == market.id, LorongPrice.commodity == commodity, LorongPrice.week == week
        )
    )
    if not confirm_outlier:
        recent = recent_prices(session, market.city_id, commodity, week, leave_out=row.id if row else None)
        ref = foodprices.outlier_reference(price, recent)
        if ref is not None:
            raise LorongError(
                N_(
                    "{price} for {commodity} at {market} is more than three times, or less than a third of, the "
                    "city's median of recent weeks ({median}): check the number (a programme administrator may "
                    "confirm a real jump)"
                ),
                field="price",
                price=Quantity(price, "rupiah"),
                commodity=commodity,
                market=market.code,
                median=Quantity(round(ref), "rupiah"),
            )
    if row is None:
        row = LorongPrice(city_id=market.city_id, market_id=market.id, commodity=commodity, week=week, price=price)
        session.add(row)
    row.price, row.reported_by = price, user_id
    session.flush()
    return row


@dataclass(frozen=True)
class PriceInput:
    """One price to record: at a market (its code), a commodity, a day of the week, whole rupiah; ``confirm`` says
    an admin checked an outlier."""

    market: str
    commodity: str
    day: date
    price: int
    confirm: bool = False


def record_prices(session: Session, principal: Principal, city: City, entries: Sequence[PriceInput]) -> dict[str, int]:
    """Record several prices, all or nothing (the caller's transaction): each at a market ``principal`` may record
    at (:func:`kotacerdas.lorong.services.access.record_prices`), an outlier only with ``confirm`` from an admin. A
    refused entry names its number (``record``). Audited once (``lorong.prices.record``)."""
    confirmed = 0
    for number, e in enumerate(entries, start=1):
        market = get_market(session, city.id, e.market)
        access.record_prices(session, principal, market)
        confirm = e.confirm and access.sees_all(principal, city.id)
        try:
            record_price(session, market, e.commodity, e.day, e.price, principal.user_id, confirm_outlier=confirm)
        except LorongError as exc:
            exc.record = number
            raise
        confirmed += int(confirm)
    accounts.audit(
        session, city.id, principal.user_id, "lorong.prices.record", city.code, count=len(entries), confirmed=confirmed
    )
    return {"saved": len(entries), "confirmed": confirmed}


def markets_for(session: Session, principal: Principal, city_id: int) -> list[LorongMarket]:
    """The markets of the city where ``principal`` may record prices (an admin: all; a coordinator: their lorong's)."""
    out = []
    for market in session.scalars(
        select(LorongMarket).where(LorongMarket.city_id == city_id).order_by(LorongMarket.name)
    ):
        try:
            access.record_prices(session, principal, market)
        except KotacerdasError:
            continue
        out.append(market)
    return out


def week_prices(session: Session, market: LorongMarket, day: date) -> dict[str, int]:
    """Commodity -> the price recorded at ``market`` for the week of ``day``."""
    week = foodprices.week_of(day)
    rows = session.execute(
        select(LorongPrice.commodity, LorongPrice.price).where(
            LorongPrice.market_id == market.id, LorongPrice.week == week
        )
    )
    return {c: int(p) for c, p in rows}


def settings(session: Session, city_id: int) -> LorongPriceSettings:
    row = session.get(LorongPriceSettings, city_id)
    if row is None:
        row = LorongPriceSettings(city_id=city_id, alert_share=foodprices.DEFAULT_ALERT_SHARE)
        session.add(row)
        session.flush()
    return row


def save_settings(session: Session, city_id: int, *, alert_share=None, baseline_start=None, baseline_end=None):
    row = settings(session, city_id)
    if alert_share is not None:
        if not 0 < float(alert_share) < 10:
            raise LorongError(N_("The alert share must be between 0 and 10 (0.10 = 10 %)"), field="alert_share")
        row.alert_share = float(alert_share)
    if baseline_start is not None:
        row.baseline_start = baseline_start
    if baseline_end is not None:
        row.baseline_end = baseline_end
    if row.baseline_start and row.baseline_end and row.baseline_end < row.baseline_start:
        raise LorongError(N_("The baseline period must end after it starts"), field="baseline_end")
    session.flush()
    return row


def series(session: Session, city_id: int, commodity: str, *, area: str | None = None) -> dict[date, float]:
    """Weekly mean price of ``commodity`` over the city, one kecamatan (``73.71.01``) or one market (its code)."""
    foodprices.check_commodity(commodity)
    stmt = (
        select(LorongPrice.week, func.avg(LorongPrice.price))
        .join(LorongMarket, LorongMarket.id == LorongPrice.market_id)
        .where(LorongPrice.city_id == city_id, LorongPrice.commodity == commodity)
        .group_by(LorongPrice.week)
        .order_by(LorongPrice.week)
    )
    if area:
        stmt = stmt.where((LorongMarket.kecamatan_code == area) | (LorongMarket.code == area))
    return {w: round(float(v), 2) for w, v in session.execute(stmt)}


def baseline(session: Session, city_id: int, points: dict[date, float]) -> tuple[date, date]:
    s = settings(session, city_id)
    if s.baseline_start and s.baseline_end:
        return s.baseline_start, s.baseline_end
    if not points:
        raise LorongError(N_("No price was recorded yet"), field="commodity")
    first = min(points)
    return first, date.fromordinal(first.toordinal() + 27)  # the first four weeks


def index(session: Session, city_id: int, commodity: str, area: str | None = None) -> dict[str, Any]:
    points = series(session, city_id, commodity, area=area)
    start, end = baseline(session, city_id, points)
    idx = foodprices.price_index(points, start, end) if points else {}
    name_id, name_en, unit = foodprices.COMMODITIES[commodity]
    return {
        "commodity": commodity,
        "name_id": name_id,
        "name_en": name_en,
        "unit": unit,
        "area": area or "city",
        "baseline": [start, end],
        "weeks": [{"week": w, "price": p, "index": idx.get(w)} for w, p in sorted(points.items())],
    }


def alerts(session: Session, city_id: int, *, since: date | None = None) -> list[foodprices.Alert]:
    """Rises over the city's alert share, per commodity over the city and per kecamatan."""
    share = settings(session, city_id).alert_share
    out: list[foodprices.Alert] = []
    areas = [None] + sorted(
        {k for k in session.scalars(select(LorongMarket.kecamatan_code).where(LorongMarket.city_id == city_id)) if k}
    )
    present = set(session.scalars(select(LorongPrice.commodity).where(LorongPrice.city_id == city_id).distinct()))
    for commodity in sorted(present):
        for area in areas:
            pts = series(session, city_id, commodity, area=area)
            out += foodprices.rises(pts, share, commodity=commodity, area=area or "city")
    if since:
        out = [a for a in out if a.week >= since]
    return sorted(out, key=lambda a: (a.week, a.commodity, a.area), reverse=True)
