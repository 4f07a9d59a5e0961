"""Table definitions, one module per area, all on the shared ``metadata``.

Importing this package imports every area module so that ``metadata`` is complete (Alembic's
autogenerate check and the test schema rely on it).
"""

import importlib
import pkgutil

from pactum.store.tables.base import metadata

for _mod in pkgutil.iter_modules(__path__):
    if _mod.name != "base":
        importlib.import_module(f"{__name__}.{_mod.name}")

__all__ = ["metadata"]
