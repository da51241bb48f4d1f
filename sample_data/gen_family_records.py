"""Families, their family plans and their Signs of Safety mappings with scaling."""

from __future__ import annotations

import random

from gen_model import LAST_DAY, TRIAL_START, Agenda, Fam, Who, danger_key, stamp
from gen_people import (
    AREAS,
    CLOSURE_REASONS,
    FAMILIES,
    NO_MAPPING,
    NO_PLAN,
    REVIEW_OVERDUE,
    SCHOOLS,
    STAFF,
    STREETS,
)
from gen_texts_a import ARCHETYPES_A
from gen_texts_b import ARCHETYPES_B
from gen_texts_common import CHILD_ANCHORS, PARENT_ANCHORS, REASONS

ARCHETYPES = {**ARCHETYPES_A, **ARCHETYPES_B}
FULL_NAMES = {s[0]: s[1] for s in STAFF}
MONTHS_3, MONTHS_6 = 65, 130  # in working days


def _school(team: str, child: Who, rng: random.Random) -> str:
    nursery, secondary = SCHOOLS[team][3], SCHOOLS[team][2]
    if child.age < 4:
        return nursery
    if child.age >= 11:
        return secondary
    return rng.choice(SCHOOLS[team][:2])


def build_families(rng: random.Random) -> list[Fam]:
    fams = []
    for number, name, team, worker, archetype, trend, opened, closed, members in FAMILIES:
        kids = [m for m in members if m["role"] == "child"]
        children = [Who(m["first"], m["gender"], last=m["last"], age=m["age"]) for m in kids]
        adults = {
            m["key"]: Who(m["first"], m["gender"], last=m["last"], age=m["age"], rel=m["rel"])
            for m in members
            if m["role"] != "child"
        }
        net = adults.get("net") or adults.get("a2") or Who("a neighbour", "x", rel="neighbour")
        ctx = {f"c{i + 1}": who for i, who in enumerate(children)}
        names = [c.name for c in children]
        ctx.update(
            a1=adults["a1"],
            net=net,
            kids=names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1],
            sw=FULL_NAMES[worker].split()[0],
            school=_school(team, children[0], rng),
        )
        if "a2" in adults:
            ctx["a2"] = adults["a2"]
        fam = Fam(
            ref=f"FAM-{number:04d}",
            number=number,
            name=f"{name} family",
            team=team,
            worker=worker,
            worker_first=FULL_NAMES[worker].split()[0],
            worker_full=FULL_NAMES[worker],
            archetype=archetype,
            texts=ARCHETYPES[archetype],
            trend=trend,
            opened=opened,
            closed=closed,
            members=members,
            children=children,
            child_keys=[m["key"] for m in kids],
            ctx=ctx,
            school=ctx["school"],
        )
        for m in kids:
            changes = [(s[0], s[1], s[2] if len(s) > 2 else None) for s in m["statuses"]]
            if closed is not None:
                changes.append(("none", closed, None))
            fam.statuses[m["key"]] = changes
        fams.append(fam)
    return fams


def family_json(fam: Fam, rng: random.Random) -> dict:
    members = []
    for m in fam.members:
        dob = None
        if m["role"] == "child" or rng.random() < 0.7:
            dob = -int(m["age"] * 365.25) - rng.randint(0, 150 if m["age"] < 1 else 330)
        entry = {
            "key": m["key"],
            "name": f"{m['first']} {m['last']}",
            "role": m["role"],
            "dob": dob,
        }
        if m["role"] == "child":
            entry["statuses"] = [
                {"status": s, "since": since, "cp_category": cat}
                for s, since, cat in fam.statuses[m["key"]]
            ]
        members.append(entry)
    address = f"{rng.randint(2, 98)} {rng.choice(STREETS)}, {rng.choice(AREAS[fam.team])}"
    return {
        "reference": fam.ref,
        "name": fam.name,
        "team": fam.team,
        "practitioner": fam.worker,
        "address": address,
        "opened": fam.opened,
        "closed": fam.closed,
        "closure_reason": CLOSURE_REASONS.get(fam.number, ""),
        "members": members,
    }


def _next_review(fam: Fam, day: int) -> int:
    """Review timescales per child (CP: 3 then every 6 months; CIN/EH 3; CLA 6), earliest wins."""
    dues = []
    for key in fam.child_keys:
        s = fam.status_on(key, day)
        if not s or s[0] == "none":
            continue
        if s[0] == "child_protection":
            due = s[1] + MONTHS_3
            while due <= day:
                due += MONTHS_6
        else:
            step = MONTHS_6 if s[0] == "child_looked_after" else MONTHS_3
            due = s[1] + step
            while due <= day:
                due += step
        dues.append(due)
    return min(dues) if dues else day + MONTHS_3


def _plan_start(fam: Fam, day: int) -> int:
    changes = [s[1] for k in fam.child_keys for s in fam.statuses[k] if s[1] <= day]
    return max([fam.opened, *changes])


