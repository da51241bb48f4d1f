"""Small validators shared by the entities. Each raises ValidationError naming the field."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import TypeVar

from domain.errors import ValidationError

MINUTES_PER_DAY = 24 * 60

EnumT = TypeVar("EnumT", bound=Enum)


def required_text(
    field: str, label: str, value: str | None, *, max_length: int | None = None
) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(field, f"{label} cannot be empty.")
    if max_length is not None and len(text) > max_length:
        raise ValidationError(
            field, f"{label} must be at most {max_length} characters (it has {len(text)})."
        )
    return text


def optional_text(
    field: str, label: str, value: str | None, *, max_length: int | None = None
) -> str:
    text = (value or "").strip()
    if max_length is not None and len(text) > max_length:
        raise ValidationError(
            field, f"{label} must be at most {max_length} characters (it has {len(text)})."
        )
    return text


def minutes(field: str, label: str, value: int, *, allow_zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"{label} must be a whole number of minutes.")
    if value < 0:
        raise ValidationError(field, f"{label} cannot be negative (got {value}).")
    if value == 0 and not allow_zero:
        raise ValidationError(field, f"{label} must be more than 0 minutes.")
    if value > MINUTES_PER_DAY:
        raise ValidationError(
            field, f"{label} cannot be more than 24 hours ({MINUTES_PER_DAY} minutes); got {value}."
        )
    return value


def not_future(field: str, label: str, value: date, today: date) -> date:
    if value > today:
        raise ValidationError(
            field,
            f"{label} cannot be in the future ({value.isoformat()} is after today, {today.isoformat()}).",
        )
    return value


def one_of(field: str, label: str, value: object, enum_type: type[EnumT]) -> EnumT:
    """Coerce a raw value (enum member or its string value) into enum_type, with a readable error."""
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in enum_type)
        raise ValidationError(
            field, f"{label} must be one of: {allowed} (got {value!r})."
        ) from None
