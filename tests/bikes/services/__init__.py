"""Tests of kotacerdas.bikes.services: the use cases as database transactions."""