def _action_status(by: int | None, day: int, first: int, trend: str, rng: random.Random) -> str:
    if day == first:
        return "on_track" if by is None else "not_started"
    if by is None:
        return "slipped" if trend == "down" and rng.random() < 0.4 else "on_track"
    if by < day:
        p_done = {"up": 0.85, "flat": 0.55, "down": 0.35}[trend]
        return "done" if rng.random() < p_done else "slipped"
    return "on_track" if rng.random() < 0.8 else "not_started"


def build_plan(fam: Fam, agenda: Agenda, rng: random.Random) -> dict | None:
    if fam.number in NO_PLAN:
        return None
    end = min(LAST_DAY - 1, fam.closed if fam.closed is not None else LAST_DAY)
    first = max(TRIAL_START + rng.randint(0, 6), fam.opened + rng.randint(3, 8))
    status_days = sorted(
        {s[1] + 1 for k in fam.child_keys for s in fam.statuses[k] if first < s[1] + 1 <= end}
    )
    steps: list[tuple[int, str]] = [(first, "start")]
    update_done = False
    review = _next_review(fam, first)
    while True:
        day = steps[-1][0]
        candidates = [(d, "status") for d in status_days if d > day]
        if fam.number not in REVIEW_OVERDUE and review <= end:
            candidates.append((review, "review"))
        if not update_done and rng.random() < 0.6 and day + 18 <= end:
            candidates.append((day + rng.randint(15, 25), "update"))
            update_done = True
        candidates = [c for c in candidates if day < c[0] <= end]
        if not candidates:
            break
        nxt = min(candidates)
        steps.append(nxt)
        if nxt[1] != "update":
            review = _next_review(fam, nxt[0])
    revisions = []
    start, review, agreed = first, 0, first
    texts = fam.texts
    has_map = fam.number not in NO_MAPPING
    for i, (day, kind) in enumerate(steps):
        if kind in ("start", "status"):
            start = _plan_start(fam, day)
        if kind != "update":
            review = _next_review(fam, day)
            agreed = day
        if i == len(steps) - 1 and fam.number in REVIEW_OVERDUE:
            review = REVIEW_OVERDUE[fam.number]
        goals = []
        for text, danger, actions in texts["goals"]:
            goal_text = fam.fmt(text)
            child_keys = ["c1"] if "{c1.name}" in text and "{kids}" not in text else fam.child_keys
            goals.append(
                {
                    "text": goal_text,
                    "children": list(child_keys),
                    "danger": danger_key(fam.ref, danger)
                    if has_map and danger is not None
                    else None,
                    "actions": [
                        {
                            "what": fam.fmt(what),
                            "who": fam.fmt(who),
                            "by": (first + offset) if offset else None,
                            "status": _action_status(
                                (first + offset) if offset else None, day, first, fam.trend, rng
                            ),
                        }
                        for what, who, offset in actions
                    ],
                }
            )
        network = fam.ctx["net"]
        agreed_with = fam.ctx["a1"].full
        if network.full != agreed_with and network.last:
            agreed_with += f" and {network.full}"
        content = {
            "start": start,
            "review": max(review, start),
            "family_words": fam.fmt(texts["family_words"]),
            "goals": goals,
            "contingency": fam.fmt(texts["contingency"]),
            "agreed_on": agreed,
            "agreed_with": agreed_with,
        }
        at = stamp(day)
        agenda.session(
            fam.worker,
            day,
            "plan",
            fam.ref,
            rng.uniform(10, 20) if kind == "update" else rng.uniform(20, 45),
            at,
            after_contacts=kind != "update",
        )
        revisions.append({"saved": at, "author": fam.worker, "kind": kind, "content": content})
        fam.plan_states.append((day, content))
        fam.plan_days.append(day)
    return {"family": fam.ref, "revisions": revisions}


def _raters(fam: Fam) -> list[tuple[str, str, str]]:
    """(name, role, kind of rater) for the people who scale at a meeting."""
    a1 = fam.ctx["a1"]
    out = [(a1.full, a1.rel, "parent")]
    if "a2" in fam.ctx and fam.ctx["a2"].last:
        out.append((fam.ctx["a2"].full, fam.ctx["a2"].rel, "parent"))
    net = fam.ctx["net"]
    if net.last and net.full not in (o[0] for o in out):
        out.append((net.full, net.rel, "relative"))
    for child in fam.children:
        if child.age >= 7:
            out.append((child.full, f"child, {child.age}", "child"))
    out.append((fam.worker_full, "social worker", "worker"))
    if any(c.age >= 4 for c in fam.children):
        who = "Key worker" if "Nursery" in fam.school else "Class teacher"
        out.append((f"{who}, {fam.school}", "school", "professional"))
    else:
        out.append(("Health visitor", "health", "professional"))
    return out


BIAS = {"parent": 1.4, "relative": 1.0, "child": 0.8, "worker": 0.0, "professional": -0.4}


