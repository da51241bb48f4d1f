"""Export the family's copy of the plan (plain language, Markdown and/or HTML) into a folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from domain.errors import DomainError, ValidationError
from domain.export import WorkerContact, free_name
from domain.services.context import Context
from tui.app import TandemApp
from tui.deliver import download, in_browser
from tui.styles import css
from tui.text import join, safe
from tui.workers import run_db

if TYPE_CHECKING:
    from storage.preferences import FilePreferences

FORMAT_OPTIONS = [
    ("Markdown and HTML", "both"),
    ("Markdown (.md)", "markdown"),
    ("HTML (.html, opens in a browser, prints well)", "html"),
]
EXTENSIONS = {"markdown": "md", "html": "html"}


def _exists_in(folder: Path, name: str) -> bool:
    return (folder / name).exists()


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


#: The preference (storage/preferences.py) holding the folder a family copy was last saved in.
FOLDER_KEY = "family_copy_folder"


@dataclass
class PreparedCopies:
    """Family copies built and ready to write: each (path, text), the paths that already exist,
    and the worker contact printed on them."""

    directory: Path
    copies: list[tuple[Path, str]]
    existing: list[Path]
    worker: WorkerContact | None = None


def checked_directory(folder: str) -> Path:
    raw = (folder or "").strip()
    if not raw:
        raise ValidationError("directory", "Choose the folder to save the family copy in.")
    directory = Path(raw).expanduser()
    if not directory.is_dir():
        raise ValidationError(
            "directory", f"The folder {directory} does not exist (or is not a folder)."
        )
    return directory


def prepare_family_copy(
    ctx: Context, family_id: int, reference: str, fmts: list[str], folder: str
) -> PreparedCopies:
    """Run in a worker: check the folder, build each copy through the (audited) service and say
    which of the files are already there. Nothing is written yet."""
    from domain.services.plans import family_copy_with_contact

    directory = checked_directory(folder)
    copies: list[tuple[Path, str]] = []
    worker: WorkerContact | None = None
    for fmt in fmts:
        text, worker = family_copy_with_contact(ctx, family_id, fmt)
        copies.append((directory / file_name(reference, fmt), text))
    existing = [path for path, _ in copies if path.exists()]
    return PreparedCopies(directory, copies, existing, worker)


def write_prepared(prepared: PreparedCopies, replace: bool) -> list[Path]:
    """Run in a worker: write the copies. A file already there is replaced only when ``replace``;
    otherwise the copy takes the next free name ("FAM-0042-family-plan (2).md"). A new file is
    opened in exclusive mode, so a file that appears meanwhile is never overwritten either."""
    written: list[Path] = []
    for path, text in prepared.copies:
        target = path
        try:
            if replace and path.exists():
                path.write_text(text, encoding="utf-8")
            else:
                folder = path.parent
                while True:
                    name = free_name(target.name, partial(_exists_in, folder))
                    target = folder / name
                    try:
                        with open(target, "x", encoding="utf-8") as out:
                            out.write(text)
                        break
                    except FileExistsError:
                        continue
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise ValidationError(
                "directory", f"The family copy could not be saved as {target}: {reason}."
            ) from None
        written.append(target)
    return written


def write_family_copy(
    ctx: Context, family_id: int, reference: str, fmts: list[str], folder: str
) -> list[Path]:
    """Build and write the copies, never replacing a file (a name already taken gets the next
    free one)."""
    return write_prepared(prepare_family_copy(ctx, family_id, reference, fmts, folder), False)


class ReplaceQuestion(ModalScreen[str | None]):
    """Asked when a family copy's file name is already taken in the folder: r replaces the
    file, k keeps it and saves under a new name, escape goes back to the dialog."""

    DEFAULT_CSS = """
    ReplaceQuestion { align: center middle; }
    ReplaceQuestion > Vertical {
        width: 90%; max-width: 76; height: auto; padding: 1 2; border: thick $warning;
        background: $surface;
    }
    ReplaceQuestion Horizontal { height: auto; margin-top: 1; }
    ReplaceQuestion Button { margin-right: 1; }
    """

    BINDINGS = [
        Binding("r", "answer('replace')", "Replace it"),
        Binding("k", "answer('new')", "Keep it, new name"),
        Binding("escape", "answer(None)", "Go back"),
    ]

    def __init__(self, prepared: PreparedCopies) -> None:
        super().__init__()
        self.prepared = prepared

    def compose(self) -> ComposeResult:
        names = [p.name for p in self.prepared.existing]
        new = [free_name(p.name, partial(_exists_in, p.parent)) for p in self.prepared.existing]
        with Vertical(id="replace-box"):
            yield Label(
                join(
                    "Already in ",
                    safe(str(self.prepared.directory)),
                    ": ",
                    safe(", ".join(names)),
                    ".",
                )
            )
            yield Label(
                join("Replace it, or keep it and save the new copy as ", safe(", ".join(new)), "?")
            )
            with Horizontal():
                yield Button("Replace (r)", id="replace-yes", variant="warning")
                yield Button("New name (k)", id="replace-new", variant="primary")
                yield Button("Back (esc)", id="replace-back")

    def on_mount(self) -> None:
        self.query_one("#replace-new", Button).focus()

    @on(Button.Pressed, "#replace-yes")
    def _yes(self) -> None:
        self.dismiss("replace")

    @on(Button.Pressed, "#replace-new")
    def _new(self) -> None:
        self.dismiss("new")

    @on(Button.Pressed, "#replace-back")
    def _back(self) -> None:
        self.dismiss(None)

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)


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

    app = getters.app(TandemApp)

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
        #: The worker contact printed on the last copies made (None before any).
        self.worker: WorkerContact | None = None

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
                    # The folder last used by this user on this computer (read on mount).
                    yield Input(value=str(default_directory()), id="field-directory")
            yield Static(id="export-error", classes="error")
            with Horizontal(classes="form-row"):
                yield Button("Export (enter)", id="export-ok", variant="primary")
                yield Button("Cancel (esc)", id="export-no")

    def on_mount(self) -> None:
        if self.query("#field-directory"):
            field = self.query_one("#field-directory", Input)
            field.focus()
            typed = field.value
            prefs, user_id = self._preferences()
            if prefs is not None:

                def remembered(folder: str | None) -> None:
                    if folder and field.value == typed:
                        field.value = folder

                run_db(self, lambda: prefs.get(user_id, FOLDER_KEY), remembered)
        else:
            self.query_one("#export-ok", Button).focus()

    def _preferences(self) -> tuple[FilePreferences | None, int]:
        from storage.preferences import FilePreferences, default_directory

        user = getattr(self.app, "user", None)
        runtime = getattr(self.app, "runtime", None)
        if user is None or user.id is None or runtime is None:
            return None, 0
        return FilePreferences(default_directory(), str(runtime.url)), user.id

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
        ctx = self.app.ctx
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
            lambda: prepare_family_copy(ctx, family_id, reference, fmts, folder),
            self.prepared,
            failed=self.failed,
            exclusive=True,
            group="export",
        )

    def prepared(self, prepared: PreparedCopies) -> None:
        self.worker = prepared.worker
        if not prepared.existing:
            self.write(prepared, False)
            return

        def answered(answer: str | None) -> None:
            if answer is None:
                self.busy = False
                self.query_one("#export-error", Static).update(
                    Text("Nothing saved: choose another folder, or export again.")
                )
                self.query_one("#field-directory", Input).focus()
                return
            self.write(prepared, answer == "replace")

        self.app.push_screen(ReplaceQuestion(prepared), answered)

    def write(self, prepared: PreparedCopies, replace: bool) -> None:
        prefs, user_id = self._preferences()

        def job() -> list[Path]:
            written = write_prepared(prepared, replace)
            if prefs is not None:
                prefs.set(user_id, FOLDER_KEY, str(prepared.directory))
            return written

        run_db(self, job, self.done, failed=self.failed, exclusive=True, group="export")

    def done(self, paths: list[Path]) -> None:
        self.busy = False
        if self.worker is not None and not self.worker.phone:
            self.app.notify(
                "The copy has no phone number for the family: the team's phone is not set "
                "(an administrator sets it in the team's settings).",
                severity="warning",
                timeout=10,
                markup=False,
            )
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
            self.app.show_error(error)

    def action_cancel(self) -> None:
        self.dismiss(None)
