"""Concurrent use, through the real services and the real unit of work, in separate processes
(fresh ones: forked from a clean fork server, never from a process holding a connection).

1. Eight writers for 30 s (TANDEM_CONCURRENCY_SECONDS) on one database (a SQLite file; then
   PostgreSQL): seven practitioners each logging contacts, recording scaling and saving their
   family's summary, and their team manager doing the same across all seven families (so summary
   saves really collide). Each process logs a write to its own file only after the service
   returned. Afterwards every acknowledged write is stored, byte for byte; nothing is stored that
   was not acknowledged; no "database is locked" (OperationalError) reached a caller, and neither
   did DatabaseBusy (the same thing in the user's words: counted and required to be 0); the
   database is intact.
2. Lost update: two editors open the same plan (or summary) at the same revision, both type, both
   save at once: exactly one save wins, the other is refused as a conflict naming who saved, and
   the loser's text is kept as their draft. Nothing is overwritten silently.

Figures are printed as ``FIGURES {...}`` (pytest -s) and appended to ``trust-figures.jsonl`` in
pytest's base temporary directory.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import random
import time
import traceback
from collections import Counter
from datetime import date, datetime
from datetime import time as clock_time

import pytest

from domain.clock import SystemClock
from domain.errors import Conflict, DomainError
from domain.plans import PlanContent
from domain.services import admin, contacts, drafts, families, mappings, plans, summaries
from domain.services.context import Context
from storage.engine import SQLITE_BEGIN_OPTION, is_locked_error, make_engine
from storage.uow import DatabaseBusy, sql_uow_factory
from tests.integration.test_crash import ack, integrity_problems, read_acks, stored_writes
from tui.bootstrap import open_runtime

#: Tests that start many writer processes run one after another on one xdist worker, never two
#: such crowds at once on a 2-core machine (pyproject: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("many-processes")

SECONDS = float(os.environ.get("TANDEM_CONCURRENCY_SECONDS", "30"))
PRACTITIONERS = 7  # + 1 manager = 8 writer processes
ROUNDS = 10  # lost-update rounds per record kind


def _fresh_processes():  # type: ignore[no-untyped-def]
    """Processes forked from a server that has imported the app but never opened a database
    connection (as 'spawn', but quicker to start; connections are opened in the child)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def _team(url: str) -> dict:
    """A team of seven practitioners, each with a family and a summary in progress, and their
    manager."""
    runtime = open_runtime(url)
    system = runtime.system_context()
    team = admin.create_team(system, "North")
    manager = admin.create_user(system, "mo", "Mo Khan", "team_manager", "North")
    people = []
    for n in range(PRACTITIONERS):
        user = admin.create_user(system, f"p{n}", f"Practitioner {n}", "practitioner", "North")
        family = families.create_family(
            system, f"FAM-{n:04d}", f"Family {n}", team_id=team.id, practitioner=user.username
        )
        summary = summaries.start_summary(
            Context(runtime.uow_factory, runtime.clock, user), family.id
        )
        people.append({"user": user.id, "family": family.id, "summary": summary.id})
    runtime.engine.dispose()
    return {"manager": manager.id, "people": people}


# --- 1. eight writers ----------------------------------------------------------------------------


