"""Unsaved editor text kept on this computer when the database cannot take a draft.

One JSON file per user, database and editor key, in a directory only the user can enter
(0700), each file readable only by the user (0600), written to a temporary file, flushed to disk
and renamed over the old copy so a copy is never half written. The directory defaults to
``unsaved/`` in the user's data directory (platformdirs); ``TANDEM_UNSAVED_DIR`` overrides it.
Files are named by hashes, so no family or record name appears in a file name.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

from domain.audit import Draft

ENV_DIR = "TANDEM_UNSAVED_DIR"


def default_directory() -> Path:
    configured = os.environ.get(ENV_DIR)
    if configured:
        return Path(configured)
    from platformdirs import user_data_dir

    return Path(user_data_dir("tandem", appauthor=False)) / "unsaved"


def _digest(text: str, n: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


class FileLocalCopies:
    """Implements domain.services.drafts.LocalCopies with files in ``directory``."""

    def __init__(self, directory: Path, database: str) -> None:
        self.directory = Path(directory)
        #: Copies belong to one database: another database's copy is never offered.
        self.database_tag = _digest(database, 12)

    def _prefix(self, user_id: int) -> str:
        return f"{self.database_tag}-{int(user_id)}-"

    def path_for(self, user_id: int, key: str) -> Path:
        return self.directory / f"{self._prefix(user_id)}{_digest(key, 24)}.json"

    def write(self, draft: Draft) -> str:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)
        path = self.path_for(draft.user_id, draft.key)
        temporary = path.with_suffix(".tmp")
        body = json.dumps(
            {
                "user_id": draft.user_id,
                "key": draft.key,
                "content": draft.content,
                "saved_at": draft.saved_at.isoformat(),
                "base_revision": draft.base_revision,
            }
        ).encode("utf-8")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            view = memoryview(body)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
        os.close(fd)
        os.replace(temporary, path)
        return str(path)

    def _load(self, path: Path) -> Draft | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return Draft(
                user_id=int(data["user_id"]),
                key=str(data["key"]),
                content=str(data["content"]),
                saved_at=datetime.fromisoformat(str(data["saved_at"])),
                base_revision=data.get("base_revision"),
            )
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            return None  # not ours, or damaged: never offered as text

    def read(self, user_id: int, key: str) -> Draft | None:
        draft = self._load(self.path_for(user_id, key))
        if draft is None or draft.key != key or draft.user_id != user_id:
            return None
        return draft

    def delete(self, user_id: int, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path_for(user_id, key).unlink()

    def for_user(self, user_id: int) -> list[Draft]:
        if not self.directory.is_dir():
            return []
        found = []
        for path in sorted(self.directory.glob(f"{self._prefix(user_id)}*.json")):
            draft = self._load(path)
            if draft is not None and draft.user_id == user_id:
                found.append(draft)
        return found
