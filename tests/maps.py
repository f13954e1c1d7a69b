"""Checks that browser tests run on Leaflet maps in the page (JavaScript for Playwright's ``wait_for_function``)."""

from __future__ import annotations


def no_label_overlaps(map_id: str) -> str:
    """True once the map ``map_id`` has placed its area labels (map-labels.js) and no two labels shown overlap."""
    return f"""() => {{
  const map = document.getElementById('{map_id}');
  const boxes = [...map.querySelectorAll('.kc-area-label')]
    .filter((e) => getComputedStyle(e).visibility !== 'hidden')
    .map((e) => e.getBoundingClientRect());
  const clash = boxes.some((a, i) => boxes.some((b, j) => j > i &&
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom));
  return boxes.length > 0 && !clash && map.dataset.labelsHidden !== undefined;
}}"""
