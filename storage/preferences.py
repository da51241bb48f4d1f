"""Small per-user settings kept on this computer (not in the database): for now the folder a
family copy was last saved in, which means something only on the computer it was chosen on.

One JSON file per user and database, in ``preferences/`` in the user's data directory
(platformdirs; ``TANDEM_PREFERENCES_DIR`` overrides it), readable only by the user, written to a
temporary file and renamed over the old one. A missing or damaged file reads as "nothing
remembered"; a file that cannot be written is not an error for the user (the preference is only
a convenience), so ``set`` reports it by returning False.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

ENV_DIR = "TANDEM_PREFERENCES_DIR"


def default_directory() -> Path:
    configured = os.environ.get(ENV_DIR)
    if configured:
        return Path(configured)
    from platformdirs import user_data_dir

    return Path(user_data_dir("tandem", appauthor=False)) / "preferences"


class FilePreferences:
    def __init__(self, directory: Path, database: str) -> None:
        self.directory = Path(directory)
        self.database_tag = hashlib.sha256(database.encode("utf-8")).hexdigest()[:12]

    def _path(self, user_id: int) -> Path:
        return self.directory / f"{self.database_tag}-{int(user_id)}.json"

    def _read(self, user_id: int) -> dict[str, str]:
        try:
            data = json.loads(self._path(user_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def get(self, user_id: int, key: str) -> str | None:
        return self._read(user_id).get(key)

    def set(self, user_id: int, key: str, value: str) -> bool:
        data = self._read(user_id)
        data[key] = value
        path = self._path(user_id)
        temporary = path.with_suffix(".tmp")
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()
            return False
        return True
