"""Real names on the caseloads (issue 11, item 6): search finds a family by its name, any
member's name or its reference whatever the case, accents or invisible characters, and a very long
name is cut with "…" so every other column stays on screen, at 80×24 and at 160×50."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from textual.widgets import DataTable, Input

from tests.tui.conftest import settle, sign_in
from tui.fit import fit_widths

LONG = (
    "Montgomery-Fotheringham-Worthington-Smythe-Abernathy-Cholmondeley-"
    "Featherstonehaugh-Marjoribanks family"
)
ZOE_DECOMPOSED = "Zoe\u0308 Hughes"  # as a council's export may hold it: e + combining diaeresis
ANN_MARIE = "Ann\u200dMarie Hughes"  # a zero-width joiner between the names


@pytest.fixture
def real_names(runtime):  # type: ignore[no-untyped-def]
    """FAM-0101 (Amara's) gets a 100-character name, a child stored decomposed and an adult
    with a zero-width joiner in her name."""
    with runtime.engine.begin() as db:
        fid = db.execute(text("SELECT id FROM families WHERE reference = 'FAM-0101'")).scalar_one()
        db.execute(text("UPDATE families SET name = :n WHERE id = :f"), {"n": LONG, "f": fid})
        members = db.execute(
            text("SELECT id, role FROM members WHERE family_id = :f ORDER BY id"), {"f": fid}
        ).all()
        child = next(m.id for m in members if m.role == "child")
        adult = next(m.id for m in members if m.role != "child")
        db.execute(
            text("UPDATE members SET name = :n WHERE id = :m"), {"n": ZOE_DECOMPOSED, "m": child}
        )
        db.execute(text("UPDATE members SET name = :n WHERE id = :m"), {"n": ANN_MARIE, "m": adult})
    return runtime


def refs(table: DataTable) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def assert_every_column_shows(table: DataTable) -> None:
    used = sum(c.get_render_width(table) for c in table.ordered_columns)
    assert used <= table.scrollable_content_region.width, (
        used,
        table.size,
        [(c.label.plain, c.get_render_width(table)) for c in table.ordered_columns],
    )
    assert table.ordered_columns[-1].label.plain == "Scaling"


async def search(pilot, box: Input, query: str) -> None:  # type: ignore[no-untyped-def]
    box.value = ""
    await pilot.press(*query)
    await settle(pilot, 1)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_practitioner_finds_by_any_name_and_long_names_are_cut(
    tandem_app, real_names, size
) -> None:  # type: ignore[no-untyped-def]
    app = tandem_app()
    async with app.run_test(size=size) as pilot:
        await sign_in(pilot, "amara.osei")
        await settle(pilot)
        table = app.screen.query_one("#caseload-table", DataTable)
        assert "FAM-0101" in refs(table)
        shown = next(
            str(table.get_row_at(i)[1])
            for i in range(table.row_count)
            if refs(table)[i] == "FAM-0101"
        )
        assert shown.endswith("…") and LONG.startswith(shown[:-1])
        assert_every_column_shows(table)

        await pilot.press("slash")
        box = app.screen.query_one("#caseload-search", Input)
        assert app.focused is box
        for query in (
            "Zo\u00eb",
            "zoe",
            "ZOË HUGHES",
            "annmarie",
            "Ann Marie"[:3] + "marie",
            "fotheringham",
        ):
            await search(pilot, box, query)
            assert refs(table) == ["FAM-0101"], query
        await search(pilot, box, "fam-0102")
        assert refs(table) == ["FAM-0102"]
        await search(pilot, box, "nobody-called-this")
        assert refs(table) == []
    # Matching never changed what is stored.
    with real_names.engine.connect() as db:
        names = set(db.execute(text("SELECT name FROM members")).scalars())
    assert ZOE_DECOMPOSED in names and ANN_MARIE in names


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_manager_team_caseload_finds_a_child_and_keeps_every_column(
    tandem_app, real_names, size
) -> None:  # type: ignore[no-untyped-def]
    app = tandem_app()
    async with app.run_test(size=size) as pilot:
        await sign_in(pilot, "fiona.macleod")
        await pilot.press("slash")
        await settle(pilot)
        table = app.screen.query_one("#team-table", DataTable)
        assert table.row_count > 10
        assert_every_column_shows(table)
        await pilot.press(*"zoe")
        await settle(pilot, 1)
        assert refs(table) == ["FAM-0101"]
        assert str(table.get_row_at(0)[1]).endswith("…")


def test_the_widest_cuttable_column_gives_way_first() -> None:
    # Family 100 wide, children 30, a fixed 20: 90 available -> only the family is cut.
    assert fit_widths([100, 30, 20], {0: 10, 1: 8}, 90) == [40, 30, 20]
    # Not enough room even then: both go down, never below their minimum.
    assert fit_widths([100, 30, 20], {0: 10, 1: 8}, 30) == [10, 8, 20]
    # Room enough: nothing is cut.
    assert fit_widths([12, 30, 20], {0: 10, 1: 8}, 200) == [12, 30, 20]
