"""The database tables (SQLModel ``table=True`` rows). They never leave storage/: repositories turn
them into domain objects through the mappers kept beside each repository, one module per record
(storage/plans.py, storage/contacts.py, ...). A record type added since the registry keeps its
rows in its own module in storage/records/, on this module's ``Row`` and ``metadata``; importing
this module imports those (``import_record_modules``, at the end), so ``metadata`` always holds
every table.

Conventions:
- enum values are stored as their string values; the domain validates them (a CHECK constraint is
  kept only for the two sets the access model and the summary life cycle rest on, so a new enum
  member elsewhere does not need a table rebuild on SQLite);
- revision snapshots (plan, mapping, summary sections) are JSON text written by the mappers;
- instants as UTC (``sa_type=UtcDateTime``, storage/utc.py: UTC in the database, aware UTC in
  Python); dates as DATE (local calendar dates), contact start times as local wall time;
- every constraint and index is named (``NAMING_CONVENTION``) so Alembic batch mode can alter it.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, Index, MetaData, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from domain.people import Role
from domain.summaries import SummaryStatus
from storage.utc import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Tandem's own metadata (not SQLModel's global one), with the naming convention.
metadata = MetaData(naming_convention=NAMING_CONVENTION)
_registry = registry(metadata=metadata)


class Row(SQLModel, registry=_registry):
    """Base of every Tandem table."""


def _in(column: str, values: list[str]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


# --- people -----------------------------------------------------------------------------------


class TeamRow(Row, table=True):
    __tablename__ = "teams"
    __table_args__ = (
        CheckConstraint("summary_rhythm_weeks > 0", name="summary_rhythm_positive"),
        CheckConstraint("visiting_standard_working_days > 0", name="visiting_standard_positive"),
        # migration 0007: plan review rules are team settings
        CheckConstraint(
            "cp_first_review_months > 0 AND cp_later_review_months > 0 AND cin_review_months > 0"
            " AND early_help_review_months > 0 AND cla_review_months > 0",
            name="review_months_positive",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    summary_rhythm_weeks: int = 6
    visiting_standard_working_days: int = 10
    practitioners_see_team_families: bool = False
    cp_first_review_months: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    cp_later_review_months: int = Field(default=6, sa_column_kwargs={"server_default": "6"})
    cin_review_months: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    early_help_review_months: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    cla_review_months: int = Field(default=6, sa_column_kwargs={"server_default": "6"})
    #: Migration 0014: the team's phone number, printed on the family copy of a plan.
    phone: str = Field(default="", sa_column_kwargs={"server_default": ""})


class UserRow(Row, table=True):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", [r.value for r in Role]), name="role_known"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True)
    full_name: str
    role: str
    team_id: int | None = Field(default=None, foreign_key="teams.id", index=True)
    passphrase_hash: str | None = None
    active: bool = True
    #: migration 0007: a one-time passphrase given by an administrator must be replaced
    must_change_passphrase: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa_false()}
    )


class SignInAttemptRow(Row, table=True):
    """Failed sign-ins in a row for one typed user name (domain/signin.py)."""

    __tablename__ = "sign_in_attempts"

    name_key: str = Field(primary_key=True)
    failures: int = 0
    last_failed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    locked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class LeadSupportRow(Row, table=True):
    """A practice lead supports a practitioner (User.supports)."""

    __tablename__ = "lead_supports"

    lead_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    practitioner_id: int = Field(
        foreign_key="users.id", primary_key=True, index=True, ondelete="CASCADE"
    )


# --- families ---------------------------------------------------------------------------------


class FamilyRow(Row, table=True):
    __tablename__ = "families"
    __table_args__ = (
        CheckConstraint("closed_on IS NULL OR closed_on >= opened_on", name="closed_after_opened"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True)
    name: str
    team_id: int = Field(foreign_key="teams.id", index=True)
    practitioner_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    opened_on: date
    address: str = ""
    closed_on: date | None = None
    closure_reason: str = ""


class MemberRow(Row, table=True):
    __tablename__ = "members"

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="families.id", index=True, ondelete="CASCADE")
    name: str
    role: str
    date_of_birth: date | None = None
    #: The council's child identifier from a caseload import (migration 0008).
    external_id: str | None = Field(default=None, index=True)


class MemberStatusRow(Row, table=True):
    """One entry of a child's legal status history."""

    __tablename__ = "member_statuses"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="members.id", index=True, ondelete="CASCADE")
    status: str = Field(index=True)
    since: date
    cp_category: str | None = None
    #: The council's legal status code (C2, V2 ...) when imported (migration 0008).
    code: str = ""


