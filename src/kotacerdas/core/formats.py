"""The one way numbers, money, shares, lengths, dates and times are written for a reader (Babel).

Pages, charts, spreadsheets, CSV headers and API messages all write their figures here, in the
reader's language: Bahasa Indonesia (``id_ID``: ``28,7 km``, ``73,5%``, ``Rp11.265.000``,
``28 Mei 2025 14.05``) or English (``en_GB``: ``28.7 km``, ``73.5%``, ``Rp11,265,000``,
``28 May 2025 14:05``); :func:`parse_number` reads a number back as the reader typed it. Rupiah
keep their ``Rp`` sign in both languages (Babel's English name of the currency is ``IDR``, which
riders in Indonesia do not read), without decimals.
Times are shown in the city's time zone (``Asia/Jakarta`` WIB, ``Asia/Makassar`` WITA ...).

:class:`Formats` binds a language and a time zone, so a template writes ``fmt.km(x)``; the
functions below take the language explicitly. ``None`` (a figure not measured) is written
``–`` everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_day_names
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

from kotacerdas.core.i18n import normalise_language

#: The Babel locale of each language of the platform.
LOCALES = {"id": "id_ID", "en": "en_GB"}
#: The tag browsers' ``Intl`` uses for the same locale (the pages' scripts format live figures with it).
BROWSER_LOCALES = {"id": "id-ID", "en": "en-GB"}
MISSING = "–"
DEFAULT_TZ = "Asia/Jakarta"


def locale_of(lang: str | None) -> str:
    """The Babel locale of a language (``id`` -> ``id_ID``, ``en`` -> ``en_GB``)."""
    return LOCALES[normalise_language(lang)]


def _pattern(digits: int, grouping: bool = True) -> str:
    base = "#,##0" if grouping else "0"
    return base + ("." + "0" * digits if digits > 0 else "")


def number(value: float | int | None, lang: str | None, digits: int = 0) -> str:
    """A number with the locale's separators and exactly ``digits`` decimals (``1.234,5`` / ``1,234.5``)."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        value = int(value)
    return format_decimal(value, format=_pattern(digits), locale=locale_of(lang), decimal_quantization=True)


@cache
def _number_pattern(lang: str) -> tuple[re.Pattern[str], str, str]:
    loc = locale_of(lang)
    decimal, group = get_decimal_symbol(loc), get_group_symbol(loc)
    grouped = rf"[1-9][0-9]{{0,2}}(?:[{re.escape(group)} \u00a0\u202f][0-9]{{3}})+"
    fraction = rf"(?:{re.escape(decimal)}[0-9]+)?"
    return re.compile(rf"[-+\u2212]?(?:{grouped}|[0-9]+){fraction}"), decimal, group


def _read_number(text: str, lang: str) -> Decimal | None:
    pattern, decimal, group = _number_pattern(lang)
    if not pattern.fullmatch(text):
        return None
    for sep in (group, " ", "\u00a0", "\u202f"):
        text = text.replace(sep, "")
    return Decimal(text.replace(decimal, ".").replace("\u2212", "-"))


def parse_number(text: str, lang: str | None) -> Decimal:
    """A number typed by a reader of ``lang``, the inverse of :func:`number`: ``1.500.000,5`` in Bahasa Indonesia,
    ``1,500,000.5`` in English, plain digits (``1500000``, ``-12``) in both; spaces may group thousands.

    Text that ``lang`` cannot read but the platform's other language can (``7.5`` or ``2,500.5`` typed on an
    Indonesian form, ``1.500.000`` on an English one) has that one reading, and is read so. Text both read
    (``1.500``: 1500 in Bahasa Indonesia, 1.5 in English) is read in ``lang``. Raises :class:`ValueError` for
    anything else: letters, exponents, ``NaN``, infinities, misplaced separators. Never returns a non-finite value.
    """
    text = str(text).strip()
    first = normalise_language(lang)
    for candidate in (first, *(other for other in LOCALES if other != first)):
        value = _read_number(text, candidate)
        if value is not None:
            return value
    raise ValueError(f"not a number: {text!r}")


