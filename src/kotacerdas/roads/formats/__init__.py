"""Survey file formats: the readers of phone survey exports and the kotacerdas survey package."""
