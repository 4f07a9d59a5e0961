"""Asylum procedures: routing to the border, accelerated, regular or admissibility procedure,
the case workflow with its deadlines, decisions and appeals (APR, Regulation (EU) 2024/1348;
before 12 June 2026 the Asylum Procedures Directive 2013/32/EU).

Pure domain: the standard library, ``pactum.common``, ``pactum.law`` and pydantic only.
"""