def count(value: int | None, lang: str | None) -> str:
    """A whole count with thousands separators (``1.234`` / ``1,234``)."""
    return number(value, lang, 0)


def compact(value: float, lang: str | None, digits: int = 1) -> str:
    """A number with at most ``digits`` decimals, none when it is whole (chart ticks: ``2``, ``2,5``)."""
    if float(value).is_integer():
        return number(value, lang, 0)
    pattern = "#,##0." + "#" * max(digits, 1)
    return format_decimal(value, format=pattern, locale=locale_of(lang))


def percent(share: float | None, lang: str | None, digits: int = 1) -> str:
    """A share of 0..1 as a percentage (``73,5%`` / ``73.5%``)."""
    if share is None:
        return MISSING
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(share, format=pattern, locale=locale_of(lang), decimal_quantization=True)


def rupiah(amount: int | float | None, lang: str | None) -> str:
    """An amount of rupiah, whole (``Rp3.000`` / ``Rp3,000``; ``-Rp500`` below zero)."""
    if amount is None:
        return MISSING
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{number(abs(amount), lang, 0)}"


#: The short units of rupiah on chart ticks, largest first: (size, Indonesian suffix, English suffix).
RUPIAH_UNITS = ((1_000_000_000, " M", "bn"), (1_000_000, " jt", "M"), (1_000, " rb", "k"))


def rupiah_short(amount: float, lang: str | None) -> str:
    """A chart tick of rupiah in the largest unit it reaches: thousands ``Rp15 rb`` / ``Rp15k``, millions
    ``Rp1 jt`` / ``Rp1M``, billions ``Rp2,5 M`` (*miliar*) / ``Rp2.5bn``; below a thousand as it is."""
    english = normalise_language(lang) == "en"
    sign = "-" if amount < 0 else ""
    for size, idn, en in RUPIAH_UNITS:
        value = round(abs(amount) / size, 1)
        if value >= 1:  # 999.999 is Rp1 jt, never Rp1.000 rb
            return f"{sign}Rp{compact(value, lang)}{en if english else idn}"
    return rupiah(amount, lang)


def km(value_km: float | None, lang: str | None, digits: int = 1) -> str:
    """A length in kilometres (``28,7 km``)."""
    return MISSING if value_km is None else f"{number(value_km, lang, digits)} km"


def metres(value_m: float | None, lang: str | None) -> str:
    """A distance in metres, or kilometres from 1 km on (``850 m``, ``1,2 km``)."""
    if value_m is None:
        return MISSING
    if abs(value_m) >= 1000:
        return km(value_m / 1000, lang, 1)
    return f"{number(value_m, lang, 0)} m"


def minutes(value: int | float | None, lang: str | None) -> str:
    """A duration in whole minutes (``12 menit`` / ``12 min``)."""
    if value is None:
        return MISSING
    unit = "menit" if normalise_language(lang) == "id" else "min"
    return f"{number(value, lang, 0)} {unit}"


def _zone(tz: str | None) -> ZoneInfo:
    return ZoneInfo(tz or DEFAULT_TZ)


def _local(when: dt.datetime, tz: str | None) -> dt.datetime:
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(_zone(tz))


def date(value: dt.date | dt.datetime | str | None, lang: str | None, tz: str | None = None) -> str:
    """A date (``28 Mei 2025`` / ``28 May 2025``); a time of day is taken in the zone ``tz`` first."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value) if len(value) > 10 else dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        value = _local(value, tz).date()
    return format_date(value, format="d MMM y", locale=locale_of(lang))


def day_month(value: dt.date | str, lang: str | None) -> str:
    """A short day and month for chart axes (``28 Mei`` / ``28 May``)."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return format_date(value, format="d MMM", locale=locale_of(lang))


def time(value: dt.datetime | None, lang: str | None, tz: str | None = None) -> str:
    """A time of day in the zone ``tz`` (``14.05`` / ``14:05``)."""
    if value is None:
        return MISSING
    return format_time(_local(value, tz), format="short", locale=locale_of(lang))


