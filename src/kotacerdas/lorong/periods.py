"""Reporting periods: months (``2025-04``), quarters (``2025-Q2``) and years (``2025``), their dates and deadlines.

A programme reports per month or per quarter; a report's period is a key that sorts in time
order within its kind. An indicator of a longer frequency (a quarterly drill in a monthly
programme) is due only in the periods that close its own period (March, June ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kotacerdas.core.i18n import N_, gettext
from kotacerdas.lorong.errors import LorongError

#: What each kind of period is called, in the reader's language where it is shown.
KIND_NAMES = {"month": N_("month"), "quarter": N_("quarter"), "year": N_("year")}

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: its kind, first day and last day."""

    start: date
    kind: str

    @property
    def key(self) -> str:
        if self.kind == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{self.start.year:04d}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year:04d}"

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> Period:
        months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        y, m = divmod(self.start.month - 1 + months, 12)
        return Period(date(self.start.year + y, m + 1, 1), self.kind)

    def previous(self) -> Period:
        months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        y, m = divmod(self.start.month - 1 - months, 12)
        return Period(date(self.start.year + y, m + 1, 1), self.kind)

    def due(self, due_days: int) -> date:
        """The last day a report of this period is on time: ``due_days`` after the period ends."""
        return self.end + timedelta(days=due_days)

    def closes(self, frequency: str) -> bool:
        """Whether this period is the last one of a period of ``frequency`` (so an indicator of it is due)."""
        months = {"month": 1, "quarter": 3, "year": 12}[frequency]
        return self.end.month % months == 0

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True)
class KindName:
    """A kind of period as an error's parameter: written in the reader's language when the error is shown."""

    kind: str

    def render(self, lang: str | None) -> str:
        return gettext(KIND_NAMES.get(self.kind, self.kind), lang)

    def __str__(self) -> str:
        return self.render("en")


def parse(text: str, kind: str | None = None) -> Period:
    """Read a period key; with ``kind`` the key must be of that kind."""
    text = (text or "").strip()
    found: Period | None = None
    if m := _MONTH.match(text):
        found = Period(date(int(m[1]), int(m[2]), 1), "month")
    elif m := _QUARTER.match(text):
        found = Period(date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1), "quarter")
    elif m := _YEAR.match(text):
        found = Period(date(int(m[1]), 1, 1), "year")
    if found is None:
        raise LorongError(N_("{value} is not a period (2025-04, 2025-Q2 or 2025)"), field="period", value=text)
    if kind and found.kind != kind:
        raise LorongError(
            N_("{value} is not a period of this programme, which reports per {kind}"),
            field="period",
            value=text,
            kind=KindName(kind),
        )
    return found


def containing(day: date, kind: str) -> Period:
    """The period of ``kind`` that holds ``day``."""
    if kind == "month":
        return Period(date(day.year, day.month, 1), kind)
    if kind == "quarter":
        return Period(date(day.year, (day.month - 1) // 3 * 3 + 1, 1), kind)
    return Period(date(day.year, 1, 1), kind)


def last(n: int, kind: str, until: Period) -> list[Period]:
    """The ``n`` periods ending with ``until``, oldest first."""
    out = [until]
    while len(out) < n:
        out.append(out[-1].previous())
    return out[::-1]
