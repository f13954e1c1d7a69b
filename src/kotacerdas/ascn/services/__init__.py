"""The ASCN use cases: each public function is one unit of work over a session (or an engine for long work)."""
