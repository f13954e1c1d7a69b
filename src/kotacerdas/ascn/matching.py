"""Matchmaking: for a city's need, rank the partners and programmes that fit and the peer cities that solved a
similar problem, each with its reasons.

A need is a text (a project's title and summary, or a free-text problem), focus areas of the
ASEAN Smart Cities Framework, the kinds of support wanted and the city's country. A partner
scores on four signals, each between 0 and 1, weighted by :data:`WEIGHTS`:

``history``
    its past partnerships on projects in the same focus areas (saturating: 1, 2, 3 ... give
    1/3, 1/2, 3/5 ...);
``country``
    its past partnerships in the same country (same saturation);
``offers``
    the share of the wanted kinds of support it offers, and of the need's focus areas it declares;
``text``
    the cosine similarity between the need and the projects it worked on, or its profile.

Programmes score on the support types and focus areas they cover, their text, and their sponsor's
history. Peer cities score on their most similar project, weighted by how far it got
(operational and completed count fully). :func:`popularity` is the baseline the bench compares
with: partners ranked by how many partnerships they have.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from kotacerdas.ascn import framework
from kotacerdas.core.i18n import N_, gettext

WEIGHTS = {"history": 0.35, "country": 0.15, "offers": 0.25, "text": 0.25}
#: How much a peer city's project counts by its status: a problem solved counts more than an idea.
STATUS_WEIGHT = {
    "operational": 1.0,
    "completed": 1.0,
    "implementing": 0.75,
    "feasibility_study": 0.5,
    "idea": 0.35,
    "stopped": 0.2,
}


@dataclass(frozen=True)
class Reason:
    """Why something was ranked: a message id with its parameters, rendered in the reader's language."""

    code: str
    message: str
    params: tuple[tuple[str, str | tuple[str, ...]], ...] = ()

    def render(self, lang: str = "en") -> str:
        """The reason in ``lang``: labels (tuples of message ids) are translated one by one."""
        params = {
            k: ", ".join(gettext(x, lang) for x in v) if isinstance(v, tuple) else gettext(v, lang)
            for k, v in self.params
        }
        return gettext(self.message, lang).format(**params)


@dataclass(frozen=True)
class Need:
    text: str
    focus_areas: tuple[str, ...] = ()
    support_types: tuple[str, ...] = ()
    country: str | None = None
    city_id: int | None = None
    vector: np.ndarray | None = field(default=None, compare=False)


@dataclass(frozen=True)
class PartnerProfile:
    id: int
    name: str
    offers: tuple[str, ...]
    focus_areas: tuple[str, ...]
    vector: np.ndarray | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Past:
    """A past partnership as the matcher sees it: who, where, on what kind of project, of what type."""

    partner_id: int
    city_id: int
    country: str
    focus_areas: tuple[str, ...]
    type: str
    project_vector: np.ndarray | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ProgrammeProfile:
    id: int
    name: str
    sponsor_id: int | None
    support_types: tuple[str, ...]
    focus_areas: tuple[str, ...]
    vector: np.ndarray | None = field(default=None, compare=False)


@dataclass(frozen=True)
class PeerProject:
    id: int
    city_id: int
    title: str
    status: str
    focus_areas: tuple[str, ...]
    vector: np.ndarray | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Ranked:
    """One ranked item: its id, score (0..1), the signals behind it and the reasons to show."""

    id: int
    score: float
    signals: dict[str, float]
    reasons: tuple[Reason, ...]
    detail: dict = field(default_factory=dict)


def saturate(n: int) -> float:
    """1 - 2 / (n + 2): 0 for none, 1/3 for one, 1/2 for two ... towards 1."""
    return n / (n + 2.0)


