"""The command line, run as a separate process the way a trial site's set-up script would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INFO_KEYS = {
    "teams",
    "users",
    "families",
    "members",
    "plans",
    "plan_revisions",
    "mappings",
    "scaling_ratings",
    "summaries",
    "contacts",
    "recording_sessions",
    "manual_recording_entries",
    "baseline_entries",
    "observations",
    "consents",
    "feedback",
    "audit_events",
}


def tandem(
    *args: str, db: str | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "tui.cli"]
    if db:
        cmd += ["--db", db]
    return subprocess.run(
        cmd + list(args), cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120
    )


def one_clean_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tandem: ")
    return lines[0]


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


def test_info_refuses_a_missing_database_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "x.db"
    line = one_clean_line(tandem("info", "--json", db=str(missing)))
    assert "no Tandem database" in line and str(missing) in line
    assert not (tmp_path / "typo").exists()


def test_info_json_on_a_new_database(db: str) -> None:
    assert tandem("teams", "add", "North", db=db).returncode == 0  # creating is explicit
    result = tandem("info", "--json", db=db)
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert set(info) == {"database", "schema_revision", "counts"}
    assert INFO_KEYS <= set(info["counts"])
    assert all(v == 0 for k, v in info["counts"].items() if k not in ("audit_events", "teams"))
    assert info["schema_revision"]
    assert db in info["database"]


def test_seed_then_refuse_a_second_seed(db: str) -> None:
    first = tandem("seed", db=db)
    assert first.returncode == 0, first.stderr
    counts = json.loads(tandem("info", "--json", db=db).stdout)["counts"]
    assert counts["families"] >= 30 and counts["members"] >= 70 and counts["users"] >= 13
    again = tandem("seed", db=db)
    assert "not empty" in one_clean_line(again)
    assert (
        json.loads(tandem("info", "--json", db=db).stdout)["counts"]["families"]
        == counts["families"]
    )


def test_set_up_a_site_from_a_script(db: str, tmp_path: Path) -> None:
    assert tandem("teams", "add", "Northgate", db=db).returncode == 0
    ok = tandem(
        "users",
        "add",
        "sam.jones",
        "--name",
        "Sam Jones",
        "--role",
        "practitioner",
        "--team",
        "Northgate",
        "--passphrase-stdin",
        db=db,
        stdin="a long enough passphrase\n",
    )
    assert ok.returncode == 0, ok.stderr
    # An account without a passphrase could never sign in: refused, saying how to give one.
    refused = tandem("users", "add", "ada.admin", "--name", "Ada Admin", "--role", "admin", db=db)
    assert "--passphrase-stdin" in one_clean_line(refused)
    listed = json.loads(tandem("users", "list", "--json", db=db).stdout)
    assert {
        "username": "sam.jones",
        "name": "Sam Jones",
        "role": "practitioner",
        "team": "Northgate",
        "active": True,
    } in listed
    assert all(set(u) == {"username", "name", "role", "team", "active"} for u in listed)
    # The passphrase and its hash never appear in output.
    assert "long enough" not in json.dumps(listed) and "scrypt" not in json.dumps(listed)

    caseload = [
        {
            "reference": "NG-0001",
            "name": "Okafor family",
            "team": "Northgate",
            "practitioner": "sam.jones",
            "members": [
                {
                    "name": "Ada Okafor",
                    "role": "child",
                    "date_of_birth": "2016-03-02",
                    "legal_status": "child_protection",
                },
                {
                    "name": "Ben Okafor",
                    "role": "child",
                    "date_of_birth": None,
                    "legal_status": "child_in_need",
                },
                {
                    "name": "Chi Okafor",
                    "role": "parent",
                    "date_of_birth": None,
                    "legal_status": None,
                },
            ],
        }
    ]
    path = tmp_path / "caseload.json"
    path.write_text(json.dumps(caseload))
    imported = tandem("import", "caseload", str(path), db=db)
    assert imported.returncode == 0, imported.stderr
    counts = json.loads(tandem("info", "--json", db=db).stdout)["counts"]
    assert counts["families"] == 1 and counts["members"] == 3


def test_bad_caseload_imports_nothing_and_says_where(db: str, tmp_path: Path) -> None:
    assert tandem("teams", "add", "Northgate", db=db).returncode == 0
    good = {
        "reference": "NG-0001",
        "name": "A family",
        "team": "Northgate",
        "practitioner": None,
        "members": [],
    }
    bad_team = {
        "reference": "NG-0002",
        "name": "B family",
        "team": "Nowhere",
        "practitioner": None,
        "members": [],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([good, bad_team]))
    line = one_clean_line(tandem("import", "caseload", str(path), db=db))
    assert "Family 2" in line and "Nowhere" in line
    path.write_text('[{"reference": "NG-1",')
    assert "line 1" in one_clean_line(tandem("import", "caseload", str(path), db=db))
    assert json.loads(tandem("info", "--json", db=db).stdout)["counts"]["families"] == 0


@pytest.mark.parametrize(
    "args",
    [
        ("users", "add", "x", "--name", "X", "--role", "wizard"),
        ("users", "add", "Bad Name!", "--name", "X", "--role", "admin"),
        ("users", "add", "pat", "--name", "Pat", "--role", "practitioner", "--team", "Nowhere"),
        ("import", "caseload", "/no/such/file.json"),
        ("teams",),
        ("frobnicate",),
    ],
)
def test_errors_are_one_clear_line(db: str, args: tuple[str, ...]) -> None:
    one_clean_line(tandem(*args, db=db))


def test_an_unreachable_database_is_one_clear_line() -> None:
    line = one_clean_line(tandem("info", db="postgresql://nobody@127.0.0.1:9/none"))
    assert "database" in line
