"""The family copy of the plan: plain language, to share with the family (Markdown or HTML).

The copy is built once as a list of neutral blocks, then rendered. All user text is escaped for
the output format (``html.escape`` for HTML; Markdown punctuation backslash-escaped), so what the
family reads is exactly what was typed. No internal codes (CIN, CP, categories, ids) appear: a
child's legal status is given by its plain name and a one-sentence explanation.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field
from datetime import date

from domain.errors import ValidationError
from domain.families import Family, LegalStatus, Member
from domain.network_meetings import NetworkMeeting, attendees_text
from domain.plans import ActionStatus, PlanContent

MONTHS = (
    "January February March April May June July August September October November December".split()
)

ACTION_STATUS_WORDS = {
    ActionStatus.NOT_STARTED: "Not started yet",
    ActionStatus.ON_TRACK: "Going to plan",
    ActionStatus.DONE: "Done",
    ActionStatus.SLIPPED: "Behind: this is taking longer than planned",
}

NOT_WRITTEN = "We have not written this down yet."


def plain_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def status_explanation(child: Member) -> str | None:
    """One plain sentence on why we are involved with this child, or None without a status."""
    name = child.name
    return {
        LegalStatus.EARLY_HELP: (
            f"{name}: Early Help. The family gets extra support, agreed with you, "
            "to help things get better early on."
        ),
        LegalStatus.CHILD_IN_NEED: (
            f"{name}: Child in Need. Children's services are helping because {name} needs "
            "some extra support to be safe, healthy and to do well."
        ),
        LegalStatus.CHILD_PROTECTION: (
            f"{name}: Child Protection Plan. Professionals are worried that {name} could be "
            f"seriously harmed, so a meeting (a child protection conference) agreed a plan "
            f"to help keep {name} safe."
        ),
        LegalStatus.CHILD_LOOKED_AFTER: (
            f"{name}: Looked after. {name} is cared for with the help of the local council, "
            "for example by foster carers or by family."
        ),
    }.get(child.current_status)


@dataclass
class Block:
    """One piece of the copy. ``kind``: h1, h2, h3, p (text may hold line breaks) or list (items,
    each a main line plus labelled detail lines)."""

    kind: str
    text: str = ""
    items: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)


@dataclass(frozen=True)
class WorkerContact:
    """How the family reaches their worker, printed on the family copy: the worker's name, their
    team, and the team's phone number (a team setting; "" when the administrator has not set
    it)."""

    name: str
    team: str
    phone: str = ""


def contact_blocks(worker: WorkerContact) -> list[Block]:
    blocks = [
        Block("h2", "How to contact us"),
        Block("p", f"Your worker is {worker.name}, {worker.team}."),
    ]
    if worker.phone:
        blocks.append(Block("p", f"Phone: {worker.phone}"))
    else:
        blocks.append(
            Block("p", "Ask your worker for the team's phone number; it is not on this copy.")
        )
    return blocks


def network_blocks(meeting: NetworkMeeting) -> list[Block]:
    """The family's last network meeting: who came, what was decided, when the network meets
    next (in the family's copy, after the plan's agreement)."""
    then = (
        f"The network will meet again on {plain_date(meeting.next_meeting_on)}."
        if meeting.next_meeting_on
        else "We have not set a date for the next network meeting yet."
    )
    return [
        Block("h2", "Your family network"),
        Block("p", f"We last met with your family network on {plain_date(meeting.held_on)}."),
        Block("p", "Who came:\n" + attendees_text(meeting.attendees)),
        Block("p", "What we decided together:\n" + meeting.decisions),
        Block("p", then),
    ]


def family_copy_blocks(
    family: Family,
    content: PlanContent,
    *,
    danger_texts: MappingType[str, str] | None = None,
    made_on: date,
    worker: WorkerContact | None = None,
    meeting: NetworkMeeting | None = None,
) -> list[Block]:
    danger_texts = danger_texts or {}
    names = {c.id: c.name for c in family.children}
    blocks = [
        Block("h1", f"Our plan together: {family.name}"),
        Block("p", f"This plan started on {plain_date(content.start_date)}."),
        Block("h2", "What you want for your family"),
        Block("p", content.family_words or NOT_WRITTEN),
        Block("h2", "Why we are working with you"),
    ]
    reasons = [r for r in (status_explanation(c) for c in family.children) if r]
    if reasons:
        blocks += [Block("p", r) for r in reasons]
    else:
        blocks.append(Block("p", "We are working together on the goals below."))

    blocks.append(Block("h2", "Our goals"))
    if not content.goals:
        blocks.append(Block("p", NOT_WRITTEN))
    for n, goal in enumerate(content.goals, start=1):
        blocks.append(Block("h3", f"Goal {n}: {goal.text}"))
        who = [names[i] for i in goal.child_ids if i in names]
        blocks.append(
            Block("p", f"This goal is for {join_names(who) if who else 'all the children'}.")
        )
        if goal.danger_key and goal.danger_key in danger_texts:
            blocks.append(Block("p", f"What we are worried about: {danger_texts[goal.danger_key]}"))
        if goal.actions:
            items = []
            for action in goal.actions:
                details = [
                    ("Who", action.who),
                    ("By when", plain_date(action.by_when) if action.by_when else "No date set"),
                    ("How it is going", ACTION_STATUS_WORDS[action.status]),
                ]
                items.append((action.what, details))
            blocks.append(Block("p", "What will happen:"))
            blocks.append(Block("list", items=items))

    blocks += [
        Block("h2", "If the plan is not working"),
        Block("p", content.contingency or NOT_WRITTEN),
        Block("h2", "When we will look at the plan again"),
        Block(
            "p", f"We will look at this plan together again by {plain_date(content.review_date)}."
        ),
        Block("h2", "Who agreed this plan"),
    ]
    if content.agreed_on and content.agreed_with:
        agreed = f"Agreed on {plain_date(content.agreed_on)} with {content.agreed_with}."
    elif content.agreed_with:
        agreed = f"Agreed with {content.agreed_with}."
    elif content.agreed_on:
        agreed = f"Agreed with the family on {plain_date(content.agreed_on)}."
    else:
        agreed = "This plan has not been agreed with the family yet."
    blocks.append(Block("p", agreed))
    if meeting is not None:
        blocks += network_blocks(meeting)
    if worker is not None:
        blocks += contact_blocks(worker)
    blocks.append(
        Block(
            "p",
            f"This is your family's copy of the plan, made on {plain_date(made_on)} "
            f"(our reference: {family.reference}). If anything in it is wrong or unclear, "
            "please tell us.",
        )
    )
    return blocks


# --- Markdown ----------------------------------------------------------------------------------

_MD_PUNCT = re.compile(r"([\\`*_{}\[\]<>#|~!])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_LIST_START = re.compile(r"^(\s*)([-+])(\s|$)")
_MD_ORDERED_START = re.compile(r"^(\s*\d+)([.)])(\s|$)")
_MD_RULE = re.compile(r"^\s*([-=])\1*\s*$")


def md_escape_line(line: str) -> str:
    """One line of user text, made literal in Markdown (CommonMark backslash escapes)."""
    line = _MD_PUNCT.sub(r"\\\1", line)
    line = _MD_ENTITY.sub(r"\\&", line)
    line = _MD_LIST_START.sub(r"\1\\\2\3", line)
    line = _MD_ORDERED_START.sub(r"\1\\\2\3", line)
    if _MD_RULE.match(line):
        stripped = line.lstrip()
        line = line[: len(line) - len(stripped)] + "\\" + stripped
    return line


def md_text(text: str) -> str:
    """User text as Markdown: blank lines separate paragraphs; single breaks are kept."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    out = []
    for para in paragraphs:
        lines = [md_escape_line(line.strip()) for line in para.splitlines() if line.strip()]
        out.append("  \n".join(lines))
    return "\n\n".join(out)


