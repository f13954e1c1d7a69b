"""The ASCN registry's storage: tables and the queries that turn rows into records."""
