"""The road network shared by the domains: OpenStreetMap import and the routable graph."""
