"""Command handlers and queries per area, the unit of work, authorisation and audit."""
