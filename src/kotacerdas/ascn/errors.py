"""The ASCN domain's one error type."""

from __future__ import annotations

from kotacerdas.core.errors import KotacerdasError


class AscnError(KotacerdasError):
    """Bad input or a refused change in the ASCN registry, knowledge base or matchmaker (400 unless told)."""


class ImportProblems(AscnError):
    """A spreadsheet with bad rows: ``problems`` lists each one (sheet and row, column, reason)."""

    def __init__(self, message: str, problems: list[dict], **params) -> None:
        super().__init__(message, **params)
        self.problems = problems
