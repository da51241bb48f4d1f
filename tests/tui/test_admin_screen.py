"""The administrator's screen at 80x24, driven by keys on the seeded demo: a leaver who still
holds families, a leaver who does not, a one-time passphrase, a new user and a team's settings;
then the sign-in of a user holding a one-time passphrase.

Demo facts used (sample_data/people.json): Maureen Pike is the administrator; Amara Osei is a
Millbrook practitioner with open families; Ellis Thornbury is project staff (no families).
"""

from __future__ import annotations

from textual.widgets import DataTable, Input

from domain.audit import AuditAction
from domain.services import admin
from tests.tui.conftest import screen_text, settle, sign_in
from tui.admin.form import AdminForm
from tui.admin.screen import AdminHome

SIZE = (80, 24)
ONE_TIME = "given at the desk"
PASSPHRASE = "correct horse battery"


async def move_to(pilot, table_id: str, value: str) -> None:  # type: ignore[no-untyped-def]
    table = pilot.app.screen.query_one(f"#{table_id}", DataTable)
    rows = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
    steps = rows.index(value) - table.cursor_row
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))


async def type_into(pilot, field: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Focus the field, clear it and type ``text`` key by key."""
    box = pilot.app.screen.query_one(f"#field-{field}", Input)
    box.focus()
    box.value = ""
    await pilot.press(*text)


async def save(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+s")
    await settle(pilot)


def stored(runtime, username: str):  # type: ignore[no-untyped-def]
    with runtime.uow_factory() as uow:
        return uow.users.by_username(username)


def audited(runtime) -> list[str]:  # type: ignore[no-untyped-def]
    with runtime.uow_factory() as uow:
        return [e.detail for e in uow.audit.list() if e.action is AuditAction.UPDATE]


async def test_administration_by_keys_at_80x24(tandem_app, runtime) -> None:  # type: ignore[no-untyped-def]
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "maureen.pike")
        await settle(pilot)
        assert isinstance(app.screen, AdminHome)
        assert "amara.osei" in screen_text(app)

        # A practitioner holding families: refused in the form, naming the families.
        await move_to(pilot, "users-table", "amara.osei")
        await pilot.press("d")
        assert isinstance(app.screen, AdminForm)
        await save(pilot)
        assert isinstance(app.screen, AdminForm)
        text = screen_text(app)
        assert "FAM-" in text and "reallocate" in text
        assert stored(runtime, "amara.osei").active
        await pilot.press("escape")

        # A leaver without families: deactivated, with the reason audited.
        await move_to(pilot, "users-table", "ellis.thornbury")
        await pilot.press("d")
        await type_into(pilot, "reason", "left the project")
        await save(pilot)
        assert isinstance(app.screen, AdminHome)
        assert not stored(runtime, "ellis.thornbury").active
        assert "ellis.thornbury: deactivated; why: left the project" in audited(runtime)
        row = app.screen.query_one("#users-table", DataTable).get_row("ellis.thornbury")
        assert str(row[3]) == "no"

        # A one-time passphrase: the two must match (said next to the field), then it is set.
        await move_to(pilot, "users-table", "tom.gallagher")
        await pilot.press("p")
        await type_into(pilot, "passphrase", ONE_TIME)
        await type_into(pilot, "passphrase2", ONE_TIME + "x")
        await save(pilot)
        assert isinstance(app.screen, AdminForm)
        error = app.screen.query_one("#error-passphrase2")
        assert "not the same" in str(error.render()) and error.display
        await type_into(pilot, "passphrase2", ONE_TIME)
        await save(pilot)
        assert isinstance(app.screen, AdminHome)
        assert stored(runtime, "tom.gallagher").must_change_passphrase

        # A team's settings: a bad number is refused next to its field, a good one saved.
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, AdminForm)
        await type_into(pilot, "visiting_standard_working_days", "lots")
        await save(pilot)
        error = app.screen.query_one("#error-visiting_standard_working_days")
        assert "whole number from 1 to 60" in str(error.render())
        await type_into(pilot, "visiting_standard_working_days", "12")
        await save(pilot)
        assert isinstance(app.screen, AdminHome)
        teams = admin.list_teams(runtime.system_context())
        assert 12 in {t.settings.visiting_standard_working_days for t in teams}
        assert any("visiting standard 10 -> 12" in d for d in audited(runtime))


async def test_adding_a_user_and_their_first_sign_in(tandem_app, runtime) -> None:  # type: ignore[no-untyped-def]
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "maureen.pike")
        await settle(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, AdminForm)
        await type_into(pilot, "username", "jo.new")
        await type_into(pilot, "full_name", "Jo New")
        await save(pilot)  # no passphrase yet: said next to that field, nothing lost
        assert "cannot be empty" in str(app.screen.query_one("#error-passphrase").render())
        assert app.screen.query_one("#field-full_name", Input).value == "Jo New"
        await type_into(pilot, "passphrase", ONE_TIME)
        await type_into(pilot, "passphrase2", ONE_TIME)
        await save(pilot)  # a practitioner needs a team: said next to the team
        assert "must belong to a team" in str(app.screen.query_one("#error-team").render())
        app.screen.query_one("#field-role").focus()
        await pilot.press("enter", "down", "down", "down", "enter")  # Practitioner -> Project staff
        assert app.screen.query_one("#field-role").value == "project_staff"  # type: ignore[attr-defined]
        await save(pilot)
        assert isinstance(app.screen, AdminHome)
        assert stored(runtime, "jo.new").must_change_passphrase

        # Jo signs in with the one-time passphrase and must choose their own, twice.
        await pilot.press("ctrl+o")
        await settle(pilot)
    app = tandem_app(demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#username", Input).focus()
        await pilot.press(*"jo.new", "enter", *ONE_TIME, "enter")
        await settle(pilot)
        assert "choose a new passphrase" in screen_text(app)
        app.screen.query_one("#choose-pass", Input).focus()
        await pilot.press(*"my own passphrase", "enter", *"my own passphrasf", "enter")
        await settle(pilot)
        assert "not the same" in screen_text(app) and app.user is None
        field = app.screen.query_one("#choose-pass2", Input)
        field.value = ""
        field.focus()
        await pilot.press(*"my own passphrase", "enter")
        await settle(pilot)
        assert app.user is not None and app.user.username == "jo.new"
    assert not stored(runtime, "jo.new").must_change_passphrase
    assert admin.authenticate(runtime.context(None), "jo.new", "my own passphrase")


async def test_the_app_creates_a_missing_database_only_with_the_administrator(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from domain.clock import FixedClock
    from tests.tui.conftest import TEST_NOW
    from tui.app import TandemApp
    from tui.bootstrap import open_runtime

    target = tmp_path / "site" / "tandem.db"
    app = TandemApp(
        opener=lambda: open_runtime(str(target), clock=FixedClock(TEST_NOW), create=False)
    )
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            await pilot.pause()
            if app.screen.query("#new-username"):
                break
        text = screen_text(app)
        assert "No database at" in text and "creating the" in text
        assert not (tmp_path / "site").exists()  # nothing created by looking
        for field, value in (
            ("#new-username", "ada"),
            ("#new-name", "Ada Admin"),
            ("#new-pass", PASSPHRASE),
            ("#new-pass2", PASSPHRASE),
        ):
            app.screen.query_one(field, Input).focus()
            await pilot.press(*value)
        await pilot.press("enter")
        await settle(pilot)
        assert app.user is not None and app.user.username == "ada"
        assert isinstance(app.screen, AdminHome)
    assert target.exists()
    app.runtime.engine.dispose()


async def test_a_damaged_database_is_announced_before_anyone_signs_in(demo_db) -> None:  # type: ignore[no-untyped-def]
    import random

    from domain.clock import FixedClock
    from tests.tui.conftest import TEST_NOW
    from tui.app import TandemApp
    from tui.bootstrap import open_runtime

    data = bytearray(demo_db.read_bytes())
    page = 4096
    data[page * 40 : page * 42] = random.Random(7).randbytes(2 * page)
    demo_db.write_bytes(bytes(data))
    runtime = open_runtime(str(demo_db), clock=FixedClock(TEST_NOW))
    assert runtime.warnings and "integrity check" in runtime.warnings[0]
    app = TandemApp(runtime)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            await pilot.pause()
            if app.screen.query("#sign-in-note"):
                break
        text = " ".join(screen_text(app).split())
        assert "failed its integrity check" in text and "tandem restore" in text
        assert app.user is None
    runtime.engine.dispose()


async def test_the_site_tab_sets_the_reports_smallest_group(tandem_app, runtime) -> None:  # type: ignore[no-untyped-def]
    """Suppression is the site's: the administrator sets it on the Site tab (never below 3, the
    refusal shown next to the field with the typed text kept), and it is audited."""
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "maureen.pike")
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert "Smallest group in pseudonymised reports" in screen_text(app)
        assert "3 practitioners" in screen_text(app)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, AdminForm)
        await type_into(pilot, "min_group_size", "2")
        await save(pilot)
        assert isinstance(app.screen, AdminForm)  # refused, the form stays with "2" in it
        assert "from 3 to 50" in screen_text(app)
        assert app.screen.query_one("#field-min_group_size", Input).value == "2"
        await type_into(pilot, "min_group_size", "6")
        await save(pilot)
        await settle(pilot)
        assert isinstance(app.screen, AdminHome)
        assert "6 practitioners" in screen_text(app)
    assert admin.report_min_group(runtime.system_context()) == 6
    assert any("smallest group in pseudonymised reports 3 -> 6" in d for d in audited(runtime))