def _writer(  # type: ignore[no-untyped-def]
    url: str, index: int, team: dict, ready, stop, ack_path: str, result_path: str, control=False
) -> None:
    """Child process: index < 7 is practitioner p<index> on their own family; 7 is the manager
    on all of them. Runs until ``stop``; writes its tallies to ``result_path``.

    ``control``: the negative control, SQLite transactions begun DEFERRED (a plain BEGIN)."""
    counts: Counter[str] = Counter()
    problems: list[str] = []
    engine = make_engine(url)
    rng = random.Random(index)
    manager = index == PRACTITIONERS
    try:
        make_uow = sql_uow_factory(engine)
        with make_uow() as uow:
            user = uow.users.get(team["manager"] if manager else team["people"][index]["user"])
        ctx = Context(make_uow, SystemClock(), user)
        mine = team["people"] if manager else [team["people"][index]]
        bases = {p["summary"]: summaries.get_summary(ctx, p["summary"]).version for p in mine}
        fd = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    except BaseException:
        ready.abort()  # the parent fails at once instead of waiting for this writer
        raise
    if control:
        deferred = engine.execution_options(**{SQLITE_BEGIN_OPTION: "DEFERRED"})
        ctx = Context(sql_uow_factory(deferred), SystemClock(), user)
    ready.wait(120)
    seq = 0
    while not stop.is_set():
        seq += 1
        target = rng.choice(mine)
        words = f"w{index}-{seq} {rng.getrandbits(64):016x} “said” ✓"
        op = rng.choice(("contact", "contact", "scaling", "summary"))
        try:
            if op == "contact":
                c = contacts.log_contact(
                    ctx,
                    target["family"],
                    datetime.now().date(),
                    clock_time(0, 0),
                    15,
                    "phone",
                    words,
                )
                ack(fd, "contact", c.id, words)
            elif op == "scaling":
                r = mappings.record_scaling(
                    ctx, target["family"], None, f"Writer {index}", "parent", seq % 11, words
                )
                ack(fd, "scaling", r.id, words)
            else:
                sid = target["summary"]
                key = f"summary:{sid}"
                drafts.autosave(ctx, key, words, base_revision=bases[sid])  # as the editor does
                try:
                    s = summaries.save_summary(ctx, sid, {"analysis": words}, bases[sid])
                except Conflict:
                    counts["conflicts"] += 1
                    kept = drafts.get_draft(ctx, key)
                    if kept is None or kept.content != words:
                        counts["draft_lost"] += 1
                    bases[sid] = summaries.get_summary(ctx, sid).version  # reload theirs
                    continue
                bases[sid] = s.version
                ack(fd, "summary", f"{s.id}.{s.version}", words)
                drafts.discard_draft(ctx, key)
            counts["acked"] += 1
        except DatabaseBusy as error:
            counts["database_busy"] += 1
            problems.append(str(error))
        except DomainError as error:
            counts["domain_error"] += 1
            problems.append(f"{type(error).__name__}: {error}")
        except Exception as error:  # noqa: BLE001 - counted and reported to the parent
            counts["locked" if is_locked_error(error) else "other_error"] += 1
            problems.append("".join(traceback.format_exception_only(error)).strip())
    os.close(fd)
    engine.dispose()
    with open(result_path, "w") as fh:
        json.dump({"counts": counts, "problems": problems[:20]}, fh)


def _acked_so_far(tmp_path, writers: int) -> int:  # type: ignore[no-untyped-def]
    acked: dict[str, str] = {}
    for i in range(writers):
        acked.update(read_acks(tmp_path / f"acks-{i}"))
    return len(acked)


def _run_writers(url: str, tmp_path, seconds: float, control: bool = False, min_acks: int = 0):  # type: ignore[no-untyped-def]
    """Run the writers for ``seconds``, then, if fewer than ``min_acks`` writes have been
    acknowledged (a loaded machine gives them less CPU), until that many have (the deadline is
    only a backstop): the test is about what happens to the writes, not how fast they come."""
    team = _team(url)
    procs = _fresh_processes()
    writers = PRACTITIONERS + 1
    ready, stop = procs.Barrier(writers + 1), procs.Event()
    processes = [
        procs.Process(
            target=_writer,
            args=(
                url,
                i,
                team,
                ready,
                stop,
                str(tmp_path / f"acks-{i}"),
                str(tmp_path / f"result-{i}.json"),
                control,
            ),
        )
        for i in range(writers)
    ]
    for p in processes:
        p.start()
    ready.wait(120)
    started = time.monotonic()
    time.sleep(seconds)
    give_up = time.monotonic() + max(10 * seconds, 300)
    while _acked_so_far(tmp_path, writers) < min_acks and time.monotonic() < give_up:
        assert all(p.is_alive() for p in processes), "a writer process died"
        time.sleep(0.2)
    stop.set()
    for p in processes:
        p.join(60)
    elapsed = time.monotonic() - started
    assert [p.exitcode for p in processes] == [0] * writers

    counts: Counter[str] = Counter()
    problems: list[str] = []
    acked: dict[str, str] = {}
    for i in range(writers):
        result = json.loads((tmp_path / f"result-{i}.json").read_text())
        counts.update(result["counts"])
        problems += result["problems"]
        acked.update(read_acks(tmp_path / f"acks-{i}"))
    return team, elapsed, counts, problems, acked


