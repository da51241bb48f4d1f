"""Matching people's real names: one folding rule for every search in Tandem.

Names arrive from councils' systems, keyboards and copy-paste in many forms: "Zoë" composed
(U+00EB) or decomposed (e + U+0308), with invisible joiners ("Ann\u200dMarie"), soft hyphens, or
in another case ("STRAẞE" / "strasse"). A search must find the person whichever form was stored
and whichever was typed, so both sides are folded the same way, for matching only: the stored
text is never changed and is always shown as it was written.

``fold`` is: compatibility decomposition (NFKD: accents become separate combining marks, ligatures
and full-width letters their plain forms, a no-break space a space), combining marks removed,
invisible format characters removed (zero-width space/non-joiner/joiner, word joiner, byte-order
mark, soft hyphen), Unicode case folding (ß → ss), and runs of white space made one space.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

#: Invisible characters that change nothing a reader sees: zero-width space, non-joiner, joiner,
#: word joiner, zero-width no-break space (byte-order mark), soft hyphen.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def fold(text: str) -> str:
    """``text`` as search compares it: no accents, no invisible characters, case-folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if ch not in INVISIBLE and not unicodedata.combining(ch))
    # Case folding can itself produce combining marks (e.g. "İ" → "i̇"): fold, then strip again.
    folded = unicodedata.normalize("NFKD", kept.casefold())
    return " ".join("".join(ch for ch in folded if not unicodedata.combining(ch)).split())


def search_key(texts: Iterable[str]) -> str:
    """One folded string holding every text a record can be found by (one per line)."""
    return "\n".join(fold(t) for t in texts if t)


def matches(query: str, key: str) -> bool:
    """True if every word of ``query`` occurs (folded) in ``key`` (made by :func:`search_key`).

    An empty query (or one of only invisible characters) matches everything. Words may match
    different texts: "zoe smith" finds the Smith family whose child is Zoë.
    """
    return all(word in key for word in fold(query).split())


__all__ = ["INVISIBLE", "fold", "matches", "search_key"]
