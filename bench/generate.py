"""A large, deterministic Tandem database for benchmarks (never part of the test suite).

    uv run python -m bench.generate --db bench/out/large.db           # full size, a few minutes
    uv run python -m bench.generate --db /tmp/small.db --scale 0.05   # a quick small one
    uv run python -m bench.generate --db postgresql://tandem:tandem@127.0.0.1:55432/tandem_bench

Full size (``--scale 1``): 20 teams, 200 practitioners (plus managers, practice leads, project
staff and an administrator), 5,000 families with members and legal-status histories, a plan per
family with revisions, case summaries with versions, and two years (104 weeks) of trial data:
about 1.04 million contacts, 2.08 million automatic recording sessions and manual entries, plus
an 8-week pre-trial baseline diary. The trial ends on ``--end`` (default 2026-11-20, a Friday).

The database is created and migrated to the newest schema through storage.migrate, then filled
in one transaction, in the formats SQLAlchemy reads back (dates ``YYYY-MM-DD``, datetimes
``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC), so the app opens it as usual: a SQLite file with bulk
``executemany`` inserts through the sqlite3 module; a PostgreSQL database (``--db
postgresql://…``; created if missing, or dropped and recreated if bench.generate made it — see
bench/dbs.py) with ``COPY … FROM STDIN`` through psycopg, then its id sequences moved past the
rows and its statistics gathered (ANALYZE). The rows come from one seeded generator whatever the
database, so the same ``--seed`` and ``--scale`` give the same rows on both (only each user's
passphrase hash differs: its salt is random). Tables derived from the raw rows are filled in one
place, :func:`finish`, on both databases: the report's per-day rollups (storage/rollups.py) are
added up there once, set-based, their triggers set aside while the rows go in (dropped and
re-created on SQLite, disabled and enabled again on PostgreSQL).
Every user's passphrase is ``bench-passphrase``; user names are ``p001``… (practitioners),
``m01``… (managers), ``lead1``, ``lead2``, ``staff`` and ``admin``.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import dbs, texts
from domain.clock import local_date
from domain.plans import ActionStatus, PlanAction, PlanContent, PlanGoal
from domain.reports import DEFAULT_MIN_GROUP_SIZE
from domain.summaries import SummarySection
from domain.timeuse import ContactKind, ManualKind, RecordingActivity, TimeCategory

PASSPHRASE = "bench-passphrase"
TEAMS = 20
PRACTITIONERS = 200
FAMILIES = 5000
WEEKS = 104
BASELINE_WEEKS = 8
CONTACTS_PER_DAY = (9, 11)  # per practitioner and working day: ~1.04 M over 2 years
SESSIONS_PER_DAY = (19, 21)  # ~2.08 M


def _d(day: date) -> str:
    return day.isoformat()


def _dt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _local_day(started_utc: datetime) -> str:
    """The local calendar day of a (naive UTC) start: recording_sessions.local_day."""
    return _d(local_date(started_utc.replace(tzinfo=UTC)))


def _t(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}:00.000000"


#: Writes rows into a table: (table, "col,col,…", rows).
Writer = Callable[[str, str, list[tuple]], None]


class Generator:
    def __init__(self, write: Writer, seed: int, scale: float, end: date) -> None:
        self.write = write
        self.rng = random.Random(seed)
        # Which children a contact saw comes from its own stream, so adding it (migration 0014)
        # left every other generated row as it was.
        self.seen_rng = random.Random(seed + 1)
        self.children_of: dict[int, list[tuple[int, str]]] = {}
        self.scale = scale
        self.end = end
        self.weeks = max(2, round(WEEKS * min(1.0, scale * 4)))
        self.trial_start = end - timedelta(days=end.weekday()) - timedelta(weeks=self.weeks - 1)
        self.baseline_start = self.trial_start - timedelta(weeks=BASELINE_WEEKS)
        self.counts: dict[str, int] = {}
        self.days = [
            self.trial_start + timedelta(days=i)
            for i in range((end - self.trial_start).days + 1)
            if (self.trial_start + timedelta(days=i)).weekday() < 5
        ]

    def insert(self, table: str, columns: str, rows: list[tuple]) -> None:
        self.write(table, columns, rows)
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def fill(self, passphrase_hash: str) -> None:
        """Every raw row, in an order that keeps each reference pointing at a row written."""
        self.people(passphrase_hash)
        self.families()
        self.plans()
        self.summaries()
        self.time_use()
        self.baseline()
        self.trial_diary()

    # --- people ---------------------------------------------------------------------------

    def people(self, passphrase_hash: str) -> None:
        teams = max(1, round(TEAMS * self.scale)) if self.scale < 1 else TEAMS
        # At least enough that the trial diary (every fourth practitioner) covers the report's
        # smallest shown group: a small database's report then withholds nothing.
        practitioners = max(
            teams * 3, round(PRACTITIONERS * self.scale), 4 * DEFAULT_MIN_GROUP_SIZE
        )
        self.insert(
            "teams",
            "id,name,summary_rhythm_weeks,visiting_standard_working_days,"
            "practitioners_see_team_families",
            [(t + 1, f"Team {t + 1:02d}", 6, 10, t % 2) for t in range(teams)],
        )
        users, self.practitioners, self.managers = [], [], []
        uid = 0
        for p in range(practitioners):
            uid += 1
            team = p % teams + 1
            users.append((uid, f"p{p + 1:03d}", texts.person_name(self.rng), "practitioner", team))
            self.practitioners.append((uid, team))
        for t in range(teams):
            uid += 1
            users.append((uid, f"m{t + 1:02d}", texts.person_name(self.rng), "team_manager", t + 1))
            self.managers.append((uid, t + 1))
        for name, role in (
            ("lead1", "practice_lead"),
            ("lead2", "practice_lead"),
            ("staff", "project_staff"),
            ("admin", "admin"),
        ):
            uid += 1
            users.append((uid, name, texts.person_name(self.rng), role, None))
        self.insert(
            "users",
            "id,username,full_name,role,team_id,passphrase_hash,active",
            [(*u, passphrase_hash, 1) for u in users],
        )
        leads = [u[0] for u in users if u[3] == "practice_lead"]
        self.insert(
            "lead_supports",
            "lead_id,practitioner_id",
            [(leads[i % 2], p) for i, (p, _t) in enumerate(self.practitioners) if i % 3 == 0],
        )

    # --- families, plans, summaries ----------------------------------------------------------

    def families(self) -> None:
        n = max(len(self.practitioners) * 5, round(FAMILIES * self.scale))
        rng = self.rng
        families, members, statuses = [], [], []
        self.family_of: dict[int, list[int]] = {p: [] for p, _ in self.practitioners}
        self.open_spans: dict[int, tuple[date, date]] = {}
        member_id = status_id = 0
        for f in range(1, n + 1):
            practitioner, team = self.practitioners[(f - 1) % len(self.practitioners)]
            opened = self.trial_start - timedelta(days=rng.randint(0, 365))
            closed = None
            if rng.random() < 0.3:
                last = self.weeks * 7 - 1  # (a trial shorter than 60 days: --scale < 0.03)
                closed = self.trial_start + timedelta(days=rng.randint(min(60, last), last))
                closed = min(closed, self.end)
            surname = texts.surname(rng)
            families.append(
                (
                    f,
                    f"FAM-{f:05d}",
                    f"{surname} family",
                    team,
                    practitioner,
                    _d(opened),
                    f"{rng.randint(1, 200)} {texts.street(rng)}",
                    _d(closed) if closed else None,
                    "Work finished" if closed else "",
                )
            )
            self.family_of[practitioner].append(f)
            self.open_spans[f] = (max(opened, self.trial_start), closed or self.end)
            for _ in range(rng.randint(1, 2)):
                member_id += 1
                role = rng.choice(("parent", "parent", "carer", "relative"))
                members.append((member_id, f, f"{texts.first_name(rng)} {surname}", role, None))
            for _ in range(rng.randint(1, 4)):
                member_id += 1
                born = self.end - timedelta(days=rng.randint(200, 17 * 365))
                child_name = f"{texts.first_name(rng)} {surname}"
                members.append((member_id, f, child_name, "child", _d(born)))
                self.children_of.setdefault(f, []).append((member_id, child_name))
                status = rng.choice(texts.STATUSES)
                if status != "none":
                    status_id += 1
                    category = (
                        rng.choice(texts.CP_CATEGORIES) if status == "child_protection" else None
                    )
                    statuses.append((status_id, member_id, status, _d(opened), category))
        self.insert(
            "families",
            "id,reference,name,team_id,practitioner_id,opened_on,address,closed_on,closure_reason",
            families,
        )
        self.insert("members", "id,family_id,name,role,date_of_birth", members)
        self.insert("member_statuses", "id,member_id,status,since,cp_category", statuses)
        self.family_rows = families

    def plans(self) -> None:
        rng = self.rng
        pool = [self._plan_json(i) for i in range(40)]
        plans, revisions = [], []
        rev_id = 0
        for f, *_rest in self.family_rows:
            practitioner = self.family_rows[f - 1][4]
            start, stop = self.open_spans[f]
            count = rng.randint(1, 4)
            for number in range(1, count + 1):
                rev_id += 1
                saved = start + timedelta(days=min((stop - start).days, 90 * (number - 1)))
                revisions.append(
                    (
                        rev_id,
                        f,
                        number,
                        rng.choice(pool),
                        practitioner,
                        _dt(datetime.combine(saved, datetime.min.time()).replace(hour=11)),
                    )
                )
            plans.append((f, f, count, revisions[-1][5], practitioner))
        self.insert("plans", "id,family_id,revision,updated_at,updated_by", plans)
        self.insert("plan_revisions", "id,plan_id,number,content,author_id,saved_at", revisions)

    def _plan_json(self, i: int) -> str:
        from storage.snapshots import plan_content_to_json

        rng = self.rng
        goals = tuple(
            PlanGoal(
                text=rng.choice(texts.GOALS),
                actions=tuple(
                    PlanAction(
                        what=rng.choice(texts.ACTIONS),
                        who=rng.choice(texts.WHO),
                        by_when=self.end + timedelta(days=rng.randint(7, 90)),
                        status=rng.choice(list(ActionStatus)),
                    )
                    for _ in range(rng.randint(1, 3))
                ),
            )
            for _ in range(rng.randint(1, 4))
        )
        start = self.trial_start + timedelta(days=i)
        return plan_content_to_json(
            PlanContent(
                start_date=start,
                review_date=start + timedelta(days=90),
                family_words=rng.choice(texts.FAMILY_WORDS),
                goals=goals,
                contingency=rng.choice(texts.CONTINGENCY),
                agreed_on=start,
                agreed_with="Parents",
            )
        )

    def summaries(self) -> None:
        from storage.snapshots import sections_to_json

        rng = self.rng
        pool = [
            sections_to_json({s: rng.choice(texts.SECTION_TEXT) for s in SummarySection})
            for _ in range(60)
        ]
        manager_of = dict((t, m) for m, t in self.managers)
        summaries, versions = [], []
        summary_id = version_id = 0
        for f, _ref, _name, team, practitioner, *_ in self.family_rows:
            start, stop = self.open_spans[f]
            period_start = start
            while period_start + timedelta(weeks=6) <= stop:
                period_end = period_start + timedelta(weeks=6) - timedelta(days=1)
                summary_id += 1
                sections = rng.choice(pool)
                written = datetime.combine(period_end + timedelta(days=2), datetime.min.time())
                latest = period_end + timedelta(weeks=8) < self.end
                events = [("saved", "draft"), ("submitted", "submitted")]
                if latest:
                    events.append(("approved", "approved"))
                for number, (event, status) in enumerate(events, start=1):
                    version_id += 1
                    by = manager_of[team] if event == "approved" else practitioner
                    versions.append(
                        (
                            version_id,
                            summary_id,
                            number,
                            event,
                            status,
                            sections,
                            _d(period_start),
                            _d(period_end),
                            by,
                            _dt(written + timedelta(days=number)),
                            "",
                        )
                    )
                status = events[-1][1]
                summaries.append(
                    (
                        summary_id,
                        f,
                        practitioner,
                        _d(period_start),
                        _d(period_end),
                        status,
                        sections,
                        len(events),
                        _dt(written),
                        _dt(written + timedelta(days=2)),
                        _dt(written + timedelta(days=3)) if latest else None,
                        manager_of[team] if latest else None,
                        "",
                    )
                )
                period_start = period_end + timedelta(days=1)
        self.insert(
            "summaries",
            "id,family_id,author_id,period_start,period_end,status,sections,version,created_at,"
            "submitted_at,decided_at,reviewer_id,return_comment",
            summaries,
        )
        self.insert(
            "summary_versions",
            "id,summary_id,number,event,status,sections,period_start,period_end,by_user,at,comment",
            versions,
        )

    # --- time ----------------------------------------------------------------------------------

    def time_use(self) -> None:
        rng = self.rng
        kinds = [k.value for k in ContactKind]
        kind_weights = [30, 10, 10, 25, 10, 10, 5]
        activities = [a.value for a in RecordingActivity if a is not RecordingActivity.REVIEW]
        #: (summary, plan, mapping, contact_log, observation, observation_feedback,
        #: network_meeting): one draw each whatever the weights, so the rest of the data stays
        #: as it was before network meetings had their own activity.
        activity_weights = [25, 20, 15, 30, 5, 5, 3]
        manual_kinds = [k.value for k in ManualKind]
        contact_id = session_id = manual_id = seen_id = 0
        for practitioner, _team in self.practitioners:
            families = self.family_of[practitioner]
            contacts, sessions, manual, children_seen = [], [], [], []
            for day in self.days:
                for _ in range(rng.randint(*CONTACTS_PER_DAY)):
                    contact_id += 1
                    seen = rng.random() < 0.6
                    family = rng.choice(families)
                    contacts.append(
                        (
                            contact_id,
                            family,
                            practitioner,
                            _d(day),
                            _t(rng.randint(8, 17), rng.choice((0, 15, 30, 45))),
                            rng.choice((15, 20, 30, 45, 60, 90, 120)),
                            rng.choices(kinds, kind_weights)[0],
                            rng.choice(texts.NOTES),
                            rng.choice(texts.PRESENT),
                            seen,
                            seen and rng.random() < 0.3,
                            rng.choice((0, 0, 10, 20, 30, 45)),
                            _dt(datetime.combine(day, datetime.min.time()).replace(hour=18)),
                        )
                    )
                    if seen:  # which of the family's children were seen (per child, 0014)
                        alone = contacts[-1][10]
                        kids = self.children_of[family]
                        picked = [k for k in kids if self.seen_rng.random() < 0.85] or kids[:1]
                        for member, name in picked:
                            seen_id += 1
                            children_seen.append((seen_id, contact_id, member, name, alone))
                for _ in range(rng.randint(*SESSIONS_PER_DAY)):
                    session_id += 1
                    started = datetime.combine(day, datetime.min.time()) + timedelta(
                        seconds=rng.randint(8 * 3600, 18 * 3600)
                    )
                    span = rng.randint(60, 1800)
                    sessions.append(
                        (
                            session_id,
                            practitioner,
                            rng.choices(activities, activity_weights)[0],
                            _dt(started),
                            _dt(started + timedelta(seconds=span)),
                            rng.randint(span // 3, span),
                            rng.choice(families) if rng.random() < 0.9 else None,
                            _local_day(started),
                        )
                    )
                if rng.random() < 0.5:
                    manual_id += 1
                    manual.append(
                        (
                            manual_id,
                            practitioner,
                            _d(day),
                            rng.choice((10, 15, 20, 30, 45, 60)),
                            rng.choice(manual_kinds),
                            "",
                            None,
                        )
                    )
            self.insert(
                "contacts",
                "id,family_id,practitioner_id,on_date,start_time,minutes,kind,note,present,"
                "child_seen,seen_alone,travel_minutes,logged_at",
                contacts,
            )
            self.insert(
                "contact_children_seen", "id,contact_id,member_id,name,alone", children_seen
            )
            self.insert(
                "recording_sessions",
                "id,user_id,activity,started,ended,active_seconds,family_id,local_day",
                sessions,
            )
            self.insert(
                "manual_recording_entries", "id,user_id,on_date,minutes,kind,note,family_id", manual
            )
        # Managers' review sessions: not practitioners, so never in the burden report.
        reviews = []
        for manager, _team in self.managers:
            for day in self.days[::3]:
                session_id += 1
                started = datetime.combine(day, datetime.min.time()).replace(hour=14)
                reviews.append(
                    (
                        session_id,
                        manager,
                        RecordingActivity.REVIEW.value,
                        _dt(started),
                        _dt(started + timedelta(minutes=20)),
                        900,
                        None,
                        _local_day(started),
                    )
                )
        self.insert(
            "recording_sessions",
            "id,user_id,activity,started,ended,active_seconds,family_id,local_day",
            reviews,
        )

    def baseline(self) -> None:
        """Eight weeks of a time-use diary (research/domain.md §5.4, baseline B shares ± noise)."""
        rng = self.rng
        shares = {
            TimeCategory.DIRECT_WORK: 0.19,
            TimeCategory.RECORDING: 0.30,
            TimeCategory.ADMIN_IT: 0.20,
            TimeCategory.MEETING_MULTIAGENCY: 0.08,
            TimeCategory.MEETING_INTERNAL: 0.07,
            TimeCategory.LIAISON: 0.06,
            TimeCategory.TRAVEL: 0.08,
            TimeCategory.SUPERVISION_REFLECTION: 0.01,
            TimeCategory.TRAINING: 0.01,
        }
        rows = []
        row_id = 0
        for practitioner, _team in self.practitioners:
            for i in range(BASELINE_WEEKS * 7):
                day = self.baseline_start + timedelta(days=i)
                if day.weekday() >= 5:
                    continue
                for category, share in shares.items():
                    row_id += 1
                    minutes = max(0, round(516 * share * rng.uniform(0.7, 1.3)))
                    rows.append((row_id, practitioner, _d(day), category.value, minutes))
        self.insert("baseline_entries", "id,user_id,on_date,category,minutes", rows)

    def trial_diary(self) -> None:
        """A calibration diary during the trial: every fourth practitioner, the trial's last
        full working week, recording and direct work (trial_diary_entries)."""
        rng = self.rng
        rows = []
        row_id = 0
        last_week = [d for d in self.days if d <= self.end][-5:]
        for n, (practitioner, _team) in enumerate(self.practitioners):
            if n % 4:
                continue
            for day in last_week:
                for category, minutes in (("recording", 150), ("direct_work", 100)):
                    row_id += 1
                    amount = round(minutes * rng.uniform(0.7, 1.3))
                    rows.append((row_id, practitioner, _d(day), category, amount))
        self.insert("trial_diary_entries", "id,user_id,on_date,category,minutes", rows)


def sqlite_writer(conn: sqlite3.Connection) -> Writer:
    def write(table: str, columns: str, rows: list[tuple]) -> None:
        marks = ",".join("?" * len(columns.split(",")))
        conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)

    return write


def postgres_writer(conn: Any) -> Writer:
    """COPY in text format: PostgreSQL parses each value as its column's type (the date and
    datetime strings, 0/1 and True/False for booleans), exactly as the SQLite file stores them."""

    def write(table: str, columns: str, rows: list[tuple]) -> None:
        if not rows:
            return
        with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    return write


def set_rollup_triggers_aside(conn: Any, dialect: str) -> list[str]:
    """Stop the report's rollup triggers (storage/rollups.py) for the fill, in its transaction,
    and return the statements that put them back. Row by row they would cost more than the fill
    itself; :func:`finish` adds the rollups up once instead. SQLite has no disabled trigger, so
    they are dropped and re-created from their stored SQL; PostgreSQL disables and re-enables
    them by name on their tables (nothing else on those tables is touched)."""
    from storage.rollups import SOURCE_TABLES, TRIGGERS

    if dialect == "postgresql":
        restore = []
        for table in SOURCE_TABLES:
            for name in TRIGGERS:
                if name.startswith(f"rollup_{table}_"):
                    conn.execute(f'ALTER TABLE {table} DISABLE TRIGGER "{name}"')
                    restore.append(f'ALTER TABLE {table} ENABLE TRIGGER "{name}"')
        return restore
    marks = ",".join("?" * len(TRIGGERS))
    stored = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
        TRIGGERS,
    ).fetchall()
    if len(stored) != len(TRIGGERS):
        raise SystemExit(f"the new database lacks rollup triggers: {len(stored)}/{len(TRIGGERS)}")
    for name, _sql in stored:
        conn.execute(f'DROP TRIGGER "{name}"')
    return [sql for _name, sql in stored]


def finish(conn: Any, dialect: str, tables: list[str]) -> None:
    """After the raw rows, in their transaction: everything derived from them.

    The one place for tables the app derives from the raw rows: the report's per-day rollups are
    rebuilt here from the rows just written, set-based, on both databases. On PostgreSQL the rows
    were given their ids explicitly, so each table's id sequence is moved past them (the app's
    next insert must not collide)."""
    from storage.rollups import rebuild_statements

    for statement in rebuild_statements(dialect):
        conn.execute(statement)
    if dialect == "postgresql":
        for table in tables:
            has_id = conn.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = %s AND column_name = 'id'",
                (table,),
            ).fetchone()
            if has_id:
                conn.execute(
                    f"SELECT setval(seq, (SELECT MAX(id) FROM {table})) FROM "
                    f"(SELECT pg_get_serial_sequence('{table}', 'id') AS seq) s "
                    "WHERE seq IS NOT NULL"
                )


def generate(
    db: str | Path, *, seed: int = 7, scale: float = 1.0, end: date = date(2026, 11, 20)
) -> dict[str, int]:
    """(Re)create the database ``db`` (a SQLite path or a ``postgresql://`` URL) and fill it."""
    from domain.passwords import hash_passphrase
    from storage.engine import make_engine
    from storage.migrate import upgrade_to_head

    target = str(db)
    postgres = dbs.is_postgres(target)
    if postgres:
        dbs.recreate_postgres_database(target)
    else:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)
    engine = make_engine(target)
    upgrade_to_head(engine)
    engine.dispose()
    passphrase_hash = hash_passphrase(PASSPHRASE)

    if postgres:
        import psycopg

        with psycopg.connect(dbs.libpq_url(target)) as conn:  # one transaction, committed on exit
            restore = set_rollup_triggers_aside(conn, "postgresql")
            gen = Generator(postgres_writer(conn), seed, scale, end)
            gen.fill(passphrase_hash)
            finish(conn, "postgresql", list(gen.counts))
            for statement in restore:
                conn.execute(statement)
        with psycopg.connect(dbs.libpq_url(target), autocommit=True) as conn:
            conn.execute("ANALYZE")  # the planner's statistics for the new rows
        return gen.counts

    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("PRAGMA cache_size=-200000")
    conn.execute("BEGIN")
    restore = set_rollup_triggers_aside(conn, "sqlite")
    gen = Generator(sqlite_writer(conn), seed, scale, end)
    gen.fill(passphrase_hash)
    finish(conn, "sqlite", list(gen.counts))
    for statement in restore:
        conn.execute(statement)
    conn.execute("COMMIT")
    problems = conn.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise SystemExit(f"generated rows with broken references, e.g. {problems[0]}")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    return gen.counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        "--out",
        dest="db",
        default="bench/out/large.db",
        help="SQLite file or postgresql:// URL to (re)create (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of the full size (e.g. 0.05)"
    )
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 11, 20))
    args = parser.parse_args()
    began = time.perf_counter()
    counts = generate(args.db, seed=args.seed, scale=args.scale, end=args.end)
    for table, count in counts.items():
        print(f"{table:<26} {count:>10,}")
    print(f"generated {dbs.shown(args.db)} in {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
