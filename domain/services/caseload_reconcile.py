"""One reconcile service for every caseload import (JSON and the council's national formats).

:func:`reconcile_caseload` takes the families a file wants (:class:`FamilyRecord`) and works out,
in one transaction, what is new, what changed and what is left out and why:

- a family not in Tandem is added (a council child with no name gets a placeholder name made from
  its ID; a child whose every episode is already closed is not added);
- a family already in Tandem (by reference, or by its child's council ID) is updated: new children
  are added, each child's legal status changes *after* the latest one Tandem holds are appended to
  its history, a missing date of birth or a placeholder name is filled in; when every child's
  status has ended the family is closed, and a closed family a child is open again in reopens;
- the allocation of an existing family is never changed by an import (that is the manager's): a
  different worker in the file is reported.

Nothing is written when any problem is found, or with ``check=True`` (the report says what would
happen). Every family added or changed is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from domain.audit import AuditAction, AuditEvent
from domain.caseload_grouping import (
    CaseloadMap,
    FamilyRecord,
    families_from_children,
    map_key,
    person_key,
)
from domain.caseload_records import (
    ParsedFile,
    describe_status,
    is_placeholder_name,
    merge_children,
    reference_for,
)
from domain.errors import DomainError, ValidationError
from domain.families import Family, LegalStatus, Member, StatusChange
from domain.people import Role, Team, User
from domain.ports import UnitOfWork
from domain.services.admin import check_practitioner, require_admin
from domain.services.context import Context, audit

#: How many problems the message lists before "... and N more".
MAX_LISTED = 20
CLOSURE_REASON = "Closed in the council's system (caseload import)."
FORMAT_NAMES = {"annex-a": "Annex A", "ssda903": "SSDA903", "cin": "CIN census"}


class CaseloadImportError(ValidationError):
    """The file was rejected; ``problems`` lists every problem found, each with its position."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        if len(problems) == 1:
            message = f"Nothing was imported. {problems[0]}"
        else:
            listed = "\n".join(f"- {p}" for p in problems[:MAX_LISTED])
            more = len(problems) - MAX_LISTED
            extra = f"\n- ... and {more} more." if more > 0 else ""
            message = f"Nothing was imported; {len(problems)} problems were found:\n{listed}{extra}"
        super().__init__("file", message)


@dataclass
class CaseloadImported:
    """What an import added and changed (or, checked only, would have)."""

    families: int = 0
    members: int = 0
    references: tuple[str, ...] = ()
    family_ids: tuple[int, ...] = ()
    checked_only: bool = False
    formats: tuple[str, ...] = ()
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    lacks: list[str] = field(default_factory=list)
    unchanged: int = 0
    updated_families: int = 0

    def lines(self) -> list[str]:
        """The report as lines of text, for the command line."""
        verb = "Would import" if self.checked_only else "Imported"
        out = [
            f"{verb} ({', '.join(self.formats)}): {self.families} new families with "
            f"{self.members} members; {self.updated_families} families updated; "
            f"{self.unchanged} unchanged."
        ]
        for title, items in (
            ("The file does not hold", self.lacks),
            ("New", self.added),
            ("Changed", self.changed),
            ("Closed", self.closed),
            ("Left out", self.ignored),
        ):
            if items:
                out.append(f"{title}:")
                out += [f"  - {item}" for item in items]
        if self.checked_only:
            out.append("Nothing was written (--check).")
        return out