def test_eight_writers_lose_nothing_and_never_see_a_lock_error(
    database_url, tmp_path, figures
) -> None:  # type: ignore[no-untyped-def]
    team, elapsed, counts, problems, acked = _run_writers(
        database_url, tmp_path, SECONDS, min_acks=math.ceil(100 * SECONDS / 30)
    )
    stored = stored_writes(database_url)
    first_versions = {f"summary {p['summary']}.1" for p in team["people"]}
    missing = [k for k in acked if k not in stored]
    altered = [k for k in acked if k in stored and stored[k] != acked[k]]
    unacked = [k for k in stored if k not in acked and k not in first_versions]
    integrity = integrity_problems(database_url)
    figures(
        backend="sqlite" if database_url.startswith("sqlite") else "postgresql",
        processes=PRACTITIONERS + 1,
        seconds=round(elapsed, 1),
        acked_writes=len(acked),
        writes_per_second=round(len(acked) / elapsed, 1),
        lost=len(missing),
        altered=len(altered),
        stored_unacknowledged=len(unacked),
        locked_errors=counts["locked"],
        database_busy=counts["database_busy"],
        other_errors=counts["other_error"] + counts["domain_error"],
        summary_conflicts_handled=counts["conflicts"],
        drafts_lost=counts["draft_lost"],
        integrity_problems=len(integrity),
    )
    assert problems == [], problems
    assert counts["locked"] == 0 and counts["database_busy"] == 0
    assert missing == [] and altered == [] and unacked == []
    assert counts["draft_lost"] == 0
    assert integrity == []
    assert len(acked) == counts["acked"] and len(acked) >= 100 * SECONDS / 30


def test_negative_control_a_plain_begin_does_surface_lock_errors(
    sqlite_url, tmp_path, figures
) -> None:  # type: ignore[no-untyped-def]
    """The same writers with SQLite transactions begun DEFERRED: "database is locked" reaches
    the callers, so the test above could see it if the engine let it through."""
    _, elapsed, counts, problems, acked = _run_writers(sqlite_url, tmp_path, 5, control=True)
    figures(
        seconds=round(elapsed, 1),
        acked_writes=len(acked),
        locked_errors=counts["locked"],
        database_busy=counts["database_busy"],
    )
    assert counts["locked"] + counts["database_busy"] > 0
    assert all("locked" in p or "busy" in p for p in problems), problems[:3]


# --- 2. lost update --------------------------------------------------------------------------------


def _content(words: str) -> PlanContent:
    return PlanContent(
        start_date=date(2025, 2, 1), review_date=date(2025, 5, 1), family_words=words
    )


