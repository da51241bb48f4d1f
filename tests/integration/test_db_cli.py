"""``tandem db roles`` prints a script a council's DBA can read and run; ``tandem db upgrade``
migrates (no database needed for the first; a SQLite file for the second)."""

from __future__ import annotations

from tui.cli import main


def test_roles_script_names_both_roles_and_limits_the_audit_log(capsys) -> None:  # type: ignore[no-untyped-def]
    args = ["db", "roles", "--owner", "c_owner", "--runtime", "c_app", "--database", "council"]
    assert main(args) == 0
    script = capsys.readouterr().out
    assert "CREATE ROLE c_owner LOGIN" in script and "CREATE ROLE c_app LOGIN" in script
    assert 'GRANT CONNECT ON DATABASE "council" TO c_owner, c_app;' in script
    assert "ALTER DEFAULT PRIVILEGES FOR ROLE c_owner IN SCHEMA public" in script
    assert "REVOKE ALL ON public.audit_events FROM PUBLIC, c_app;" in script
    assert "GRANT SELECT, INSERT ON public.audit_events TO c_app;" in script
    assert script.strip().endswith("COMMIT;")


def test_bad_role_names_are_one_line_refusals(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["db", "roles", "--runtime", "app; DROP TABLE x"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tandem: ") and "not a usable role name" in err and err.count("\n") == 1
    assert main(["db", "roles", "--owner", "same", "--runtime", "same"]) == 1
    assert "two roles" in capsys.readouterr().err
    assert main(["db", "roles", "--run"]) == 1
    assert "--run needs --db" in capsys.readouterr().err


def test_upgrade_migrates_a_sqlite_file(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "new.db"
    assert main(["--db", str(path), "db", "upgrade"]) == 0
    assert "schema at revision" in capsys.readouterr().out
    assert path.exists()