def _cos(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None:
        return 0.0
    return max(0.0, float(np.dot(a, b)))


def _labels(vocabulary: dict[str, str], codes) -> tuple[str, ...]:
    return tuple(vocabulary[c] for c in codes if c in vocabulary)


def rank_partners(need: Need, partners: Sequence[PartnerProfile], history: Sequence[Past]) -> list[Ranked]:
    """Partners for ``need``, best first, with the reasons (past partnerships, offers, text similarity)."""
    focus = set(need.focus_areas)
    wanted = set(need.support_types)
    by_partner: dict[int, list[Past]] = {}
    for h in history:
        by_partner.setdefault(h.partner_id, []).append(h)
    out = []
    for p in partners:
        past = by_partner.get(p.id, [])
        same_focus = [h for h in past if focus & set(h.focus_areas)]
        same_country = [h for h in past if need.country and h.country == need.country]
        offers = len(wanted & set(p.offers)) / len(wanted) if wanted else 0.0
        declared = len(focus & set(p.focus_areas)) / len(focus) if focus else 0.0
        text = max([_cos(need.vector, h.project_vector) for h in past] + [_cos(need.vector, p.vector)])
        signals = {
            "history": saturate(len(same_focus)),
            "country": saturate(len(same_country)),
            "offers": (offers + declared) / 2 if wanted else declared,
            "text": text,
        }
        score = sum(WEIGHTS[k] * v for k, v in signals.items())
        reasons = []
        if same_focus:
            areas = sorted(focus & {a for h in same_focus for a in h.focus_areas})
            reasons.append(
                Reason(
                    "history",
                    N_("{n} past partnerships on projects in {areas}"),
                    (("n", str(len(same_focus))), ("areas", _labels(framework.FOCUS_AREAS, areas))),
                )
            )
        if same_country:
            reasons.append(
                Reason(
                    "country",
                    N_("{n} past partnerships in {country}"),
                    (
                        ("n", str(len(same_country))),
                        ("country", framework.ASEAN_COUNTRIES.get(need.country, need.country)),
                    ),
                )
            )
        if wanted & set(p.offers):
            reasons.append(
                Reason(
                    "offers",
                    N_("offers {types}"),
                    (("types", _labels(framework.PARTNERSHIP_TYPES, sorted(wanted & set(p.offers)))),),
                )
            )
        if text >= 0.35:
            reasons.append(Reason("text", N_("similar work (text similarity {value})"), (("value", f"{text:.2f}"),)))
        out.append(Ranked(p.id, round(score, 4), signals, tuple(reasons)))
    return sorted(out, key=lambda r: (-r.score, r.id))


def rank_programmes(
    need: Need, programmes: Sequence[ProgrammeProfile], partner_scores: dict[int, float]
) -> list[Ranked]:
    """Programmes for ``need``: support types and focus areas covered, their text, their sponsor's fit."""
    focus, wanted = set(need.focus_areas), set(need.support_types)
    out = []
    for g in programmes:
        types = len(wanted & set(g.support_types)) / len(wanted) if wanted else 0.0
        areas = len(focus & set(g.focus_areas)) / len(focus) if focus else 0.0
        text = _cos(need.vector, g.vector)
        sponsor = partner_scores.get(g.sponsor_id or -1, 0.0)
        signals = {"offers": (types + areas) / 2 if wanted else areas, "text": text, "sponsor": sponsor}
        score = 0.5 * signals["offers"] + 0.25 * text + 0.25 * sponsor
        reasons = []
        if wanted & set(g.support_types):
            reasons.append(
                Reason(
                    "offers",
                    N_("supports {types}"),
                    (("types", _labels(framework.PARTNERSHIP_TYPES, sorted(wanted & set(g.support_types)))),),
                )
            )
        if focus & set(g.focus_areas):
            reasons.append(
                Reason(
                    "focus",
                    N_("covers {areas}"),
                    (("areas", _labels(framework.FOCUS_AREAS, sorted(focus & set(g.focus_areas)))),),
                )
            )
        if sponsor >= 0.3:
            reasons.append(
                Reason("sponsor", N_("its sponsor fits this need (score {value})"), (("value", f"{sponsor:.2f}"),))
            )
        out.append(Ranked(g.id, round(score, 4), signals, tuple(reasons)))
    return sorted(out, key=lambda r: (-r.score, r.id))


def rank_peers(need: Need, projects: Sequence[PeerProject]) -> list[Ranked]:
    """Other member cities that worked on a similar problem, by their most similar project and how far it got."""
    focus = set(need.focus_areas)
    best: dict[int, tuple[float, PeerProject, float]] = {}
    for pr in projects:
        if need.city_id is not None and pr.city_id == need.city_id:
            continue
        text = _cos(need.vector, pr.vector)
        overlap = len(focus & set(pr.focus_areas)) / len(focus) if focus else 0.0
        score = (0.7 * text + 0.3 * overlap) * STATUS_WEIGHT.get(pr.status, 0.3)
        if pr.city_id not in best or score > best[pr.city_id][0]:
            best[pr.city_id] = (score, pr, text)
    out = []
    for city_id, (score, pr, text) in best.items():
        reasons = (
            Reason(
                "solved",
                N_("{project} ({status}), text similarity {value}"),
                (
                    ("project", pr.title),
                    ("status", framework.PROJECT_STATUSES.get(pr.status, pr.status)),
                    ("value", f"{text:.2f}"),
                ),
            ),
        )
        out.append(Ranked(city_id, round(score, 4), {"text": text}, reasons, {"project_id": pr.id}))
    return sorted(out, key=lambda r: (-r.score, r.id))


def popularity(partners: Sequence[PartnerProfile], history: Sequence[Past]) -> list[int]:
    """The baseline: partner ids by number of past partnerships, most first (ties by id)."""
    counts: dict[int, int] = {p.id: 0 for p in partners}
    for h in history:
        if h.partner_id in counts:
            counts[h.partner_id] += 1
    return sorted(counts, key=lambda i: (-counts[i], i))
