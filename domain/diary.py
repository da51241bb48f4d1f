"""Time-use diary rows (practitioner, date, category, minutes) in one of two phases:

- ``baseline``: the pre-trial diary, the report's baseline;
- ``trial``: the same diary kept for sample weeks *during* the trial. Those rows never enter the
  measured trial figures; they only calibrate the diary against the app on the same days.

Rows are :class:`domain.timeuse.BaselineEntry` values whichever the phase.
"""

from __future__ import annotations

from enum import StrEnum


class DiaryPhase(StrEnum):
    BASELINE = "baseline"
    TRIAL = "trial"

    @property
    def label(self) -> str:
        return {
            DiaryPhase.BASELINE: "pre-trial baseline",
            DiaryPhase.TRIAL: "trial-phase (calibration)",
        }[self]


__all__ = ["DiaryPhase"]
