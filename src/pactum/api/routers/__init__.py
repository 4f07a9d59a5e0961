"""One router per area; every module here exposing ``router`` is mounted under /api/v1."""
