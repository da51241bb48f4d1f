"""Time with families and time recording: the contact log, recording sessions, manual entries and
the pre-trial baseline, following research/domain.md §5.4 per practitioner-week."""

from __future__ import annotations

import math
import random
from collections import defaultdict

from gen_model import (
    BASELINE_START,
    LAST_DAY,
    TRIAL_START,
    WEEKS,
    Agenda,
    Fam,
    week_days,
)
from gen_people import OVERDUE_VISITS, PROCEEDINGS, STAFF
from gen_texts_common import CONFERENCE_NOTES, MANUAL_NOTES, NO_ANSWER, NOTES

PRACTITIONERS = [s[0] for s in STAFF if s[2] == "practitioner"]
CATEGORY_WORDS = {
    "neglect": "neglect",
    "physical_abuse": "physical abuse",
    "emotional_abuse": "emotional abuse",
    "sexual_abuse": "sexual abuse",
    "multiple": "multiple categories",
}
#: Deregulated target (domain.md §5.4): shares of a ~39-hour week.
TARGET_DIRECT, TARGET_RECORDING, HOURS_TRIAL = 0.40, 0.135, 39
#: Baseline B (CCN/Newton 2022 style), ~43 hours worked.
BASELINE_SHARES = {
    "direct_work": 0.19,
    "recording": 0.30,
    "admin_it": 0.20,
    "meeting_multiagency": 0.09,
    "meeting_internal": 0.06,
    "liaison": 0.06,
    "travel": 0.08,
    "supervision_reflection": 0.015,
    "training": 0.005,
}
HOURS_BASELINE = 43


def _carer(fam: Fam):
    return fam.ctx["net"] if fam.archetype in ("kinship_cla", "foster_cla") else fam.ctx["a1"]


def _present(fam: Fam, with_children: bool) -> str:
    names = [_carer(fam).full]
    if with_children:
        names += [c.name for c in fam.children]
    return ", ".join(names)


def _meeting(fam: Fam, agenda: Agenda, day: int, note: str, rng: random.Random) -> None:
    teen = any(c.age >= 12 for c in fam.children)
    agenda.contact(
        fam,
        day,
        "family_meeting",
        note,
        rng.choice([60, 75, 90, 90, 120]),
        present=_present(fam, teen) + ", school, health visitor",
        seen=teen,
        alone=False,
        travel=rng.choice([0, 0, 15, 20, 30]),
    )


def fixed_contacts(fam: Fam, plan: dict | None, agenda: Agenda, rng: random.Random) -> None:
    """Conferences, reviews, mapping meetings and statutory visits that the record implies."""
    end = min(LAST_DAY, fam.closed if fam.closed is not None else LAST_DAY)
    start = max(TRIAL_START, fam.opened)
    a = _carer(fam)
    meetings: dict[int, str] = {}
    for key in fam.child_keys:
        previous = None
        for status, since, category in fam.statuses[key]:
            if start <= since <= end and status != "none":
                if status == "child_protection":
                    text = CONFERENCE_NOTES["icpc"].format(a=a, category=CATEGORY_WORDS[category])
                elif status == "child_in_need" and previous == "child_protection":
                    text = CONFERENCE_NOTES["step_down"].format(a=a)
                elif status == "child_looked_after":
                    text = CONFERENCE_NOTES["cla"]
                elif status == "early_help":
                    text = CONFERENCE_NOTES["eh"].format(a=a)
                else:
                    text = CONFERENCE_NOTES["cin"].format(a=a)
                meetings.setdefault(since, text)
            previous = status
    for rev in plan["revisions"] if plan else []:
        day = rev["saved"]["day"]
        if rev["kind"] == "review" and day not in meetings:
            level = fam.level(day)
            key = {"child_protection": "rcpc", "child_looked_after": "cla"}.get(level, "cin")
            meetings[day] = CONFERENCE_NOTES[key].format(a=a)
    for day in fam.meeting_days:
        meetings.setdefault(day, CONFERENCE_NOTES["mapping"].format(a=a))
    for day, note in sorted(meetings.items()):
        _meeting(fam, agenda, day, note, rng)
    if fam.closed is not None:
        agenda.contact(
            fam,
            fam.closed,
            "home_visit",
            fam.fmt(
                "Closing visit. Went through what has changed and who to call if "
                "things get hard again. {a1.name} signed the closure letter."
            ),
            60,
            present=_present(fam, True),
            seen=True,
            alone=False,
            travel=25,
            statutory=True,
        )
    cutoff = OVERDUE_VISITS.get(fam.number)
    if cutoff is not None:
        for day in (cutoff + 4, cutoff + 8):
            if day <= end:
                agenda.contact(
                    fam,
                    day,
                    "home_visit",
                    fam.fmt(NO_ANSWER),
                    10,
                    present="",
                    seen=False,
                    alone=False,
                    travel=30,
                    statutory=True,
                )
    # Statutory visits, counted back from the most recent one.
    day = OVERDUE_VISITS.get(fam.number, end - rng.randint(0, 6))
    while day >= start:
        if fam.is_open(day):
            _visit(fam, agenda, day, rng)
        level = fam.level(day)
        day -= {
            "child_protection": rng.randint(6, 9),
            "child_looked_after": rng.randint(22, 28),
            "child_in_need": rng.randint(12, 18),
            "early_help": rng.randint(8, 12),
        }.get(level, 15)


