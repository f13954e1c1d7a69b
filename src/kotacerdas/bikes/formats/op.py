"""The standard orienteering benchmark format (Tsiligirides, Chao et al.): a reader and the Euclidean problem.

A file's first line is ``Tmax P`` (the time budget and the number of paths, 1 here); every other
non-empty line is ``x y S`` (coordinates and score) of a point. Point 0 is the start, point 1 the
end; distances are Euclidean. A malformed file raises :class:`~kotacerdas.bikes.errors.BikesError`
naming the line (and column) and what is wrong with it, in the reader's language, with ``line`` and
``column`` as fields of the API's problem document; a file that is not UTF-8 text, or cannot be
opened, is named with the reason in the reader's language too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.orienteering import Problem, Solution
from kotacerdas.core.i18n import N_


@dataclass(frozen=True)
class OpInstance:
    """An orienteering instance: budget, points (x, y) and scores; point 0 the start, point 1 the end."""

    budget: float
    paths: int
    xy: np.ndarray
    score: np.ndarray

    def distances(self) -> np.ndarray:
        d = self.xy[:, None, :] - self.xy[None, :, :]
        return np.sqrt((d**2).sum(axis=2))

    def problem(self) -> Problem:
        return Problem(travel=self.distances(), score=self.score.astype(float), start=0, end=1, budget=self.budget)

    def length(self, route: list[int] | tuple[int, ...]) -> float:
        d = self.distances()
        return float(sum(d[a, b] for a, b in zip(route[:-1], route[1:], strict=True)))

    def answer(self, solution: Solution) -> dict:
        """``{"score", "route", "length"}`` as ``kotacerdas bikes tour solve-op --json`` prints it."""
        route = list(solution.route)
        return {
            "score": round(float(self.score[route].sum()), 6),
            "route": route,
            "length": round(self.length(route), 6),
        }


def _number(text: str, line: int, column: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BikesError(
            N_("line {line}, column {column}: {value} is not a number"),
            field="file",
            line=line,
            column=column,
            value=text[:40],
            extra={"line": line, "column": column},
        ) from None
    if not math.isfinite(value):
        raise BikesError(
            N_("line {line}, column {column}: {value} is not a number"),
            field="file",
            line=line,
            column=column,
            value=text[:40],
            extra={"line": line, "column": column},
        )
    return value


def parse_op(text: str) -> OpInstance:
    """An :class:`OpInstance` from the text of an OP file."""
    lines = [(i + 1, ln.split()) for i, ln in enumerate(text.splitlines()) if ln.strip()]
    if not lines:
        raise BikesError(N_("the orienteering file is empty"), field="file")
    head_line, head = lines[0]
    if len(head) != 2:
        raise BikesError(
            N_("line {line}: the first line must be 'Tmax P' (two numbers)"),
            field="file",
            line=head_line,
            extra={"line": head_line},
        )
    budget = _number(head[0], head_line, 1)
    paths = _number(head[1], head_line, 2)
    if budget < 0 or paths != 1:
        raise BikesError(
            N_("line {line}: the budget must be positive and the number of paths 1"),
            field="file",
            line=head_line,
            extra={"line": head_line},
        )
    xy, score = [], []
    for line, parts in lines[1:]:
        if len(parts) != 3:
            raise BikesError(
                N_("line {line}: a point needs three numbers 'x y score', found {count}"),
                field="file",
                line=line,
                count=len(parts),
                extra={"line": line},
            )
        x, y, s = (_number(parts[k], line, k + 1) for k in range(3))
        if s < 0:
            raise BikesError(
                N_("line {line}: a score cannot be negative"), field="file", line=line, extra={"line": line}
            )
        xy.append((x, y))
        score.append(s)
    if len(xy) < 2:
        raise BikesError(N_("the orienteering file needs a start and an end point"), field="file")
    inst = OpInstance(budget, int(paths), np.array(xy, dtype=float), np.array(score, dtype=float))
    if inst.distances()[0, 1] > budget + 1e-9:
        raise BikesError(
            N_("the end point is {distance} away from the start: more than the budget {budget}"),
            field="file",
            distance=round(float(inst.distances()[0, 1]), 3),
            budget=budget,
        )
    return inst


def read_op(path: str | Path) -> OpInstance:
    """Read an OP file (:class:`BikesError` when it is missing or malformed)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BikesError(N_("the orienteering file {file} does not exist"), field="file", file=path.name) from None
    except IsADirectoryError:
        raise BikesError(
            N_("the orienteering file {file} is a folder, not a file"), field="file", file=path.name
        ) from None
    except PermissionError:
        raise BikesError(
            N_("the orienteering file {file} may not be read (permission denied)"), field="file", file=path.name
        ) from None
    except OSError:
        raise BikesError(N_("the orienteering file {file} cannot be read"), field="file", file=path.name) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BikesError(
            N_("the orienteering file {file} is not UTF-8 text: line {line} has a byte that cannot be read"),
            field="file",
            file=path.name,
            line=line,
            extra={"line": line},
        ) from None
    return parse_op(text)
