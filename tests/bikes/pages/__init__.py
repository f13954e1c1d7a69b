"""Tests of kotacerdas.bikes.pages: the rider's and the operator's screens."""
