"""CLI groups, one module per area: each exposes ``app`` (a Typer group) or ``COMMANDS``."""
