"""Tables that fit their screen: long names are cut with an ellipsis so every column shows.

A family name can be 120 characters long (a council's system may hold a whole household's
surnames); left alone, one such name widens its column until every other column is pushed off
screen. Here each table says which of its columns may be cut (family, children, practitioner…)
and how narrow each may become; when the rows' natural widths do not fit the table, the widest
cuttable column is narrowed first, one cell at a time, until everything fits (or every cuttable
column is at its minimum). Cells and headers longer than their column end in "…". Only what is
shown is cut: the stored text, and search, use the whole name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

ELLIPSIS = "…"


def fit_widths(natural: Sequence[int], minimum: Mapping[int, int], available: int) -> list[int]:
    """Column content widths: ``natural`` unless their sum exceeds ``available``; then the widest
    column named in ``minimum`` (index -> narrowest width) loses a cell at a time."""
    widths = list(natural)
    over = sum(widths) - available
    while over > 0:
        candidates = [i for i in minimum if widths[i] > minimum[i]]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: (widths[i], -i))
        others = [widths[i] for i in candidates if i != widest]
        # Narrow the widest down to the next widest (or its minimum) in one step.
        floor = max([minimum[widest], *(w for w in others if w < widths[widest])], default=0)
        step = min(over, max(1, widths[widest] - floor))
        widths[widest] -= step
        over -= step
    return widths


def clip(text: Text, width: int) -> Text:
    """``text`` cut to ``width`` cells, ending in an ellipsis when it was cut."""
    if text.cell_len <= width:
        return text
    out = text.copy()
    out.truncate(max(1, width), overflow="ellipsis")
    return out


def fill_fitted(
    table: DataTable[Any],
    labels: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Text]]],
    cuttable: Mapping[int, int],
) -> None:
    """Clear ``table`` and fill it with ``rows`` (key, cells), cut to fit its current width.

    The table's columns must already be added, in the order of ``labels``. ``cuttable`` maps a
    column index to the narrowest width it may be cut to. Before the table has a size (not yet
    laid out) nothing is cut.
    """
    natural = [Text(label).cell_len for label in labels]
    for _, cells in rows:
        for i, c in enumerate(cells):
            natural[i] = max(natural[i], c.cell_len)
    widths = natural
    if table.size.width:
        padding = 2 * table.cell_padding * len(labels)
        scrollbar = table.styles.scrollbar_size_vertical if len(rows) + 1 > table.size.height else 0
        available = table.size.width - padding - scrollbar
        widths = fit_widths(natural, cuttable, available)
    table.clear()
    for i, column in enumerate(table.ordered_columns):
        column.label = clip(Text(labels[i]), widths[i])
        # Each column's width now, not when the table next measures its new rows (when it is
        # idle): a frame painted before that cut every cell at its heading's width, and the
        # table kept those lines cached (see fill_responsive).
        column.content_width = widths[i]
    for key, cells in rows:
        table.add_row(*(clip(c, widths[i]) for i, c in enumerate(cells)), key=key)


# --- columns chosen by priority ------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    """One column of a responsive table. ``cut``: the narrowest it may be cut to with "…" (None:
    never cut — a key fact such as "overdue by 10 days"). ``drop``: when the table still does not
    fit with every cuttable column at its narrowest, columns are left out, highest ``drop`` first
    (None: never left out)."""

    label: str
    cut: int | None = None
    drop: int | None = None


def choose_columns(cols: Sequence[Col], natural: Sequence[int], available: int) -> list[int]:
    """Indexes of the columns to show: all of them if their narrowest widths (each cuttable one
    at its ``cut``, plus two cells of padding each) fit ``available``; otherwise without the
    highest ``drop`` ones, one at a time, until they do."""
    shown = list(range(len(cols)))

    def narrowest(i: int) -> int:
        cut = cols[i].cut
        return (min(natural[i], cut) if cut is not None else natural[i]) + 2

    droppable = sorted(
        (i for i, c in enumerate(cols) if c.drop is not None),
        key=lambda i: -(cols[i].drop or 0),
    )
    while sum(narrowest(i) for i in shown) > available and droppable:
        shown.remove(droppable.pop(0))
    return shown


def fill_responsive(
    table: DataTable[Any],
    cols: Sequence[Col],
    rows: Sequence[tuple[str, Sequence[Text]]],
    available: int | None = None,
) -> list[int]:
    """Clear ``table`` (columns too) and fill it with ``rows`` (key, cells): the columns that fit
    the table's width by priority (``Col.drop``), long cells cut with "…" in the columns that may
    be cut (``Col.cut``). Returns the indexes of the columns shown."""
    natural = [Text(c.label).cell_len for c in cols]
    for _, cells in rows:
        for i, c in enumerate(cells):
            natural[i] = max(natural[i], c.cell_len)
    width = available if available is not None else table.size.width
    shown = list(range(len(cols)))
    widths = natural
    if width:
        scrollbar = table.styles.scrollbar_size_vertical if len(rows) + 1 > table.size.height else 0
        shown = choose_columns(cols, natural, width - scrollbar)
        padding = 2 * table.cell_padding * len(shown)
        cuttable = {j: cut for j, i in enumerate(shown) if (cut := cols[i].cut) is not None}
        fitted = fit_widths([natural[i] for i in shown], cuttable, width - padding - scrollbar)
        widths = [0] * len(cols)
        for j, i in enumerate(shown):
            widths[i] = fitted[j]
    table.clear(columns=True)
    for i in shown:
        # A fixed width, known now: left to the table, a column is measured from its new rows
        # only when the table is next idle, and a frame painted before that showed every cell
        # cut at its heading's width. Textual 8.2's DataTable keeps those lines cached after the
        # measure (its cache key does not change), so a busy machine showed "FAM  Fraser" where
        # "FAM-0106  Fraser family" belonged until the cursor moved.
        table.add_column(clip(Text(cols[i].label), widths[i]), key=str(i), width=widths[i])
    for key, cells in rows:
        table.add_row(*(clip(cells[i], widths[i]) for i in shown), key=key)
    return shown


__all__ = [
    "ELLIPSIS",
    "Col",
    "choose_columns",
    "clip",
    "fill_fitted",
    "fill_responsive",
    "fit_widths",
]
