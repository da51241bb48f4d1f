"""In-memory implementations of domain.ports, for unit tests of the services (no database).

They keep the same contracts as storage/: ids assigned on add, NotFound on a missing id, Conflict
on a stale revision, and rollback of everything not committed.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from domain.audit import AuditEvent, Draft, family_token
from domain.audit_chain import GENESIS, ChainLink, event_hash
from domain.caseload_facts import CaseloadFacts
from domain.clock import local_date
from domain.diary import DiaryPhase
from domain.errors import Conflict, NotFound
from domain.families import Family
from domain.mapping import Mapping, MappingRevision, ScalingRating
from domain.observations import ErasedRecording, Feedback, Observation
from domain.people import Role, Team, User
from domain.plans import Plan, PlanRevision
from domain.ports import FamilyRecordsKey, RepoKey
from domain.reports import (
    BaselineAggregates,
    BaselineSums,
    BurdenQuery,
    Calibration,
    CalibrationAggregates,
    TrialAggregates,
    TrialSums,
    quartiles,
    week_start,
)
from domain.scaling import ScaledScore
from domain.signin import SignInRecord
from domain.summaries import Summary, SummaryStatus, SummaryVersion
from domain.timeuse import BaselineEntry, Contact, ManualEntry, RecordingSession


@dataclass
class Store:
    teams: dict[int, Team] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    families: dict[int, Family] = field(default_factory=dict)
    plans: dict[int, Plan] = field(default_factory=dict)  # by family id
    plan_revisions: dict[int, list[PlanRevision]] = field(default_factory=dict)
    mappings: dict[int, Mapping] = field(default_factory=dict)
    mapping_revisions: dict[int, list[MappingRevision]] = field(default_factory=dict)
    ratings: list[ScalingRating] = field(default_factory=list)
    summaries: dict[int, Summary] = field(default_factory=dict)
    summary_versions: dict[int, list[SummaryVersion]] = field(default_factory=dict)
    contacts: dict[int, Contact] = field(default_factory=dict)
    sessions: list[RecordingSession] = field(default_factory=list)
    manual: list[ManualEntry] = field(default_factory=list)
    baseline: list[BaselineEntry] = field(default_factory=list)
    trial_diary: list[BaselineEntry] = field(default_factory=list)
    observations: dict[int, Observation] = field(default_factory=dict)
    feedback: dict[int, Feedback] = field(default_factory=dict)  # by observation id
    audit: list[AuditEvent] = field(default_factory=list)
    drafts: dict[tuple[int, str], Draft] = field(default_factory=dict)
    sign_in: dict[str, SignInRecord] = field(default_factory=dict)
    erased: dict[str, ErasedRecording] = field(default_factory=dict)
    pseudonym_secret: str | None = None
    min_group_size: int | None = None
    #: The registry's records (``uow.repo(KEY)``, domain/ports.py RepoKey): by key name, then id.
    records: dict[str, dict[int, Any]] = field(default_factory=dict)
    next_id: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def of(self, key: RepoKey[Any]) -> dict[int, Any]:
        """The records stored under ``key`` (``store.of(MEETINGS)``), by id."""
        return self.records.setdefault(key.name, {})


def _copy(obj: Any) -> Any:
    return copy.deepcopy(obj)


def _get(table: dict[int, Any], key: int, what: str) -> Any:
    if key not in table:
        raise NotFound(f"No {what} with id {key}.")
    return _copy(table[key])


class _Repo:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    @property
    def s(self) -> Store:
        return self.uow.store


class FakeTeams(_Repo):
    def add(self, team: Team) -> Team:
        team = replace(team, id=self.s.new_id())
        self.s.teams[team.id] = _copy(team)
        return team

    def get(self, team_id: int) -> Team:
        return _get(self.s.teams, team_id, "team")

    def by_name(self, name: str) -> Team | None:
        return next(
            (_copy(t) for t in self.s.teams.values() if t.name.lower() == name.strip().lower()),
            None,
        )

    def list(self) -> list[Team]:
        return sorted((_copy(t) for t in self.s.teams.values()), key=lambda t: t.name)

    def update(self, team: Team) -> None:
        _get(self.s.teams, team.id, "team")
        self.s.teams[team.id] = _copy(team)


class FakeUsers(_Repo):
    def add(self, user: User) -> User:
        user = replace(user, id=self.s.new_id())
        self.s.users[user.id] = _copy(user)
        return user

    def get(self, user_id: int) -> User:
        return _get(self.s.users, user_id, "user")

    def by_username(self, username: str) -> User | None:
        return next(
            (_copy(u) for u in self.s.users.values() if u.username == username.strip().lower()),
            None,
        )

    def list(self) -> list[User]:
        return sorted((_copy(u) for u in self.s.users.values()), key=lambda u: u.username)

    def update(self, user: User) -> None:
        _get(self.s.users, user.id, "user")
        self.s.users[user.id] = _copy(user)

    def sign_in_record(self, name_key: str) -> SignInRecord | None:
        return _copy(self.s.sign_in.get(name_key))

    def save_sign_in_record(self, record: SignInRecord) -> None:
        self.s.sign_in[record.name_key] = _copy(record)

    def clear_sign_in_record(self, name_key: str) -> bool:
        return self.s.sign_in.pop(name_key, None) is not None


class FakeFamilies(_Repo):
    def _assign(self, family: Family) -> None:
        for m in family.members:
            if m.id is None:
                m.id = self.s.new_id()
            m.family_id = family.id

    def add(self, family: Family) -> Family:
        family = _copy(family)
        family.id = self.s.new_id()
        self._assign(family)
        self.s.families[family.id] = _copy(family)
        return family

    def get(self, family_id: int) -> Family:
        return _get(self.s.families, family_id, "family")

    def by_reference(self, reference: str) -> Family | None:
        ref = reference.strip().upper()
        return next((_copy(f) for f in self.s.families.values() if f.reference == ref), None)

    def by_member_external_ids(self, external_ids) -> dict[str, int]:  # type: ignore[no-untyped-def]
        wanted = set(external_ids)
        return {
            m.external_id: f.id
            for f in self.s.families.values()
            for m in f.members
            if m.external_id in wanted
        }

    def existing_references(self, references: Iterable[str]) -> set[str]:
        wanted = {r.strip().upper() for r in references}
        return {f.reference for f in self.s.families.values() if f.reference in wanted}

    def add_many(self, families: Sequence[Family]) -> list[Family]:
        return [self.add(f) for f in families]

    def list(
        self,
        *,
        team_id: int | None = None,
        practitioner_id: int | None = None,
        include_closed: bool = False,
    ) -> list[Family]:
        out = [
            _copy(f)
            for f in self.s.families.values()
            if (team_id is None or f.team_id == team_id)
            and (practitioner_id is None or f.practitioner_id == practitioner_id)
            and (include_closed or f.closed_on is None)
        ]
        return sorted(out, key=lambda f: f.reference)

    def update(self, family: Family) -> None:
        _get(self.s.families, family.id, "family")
        self._assign(family)
        self.s.families[family.id] = _copy(family)


class FakePlans(_Repo):
    def for_family(self, family_id: int) -> Plan | None:
        return _copy(self.s.plans.get(family_id))

    def save(self, plan: Plan, revision: PlanRevision, *, expected_revision: int | None) -> Plan:
        stored = self.s.plans.get(plan.family_id)
        current = stored.revision if stored else None
        if current != expected_revision:
            raise Conflict(
                "The plan was changed by someone else since you opened it.",
                current_revision=current,
            )
        plan = replace(
            plan,
            id=stored.id if stored else self.s.new_id(),
            current=revision.content,
            revision=revision.number,
            updated_at=revision.saved_at,
            updated_by=revision.author_id,
        )
        self.s.plans[plan.family_id] = _copy(plan)
        self.s.plan_revisions.setdefault(plan.family_id, []).append(_copy(revision))
        return plan

    def revisions(self, family_id: int) -> list[PlanRevision]:
        return _copy(self.s.plan_revisions.get(family_id, []))


class FakeMappings(_Repo):
    def get(self, mapping_id: int) -> Mapping:
        return _get(self.s.mappings, mapping_id, "mapping")

    def for_family(self, family_id: int) -> list[Mapping]:
        out = [_copy(m) for m in self.s.mappings.values() if m.family_id == family_id]
        return sorted(out, key=lambda m: (m.current.held_on, m.id))

    def save(
        self, mapping: Mapping, revision: MappingRevision, *, expected_revision: int | None
    ) -> Mapping:
        stored = self.s.mappings.get(mapping.id) if mapping.id is not None else None
        current = stored.revision if stored else None
        if mapping.id is not None and stored is None:
            raise NotFound(f"No mapping with id {mapping.id}.")
        if current != expected_revision:
            raise Conflict(
                "The mapping was changed by someone else since you opened it.",
                current_revision=current,
            )
        mapping = replace(
            mapping,
            id=mapping.id or self.s.new_id(),
            current=revision.content,
            revision=revision.number,
            updated_at=revision.saved_at,
        )
        self.s.mappings[mapping.id] = _copy(mapping)
        self.s.mapping_revisions.setdefault(mapping.id, []).append(_copy(revision))
        return mapping

    def revisions(self, mapping_id: int) -> list[MappingRevision]:
        return _copy(self.s.mapping_revisions.get(mapping_id, []))

    def add_rating(self, rating: ScalingRating) -> ScalingRating:
        rating = replace(rating, id=self.s.new_id())
        self.s.ratings.append(_copy(rating))
        return rating

    def ratings(self, family_id: int) -> list[ScalingRating]:
        out = [_copy(r) for r in self.s.ratings if r.family_id == family_id]
        return sorted(out, key=lambda r: (r.rated_on, r.id))


class FakeSummaries(_Repo):
    def get(self, summary_id: int) -> Summary:
        return _get(self.s.summaries, summary_id, "summary")

    def for_family(self, family_id: int) -> list[Summary]:
        out = [_copy(x) for x in self.s.summaries.values() if x.family_id == family_id]
        return sorted(out, key=lambda x: (x.period_end, x.id), reverse=True)

    def save(
        self, summary: Summary, version: SummaryVersion, *, expected_revision: int | None
    ) -> Summary:
        stored = self.s.summaries.get(summary.id) if summary.id is not None else None
        if summary.id is not None and stored is None:
            raise NotFound(f"No summary with id {summary.id}.")
        current = stored.version if stored else None
        if current != expected_revision:
            raise Conflict(
                "The summary was changed by someone else since you opened it.",
                current_revision=current,
            )
        summary = replace(summary, id=summary.id or self.s.new_id(), version=version.number)
        self.s.summaries[summary.id] = _copy(summary)
        self.s.summary_versions.setdefault(summary.id, []).append(_copy(version))
        return summary

    def versions(self, summary_id: int) -> list[SummaryVersion]:
        return _copy(self.s.summary_versions.get(summary_id, []))

    def delete(self, summary_id: int, *, expected_version: int) -> None:
        stored = self.s.summaries.get(summary_id)
        if stored is None:
            raise NotFound(f"No summary with id {summary_id}.")
        if stored.version != expected_version:
            raise Conflict(
                "The summary was changed by someone else since you opened it.",
                current_revision=stored.version,
            )
        del self.s.summaries[summary_id]
        self.s.summary_versions.pop(summary_id, None)

    def with_status(self, status: SummaryStatus, *, team_id: int | None = None) -> list[Summary]:
        out = [
            _copy(x)
            for x in self.s.summaries.values()
            if x.status is status
            and (team_id is None or self.s.families[x.family_id].team_id == team_id)
        ]
        return sorted(out, key=lambda x: (x.submitted_at or datetime.min.replace(tzinfo=UTC), x.id))


class FakeContacts(_Repo):
    def add(self, contact: Contact) -> Contact:
        contact = replace(contact, id=self.s.new_id())
        self.s.contacts[contact.id] = _copy(contact)
        return contact

    def get(self, contact_id: int) -> Contact:
        return _get(self.s.contacts, contact_id, "contact")

    def update(self, contact: Contact) -> None:
        _get(self.s.contacts, contact.id, "contact")
        self.s.contacts[contact.id] = _copy(contact)

    def for_family(
        self, family_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[Contact]:
        out = [
            _copy(c)
            for c in self.s.contacts.values()
            if c.family_id == family_id
            and (start is None or c.on >= start)
            and (end is None or c.on <= end)
        ]
        return sorted(out, key=lambda c: (c.on, c.start, c.id), reverse=True)

    def for_practitioner(self, practitioner_id: int, *, start: date, end: date) -> list[Contact]:
        out = [
            _copy(c)
            for c in self.s.contacts.values()
            if c.practitioner_id == practitioner_id and start <= c.on <= end
        ]
        return sorted(out, key=lambda c: (c.on, c.start, c.id))

    def last_for_practitioner(self, practitioner_id: int) -> Contact | None:
        mine = [c for c in self.s.contacts.values() if c.practitioner_id == practitioner_id]
        return (
            _copy(max(mine, key=lambda c: (c.logged_at or datetime.min.replace(tzinfo=UTC), c.id)))
            if mine
            else None
        )


class FakeRecording(_Repo):
    def add_session(self, session: RecordingSession) -> RecordingSession:
        session = replace(session, id=self.s.new_id())
        self.s.sessions.append(_copy(session))
        return session

    def get_session(self, session_id: int) -> RecordingSession:
        for s in self.s.sessions:
            if s.id == session_id:
                return _copy(s)
        raise NotFound(f"No recording session with id {session_id}.")

    def update_session(self, session: RecordingSession) -> None:
        for i, s in enumerate(self.s.sessions):
            if s.id == session.id:
                self.s.sessions[i] = _copy(session)
                return
        raise NotFound(f"No recording session with id {session.id}.")

    def add_manual(self, entry: ManualEntry) -> ManualEntry:
        entry = replace(entry, id=self.s.new_id())
        self.s.manual.append(_copy(entry))
        return entry

    def add_baseline(self, entries: Iterable[BaselineEntry]) -> int:
        n = 0
        for e in entries:
            self.s.baseline.append(replace(e, id=self.s.new_id()))
            n += 1
        return n

    def sessions(
        self, *, user_id: int | None = None, family_id: int | None = None
    ) -> list[RecordingSession]:
        return [
            _copy(x)
            for x in self.s.sessions
            if (user_id is None or x.user_id == user_id)
            and (family_id is None or x.family_id == family_id)
        ]

    def manual_entries(
        self,
        *,
        user_id: int | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> list[ManualEntry]:
        return sorted(
            (
                _copy(x)
                for x in self.s.manual
                if (user_id is None or x.user_id == user_id)
                and (start is None or x.on >= start)
                and (end is None or x.on <= end)
            ),
            key=lambda x: (x.on, x.id),
        )

    def _manual_index(self, entry_id: int | None) -> int:
        for i, x in enumerate(self.s.manual):
            if x.id == entry_id:
                return i
        raise NotFound(f"No manual entry with id {entry_id}.")

    def get_manual(self, entry_id: int) -> ManualEntry:
        return _copy(self.s.manual[self._manual_index(entry_id)])

    def update_manual(self, entry: ManualEntry) -> None:
        self.s.manual[self._manual_index(entry.id)] = _copy(entry)

    def delete_manual(self, entry_id: int) -> None:
        del self.s.manual[self._manual_index(entry_id)]

    def delete_manual_between(self, user_id: int, kind: str, start: date, end: date) -> int:
        keep = [
            x
            for x in self.s.manual
            if not (x.user_id == user_id and x.kind.value == kind and start <= x.on <= end)
        ]
        removed = len(self.s.manual) - len(keep)
        self.s.manual = keep
        return removed


class FakeObservations(_Repo):
    def _assign(self, obs: Observation) -> None:
        for c in obs.consents:
            if c.id is None:
                c.id = self.s.new_id()
            c.observation_id = obs.id

    def add(self, observation: Observation) -> Observation:
        obs = _copy(observation)
        obs.id = self.s.new_id()
        self._assign(obs)
        self.s.observations[obs.id] = _copy(obs)
        return obs

    def get(self, observation_id: int) -> Observation:
        return _get(self.s.observations, observation_id, "observation")

    def update(self, observation: Observation) -> None:
        _get(self.s.observations, observation.id, "observation")
        self._assign(observation)
        self.s.observations[observation.id] = _copy(observation)

    def list(
        self, *, practitioner_ids: Sequence[int] | None = None, family_id: int | None = None
    ) -> list[Observation]:
        out = [
            _copy(o)
            for o in self.s.observations.values()
            if (practitioner_ids is None or o.practitioner_id in practitioner_ids)
            and (family_id is None or o.family_id == family_id)
        ]
        return sorted(out, key=lambda o: (o.session_date, o.id))

    def feedback(self, observation_id: int) -> Feedback | None:
        return _copy(self.s.feedback.get(observation_id))

    def record_erased(self, erased: ErasedRecording) -> None:
        self.s.erased[erased.address_sha256] = erased

    def erased(self, address_sha256: str) -> ErasedRecording | None:
        return self.s.erased.get(address_sha256)

    def save_feedback(self, feedback: Feedback) -> Feedback:
        feedback = replace(feedback, id=feedback.id or self.s.new_id())
        self.s.feedback[feedback.observation_id] = _copy(feedback)
        return feedback


class FakeAudit(_Repo):
    chained = True

    def record(self, event: AuditEvent) -> None:
        self.s.audit.append(replace(event, id=self.s.new_id()))

    def record_many(self, events: Sequence[AuditEvent]) -> None:
        for event in events:
            self.record(event)

    def chain(self) -> Iterator[ChainLink]:
        """The events with the hashes a SQLite database would hold."""
        previous = GENESIS
        for event in self.s.audit:
            digest = event_hash(previous, event)
            yield ChainLink(event, previous, digest)
            previous = digest

    def list(
        self,
        *,
        family_id: int | None = None,
        user_id: int | None = None,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[AuditEvent]:
        out = [
            e
            for e in self.s.audit
            if (
                family_id is None or e.family_id == family_id or family_token(family_id) in e.detail
            )
            and (user_id is None or e.user_id == user_id)
            and (since is None or e.at >= since)
        ]
        return out[-limit:] if limit else list(out)


class FakeDrafts(_Repo):
    def put(self, draft: Draft) -> None:
        self.s.drafts[(draft.user_id, draft.key)] = _copy(draft)

    def get(self, user_id: int, key: str) -> Draft | None:
        return _copy(self.s.drafts.get((user_id, key)))

    def delete(self, user_id: int, key: str) -> None:
        self.s.drafts.pop((user_id, key), None)

    def delete_for_everyone(self, key: str) -> None:
        for user_id, k in list(self.s.drafts):
            if k == key:
                del self.s.drafts[(user_id, k)]

    def for_user(self, user_id: int) -> list[Draft]:
        return [_copy(d) for (u, _), d in self.s.drafts.items() if u == user_id]


class FakeReports(_Repo):
    """The burden report's sums computed in Python, with the SQL's definitions
    (storage/reports.py): practitioners only, ISO weeks, a session counts on the local day it
    started."""

    def _in_scope(self, query: BurdenQuery) -> set[int]:
        return {
            u.id
            for u in self.s.users.values()
            if u.role is Role.PRACTITIONER
            and (query.team_id is None or u.team_id == query.team_id)
            and (query.practitioner_id is None or u.id == query.practitioner_id)
        }

    def trial(self, query: BurdenQuery) -> TrialAggregates:
        scope = self._in_scope(query)

        def within(day: date) -> bool:
            return day <= query.end and (query.start is None or day >= query.start)

        # One cell list per practitioner-day.
        grid: dict[tuple[int, date], list[tuple[str, str, int]]] = defaultdict(list)
        for c in self.s.contacts.values():
            if c.practitioner_id in scope and within(c.on):
                key = (c.practitioner_id, c.on)
                grid[key] += [("direct", "", c.minutes), ("travel", "", c.travel_minutes)]
        for x in self.s.sessions:
            if x.user_id in scope and within(local_date(x.started)):
                key = (x.user_id, local_date(x.started))
                grid[key].append(("auto", x.activity.value, x.active_seconds))
        for m in self.s.manual:
            if m.user_id in scope and within(m.on):
                grid[(m.user_id, m.on)].append(("manual", m.kind.value, m.minutes))

        def sums(cells: list[tuple[str, str, int]], days: int, people: int) -> TrialSums:
            auto: Counter[str] = Counter()
            manual: Counter[str] = Counter()
            direct = travel = 0
            for measure, kind, amount in cells:
                if measure == "direct":
                    direct += amount
                elif measure == "travel":
                    travel += amount
                elif measure == "auto":
                    auto[kind] += amount
                else:
                    manual[kind] += amount
            return TrialSums(direct, travel, dict(auto), dict(manual), days, people)

        every = [cell for cells in grid.values() for cell in cells]
        users = {u for u, _ in grid}
        weeks = sorted({week_start(d) for _, d in grid})
        by_week = {}
        for w in weeks:
            keys = [k for k in grid if week_start(k[1]) == w]
            by_week[w] = sums(
                [c for k in keys for c in grid[k]], len(keys), len({u for u, _ in keys})
            )
        by_practitioner = {}
        for u in users:
            keys = [k for k in grid if k[0] == u]
            by_practitioner[u] = sums([c for k in keys for c in grid[k]], len(keys), 1)
        ratios = [
            (sum(t.automatic_seconds.values()) + 60 * sum(t.manual_minutes.values()))
            / (60 * t.direct_minutes)
            for t in by_practitioner.values()
            if t.direct_minutes > 0
        ]
        return TrialAggregates(
            overall=sums(every, len(grid), len(users)),
            by_week=by_week,
            by_practitioner=by_practitioner,
            spread=quartiles(ratios),
            first_week=weeks[0] if weeks else None,
        )

    def baseline(self, query: BurdenQuery) -> BaselineAggregates:
        scope = self._in_scope(query)
        rows = [b for b in self.s.baseline if b.user_id in scope]

        def sums(part: list[BaselineEntry], people: int) -> BaselineSums:
            minutes: Counter[str] = Counter()
            for b in part:
                minutes[b.category.value] += b.minutes
            days = [b.on for b in part]
            return BaselineSums(
                dict(minutes),
                len({(b.user_id, b.on) for b in part}),
                people,
                min(days) if days else None,
                max(days) if days else None,
            )

        users = {b.user_id for b in rows}
        by_practitioner = {u: sums([b for b in rows if b.user_id == u], 1) for u in users}
        ratios = [
            s.minutes.get("recording", 0) / s.minutes["direct_work"]
            for s in by_practitioner.values()
            if s.minutes.get("direct_work", 0) > 0
        ]
        return BaselineAggregates(sums(rows, len(users)), by_practitioner, quartiles(ratios))

    def calibration(self, query: BurdenQuery) -> CalibrationAggregates:
        scope = self._in_scope(query)

        def within(day: date) -> bool:
            return day <= query.end and (query.start is None or day >= query.start)

        diary: Counter[tuple[int, date]] = Counter()
        for d in self.s.trial_diary:
            if d.user_id in scope and within(d.on):
                diary[(d.user_id, d.on)] += d.minutes if d.category.value == "recording" else 0
        measured: Counter[tuple[int, date]] = Counter()
        for x in self.s.sessions:
            if x.user_id in scope and within(local_date(x.started)):
                measured[(x.user_id, local_date(x.started))] += x.active_seconds
        for m in self.s.manual:
            if m.user_id in scope and within(m.on):
                measured[(m.user_id, m.on)] += 60 * m.minutes
        paired = [(k, diary[k], measured[k]) for k in diary if measured.get(k, 0) > 0]

        def sums(part: list[tuple[tuple[int, date], int, int]], people: int) -> Calibration:
            return Calibration(len(part), sum(p[1] for p in part), sum(p[2] for p in part), people)

        users = {k[0] for k, _, _ in paired}
        return CalibrationAggregates(
            sums(paired, len(users)),
            {u: sums([p for p in paired if p[0][0] == u], 1) for u in users},
        )

    def min_group_size(self) -> int | None:
        return self.s.min_group_size

    def set_min_group_size(self, size: int, by: int | None, at: datetime) -> None:
        self.s.min_group_size = size

    def pseudonym_secret(self) -> str:
        if self.s.pseudonym_secret is None:
            self.s.pseudonym_secret = "fake-secret-" + str(self.s.new_id())
        return self.s.pseudonym_secret


class FakeDiary(_Repo):
    def _rows(self, phase: DiaryPhase) -> list[BaselineEntry]:
        return self.s.baseline if phase is DiaryPhase.BASELINE else self.s.trial_diary

    def add(self, phase: DiaryPhase, entries: Iterable[BaselineEntry]) -> int:
        rows = self._rows(phase)
        n = 0
        for e in entries:
            rows.append(replace(e, id=self.s.new_id()))
            n += 1
        return n

    def keys(
        self, phase: DiaryPhase, user_ids: Sequence[int], start: date, end: date
    ) -> set[tuple[int, date, str]]:
        return {
            (e.user_id, e.on, e.category.value)
            for e in self._rows(phase)
            if e.user_id in user_ids and start <= e.on <= end
        }

    def delete(self, phase: DiaryPhase, user_id: int, start: date, end: date) -> int:
        rows = self._rows(phase)
        keep = [e for e in rows if not (e.user_id == user_id and start <= e.on <= end)]
        gone = len(rows) - len(keep)
        rows[:] = keep
        return gone


class FakeCaseloadReads(_Repo):
    """The caseload's facts computed in Python from the stored objects, with the SQL's
    definitions (storage/caseload_reads.py)."""

    @staticmethod
    def _overall(ratings: list[ScalingRating]) -> tuple[ScaledScore, ...]:
        """Each spelling of a person's latest two overall ratings, by date then id."""
        by_person: dict[str, list[ScalingRating]] = defaultdict(list)
        for r in sorted(ratings, key=lambda r: (r.rated_on, r.id or 0)):
            if r.danger_key is None:
                by_person[r.person].append(r)
        kept = [r for found in by_person.values() for r in found[-2:]]
        return tuple(
            ScaledScore(r.person, r.rated_on, r.score, r.id)
            for r in sorted(kept, key=lambda r: (r.rated_on, r.id or 0))
        )

    def for_families(
        self,
        family_ids: Sequence[int],
        *,
        contacts_from: date | None = None,
        contacts_to: date | None = None,
    ) -> dict[int, CaseloadFacts]:
        out = {}
        for fid in family_ids:
            plan = self.s.plans.get(fid)
            summaries = sorted(
                (x for x in self.s.summaries.values() if x.family_id == fid),
                key=lambda x: (x.period_end, x.id),
                reverse=True,
            )
            latest = summaries[0] if summaries else None
            returned = [x for x in summaries if x.status is SummaryStatus.RETURNED]
            contacts = [
                c
                for c in self.s.contacts.values()
                if c.family_id == fid
                and (contacts_from is None or c.on >= contacts_from)
                and (contacts_to is None or c.on <= contacts_to)
            ]
            ratings = [r for r in self.s.ratings if r.family_id == fid]
            out[fid] = CaseloadFacts(
                family_id=fid,
                review_date=plan.current.review_date if plan else None,
                latest_summary_end=latest.period_end if latest else None,
                latest_summary_status=latest.status if latest else None,
                last_written_end=max(
                    (x.period_end for x in summaries if x.status is not SummaryStatus.DRAFT),
                    default=None,
                ),
                returned_comment=returned[0].return_comment if returned else None,
                last_contact=max((c.on for c in contacts), default=None),
                last_seen_on_visit=max(
                    (c.on for c in contacts if c.child_seen and c.kind.is_visit), default=None
                ),
                last_seen_by_child=_seen_by_child_of(contacts),
                overall_scores=self._overall(ratings),
                has_mapping=any(m.family_id == fid for m in self.s.mappings.values()),
            )
        return out


