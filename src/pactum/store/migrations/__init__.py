"""Alembic migrations. One branch per area off ``0001_foundation``; ``upgrade heads`` applies all."""
