"""The folder a family copy was saved in, remembered per user and database on this computer."""

from __future__ import annotations

import stat

from storage.preferences import FilePreferences


def test_a_folder_is_remembered_per_user_and_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    prefs = FilePreferences(tmp_path / "prefs", "sqlite:///a.db")
    assert prefs.get(1, "family_copy_folder") is None
    assert prefs.set(1, "family_copy_folder", "/home/sam/plans")
    assert prefs.get(1, "family_copy_folder") == "/home/sam/plans"
    assert prefs.get(2, "family_copy_folder") is None  # another user
    other_db = FilePreferences(tmp_path / "prefs", "sqlite:///b.db")
    assert other_db.get(1, "family_copy_folder") is None
    [path] = (tmp_path / "prefs").iterdir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_damaged_or_unwritable_file_is_only_a_forgotten_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    prefs = FilePreferences(tmp_path / "prefs", "db")
    prefs.set(1, "family_copy_folder", "/x")
    [path] = (tmp_path / "prefs").iterdir()
    path.write_text("{not json", encoding="utf-8")
    assert prefs.get(1, "family_copy_folder") is None
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    assert FilePreferences(blocked / "prefs", "db").set(1, "k", "v") is False
