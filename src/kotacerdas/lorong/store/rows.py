"""One row by its primary key when the schema guarantees it exists (a foreign key points to it)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")


def must_get(session: Session, model: type[T], key: Any) -> T:
    """``session.get(model, key)``, for a row a foreign key guarantees; a missing one is a bug (LookupError)."""
    found = session.get(model, key)
    if found is None:
        raise LookupError(f"{model.__name__} {key!r} is missing")
    return found
