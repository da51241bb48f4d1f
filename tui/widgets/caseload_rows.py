"""The cells of a caseload row (one family), shared by the practitioner's caseload
(tui/screens/caseload.py) and the manager's dashboard (tui/oversight/dashboard_view.py)."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from domain.services.caseload import CaseloadRow
from tui.text import cell, join

COLUMNS = [
    ("Ref", "reference"),
    ("Family", "name"),
    ("Children", None),
    ("Review due", "review"),
    ("Last summary", "summary"),
    ("Last contact", "contact"),
    ("Scaling", "scaling"),
]
#: Headers on a narrow terminal (the columns keep their keys).
SHORT_LABELS = {"Review due": "Review", "Last summary": "Summary", "Last contact": "Contact"}
#: Below this many columns the table uses short headers and dd/mm/yy dates.
COMPACT_BELOW = 110
#: Columns a long value may be cut in (with "…"), by index, and the narrowest each may become.
CUTTABLE = {0: 8, 1: 10, 2: 8, 4: 9}


def labels(compact: bool) -> list[str]:
    return [SHORT_LABELS.get(label, label) if compact else label for label, _ in COLUMNS]


def _date(d: date | None, compact: bool = False) -> str:
    if d is None:
        return "—"
    return d.strftime("%d/%m/%y" if compact else "%d %b %Y")


def render_row(row: CaseloadRow, compact: bool = False) -> list[Text]:
    """The cells of one family; overdue things carry a ! as well as a colour (not colour alone).

    ``compact``: dates as dd/mm/yy, for a narrow terminal.
    """
    children = (
        join(
            *[
                join(cell(c.name), f" {c.status.short}", ", " if i < len(row.children) - 1 else "")
                for i, c in enumerate(row.children)
            ]
        )
        if row.children
        else Text("—")
    )
    review = Text(
        ("! " if row.review_overdue else "") + _date(row.review_due, compact),
        style="bold red" if row.review_overdue else "",
    )
    if row.last_summary_status is not None:
        # Narrow: the day and month only, so the status (the reason for a "!") has the room.
        end = row.last_summary_end
        day = end.strftime("%d/%m") if compact and end is not None else _date(end, compact)
        summary_text = f"{day} {row.last_summary_status.label.lower()}"
    else:
        summary_text = "none"
    flag = row.summary_overdue or bool(row.returned_comment)
    summary = Text(("! " if flag else "") + summary_text, style="bold red" if flag else "")
    contact = Text(
        ("! " if row.visit_overdue else "") + _date(row.last_contact, compact),
        style="bold red" if row.visit_overdue else "",
    )
    if row.latest_scaling is None:
        scaling = Text("—")
    else:
        arrow = {1: " ↑", 0: "", -1: " ↓"}[row.scaling_trend]
        scaling = Text(
            f"{row.latest_scaling:g}/10{arrow}", style="red" if row.scaling_trend < 0 else ""
        )
    name = join(cell(row.name), " (read only)" if row.read_only else "")
    return [Text(row.reference), name, children, review, summary, contact, scaling]
