"""The one pagination of every list endpoint: ``limit`` and ``offset`` in, done in SQL; totals and links out.

A route builds a ``select()`` with its filters and order and hands it to :func:`paginate`
(a JSON list: ``{"items", "total", "links"}``) or :func:`paginate_features` (a GeoJSON
FeatureCollection with ``numberMatched``, ``numberReturned`` and ``links``, as OGC API
Features does). Both count and slice in the database: no route loads every row to page in
Python.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kotacerdas.core.geometry import feature_collection
from kotacerdas.http.urls import public_url

MAX_LIMIT = 1000
T = TypeVar("T")


class Link(BaseModel):
    """A link of a paged list (``self``, ``next``, ``prev``) with the media type it answers."""

    rel: str
    href: str
    type: str = Field("application/json", description="application/json, or application/geo+json for GeoJSON")


class Paged(BaseModel, Generic[T]):
    """One page of a list: the items, how many there are in all, and links to the neighbouring pages."""

    items: list[T]
    total: int = Field(description="Items matching the filters, over all pages")
    links: list[Link] = Field(default_factory=list)


@dataclass(frozen=True)
class Page:
    """The requested page: ``limit`` items after skipping ``offset``."""

    limit: int
    offset: int

    def links(self, request: Request, total: int, media_type: str = "application/json") -> list[dict[str, str]]:
        """``self``, and ``next``/``prev`` where they exist."""

        def href(**params: int) -> str:
            url = request.url.include_query_params(**params) if params else request.url
            return public_url(request, url.path + (f"?{url.query}" if url.query else ""))

        out = [{"rel": "self", "href": href(), "type": media_type}]
        if self.offset + self.limit < total:
            out.append(
                {"rel": "next", "href": href(offset=self.offset + self.limit, limit=self.limit), "type": media_type}
            )
        if self.offset > 0:
            prev = href(offset=max(0, self.offset - self.limit), limit=self.limit)
            out.append({"rel": "prev", "href": prev, "type": media_type})
        return out


def page_params(
    limit: int = Query(100, ge=1, le=MAX_LIMIT, description="Items per page"),
    offset: int = Query(0, ge=0, description="Items to skip"),
) -> Page:
    """The ``limit`` and ``offset`` query parameters of a list endpoint."""
    return Page(limit=limit, offset=offset)


def count(session: Session, stmt: Select) -> int:
    """How many rows ``stmt`` selects (its order dropped)."""
    return int(session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)


def fetch_page(session: Session, stmt: Select, page: Page, *, scalars: bool = True) -> tuple[Sequence[Any], int]:
    """The rows of ``page`` (ORM objects with ``scalars``, else row tuples) and the total."""
    total = count(session, stmt)
    sliced = stmt.limit(page.limit).offset(page.offset)
    rows: list[Any] = []
    if scalars:
        rows.extend(session.scalars(sliced))
    else:
        rows.extend(session.execute(sliced))
    return rows, total


def paginate(
    session: Session,
    stmt: Select,
    page: Page,
    request: Request,
    item: Callable[[Any], Any] = lambda row: row,
    *,
    scalars: bool = True,
) -> dict[str, Any]:
    """``{"items": [item(row) ...], "total": N, "links": [...]}`` for one page of ``stmt``."""
    rows, total = fetch_page(session, stmt, page, scalars=scalars)
    return {"items": [item(r) for r in rows], "total": total, "links": page.links(request, total)}


def paginate_features(
    session: Session,
    stmt: Select,
    page: Page,
    request: Request,
    feature: Callable[[Any], dict[str, Any]],
    *,
    scalars: bool = True,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of one page of ``stmt`` (``numberMatched``, ``numberReturned``, ``links``)."""
    rows, total = fetch_page(session, stmt, page, scalars=scalars)
    features = [feature(r) for r in rows]
    return feature_collection(
        features,
        numberMatched=total,
        numberReturned=len(features),
        links=page.links(request, total, "application/geo+json"),
    )
