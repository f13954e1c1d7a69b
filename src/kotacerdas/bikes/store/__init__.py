"""Bike Sharing's storage: the tables, rows turned into domain records and back, and the rental hot path's SQL."""