def clock(minute: int, lang: str | None) -> str:
    """A time of day given in minutes from midnight, as the locale writes it (``05.00`` / ``05:00``; ``24.00`` for
    the midnight that ends a day)."""
    hours, minutes = divmod(int(minute), 60)
    sep = format_time(dt.time(0, 0), format="short", locale=locale_of(lang))[2]
    return f"{hours:02d}{sep}{minutes:02d}"


def weekday(index: int, lang: str | None) -> str:
    """The name of a day of the week, Monday first (``0`` -> ``Senin`` / ``Monday``)."""
    return str(get_day_names("wide", locale=locale_of(lang))[index])


def zone_name(when: dt.datetime, tz: str | None) -> str:
    """The short name of the zone at that moment (``WIB``, ``WITA``, ``WIT``; else the UTC offset)."""
    names = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
    if tz in names:
        return names[tz]
    return _local(when, tz).strftime("UTC%z")


def datetime(value: dt.datetime | str | None, lang: str | None, tz: str | None = None, *, zone: bool = True) -> str:
    """A date and time in the zone ``tz``, with the zone's name (``28 Mei 2025 14.05 WIB``)."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    local = _local(value, tz)
    loc = locale_of(lang)
    text = f"{format_date(local, format='d MMM y', locale=loc)} {format_time(local, format='short', locale=loc)}"
    return f"{text} {zone_name(value, tz)}" if zone else text


@dataclass(frozen=True)
class Quantity:
    """A figure with its kind, written for the reader only where it is shown (home cards, tables).

    ``kind``: ``count``, ``km``, ``percent`` (a share of 0..1), ``rupiah`` or ``number``.
    """

    value: float | int | None
    kind: str = "count"
    digits: int = 1

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str | None) -> str:
        if self.kind == "km":
            return km(self.value, lang, self.digits)
        if self.kind == "percent":
            return percent(self.value, lang, self.digits)
        if self.kind == "rupiah":
            return rupiah(self.value, lang)
        if self.kind == "number":
            return number(self.value, lang, self.digits)
        return count(None if self.value is None else int(self.value), lang)


def render(value: object, lang: str | None) -> str:
    """A figure for a reader: a :class:`Quantity`, an int (a count), a float, or text as it is."""
    if isinstance(value, Quantity):
        return value.render(lang)
    if isinstance(value, bool) or value is None:
        return MISSING if value is None else str(value)
    if isinstance(value, int):
        return count(value, lang)
    if isinstance(value, float):
        return compact(value, lang, 2)
    return str(value)


@dataclass(frozen=True)
class Formats:
    """The functions above bound to a language and a time zone (``fmt`` in every template)."""

    lang: str
    tz: str = DEFAULT_TZ

    @property
    def browser_locale(self) -> str:
        return BROWSER_LOCALES[normalise_language(self.lang)]

    def num(self, value: float | int | None, digits: int = 0) -> str:
        return number(value, self.lang, digits)

    def count(self, value: int | None) -> str:
        return count(value, self.lang)

    def km(self, value_km: float | None, digits: int = 1) -> str:
        return km(value_km, self.lang, digits)

    def m(self, value_m: float | None) -> str:
        return metres(value_m, self.lang)

    def pct(self, share: float | None, digits: int = 1) -> str:
        return percent(share, self.lang, digits)

    def rp(self, amount: int | float | None) -> str:
        return rupiah(amount, self.lang)

    def minutes(self, value: int | float | None) -> str:
        return minutes(value, self.lang)

    def date(self, value: dt.date | dt.datetime | str | None) -> str:
        return date(value, self.lang, self.tz)

    def time(self, value: dt.datetime | None) -> str:
        return time(value, self.lang, self.tz)

    def dt(self, value: dt.datetime | str | None) -> str:
        return datetime(value, self.lang, self.tz)

    def figure(self, value: object) -> str:
        return render(value, self.lang)
