"""An administrator's change reaches a signed-in user at their very next key press: the change is
made from outside the app (its own unit of work, as another process would), then the user
presses keys. Demo facts: Fiona MacLeod manages Millbrook; FAM-0114 is Priya Chauhan's."""

from __future__ import annotations

from textual.widgets import DataTable

from domain.audit import AuditAction
from domain.people import Role
from domain.services.admin import system_context, update_user
from tests.tui.conftest import screen_text, settle, sign_in
from tui.oversight.manager import ManagerHome, ReallocateDialog
from tui.screens.sign_in import SignInScreen

SIZE = (140, 45)
MANAGER = "fiona.macleod"


async def to_family(pilot, reference: str) -> None:  # type: ignore[no-untyped-def]
    """The team caseload tab, cursor on ``reference`` (arrow keys)."""
    await pilot.press("3")
    await settle(pilot)
    table = pilot.app.screen.query_one("#team-table", DataTable)
    refs = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
    await pilot.press(*["down"] * (refs.index(reference) - table.cursor_row))


def family_of(runtime, reference: str):  # type: ignore[no-untyped-def]
    with runtime.uow_factory() as uow:
        family = uow.families.by_reference(reference)
        return family, uow.users.get(family.practitioner_id).username


async def test_a_manager_demoted_while_signed_in_cannot_reallocate(tandem_app, runtime) -> None:
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER)
        await settle(pilot)
        await to_family(pilot, "FAM-0114")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ReallocateDialog)

        # Meanwhile an administrator makes her a practice lead (another unit of work).
        update_user(
            system_context(runtime.uow_factory, runtime.clock), MANAGER, role="practice_lead"
        )

        await pilot.press("enter", "down", "enter", "ctrl+s")
        await settle(pilot)
        shown = " ".join(screen_text(app).split())  # the message wraps in the dialog
        assert "You do not have access to reallocate families (signed in as practice lead)" in shown
        family, owner = family_of(runtime, "FAM-0114")
        assert owner == "priya.chauhan"
        with runtime.uow_factory() as uow:
            mine = uow.audit.list(user_id=app.user.id)
        denied = [e for e in mine if e.action is AuditAction.DENIED]
        assert denied and denied[-1].detail == "reallocate families"
        assert app.user.role is Role.TEAM_MANAGER  # the app's copy is stale; it decided nothing


async def test_a_manager_deactivated_while_signed_in_is_signed_out_at_the_next_key(
    tandem_app, runtime
) -> None:
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER)
        await settle(pilot)
        await to_family(pilot, "FAM-0114")
        assert isinstance(app.screen, ManagerHome)

        update_user(system_context(runtime.uow_factory, runtime.clock), MANAGER, active=False)

        await pilot.press("enter")  # open the family
        await settle(pilot)
        assert app.user is None
        assert isinstance(app.screen, SignInScreen)
        told = [str(n.message) for n in app._notifications]
        assert any(
            "Your account is no longer active, so you have been signed out." in m for m in told
        )
        assert "Traceback" not in screen_text(app)
        with runtime.uow_factory() as uow:
            fiona = uow.users.by_username(MANAGER)
            mine = uow.audit.list(user_id=fiona.id)
        assert (mine[-1].action, mine[-1].detail) == (
            AuditAction.DENIED,
            "account no longer active: signed out",
        )  # and nothing after it: the family was not opened


async def test_an_administrator_unlocks_a_locked_account_from_the_user_list(
    tandem_app, runtime
) -> None:
    """Ellis Thornbury (project staff) was locked out by failed sign-ins; Maureen Pike (the
    administrator) sees it in the user list and presses u on the row."""
    from domain.signin import SignInRecord
    from tui.admin.screen import AdminHome

    with runtime.uow_factory() as uow:
        uow.users.save_sign_in_record(
            SignInRecord("ellis.thornbury", 10, runtime.clock.now(), runtime.clock.now())
        )
        uow.commit()
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "maureen.pike")
        await settle(pilot)
        assert isinstance(app.screen, AdminHome)
        table = app.screen.query_one("#users-table", DataTable)
        rows = {str(table.get_row_at(i)[0]): i for i in range(table.row_count)}
        assert str(table.get_row_at(rows["ellis.thornbury"])[-1]) == "locked (u)"
        assert str(table.get_row_at(rows["amara.osei"])[-1]) == ""

        await pilot.press(*["down"] * (rows["amara.osei"] - table.cursor_row), "u")
        await settle(pilot)  # not locked: nothing done, and said so
        assert any("nothing to unlock" in str(n.message) for n in app._notifications)

        await pilot.press(*["down"] * (rows["ellis.thornbury"] - table.cursor_row), "u")
        await settle(pilot)
        assert str(table.get_row_at(rows["ellis.thornbury"])[-1]) == ""
        assert any("Unlocked ellis.thornbury" in str(n.message) for n in app._notifications)
        with runtime.uow_factory() as uow:
            assert uow.users.sign_in_record("ellis.thornbury") is None
            maureen = uow.users.by_username("maureen.pike")
            updates = [e for e in uow.audit.list(user_id=maureen.id) if e.entity == "sign-in"]
        assert [e.detail for e in updates] == ["unlocked ellis.thornbury"]


async def test_a_practitioner_deactivated_while_typing_is_signed_out_and_keeps_the_text(
    tandem_app, runtime, monkeypatch
) -> None:
    """Amara is writing a summary when she is deactivated (straight in the database, as another
    process would). Her next save signs her out in plain words; the text she typed is kept in a
    local copy on this computer (the database no longer takes her drafts).

    The autosave timer is kept out of it: on a loaded machine typing took longer than its 3 s,
    the text went into a database draft while she was still active, and nothing new was left
    for a local copy (kept, but not the case this test is about)."""
    from dataclasses import replace

    import tui.widgets.recording_editor as recording_editor
    from tests.tui.test_no_loss import area, open_draft_summary

    monkeypatch.setattr(recording_editor, "AUTOSAVE_SECONDS", 3600.0)

    app = tandem_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await sign_in(pilot, "amara.osei")
        summary_id = await open_draft_summary(pilot)
        amara_id = app.user.id
        await pilot.press(*"words typed before the change")
        typed = area(app).text
        assert "words typed before the change" in typed

        with runtime.uow_factory() as uow:
            uow.users.update(replace(uow.users.get(amara_id), active=False))
            uow.commit()

        await pilot.press("ctrl+s")
        for _ in range(4):
            await settle(pilot)
        assert app.user is None and isinstance(app.screen, SignInScreen)
        told = [str(n.message) for n in app._notifications]
        assert any("Your account is no longer active" in m for m in told), told
        copy = runtime.local_copies.read(amara_id, f"summary:{summary_id}")
        assert copy is not None and "words typed before the change" in copy.content
