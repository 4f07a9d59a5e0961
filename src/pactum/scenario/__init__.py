"""The synthetic demo world, calibrated on real statistics, for demos, tests and benchmarks.

``build(services, scale, seed)`` runs every step in ``pactum.scenario.steps`` in order; each area
adds its own step. Deterministic for a seed.
"""
