"""Import every table of every domain so that the metadata is complete (migrations, tests)."""

from kotacerdas.core import models as core_models  # noqa: F401
from kotacerdas.domains import plugins

for _name, _plugin in plugins():
    getattr(_plugin, "tables", None)
