"""Domain exceptions raised by services, and how they become HTTP answers (one place for all of them)."""

from typing import Any


class DomainError(Exception):
    """Base for errors a user can understand; ``message`` is already translated."""

    status_code = 400

    def __init__(self, message: str, *, detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class InvalidInput(DomainError):
    """The request is well-formed but not acceptable (422)."""

    status_code = 422

    @classmethod
    def at(cls, field: str, message: str) -> "InvalidInput":
        """The value of one field is refused: ``detail`` names the field, so a page shows ``message`` at it."""
        return cls(message, detail=[{"field": field, "message": message}])


class NotAuthenticated(DomainError):
    """No valid login (401)."""

    status_code = 401


class Forbidden(DomainError):
    """Logged in, but this role may not do this (403)."""

    status_code = 403


class NotFound(DomainError):
    """Nothing here, or nothing this user may know exists (404)."""

    status_code = 404


class Conflict(DomainError):
    """The change conflicts with the current state (409); ``detail`` may carry both versions."""

    status_code = 409


class TooManyRequests(DomainError):
    """Rate limited (429)."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
