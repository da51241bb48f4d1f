"""The practitioner's Observations tab: add a recording with consent (duration read from a real
WAV file), open it with the system's handler, read feedback and reply, see the skill trend.
Also tui/audio.py on its own: the tinytag probe and the system opener."""

from __future__ import annotations

import wave
from pathlib import Path

from textual.widgets import DataTable, Input, Static
from textual_plotext import PlotextPlot

from domain.services.observations import get_feedback, list_observations, skill_trend
from tests.tui.conftest import screen_text, sign_in
from tui.audio import TinyTagProbe, open_with_system_handler
from tui.family.observation_editor import AddObservation, ConsentRow
from tui.family.observations import ObservationsTab
from tui.feedback.observation_feedback import FeedbackView, ReplyEditor
from tui.feedback.observation_trend import SkillTrendScreen

# --- helpers shared with test_feedback.py and test_consent_withdrawal.py ----------------------


def write_wav(path: Path, seconds: int) -> Path:
    """A real (silent) WAV file of ``seconds`` seconds, written with the standard library."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(b"\x80" * 8000 * seconds)
    return path


def family_id(runtime, reference: str) -> int:  # type: ignore[no-untyped-def]
    with runtime.uow_factory() as uow:
        return uow.families.by_reference(reference).id


def user_id(runtime, username: str) -> int:  # type: ignore[no-untyped-def]
    with runtime.uow_factory() as uow:
        return uow.users.by_username(username).id


async def settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def open_observations(app, pilot, reference: str) -> ObservationsTab:  # type: ignore[no-untyped-def]
    """From the caseload: move to the family, enter, press 6 (the Observations tab)."""
    table = app.screen.query_one("#caseload-table", DataTable)
    refs = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
    table.move_cursor(row=refs.index(reference))
    await pilot.press("enter")
    await settle(app, pilot)
    await pilot.press("6")
    await settle(app, pilot)
    return app.screen.query_one(ObservationsTab)


def select_row(table: DataTable, text: str) -> None:
    """Put the cursor on the first row whose cells contain ``text``."""
    for i in range(table.row_count):
        if any(text in str(c) for c in table.get_row_at(i)):
            table.move_cursor(row=i)
            return
    raise AssertionError(f"no row with {text!r}")


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*text)


# --- tui/audio.py -----------------------------------------------------------------------------


def test_tinytag_probe_reads_a_wav_duration_and_never_raises(tmp_path):
    probe = TinyTagProbe()
    assert probe.duration_seconds(str(write_wav(tmp_path / "visit.wav", 95))) == 95
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"this is not audio")
    assert probe.duration_seconds(str(junk)) is None
    assert probe.duration_seconds(str(tmp_path / "missing.m4a")) is None


def test_system_opener_runs_the_handler_detached_without_a_shell(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr("tui.audio.shutil.which", lambda name: f"/usr/bin/{name}")

    def popen(args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append((args, kwargs))

    audio = write_wav(tmp_path / "-visit.wav", 1)  # a name that looks like an option
    assert open_with_system_handler(str(audio), popen=popen, platform="linux") is None
    args, kwargs = calls[-1]
    assert args == ["/usr/bin/xdg-open", str(audio)]
    assert kwargs.get("shell") in (None, False) and kwargs["start_new_session"] is True
    url = "https://recordings.example.org/visit.m4a"
    assert open_with_system_handler(url, popen=popen, platform="darwin") is None
    assert calls[-1][0] == ["/usr/bin/open", url]

    # Refusals are messages, never exceptions, and nothing is started.
    before = len(calls)
    assert "withdrawn" in open_with_system_handler(None, popen=popen, platform="linux")
    assert "not found" in open_with_system_handler(
        str(tmp_path / "gone.wav"), popen=popen, platform="linux"
    )
    assert "only opens" in open_with_system_handler(
        "ftp://x.example/a.wav", popen=popen, platform="linux"
    )

    def broken(args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(2, "No such file or directory")

    assert "could not be opened" in open_with_system_handler(url, popen=broken, platform="linux")
    monkeypatch.setattr("tui.audio.shutil.which", lambda name: None)
    assert "xdg-open is not installed" in open_with_system_handler(
        url, popen=popen, platform="linux"
    )
    assert len(calls) == before


# --- the Observations tab ------------------------------------------------------------------------


async def test_add_a_recording_with_consent_reads_the_duration_from_the_file(
    tandem_app, runtime, tmp_path
):
    audio = write_wav(tmp_path / "campbell-visit.wav", 125)
    app = tandem_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await sign_in(pilot, "amara.osei")
        tab = await open_observations(app, pilot, "FAM-0104")
        before = tab.query_one("#observations-table", DataTable).row_count

        await pilot.press("n")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, AddObservation)
        # The family's members are offered: adults give consent, children assent.
        rows = {r.data["person"]: r for r in editor.query(ConsentRow)}
        assert rows["Shannon Campbell"].data["kind"] == "consent"
        assert rows["Kayden Campbell"].data["kind"] == "assent"

        # A folder is not a recording: said under the link as it is typed, and refused there.
        await type_text(pilot, str(tmp_path))  # the link field has the focus
        await settle(app, pilot)
        assert "is a folder" in str(editor.query_one("#link-check", Static).render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is editor
        beside = [str(w.render()) for w in editor.query(".field-error-line")]
        assert any("is a folder: choose the recording file inside it" in b for b in beside), (
            beside,
            str(editor.query_one("#editor-error", Static).render()),
        )
        assert app.focused is editor.query_one("#field-link", Input)

        await pilot.press("ctrl+u")
        await type_text(pilot, str(audio))
        await settle(app, pilot)
        assert "The recording file is there" in str(
            editor.query_one("#link-check", Static).render()
        )
        assert editor.query_one("#field-duration", Input).value == "02:05"
        assert "Duration read from the file: 02:05" in screen_text(app)

        # A child's assent alone is not enough.
        editor.query_one("#consent-2-present").focus()  # adults first: Denise, Shannon, Kayden
        assert rows["Kayden Campbell"].index == 2
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is editor
        assert "A child's assent alone is not enough" in str(
            editor.query_one("#editor-error", Static).render()
        )

        editor.query_one(f"#consent-{rows['Shannon Campbell'].index}-present").focus()
        await pilot.press("space")
        editor.query_one(f"#consent-{rows['Shannon Campbell'].index}-method").focus()
        await pilot.press("enter", "down", "enter")  # written -> verbal
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen.query_one(ObservationsTab), ObservationsTab)

        table = app.screen.query_one("#observations-table", DataTable)
        assert table.row_count == before + 1
        shown = screen_text(app)
        assert str(audio) in shown and "02:05" in shown and "1 consent, 1 assent" in shown

        stored = list_observations(app.ctx, family_id(runtime, "FAM-0104"))[-1]
        assert stored.link == str(audio) and stored.duration_seconds == 125
        consents = {c.person: c for c in stored.consents}
        assert set(consents) == {"Shannon Campbell", "Kayden Campbell"}
        assert consents["Shannon Campbell"].kind.value == "consent"
        assert consents["Shannon Campbell"].method.value == "verbal"
        assert consents["Kayden Campbell"].kind.value == "assent"
        assert consents["Shannon Campbell"].scope == "practice lead feedback only"
        assert consents["Shannon Campbell"].obtained_by == user_id(runtime, "amara.osei")
        assert consents["Shannon Campbell"].member_id is not None


async def test_open_recording_hands_the_link_to_the_system_handler(
    tandem_app, runtime, monkeypatch
):
    opened: list[str | None] = []

    def fake_open(link: str | None) -> str | None:
        opened.append(link)
        return None

    monkeypatch.setattr("tui.audio.open_with_system_handler", fake_open)
    app = tandem_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await sign_in(pilot, "amara.osei")
        tab = await open_observations(app, pilot, "FAM-0104")
        select_row(tab.query_one("#observations-table", DataTable), "obs-010")
        await pilot.press("o")
        await settle(app, pilot)
        assert opened == ["https://recordings.example.org/tandem-demo/obs-010.m4a"]


async def test_practitioner_reads_feedback_and_replies_and_the_thread_is_kept(tandem_app, runtime):
    app = tandem_app()
    async with app.run_test(size=(140, 50)) as pilot:
        await sign_in(pilot, "amara.osei")
        tab = await open_observations(app, pilot, "FAM-0101")
        select_row(tab.query_one("#observations-table", DataTable), "obs-001")
        observation = list_observations(app.ctx, family_id(runtime, "FAM-0101"))[0]
        feedback = get_feedback(app.ctx, observation.id)
        assert feedback is not None and len(feedback.replies) == 1
        earlier_reply = feedback.replies[0].text

        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, FeedbackView)
        shown = screen_text(app)
        assert "Feedback from Rosalind Ferreira" in shown
        assert "Group means" in shown and "┃ marks 3.5" in shown
        for group in ("Care", "Good authority", "Evocation"):
            assert group in shown
        assert feedback.strengths.splitlines()[0] in shown
        assert feedback.one_thing_to_try.splitlines()[0] in shown
        assert earlier_reply.splitlines()[0] in shown
        comments = app.screen.query_one("#fbv-comments", DataTable)
        times = [str(comments.get_row_at(i)[0]) for i in range(comments.row_count)]
        assert times == sorted(times) and len(times) == len(feedback.comments) > 0

        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ReplyEditor)
        await type_text(pilot, "I will ask Josh first next time.")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FeedbackView)
        shown = screen_text(app)
        assert "I will ask Josh first next time." in shown
        assert earlier_reply.splitlines()[0] in shown

        replies = get_feedback(app.ctx, observation.id).replies  # type: ignore[union-attr]
        assert [r.text for r in replies] == [earlier_reply, "I will ask Josh first next time."]
        assert replies[-1].author_id == user_id(runtime, "amara.osei")


async def test_practitioner_sees_their_own_skill_trend_as_a_chart(tandem_app, runtime):
    app = tandem_app()
    async with app.run_test(size=(140, 50)) as pilot:
        await sign_in(pilot, "amara.osei")
        await open_observations(app, pilot, "FAM-0105")
        await pilot.press("t")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SkillTrendScreen)
        points = skill_trend(app.ctx, user_id(runtime, "amara.osei"))
        assert len(points) >= 2
        assert len(screen.points) == len(points)
        table = screen.query_one("#trend-table", DataTable)
        assert table.row_count == len(points)
        assert str(table.get_row_at(0)[0]) == points[0].session_date.strftime("%d %b %Y")
        chart = str(screen.query_one(PlotextPlot).render())
        # Each group's latest mean in the legend under the plot, rounded (issue 13: no 3.50/3.333).
        assert "● Care 3.5" in chart and "Good authority" in chart and "3.50" not in chart
        assert "Skill trend — Amara Osei" in screen_text(app)


async def test_an_unsaved_recording_comes_back_as_a_draft_with_its_consents(
    tandem_app, runtime, tmp_path
):
    audio = write_wav(tmp_path / "draft-visit.wav", 61)
    app = tandem_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await sign_in(pilot, "amara.osei")
        await open_observations(app, pilot, "FAM-0104")
        await pilot.press("n")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, AddObservation)
        await type_text(pilot, str(audio))
        await settle(app, pilot)
        shannon = next(
            r for r in editor.query(ConsentRow) if r.data["person"] == "Shannon Campbell"
        )
        editor.query_one(f"#consent-{shannon.index}-present").focus()
        await pilot.press("space")
        await pilot.press("escape")  # closed without saving: kept as a draft
        await settle(app, pilot)
        assert isinstance(app.screen.query_one(ObservationsTab), ObservationsTab)

        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("r")  # restore the draft
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, AddObservation)
        assert editor.query_one("#field-link", Input).value == str(audio)
        assert editor.query_one("#field-duration", Input).value == "01:01"
        ticked = [r["person"] for r in editor.row_values() if r["present"]]
        assert ticked == ["Shannon Campbell"]
        assert "Shannon Campbell · present ✓" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        stored = list_observations(app.ctx, family_id(runtime, "FAM-0104"))[-1]
        assert stored.link == str(audio) and stored.duration_seconds == 61
        assert [c.person for c in stored.consents] == ["Shannon Campbell"]