def _seen_by_child_of(contacts: list[Contact]) -> dict[int, date]:
    out: dict[int, date] = {}
    for c in contacts:
        if not c.kind.is_visit:
            continue
        for child in c.seen:
            if child.member_id is not None:
                out[child.member_id] = max(out.get(child.member_id, c.on), c.on)
    return out


class FakeFamilyRecords(_Repo):
    """The in-memory repository of any FamilyRecordsKey (domain/ports.py FamilyRecords): records
    by id in ``store.of(key)``; ``for_family`` filters and orders by the key's ``dated``."""

    def __init__(self, uow: FakeUnitOfWork, key: FamilyRecordsKey[Any]) -> None:
        super().__init__(uow)
        self.key = key

    @property
    def rows(self) -> dict[int, Any]:
        return self.s.of(self.key)

    def add(self, record: Any) -> Any:
        record = replace(record, id=self.s.new_id())
        self.rows[record.id] = _copy(record)
        return _copy(record)

    def get(self, record_id: int) -> Any:
        return _get(self.rows, record_id, f"{self.key.name} record")

    def update(self, record: Any) -> None:
        _get(self.rows, record.id, f"{self.key.name} record")
        self.rows[record.id] = _copy(record)

    def for_family(
        self, family_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[Any]:
        dated = self.key.dated
        found = [
            _copy(r)
            for r in self.rows.values()
            if r.family_id == family_id
            and (start is None or dated(r) >= start)
            and (end is None or dated(r) <= end)
        ]
        return sorted(found, key=lambda r: (dated(r), r.id), reverse=True)


#: Fakes registered for keys the generic one cannot serve (``register_fake``).
_FAKES: dict[RepoKey[Any], Any] = {}


def register_fake(key: RepoKey[Any], factory: Any) -> None:
    """Serve ``factory(uow)`` as ``uow.repo(key)`` in every FakeUnitOfWork: for a record type
    whose port is not a FamilyRecords (call it from the record's unit test module)."""
    _FAKES[key] = factory


class FakeUnitOfWork:
    """A unit of work over one shared in-memory Store. Leaving without commit() undoes everything."""

    def __init__(self, store: Store | None = None) -> None:
        self.committed_store = store or Store()
        self.store = self.committed_store
        self.commits = 0
        self.teams = FakeTeams(self)
        self.users = FakeUsers(self)
        self.families = FakeFamilies(self)
        self.plans = FakePlans(self)
        self.mappings = FakeMappings(self)
        self.summaries = FakeSummaries(self)
        self.contacts = FakeContacts(self)
        self.recording = FakeRecording(self)
        self.observations = FakeObservations(self)
        self.audit = FakeAudit(self)
        self.drafts = FakeDrafts(self)
        self.reports = FakeReports(self)
        self.caseload_facts = FakeCaseloadReads(self)
        self.diary = FakeDiary(self)

    def repo(self, key: RepoKey[Any]) -> Any:
        """The registry's repository for ``key``: a fake registered for it (``register_fake``),
        else, for a FamilyRecordsKey, the generic in-memory one. A new record type of that shape
        therefore needs nothing in this file."""
        factory = _FAKES.get(key)
        if factory is not None:
            return factory(self)
        if isinstance(key, FamilyRecordsKey):
            return FakeFamilyRecords(self, key)
        raise LookupError(
            f"No fake repository for {key!r}: register one with tests.fakes.register_fake."
        )

    def __enter__(self) -> FakeUnitOfWork:
        self.store = copy.deepcopy(self.committed_store)
        return self

    def __exit__(self, *exc: object) -> None:
        self.store = self.committed_store

    def commit(self) -> None:
        # Copy the working state into the shared store object (so other fakes sharing it see it).
        self.committed_store.__dict__.update(copy.deepcopy(self.store).__dict__)
        self.commits += 1

    def rollback(self) -> None:
        self.store = copy.deepcopy(self.committed_store)


def fake_uow_factory(store: Store | None = None):
    """A callable returning a fresh FakeUnitOfWork over one shared Store (like a session factory)."""
    shared = store or Store()

    def make() -> FakeUnitOfWork:
        return FakeUnitOfWork(shared)

    make.store = shared  # type: ignore[attr-defined]
    return make