def _note(fam: Fam, kind: str, child, adult, rng: random.Random) -> str:
    own = [t for k, t in fam.texts["notes"] if k == kind]
    pool = own if own and rng.random() < 0.5 else NOTES[kind]
    if child.age < 5:  # nothing a baby or toddler could have said or done alone
        pool = [t for t in pool if not any(w in t for w in YOUNG_UNSUITABLE)] or pool
    fresh = [t for t in pool if t not in fam.recent_notes[-4:]] or pool
    template = rng.choice(fresh)
    fam.recent_notes.append(template)
    note = fam.fmt(template, c=child, a=adult)
    assert len(note) <= 280, note
    return note


def _visit(fam: Fam, agenda: Agenda, day: int, rng: random.Random) -> None:
    cp = fam.cp_children(day)
    child = rng.choice(cp or fam.children)
    kind = "school_nursery" if rng.random() < 0.12 and child.age >= 3 else "home_visit"
    alone = child.age >= 4 and rng.random() < (0.85 if cp else 0.5)
    agenda.contact(
        fam,
        day,
        kind,
        _note(fam, kind, child, _carer(fam), rng),
        rng.choice([50, 60, 60, 75, 90]) if cp else rng.choice([45, 60, 60, 75]),
        present=_present(fam, True) if kind == "home_visit" else child.name,
        seen=True,
        alone=alone,
        travel=rng.randint(15, 40),
        statutory=True,
    )


YOUNG_UNSUITABLE = ("alone", "said", "told", "homework", "drawing")

KIND_WEIGHTS = [
    ("home_visit", 30),
    ("school_nursery", 12),
    ("phone", 26),
    ("video", 6),
    ("office", 10),
    ("family_meeting", 6),
    ("other", 10),
]
KIND_MINUTES = {
    "home_visit": (45, 120),
    "school_nursery": (30, 60),
    "phone": (10, 30),
    "video": (20, 45),
    "office": (45, 90),
    "family_meeting": (60, 120),
    "other": (45, 120),
}
KIND_TRAVEL = {
    "home_visit": (15, 45),
    "school_nursery": (10, 30),
    "phone": (0, 0),
    "video": (0, 0),
    "office": (0, 0),
    "family_meeting": (0, 30),
    "other": (15, 40),
}
LEVEL_WEIGHT = {
    "child_protection": 3.0,
    "child_in_need": 2.0,
    "early_help": 1.5,
    "child_looked_after": 1.2,
    "none": 0.3,
}


def _filler(fam: Fam, day: int, rng: random.Random) -> dict:
    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    kind = rng.choices(kinds, weights)[0]
    cutoff = OVERDUE_VISITS.get(fam.number)
    if cutoff is not None and day > cutoff:
        kind = "phone"  # the overdue families: no one has seen the children since
    child = rng.choice(fam.children)
    if kind == "school_nursery" and child.age < 3:
        kind = "home_visit"
    lo, hi = KIND_MINUTES[kind]
    t_lo, t_hi = KIND_TRAVEL[kind]
    seen = {
        "home_visit": 0.8,
        "school_nursery": 1.0,
        "office": 0.3,
        "video": 0.5,
        "family_meeting": 0.3,
        "other": 0.6,
    }.get(kind, 0.0) > rng.random()
    if cutoff is not None and day > cutoff:
        seen = False
    alone = (
        seen and kind in ("home_visit", "school_nursery") and child.age >= 5 and rng.random() < 0.5
    )
    note_kind = kind
    return {
        "family": fam.ref,
        "by": fam.worker,
        "day": day,
        "kind": kind,
        "note": _note(fam, note_kind, child, _carer(fam), rng),
        "minutes": 5 * round(rng.randint(lo, hi) / 5),
        "present": child.name if kind == "school_nursery" else _present(fam, seen),
        "seen": seen,
        "alone": alone,
        "travel": 5 * round(rng.randint(t_lo, t_hi) / 5),
        "statutory": False,
    }


