"""QR codes (PNG and SVG) that link a unit's sign on the street to its public page, made with segno."""

from __future__ import annotations

import io

import segno


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """A PNG QR code of ``url`` (error correction M, a four-module quiet zone)."""
    buf = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buf, kind="png", scale=scale, border=4)
    return buf.getvalue()


def qr_svg(url: str, *, scale: int = 8, title: str = "") -> bytes:
    """An SVG QR code of ``url``, with an accessible title."""
    buf = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buf, kind="svg", scale=scale, border=4, title=title or url, xmldecl=True, svgns=True
    )
    return buf.getvalue()
