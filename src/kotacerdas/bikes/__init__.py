"""Bike Sharing: docked bike-share operations, payments ledger, GBFS feeds and rebalancing."""
