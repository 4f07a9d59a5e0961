"""Pactum: the EU's migration and asylum management system as one open-source platform."""

__version__ = "0.1.0"
