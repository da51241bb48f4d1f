"""Observations with their consents and a lead's feedback (comments, replies), and erased
recordings: rows <-> domain objects and the repository.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlalchemy import delete, select
from sqlmodel import col

from domain.errors import NotFound
from domain.observations import (
    Consent,
    ConsentKind,
    ConsentMethod,
    ErasedRecording,
    Feedback,
    Observation,
    Reply,
    Skill,
    TimedComment,
)
from storage.repo_base import SqlRepository, known_id
from storage.tables import (
    RATING_COLUMNS,
    ConsentRow,
    ErasedRecordingRow,
    FeedbackCommentRow,
    FeedbackReplyRow,
    FeedbackRow,
    ObservationRow,
)


def observation_to_row(
    observation: Observation, row: ObservationRow | None = None
) -> ObservationRow:
    row = row or ObservationRow(
        family_id=observation.family_id,
        practitioner_id=observation.practitioner_id,
        session_date=observation.session_date,
        link=observation.link or "",
    )
    row.family_id = observation.family_id
    row.practitioner_id = observation.practitioner_id
    row.session_date = observation.session_date
    # An erased address is overwritten in the row, not only hidden.
    row.link = "" if observation.withdrawn or not observation.link else observation.link
    row.duration_seconds = observation.duration_seconds
    row.created_by = observation.created_by
    row.created_at = observation.created_at
    row.marked_for_deletion_at = observation.marked_for_deletion_at
    row.withdrawn_by = observation.withdrawn_by
    return row


def consent_to_row(
    consent: Consent, observation_id: int, row: ConsentRow | None = None
) -> ConsentRow:
    row = row or ConsentRow(
        observation_id=observation_id,
        person=consent.person,
        kind=consent.kind.value,
        given_on=consent.given_on,
        method=consent.method.value,
        scope=consent.scope,
        obtained_by=consent.obtained_by,
    )
    row.observation_id = observation_id
    row.person = consent.person
    row.kind = consent.kind.value
    row.given_on = consent.given_on
    row.method = consent.method.value
    row.scope = consent.scope
    row.obtained_by = consent.obtained_by
    row.member_id = consent.member_id
    row.withdrawn_on = consent.withdrawn_on
    return row


def consent_from_row(row: ConsentRow) -> Consent:
    return Consent(
        id=row.id,
        observation_id=row.observation_id,
        person=row.person,
        kind=ConsentKind(row.kind),
        given_on=row.given_on,
        method=ConsentMethod(row.method),
        scope=row.scope,
        obtained_by=row.obtained_by,
        member_id=row.member_id,
        withdrawn_on=row.withdrawn_on,
    )


def observation_from_row(row: ObservationRow, consents: Iterable[ConsentRow]) -> Observation:
    return Observation(
        id=row.id,
        family_id=row.family_id,
        practitioner_id=row.practitioner_id,
        session_date=row.session_date,
        link=row.link or None,
        duration_seconds=row.duration_seconds,
        consents=[consent_from_row(c) for c in consents],
        created_by=row.created_by,
        created_at=row.created_at,
        marked_for_deletion_at=row.marked_for_deletion_at,
        withdrawn_by=row.withdrawn_by,
    )


def feedback_to_row(feedback: Feedback, row: FeedbackRow | None = None) -> FeedbackRow:
    row = row or FeedbackRow(observation_id=feedback.observation_id, lead_id=feedback.lead_id)
    row.observation_id = feedback.observation_id
    row.lead_id = feedback.lead_id
    for skill, column in RATING_COLUMNS.items():
        setattr(row, column, feedback.ratings.get(Skill(skill)))
    row.strengths = feedback.strengths
    row.one_thing_to_try = feedback.one_thing_to_try
    row.created_at = feedback.created_at
    row.updated_at = feedback.updated_at
    return row


def feedback_from_rows(
    row: FeedbackRow,
    comments: Iterable[FeedbackCommentRow],
    replies: Iterable[FeedbackReplyRow],
) -> Feedback:
    ratings = {
        Skill(skill): getattr(row, column)
        for skill, column in RATING_COLUMNS.items()
        if getattr(row, column) is not None
    }
    return Feedback(
        id=row.id,
        observation_id=row.observation_id,
        lead_id=row.lead_id,
        ratings=ratings,
        comments=[TimedComment(at_seconds=c.at_seconds, text=c.text) for c in comments],
        strengths=row.strengths,
        one_thing_to_try=row.one_thing_to_try,
        replies=[Reply(author_id=r.author_id, text=r.text, at=r.at) for r in replies],
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class SqlObservationRepository(SqlRepository):
    def _consents(self, observation_ids: list[int]) -> dict[int, list[ConsentRow]]:
        out: dict[int, list[ConsentRow]] = {oid: [] for oid in observation_ids}
        if observation_ids:
            for row in self.session.scalars(
                select(ConsentRow)
                .where(col(ConsentRow.observation_id).in_(observation_ids))
                .order_by(col(ConsentRow.id))
            ):
                out[row.observation_id].append(row)
        return out

    def _save_consents(self, observation: Observation) -> None:
        observation_id = known_id(observation.id)
        existing = self._consents([observation_id])[observation_id]
        by_id = {row.id: row for row in existing}
        kept: set[int] = set()
        for consent in observation.consents:
            if consent.id is not None and consent.id not in by_id:
                raise NotFound(f"No consent with id {consent.id} on observation {observation.id}.")
            row = by_id.get(consent.id) if consent.id is not None else None
            if row is None:
                row = consent_to_row(consent, observation_id)
                self.session.add(row)
                self.session.flush()
                consent.id = row.id
            else:
                consent_to_row(consent, observation_id, row)
            consent.observation_id = observation_id
            kept.add(known_id(row.id))
        for row in existing:
            if row.id not in kept:
                self.session.delete(row)
        self.session.flush()

    def add(self, observation: Observation) -> Observation:
        observation = replace(observation, consents=[replace(c) for c in observation.consents])
        row = observation_to_row(observation)
        self.session.add(row)
        self.session.flush()
        observation.id = row.id
        for consent in observation.consents:
            consent.id = None
        self._save_consents(observation)
        return observation

    def get(self, observation_id: int) -> Observation:
        row = self._row(ObservationRow, observation_id, "observation")
        return observation_from_row(row, self._consents([observation_id])[observation_id])

    def update(self, observation: Observation) -> None:
        row = self._row(ObservationRow, observation.id, "observation")
        observation_to_row(observation, row)
        self.session.flush()
        self._save_consents(observation)

    def list(
        self, *, practitioner_ids: Sequence[int] | None = None, family_id: int | None = None
    ) -> list[Observation]:
        query = select(ObservationRow).order_by(
            col(ObservationRow.session_date), col(ObservationRow.id)
        )
        if practitioner_ids is not None:
            query = query.where(col(ObservationRow.practitioner_id).in_(list(practitioner_ids)))
        if family_id is not None:
            query = query.where(col(ObservationRow.family_id) == family_id)
        rows = list(self.session.scalars(query))
        consents = self._consents([known_id(r.id) for r in rows])
        return [observation_from_row(r, consents[known_id(r.id)]) for r in rows]

    def record_erased(self, erased: ErasedRecording) -> None:
        row = self.session.get(ErasedRecordingRow, erased.address_sha256)
        if row is None:
            row = ErasedRecordingRow(
                address_sha256=erased.address_sha256,
                erased_at=erased.erased_at,
                withdrawn_person=erased.withdrawn_person,
                withdrawn_on=erased.withdrawn_on,
            )
            self.session.add(row)
        row.erased_at = erased.erased_at
        row.withdrawn_person = erased.withdrawn_person
        row.withdrawn_on = erased.withdrawn_on
        self.session.flush()

    def erased(self, address_sha256: str) -> ErasedRecording | None:
        row = self.session.get(ErasedRecordingRow, address_sha256)
        if row is None:
            return None
        return ErasedRecording(
            row.address_sha256, row.erased_at, row.withdrawn_person, row.withdrawn_on
        )

    def feedback(self, observation_id: int) -> Feedback | None:
        row = self.session.scalars(
            select(FeedbackRow).where(col(FeedbackRow.observation_id) == observation_id)
        ).first()
        if row is None:
            return None
        comments = self.session.scalars(
            select(FeedbackCommentRow)
            .where(col(FeedbackCommentRow.feedback_id) == row.id)
            .order_by(col(FeedbackCommentRow.at_seconds), col(FeedbackCommentRow.id))
        )
        replies = self.session.scalars(
            select(FeedbackReplyRow)
            .where(col(FeedbackReplyRow.feedback_id) == row.id)
            .order_by(col(FeedbackReplyRow.at), col(FeedbackReplyRow.id))
        )
        return feedback_from_rows(row, comments, replies)

    def save_feedback(self, feedback: Feedback) -> Feedback:
        """Insert or replace the feedback on ``feedback.observation_id``, comments and replies too."""
        row = self.session.scalars(
            select(FeedbackRow).where(col(FeedbackRow.observation_id) == feedback.observation_id)
        ).first()
        if row is None:
            row = feedback_to_row(feedback)
            self.session.add(row)
        else:
            feedback_to_row(feedback, row)
            self.session.execute(
                delete(FeedbackCommentRow).where(col(FeedbackCommentRow.feedback_id) == row.id)
            )
            self.session.execute(
                delete(FeedbackReplyRow).where(col(FeedbackReplyRow.feedback_id) == row.id)
            )
        self.session.flush()
        feedback_id = known_id(row.id)
        self.session.add_all(
            FeedbackCommentRow(feedback_id=feedback_id, at_seconds=c.at_seconds, text=c.text)
            for c in feedback.comments
        )
        self.session.add_all(
            FeedbackReplyRow(feedback_id=feedback_id, author_id=r.author_id, text=r.text, at=r.at)
            for r in feedback.replies
        )
        self.session.flush()
        return replace(feedback, id=row.id)
