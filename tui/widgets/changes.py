"""Plain-language changes (domain.diff.PartChange) as Rich Text: one entry per part (field, goal,
action, section) saying what happened to it, and the words added or taken out marked with
brackets and signs as well as colour, so they read on a monochrome terminal and to a
colour-blind reader. User text stays literal."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from domain.diff import Change, Mark, PartChange
from tui.text import safe

ADDED_STYLE = "bold green underline"
REMOVED_STYLE = "red strike"
WHAT = {Change.ADDED: "new", Change.REMOVED: "taken out", Change.CHANGED: "changed"}


def legend() -> Text:
    out = Text("Words ")
    out.append("[+ added +]", ADDED_STYLE)
    out.append(" were added, words ")
    out.append("[− taken out −]", REMOVED_STYLE)
    out.append(" were taken out; the rest is as it was (… marks text left out).")
    return out


def _words(change: PartChange) -> Text:
    out = Text()
    for run in change.words:
        if run.mark is Mark.SAME:
            out.append_text(safe(run.text, "dim"))
            continue
        lead = run.text[: len(run.text) - len(run.text.lstrip())]
        trail = run.text[len(run.text.rstrip()) :]
        out.append(lead)
        plus = run.mark is Mark.ADDED
        style = ADDED_STYLE if plus else REMOVED_STYLE
        out.append("[+ " if plus else "[− ", style)
        out.append_text(safe(run.text.strip(), style))
        out.append(" +]" if plus else " −]", style)
        out.append(trail)
    return out


def changes_text(changes: Sequence[PartChange], *, none: str = "Nothing changed.") -> Text:
    """Every change, one part after another, under a legend (``none`` when there is none)."""
    if not changes:
        return Text(none)
    out = legend()
    for change in changes:
        out.append("\n\n")
        out.append(f"• {change.where}", "bold")
        out.append(f": {WHAT[change.change]}\n")
        words = _words(change)
        words.pad_left(2)
        out.append_text(words)
    return out
