"""Tests of kotacerdas.bikes.store: tables, rows and the database's own guards."""
