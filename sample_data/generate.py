"""Generate Tandem's demo data: ``uv run python sample_data/generate.py [--out DIR]``.

Deterministic (fixed seed): running it again gives byte-identical files. Every day is an integer
offset in WORKING days from the day the data is seeded (see README.md); times are "HH:MM".
storage/seed.py loads the files through the domain's constructors and ports.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_family_records import (  # noqa: E402
    build_families,
    build_mappings,
    build_plan,
    family_json,
)
from gen_model import LAST_DAY, Agenda  # noqa: E402
from gen_people import LEAD_SUPPORTS, PASSPHRASE, STAFF, TEAMS  # noqa: E402
from gen_summaries import build_observations, build_summaries  # noqa: E402
from gen_timeuse import build_baseline, fixed_contacts, plan_time_use, schedule  # noqa: E402

SEED = 20250307


def build() -> dict[str, object]:
    rng = random.Random(SEED)
    fams = build_families(rng)
    agenda = Agenda()
    families = [family_json(f, rng) for f in fams]
    plans = {f.ref: build_plan(f, agenda, rng) for f in fams}
    mappings = [m for f in fams for m in build_mappings(f, agenda, rng)]
    summaries = [s for f in fams for s in build_summaries(f, agenda, rng)]
    observations = build_observations({f.number: f for f in fams}, agenda, rng)
    for f in fams:
        fixed_contacts(f, plans[f.ref], agenda, rng)
    contacts, sessions, manual = plan_time_use(fams, agenda, rng)
    timed_sessions = schedule(contacts, sessions, rng)
    baseline = build_baseline(rng)
    people = {
        "demo_passphrase": PASSPHRASE,
        "teams": TEAMS,
        "users": [
            {
                "username": username,
                "full_name": full_name,
                "role": role,
                "team": team,
                "supports": LEAD_SUPPORTS if role == "practice_lead" else [],
            }
            for username, full_name, role, team, _ in STAFF
        ],
    }
    contact_rows = [
        {
            "family": c["family"],
            "by": c["by"],
            "day": c["day"],
            "time": c["time"],
            "minutes": c["minutes"],
            "kind": c["kind"],
            "present": c["present"],
            "child_seen": c["seen"],
            "seen_alone": c["alone"],
            "travel_minutes": c["travel"],
            "note": c["note"],
            "logged": c["logged"],
        }
        for c in sorted(contacts, key=lambda c: (c["day"], c["time"], c["by"]))
    ]
    timed_sessions.sort(key=lambda s: (s["day"], s["start"], s["user"]))
    manual.sort(key=lambda m: (m["day"], m["user"]))
    return {
        "people.json": people,
        "families.json": {"families": families},
        "plans.json": {"plans": [p for p in plans.values() if p]},
        "mappings.json": {"mappings": mappings},
        "summaries.json": {"summaries": summaries},
        "contacts.json": {"contacts": contact_rows},
        "recording.json": {"sessions": timed_sessions, "manual": manual},
        "observations.json": {"observations": observations},
        "baseline.csv": baseline,
    }


def check(data: dict[str, object]) -> None:
    """Every timestamp was placed by the day planner and nothing is dated after the last day."""

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if set(node) == {"day", "time"}:
                assert node["time"] is not None, node
                assert node["day"] <= LAST_DAY, node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name, content in data.items():
        if name.endswith(".json"):
            walk(content)


def _dump(content: dict) -> str:
    """One record per line for long lists, so diffs stay readable."""
    parts = []
    for key, value in content.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            rows = ",\n".join("  " + json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f"{json.dumps(key)}: [\n{rows}\n]")
        else:
            parts.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write(data: dict[str, object], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, content in data.items():
        if name.endswith(".csv"):
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(["practitioner", "date", "category", "minutes"])
            writer.writerows(content)
            text = buffer.getvalue()
        else:
            text = _dump(content)
        (out / name).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    data = build()
    check(data)
    write(data, args.out)
    counts = {
        name: len(c.get("users") or next(v for v in c.values() if isinstance(v, list)))
        if isinstance(c, dict)
        else len(c)
        for name, c in data.items()
    }
    print(f"Wrote {', '.join(f'{n} ({k})' for n, k in counts.items())} to {args.out}")


if __name__ == "__main__":
    main()