def _manual(user: str, day: int, fams: list[Fam], rng: random.Random) -> dict:
    court = [f for f in fams if f.number in PROCEEDINGS]
    if court and rng.random() < 0.25:
        fam, kind, minutes = rng.choice(court), "court_statement", rng.choice([60, 90, 120, 150])
    else:
        kind = rng.choices(["legacy_system", "letters_email", "other"], [55, 35, 10])[0]
        fam = rng.choice(fams) if fams else None
        minutes = rng.choice(
            {
                "legacy_system": [15, 20, 25, 30, 40],
                "letters_email": [10, 15, 20, 30],
                "other": [20, 30, 45],
            }[kind]
        )
    return {
        "user": user,
        "day": day,
        "minutes": minutes,
        "kind": kind,
        "note": rng.choice(MANUAL_NOTES[kind]),
        "family": fam.ref if fam else None,
    }


def plan_time_use(fams: list[Fam], agenda: Agenda, rng: random.Random):
    """Fill each practitioner-week up to its direct-work and recording targets."""
    contacts = defaultdict(list)
    for c in agenda.contacts:
        contacts[(c["by"], c["day"])].append(c)
    manual = []
    extra_sessions = []
    for user in PRACTITIONERS:
        mine = [f for f in fams if f.worker == user]
        d_off, r_off = rng.uniform(-0.05, 0.05), rng.uniform(-0.04, 0.04)
        for week in range(WEEKS):
            days = week_days(week)
            hours = rng.gauss(HOURS_TRIAL * 60, 90) * len(days) / 5
            d_share = min(0.5, max(0.3, TARGET_DIRECT + d_off + rng.uniform(-0.02, 0.02)))
            r_share = (
                TARGET_RECORDING + r_off + rng.uniform(-0.015, 0.015) + (0.02 if week < 3 else 0)
            )
            direct = sum(c["minutes"] for d in days for c in contacts[(user, d)])
            for _ in range(300):
                if direct >= d_share * hours:
                    break
                day = rng.choice(days)
                open_fams = [f for f in mine if f.is_open(day)]
                if len(contacts[(user, day)]) >= 4 or not open_fams:
                    continue
                weights = [
                    LEVEL_WEIGHT[f.level(day)]
                    * (0.3 if day > OVERDUE_VISITS.get(f.number, 0) else 1)
                    for f in open_fams
                ]
                contact = _filler(rng.choices(open_fams, weights)[0], day, rng)
                contacts[(user, day)].append(contact)
                direct += contact["minutes"]
            logged = sum(len(contacts[(user, d)]) for d in days) * 2.0
            fixed = (
                sum(s["active"] for s in agenda.sessions if s["user"] == user and s["day"] in days)
                / 60
            )
            gap = r_share * hours - logged - fixed
            manual_target = max(0.0, gap) * rng.uniform(0.3, 0.5)
            while manual_target > 10:
                open_fams = [f for f in mine if f.is_open(days[-1])]
                entry = _manual(user, rng.choice(days), open_fams, rng)
                manual.append(entry)
                manual_target -= entry["minutes"]
                gap -= entry["minutes"]
            while gap > 8:
                day = rng.choice(days)
                open_fams = [f for f in mine if f.is_open(day)]
                if not open_fams:
                    break
                activity = rng.choices(["summary", "plan", "mapping"], [6, 2, 1])[0]
                minutes = min(gap, rng.uniform(12, 45))
                extra_sessions.append(
                    {
                        "user": user,
                        "day": day,
                        "activity": activity,
                        "family": rng.choice(open_fams).ref,
                        "active": int(minutes * 60),
                        "stamp": None,
                        "after_contacts": False,
                    }
                )
                gap -= minutes
    all_contacts = [c for key in sorted(contacts) for c in contacts[key]]
    return all_contacts, agenda.sessions + extra_sessions, manual


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def schedule(contacts: list[dict], sessions: list[dict], rng: random.Random):
    """Give every contact and session a time of day; returns the timed session records."""
    by_day: dict[tuple[str, int], dict[str, list]] = defaultdict(lambda: {"c": [], "s": []})
    for c in contacts:
        by_day[(c["by"], c["day"])]["c"].append(c)
    for s in sessions:
        by_day[(s["user"], s["day"])]["s"].append(s)
    out = []
    for (user, day), work in sorted(by_day.items()):
        blocks: list[tuple[str, dict]] = []
        free = [s for s in work["s"] if not s["after_contacts"]]
        later = [s for s in work["s"] if s["after_contacts"]]
        morning = [s for s in free if rng.random() < 0.4]
        blocks += [("s", s) for s in morning]
        for c in sorted(work["c"], key=lambda c: c["kind"] != "family_meeting"):
            log = {
                "user": user,
                "day": day,
                "activity": "contact_log",
                "family": c["family"],
                "active": rng.randint(40, 200),
                "stamp": None,
                "after_contacts": False,
            }
            c["_log"] = log
            blocks += [("c", c), ("s", log)]
        blocks += [("s", s) for s in free if s not in morning] + [("s", s) for s in later]
        spans = []
        for kind, b in blocks:
            if kind == "c":
                spans.append(b["minutes"] + b["travel"])
            else:
                factor = 1.0 if b["activity"] == "contact_log" else rng.uniform(1.1, 1.5)
                spans.append(math.ceil((b["active"] * factor + rng.randint(0, 60)) / 60))
        busy = sum(spans)
        slack = max(0, 19 * 60 - 8 * 60 - 30 - busy)
        gaps = [rng.randint(5, 35) for _ in blocks]
        scale = min(1.0, slack / max(1, sum(gaps)))
        t = 8 * 60 + 30 + rng.randint(0, 20)
        for (kind, b), span, gap in zip(blocks, spans, gaps, strict=True):
            if kind == "c":
                t += b["travel"] // 2
                b["time"] = _hhmm(t)
                t += b["minutes"] + b["travel"] - b["travel"] // 2
            else:
                record = {
                    "user": user,
                    "family": b["family"],
                    "activity": b["activity"],
                    "day": day,
                    "start": _hhmm(t),
                    "end": _hhmm(t + span),
                    "active": b["active"],
                }
                t += span
                b["end"] = record["end"]
                if b["stamp"] is not None:
                    b["stamp"]["time"] = record["end"]
                out.append((record, b))
            t += int(gap * scale)
        assert t < 23 * 60, (user, day, t)
    for c in contacts:
        c["logged"] = {"day": c["day"], "time": c.pop("_log")["end"]}
    return [record for record, _ in out]


