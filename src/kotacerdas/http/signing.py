"""Signed cookies for web sessions (the token inside is checked against the database)."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer


class CookieSigner:
    def __init__(self, secret: str) -> None:
        self._s = URLSafeSerializer(secret, salt="kotacerdas-session")

    def dumps(self, token: str) -> str:
        return self._s.dumps(token)

    def loads_or_none(self, value: str) -> str | None:
        try:
            out = self._s.loads(value)
        except BadSignature:
            return None
        return out if isinstance(out, str) else None
