"""ASEAN Smart Cities Network: member cities, projects, partners and good practices."""
