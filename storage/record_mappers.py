"""Row <-> domain conversions for the day-to-day records: contacts, recording time, observations
with consents and feedback, audit events and drafts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from domain.audit import AuditAction, AuditEvent, Draft
from domain.clock import local_date
from domain.observations import (
    Consent,
    ConsentKind,
    ConsentMethod,
    Feedback,
    Observation,
    Reply,
    Skill,
    TimedComment,
)
from domain.timeuse import (
    BaselineEntry,
    ChildSeen,
    Contact,
    ContactKind,
    ManualEntry,
    ManualKind,
    RecordingActivity,
    RecordingSession,
    TimeCategory,
)
from storage.tables import (
    RATING_COLUMNS,
    AuditEventRow,
    BaselineEntryRow,
    ConsentRow,
    ContactChildSeenRow,
    ContactRow,
    DraftRow,
    FeedbackCommentRow,
    FeedbackReplyRow,
    FeedbackRow,
    ManualEntryRow,
    ObservationRow,
    RecordingSessionRow,
)

# --- time use ---------------------------------------------------------------------------------


def contact_to_row(contact: Contact, row: ContactRow | None = None) -> ContactRow:
    row = row or ContactRow(
        family_id=contact.family_id,
        practitioner_id=contact.practitioner_id,
        on_date=contact.on,
        start_time=contact.start,
        minutes=contact.minutes,
        kind=contact.kind.value,
        note=contact.note,
    )
    row.family_id = contact.family_id
    row.practitioner_id = contact.practitioner_id
    row.on_date = contact.on
    row.start_time = contact.start
    row.minutes = contact.minutes
    row.kind = contact.kind.value
    row.note = contact.note
    row.present = contact.present
    row.child_seen = contact.child_seen
    row.seen_alone = contact.seen_alone
    row.travel_minutes = contact.travel_minutes
    row.logged_at = contact.logged_at
    row.edited_at = contact.edited_at
    return row


def contact_from_row(row: ContactRow, seen: Sequence[ContactChildSeenRow] = ()) -> Contact:
    return Contact(
        id=row.id,
        family_id=row.family_id,
        practitioner_id=row.practitioner_id,
        on=row.on_date,
        start=row.start_time,
        minutes=row.minutes,
        kind=ContactKind(row.kind),
        note=row.note,
        present=row.present,
        seen=tuple(ChildSeen(r.member_id, r.name, r.alone) for r in seen),
        travel_minutes=row.travel_minutes,
        logged_at=row.logged_at,
        edited_at=row.edited_at,
    )


def session_to_row(session: RecordingSession) -> RecordingSessionRow:
    return RecordingSessionRow(
        user_id=session.user_id,
        activity=session.activity.value,
        started=session.started,
        ended=session.ended,
        active_seconds=session.active_seconds,
        family_id=session.family_id,
        local_day=local_date(session.started),
    )


def session_from_row(row: RecordingSessionRow) -> RecordingSession:
    return RecordingSession(
        id=row.id,
        user_id=row.user_id,
        activity=RecordingActivity(row.activity),
        started=row.started,
        ended=row.ended,
        active_seconds=row.active_seconds,
        family_id=row.family_id,
    )


def manual_to_row(entry: ManualEntry, row: ManualEntryRow | None = None) -> ManualEntryRow:
    row = row or ManualEntryRow()
    row.user_id = entry.user_id
    row.on_date = entry.on
    row.minutes = entry.minutes
    row.kind = entry.kind.value
    row.note = entry.note
    row.family_id = entry.family_id
    row.entered_at = entry.entered_at
    return row


def manual_from_row(row: ManualEntryRow) -> ManualEntry:
    return ManualEntry(
        id=row.id,
        user_id=row.user_id,
        on=row.on_date,
        minutes=row.minutes,
        kind=ManualKind(row.kind),
        note=row.note,
        family_id=row.family_id,
        entered_at=row.entered_at,
    )


def baseline_to_row(entry: BaselineEntry) -> BaselineEntryRow:
    return BaselineEntryRow(
        user_id=entry.user_id,
        on_date=entry.on,
        category=entry.category.value,
        minutes=entry.minutes,
    )


def baseline_from_row(row: BaselineEntryRow) -> BaselineEntry:
    return BaselineEntry(
        id=row.id,
        user_id=row.user_id,
        on=row.on_date,
        category=TimeCategory(row.category),
        minutes=row.minutes,
    )


# --- observations -----------------------------------------------------------------------------


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


# --- audit and drafts -------------------------------------------------------------------------


def audit_to_row(event: AuditEvent) -> AuditEventRow:
    return AuditEventRow(
        at=event.at,
        user_id=event.user_id,
        action=AuditAction(event.action).value,
        entity=event.entity,
        entity_id=event.entity_id,
        family_id=event.family_id,
        detail=event.detail,
    )


def audit_from_row(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(
        id=row.id,
        at=row.at,
        user_id=row.user_id,
        action=AuditAction(row.action),
        entity=row.entity,
        entity_id=row.entity_id,
        family_id=row.family_id,
        detail=row.detail,
    )


def draft_values(draft: Draft) -> dict[str, Any]:
    return {
        "user_id": draft.user_id,
        "key": draft.key,
        "content": draft.content,
        "saved_at": draft.saved_at,
        "base_revision": draft.base_revision,
    }


def draft_from_row(row: DraftRow) -> Draft:
    return Draft(
        id=row.id,
        user_id=row.user_id,
        key=row.key,
        content=row.content,
        saved_at=row.saved_at,
        base_revision=row.base_revision,
    )
