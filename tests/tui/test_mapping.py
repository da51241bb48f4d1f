"""The Mapping tab: the three columns, danger ↔ goal pairs, scaling and its chart, by keyboard."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Input, Static, TextArea

from domain.mapping import DEFAULT_ANCHOR_TEN, DEFAULT_ANCHOR_ZERO, Category
from domain.timeuse import RecordingActivity
from tests.tui.conftest import TEST_NOW, screen_text, settle, sign_in

TODAY = TEST_NOW.date()


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    for ch in text:
        await pilot.press("enter" if ch == "\n" else ch)


async def to_end(pilot) -> None:  # type: ignore[no-untyped-def]
    """To the end of the text in a TextArea, as a person would: down to the last line, then end."""
    area = pilot.app.focused
    assert isinstance(area, TextArea)
    for _ in range(area.document.line_count + 5):
        await pilot.press("down")
    await pilot.press("end")


def family_id_of(app, reference: str) -> int:  # type: ignore[no-untyped-def]
    from domain.services.caseload import caseload

    return next(r.family_id for r in caseload(app.ctx) if r.reference == reference)


async def open_mapping_tab(pilot, reference: str) -> int:  # type: ignore[no-untyped-def]
    """Open the family from the caseload and go to its Mapping tab with the 3 key."""
    from tui.family.screen import FamilyScreen

    app = pilot.app
    fid = family_id_of(app, reference)
    app.push_screen(FamilyScreen(fid))
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    assert app.screen.query_one("#mapping-tab")
    return fid


def mapping_sessions(app, family_id: int) -> int:  # type: ignore[no-untyped-def]
    with app.runtime.uow_factory() as uow:
        sessions = uow.recording.sessions(family_id=family_id)
    return sum(s.activity is RecordingActivity.MAPPING for s in sessions)


def table_text(app) -> str:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#scaling-table", DataTable)
    return "\n".join(
        " | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)
    )


async def test_create_a_mapping_with_items_in_each_column_and_a_pair(tandem_app):
    from domain.services.mappings import list_mappings
    from tui.family.mapping_editor import MappingEditor

    app = tandem_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "priya.chauhan")
        fid = await open_mapping_tab(pilot, "FAM-0114")
        assert "no mapping yet" in screen_text(app)
        sessions_before = mapping_sessions(app, fid)

        await pilot.press("n")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, MappingEditor)
        assert editor.activity is RecordingActivity.MAPPING
        # The date defaults to today; the cursor starts there.
        assert app.focused is editor.query_one("#field-held-on", Input)
        assert editor.query_one("#field-held-on", Input).value == TODAY.strftime("%d/%m/%Y")

        await pilot.press("tab")  # participants
        await type_text(pilot, "Jo Reid (mum)\nSam Reid (child, 9)")
        await pilot.press("tab")  # harm
        await type_text(pilot, "Sam had a bruise on his arm\nSam missed school for a week")
        await pilot.press("tab")  # complicating factors
        await type_text(pilot, "Jo has no one nearby to help")
        await pilot.press("tab")  # existing strengths
        await type_text(pilot, "Sam loves football club")
        await pilot.press("tab")  # existing safety
        await type_text(pilot, "Nan took Sam in when Jo was unwell")
        await pilot.press("tab")  # next steps
        await type_text(pilot, "Family network meeting by Friday")

        await pilot.press("ctrl+n")  # a danger statement with its safety goal
        await settle(pilot)
        for text in (
            "School and Priya",
            "Jo will be too unwell to get Sam up and fed",
            "Sam will fall behind and go hungry",
            "Jo will ask Nan for help on bad days",
            "a calm morning and breakfast",
            "Sam in school every day",
            "3 months",
        ):
            await type_text(pilot, text)
            await pilot.press("tab")

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, MappingEditor), screen_text(app)

        [mapping] = list_mappings(app.ctx, fid)
        content = mapping.current
        assert content.held_on == TODAY
        assert content.participants == ("Jo Reid (mum)", "Sam Reid (child, 9)")
        assert [i.text for i in content.items_in(Category.HARM)] == [
            "Sam had a bruise on his arm",
            "Sam missed school for a week",
        ]
        assert [i.text for i in content.items_in(Category.COMPLICATING_FACTORS)] == [
            "Jo has no one nearby to help"
        ]
        assert [i.text for i in content.items_in(Category.EXISTING_STRENGTHS)] == [
            "Sam loves football club"
        ]
        assert [i.text for i in content.items_in(Category.EXISTING_SAFETY)] == [
            "Nan took Sam in when Jo was unwell"
        ]
        assert [i.text for i in content.items_in(Category.NEXT_STEPS)] == [
            "Family network meeting by Friday"
        ]
        [pair] = content.pairs
        assert pair.danger.who_is_worried == "School and Priya"
        assert pair.danger.worried_about == "Jo will be too unwell to get Sam up and fed"
        assert pair.danger.if_nothing_changes == "Sam will fall behind and go hungry"
        assert pair.goal.parents_will == "Jo will ask Nan for help on bad days"
        assert pair.goal.child_will_experience == "a calm morning and breakfast"
        assert pair.goal.professionals_will_see == "Sam in school every day"
        assert pair.goal.for_how_long == "3 months"

        # The tab now shows it: each item under its column, and the pair.
        worried = str(app.screen.query_one("#col-worried", Static).render())
        assert "Sam had a bruise on his arm" in worried and "Jo has no one nearby" in worried
        assert "Sam loves football club" in str(
            app.screen.query_one("#col-working", Static).render()
        )
        assert "Family network meeting" in str(app.screen.query_one("#col-needs", Static).render())
        danger = str(app.screen.query_one(".pair-danger", Static).render())
        goal = str(app.screen.query_one(".pair-goal", Static).render())
        assert "Danger statement 1" in danger and "Who is worried: School and Priya" in danger
        assert "Safety goal 1" in goal and "For how long: 3 months" in goal
        people = str(app.screen.query_one("#mapping-participants", Static).render())
        assert people == "Participants: Jo Reid (mum), Sam Reid (child, 9)"

        # The time spent in the editor was stored as a mapping recording session.
        assert mapping_sessions(app, fid) == sessions_before + 1


async def test_editing_a_mapping_keeps_its_pairs_and_adds_a_revision(tandem_app):
    from domain.services.mappings import list_mappings

    app = tandem_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "amara.osei")
        fid = await open_mapping_tab(pilot, "FAM-0101")
        before = max(list_mappings(app.ctx, fid), key=lambda m: m.current.held_on)
        await pilot.press("e")
        await settle(pilot)
        # date → participants → harm → complicating factors → strengths → safety
        await pilot.press("tab", "tab", "tab", "tab", "tab")
        assert app.focused.id == "field-existing-safety"
        await to_end(pilot)
        await pilot.press("enter")
        await type_text(pilot, "Pat stayed over on the night of the party")
        await pilot.press("ctrl+s")
        await settle(pilot)
        after = next(m for m in list_mappings(app.ctx, fid) if m.id == before.id)
        assert after.revision == before.revision + 1
        assert after.current.pairs == before.current.pairs
        assert [i.text for i in after.current.items_in(Category.EXISTING_SAFETY)][-1] == (
            "Pat stayed over on the night of the party"
        )
        assert "Pat stayed over on the night of the party" in str(
            app.screen.query_one("#col-working", Static).render()
        )


async def test_a_conflicting_save_keeps_the_typed_text_and_a_draft(tandem_app):
    from domain.services.drafts import get_draft
    from domain.services.mappings import list_mappings, save_mapping
    from tui.family.mapping_editor import MappingEditor

    app = tandem_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "amara.osei")
        fid = await open_mapping_tab(pilot, "FAM-0101")
        await pilot.press("e")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, MappingEditor)
        # Someone else saves the same mapping meanwhile.
        current = editor.mapping
        assert current is not None
        changed = current.current.__class__(
            held_on=current.current.held_on,
            participants=current.current.participants + ("Dr Shah (GP)",),
            items=current.current.items,
            pairs=current.current.pairs,
        )
        save_mapping(app.ctx, fid, current.id, changed, current.revision)

        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab")
        assert app.focused.id == "field-next-steps"
        await to_end(pilot)
        await pilot.press("enter")
        await type_text(pilot, "Kerry to see the GP")
        await pilot.press("ctrl+s")
        await settle(pilot)

        # Nothing saved over the other revision: the merge is shown (their participant taken,
        # the new next step kept); escape goes back to the text, kept as a draft.
        assert app.screen.__class__.__name__ == "MergeScreen"
        assert "Their changes taken (you had not changed these): Participants" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is editor  # still open, nothing lost
        error = str(editor.query_one("#editor-error", Static).render())
        assert "after you opened it" in error and "Not merged yet" in error
        assert "Kerry to see the GP" in editor.query_one("#field-next-steps", TextArea).text
        draft = get_draft(app.ctx, f"mapping:{current.id}")
        assert draft is not None and "Kerry to see the GP" in draft.content
        stored = next(m for m in list_mappings(app.ctx, fid) if m.id == current.id)
        assert "Dr Shah (GP)" in stored.current.participants
        assert "Kerry to see the GP" not in [i.text for i in stored.current.items]

        await pilot.press("ctrl+s")  # merges again; nothing clashes: ctrl+s saves both
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, MappingEditor)
        stored = next(m for m in list_mappings(app.ctx, fid) if m.id == current.id)
        assert stored.revision == current.revision + 2
        assert "Dr Shah (GP)" in stored.current.participants
        assert "Kerry to see the GP" in [i.text for i in stored.current.items]


async def test_add_a_scaling_and_see_it_in_the_table_and_the_chart(tandem_app):
    from domain.services.mappings import list_scaling
    from tui.family.mapping_scaling import ScalingChart, ScalingForm

    app = tandem_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "amara.osei")
        fid = await open_mapping_tab(pilot, "FAM-0101")
        newest_id = app.screen.query_one("#mapping-tab").selected_id

        await pilot.press("s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ScalingForm) and form.activity is RecordingActivity.MAPPING
        assert form.query_one("#field-anchor-zero", Input).value == DEFAULT_ANCHOR_ZERO
        assert form.query_one("#field-anchor-ten", Input).value == DEFAULT_ANCHOR_TEN
        await type_text(pilot, "Uncle Dev")
        await pilot.press("tab")
        await type_text(pilot, "uncle")
        await pilot.press("tab")
        await type_text(pilot, "7")
        await pilot.press("tab")
        await type_text(pilot, "Kerry rings me every night now.")
        await pilot.press("tab")  # 0 means: make it his own words
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "Lily and Josh would have to live with me")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ScalingForm), screen_text(app)

        [rating] = [r for r in list_scaling(app.ctx, fid) if r.person == "Uncle Dev"]
        assert (rating.score, rating.person_role, rating.rated_on) == (7, "uncle", TODAY)
        assert rating.reason == "Kerry rings me every night now."
        assert rating.anchor_zero == "Lily and Josh would have to live with me"
        assert rating.anchor_ten == DEFAULT_ANCHOR_TEN
        assert rating.mapping_id == newest_id and rating.danger_key is None

        rows = table_text(app)
        assert "Uncle Dev | uncle | 7/10 | Overall | Kerry rings me every night now." in rows
        assert "Lily and Josh would have to live with me" in rows
        chart = app.screen.query_one("#scaling-chart", ScalingChart)
        assert chart.series["Uncle Dev"] == [(TODAY, 7)]


async def test_a_score_of_11_shows_the_error_next_to_it_and_keeps_the_reason(tandem_app):
    from domain.services.mappings import list_scaling
    from tui.family.mapping_scaling import ScalingForm

    app = tandem_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "amara.osei")
        fid = await open_mapping_tab(pilot, "FAM-0101")
        before = len(list_scaling(app.ctx, fid))
        await pilot.press("s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ScalingForm)
        await type_text(pilot, "Kerry Hughes")
        await pilot.press("tab", "tab")
        await type_text(pilot, "11")
        await pilot.press("tab")
        await type_text(pilot, "Best month in years.")
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert app.screen is form
        message = str(form.query_one("#error-score", Static).render())
        assert "Scaling score must be between 0 and 10 (got 11)." in message
        assert app.focused is form.query_one("#field-score", Input)
        assert form.query_one("#field-reason", TextArea).text == "Best month in years."
        assert form.query_one("#field-person", Input).value == "Kerry Hughes"
        assert len(list_scaling(app.ctx, fid)) == before

        # Correcting the score saves it, and the error line is cleared.
        await pilot.press("backspace", "backspace")
        await type_text(pilot, "9")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ScalingForm)
        assert len(list_scaling(app.ctx, fid)) == before + 1


async def test_the_chart_has_one_series_per_person_over_the_seeded_dates(tandem_app):
    from domain.services.mappings import scaling_series
    from tui.family.mapping_scaling import ScalingChart

    app = tandem_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "amara.osei")
        fid = await open_mapping_tab(pilot, "FAM-0101")
        expected = scaling_series(app.ctx, fid)
        dates = {d for points in expected.values() for d, _ in points}
        assert len(dates) >= 4  # the seeded family has scaling at four or more dates

        chart = app.screen.query_one("#scaling-chart", ScalingChart)
        assert chart.display
        assert set(chart.series) == set(expected) and len(chart.series) >= 4
        assert chart.series == expected
        legend = str(app.screen.query_one("#scaling-legend").render())
        for i, person in enumerate(expected):
            # Each line has its own marker, named in the key under the chart (it wraps there).
            assert f"{'●+■x◆o*#'[i]} {person} {expected[person][-1][1]}" in legend
        assert all(0 <= s <= 10 for pts in chart.series.values() for _, s in pts)
        assert all(isinstance(d, date) for pts in chart.series.values() for d, _ in pts)

        await pilot.press("c")
        assert not chart.display
        await pilot.press("c")
        assert chart.display


async def test_brackets_step_between_mappings_newest_first(tandem_app):
    from domain.services.mappings import list_mappings

    app = tandem_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "amara.osei")
        fid = await open_mapping_tab(pilot, "FAM-0101")
        held = sorted((m.current.held_on for m in list_mappings(app.ctx, fid)), reverse=True)
        assert len(held) >= 2

        def heading() -> str:
            return str(app.screen.query_one("#mapping-heading", Static).render())

        assert f"{held[0]:%d %B %Y}" in heading()
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert f"{held[1]:%d %B %Y}" in heading()
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert f"{held[0]:%d %B %Y}" in heading()


async def test_a_new_mapping_can_start_from_a_copy_of_the_latest(tandem_app):
    from domain.services.mappings import list_mappings

    app = tandem_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "amara.osei")
        fid = await open_mapping_tab(pilot, "FAM-0101")
        before = list_mappings(app.ctx, fid)
        latest = max(before, key=lambda m: m.current.held_on)
        await pilot.press("n")
        await settle(pilot)
        text = screen_text(app)
        assert "ctrl+l copies in the mapping of" in text, text
        await pilot.press("ctrl+l")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        after = list_mappings(app.ctx, fid)
        assert len(after) == len(before) + 1
        [new] = [m for m in after if m.id not in {b.id for b in before}]
        assert new.current.held_on == TODAY
        assert new.current.items == latest.current.items
        assert new.current.pairs == latest.current.pairs  # same keys: the same worries carried on
        assert new.current.participants == latest.current.participants
        assert f"{TODAY:%d %B %Y}" in str(app.screen.query_one("#mapping-heading", Static).render())
