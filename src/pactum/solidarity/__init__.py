"""Solidarity: the annual pool, fair shares, pledges against needs, relocation matching, transfers.

Pure domain package (AMMR Part IV, Arts 56-69; Annex I). Legal numbers come from ``pactum.law``;
the optimiser uses the HiGHS solver library (see :mod:`pactum.solidarity.optimiser`).
"""
