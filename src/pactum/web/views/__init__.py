"""Web views, one module per area; each exposes ``router`` and ``NAV``."""
