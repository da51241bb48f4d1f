"""Files that leave Tandem for the user: the family copy of a plan, CSV exports, reports.

In a terminal they are written where the user says, as before. Under ``tandem serve`` the user
is in a browser on another computer, so a file is handed to Textual's ``App.deliver_text``, which
makes the browser download it: nothing lands on the server's disk.
"""

from __future__ import annotations

import io
import mimetypes
from typing import Any

from textual.app import App

#: Types for the files Tandem hands out (``mimetypes`` may not know .md everywhere).
MIME_TYPES = {".md": "text/markdown", ".html": "text/html", ".csv": "text/csv"}


def in_browser(app: App[Any]) -> bool:
    """True when the app runs in a browser tab (``tandem serve``)."""
    return bool(app.is_web)


def download(app: App[Any], file_name: str, text: str) -> None:
    """Make the user's browser download ``text`` as ``file_name`` (UTF-8). Call on the UI thread."""
    suffix = file_name[file_name.rfind(".") :].lower() if "." in file_name else ""
    mime_type = MIME_TYPES.get(suffix) or mimetypes.guess_type(file_name)[0] or "text/plain"
    app.deliver_text(
        io.StringIO(text),
        save_filename=file_name,
        open_method="download",
        encoding="utf-8",
        mime_type=mime_type,
    )
