"""The one progress bar of the platform (long imports and processing jobs).

Quiet when the output is not a terminal or when ``KOTACERDAS_PROGRESS=0``, so
tests and ``--json`` output stay clean.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def progress(items: Iterable[T], *, total: int | None = None, label: str = "") -> Iterator[T]:
    """Yield ``items`` while showing a progress bar on an interactive terminal."""
    if os.environ.get("KOTACERDAS_PROGRESS", "1") == "0" or not sys.stderr.isatty():
        yield from items
        return
    from rich.progress import track

    yield from track(items, total=total, description=label or "…", transient=True)
