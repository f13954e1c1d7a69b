"""Road Manager: road network, vehicle sensor surveys, roughness (IRI) and road condition."""
