"""Published figures beside the registry's own: every figure the network shows is either computed from the
registry or a claim (a figure as published, with its source and as-of date), and the two are shown side by side.

Published counts differ by source and by date (a meeting's "about 50 projects", a later
report's count), so nothing here reconciles them: :func:`side_by_side` pairs each computed figure
with every claim about the same metric, newest claim first, and says which is which.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kotacerdas.core.i18n import N_

#: The metrics the registry computes, with their labels.
METRICS: dict[str, str] = {
    "member_cities": N_("Member cities"),
    "projects": N_("Projects"),
    "partnerships": N_("Partnerships"),
    "partners": N_("Partners"),
}


@dataclass(frozen=True)
class Claim:
    """A figure as published: value (with "about" or "more than" where the source says so), source, as-of date."""

    metric: str
    value: float
    qualifier: str
    source: str
    as_of: str
    source_url: str = ""
    note: str = ""
    is_demo: bool = False


@dataclass(frozen=True)
class Figure:
    """One metric: the value computed from the registry now, and the claims published about it."""

    metric: str
    label: str
    computed: float | None
    claims: tuple[Claim, ...] = field(default=())

    def as_dict(self) -> dict:
        return {
            "metric": self.metric,
            "label": self.label,
            "computed": {"value": self.computed, "source": "registry"},
            "claims": [
                {
                    "value": c.value,
                    "qualifier": c.qualifier,
                    "source": c.source,
                    "source_url": c.source_url,
                    "as_of": c.as_of,
                    "note": c.note,
                    "is_demo": c.is_demo,
                }
                for c in self.claims
            ],
        }


def side_by_side(computed: Mapping[str, float], claims: Sequence[Claim]) -> list[Figure]:
    """Each computed metric with the claims about it (newest first), then metrics known only from claims."""
    by_metric: dict[str, list[Claim]] = {}
    for c in claims:
        by_metric.setdefault(c.metric, []).append(c)
    out = []
    for metric in list(METRICS) + sorted(set(by_metric) - set(METRICS)):
        if metric not in computed and metric not in by_metric:
            continue
        listed = tuple(sorted(by_metric.get(metric, ()), key=lambda c: c.as_of, reverse=True))
        out.append(Figure(metric, METRICS.get(metric, metric), computed.get(metric), listed))
    return out
