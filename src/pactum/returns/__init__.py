"""Returns: return decisions, shared return alerts, mutual recognition, return operations.

Pure domain code (no database, no web): the lifecycle of each record as explicit transition
tables, the legal checks on voluntary departure and entry bans (Directive 2008/115/EC Arts 7 and
11, Regulation (EU) 2024/1349), the SIS return-alert fields (Regulation (EU) 2018/1860 Art 4),
the eligibility of a person for a return operation, and return statistics counted as Eurostat
counts them (``migr_eiord`` / ``migr_eirtn``). Every legal number comes from ``pactum.law``.
"""
