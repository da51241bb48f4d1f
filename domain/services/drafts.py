"""Autosaved editor text, so nothing typed is lost (SPEC §5).

A draft belongs only to the signed-in user: every call works on ``ctx.user``'s drafts and no
other user's. ``key`` names what is being edited (for example ``"summary:12"`` or
``"plan:family:3"``); the editors choose it. Drafts are the user's own unsaved text, so saving one
is not audited (an audit event every few seconds of typing would drown the log); the save of the
record itself is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.access import require_user
from domain.audit import Draft
from domain.errors import ValidationError
from domain.services.context import Context

MAX_KEY = 200
MAX_CONTENT = 2_000_000


class LocalCopies(Protocol):
    """Copies of unsaved text kept on this computer, outside the database, readable only by the
    user: where the text goes when the database cannot take a draft (disk full, text too long
    for a draft, database unreachable). Methods raise OSError when the copy cannot be kept."""

    def write(self, draft: Draft) -> str:
        """Keep ``draft`` (replacing any copy for its user and key); returns where it is."""
        ...

    def read(self, user_id: int, key: str) -> Draft | None: ...

    def delete(self, user_id: int, key: str) -> None: ...

    def for_user(self, user_id: int) -> list[Draft]: ...


@dataclass(frozen=True)
class KeptText:
    """Where an editor's unsaved text was kept, said plainly."""

    in_database: bool
    #: Where the copy on this computer is, when one was written.
    local_copy: str | None = None
    #: Why the database could not keep it ('' when it did).
    failure: str = ""

    @property
    def kept(self) -> bool:
        return self.in_database or self.local_copy is not None

    def message(self) -> str:
        if self.in_database:
            return "Your unsaved text is kept as a draft and offered back next time."
        if self.local_copy is not None:
            return (
                f"Your text could not be saved as a draft ({self.failure}). It is still in the "
                f"editor, and a copy was written on this computer ({self.local_copy}); it is "
                "offered back when you open this again."
            )
        return (
            f"Your text could not be kept anywhere ({self.failure}). It is still in the editor "
            "only: copy it somewhere safe, or save it, before you close."
        )


def failure_reason(error: BaseException) -> str:
    """A short reason for a failed draft write: the domain's own message, or the first line of
    a database or system error without its driver prefix."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if text.startswith("(") and ") " in text:
        text = text.split(") ", 1)[1]
    return text[:200]


def keep_text(
    ctx: Context,
    copies: LocalCopies | None,
    key: str,
    content: str,
    base_revision: int | None = None,
) -> KeptText:
    """Keep an editor's text: as the user's draft in the database, or, when that fails for any
    reason, as a local copy. Never raises for a failed write: the result says what was kept."""
    try:
        draft = autosave(ctx, key, content, base_revision)
    except Exception as exc:  # noqa: BLE001 - every failure is reported, and the text kept
        reason = failure_reason(exc)
        if copies is None or ctx.user is None or ctx.user.id is None:
            return KeptText(False, None, reason)
        local = Draft(
            user_id=ctx.user.id,
            key=(key or "").strip(),
            content=content,
            saved_at=ctx.clock.now(),
            base_revision=base_revision,
        )
        try:
            where = copies.write(local)
        except Exception as copy_exc:  # noqa: BLE001 - said to the user, never hidden
            return KeptText(
                False,
                None,
                f"{reason}; the copy on this computer failed too: {failure_reason(copy_exc)}",
            )
        return KeptText(False, where, reason)
    if copies is not None:
        try:
            copies.delete(draft.user_id, draft.key)  # the database now holds newer text
        except OSError:
            pass
    return KeptText(True)


def newest_unsaved(ctx: Context, copies: LocalCopies | None, key: str) -> tuple[Draft | None, bool]:
    """The newest unsaved text for ``key``: the database draft or the local copy, whichever is
    newer, and whether it is the local copy. A database that cannot be read still lets the
    local copy be offered back."""
    try:
        draft = get_draft(ctx, key)
    except Exception:  # noqa: BLE001 - the local copy may still be there
        if copies is None:
            raise
        draft = None
    local: Draft | None = None
    if copies is not None and ctx.user is not None and ctx.user.id is not None:
        try:
            local = copies.read(ctx.user.id, _key(key))
        except OSError:
            local = None
    if local is not None and (draft is None or _newer(local.saved_at, draft.saved_at)):
        return local, True
    return draft, False


def _newer(a: datetime, b: datetime) -> bool:
    try:
        return a >= b
    except TypeError:  # one aware, one naive: compare as written
        return a.replace(tzinfo=None) >= b.replace(tzinfo=None)


def forget_local_copy(ctx: Context, copies: LocalCopies | None, key: str) -> None:
    """Delete this user's local copy for ``key`` (once the text is saved or discarded)."""
    if copies is None or ctx.user is None or ctx.user.id is None:
        return
    try:
        copies.delete(ctx.user.id, _key(key))
    except OSError:
        pass


