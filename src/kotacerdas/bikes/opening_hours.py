"""OpenStreetMap ``opening_hours`` values: a parser of the common syntax and the open windows of a day.

Supported (what destinations in Indonesia are tagged with, see the OSM wiki's ``Key:opening_hours``):

* ``24/7``; ``off`` / ``closed``;
* rules separated by ``;`` (a later rule replaces an earlier one on the days it names) or ``,``
  between rules (adds to them), each an optional day selector and times:
  ``Mo-Fr 08:00-16:00``, ``Sa,Su 07:00-12:00,13:00-17:00``, ``Tu-Su 08:00-17:00; Mo off``;
* day selectors ``Mo Tu We Th Fr Sa Su``, ranges (``Fr-Mo`` wraps) and lists, ``PH`` (Indonesian
  public holidays, from the ``holidays`` package; where that calendar is not installed, ``PH``
  rules are ignored and the weekday's hours apply);
* dates: ``Jan 01 off``, ``Dec 24-26 08:00-12:00``, ``Dec 31-Jan 01 off`` (month and day, every
  year): on those dates the rule's hours replace the weekday's and the holiday's;
* times ``HH:MM-HH:MM`` (``24:00`` for midnight), ``sunrise`` and ``sunset`` (06:00 and 18:00:
  Banyuwangi lies near the equator); a range past midnight such as ``Fr-Sa 18:00-02:00`` is open
  from 18:00 to midnight on Friday and Saturday and from midnight to 02:00 on the *next* days
  (Saturday and Sunday): the night belongs to the day it starts, and a later rule for the next
  day (``Su off``) does not take it away;
* an empty value or ``None``: no hours known. :func:`parse_opening_hours` reads it as open all
  day; the tour planner does not: it plans a place whose hours are unknown (none given, or a
  value this parser cannot read, kept as found) in the daytime only, :data:`DAYTIME`
  (:func:`planning_hours`).

Anything else (months without a day, weeks, comments, ``||`` fallbacks ...) raises
:class:`BikesError` naming the part that cannot be read, so an operator can correct it. Times are
minutes from midnight, local.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from kotacerdas.bikes.errors import BikesError
from kotacerdas.core.i18n import N_

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SUNRISE, SUNSET = 6 * 60, 18 * 60
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_DAY_PART = re.compile(
    r"^(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?(?:,(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)"
    r"(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?)*$"
)
_MONTH = "|".join(MONTHS)
#: One date of a date selector: ``Jan 01``, ``Dec 24-26`` or ``Dec 31-Jan 01``.
_DATE_ITEM = re.compile(rf"({_MONTH})\s+(\d{{1,2}})(?:\s*-\s*(?:({_MONTH})\s+)?(\d{{1,2}}))?")
#: A date rule: dates separated by commas (``Jan 01,Dec 25``), then its times (or nothing: all day).
_DATE_RULE = re.compile(rf"^({_DATE_ITEM.pattern}(?:\s*,\s*{_DATE_ITEM.pattern})*)(?:\s+(.+))?$")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

Window = tuple[int, int]
Windows = tuple[Window, ...]
MonthDay = tuple[int, int]


@dataclass(frozen=True)
class OpeningHours:
    """Open windows per weekday (Monday first), on public holidays (``None``: as on that weekday) and on dates.

    ``week_spill[d]`` (and ``holiday_spill``, and each date's third member) holds the part of a range past
    midnight that opens the *next* day: ``Fr 18:00-02:00`` is ``(1080, 1440)`` on Friday and a spill of
    ``(0, 120)`` onto Saturday. Use :meth:`windows`, which puts every part on its day.
    """

    week: tuple[Windows, ...]
    holiday: Windows | None = None
    source: str = ""
    week_spill: tuple[Windows, ...] = ((),) * 7
    holiday_spill: Windows = ()
    dates: tuple[tuple[MonthDay, Windows, Windows], ...] = ()

    def _own(self, day: date) -> tuple[Windows, Windows]:
        """The windows a day's own rule opens, and what it spills past midnight into the next day."""
        for when, own, spill in self.dates:
            if when == (day.month, day.day):
                return own, spill
        if self.holiday is not None and _is_holiday(day):
            return self.holiday, self.holiday_spill
        return self.week[day.weekday()], self.week_spill[day.weekday()]

    def windows(self, day: date) -> Windows:
        """The open windows (minutes from midnight) on ``day``, with the night before's hours past midnight."""
        own, _ = self._own(day)
        _, before = self._own(day - timedelta(days=1))
        return _merge([*own, *before])

    def is_open(self, at: datetime) -> bool:
        """Whether the place is open at the local time ``at``."""
        minute = at.hour * 60 + at.minute
        return any(a <= minute < b for a, b in self.windows(at.date()))

    def describe(self) -> list[dict]:
        """``[{"day": "Mo", "windows": ["08:00-16:00"]}, ...]`` for display (an ordinary week: no holiday, no date)."""
        out = []
        for k, d in enumerate(DAYS):
            windows = _merge([*self.week[k], *self.week_spill[k - 1]])
            out.append({"day": d, "windows": [f"{_hhmm(a)}-{_hhmm(b)}" for a, b in windows]})
        return out


ALWAYS = OpeningHours(tuple(((0, 1440),) for _ in DAYS), None, "24/7")
#: The window the tour planner assumes, every day, for a place whose opening hours are unknown: 08:00-17:00.
DAYTIME: Window = (8 * 60, 17 * 60)
UNKNOWN_HOURS = OpeningHours(tuple((DAYTIME,) for _ in DAYS), None, "")


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    """Indonesia's public holidays of ``year`` (none where the ``holidays`` calendar is not installed)."""
    try:
        import holidays
    except ImportError:
        return frozenset()
    return frozenset(holidays.Indonesia(years=year))


def _is_holiday(day: date) -> bool:
    return day in _holidays(day.year)


def _bad(value: str, part: str) -> BikesError:
    return BikesError(
        N_("opening hours {value}: cannot read {part}"), field="opening_hours", value=value[:200], part=part[:80]
    )


def _minute(text: str, value: str) -> int:
    if text == "sunrise":
        return SUNRISE
    if text == "sunset":
        return SUNSET
    m = _TIME.match(text)
    if not m:
        raise _bad(value, text)
    h, mi = int(m.group(1)), int(m.group(2))
    if h > 24 or mi > 59 or (h == 24 and mi):
        raise _bad(value, text)
    return h * 60 + mi


def _times(text: str, value: str) -> tuple[list[Window], list[Window]]:
    """The windows of a rule's times on its own day, and the parts past midnight, which open the next day."""
    if text in ("off", "closed"):
        return [], []
    own: list[Window] = []
    spill: list[Window] = []
    for part in text.split(","):
        part = part.strip()
        if part.count("-") != 1:
            raise _bad(value, part)
        a_text, b_text = part.split("-")
        a, b = _minute(a_text.strip(), value), _minute(b_text.strip(), value)
        if b == a:
            raise _bad(value, part)
        if b < a:  # past midnight: until midnight on the rule's day, the rest on the next day
            own.append((a, 1440))
            spill.append((0, b))
        else:
            own.append((a, b))
    return sorted(own), sorted(spill)


def _days(text: str, value: str) -> tuple[set[int], bool]:
    if not _DAY_PART.match(text):
        raise _bad(value, text)
    days: set[int] = set()
    holiday = False
    for part in text.split(","):
        if part == "PH":
            holiday = True
            continue
        if "-" in part:
            a, b = (DAYS.index(x) for x in part.split("-"))
            k = a
            while True:
                days.add(k)
                if k == b:
                    break
                k = (k + 1) % 7
        else:
            days.add(DAYS.index(part))
    return days, holiday


def _merge(windows: list[Window]) -> tuple[Window, ...]:
    out: list[list[int]] = []
    for a, b in sorted(windows):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def _dates(selector: str, value: str) -> list[MonthDay]:
    """The (month, day) pairs of a date selector (``Jan 01,Dec 24-26``; ``Dec 31-Jan 01`` runs over the new year)."""
    out: list[MonthDay] = []
    for m in _DATE_ITEM.finditer(selector):
        m1, d1, m2, d2 = MONTHS.index(m.group(1)) + 1, int(m.group(2)), m.group(3), m.group(4)
        end = (MONTHS.index(m2) + 1 if m2 else m1, int(d2) if d2 else d1)
        for month, day in ((m1, d1), end):
            if not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
                raise _bad(value, m.group(0))
        run = [(m1, d1)]
        while run[-1] != end and len(run) <= 366:
            month, day = run[-1]
            run.append((month, day + 1) if day < _DAYS_IN_MONTH[month - 1] else (month % 12 + 1, 1))
        out.extend(run)
    return out


def _split_rules(value: str) -> list[tuple[str, bool]]:
    """Rules and whether each adds to the ones before it (``,`` between rules) rather than replacing them."""
    rules: list[tuple[str, bool]] = []
    for chunk in value.split(";"):
        chunk = chunk.strip()
        if not chunk:
            continue
        # "Mo-Fr 08:00-12:00, Sa 08:00-11:00": after times, a comma and a day selector start an additional rule
        parts = chunk.split(",")
        current, additive = parts[0], False
        for part in parts[1:]:
            if re.match(rf"\s*(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|{_MONTH})\b", part) and re.search(
                r"(?:\d:\d\d|24/7|off|closed|sunset|sunrise)\s*$", current
            ):
                rules.append((current.strip(), additive))
                current, additive = part, True
            else:
                current += "," + part
        rules.append((current.strip(), additive))
    return rules


def parse_opening_hours(value: str | None) -> OpeningHours:
    """The :class:`OpeningHours` of an OSM ``opening_hours`` value (``None`` or empty: open all day)."""
    if value is None or not value.strip():
        return ALWAYS
    text = value.strip()
    if text == "24/7":
        return ALWAYS
    if "||" in text or '"' in text or "[" in text:
        raise _bad(text, "||" if "||" in text else text)
    week: list[list[Window]] = [[] for _ in DAYS]
    spill: list[list[Window]] = [[] for _ in DAYS]
    holiday: list[Window] | None = None
    holiday_spill: list[Window] = []
    dates: dict[MonthDay, tuple[list[Window], list[Window]]] = {}
    for rule, additive in _split_rules(text):
        dated = _DATE_RULE.match(rule)
        if dated:
            times = dated.group(dated.re.groups) or "00:00-24:00"
            own, over = _times(("00:00-24:00" if times == "24/7" else times).replace(" ", ""), text)
            for when in _dates(dated.group(1), text):
                before = dates.get(when, ([], []))
                dates[when] = (before[0] + own, before[1] + over) if additive else (list(own), list(over))
            continue
        head, _, rest = rule.partition(" ")
        if head in ("off", "closed") or _TIME.match(head.split("-")[0]) or head.startswith(("sunrise", "sunset")):
            days, on_holiday, times = set(range(7)), False, rule
        else:
            days, on_holiday = _days(head, text)
            times = rest.strip() or "00:00-24:00"
        if times == "24/7":
            times = "00:00-24:00"
        own, over = _times(times.replace(" ", ""), text)
        for d in days:
            week[d] = (week[d] + own) if additive else list(own)
            spill[d] = (spill[d] + over) if additive else list(over)
        if on_holiday:
            holiday = (holiday or []) + own if additive else list(own)
            holiday_spill = holiday_spill + over if additive else list(over)
    return OpeningHours(
        week=tuple(_merge(w) for w in week),
        holiday=None if holiday is None else _merge(holiday),
        source=text,
        week_spill=tuple(_merge(w) for w in spill),
        holiday_spill=_merge(holiday_spill),
        dates=tuple((when, _merge(own), _merge(over)) for when, (own, over) in sorted(dates.items())),
    )


def planning_hours(value: str | None) -> OpeningHours:
    """The hours the tour planner plans a place with: its parsed value or, when none is known (``None`` or
    empty), :data:`DAYTIME` every day, so an unknown place is never planned for the night."""
    if value is None or not value.strip():
        return UNKNOWN_HOURS
    return parse_opening_hours(value)


# -- written for people -----------------------------------------------------------------------------


def _windows_text(windows: Windows, lang: str) -> str:
    """Windows as a person reads them; a window past midnight ends after 1440 (``18:00-02:00`` stays one)."""
    from kotacerdas.core import formats
    from kotacerdas.core.i18n import gettext

    if not windows:
        return gettext(N_("closed"), lang)
    if windows == ((0, 1440),):
        return gettext(N_("open 24 hours"), lang)
    return ", ".join(f"{formats.clock(a, lang)}–{formats.clock(b % 1440 if b > 1440 else b, lang)}" for a, b in windows)


def _with_night(own: Windows, spill: Windows) -> Windows:
    """A day's own windows, the one that runs to midnight carried on into the next day as far as it spills."""
    night = next((b for a, b in spill if a == 0), None)
    if night is None:
        return own
    return tuple((a, 1440 + night) if b == 1440 and a > 0 else (a, b) for a, b in own)


def _days_text(first: int, last: int, lang: str) -> str:
    from kotacerdas.core import formats
    from kotacerdas.core.i18n import gettext

    if first == 0 and last == 6:
        return gettext(N_("Every day"), lang)
    if first == last:
        return formats.weekday(first, lang)
    joint = "–" if last - first > 1 else ", "
    return f"{formats.weekday(first, lang)}{joint}{formats.weekday(last, lang)}"


def _dates_text(start: MonthDay, end: MonthDay, lang: str) -> str:
    from kotacerdas.core import formats

    first, last = date(2000, *start), date(2000, *end)  # a leap year, so 29 Feb has a date
    if first == last:
        return formats.day_month(first, lang)
    if first.month == last.month:
        return f"{first.day}–{formats.day_month(last, lang)}"
    return f"{formats.day_month(first, lang)}–{formats.day_month(last, lang)}"


def _date_runs(hours: OpeningHours) -> list[tuple[MonthDay, MonthDay, Windows]]:
    """The dated rules, following days with the same hours joined (``Dec 24-26``)."""
    runs: list[tuple[MonthDay, MonthDay, Windows]] = []
    for when, own, spill in hours.dates:
        windows = _with_night(own, spill)
        if runs and runs[-1][2] == windows and date(2000, *runs[-1][1]) + timedelta(days=1) == date(2000, *when):
            runs[-1] = (runs[-1][0], when, windows)
        else:
            runs.append((when, when, windows))
    return runs


def for_people(value: str | None, lang: str) -> str | None:
    """An OSM ``opening_hours`` value as a person reads it, in ``lang``.

    ``Mo-Su 05:00-22:00`` is *Setiap hari 05.00–22.00* / *Every day 05:00–22:00*; ``Mo-Fr 08:00-16:00;
    Sa 08:00-12:00; Su off`` is *Senin–Jumat 08.00–16.00; Sabtu 08.00–12.00; Minggu tutup*; ``24/7`` is
    *Buka 24 jam*; ``Fr 18:00-02:00`` stays one window (*Jumat 18.00–02.00*). Days with the same hours are
    written together (Monday first), then public holidays and dates (``Dec 24-26`` as *24–26 Des*).
    ``None`` when no hours are given; a value the parser cannot read (:class:`BikesError`) is returned as
    it is, never hidden.
    """
    from kotacerdas.core.i18n import gettext

    if value is None or not value.strip():
        return None
    try:
        hours = parse_opening_hours(value)
    except BikesError:
        return value.strip()
    week = [_with_night(hours.week[k], hours.week_spill[k]) for k in range(7)]
    if hours.holiday is None and not hours.dates and all(w == ((0, 1440),) for w in week):
        return gettext(N_("Open 24 hours"), lang)
    parts: list[str] = []
    first = 0
    for k in range(1, 8):
        if k == 7 or week[k] != week[first]:
            parts.append(f"{_days_text(first, k - 1, lang)} {_windows_text(week[first], lang)}")
            first = k
    if hours.holiday is not None:
        holiday = _with_night(hours.holiday, hours.holiday_spill)
        parts.append(f"{gettext(N_('Public holidays'), lang)} {_windows_text(holiday, lang)}")
    for start, end, windows in _date_runs(hours):
        parts.append(f"{_dates_text(start, end, lang)} {_windows_text(windows, lang)}")
    return "; ".join(parts)
