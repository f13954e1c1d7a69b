"""Lorong Wisata: alleys as community spaces, activities, indicators and rankings."""