def build_baseline(rng: random.Random) -> list[tuple[str, int, str, int]]:
    rows = []
    for index, user in enumerate(PRACTITIONERS):
        d_off, r_off = rng.uniform(-0.03, 0.03), rng.uniform(-0.03, 0.03)
        for week in range(8):
            days = [BASELINE_START + 5 * week + i for i in range(5)]
            total = rng.gauss(HOURS_BASELINE * 60, 90)
            shares = dict(BASELINE_SHARES)
            shares["direct_work"] += d_off + rng.uniform(-0.02, 0.02)
            shares["recording"] += r_off + rng.uniform(-0.02, 0.02)
            shares["admin_it"] = 1 - sum(v for k, v in shares.items() if k != "admin_it")
            for category, share in shares.items():
                minutes = share * total
                per_day = [0.0] * 5
                if category == "supervision_reflection":
                    if (week + index) % 2 == 0:
                        per_day[rng.randrange(5)] = 75
                elif category == "training":
                    if (week + index) % 4 == 1:
                        per_day[rng.randrange(5)] = 60
                elif category in ("meeting_multiagency", "meeting_internal"):
                    for d in rng.sample(range(5), 2):
                        per_day[d] = minutes / 2
                else:
                    weights = [rng.uniform(0.6, 1.4) for _ in range(5)]
                    per_day = [minutes * w / sum(weights) for w in weights]
                for d, m in zip(days, per_day, strict=True):
                    m5 = 5 * round(m / 5)
                    if m5 > 0:
                        rows.append((user, d, category, m5))
    return rows
