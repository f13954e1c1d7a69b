"""Bike Sharing's file formats: the orienteering benchmark format, and route files (GPX, GeoJSON, KML)."""