# --- plans ------------------------------------------------------------------------------------


class PlanRow(Row, table=True):
    __tablename__ = "plans"
    __table_args__ = (CheckConstraint("revision > 0", name="revision_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="families.id", unique=True)
    #: Number of the current PlanRevisionRow; the compare-and-set key.
    revision: int
    updated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    updated_by: int | None = Field(default=None, foreign_key="users.id")


class PlanRevisionRow(Row, table=True):
    __tablename__ = "plan_revisions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plans.id", index=True)
    number: int
    #: PlanContent as JSON (storage/snapshots.py).
    content: str = Field(sa_type=Text)
    author_id: int = Field(foreign_key="users.id")
    saved_at: datetime = Field(sa_type=UtcDateTime)
    #: Author of the concurrent revision this one merged (migration 0012).
    co_author_id: int | None = Field(default=None, foreign_key="users.id")


# --- mapping and scaling ----------------------------------------------------------------------


class MappingRow(Row, table=True):
    __tablename__ = "mappings"
    __table_args__ = (CheckConstraint("revision > 0", name="revision_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="families.id", index=True)
    #: held_on of the current revision, for ordering without reading the JSON.
    held_on: date
    revision: int
    updated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class MappingRevisionRow(Row, table=True):
    __tablename__ = "mapping_revisions"
    __table_args__ = (UniqueConstraint("mapping_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    mapping_id: int = Field(foreign_key="mappings.id", index=True)
    number: int
    #: MappingContent as JSON (storage/snapshots.py).
    content: str = Field(sa_type=Text)
    author_id: int = Field(foreign_key="users.id")
    saved_at: datetime = Field(sa_type=UtcDateTime)
    #: Author of the concurrent revision this one merged (migration 0012).
    co_author_id: int | None = Field(default=None, foreign_key="users.id")


class ScalingRatingRow(Row, table=True):
    __tablename__ = "scaling_ratings"
    __table_args__ = (
        CheckConstraint("score >= 0 AND score <= 10", name="score_0_to_10"),
        Index("ix_scaling_ratings_family_id_rated_on", "family_id", "rated_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="families.id")
    mapping_id: int | None = Field(default=None, foreign_key="mappings.id", index=True)
    rated_on: date
    person: str
    person_role: str = ""
    score: int
    reason: str = Field(sa_type=Text)
    anchor_zero: str
    anchor_ten: str
    danger_key: str | None = None
    recorded_by: int | None = Field(default=None, foreign_key="users.id")


# --- summaries --------------------------------------------------------------------------------


class SummaryRow(Row, table=True):
    __tablename__ = "summaries"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_in_order"),
        CheckConstraint(_in("status", [s.value for s in SummaryStatus]), name="status_known"),
        CheckConstraint("version > 0", name="version_positive"),
        # A discarded draft's id is never given to another summary (migration 0003).
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="families.id", index=True)
    author_id: int = Field(foreign_key="users.id", index=True)
    period_start: date
    period_end: date
    status: str = Field(index=True)
    #: {section value: text} as JSON.
    sections: str = Field(sa_type=Text)
    #: Number of the latest SummaryVersionRow; the compare-and-set key.
    version: int
    created_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    reviewer_id: int | None = Field(default=None, foreign_key="users.id")
    return_comment: str = Field(default="", sa_type=Text)


class SummaryVersionRow(Row, table=True):
    __tablename__ = "summary_versions"
    __table_args__ = (
        UniqueConstraint("summary_id", "number"),
        CheckConstraint(_in("status", [s.value for s in SummaryStatus]), name="status_known"),
    )

    id: int | None = Field(default=None, primary_key=True)
    summary_id: int = Field(foreign_key="summaries.id", index=True)
    number: int
    event: str
    status: str
    sections: str = Field(sa_type=Text)
    period_start: date
    period_end: date
    by_user: int = Field(foreign_key="users.id")
    at: datetime = Field(sa_type=UtcDateTime)
    comment: str = Field(default="", sa_type=Text)
    #: Author of the concurrent version this one merged (migration 0012).
    co_author_id: int | None = Field(default=None, foreign_key="users.id")


# --- time use ---------------------------------------------------------------------------------


class ContactRow(Row, table=True):
    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint("minutes > 0 AND minutes <= 1440", name="minutes_in_day"),
        CheckConstraint("travel_minutes >= 0 AND travel_minutes <= 1440", name="travel_in_day"),
        CheckConstraint("child_seen OR NOT seen_alone", name="seen_alone_implies_seen"),
        Index("ix_contacts_family_id_on_date", "family_id", "on_date"),
        Index("ix_contacts_practitioner_id_on_date", "practitioner_id", "on_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="families.id")
    practitioner_id: int = Field(foreign_key="users.id")
    on_date: date
    start_time: time
    minutes: int
    kind: str
    note: str
    present: str = ""
    child_seen: bool = False
    seen_alone: bool = False
    travel_minutes: int = 0
    logged_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    edited_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ContactChildSeenRow(Row, table=True):
    """Migration 0014: each child seen at a contact, and whether alone (the contacts table's
    child_seen / seen_alone are kept as "any child" / "any child alone", written from these)."""

    __tablename__ = "contact_children_seen"
    __table_args__ = (UniqueConstraint("contact_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contacts.id", index=True, ondelete="CASCADE")
    #: None once the member has been removed from the family (the name stays).
    member_id: int | None = Field(
        default=None, foreign_key="members.id", index=True, ondelete="SET NULL"
    )
    name: str
    alone: bool = False


class RecordingSessionRow(Row, table=True):
    __tablename__ = "recording_sessions"
    __table_args__ = (
        CheckConstraint("active_seconds >= 0", name="active_not_negative"),
        CheckConstraint("ended >= started", name="ends_after_start"),
        Index("ix_recording_sessions_user_id_started", "user_id", "started"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    activity: str
    started: datetime = Field(sa_type=UtcDateTime)
    ended: datetime = Field(sa_type=UtcDateTime)
    active_seconds: int
    family_id: int | None = Field(default=None, foreign_key="families.id", index=True)
    #: The local calendar date the session started on (migration 0013): the report's day.
    local_day: date


class ManualEntryRow(Row, table=True):
    __tablename__ = "manual_recording_entries"
    __table_args__ = (
        CheckConstraint("minutes > 0 AND minutes <= 1440", name="minutes_in_day"),
        Index("ix_manual_recording_entries_user_id_on_date", "user_id", "on_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    on_date: date
    minutes: int
    kind: str
    note: str = ""
    family_id: int | None = Field(default=None, foreign_key="families.id")
    entered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)  # migration 0005


class BaselineEntryRow(Row, table=True):
    __tablename__ = "baseline_entries"
    __table_args__ = (
        CheckConstraint("minutes >= 0 AND minutes <= 1440", name="minutes_in_day"),
        Index("ix_baseline_entries_user_id_on_date", "user_id", "on_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    on_date: date
    category: str
    minutes: int


class TrialDiaryEntryRow(Row, table=True):
    """The time-use diary kept during the trial (domain/diary.py): calibration only, never part
    of the measured trial figures, never part of the baseline."""

    __tablename__ = "trial_diary_entries"
    __table_args__ = (
        CheckConstraint("minutes >= 0 AND minutes <= 1440", name="minutes_in_day"),
        Index("ix_trial_diary_entries_user_id_on_date", "user_id", "on_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    on_date: date
    category: str
    minutes: int


class TrialAmounts(SQLModel):
    """The trial's sums a day and a week of rollup share (not a table): minutes with families
    and travelling, ``a_*`` active recording seconds by activity, ``m_*`` manual minutes."""

    direct_minutes: int
    travel_minutes: int
    a_summary: int
    a_plan: int
    a_mapping: int
    a_contact_log: int
    a_observation: int
    a_observation_feedback: int
    a_review: int
    #: Migration 0019 (a column with a server default: the rollup triggers of the other raw
    #: tables list their columns and leave it to the default).
    a_network_meeting: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    m_legacy_system: int
    m_court_statement: int
    m_letters_email: int
    m_other: int


class RollupTrialDayRow(TrialAmounts, Row, table=True):
    """One practitioner's trial day for the burden report (migration 0013), kept by database
    triggers in the same transaction as every write of contacts, recording_sessions and
    manual_recording_entries (storage/rollups.py). ``entries``: raw rows behind it (a
    practitioner-day when > 0); ``a_*`` active seconds by activity; ``m_*`` manual minutes."""

    __tablename__ = "rollup_trial_days"

    user_id: int = Field(primary_key=True)
    on_date: date = Field(primary_key=True)
    entries: int


class RollupTrialWeekRow(TrialAmounts, Row, table=True):
    """The trial sums of rollup_trial_days per practitioner and ISO week (``week_start``: its
    Monday), with ``pdays`` its practitioner-days; kept by the same triggers (migration 0013)."""

    __tablename__ = "rollup_trial_weeks"

    user_id: int = Field(primary_key=True)
    week_start: date = Field(primary_key=True)
    pdays: int


class RollupDiaryDayRow(Row, table=True):
    """One practitioner's diary day (``phase`` baseline or trial), minutes by category; kept by
    triggers on baseline_entries and trial_diary_entries (migration 0013)."""

    __tablename__ = "rollup_diary_days"

    phase: str = Field(primary_key=True)
    user_id: int = Field(primary_key=True)
    on_date: date = Field(primary_key=True)
    entries: int
    c_direct_work: int
    c_recording: int
    c_admin_it: int
    c_meeting_multiagency: int
    c_meeting_internal: int
    c_supervision_reflection: int
    c_liaison: int
    c_travel: int
    c_training: int


# --- observations -----------------------------------------------------------------------------


class ObservationRow(Row, table=True):
    __tablename__ = "observations"
    __table_args__ = (
        CheckConstraint(
            "duration_seconds IS NULL OR duration_seconds > 0", name="duration_positive"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="families.id", index=True)
    practitioner_id: int = Field(foreign_key="users.id", index=True)
    session_date: date
    link: str = Field(sa_type=Text)
    duration_seconds: int | None = None
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    marked_for_deletion_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    #: Who recorded the withdrawal of consent (the link is then erased: an empty string).
    withdrawn_by: int | None = None


class ConsentRow(Row, table=True):
    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint("withdrawn_on IS NULL OR withdrawn_on >= given_on", name="withdrawn_after"),
    )

    id: int | None = Field(default=None, primary_key=True)
    observation_id: int = Field(foreign_key="observations.id", index=True, ondelete="CASCADE")
    person: str
    kind: str
    given_on: date
    method: str
    scope: str
    obtained_by: int = Field(foreign_key="users.id")
    member_id: int | None = Field(default=None, foreign_key="members.id", ondelete="SET NULL")
    withdrawn_on: date | None = None


#: Skill value -> FeedbackRow column (tests check it covers domain.observations.Skill).
RATING_COLUMNS = {
    skill: f"rating_{skill}"
    for skill in (
        "empathy",
        "collaboration",
        "autonomy",
        "evocation",
        "purposefulness",
        "clarity",
        "child_focus",
    )
}
_RATING_CHECK = "{0} IS NULL OR ({0} >= 1 AND {0} <= 5)"


class ErasedRecordingRow(Row, table=True):
    """A recording address erased after consent was withdrawn, kept only as a SHA-256 of the
    normalised address so the same recording cannot be added again without new consent."""

    __tablename__ = "erased_recordings"

    address_sha256: str = Field(primary_key=True)
    erased_at: datetime = Field(sa_type=UtcDateTime)
    #: Whose consent was withdrawn, and when: their new consent lets it be added again.
    withdrawn_person: str
    withdrawn_on: date


class FeedbackRow(Row, table=True):
    """A practice lead's feedback on one observation; one column per skill rating (1–5)."""

    __tablename__ = "feedback"
    __table_args__ = tuple(
        CheckConstraint(_RATING_CHECK.format(column), name=f"{column}_1_to_5")
        for column in RATING_COLUMNS.values()
    )

    id: int | None = Field(default=None, primary_key=True)
    observation_id: int = Field(foreign_key="observations.id", unique=True)
    lead_id: int = Field(foreign_key="users.id", index=True)
    rating_empathy: float | None = None
    rating_collaboration: float | None = None
    rating_autonomy: float | None = None
    rating_evocation: float | None = None
    rating_purposefulness: float | None = None
    rating_clarity: float | None = None
    rating_child_focus: float | None = None
    strengths: str = Field(default="", sa_type=Text)
    one_thing_to_try: str = Field(default="", sa_type=Text)
    created_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    updated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class FeedbackCommentRow(Row, table=True):
    __tablename__ = "feedback_comments"
    __table_args__ = (CheckConstraint("at_seconds >= 0", name="at_not_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    feedback_id: int = Field(foreign_key="feedback.id", index=True, ondelete="CASCADE")
    at_seconds: int
    text: str = Field(sa_type=Text)


class FeedbackReplyRow(Row, table=True):
    __tablename__ = "feedback_replies"

    id: int | None = Field(default=None, primary_key=True)
    feedback_id: int = Field(foreign_key="feedback.id", index=True, ondelete="CASCADE")
    author_id: int = Field(foreign_key="users.id")
    text: str = Field(sa_type=Text)
    at: datetime = Field(sa_type=UtcDateTime)


# --- audit and drafts -------------------------------------------------------------------------


class AuditEventRow(Row, table=True):
    """Insert-only (database triggers refuse UPDATE and DELETE; see the initial migration).

    No foreign keys: the log must outlive the records it mentions (retention deletes them).
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_user_id_at", "user_id", "at"),
        Index("ix_audit_events_family_id_at", "family_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True, sa_type=UtcDateTime)
    user_id: int | None = None
    action: str
    entity: str
    entity_id: int | None = None
    family_id: int | None = None
    detail: str = Field(default="", sa_type=Text)
    #: Hash chain (SQLite; migration 0009, domain/audit_chain.py): the previous event's hash and
    #: this event's own. NULL on PostgreSQL, where database roles protect the log instead.
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)


class DraftRow(Row, table=True):
    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    key: str
    content: str = Field(sa_type=Text)
    saved_at: datetime = Field(sa_type=UtcDateTime)
    base_revision: int | None = None


# --- reports ----------------------------------------------------------------------------------


class SiteSettingsRow(Row, table=True):
    """Settings of the whole trial site (one row, id 1, created when an administrator first
    changes one; migration 0017). Absent: every setting has its default."""

    __tablename__ = "site_settings"
    __table_args__ = (CheckConstraint("report_min_group_size >= 3", name="min_group_at_least_3"),)

    id: int | None = Field(default=None, primary_key=True)
    #: Smallest group of practitioners shown in a pseudonymised burden report.
    report_min_group_size: int
    updated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    updated_by: int | None = Field(default=None, foreign_key="users.id")


class PseudonymKeyRow(Row, table=True):
    """This database's secret for report pseudonyms (one row, id 1; created on first use by
    storage/reports.py). Pseudonyms are an HMAC of the user id under it (domain/reports.py)."""

    __tablename__ = "pseudonym_keys"

    id: int | None = Field(default=None, primary_key=True)
    secret: str


def import_record_modules() -> list[str]:
    """Import every module of storage/records/ (each declares its rows on ``Row``, so into
    ``metadata``, and registers its repository); the modules' names. Run once, below: whoever
    imports this module gets every table, Alembic's env.py and ``tandem db upgrade`` included."""
    import importlib
    import pkgutil

    from storage import records

    names = [f"{records.__name__}.{m.name}" for m in pkgutil.iter_modules(records.__path__)]
    for name in sorted(names):
        importlib.import_module(name)
    return sorted(names)


RECORD_MODULES = import_record_modules()
