"""Case summaries through their whole life cycle, and audio observations with feedback."""

from __future__ import annotations

import random

from gen_model import LAST_DAY, TRIAL_START, Agenda, Fam, stamp
from gen_people import (
    EARLIER_RETURNED,
    LATEST_SUMMARY,
    LEAD_SUPPORTS,
    MANAGERS,
    STALE_SUMMARY,
)
from gen_texts_common import (
    CONSENT_SCOPE,
    FEEDBACK_COMMENTS,
    FEEDBACK_STRENGTHS,
    FEEDBACK_TRY,
    HOME_NOW,
    REPLIES,
    RETURN_COMMENTS,
    VOICE,
    VOICE_SINCE,
)


def _voice(fam: Fam, k: int) -> str:
    words = {key: fam.fmt(text) for key, text in fam.texts["words"].items()}
    parts = []
    for child in fam.children:
        line = fam.fmt(VOICE[child.band], c=child, **words)
        if k > 0 and child.band != "baby":
            line += fam.fmt(VOICE_SINCE[fam.trend], c=child)
        parts.append(line)
    return "\n\n".join(parts)


def _plan_progress(fam: Fam, day: int) -> str:
    states = [content for d, content in fam.plan_states if d <= day]
    if not states:
        return "There is no written plan yet; we are still getting to know the family and agreeing one."
    actions = [a for g in states[-1]["goals"] for a in g["actions"]]
    count = {
        s: sum(1 for a in actions if a["status"] == s)
        for s in ("done", "on_track", "slipped", "not_started")
    }
    parts = [f"{count['done']} done", f"{count['on_track']} on track"]
    if count["not_started"]:
        parts.append(f"{count['not_started']} not started yet")
    parts.append(f"{count['slipped']} slipped")
    text = (
        f"Of the {len(actions)} actions in the family plan, "
        f"{', '.join(parts[:-1])} and {parts[-1]}."
    )
    done = [a for a in actions if a["status"] == "done"]
    slipped = [a for a in actions if a["status"] == "slipped"]
    if done:
        text += f' Done: "{done[0]["what"]}" ({done[0]["who"]}).'
    if slipped:
        text += f' Slipped: "{slipped[0]["what"]}" ({slipped[0]["who"]}); we talked about why and agreed to try again.'
    return text


def _latest_scaling(fam: Fam, day: int) -> str:
    days = [d for d in fam.meeting_days if d <= day]
    if not days:
        return "We have not scaled together yet; the first mapping meeting is planned."
    ratings = [r for r in fam.ratings_by_day[days[-1]] if r["danger"] is None]
    scores = ", ".join(
        f"{'me' if r['person'] == fam.worker_full else r['person'].split(',')[0]} {r['score']}"
        for r in ratings
    )
    quoted = ratings[0]
    return (
        f"At the last mapping meeting everyone scaled from 0 to 10: {scores}. "
        f'{quoted["person"]} said: "{quoted["reason"]}"'
    )


def _sections(fam: Fam, k: int, day: int, *, draft: bool = False) -> dict[str, str]:
    t = fam.texts
    changed = t["changed"][fam.trend]
    sections = {
        "why_involved": fam.fmt(t["why"]),
        "what_changed": fam.fmt(changed[min(k, len(changed) - 1)]),
        "children_voice": _voice(fam, k),
        "plan_progress": _plan_progress(fam, day),
        "latest_scaling": _latest_scaling(fam, day),
        "analysis": fam.fmt(t["analysis"][fam.trend]),
        "next_steps": fam.fmt(t["summary_next"]),
    }
    if draft:
        sections["analysis"] = ""
        sections["next_steps"] = ""
    return sections


def _flow(state: str, earlier_returned: bool) -> list[str]:
    if state == "draft":
        return ["saved", "saved"]
    if state == "submitted":
        return ["saved", "submitted"]
    if state == "returned":
        return ["saved", "submitted", "returned"]
    if state == "resubmitted":
        return ["saved", "submitted", "returned", "saved", "resubmitted"]
    if earlier_returned:
        return ["saved", "submitted", "returned", "saved", "resubmitted", "approved"]
    return ["saved", "saved", "submitted", "approved"]


STATUS_AFTER = {
    "saved": None,
    "submitted": "submitted",
    "resubmitted": "submitted",
    "approved": "approved",
    "returned": "returned",
}


