"""Load the demo data in ``sample_data/`` into an empty database.

    counts = seed_database(uow_factory, clock)      # {"families": 40, "contacts": ..., ...}

Everything goes through the domain's constructors (so the demo obeys the same rules as typed data)
and the UnitOfWork ports, so the same function seeds the in-memory fakes and SQLite/PostgreSQL. It
imports only the domain and the standard library.

The files date everything relative to the day of seeding, so the demo always looks current:
``"day": -17`` means 17 WORKING days before the clock's today (day 0 is today, or the Friday
before when seeding at a weekend), so visits and meetings never fall on a weekend. Dates of birth
(``"dob"``) are calendar days. Times are "HH:MM" local; datetimes are naive.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from domain.audit import AuditAction, AuditEvent
from domain.clock import as_utc
from domain.diary import DiaryPhase
from domain.errors import DomainError
from domain.families import CpCategory, Family, LegalStatus, Member, MemberRole, StatusChange
from domain.mapping import (
    DEFAULT_ANCHOR_TEN,
    DEFAULT_ANCHOR_ZERO,
    Category,
    DangerPair,
    DangerStatement,
    Mapping,
    MappingContent,
    MappingItem,
    MappingRevision,
    SafetyGoal,
    ScalingRating,
)
from domain.network_meetings import MEETINGS, Attendee, NetworkMeeting
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
    address_fingerprint,
)
from domain.passwords import LEGACY_N, hash_passphrase
from domain.people import Role, Team, TeamSettings, User
from domain.plans import ActionStatus, Plan, PlanAction, PlanContent, PlanGoal, new_revision
from domain.ports import Clock, UnitOfWork
from domain.summaries import Summary, SummaryEvent, SummaryStatus, SummaryVersion
from domain.timeuse import (
    BaselineEntry,
    Contact,
    ContactKind,
    ManualEntry,
    ManualKind,
    RecordingActivity,
    RecordingSession,
    TimeCategory,
    children_seen_from_flags,
)
from storage.repo_base import known_id

FILES = (
    "people.json",
    "families.json",
    "plans.json",
    "mappings.json",
    "summaries.json",
    "contacts.json",
    "recording.json",
    "observations.json",
    "baseline.csv",
)
#: Loaded when present: the time-use diary some practitioners kept during the trial (the
#: report's diary-against-app calibration; never part of the measured figures).
OPTIONAL_FILES = ("trial_diary.csv", "network_meetings.json")


def sample_data_dir() -> Path:
    """The demo data: ``sample_data/`` beside the packages (a source checkout or an installed wheel)."""
    return Path(__file__).resolve().parents[1] / "sample_data"


class DemoCalendar:
    """Turns the files' day offsets into dates around ``today``."""

    def __init__(self, today: date) -> None:
        self.today = today
        anchor = today
        while anchor.weekday() >= 5:
            anchor -= timedelta(days=1)
        self.anchor = anchor
        self._days: dict[int, date] = {0: anchor}

    def day(self, offset: int) -> date:
        """The date ``offset`` working days from the anchor (negative: before it)."""
        if offset not in self._days:
            step = 1 if offset > 0 else -1
            n, d = 0, self.anchor
            while n != offset:
                n += step
                d += timedelta(days=step)
                while d.weekday() >= 5:
                    d += timedelta(days=step)
                self._days.setdefault(n, d)
        return self._days[offset]

    def at(self, stamp: dict[str, Any]) -> datetime:
        return as_utc(datetime.combine(self.day(stamp["day"]), time.fromisoformat(stamp["time"])))

    def calendar_day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)


