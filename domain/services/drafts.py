"""Autosaved editor text, so nothing typed is lost (SPEC §5).

A draft belongs only to the signed-in user: every call works on ``ctx.user``'s drafts and no
other user's. ``key`` names what is being edited (for example ``"summary:12"`` or
``"plan:family:3"``); the editors choose it. Drafts are the user's own unsaved text, so saving one
is not audited (an audit event every few seconds of typing would drown the log); the save of the
record itself is.
"""

from __future__ import annotations

from domain.access import require_user
from domain.audit import Draft
from domain.errors import ValidationError
from domain.services.context import Context

MAX_KEY = 200
MAX_CONTENT = 2_000_000


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
            existing = uow.drafts.get(user.id, key)
            if existing is not None:
                base_revision = existing.base_revision
        draft = Draft(
            user_id=user.id,
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
        return uow.drafts.get(user.id, key)


def discard_draft(ctx: Context, key: str) -> None:
    key = _key(key)
    with ctx.uow() as uow:
        user = require_user(ctx, uow)
        uow.drafts.delete(user.id, key)
        uow.commit()


def my_drafts(ctx: Context) -> list[Draft]:
    """The user's drafts, most recently saved first."""
    with ctx.uow() as uow:
        user = require_user(ctx, uow)
        drafts = uow.drafts.for_user(user.id)
    return sorted(drafts, key=lambda d: (d.saved_at, d.key), reverse=True)
