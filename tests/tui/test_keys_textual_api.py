"""The key gate (tui/keys.py) reads Textual's public API and one private flag. If a Textual
upgrade renames any of them, these tests fail by name — before held keys could wait silently."""

from __future__ import annotations

from textual.app import App
from textual.message_pump import MessagePump
from textual.widget import Widget

from tui import keys


def test_the_private_closing_flags_the_gate_reads_still_exist() -> None:
    pump = MessagePump()
    assert pump._closing is False  # read by keys._is_closing
    assert pump._closed is False
    assert keys._is_closing(pump) is False


def test_the_public_api_the_gate_uses_still_exists() -> None:
    assert isinstance(MessagePump.message_queue_size, property)
    assert isinstance(App.screen_stack, property)
    assert callable(Widget.walk_children)
    assert isinstance(App.workers, property)
    assert keys._has_work(MessagePump()) is False


async def test_a_queued_message_counts_as_work_until_handled() -> None:
    app = App()
    async with app.run_test() as pilot:
        gate = keys.KeyGate(app)
        pumps = list(gate._pumps())
        assert app in pumps and app.screen in pumps
        app.screen.post_message(keys.events.Key("x", "x"))
        assert keys._has_work(app.screen)
        await pilot.pause()
        assert not keys._has_work(app.screen)


async def test_if_the_gate_cannot_tell_whether_the_app_settled_keys_still_arrive(
    monkeypatch,
) -> None:  # type: ignore[no-untyped-def]
    """Say an upgrade renamed what the gate reads: keys pass through instead of waiting."""
    from textual.widgets import Input

    class Typing(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield Input(id="box")

    def renamed(pump: MessagePump) -> bool:
        raise AttributeError("'MessagePump' object has no attribute '_closing'")

    monkeypatch.setattr(keys, "_is_closing", renamed)
    app = Typing()
    async with app.run_test() as pilot:
        gate = keys.KeyGate(app)
        app.query_one("#box", Input).focus()
        for ch in "abc":
            event = keys.events.Key(ch, ch)
            event.set_sender(app)
            if gate.admit(event):
                app.post_message(event)
        for _ in range(200):
            await pilot.pause()
            if app.query_one("#box", Input).value == "abc":
                break
        assert gate.failed is not None
        assert app.query_one("#box", Input).value == "abc"
