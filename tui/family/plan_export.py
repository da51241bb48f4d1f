"""Export the family's copy of the plan (plain language, Markdown and/or HTML) into a folder."""

from __future__ import annotations

import re
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from domain.errors import DomainError, ValidationError
from domain.services.context import Context
from tui.deliver import download, in_browser
from tui.styles import css
from tui.text import safe
from tui.workers import run_db

FORMAT_OPTIONS = [
    ("Markdown and HTML", "both"),
    ("Markdown (.md)", "markdown"),
    ("HTML (.html, opens in a browser, prints well)", "html"),
]
EXTENSIONS = {"markdown": "md", "html": "html"}


def default_directory() -> Path:
    """The user's home folder if there is one, else the current folder."""
    try:
        home = Path.home()
    except (RuntimeError, KeyError):
        return Path.cwd()
    return home if home.is_dir() else Path.cwd()


def file_name(reference: str, fmt: str) -> str:
    """e.g. FAM-0042-family-plan.md (the reference reduced to safe file-name characters)."""
    ref = re.sub(r"[^A-Za-z0-9_-]+", "-", reference).strip("-") or "family"
    return f"{ref}-family-plan.{EXTENSIONS[fmt]}"


def write_family_copy(
    ctx: Context, family_id: int, reference: str, fmts: list[str], folder: str
) -> list[Path]:
    """Run in a worker: build each copy through the (audited) service and write it."""
    from domain.services.plans import export_family_copy

    raw = (folder or "").strip()
    if not raw:
        raise ValidationError("directory", "Choose the folder to save the family copy in.")
    directory = Path(raw).expanduser()
    if not directory.is_dir():
        raise ValidationError(
            "directory", f"The folder {directory} does not exist (or is not a folder)."
        )
    copies = [(fmt, export_family_copy(ctx, family_id, fmt)) for fmt in fmts]
    written: list[Path] = []
    for fmt, text in copies:
        path = directory / file_name(reference, fmt)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise ValidationError(
                "directory", f"The family copy could not be saved as {path}: {reason}."
            ) from None
        written.append(path)
    return written


def family_copies(
    ctx: Context, family_id: int, reference: str, fmts: list[str]
) -> list[tuple[str, str]]:
    """Run in a worker: each copy as (file name, text), built through the (audited) service."""
    from domain.services.plans import export_family_copy

    return [(file_name(reference, fmt), export_family_copy(ctx, family_id, fmt)) for fmt in fmts]


class ExportDialog(ModalScreen[list[Path] | list[str] | None]):
    """Asks for the format and the folder, writes the files, returns their paths. In a browser
    (``tandem serve``) there is no folder to ask for: the browser downloads the files, and the
    dialog returns their names."""

    CSS_PATH = css("plan")

    BINDINGS = [
        Binding("ctrl+s", "export", "Export", id="export-go", priority=True),
        Binding("escape", "cancel", "Cancel", id="export-cancel"),
    ]

    def __init__(self, family_id: int, reference: str) -> None:
        super().__init__()
        self.family_id = family_id
        self.reference = reference
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="plan-export-box"):
            yield Static(Text("Family copy of the plan", style="bold"))
            yield Static(
                Text(
                    "A plain-language copy of the current plan to share with the family: no "
                    "internal codes, the family's own words exactly as written."
                ),
                classes="muted",
            )
            with Horizontal(classes="form-row"):
                yield Label("Format")
                yield Select(FORMAT_OPTIONS, value="both", allow_blank=False, id="field-format")
            if in_browser(self.app):
                yield Static(
                    Text("Your browser will download the files (to its usual Downloads folder)."),
                    classes="muted",
                )
            else:
                with Horizontal(classes="form-row"):
                    yield Label("Folder")
                    yield Input(value=str(default_directory()), id="field-directory")
            yield Static(id="export-error", classes="error")
            with Horizontal(classes="form-row"):
                yield Button("Export (enter)", id="export-ok", variant="primary")
                yield Button("Cancel (esc)", id="export-no")

    def on_mount(self) -> None:
        if self.query("#field-directory"):
            self.query_one("#field-directory", Input).focus()
        else:
            self.query_one("#export-ok", Button).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#export-ok")
    def submitted(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export-no")
    def cancelled(self) -> None:
        self.action_cancel()

    def action_export(self) -> None:
        if self.busy:
            return
        choice = self.query_one("#field-format", Select).value
        fmts = ["markdown", "html"] if choice == "both" else [str(choice)]
        ctx = self.app.ctx  # type: ignore[attr-defined]
        family_id, reference = self.family_id, self.reference
        self.busy = True
        self.query_one("#export-error", Static).update(Text("Saving…"))
        if in_browser(self.app):
            run_db(
                self,
                lambda: family_copies(ctx, family_id, reference, fmts),
                self.download,
                failed=self.failed,
                exclusive=True,
                group="export",
            )
            return
        folder = self.query_one("#field-directory", Input).value
        run_db(
            self,
            lambda: write_family_copy(ctx, family_id, reference, fmts, folder),
            self.done,
            failed=self.failed,
            exclusive=True,
            group="export",
        )

    def done(self, paths: list[Path]) -> None:
        self.busy = False
        self.dismiss(paths)

    def download(self, copies: list[tuple[str, str]]) -> None:
        for name, text in copies:
            download(self.app, name, text)
        self.busy = False
        self.dismiss([name for name, _ in copies])

    def failed(self, error: BaseException) -> None:
        self.busy = False
        if isinstance(error, DomainError):
            self.query_one("#export-error", Static).update(safe(str(error)))
            if error.field == "directory" and self.query("#field-directory"):
                self.query_one("#field-directory", Input).focus()
        else:
            self.query_one("#export-error", Static).update(Text(""))
            self.app.show_error(error)  # type: ignore[attr-defined]

    def action_cancel(self) -> None:
        self.dismiss(None)