def build_mappings(fam: Fam, agenda: Agenda, rng: random.Random) -> list[dict]:
    if fam.number in NO_MAPPING:
        return []
    end = min(LAST_DAY - 1, fam.closed if fam.closed is not None else LAST_DAY)
    day = max(TRIAL_START + rng.randint(0, 8), fam.opened + rng.randint(2, 6))
    while day <= end and len(fam.meeting_days) < 5:
        fam.meeting_days.append(day)
        day += {
            "child_protection": rng.randint(10, 13),
            "child_in_need": rng.randint(13, 18),
            "child_looked_after": rng.randint(18, 25),
        }.get(fam.level(day), rng.randint(15, 20))
    texts = fam.texts
    s0, step = {
        "up": (rng.choice([2.0, 3.0, 3.5]), rng.uniform(0.8, 1.2)),
        "down": (rng.choice([5.0, 5.5, 6.0]), -rng.uniform(0.7, 1.1)),
        "flat": (rng.choice([4.0, 4.5, 5.0]), 0.0),
    }[fam.trend]
    parent_anchors = rng.random() < 0.5
    raters = _raters(fam)
    pairs = [
        {
            "key": danger_key(fam.ref, i),
            "danger": {k: fam.fmt(d[k]) for k in ("who", "about", "if_nothing")},
            "goal": {k: fam.fmt(d[k]) for k in ("parents_will", "child", "prof", "how_long")},
        }
        for i, d in enumerate(texts["dangers"])
    ]
    out: list[dict] = []
    for n, day in enumerate(fam.meeting_days):
        base = s0 + step * n
        ratings = _ratings(fam, n, day, base, raters, pairs, parent_anchors, rng)
        fam.ratings_by_day[day] = ratings
        if out and day - out[-1]["revisions"][0]["content"]["held_on"] < 25:
            # A core group or review between mappings: everyone re-scales against the current map.
            agenda.session(
                fam.worker, day, "mapping", fam.ref, rng.uniform(6, 14), None, after_contacts=True
            )
            out[-1]["ratings"].extend(ratings)
            continue
        shift = n if fam.trend == "up" else 0
        grow = n if fam.trend != "down" else 0
        complicating = texts["complicating"][: max(1, len(texts["complicating"]) - shift // 2)]
        safety = texts["safety"][: min(len(texts["safety"]), 1 + grow)]
        items = (
            [{"category": "harm", "text": fam.fmt(t)} for t in texts["harm"]]
            + [{"category": "complicating_factors", "text": fam.fmt(t)} for t in complicating]
            + [{"category": "existing_strengths", "text": fam.fmt(t)} for t in texts["strengths"]]
            + [{"category": "existing_safety", "text": fam.fmt(t)} for t in safety]
            + [{"category": "next_steps", "text": fam.fmt(t)} for t in texts["next_steps"]]
        )
        participants = [f"{name} ({role})" for name, role, _ in raters]
        at = stamp(day)
        agenda.session(
            fam.worker, day, "mapping", fam.ref, rng.uniform(25, 50), at, after_contacts=True
        )
        content = {"held_on": day, "participants": participants, "items": items, "pairs": pairs}
        out.append(
            {
                "family": fam.ref,
                "revisions": [{"saved": at, "author": fam.worker, "content": content}],
                "ratings": list(ratings),
            }
        )
    last = out[-1] if out else None
    if last and rng.random() < 0.7:
        held = last["revisions"][0]["content"]["held_on"]
        later = min(LAST_DAY, held + rng.randint(1, 3))
        at2 = stamp(later)
        agenda.session(fam.worker, later, "mapping", fam.ref, rng.uniform(8, 20), at2)
        extra = {
            "category": "next_steps",
            "text": fam.fmt(
                "Added after the meeting: {sw} to share the map with {school} and {net.name}."
            ),
        }
        content = last["revisions"][0]["content"]
        last["revisions"].append(
            {
                "saved": at2,
                "author": fam.worker,
                "content": {**content, "items": [*content["items"], extra]},
            }
        )
    return out


def _ratings(
    fam: Fam,
    n: int,
    day: int,
    base: float,
    raters: list,
    pairs: list,
    parent_anchors: bool,
    rng: random.Random,
) -> list[dict]:
    ratings: list[dict] = []
    for name, role, kind in raters:
        score = max(0, min(10, round(base + BIAS[kind] + rng.uniform(-0.6, 0.6))))
        reasons = REASONS[kind][fam.trend]
        anchors: tuple = (None, None)
        if kind == "child":
            anchors = CHILD_ANCHORS
        elif kind == "parent" and parent_anchors:
            anchors = PARENT_ANCHORS
        reason = fam.fmt(reasons[(n + len(ratings)) % len(reasons)])
        ratings.append(
            {
                "day": day,
                "person": name,
                "role": role,
                "score": score,
                "reason": reason,
                "anchor_zero": anchors[0],
                "anchor_ten": anchors[1],
                "danger": None,
                "recorded_by": fam.worker,
            }
        )
        if kind == "worker":
            for pair in pairs:
                ratings.append(
                    {
                        **ratings[-1],
                        "danger": pair["key"],
                        "score": max(0, min(10, score + rng.choice([-1, 0, 0, 1]))),
                        "reason": f"Against this danger statement and its goal: {reason}",
                    }
                )
    return ratings
