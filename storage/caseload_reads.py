"""The caseload's and the team dashboard's facts for many families at once
(domain.ports.CaseloadReads).

Five statements for the whole caseload, whatever its size (a very long list of families is read
in chunks of ``CHUNK`` ids, five statements each), each grouped or ranked per family in the
database so that only a row or two per family comes back however much history there is:

1. the plan's current revision (``plans`` joined on its revision number);
2. summaries, ranked per family newest period first (``ROW_NUMBER`` over the family, and over the
   family and status for the newest returned one), with the latest non-draft period end as a
   window ``MAX``: only the newest and the newest returned summary come back;
3. contacts in the window, ``MAX`` of the date and of the date of a visit where the child was
   seen, grouped by family;
4. ratings of the overall scale ranked per (family, person) newest first: at most two per person
   (what they mean is domain.scaling's one definition);
5. which families have a mapping.

The same SQL runs on SQLite and PostgreSQL, and uses the indexes on ``plans.family_id``,
``summaries.family_id``, ``contacts (family_id, on_date)``, ``scaling_ratings (family_id,
rated_on)`` and ``mappings.family_id``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import col

from domain.caseload_facts import CaseloadFacts
from domain.scaling import ScaledScore
from domain.summaries import SummaryStatus
from domain.timeuse import ContactKind
from storage.repo_base import SqlRepository
from storage.snapshots import plan_content_from_json
from storage.tables import (
    ContactChildSeenRow,
    ContactRow,
    MappingRow,
    PlanRevisionRow,
    PlanRow,
    ScalingRatingRow,
    SummaryRow,
)

#: Family ids per statement (well under SQLite's oldest limit of 999 bound parameters).
CHUNK = 900

VISIT_KINDS = tuple(k.value for k in ContactKind if k.is_visit)


class SqlCaseloadReads(SqlRepository):
    def for_families(
        self,
        family_ids: Sequence[int],
        *,
        contacts_from: date | None = None,
        contacts_to: date | None = None,
    ) -> dict[int, CaseloadFacts]:
        ids = list(dict.fromkeys(family_ids))
        fields: dict[int, dict[str, Any]] = {fid: {} for fid in ids}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            self._plans(chunk, fields)
            self._summaries(chunk, fields)
            self._contacts(chunk, contacts_from, contacts_to, fields)
            self._scaling(chunk, fields)
            self._mappings(chunk, fields)
        return {fid: CaseloadFacts(family_id=fid, **values) for fid, values in fields.items()}

    def _plans(self, ids: list[int], out: dict[int, dict[str, Any]]) -> None:
        rows = self.session.execute(
            select(col(PlanRow.family_id), col(PlanRevisionRow.content))
            .join(
                PlanRevisionRow,
                and_(
                    col(PlanRevisionRow.plan_id) == col(PlanRow.id),
                    col(PlanRevisionRow.number) == col(PlanRow.revision),
                ),
            )
            .where(col(PlanRow.family_id).in_(ids))
        )
        for family_id, content in rows:
            out[family_id]["review_date"] = plan_content_from_json(content).review_date

    def _summaries(self, ids: list[int], out: dict[int, dict[str, Any]]) -> None:
        newest_first = (col(SummaryRow.period_end).desc(), col(SummaryRow.id).desc())
        # Ranked on the narrow columns only; the return comment (stored after the sections,
        # which can be long) is read for the chosen rows alone, by id.
        ranked = (
            select(
                col(SummaryRow.id),
                col(SummaryRow.family_id),
                col(SummaryRow.period_end),
                col(SummaryRow.status),
                func.row_number()
                .over(partition_by=col(SummaryRow.family_id), order_by=newest_first)
                .label("rank"),
                func.row_number()
                .over(
                    partition_by=(col(SummaryRow.family_id), col(SummaryRow.status)),
                    order_by=newest_first,
                )
                .label("rank_in_status"),
                func.max(
                    case(
                        (
                            col(SummaryRow.status) != SummaryStatus.DRAFT.value,
                            col(SummaryRow.period_end),
                        )
                    )
                )
                .over(partition_by=col(SummaryRow.family_id))
                .label("written"),
            )
            .where(col(SummaryRow.family_id).in_(ids))
            .subquery()
        )
        returned = ranked.c.status == SummaryStatus.RETURNED.value
        rows = self.session.execute(
            select(
                ranked.c.family_id,
                ranked.c.period_end,
                ranked.c.status,
                ranked.c.rank,
                ranked.c.written,
                col(SummaryRow.return_comment),
            )
            .join(SummaryRow, col(SummaryRow.id) == ranked.c.id)
            .where(or_(ranked.c.rank == 1, and_(returned, ranked.c.rank_in_status == 1)))
        )
        for family_id, period_end, status, rank, written, comment in rows:
            facts = out[family_id]
            if rank == 1:
                facts["latest_summary_end"] = period_end
                facts["latest_summary_status"] = SummaryStatus(status)
                facts["last_written_end"] = written
            if status == SummaryStatus.RETURNED.value:
                facts["returned_comment"] = comment

    def _contacts(
        self,
        ids: list[int],
        start: date | None,
        end: date | None,
        out: dict[int, dict[str, Any]],
    ) -> None:
        seen_on_visit = and_(
            col(ContactRow.child_seen).is_(True), col(ContactRow.kind).in_(VISIT_KINDS)
        )
        query = (
            select(
                col(ContactRow.family_id),
                func.max(col(ContactRow.on_date)),
                func.max(case((seen_on_visit, col(ContactRow.on_date)))),
            )
            .where(col(ContactRow.family_id).in_(ids))
            .group_by(col(ContactRow.family_id))
        )
        if start is not None:
            query = query.where(col(ContactRow.on_date) >= start)
        if end is not None:
            query = query.where(col(ContactRow.on_date) <= end)
        for family_id, last, last_seen in self.session.execute(query):
            out[family_id]["last_contact"] = last
            out[family_id]["last_seen_on_visit"] = last_seen
        per_child = (
            select(
                col(ContactChildSeenRow.member_id),
                col(ContactRow.family_id),
                func.max(col(ContactRow.on_date)),
            )
            .join(ContactRow, col(ContactRow.id) == col(ContactChildSeenRow.contact_id))
            .where(
                col(ContactRow.family_id).in_(ids),
                col(ContactRow.kind).in_(VISIT_KINDS),
                col(ContactChildSeenRow.member_id).is_not(None),
            )
            .group_by(col(ContactChildSeenRow.member_id), col(ContactRow.family_id))
        )
        if start is not None:
            per_child = per_child.where(col(ContactRow.on_date) >= start)
        if end is not None:
            per_child = per_child.where(col(ContactRow.on_date) <= end)
        for member_id, family_id, last_seen in self.session.execute(per_child):
            out[family_id].setdefault("last_seen_by_child", {})[member_id] = last_seen

    def _scaling(self, ids: list[int], out: dict[int, dict[str, Any]]) -> None:
        """Each person's latest two ratings of the overall scale. Ranked per spelling of the name
        (the finest grouping); domain.scaling folds spellings of one person together, and the
        latest two of each spelling hold the latest two of the person."""
        family, person = col(ScalingRatingRow.family_id), col(ScalingRatingRow.person)
        rated_on, rating_id = col(ScalingRatingRow.rated_on), col(ScalingRatingRow.id)
        ranked = (
            select(
                family,
                person,
                rated_on,
                col(ScalingRatingRow.score),
                rating_id,
                func.row_number()
                .over(partition_by=(family, person), order_by=(rated_on.desc(), rating_id.desc()))
                .label("rank"),
            )
            .where(family.in_(ids), col(ScalingRatingRow.danger_key).is_(None))
            .subquery()
        )
        rows = self.session.execute(
            select(ranked)
            .where(ranked.c.rank <= 2)
            .order_by(ranked.c.family_id, ranked.c.rated_on, ranked.c.id)
        )
        found: dict[int, list[ScaledScore]] = defaultdict(list)
        for row in rows:
            found[row.family_id].append(ScaledScore(row.person, row.rated_on, row.score, row.id))
        for family_id, scores in found.items():
            out[family_id]["overall_scores"] = tuple(scores)

    def _mappings(self, ids: list[int], out: dict[int, dict[str, Any]]) -> None:
        rows = self.session.scalars(
            select(col(MappingRow.family_id)).where(col(MappingRow.family_id).in_(ids)).distinct()
        )
        for family_id in rows:
            out[family_id]["has_mapping"] = True