def read_sample_data(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in FILES:
        path = folder / name
        if not path.is_file():
            raise DomainError(f"The demo data folder {folder} has no {name}; it cannot be loaded.")
        with path.open(encoding="utf-8", newline="") as fh:
            data[name] = list(csv.DictReader(fh)) if name.endswith(".csv") else json.load(fh)
    for name in OPTIONAL_FILES:
        path = folder / name
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as fh:
                data[name] = list(csv.DictReader(fh)) if name.endswith(".csv") else json.load(fh)
    return data


def _refuse_if_not_empty(uow: UnitOfWork) -> None:
    found = [
        (len(uow.users.list()), "user", "users"),
        (len(uow.teams.list()), "team", "teams"),
        (len(uow.families.list(include_closed=True)), "family", "families"),
    ]
    parts = [f"{n} {one if n == 1 else many}" for n, one, many in found if n]
    if parts:
        raise DomainError(
            f"The database is not empty (it has {' and '.join(parts)}); seed only loads into an "
            "empty database."
        )


def seed_database(
    uow_factory: Callable[[], UnitOfWork], clock: Clock, sample_dir: Path | str | None = None
) -> dict[str, int]:
    """Load the demo data into an empty database in one transaction; return what was added.

    Raises DomainError (and changes nothing) if the database already holds users, teams or
    families, or if a demo file is missing."""
    data = read_sample_data(Path(sample_dir) if sample_dir is not None else sample_data_dir())
    with uow_factory() as uow:
        _refuse_if_not_empty(uow)
    people = data["people.json"]
    # The demo passphrase is public, so demo hashes use the older, cheaper cost (explicitly):
    # seeding stays quick and each demo user's hash is raised to the full cost at first sign-in.
    hashes = {
        u["username"]: hash_passphrase(people["demo_passphrase"], n=LEGACY_N)
        for u in people["users"]
    }
    loader = _Loader(DemoCalendar(clock.today()))
    with uow_factory() as uow:
        _refuse_if_not_empty(uow)
        loader.load(uow, data, hashes)
        summary = ", ".join(f"{k} {v}" for k, v in loader.counts.items())
        uow.audit.record(
            AuditEvent(
                at=clock.now(),
                user_id=None,
                action=AuditAction.IMPORT,
                entity="sample_data",
                detail=f"Demo data loaded: {summary}.",
            )
        )
        uow.commit()
    return dict(loader.counts)


class _Loader:
    def __init__(self, cal: DemoCalendar) -> None:
        self.cal = cal
        self.counts: dict[str, int] = {}
        self.teams: dict[str, int] = {}
        self.users: dict[str, int] = {}
        self.families: dict[str, int] = {}
        self.members: dict[str, dict[str, int]] = {}
        #: Per family reference: (member id, name) of its children, in the family's order.
        self.children: dict[str, list[tuple[int, str]]] = {}

    def _count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def load(self, uow: UnitOfWork, data: dict[str, Any], hashes: dict[str, str]) -> None:
        self.people(uow, data["people.json"], hashes)
        for family in data["families.json"]["families"]:
            self.family(uow, family)
        for plan in data["plans.json"]["plans"]:
            self.plan(uow, plan)
        for mapping in data["mappings.json"]["mappings"]:
            self.mapping(uow, mapping)
        for summary in data["summaries.json"]["summaries"]:
            self.summary(uow, summary)
        for contact in data["contacts.json"]["contacts"]:
            self.contact(uow, contact)
        self.recording(uow, data["recording.json"], data["baseline.csv"])
        self.trial_diary(uow, data.get("trial_diary.csv", []))
        for observation in data["observations.json"]["observations"]:
            self.observation(uow, observation)
        for meeting in data.get("network_meetings.json", {}).get("meetings", []):
            self.network_meeting(uow, meeting)

    # ---- people ----
    def people(self, uow: UnitOfWork, people: dict[str, Any], hashes: dict[str, str]) -> None:
        for t in people["teams"]:
            team = uow.teams.add(Team(name=t["name"], settings=TeamSettings(**t["settings"])))
            self.teams[t["key"]] = known_id(team.id)
            self._count("teams")
        # Practice leads last: they point at the practitioners they support.
        ordered = sorted(people["users"], key=lambda u: bool(u["supports"]))
        for u in ordered:
            user = User(
                username=u["username"],
                full_name=u["full_name"],
                role=Role(u["role"]),
                team_id=self.teams[u["team"]] if u["team"] else None,
                passphrase_hash=hashes[u["username"]],
                supports=frozenset(self.users[s] for s in u["supports"]),
            )
            self.users[u["username"]] = known_id(uow.users.add(user).id)
            self._count("users")

    # ---- families ----
    def family(self, uow: UnitOfWork, f: dict[str, Any]) -> None:
        cal = self.cal
        members = [
            Member(
                name=m["name"],
                role=MemberRole(m["role"]),
                date_of_birth=cal.calendar_day(m["dob"]) if m["dob"] is not None else None,
                status_history=[
                    StatusChange(
                        status=LegalStatus(s["status"]),
                        since=cal.day(s["since"]),
                        cp_category=CpCategory(s["cp_category"]) if s["cp_category"] else None,
                    )
                    for s in m.get("statuses", [])
                ],
            )
            for m in f["members"]
        ]
        family = uow.families.add(
            Family(
                reference=f["reference"],
                name=f["name"],
                team_id=self.teams[f["team"]],
                practitioner_id=self.users[f["practitioner"]],
                opened_on=cal.day(f["opened"]),
                address=f["address"],
                closed_on=cal.day(f["closed"]) if f["closed"] is not None else None,
                closure_reason=f["closure_reason"],
                members=members,
            )
        )
        self.families[f["reference"]] = known_id(family.id)
        by_name = {m.name: known_id(m.id) for m in family.members}
        self.members[f["reference"]] = {m["key"]: by_name[m["name"]] for m in f["members"]}
        self.children[f["reference"]] = [(c.id, c.name) for c in family.children if c.id]
        self._count("families")
        self._count("members", len(members))

    # ---- plans ----
    def plan(self, uow: UnitOfWork, p: dict[str, Any]) -> None:
        cal, members = self.cal, self.members[p["family"]]
        family_id = self.families[p["family"]]
        current: Plan | None = None
        for rev in p["revisions"]:
            c = rev["content"]
            content = PlanContent(
                start_date=cal.day(c["start"]),
                review_date=cal.day(c["review"]),
                family_words=c["family_words"],
                goals=tuple(
                    PlanGoal(
                        text=g["text"],
                        child_ids=tuple(members[k] for k in g["children"]),
                        danger_key=g["danger"],
                        actions=tuple(
                            PlanAction(
                                what=a["what"],
                                who=a["who"],
                                by_when=cal.day(a["by"]) if a["by"] is not None else None,
                                status=ActionStatus(a["status"]),
                            )
                            for a in g["actions"]
                        ),
                    )
                    for g in c["goals"]
                ),
                contingency=c["contingency"],
                agreed_on=cal.day(c["agreed_on"]) if c["agreed_on"] is not None else None,
                agreed_with=c["agreed_with"],
            )
            revision = new_revision(
                current, content, self.users[rev["author"]], cal.at(rev["saved"])
            )
            plan = current or Plan(family_id=family_id, current=content, revision=0)
            current = uow.plans.save(
                plan, revision, expected_revision=current.revision if current else None
            )
            self._count("plan_revisions")
        self._count("plans")

    # ---- Signs of Safety ----
    def mapping(self, uow: UnitOfWork, m: dict[str, Any]) -> None:
        cal = self.cal
        family_id = self.families[m["family"]]
        current: Mapping | None = None
        for number, rev in enumerate(m["revisions"], start=1):
            c = rev["content"]
            content = MappingContent(
                held_on=cal.day(c["held_on"]),
                participants=tuple(c["participants"]),
                items=tuple(MappingItem(Category(i["category"]), i["text"]) for i in c["items"]),
                pairs=tuple(
                    DangerPair(
                        danger=DangerStatement(
                            who_is_worried=p["danger"]["who"],
                            worried_about=p["danger"]["about"],
                            if_nothing_changes=p["danger"]["if_nothing"],
                        ),
                        goal=SafetyGoal(
                            parents_will=p["goal"]["parents_will"],
                            child_will_experience=p["goal"]["child"],
                            professionals_will_see=p["goal"]["prof"],
                            for_how_long=p["goal"]["how_long"],
                        ),
                        key=p["key"],
                    )
                    for p in c["pairs"]
                ),
            )
            saved_at = cal.at(rev["saved"])
            revision = MappingRevision(number, content, self.users[rev["author"]], saved_at)
            mapping = current or Mapping(family_id=family_id, current=content, revision=0)
            current = uow.mappings.save(
                mapping, revision, expected_revision=current.revision if current else None
            )
            self._count("mapping_revisions")
        self._count("mappings")
        assert current is not None
        for r in m["ratings"]:
            uow.mappings.add_rating(
                ScalingRating(
                    family_id=family_id,
                    rated_on=cal.day(r["day"]),
                    person=r["person"],
                    person_role=r["role"],
                    score=r["score"],
                    reason=r["reason"],
                    anchor_zero=r["anchor_zero"] or DEFAULT_ANCHOR_ZERO,
                    anchor_ten=r["anchor_ten"] or DEFAULT_ANCHOR_TEN,
                    mapping_id=current.id,
                    danger_key=r["danger"],
                    recorded_by=self.users[r["recorded_by"]],
                )
            )
            self._count("ratings")

    # ---- case summaries ----
    def summary(self, uow: UnitOfWork, s: dict[str, Any]) -> None:
        cal = self.cal
        start, end = cal.day(s["period_start"]), cal.day(s["period_end"])
        summary: Summary | None = None
        for number, v in enumerate(s["versions"], start=1):
            at, by = cal.at(v["at"]), self.users[v["by"]]
            event, status = SummaryEvent(v["event"]), SummaryStatus(v["status"])
            if summary is None:
                summary = Summary(
                    family_id=self.families[s["family"]],
                    author_id=self.users[s["author"]],
                    period_start=start,
                    period_end=end,
                    sections=v.get("sections", {}),
                    created_at=at,
                )
            changes: dict[str, Any] = {"status": status}
            if "sections" in v:
                changes["sections"] = v["sections"]
            if event in (SummaryEvent.SUBMITTED, SummaryEvent.RESUBMITTED):
                changes["submitted_at"] = at
            if event in (SummaryEvent.APPROVED, SummaryEvent.RETURNED):
                changes.update(decided_at=at, reviewer_id=by)
            if event is SummaryEvent.RETURNED:
                changes["return_comment"] = v["comment"]
            summary = replace(summary, **changes)
            version = SummaryVersion(
                number=number,
                event=event,
                status=status,
                sections=dict(summary.sections),
                period_start=start,
                period_end=end,
                by_user=by,
                at=at,
                comment=v["comment"],
            )
            summary = uow.summaries.save(
                summary, version, expected_revision=None if number == 1 else number - 1
            )
            self._count("summary_versions")
        self._count("summaries")

    # ---- time with families and time recording ----
    def contact(self, uow: UnitOfWork, c: dict[str, Any]) -> None:
        cal = self.cal
        uow.contacts.add(
            Contact(
                family_id=self.families[c["family"]],
                practitioner_id=self.users[c["by"]],
                on=cal.day(c["day"]),
                start=time.fromisoformat(c["time"]),
                minutes=c["minutes"],
                kind=ContactKind(c["kind"]),
                note=c["note"],
                present=c["present"],
                # The demo data keeps one flag per contact, as contacts had before migration
                # 0014; they become per-child by the migration's documented rule.
                seen=children_seen_from_flags(
                    c["present"], self.children[c["family"]], c["child_seen"], c["seen_alone"]
                ),
                travel_minutes=c["travel_minutes"],
                logged_at=cal.at(c["logged"]),
            )
        )
        self._count("contacts")

    def network_meeting(self, uow: UnitOfWork, n: dict[str, Any]) -> None:
        uow.repo(MEETINGS).add(
            NetworkMeeting(
                family_id=self.families[n["family"]],
                held_on=self.cal.day(n["day"]),
                attendees=tuple(Attendee(*person) for person in n["attendees"]),
                decisions=n["decisions"],
                next_meeting_on=self.cal.day(n["next"]) if n["next"] is not None else None,
                recorded_by=self.users[n["by"]],
                recorded_at=self.cal.at(n["recorded"]),
            )
        )
        self._count("network_meetings")
        write_up = n.get("write_up")
        if write_up:  # the meeting editor's clock: from opening it to saving the meeting
            uow.recording.add_session(
                RecordingSession(
                    user_id=self.users[n["by"]],
                    activity=RecordingActivity.NETWORK_MEETING,
                    started=self.cal.at({"day": n["recorded"]["day"], "time": write_up["start"]}),
                    ended=self.cal.at(n["recorded"]),
                    active_seconds=write_up["active"],
                    family_id=self.families[n["family"]],
                )
            )
            self._count("recording_sessions")

    def recording(
        self, uow: UnitOfWork, recording: dict[str, Any], baseline: list[dict[str, str]]
    ) -> None:
        cal = self.cal
        for s in recording["sessions"]:
            day = cal.day(s["day"])
            uow.recording.add_session(
                RecordingSession(
                    user_id=self.users[s["user"]],
                    activity=RecordingActivity(s["activity"]),
                    started=as_utc(datetime.combine(day, time.fromisoformat(s["start"]))),
                    ended=as_utc(datetime.combine(day, time.fromisoformat(s["end"]))),
                    active_seconds=s["active"],
                    family_id=self.families[s["family"]] if s["family"] else None,
                )
            )
            self._count("recording_sessions")
        for m in recording["manual"]:
            uow.recording.add_manual(
                ManualEntry(
                    user_id=self.users[m["user"]],
                    on=cal.day(m["day"]),
                    minutes=m["minutes"],
                    kind=ManualKind(m["kind"]),
                    note=m["note"],
                    family_id=self.families[m["family"]] if m["family"] else None,
                )
            )
            self._count("manual_entries")
        entries = [
            BaselineEntry(
                user_id=self.users[row["practitioner"]],
                on=cal.day(int(row["date"])),
                category=TimeCategory(row["category"]),
                minutes=int(row["minutes"]),
            )
            for row in baseline
        ]
        self._count("baseline_entries", uow.recording.add_baseline(entries))

    def trial_diary(self, uow: UnitOfWork, rows: list[dict[str, str]]) -> None:
        entries = [
            BaselineEntry(
                user_id=self.users[row["practitioner"]],
                on=self.cal.day(int(row["date"])),
                category=TimeCategory(row["category"]),
                minutes=int(row["minutes"]),
            )
            for row in rows
        ]
        if entries:
            self._count("trial_diary_entries", uow.diary.add(DiaryPhase.TRIAL, entries))

    # ---- audio observation ----
    def observation(self, uow: UnitOfWork, o: dict[str, Any]) -> None:
        cal = self.cal
        members = self.members[o["family"]]
        practitioner = self.users[o["practitioner"]]
        consents = [
            Consent(
                person=c["person"],
                kind=ConsentKind(c["kind"]),
                given_on=cal.day(c["given_on"]),
                method=ConsentMethod(c["method"]),
                scope=c["scope"],
                obtained_by=practitioner,
                member_id=members.get(c["member"]),
                withdrawn_on=cal.day(c["withdrawn_on"]) if c["withdrawn_on"] is not None else None,
            )
            for c in o["consents"]
        ]
        observation = uow.observations.add(
            Observation(
                family_id=self.families[o["family"]],
                practitioner_id=practitioner,
                session_date=cal.day(o["day"]),
                link=o["link"],
                duration_seconds=o["duration"],
                consents=consents,
                created_by=self.users[o["created_by"]],
                created_at=cal.at(o["created"]),
                marked_for_deletion_at=cal.at(o["withdrawn_at"]) if o["withdrawn_at"] else None,
            )
        )
        if observation.withdrawn:  # its address was erased: keep only the fingerprint
            gone = next((c for c in consents if c.withdrawn_on is not None), consents[0])
            erased_at = observation.marked_for_deletion_at or cal.at(o["created"])
            uow.observations.record_erased(
                ErasedRecording(
                    address_fingerprint(o["link"]),
                    erased_at,
                    gone.person,
                    gone.withdrawn_on or erased_at.date(),
                )
            )
        self._count("observations")
        self._count("consents", len(consents))
        f = o["feedback"]
        if f is None:
            return
        feedback = Feedback(
            observation_id=known_id(observation.id),
            lead_id=self.users[f["lead"]],
            ratings={Skill(k): v for k, v in f["ratings"].items()},
            comments=[TimedComment(c["at"], c["text"]) for c in f["comments"]],
            strengths=f["strengths"],
            one_thing_to_try=f["one_thing_to_try"],
            replies=[
                Reply(author_id=self.users[r["author"]], text=r["text"], at=cal.at(r["at"]))
                for r in f["replies"]
            ],
            created_at=cal.at(f["created"]),
            updated_at=cal.at(f["updated"]),
        )
        feedback.check_against(observation.duration_seconds)
        uow.observations.save_feedback(feedback)
        self._count("feedback")
        self._count("feedback_replies", len(feedback.replies))
