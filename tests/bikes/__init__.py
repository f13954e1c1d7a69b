"""Tests of Bike Sharing (kotacerdas.bikes), laid out like the package."""