class _People:
    """Team and worker look-ups, each done once."""

    def __init__(self, uow: UnitOfWork, mapping: CaseloadMap) -> None:
        self.uow = uow
        self.mapping = mapping
        self._teams: dict[str, Team | None] = {}
        self._users: list[User] | None = None
        self.unknown_workers: dict[str, int] = {}
        self.map_problems: set[str] = set()

    def team(self, name: str) -> Team | None:
        key = map_key(name)
        if key not in self._teams:
            target = self.mapping.teams.get(key, name)
            found = self.uow.teams.by_name(target)
            if found is None:
                found = next(
                    (t for t in self.uow.teams.list() if map_key(t.name) == map_key(target)), None
                )
            self._teams[key] = found
        return self._teams[key]

    def worker(self, value: str) -> User | None:
        """The Tandem user a worker named in a council file is (map, user name, or full name)."""
        key = map_key(value)
        username = self.mapping.workers.get(key)
        if username is not None:
            found = self.uow.users.by_username(username)
            if found is None:
                self.map_problems.add(
                    f"--map: worker {value!r} is mapped to {username!r}, who is not a Tandem user."
                )
            return found
        found = self.uow.users.by_username(key) if " " not in key else None
        if found is not None:
            return found
        if self._users is None:
            self._users = self.uow.users.list()
        names = {key, person_key(value)}  # "Jones, Sam" as some systems export a worker
        matches = [u for u in self._users if map_key(u.full_name) in names]
        return matches[0] if len(matches) == 1 else None


def _state(change: StatusChange | None) -> tuple[object, ...]:
    if change is None:
        return (LegalStatus.NONE, None, "")
    return (change.status, change.cp_category, change.code)


def _same(a: StatusChange | None, b: StatusChange | None) -> bool:
    """The same legal status; a missing council code (``""``) matches any code."""
    sa, sb = _state(a), _state(b)
    return sa[:2] == sb[:2] and (sa[2] == sb[2] or not sa[2] or not sb[2])


def _appended(existing: list[StatusChange], wanted: list[StatusChange]) -> list[StatusChange]:
    """The changes of ``wanted`` from the latest one Tandem holds on that differ from it."""
    if not existing:
        return list(wanted)
    current = existing[-1]
    out = []
    for change in wanted:
        if change.since < existing[-1].since or _same(change, current):
            continue
        out.append(change)
        current = change
    return out


def _match(family: Family, member: Member) -> Member | None:
    for existing in family.members:
        if member.external_id and existing.external_id == member.external_id:
            return existing
    if member.external_id is None:
        for existing in family.members:
            if (existing.name.casefold(), existing.role) == (member.name.casefold(), member.role):
                return existing
    return None


