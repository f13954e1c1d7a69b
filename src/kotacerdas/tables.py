"""Import every table of the platform and of every domain, so that the metadata is complete (migrations, tests).

Only table modules are imported: no web framework, no command line, no model runtime.
"""

from kotacerdas.core.registry import load_tables

load_tables()
