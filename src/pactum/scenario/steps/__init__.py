"""Scenario steps, one module per area, each exposing ``STEP``."""
