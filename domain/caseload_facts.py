"""What the caseload and the team dashboard show of each family at a glance, read for many
families at once (domain.ports.CaseloadReads) so that their cost does not grow with the history
kept in the database.

The read model only collects facts; what they mean (overdue, trend, fall) is decided by the
services in domain/services/caseload.py and domain/services/dashboard.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from domain.scaling import ScaledScore
from domain.summaries import SummaryStatus


@dataclass(frozen=True)
class CaseloadFacts:
    """One family's facts. Every field is None (or empty, or False) when there is nothing to say.

    Summaries are ordered as ``SummaryRepository.for_family`` orders them: newest period end
    first, then the higher id first.
    """

    family_id: int
    #: Review date of the plan's current revision (None: no plan yet).
    review_date: date | None = None
    #: Period end and status of the first summary in that order.
    latest_summary_end: date | None = None
    latest_summary_status: SummaryStatus | None = None
    #: The latest period end among summaries that are not drafts.
    last_written_end: date | None = None
    #: The return comment of the first RETURNED summary in that order (None: none is returned).
    returned_comment: str | None = None
    #: The newest contact date within the window asked for.
    last_contact: date | None = None
    #: The newest date within the window of a visit (ContactKind.is_visit) where any child was seen.
    last_seen_on_visit: date | None = None
    #: Per child (member id): the newest date within the window of a visit where that child was
    #: seen. The visiting standard reads this, never the family-wide date above.
    last_seen_by_child: Mapping[int, date] = field(default_factory=dict)
    #: Each person's latest two ratings of the overall scale (no danger_key), by date then id;
    #: what they mean is domain.scaling.family_scaling's to say.
    overall_scores: tuple[ScaledScore, ...] = ()
    #: Whether the family has at least one mapping.
    has_mapping: bool = False


__all__ = ["CaseloadFacts"]
