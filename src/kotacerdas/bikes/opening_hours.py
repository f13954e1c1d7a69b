"""OpenStreetMap ``opening_hours`` values: a parser of the common syntax and the open windows of a day.

Supported (what destinations in Indonesia are tagged with, see the OSM wiki's ``Key:opening_hours``):

* ``24/7``; ``off`` / ``closed``;
* rules separated by ``;`` (a later rule replaces an earlier one on the days it names) or ``,``
  between rules (adds to them), each an optional day selector and times:
  ``Mo-Fr 08:00-16:00``, ``Sa,Su 07:00-12:00,13:00-17:00``, ``Tu-Su 08:00-17:00; Mo off``;
* day selectors ``Mo Tu We Th Fr Sa Su``, ranges (``Fr-Mo`` wraps) and lists, ``PH`` (Indonesian
  public holidays, from the ``holidays`` package);
* times ``HH:MM-HH:MM`` (``24:00`` for midnight; a range past midnight such as ``18:00-02:00`` is
  split at midnight), ``sunrise`` and ``sunset`` (06:00 and 18:00: Banyuwangi lies near the equator);
* an empty value or ``None``: no hours known, taken as open all day.

Anything else (months, weeks, comments, ``||`` fallbacks ...) raises :class:`BikesError` naming the
part that cannot be read, so an operator can correct it. Times are minutes from midnight, local.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from kotacerdas.bikes.errors import BikesError
from kotacerdas.core.i18n import N_

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
SUNRISE, SUNSET = 6 * 60, 18 * 60
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_DAY_PART = re.compile(
    r"^(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?(?:,(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)"
    r"(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?)*$"
)

Window = tuple[int, int]


@dataclass(frozen=True)
class OpeningHours:
    """Open windows per weekday (Monday first) and on public holidays (``None``: as on that weekday)."""

    week: tuple[tuple[Window, ...], ...]
    holiday: tuple[Window, ...] | None = None
    source: str = ""

    def windows(self, day: date) -> tuple[Window, ...]:
        """The open windows (minutes from midnight) on ``day``."""
        if self.holiday is not None and _is_holiday(day):
            return self.holiday
        return self.week[day.weekday()]

    def is_open(self, at: datetime) -> bool:
        """Whether the place is open at the local time ``at``."""
        minute = at.hour * 60 + at.minute
        return any(a <= minute < b for a, b in self.windows(at.date()))

    def describe(self) -> list[dict]:
        """``[{"day": "Mo", "windows": ["08:00-16:00"]}, ...]`` for display."""
        return [
            {"day": d, "windows": [f"{_hhmm(a)}-{_hhmm(b)}" for a, b in w]}
            for d, w in zip(DAYS, self.week, strict=True)
        ]


ALWAYS = OpeningHours(tuple(((0, 1440),) for _ in DAYS), None, "24/7")


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _is_holiday(day: date) -> bool:
    import holidays

    return day in holidays.Indonesia(years=day.year)


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


def _times(text: str, value: str) -> list[Window]:
    if text in ("off", "closed"):
        return []
    out: list[Window] = []
    for part in text.split(","):
        part = part.strip()
        if part.count("-") != 1:
            raise _bad(value, part)
        a_text, b_text = part.split("-")
        a, b = _minute(a_text.strip(), value), _minute(b_text.strip(), value)
        if b == a:
            raise _bad(value, part)
        if b < a:  # past midnight: the part after midnight belongs to the same day's rule, kept at the start
            out.append((a, 1440))
            out.append((0, b))
        else:
            out.append((a, b))
    return sorted(out)


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
            if re.match(r"\s*(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)\b", part) and re.search(
                r"(?:\d|off|closed|sunset|sunrise)\s*$", current
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
    holiday: list[Window] | None = None
    for rule, additive in _split_rules(text):
        head, _, rest = rule.partition(" ")
        if head in ("off", "closed") or _TIME.match(head.split("-")[0]) or head.startswith(("sunrise", "sunset")):
            days, on_holiday, times = set(range(7)), False, rule
        else:
            days, on_holiday = _days(head, text)
            times = rest.strip() or "00:00-24:00"
        if times == "24/7":
            times = "00:00-24:00"
        windows = _times(times.replace(" ", ""), text)
        for d in days:
            week[d] = (week[d] + windows) if additive else list(windows)
        if on_holiday:
            holiday = (holiday or []) + windows if additive else list(windows)
    return OpeningHours(tuple(_merge(w) for w in week), None if holiday is None else _merge(holiday), text)
