"""The HTTP API under /api/v1 (FastAPI). Routes build commands or call queries; no rule lives here."""
