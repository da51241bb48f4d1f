"""Parsing what people type into form fields, with messages that name the field."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Literal, overload

from domain.errors import ValidationError

_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$")


@overload
def parse_date(
    field: str, label: str, text: str, today: date, *, required: Literal[True] = True
) -> date: ...
@overload
def parse_date(
    field: str, label: str, text: str, today: date, *, required: bool
) -> date | None: ...
def parse_date(
    field: str, label: str, text: str, today: date, *, required: bool = True
) -> date | None:
    """ISO (2026-11-22), UK (22/11/2026), 'today', 'yesterday' or '-3' (days ago)."""
    raw = (text or "").strip().lower()
    if not raw:
        if required:
            raise ValidationError(field, f"{label} is needed (for example {today:%d/%m/%Y}).")
        return None
    if raw == "today":
        return today
    if raw == "yesterday":
        return today - timedelta(days=1)
    if re.fullmatch(r"-\d{1,4}", raw):
        return today - timedelta(days=int(raw[1:]))
    m = _DMY.match(raw)
    try:
        if m:
            d, mth, y = (int(g) for g in m.groups())
            return date(y + 2000 if y < 100 else y, mth, d)
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            field,
            f"{label} must be a date such as {today:%d/%m/%Y} or {today.isoformat()} (got {text!r}).",
        ) from None


def parse_time(field: str, label: str, text: str) -> time:
    raw = (text or "").strip().replace(".", ":")
    if re.fullmatch(r"\d{3,4}", raw):
        raw = raw[:-2] + ":" + raw[-2:]
    try:
        return datetime.strptime(raw, "%H:%M").time()
    except ValueError:
        raise ValidationError(
            field, f"{label} must be a time such as 14:30 (got {text!r})."
        ) from None


def parse_int(field: str, label: str, text: str, *, default: int | None = None) -> int:
    raw = (text or "").strip()
    if not raw and default is not None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(field, f"{label} must be a whole number (got {text!r}).") from None


def fmt_date(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""
