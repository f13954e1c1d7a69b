"""Road Manager storage: its tables and the read queries of road conditions."""