class _Reconciler:
    def __init__(
        self, ctx: Context, uow: UnitOfWork, mapping: CaseloadMap, default_team: str | None
    ):
        self.ctx = ctx
        self.uow = uow
        self.today = ctx.clock.today()
        self.people = _People(uow, mapping)
        self.problems: list[str] = []
        self.report = CaseloadImported()
        self.new: list[Family] = []
        self.updates: list[tuple[Family, str]] = []
        self.default_team: Team | None = None
        if default_team is not None:
            self.default_team = self.people.team(default_team)
            if self.default_team is None:
                self.problems.append(f"--team: there is no team called {default_team!r}.")
        self.references_used: dict[str, str] = {}
        #: Council child id -> the family id holding that child (looked up once, set-based).
        self.known_ids: dict[str, int] = {}
        #: The references (upper case) of families already in Tandem that the file names.
        self.taken: set[str] = set()
        #: Teams and practitioners named by the file, each looked up once.
        self._teams: dict[str, Team | None] = {}
        self._practitioners: dict[tuple[str, int], int | str | None] = {}

    def look_up_ids(self, records: Sequence[FamilyRecord]) -> None:
        """The file's child ids and references already in Tandem, in two set-based queries, so
        a large import reads one family per row only where one exists."""
        ids = [m.external_id for r in records for m in r.members if m.external_id]
        self.known_ids = self.uow.families.by_member_external_ids(ids) if ids else {}
        refs: set[str] = set()
        for r in records:
            if r.reference:
                refs.add(r.reference)
            elif r.members and r.members[0].external_id:
                refs.add(reference_for(r.members[0].external_id))
        self.taken = self.uow.families.existing_references(refs) if refs else set()

    def _by_reference(self, reference: str) -> Family | None:
        if reference.strip().upper() not in self.taken:
            return None
        return self.uow.families.by_reference(reference)

    # --- allocation of a new family ---------------------------------------------------------

    def _strict_allocation(self, record: FamilyRecord) -> tuple[int | None, int | None]:
        team_id = None
        if record.team:
            if record.team not in self._teams:  # looked up once per name, not once per family
                self._teams[record.team] = self.uow.teams.by_name(record.team)
            team = self._teams[record.team]
            if team is None:
                record.problems.append(f"{record.label}: there is no team called {record.team!r}.")
            else:
                team_id = team.id
        practitioner_id = None
        if record.worker and team_id is not None:
            key = (record.worker, team_id)
            if key not in self._practitioners:
                try:
                    found: int | str | None = check_practitioner(
                        self.uow, record.worker, team_id
                    ).id
                except DomainError as e:
                    found = e.message
                self._practitioners[key] = found
            found = self._practitioners[key]
            if isinstance(found, str):
                record.problems.append(f"{record.label}: {found}")
            else:
                practitioner_id = found
        return team_id, practitioner_id

    def _council_allocation(self, record: FamilyRecord) -> tuple[int | None, int | None, str]:
        user = None
        how = ""
        if record.worker:
            user = self.people.worker(record.worker)
            if user is None or user.role is not Role.PRACTITIONER or not user.active:
                why = (
                    "is not a Tandem user"
                    if user is None
                    else "is not an active practitioner in Tandem"
                )
                self.people.unknown_workers[f"worker {record.worker!r} {why}"] = (
                    self.people.unknown_workers.get(f"worker {record.worker!r} {why}", 0) + 1
                )
                user = None
        file_team = self.people.team(record.team) if record.team else None
        if user is not None and user.team_id is not None:
            return user.team_id, user.id, f"allocated to {user.username}"
        team = file_team or self.default_team
        if team is None:
            if record.team:
                record.problems.append(
                    f"{record.label}: the file's team {record.team!r} is not a Tandem team and "
                    "no --team was given (or map it: team,<file's team>,<Tandem team>)."
                )
            else:
                record.problems.append(
                    f"{record.label}: the file does not say which team; give --team NAME."
                )
            return None, None, how
        return team.id, None, f"team {team.name}, awaiting allocation"

    # --- one family ---------------------------------------------------------------------------

    def family(self, record: FamilyRecord) -> None:
        if record.problems:  # unreadable: still report its team and worker problems
            if record.strict:
                self._strict_allocation(record)
            self.problems += record.problems
            return
        existing = self._existing(record)
        if existing is None:
            self._add(record)
        else:
            self._update(existing, record)
        self.problems += record.problems

    def _existing(self, record: FamilyRecord) -> Family | None:
        found: Family | None = None
        if record.reference:
            found = self._by_reference(record.reference)
        ids = [m.external_id for m in record.members if m.external_id]
        if not ids:
            return found
        where = {i: self.known_ids[i] for i in ids if i in self.known_ids}
        elsewhere = {fid for fid in where.values() if found is None or fid != found.id}
        if found is None and len(elsewhere) == 1 and record.reference is None:
            return self.uow.families.get(elsewhere.pop())
        for member in list(record.members):
            fid = where.get(member.external_id or "")
            if fid is not None and (found is None or fid != found.id):
                other = self.uow.families.get(fid)
                self.report.ignored.append(
                    f"{record.label}: child {member.external_id} is already in family "
                    f"{other.reference}; an import does not move children between families."
                )
                record.members.remove(member)
        return found

    def _add(self, record: FamilyRecord) -> None:
        if not record.strict and not record.members:
            return  # its children are all in other families (reported by _existing)
        if not record.strict and all(m.current_status is LegalStatus.NONE for m in record.members):
            ended = max(
                (m.current_status_since for m in record.members if m.current_status_since),
                default=None,
            )
            when = f" (the last on {ended.isoformat()})" if ended else ""
            self.report.ignored.append(
                f"{record.label}: not added, every episode had ended{when} — nothing open to "
                "work on."
            )
            return
        if record.strict:
            team_id, practitioner_id = self._strict_allocation(record)
            how = ""
        else:
            team_id, practitioner_id, how = self._council_allocation(record)
        reference = record.reference or reference_for(record.members[0].external_id or "X")
        if not record.reference and self._by_reference(reference) is not None:
            record.problems.append(
                f"{record.label}: reference {reference} is already used by another family; "
                "group this child with --map (child,<ID>,<reference>)."
            )
        if reference in self.references_used and not record.strict:
            record.problems.append(
                f"{record.label}: reference {reference} is also made for "
                f"{self.references_used[reference]}; give one of them a reference with --map."
            )
        self.references_used.setdefault(reference, record.label)
        if record.problems or team_id is None:
            return
        opened = min(record.opened_on or self.today, self.today)
        try:
            family = Family(
                reference=reference,
                name=record.name,
                team_id=team_id,
                practitioner_id=practitioner_id,
                opened_on=opened,
                address=record.address,
                members=record.members,
            )
        except DomainError as e:
            record.problems.append(f"{record.label}: {e.message}")
            return
        self.new.append(family)
        children = [m for m in family.members if m.is_child]
        statuses = "; ".join(
            f"{m.external_id or m.name}: {describe_status(m.status_history[-1])}"
            for m in children
            if m.status_history
        )
        self.report.added.append(
            f"{family.reference} {family.name!r}: {len(family.members)} member(s)"
            + (f", {how}" if how else "")
            + (f" — {statuses}" if statuses else "")
        )

    def _update(self, family: Family, record: FamilyRecord) -> None:
        notes: list[str] = []
        #: Something in the file opens a case again (a closed family then reopens).
        opens = False
        for member in record.members:
            current = _match(family, member)
            who = member.external_id or member.name
            if current is None:
                family.members.append(member)
                notes.append(f"new member {who}")
                opens = opens or member.current_status is not LegalStatus.NONE
                continue
            if current.date_of_birth is None and member.date_of_birth is not None:
                current.date_of_birth = member.date_of_birth
                notes.append(f"{who}: date of birth {member.date_of_birth.isoformat()}")
            if is_placeholder_name(current.name) and not is_placeholder_name(member.name):
                current.name = member.name
                notes.append(f"{who}: name from the file")
            added = _appended(current.status_history, member.status_history)
            if current.is_child and added:
                current.status_history = [*current.status_history, *added]
                notes += [f"{who}: {describe_status(c)}" for c in added]
                opens = opens or added[-1].status is not LegalStatus.NONE
            elif member.status_history and current.status_history:
                file_now = member.status_history[-1]
                if not _same(file_now, current.status_history[-1]):
                    self.report.ignored.append(
                        f"{family.reference}, {who}: the file says "
                        f"{describe_status(file_now)}, but Tandem's latest status is "
                        f"{describe_status(current.status_history[-1])} (later): left as is."
                    )
        if record.strict:
            _, practitioner_id = self._strict_allocation(record)
            if practitioner_id is not None and practitioner_id != family.practitioner_id:
                self.report.ignored.append(
                    f"{family.reference}: the file allocates {record.worker!r}; Tandem's "
                    "allocation is kept (reallocate in the team dashboard if needed)."
                )
        elif record.worker:
            user = self.people.worker(record.worker)
            if user is None or user.id != family.practitioner_id:
                self.report.ignored.append(
                    f"{family.reference}: the file allocates {record.worker!r}; Tandem's "
                    "allocation is kept (reallocate in the team dashboard if needed)."
                )
        children = [m for m in family.children if m.status_history]
        closed_all = bool(children) and all(
            m.current_status is LegalStatus.NONE for m in family.children if m.status_history
        )
        if family.is_open and closed_all and any(m.external_id for m in family.children):
            last = max(m.status_history[-1].since for m in children)
            family.closed_on = max(last, family.opened_on)
            family.closure_reason = CLOSURE_REASON
            self.report.closed.append(
                f"{family.reference} {family.name!r}: every child's episode has ended "
                f"(closed from {family.closed_on.isoformat()})."
            )
            notes.append("closed")
        elif not family.is_open and not closed_all and opens:
            family.closed_on = None
            family.closure_reason = ""
            notes.append("reopened")
        if notes:
            self.updates.append((family, "; ".join(notes)))
            self.report.changed.append(f"{family.reference}: " + "; ".join(notes))
        else:
            self.report.unchanged += 1

    # --- writing -----------------------------------------------------------------------------

    def write(self, formats: tuple[str, ...]) -> None:
        detail = f"caseload import ({', '.join(formats)})"
        # New families, their members and statuses in a few bulk statements, and one audit event
        # each in one more: the write lock is held for a moment, not a statement per row.
        added = self.uow.families.add_many(self.new)
        now = self.ctx.clock.now()
        self.uow.audit.record_many(
            [
                AuditEvent(
                    at=now,
                    user_id=self.ctx.user_id,
                    action=AuditAction.IMPORT,
                    entity="family",
                    entity_id=f.id,
                    family_id=f.id,
                    detail=detail,
                )
                for f in added
            ]
        )
        for family, what in self.updates:
            self.uow.families.update(family)
            audit(
                self.ctx,
                self.uow,
                AuditAction.IMPORT,
                "family",
                family.id,
                family_id=family.id,
                detail=f"{detail}: {what}"[:500],
            )
        self.report.family_ids = tuple(f.id for f in added if f.id is not None)


