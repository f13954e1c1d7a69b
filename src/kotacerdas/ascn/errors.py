"""The ASCN domain's one error type."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_


class AscnError(KotacerdasError):
    """Bad input or a refused change in the ASCN registry, knowledge base or matchmaker (400 unless told)."""


class ImportProblems(AscnError):
    """A spreadsheet with bad rows: ``problems`` lists each one (sheet and row, column, reason)."""

    def __init__(self, message: str, problems: list[dict], **params) -> None:
        super().__init__(message, **params)
        self.problems = problems


class FieldErrors(AscnError):
    """Several fields of one record are wrong: ``errors`` holds each (its field and reason), ``problems`` lists
    them for problem details; the message names them all."""

    def __init__(self, errors: list[KotacerdasError]) -> None:
        self.errors = errors
        super().__init__(N_("{n} fields are wrong"), field=errors[0].field, n=len(errors))
        self.status = max(e.status for e in errors)
        self.problems = [{"record": None, "field": e.field, "error": e} for e in errors]

    def render(self, lang: str = "en") -> str:
        return "; ".join(e.render(lang) for e in self.errors)


class Checks:
    """Collects the errors of a record's fields, so that one answer names every bad field::

    checks = Checks()
    with checks.field():
        ...  # a check that may raise
    checks.done()  # raises the one error, or FieldErrors with all of them
    """

    def __init__(self) -> None:
        self.errors: list[KotacerdasError] = []

    @contextmanager
    def field(self) -> Iterator[None]:
        try:
            yield
        except FieldErrors as exc:
            self.errors.extend(exc.errors)
        except KotacerdasError as exc:
            self.errors.append(exc)

    def failed(self, field: str) -> bool:
        """Whether a check of ``field`` failed already."""
        return any(e.field == field for e in self.errors)

    def done(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise FieldErrors(self.errors)