def _one_summary(
    fam: Fam,
    k: int,
    period: tuple[int, int],
    days: list[int],
    flow: list[str],
    state: str,
    agenda: Agenda,
    rng: random.Random,
) -> dict:
    manager = MANAGERS[fam.team]
    versions: list[dict] = []
    status = "draft"
    c2 = fam.ctx.get("c2")
    comment_pick = 0 if c2 is not None and c2.age >= 6 else rng.choice([1, 2])
    words = {key: fam.fmt(text) for key, text in fam.texts["words"].items()}
    words["home_now"] = HOME_NOW[fam.trend]
    if c2 is not None and c2.band == "teen":
        words["dream"] = words["dream_teen"]
    sections: dict[str, str] | None = None
    for event, day in zip(flow, days, strict=True):
        at = stamp(day)
        version: dict = {"event": event, "at": at, "comment": ""}
        if event == "saved":
            if any(v["event"] == "returned" for v in versions):
                section, addition = RETURN_COMMENTS[comment_pick][1:]
                sections = {**sections, section: sections[section] + fam.fmt(addition, **words)}
            elif sections is None:
                sections = _sections(fam, k, period[1], draft=flow[1:2] == ["saved"])
            else:
                sections = _sections(fam, k, period[1])
                if state == "draft":
                    sections["next_steps"] = ""
            version["sections"] = sections
            version["by"] = fam.worker
            agenda.session(fam.worker, day, "summary", fam.ref, rng.uniform(30, 60), at)
        elif event in ("submitted", "resubmitted"):
            status = "submitted"
            version["by"] = fam.worker
            agenda.session(fam.worker, day, "summary", fam.ref, rng.uniform(4, 10), at)
        else:
            status = STATUS_AFTER[event]
            version["by"] = manager
            if event == "returned":
                version["comment"] = fam.fmt(RETURN_COMMENTS[comment_pick][0])
            agenda.session(manager, day, "review", fam.ref, rng.uniform(10, 25), at)
        version["status"] = status
        versions.append(version)
    return {
        "family": fam.ref,
        "author": fam.worker,
        "period_start": period[0],
        "period_end": period[1],
        "versions": versions,
    }


def _event_days(count: int, last: int, rng: random.Random) -> list[int]:
    days = [last]
    for _ in range(count - 1):
        days.append(days[-1] - rng.randint(1, 3))
    return sorted(days)


def build_summaries(fam: Fam, agenda: Agenda, rng: random.Random) -> list[dict]:
    end = min(LAST_DAY, fam.closed if fam.closed is not None else LAST_DAY)
    latest_state = LATEST_SUMMARY.get(fam.number, "approved")
    if fam.opened > -25:
        if latest_state not in ("draft", "submitted"):
            return []
        writes = [None]
    elif fam.number in STALE_SUMMARY:
        writes = [rng.randint(-52, -42)]
    elif fam.closed is not None:
        writes = [rng.randint(-50, -40), fam.closed - 6]
    elif fam.opened > TRIAL_START - 10:
        writes = [min(-8, fam.opened + rng.randint(18, 24))]
        if writes[0] <= -24:
            writes.append(min(-5, writes[0] + rng.randint(22, 28)))
    else:
        first = rng.randint(-52, -40)
        writes = [first, min(-8, first + rng.randint(27, 33))]
    out = []
    prev_end = None
    for k, write in enumerate(writes):
        latest = k == len(writes) - 1
        state = latest_state if latest else "approved"
        flow = _flow(state, not latest and fam.number in EARLIER_RETURNED)
        if latest and state != "approved":
            last = rng.randint(-3, -1)
        else:
            last = min(end, write + len(flow) + rng.randint(0, 2))
        days = _event_days(len(flow), last, rng)
        start = prev_end + 1 if prev_end is not None else max(fam.opened, days[0] - 30)
        out.append(_one_summary(fam, k, (start, days[0]), days, flow, state, agenda, rng))
        prev_end = days[0]
    return out


# (family number, working day of the session, days until feedback or None, practitioner replies,
#  day consent was withdrawn or None)
OBSERVATIONS = [
    (101, -50, 4, True, None),
    (112, -45, 4, False, None),
    (202, -48, 5, True, None),
    (107, -40, 5, True, None),
    (207, -30, 3, False, None),
    (212, -25, 1, False, -21),
    (201, -20, 4, True, None),
    (105, -12, 4, False, None),
    (111, -10, 4, True, None),
    (104, -3, None, False, None),
    (108, -6, None, False, None),
]
LEAD = "rosalind.ferreira"
SKILLS = [
    "empathy",
    "collaboration",
    "autonomy",
    "evocation",
    "purposefulness",
    "clarity",
    "child_focus",
]


