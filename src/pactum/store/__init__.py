"""Adapters: SQLAlchemy tables, Alembic migrations, engines. Nothing above ``services`` imports this."""
