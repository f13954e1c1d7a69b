"""Pagination of list endpoints: ``limit`` and ``offset`` in, totals and links out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Query, Request

MAX_LIMIT = 1000


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int

    def slice(self, rows: list[Any]) -> list[Any]:
        return rows[self.offset : self.offset + self.limit]

    def links(self, request: Request, total: int) -> list[dict[str, str]]:
        out = [{"rel": "self", "href": str(request.url), "type": "application/json"}]
        if self.offset + self.limit < total:
            nxt = request.url.include_query_params(offset=self.offset + self.limit, limit=self.limit)
            out.append({"rel": "next", "href": str(nxt), "type": "application/json"})
        if self.offset > 0:
            prev = request.url.include_query_params(offset=max(0, self.offset - self.limit), limit=self.limit)
            out.append({"rel": "prev", "href": str(prev), "type": "application/json"})
        return out


def page_params(
    limit: int = Query(100, ge=1, le=MAX_LIMIT, description="Items per page"),
    offset: int = Query(0, ge=0, description="Items to skip"),
) -> Page:
    return Page(limit=limit, offset=offset)