def build_observations(fams: dict[int, Fam], agenda: Agenda, rng: random.Random) -> list[dict]:
    out = []
    seen_count: dict[str, int] = {}
    base = {u: rng.choice([2.5, 3.0, 3.0, 3.5]) for u in LEAD_SUPPORTS}
    for n, (number, day, delay, reply, withdrawn) in enumerate(OBSERVATIONS, start=1):
        fam = fams[number]
        assert fam.worker in LEAD_SUPPORTS
        if fam.archetype in ("kinship_cla", "foster_cla"):
            adults = [(fam.ctx["net"], "net")]
        else:
            adults = [(fam.ctx["a1"], "a1")]
            if "a2" in fam.ctx and fam.ctx["a2"].last:
                adults.append((fam.ctx["a2"], "a2"))
        present = ", ".join([a.full for a, _ in adults] + [c.name for c in fam.children])
        agenda.contact(
            fam,
            day,
            "home_visit",
            fam.fmt(
                "Home visit, audio recorded with the family's consent for practice "
                "feedback. Reviewed the plan with {a1.name}; saw {c1.name}."
            ),
            rng.choice([50, 55, 60]),
            present=present,
            seen=True,
            alone=False,
            travel=rng.randint(15, 35),
            statutory=True,
        )
        duration = rng.randint(25, 55) * 60 + rng.randint(0, 59)
        created = stamp(day)
        agenda.session(
            fam.worker, day, "observation", fam.ref, rng.uniform(4, 9), created, after_contacts=True
        )
        consents = [
            {
                "person": a.full,
                "kind": "consent",
                "given_on": day,
                "method": "written",
                "scope": CONSENT_SCOPE,
                "member": key,
                "withdrawn_on": None,
            }
            for a, key in adults
        ]
        for child, key in zip(fam.children, fam.child_keys, strict=True):
            if child.age >= 8:
                consents.append(
                    {
                        "person": child.full,
                        "kind": "assent",
                        "given_on": day,
                        "method": "verbal",
                        "scope": CONSENT_SCOPE,
                        "member": key,
                        "withdrawn_on": None,
                    }
                )
        withdrawn_at = None
        if withdrawn is not None:
            consents[0]["withdrawn_on"] = withdrawn
            withdrawn_at = {
                "day": withdrawn,
                "time": f"{rng.randint(9, 16):02d}:{rng.choice(['05', '20', '40'])}",
            }
        feedback = None
        if delay is not None:
            k = seen_count.get(fam.worker, 0)
            seen_count[fam.worker] = k + 1
            fb_day = day + delay
            fb_at = stamp(fb_day)
            agenda.session(
                LEAD, fb_day, "observation_feedback", fam.ref, rng.uniform(25, 50), fb_at
            )
            ratings = {}
            for skill in SKILLS:
                value = base[fam.worker] + 0.5 * k + rng.choice([-0.5, 0, 0, 0.5])
                ratings[skill] = max(1.0, min(5.0, value))
            times = sorted(rng.sample(range(60, duration - 30), 4))
            comments = [
                {"at": t, "text": fam.fmt(FEEDBACK_COMMENTS[(n + i * 3) % len(FEEDBACK_COMMENTS)])}
                for i, t in enumerate(times)
            ]
            replies = []
            if reply and fb_day + 2 <= LAST_DAY:
                r_at = stamp(fb_day + 2)
                agenda.session(
                    fam.worker,
                    fb_day + 2,
                    "observation_feedback",
                    fam.ref,
                    rng.uniform(5, 12),
                    r_at,
                )
                replies.append(
                    {"author": fam.worker, "text": fam.fmt(REPLIES[n % len(REPLIES)]), "at": r_at}
                )
            feedback = {
                "lead": LEAD,
                "ratings": ratings,
                "comments": comments,
                "strengths": fam.fmt(FEEDBACK_STRENGTHS[n % len(FEEDBACK_STRENGTHS)]),
                "one_thing_to_try": fam.fmt(FEEDBACK_TRY[n % len(FEEDBACK_TRY)]),
                "created": fb_at,
                "updated": fb_at,
                "replies": replies,
            }
        out.append(
            {
                "family": fam.ref,
                "practitioner": fam.worker,
                "day": day,
                "link": f"https://recordings.example.org/tandem-demo/obs-{n:03d}.m4a",
                "duration": duration,
                "created": created,
                "created_by": fam.worker,
                "withdrawn_at": withdrawn_at,
                "consents": consents,
                "feedback": feedback,
            }
        )
    return out
