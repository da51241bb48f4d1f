"""Cancelling a save the user stopped waiting for, before anything is written.

A save can wait for the database (SQLite has one writer at a time: an import, or someone else's
save). The screen shows "saving…" and lets the user cancel with escape; the thread doing the save
cannot be interrupted while it waits, so instead it is asked, once it has its turn, whether it is
still wanted. ``cancelled()`` answers for the current thread: the UI's worker installs the question
(``asking``), and the unit of work asks it after taking the write lock and again just before
committing. A cancelled save raises :class:`SaveCancelled` and writes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from domain.errors import DomainError

_local = threading.local()


class SaveCancelled(DomainError):
    """The user cancelled the save while it waited: nothing was written."""

    def __init__(self) -> None:
        super().__init__(
            "The save was cancelled while it waited for the database, so nothing was saved. "
            "Your text is still here: ctrl+s saves it."
        )


@contextmanager
def asking(is_cancelled: Callable[[], bool]) -> Iterator[None]:
    """Within the block, this thread's units of work ask ``is_cancelled`` before writing."""
    previous = getattr(_local, "check", None)
    _local.check = is_cancelled
    try:
        yield
    finally:
        _local.check = previous


def cancelled() -> bool:
    check = getattr(_local, "check", None)
    return bool(check and check())


def raise_if_cancelled() -> None:
    if cancelled():
        raise SaveCancelled()


__all__ = ["SaveCancelled", "asking", "cancelled", "raise_if_cancelled"]
