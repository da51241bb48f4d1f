"""From children in the council's files to Tandem families: the --map file and the grouping.

The national formats list children, not families, and most hold no names. A small mapping file
fills the gaps (CSV with columns ``kind,from,to``, or JSON)::

    kind,from,to
    worker,SW1234,sam.jones          # a worker ID or name in the file -> a Tandem user name
    worker,Sam  Jones,sam.jones
    child,C1001,FAM-0101             # child ID -> family reference: siblings form one family
    child,C1002,FAM-0101
    team,Locality North,Millbrook Family Safeguarding Team   # the file's team -> a Tandem team

or ``{"workers": {"SW1234": "sam.jones"}, "children": {"C1001": "FAM-0101"}, "teams": {...}}``.
A child the map does not group becomes a one-child family (reference ``LA-<child ID>``).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field, replace
from datetime import date

from domain.caseload_records import (
    ChildRecord,
    Episode,
    clean_text,
    history_from_episodes,
    placeholder_name,
)
from domain.errors import ValidationError
from domain.families import REFERENCE_RE, Member, MemberRole


def map_key(value: str) -> str:
    """How map keys and file values are compared: spaces of every kind collapsed, any case."""
    return (clean_text(value) or "").casefold()


def person_key(value: str) -> str:
    """A person's name compared: "Osei, Amara" is "Amara Osei"."""
    key = map_key(value)
    if "," in key:
        surname, _, forenames = key.partition(",")
        key = map_key(f"{forenames} {surname}")
    return key


@dataclass
class CaseloadMap:
    workers: dict[str, str] = field(default_factory=dict)
    children: dict[str, str] = field(default_factory=dict)
    teams: dict[str, str] = field(default_factory=dict)


class MapFileError(ValidationError):
    def __init__(self, message: str) -> None:
        super().__init__("map", message)


_KINDS = {
    "worker": "workers",
    "workers": "workers",
    "child": "children",
    "children": "children",
    "team": "teams",
    "teams": "teams",
}


def parse_map(text: str, name: str) -> CaseloadMap:
    """Read a mapping file (CSV ``kind,from,to`` or JSON); MapFileError names the bad line."""
    mapping = CaseloadMap()
    text = text.lstrip("\ufeff")
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise MapFileError(f"{name}: not valid JSON at line {e.lineno}: {e.msg}.") from None
        if not isinstance(data, dict):
            raise MapFileError(f"{name}: expected an object with workers, children and teams.")
        for key, value in data.items():
            kind = _KINDS.get(str(key).lower())
            if kind is None or not isinstance(value, dict):
                raise MapFileError(
                    f"{name}: {key!r} must be one of workers, children, teams, each an object."
                )
            for source, target in value.items():
                _put(mapping, kind, str(source), str(target), f"{name}, {key} {source!r}")
        return mapping
    for line_no, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [clean_text(c) for c in row]
        if not any(cells) or (cells[0] or "").startswith("#"):
            continue
        if line_no == 1 and (cells[0] or "").lower() == "kind":
            continue
        if len(cells) < 3 or not all(cells[:3]):
            raise MapFileError(f"{name} line {line_no}: expected kind,from,to (got {row!r}).")
        kind = _KINDS.get((cells[0] or "").lower())
        if kind is None:
            raise MapFileError(
                f"{name} line {line_no}: kind must be worker, child or team (got {cells[0]!r})."
            )
        _put(mapping, kind, cells[1] or "", cells[2] or "", f"{name} line {line_no}")
    return mapping


def _put(mapping: CaseloadMap, kind: str, source: str, target: str, where: str) -> None:
    target = (clean_text(target) or "").strip()
    if not target:
        raise MapFileError(f"{where}: nothing to map to.")
    if kind == "children":
        target = target.upper()
        if not REFERENCE_RE.match(target):
            raise MapFileError(
                f"{where}: {target!r} is not a family reference (letters, digits and '-')."
            )
        mapping.children[(clean_text(source) or "").strip()] = target
    else:
        getattr(mapping, kind)[map_key(source)] = target


@dataclass
class FamilyRecord:
    """A family as the import wants it to be; reconciled with the database by the service."""

    label: str
    #: None: not grouped by the map (found through its child's ID, or LA-<child ID> when new).
    reference: str | None
    name: str
    team: str | None
    worker: str | None
    members: list[Member]
    #: JSON: team and practitioner must be Tandem's own names, and problems refuse the import.
    strict: bool = False
    address: str = ""
    opened_on: date | None = None
    #: Problems found reading this family (shown in order with the lookups' problems).
    problems: list[str] = field(default_factory=list)


def _family_name(children: list[ChildRecord], reference: str | None) -> str:
    named = [c.name for c in children if c.name]
    if named:
        return f"{named[0].split()[-1]} family"
    if reference:
        return f"Family {reference}"
    return f"Family of child {children[0].child_id}"


def families_from_children(
    children: dict[str, ChildRecord], mapping: CaseloadMap, today: date
) -> tuple[list[FamilyRecord], list[str]]:
    """Group the children into families (the map's child -> reference, else one each).

    Returns the families and notes on what was left out (dates after today)."""
    notes: list[str] = []
    groups: dict[str, list[ChildRecord]] = {}
    singles: list[ChildRecord] = []
    for child in children.values():
        reference = mapping.children.get(child.child_id)
        if reference:
            groups.setdefault(reference, []).append(child)
        else:
            singles.append(child)
    families: list[FamilyRecord] = []
    for reference, members in [*groups.items(), *((None, [c]) for c in singles)]:
        label = f"Family {reference}" if reference else f"Child {members[0].child_id}"
        by_latest = sorted(
            members,
            key=lambda c: max((e.end or e.start for e in c.episodes), default=date.min),
            reverse=True,
        )
        team = next((c.team for c in by_latest if c.team), None)
        worker = next((c.worker for c in by_latest if c.worker), None)
        workers = {person_key(c.worker) for c in members if c.worker}
        if len(workers) > 1:
            notes.append(
                f"{label}: the children have different workers in the file; "
                f"{worker!r} (the most recent) is used."
            )
        record_members = []
        starts = []
        for child in members:
            episodes = [e for e in child.episodes if e.start <= today]
            if len(episodes) < len(child.episodes):
                notes.append(f"{child.source}: an episode starting after today was left out.")
            episodes = [
                e if e.end is None or e.end <= today else _open(e, notes, child.source)
                for e in episodes
            ]
            starts += [e.start for e in episodes]
            record_members.append(
                Member(
                    name=child.name or placeholder_name(child.child_id),
                    role=MemberRole.CHILD,
                    date_of_birth=child.date_of_birth
                    if child.date_of_birth and child.date_of_birth <= today
                    else None,
                    status_history=history_from_episodes(episodes),
                    external_id=child.child_id,
                )
            )
        families.append(
            FamilyRecord(
                label=label,
                reference=reference,
                name=_family_name(members, reference),
                team=team,
                worker=worker,
                members=record_members,
                opened_on=min(starts) if starts else None,
            )
        )
    return families, notes


def _open(episode: Episode, notes: list[str], source: str) -> Episode:
    notes.append(f"{source}: an end date after today was read as still open.")
    return replace(episode, end=None)
