"""Audio recordings on this computer: reading a local file's duration (tinytag) and opening a
recording with the system's handler.

Only ever hand ``open_with_system_handler`` an ``Observation.visible_link``: once consent is
withdrawn that is None and nothing is opened.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

#: URL schemes a recording link may use; anything else must be an existing local file.
URL_SCHEMES = ("http", "https", "file")


class TinyTagProbe:
    """domain.ports_audio.AudioProbe backed by tinytag (WAV, MP3, M4A, OGG, FLAC, ...)."""

    def duration_seconds(self, path: str) -> int | None:
        try:
            from tinytag import TinyTag

            tag = TinyTag.get(path, tags=False, duration=True)
        except Exception:  # noqa: BLE001 - a file we cannot read simply has no known duration
            return None
        seconds = tag.duration
        if seconds is None or seconds <= 0:
            return None
        return max(1, round(seconds))


def _target(link: str) -> tuple[str | None, str | None]:
    """(what to hand the handler, error). URLs of known schemes pass; other text must be a file."""
    text = link.strip()
    scheme = urlparse(text).scheme.lower() if "://" in text else ""
    if scheme:
        if scheme not in URL_SCHEMES:
            return None, f"Tandem only opens http, https or file links (this one is {scheme}://)."
        if scheme == "file":
            from domain.services.observations import local_path

            path = local_path(text)
            if path is None:
                return None, f"The recording file was not found: {text}"
            return os.path.abspath(path), None
        return text, None
    path = os.path.abspath(os.path.expanduser(text))  # never starts with '-': not an option
    if not os.path.isfile(path):
        return None, f"The recording file was not found: {text}"
    return path, None


def open_with_system_handler(
    link: str | None,
    *,
    popen: Callable[..., Any] = subprocess.Popen,
    platform: str = sys.platform,
) -> str | None:
    """Open the recording with the system's default program, detached, without a shell.

    Returns None when the program was started, or a readable message saying why not (never raises).
    """
    if not link or not link.strip():
        return "There is no recording to open: consent was withdrawn and its link erased."
    target, error = _target(link)
    if error is not None or target is None:
        return error
    try:
        if platform.startswith("win"):
            startfile = getattr(os, "startfile", None)
            if startfile is None:
                return "This computer has no way to open the recording."
            startfile(target)  # noqa: S606 - the link is a checked file path or http(s) URL
            return None
        command = "open" if platform == "darwin" else "xdg-open"
        program = shutil.which(command)
        if program is None:
            return f"No program to open recordings was found ({command} is not installed)."
        popen(
            [program, target],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except OSError as exc:
        return f"The recording could not be opened: {exc.strerror or exc}."
    return None
