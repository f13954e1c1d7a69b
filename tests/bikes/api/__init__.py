"""Tests of kotacerdas.bikes.api: the JSON API and the GBFS routes."""