def reconcile_caseload(
    ctx: Context,
    records: Sequence[FamilyRecord],
    *,
    formats: tuple[str, ...],
    mapping: CaseloadMap | None = None,
    default_team: str | None = None,
    check: bool = False,
    ignored: Sequence[str] = (),
    lacks: Sequence[str] = (),
    problems: Sequence[str] = (),
) -> CaseloadImported:
    """Add and update families so Tandem holds what ``records`` say (see the module docstring).

    All or nothing: any problem raises CaseloadImportError and nothing is written."""
    with ctx.uow() as uow:
        require_admin(ctx, uow, "import a caseload")
        run = _Reconciler(ctx, uow, mapping or CaseloadMap(), default_team)
        run.problems = [*problems, *run.problems]
        run.look_up_ids(records)
        for record in records:
            run.family(record)
        report = run.report
        report.ignored = [*ignored, *report.ignored] + [
            f"{what} ({n} famil{'y' if n == 1 else 'ies'}): left awaiting allocation"
            + " (add the worker to --map)."
            for what, n in run.people.unknown_workers.items()
        ]
        report.lacks = list(dict.fromkeys(lacks))
        report.formats = formats
        report.checked_only = check
        report.families = len(run.new)
        report.members = sum(len(f.members) for f in run.new)
        report.references = tuple(f.reference for f in run.new)
        report.updated_families = len(run.updates)
        run.problems += sorted(run.people.map_problems)
        if run.problems:
            raise CaseloadImportError(run.problems)
        if check:
            return report
        run.write(formats)
        uow.commit()
        return report


