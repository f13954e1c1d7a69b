"""Import every table of every domain so that the metadata is complete (migrations, tests)."""

from kotacerdas.core import models as core_models  # noqa: F401
