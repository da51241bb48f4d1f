"""Records whose id the database gives them when they are first saved.

Such a record's ``id`` is ``None`` until it is saved, so it is typed ``int | None``. A record
that was loaded (or has just been saved) has one: ``saved_id`` is that id, typed ``int``, for
the code that works with stored records -- which is most of it.
"""

from __future__ import annotations


class Stored:
    """Mixin for a dataclass with an ``id: int | None = None`` field (this annotation is no
    field of its own: a dataclass takes fields from its own annotations and dataclass bases)."""

    id: int | None

    @property
    def saved_id(self) -> int:
        """The id of this record as stored; it is a programming error to ask it of an unsaved
        record (said so at once, rather than a query for id None finding nothing)."""
        if self.id is None:
            raise LookupError(f"this {type(self).__name__} has not been saved yet: it has no id")
        return self.id