def import_council_files(
    ctx: Context,
    parsed: Sequence[ParsedFile],
    *,
    mapping: CaseloadMap | None = None,
    default_team: str | None = None,
    check: bool = False,
) -> CaseloadImported:
    """Import what the council's files (Annex A, SSDA903, CIN census) hold, merged by child ID."""
    mapping = mapping or CaseloadMap()
    problems = [p for f in parsed for p in f.problems]
    children = merge_children([c for f in parsed for c in f.children])
    if not children and not problems:
        problems.append("The files hold no children to import.")
    records, notes = families_from_children(children, mapping, ctx.clock.today())
    formats = tuple(dict.fromkeys(f.format for f in parsed))
    # A format's gap is filled when another file given alongside holds it.
    named = any(c.name for c in children.values())
    lacks = [
        f"{FORMAT_NAMES.get(f.format, f.format)}: {item}"
        for f in parsed
        for item in f.lacks
        if not (named and item.startswith("children's names"))
        and not (mapping.children and item.startswith("family grouping"))
    ]
    return reconcile_caseload(
        ctx,
        records,
        formats=formats,
        mapping=mapping,
        default_team=default_team,
        check=check,
        ignored=[*(i for f in parsed for i in f.ignored), *notes],
        lacks=lacks,
        problems=problems,
    )
