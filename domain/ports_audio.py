"""What the domain needs to read a local audio recording. The tinytag-based implementation lives
outside domain/ (it is wired in by the composition root); tests pass a fake."""

from __future__ import annotations

from typing import Protocol


class AudioProbe(Protocol):
    def duration_seconds(self, path: str) -> int | None:
        """The recording's length in whole seconds, or None when it cannot be read.
        Must not raise for an unreadable or non-audio file."""
        ...
