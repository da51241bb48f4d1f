"""Opening an observation's recording, shared by every screen that offers it (a family's
Observations tab, the feedback view, a practice lead's queue and feedback editor).

The address always comes from the ``open_recording`` service at the moment of opening (access
and consent re-checked, audited), never from what a screen loaded earlier."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.dom import DOMNode

from tui.workers import run_db, tandem_app


def open_recording(
    node: DOMNode, observation_id: int | None, on_gone: Callable[[], Any] | None = None
) -> None:
    """Open a recording with the system's handler, off the UI thread. Its address comes from the
    ``open_recording`` service at this moment (access and consent re-checked, audited), never from
    what the screen loaded; if consent was withdrawn meanwhile, say the link is gone and call
    ``on_gone`` so the screen shows it."""
    from domain.services.observations import RecordingWithdrawn
    from domain.services.observations import open_recording as recording_address

    if observation_id is None:
        return
    app = tandem_app(node)
    ctx = app.ctx

    from tui.deliver import in_browser

    browser = in_browser(app)  # tandem serve: a new tab of the user's browser

    def job() -> str | None:
        address = recording_address(ctx, observation_id)
        if browser:
            return address  # opened on the UI thread, below
        from tui import audio

        return audio.open_with_system_handler(address)

    def done(result: str | None) -> None:
        if browser:
            error = open_in_browser(app, result or "")
            if error:
                app.notify(error, title="Not opened", severity="warning", markup=False)
            else:
                app.notify("The recording opens in a new browser tab.", markup=False)
        elif result:
            app.notify(result, title="Not opened", severity="warning", markup=False)
        else:
            app.notify("Opening the recording with the system's player…", markup=False)

    def failed(error: BaseException) -> None:
        if isinstance(error, RecordingWithdrawn):
            app.notify(str(error), title="Link gone", severity="warning", markup=False)
            if on_gone is not None:
                on_gone()
            return
        app.show_error(error)

    run_db(node, job, done, failed=failed, group="open-recording")


def open_in_browser(app: App[Any], link: str) -> str | None:
    """Open a web link in a new tab of the user's browser; None, or why it was not opened.

    A path or ``file://`` link names a file on the server's own disk, which a browser elsewhere
    cannot open (and which Tandem will not hand out to browsers)."""
    from urllib.parse import urlparse

    text = link.strip()
    if urlparse(text).scheme.lower() in ("http", "https") and "://" in text:
        app.open_url(text, new_tab=True)
        return None
    return (
        "This recording is a file on the server's disk, which a browser cannot open: "
        f"{text}. Open it from a computer that has the file, or store recordings at a web "
        "address (https://…)."
    )
