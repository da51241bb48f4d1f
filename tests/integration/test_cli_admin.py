"""Command-line administration on a real database (SQLite file and PostgreSQL): the same domain
services as the administrator's screen, every change audited with why."""

from __future__ import annotations

import io
import json

import pytest

from domain.services import admin
from domain.services.audit_log import list_audit
from tui.bootstrap import open_runtime
from tui.cli import main

PASS = "a long enough passphrase"


def run(monkeypatch, capsys, db: str, *args: str, stdin: str = "") -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--db", db, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def site(database_url, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    db = database_url
    assert run(monkeypatch, capsys, db, "teams", "add", "North")[0] == 0
    for name, role in (("sam", "practitioner"), ("lee", "practice_lead"), ("pat", "project_staff")):
        extra = ["--team", "North"] if role == "practitioner" else []
        code, _, err = run(
            monkeypatch, capsys, db, "users", "add", name, "--name", name.title(),
            "--role", role, *extra, "--passphrase-stdin", stdin=PASS + "\n",
        )  # fmt: skip
        assert code == 0, err
    return db


def test_users_add_without_a_passphrase_is_refused_saying_how(site, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    code, _, err = run(
        monkeypatch, capsys, site, "users", "add", "newbie", "--name", "New", "--role", "admin"
    )
    assert code != 0 and "--passphrase-stdin" in err and len(err.strip().splitlines()) == 1
    listed = json.loads(run(monkeypatch, capsys, site, "users", "list", "--json")[1])
    assert "newbie" not in {u["username"] for u in listed}


def test_administration_from_the_command_line(site, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    db = site
    ok = lambda *a, stdin="": run(monkeypatch, capsys, db, *a, stdin=stdin)  # noqa: E731

    assert ok("users", "supports", "lee", "add", "sam", "--reason", "pairing")[0] == 0
    assert ok("users", "set", "pat", "--name", "Pat Jones", "--reason", "married")[0] == 0
    code, _, err = ok(
        "users", "reset-passphrase", "sam", "--passphrase-stdin", stdin="one time pass\n"
    )
    assert code == 0, err
    assert ok("users", "deactivate", "pat", "--reason", "left")[0] == 0
    code, _, err = ok("teams", "set", "North", "--visiting-days", "15", "--team-read", "yes")
    assert code == 0, err
    code, out, err = ok("teams", "set", "North", "--phone", "01632 960 101")
    assert code == 0 and "phone 01632 960 101" in out, err

    listed = {u["username"]: u for u in json.loads(ok("users", "list", "--json")[1])}
    assert listed["pat"]["active"] is False and listed["pat"]["name"] == "Pat Jones"
    assert listed["lee"]["supports"] == ["sam"] and "supports" not in listed["sam"]
    teams = json.loads(ok("teams", "list", "--json")[1])
    assert teams[0]["visiting_standard_working_days"] == 15
    assert teams[0]["practitioners_see_team_families"] is True
    assert teams[0]["phone"] == "01632 960 101"

    runtime = open_runtime(db)
    try:
        nobody = runtime.context(None)
        with pytest.raises(admin.SignInFailed):
            admin.authenticate(nobody, "pat", PASS)  # deactivated
        with pytest.raises(admin.PassphraseChangeRequired):
            admin.authenticate(nobody, "sam", "one time pass")
        assert admin.choose_new_passphrase(nobody, "sam", "one time pass", "sam's own choice")
        details = [e.detail for e in list_audit(runtime.system_context(), user="system")]
    finally:
        runtime.engine.dispose()
    assert "lee supports 1 practitioner(s); added sam; why: pairing" in details
    assert "pat: name 'Pat' -> 'Pat Jones'; why: married" in details
    assert "pat: deactivated; why: left" in details
    assert any(d.startswith("settings: visiting standard 10 -> 15 working days") for d in details)
    assert not any("one time pass" in d for d in details)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("teams", "set", "North", "--summary-weeks", "0"), "summary rhythm"),
        (("teams", "set", "North"), "nothing to change"),
        (("teams", "set", "North", "--phone", "ring Sam"), "phone number must be digits"),
        (("teams", "set", "South", "--visiting-days", "5"), "no team called 'South'"),
        (("users", "deactivate", "nobody"), "no user called 'nobody'"),
        (("users", "supports", "pat", "add", "sam"), "not a practice lead"),
        (("users", "reset-passphrase", "sam"), "--passphrase-stdin"),
    ],
)
def test_bad_admin_commands_are_one_line(site, monkeypatch, capsys, args, words):  # type: ignore[no-untyped-def]
    code, _, err = run(monkeypatch, capsys, site, *args)
    assert code != 0 and words in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