def _editor(url: str, user_id: int, kind: str, ids: dict, barrier, results) -> None:  # type: ignore[no-untyped-def]
    """Child process: ROUNDS times open the record, type, wait for the other editor, save."""
    engine = make_engine(url)
    make_uow = sql_uow_factory(engine)
    with make_uow() as uow:
        user = uow.users.get(user_id)
    ctx = Context(make_uow, SystemClock(), user)
    key = f"plan:family:{ids['family']}" if kind == "plan" else f"summary:{ids['summary']}"
    try:
        for n in range(ROUNDS):
            if kind == "plan":
                plan = plans.get_plan(ctx, ids["family"])
                base = plan.revision if plan else None
            else:
                base = summaries.get_summary(ctx, ids["summary"]).version
            words = f"{user.username} wrote this in round {n}"
            drafts.autosave(ctx, key, words, base_revision=base)  # the editor's autosave
            barrier.wait(60)  # both editors opened the same revision and typed
            try:
                if kind == "plan":
                    saved = plans.save_plan(ctx, ids["family"], _content(words), base).revision
                else:
                    saved = summaries.save_summary(
                        ctx, ids["summary"], {"analysis": words}, base
                    ).version
                drafts.discard_draft(ctx, key)
                results.put((n, "saved", user.username, words, saved, None))
            except Conflict as conflict:
                drafts.autosave(ctx, key, words)  # the editor keeps the text (save_failed)
                kept = drafts.get_draft(ctx, key)
                results.put(
                    (
                        n,
                        "conflict",
                        user.username,
                        words,
                        conflict.current_revision,
                        (kept.content if kept else None, str(conflict)),
                    )
                )
            barrier.wait(60)  # both saves are over before the next round
    except Exception as error:  # noqa: BLE001 - reported to the parent, which fails the test
        results.put((-1, "error", user.username, repr(error), None, None))
        barrier.abort()
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", ["plan", "summary"])
def test_two_editors_saving_at_once_one_wins_the_other_keeps_a_draft(
    database_url, kind, figures
) -> None:  # type: ignore[no-untyped-def]
    team = _team(database_url)
    ids = team["people"][0]
    runtime = open_runtime(database_url)
    with runtime.uow_factory() as uow:
        names = {u.id: u.full_name for u in uow.users.list()}
    runtime.engine.dispose()
    procs = _fresh_processes()
    barrier, results = procs.Barrier(2), procs.Queue()
    editors = [
        procs.Process(target=_editor, args=(database_url, uid, kind, ids, barrier, results))
        for uid in (ids["user"], team["manager"])
    ]
    for p in editors:
        p.start()
    outcomes = [results.get(timeout=180) for _ in range(2 * ROUNDS)]
    for p in editors:
        p.join(60)
    assert [o for o in outcomes if o[1] == "error"] == []

    runtime = open_runtime(database_url)
    with runtime.uow_factory() as uow:
        if kind == "plan":
            history = [r.content.family_words for r in uow.plans.revisions(ids["family"])]
        else:
            history = [
                v.sections.get("analysis", "") for v in uow.summaries.versions(ids["summary"])
            ]
    runtime.engine.dispose()
    by_round: dict[int, list] = {}
    for o in outcomes:
        by_round.setdefault(o[0], []).append(o)
    winners = []
    named = 0
    for n in range(ROUNDS):
        both = sorted(by_round[n], key=lambda o: o[1])
        assert [o[1] for o in both] == ["conflict", "saved"], both
        lost, won = both
        winners.append(won[3])
        kept_text, message = lost[5]
        assert kept_text == lost[3], "the refused editor's text must stay in their draft"
        assert lost[3] not in history, "the refused text must not have been stored"
        winner_name = names[ids["user"]] if won[2].startswith("p") else names[team["manager"]]
        assert "not saved" in message or "Nothing was overwritten" in message, message
        named += winner_name in message
        assert lost[4] == won[4]  # the conflict names the revision that won
    if database_url.startswith("sqlite"):  # saves take turns, so the check names the winner
        assert named == ROUNDS
    assert [h for h in history if h] == winners  # every winner, in order, and nothing else
    figures(
        backend="sqlite" if database_url.startswith("sqlite") else "postgresql",
        kind=kind,
        rounds=ROUNDS,
        conflicts=ROUNDS,
        silent_overwrites=0,
        drafts_kept=ROUNDS,
        conflicts_naming_the_winner=named,
    )