def to_markdown(blocks: list[Block]) -> str:
    parts: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            level = int(b.kind[1])
            heading = " ".join(md_escape_line(x) for x in b.text.split())
            parts.append(f"{'#' * level} {heading}")
        elif b.kind == "p":
            parts.append(md_text(b.text))
        elif b.kind == "list":
            rows = []
            for main, details in b.items:
                rows.append(f"- {' '.join(md_escape_line(x) for x in main.split())}")
                for label, value in details:
                    value_md = " ".join(md_escape_line(x) for x in value.split())
                    rows.append(f"  - {label}: {value_md}")
            parts.append("\n".join(rows))
    return "\n\n".join(parts) + "\n"


# --- HTML --------------------------------------------------------------------------------------

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:42em;margin:2em auto;padding:0 1em;"
    "line-height:1.5;color:#222}h1{font-size:1.6em}h2{margin-top:1.6em}"
    "li{margin-bottom:.5em}@media print{body{margin:0}}"
)


def h(text: str) -> str:
    return html.escape(text, quote=True)


def html_text(text: str) -> str:
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n".join(
        "<p>" + "<br>\n".join(h(line.strip()) for line in p.splitlines() if line.strip()) + "</p>"
        for p in paragraphs
    )


def to_html(blocks: list[Block]) -> str:
    title = next((b.text for b in blocks if b.kind == "h1"), "Family plan")
    body: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            body.append(f"<{b.kind}>{h(b.text)}</{b.kind}>")
        elif b.kind == "p":
            body.append(html_text(b.text))
        elif b.kind == "list":
            body.append("<ul>")
            for main, details in b.items:
                inner = "".join(f"<li>{h(label)}: {h(value)}</li>" for label, value in details)
                body.append(f"<li>{h(main)}<ul>{inner}</ul></li>")
            body.append("</ul>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{h(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


FORMATS = ("markdown", "html")


def free_name(name: str, taken: Callable[[str], bool]) -> str:
    """``name`` if it is free, else the first of "stem (2).ext", "stem (3).ext" … that is: a
    family copy never replaces a file without being told to."""
    if not taken(name):
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    n = 2
    while True:
        candidate = f"{stem} ({n}){dot}{ext}"
        if not taken(candidate):
            return candidate
        n += 1


def family_copy(
    family: Family,
    content: PlanContent,
    fmt: str,
    *,
    made_on: date,
    danger_texts: MappingType[str, str] | None = None,
    worker: WorkerContact | None = None,
    meeting: NetworkMeeting | None = None,
) -> str:
    """The family copy in ``fmt`` ("markdown" or "html"); ``meeting``: the family's last network
    meeting, if there has been one."""
    blocks = family_copy_blocks(
        family,
        content,
        danger_texts=danger_texts,
        made_on=made_on,
        worker=worker,
        meeting=meeting,
    )
    if fmt == "markdown":
        return to_markdown(blocks)
    if fmt == "html":
        return to_html(blocks)
    raise ValidationError("format", f"The format must be markdown or html (got {fmt!r}).")