_KINDS = {
    "summary": "a case summary",
    "plan": "a family plan",
    "mapping": "a mapping",
    "scaling": "a scaling",
    "contact": "a contact",
    "meeting": "a network meeting",
    "observation": "a recording",
    "feedback": "feedback on a recording",
    "feedback-reply": "a reply to feedback",
    "review": "a summary review",
}


def describe_key(key: str) -> str:
    """What an editor key names, in words ("summary:12" -> "a case summary")."""
    return _KINDS.get(key.split(":", 1)[0], "a record")


def local_copies_notice(drafts: list[Draft]) -> str:
    """The words shown at sign-in when text is waiting on this computer ('' when none)."""
    if not drafts:
        return ""
    kinds = sorted({describe_key(d.key) for d in drafts})
    count = "1 unsaved text" if len(drafts) == 1 else f"{len(drafts)} unsaved texts"
    return (
        f"{count} ({', '.join(kinds)}) could not be saved as drafts and were kept on this "
        "computer. Open the same editor again to have each offered back."
    )


def local_copies_of(ctx: Context, copies: LocalCopies | None) -> list[Draft]:
    """The signed-in user's texts kept on this computer, newest first (shown at sign-in)."""
    if copies is None or ctx.user is None or ctx.user.id is None:
        return []
    try:
        found = copies.for_user(ctx.user.id)
    except OSError:
        return []
    return sorted(found, key=lambda d: d.saved_at, reverse=True)


def _key(key: str) -> str:
    text = (key or "").strip()
    if not text:
        raise ValidationError("key", "A draft needs a key naming what is being edited.")
    if len(text) > MAX_KEY:
        raise ValidationError("key", f"A draft key must be at most {MAX_KEY} characters.")
    return text


def autosave(ctx: Context, key: str, content: str, base_revision: int | None = None) -> Draft:
    """Store (or replace) the user's draft for ``key``. ``base_revision`` is the revision of the
    record the text was started from; when not given, the one already stored is kept."""
    key = _key(key)
    if content is None:
        content = ""
    if len(content) > MAX_CONTENT:
        raise ValidationError(
            "content", f"The text is too long to keep as a draft ({len(content)} characters)."
        )
    with ctx.uow() as uow:
        user = require_user(ctx, uow)
        if base_revision is None:
            existing = uow.drafts.get(user.saved_id, key)
            if existing is not None:
                base_revision = existing.base_revision
        draft = Draft(
            user_id=user.saved_id,
            key=key,
            content=content,
            saved_at=ctx.clock.now(),
            base_revision=base_revision,
        )
        uow.drafts.put(draft)
        uow.commit()
    return draft


def get_draft(ctx: Context, key: str) -> Draft | None:
    key = _key(key)
    with ctx.uow() as uow:
        user = require_user(ctx, uow)
        return uow.drafts.get(user.saved_id, key)


def discard_draft(ctx: Context, key: str) -> None:
    key = _key(key)
    with ctx.uow() as uow:
        user = require_user(ctx, uow)
        uow.drafts.delete(user.saved_id, key)
        uow.commit()


def my_drafts(ctx: Context) -> list[Draft]:
    """The user's drafts, most recently saved first."""
    with ctx.uow() as uow:
        user = require_user(ctx, uow)
        drafts = uow.drafts.for_user(user.saved_id)
    return sorted(drafts, key=lambda d: (d.saved_at, d.key), reverse=True)
