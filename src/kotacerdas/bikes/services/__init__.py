"""Bike Sharing's use cases: each one database transaction that loads rows, applies the domain's rules and stores
what they return (rentals, payments, the fleet, systems and stations, insights, the GBFS feed cache)."""
