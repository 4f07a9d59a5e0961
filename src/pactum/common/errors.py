"""Errors every layer understands.

Entrypoints translate them: ``ValidationProblem`` -> HTTP 422 / CLI exit 2, ``NotFound`` -> 404,
``Conflict`` -> 409, ``Forbidden`` -> 403, ``TooManyAttempts`` -> 429.
"""

from __future__ import annotations

from collections.abc import Iterable


class PactumError(Exception):
    """Base class of the errors the entrypoints translate."""


class ValidationProblem(PactumError):
    """Input that cannot be accepted; each problem names the field (dotted path) and what is wrong."""

    def __init__(self, problems: Iterable[tuple[str, str]]):
        self.problems: list[tuple[str, str]] = list(problems)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.problems))

    @classmethod
    def one(cls, field: str, message: str) -> ValidationProblem:
        return cls([(field, message)])


class NotFound(PactumError):
    """The thing does not exist, or the user may not know that it exists."""


class Conflict(PactumError):
    """A stale version, a duplicate, or a transition the current state does not allow."""


class Forbidden(PactumError):
    """The user is known but lacks the role for this action."""


class Unauthenticated(PactumError):
    """No valid credentials."""


class TooManyAttempts(PactumError):
    """Too many failed attempts in a short time: refused until the time the message says, which is
    ``retry_after`` seconds from now (the ``Retry-After`` header of the answer, RFC 9110 10.2.3)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


def plain_message(msg: str) -> str:
    """A pydantic error's message as a reader reads it: a check of ours that raised ``ValueError``
    comes as ``Value error, 'SYX' is not …``; the API, the web pages and the CLI say
    ``'SYX' is not …``."""
    return msg.removeprefix("Value error, ")
