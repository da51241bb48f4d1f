"""User text is data: everything a user typed reaches the screen through these helpers.

Markup is never interpreted (we build ``Text`` objects, never markup strings) and no terminal
control character is ever emitted: C0/C1 controls, DEL and bidirectional overrides are replaced by
visible placeholders. The stored text is never changed; this is the display boundary.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 except TAB/LF, DEL, C1, and the bidi embedding/override/isolate controls.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]"
)
_BIDI_NAMES = {
    "\u200e": "LRM",
    "\u200f": "RLM",
    "\u061c": "ALM",
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
}


def _placeholder(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (control pictures)
    if code == 0x7F:
        return "\u2421"  # ␡
    if ch in _BIDI_NAMES:
        return f"⟨{_BIDI_NAMES[ch]}⟩"
    return f"⟨U+{code:04X}⟩"  # C1


def sanitise(value: object, *, single_line: bool = False) -> str:
    """The text as it may be shown: controls made visible; optionally folded onto one line."""
    text = "" if value is None else str(value)
    if single_line:
        text = text.replace("\r\n", "\n").replace("\n", " ⏎ ").replace("\t", " ")
    else:
        text = text.replace("\r\n", "\n")
    return _UNSAFE.sub(_placeholder, text)


def safe(value: object, style: str = "", *, single_line: bool = False) -> Text:
    """A Rich Text of user data: never parsed as markup, never carrying control characters."""
    return Text(sanitise(value, single_line=single_line), style=style, no_wrap=False)


def cell(value: object, style: str = "") -> Text:
    """A one-line DataTable cell from user data."""
    return Text(sanitise(value, single_line=True), style=style)


def join(*parts: Text | str) -> Text:
    """Join literal program text (str, never parsed) and safe() pieces."""
    out = Text()
    for p in parts:
        out.append(p if isinstance(p, Text) else Text(p))
    return out
