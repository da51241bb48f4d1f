"""What every chart in Tandem does so that it reads on a monochrome terminal and to a colour-blind
reader: each series has its own marker character (not only its own colour), the legend sits under
the plot (in the x label, where it cannot cover a line), ticks fall on round numbers, and values
are written where they fit (bar labels)."""

from __future__ import annotations

import math
from collections.abc import Sequence

#: One marker per series, told apart by shape alone.
MARKERS = ("●", "+", "■", "x", "◆", "o", "*", "#")
#: Bar fills for series drawn side by side: light and solid.
FILLS = ("░", "█", "▒", "▓")


def marker(i: int) -> str:
    return MARKERS[i % len(MARKERS)]


def legend(names: Sequence[str], markers: Sequence[str] | None = None) -> str:
    """ "● With families   + Recording": what each marker means, for under the plot."""
    marks = markers or [marker(i) for i in range(len(names))]
    return "   ".join(f"{m} {n}" for m, n in zip(marks, names, strict=False))


def nice_step(span: float, count: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``count`` ticks."""
    if span <= 0:
        return 1.0
    raw = span / max(1, count)
    power: float = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round ticks from 0 to at least ``top``."""
    step = nice_step(top, count)
    n = max(1, math.ceil(top / step - 1e-9))
    return [round(i * step, 10) for i in range(n + 1)]


def tick_label(value: float) -> str:
    """1,250 / 2.5 / 0.25: as few digits as the round number needs."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
