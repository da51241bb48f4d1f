"""The one family of errors the domain raises. Every message is written for the person at the keyboard."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a user may see. ``str(err)`` is a complete, readable sentence."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(DomainError):
    """A value is not acceptable. ``field`` names the field the user must correct."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


class NotFound(DomainError):
    """The record asked for does not exist (or no longer exists)."""


class AccessDenied(DomainError):
    """The signed-in user may not do this. The denial itself is audited."""


class SignedOut(AccessDenied):
    """The acting user's account is no longer active (an administrator deactivated or removed it):
    the app signs them out. Raised by every service call, before it decides anything."""


class Conflict(DomainError):
    """Someone else saved the same record since it was opened; nothing was overwritten."""

    def __init__(self, message: str, *, current_revision: int | None = None) -> None:
        super().__init__(message)
        self.current_revision = current_revision
