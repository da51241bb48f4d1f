"""One small form dialog for every administration change: fields described as data, the
service run in a worker, and a refusal shown next to the field it names (nothing typed is lost).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from tui.app import TandemApp
from tui.styles import css
from tui.text import safe
from tui.workers import run_db


@dataclass
class Field:
    """One field. ``kind``: text, password, select (``options``: (label, value)) or many (a
    selection list; ``value`` is the list of chosen values). ``errors`` are the field names a
    domain ValidationError may give that belong next to this field."""

    name: str
    label: str
    kind: str = "text"
    value: Any = ""
    options: list[tuple[str | Text, Any]] = field(default_factory=list)
    placeholder: str = ""
    errors: tuple[str, ...] = ()


class AdminForm(ModalScreen[bool]):
    """``submit(values)`` runs in a worker; it returns a short message to show (or raises a
    DomainError, shown next to its field). Dismissed with True when the change was made."""

    app = getters.app(TandemApp)

    CSS_PATH = css("admin")
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        title: str | Text,
        fields: list[Field],
        submit: Callable[[dict[str, Any]], str],
        *,
        intro: str | Text = "",
        save_label: str = "Save",
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.submit = submit
        self.intro = intro
        self.save_label = save_label
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="admin-form"):
            yield Static(self.form_title, classes="admin-form-title")
            if self.intro:
                yield Static(self.intro, classes="admin-form-intro")
            with VerticalScroll(classes="admin-form-fields"):
                for f in self.fields:
                    row_class = "admin-row admin-row-wide" if f.kind == "many" else "admin-row"
                    with Horizontal(classes=row_class):
                        yield Label(Text(f.label), classes="admin-label")
                        yield self._widget(f)
                    yield Static(id=f"error-{f.name}", classes="field-error")
            yield Static(id="form-error", classes="field-error")
            with Horizontal(classes="admin-buttons"):
                yield Button(
                    f"{self.save_label} (ctrl+s)", id="form-save", variant="primary", compact=True
                )
                yield Button("Cancel (escape)", id="form-cancel", compact=True)

    def _widget(self, f: Field) -> Widget:
        wid = f"field-{f.name}"
        if f.kind == "select":
            return Select(f.options, value=f.value, allow_blank=False, id=wid, compact=True)
        if f.kind == "many":
            chosen = set(f.value or ())
            return SelectionList(*[(label, v, v in chosen) for label, v in f.options], id=wid)
        return Input(
            value=str(f.value or ""),
            placeholder=f.placeholder,
            password=f.kind == "password",
            id=wid,
            compact=True,
        )

    def on_mount(self) -> None:
        if self.fields:
            self.query_one(f"#field-{self.fields[0].name}").focus()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.name}")
            if isinstance(widget, SelectionList):
                out[f.name] = list(widget.selected)
            else:
                out[f.name] = widget.value  # type: ignore[attr-defined]  # an Input or a Select (_widget)
        return out

    def show_error(self, name: str | None, message: str) -> None:
        """Show ``message`` next to the field called ``name`` (or a field that claims that
        domain field name), else under the form."""
        for f in self.fields:
            if name is not None and (f.name == name or name in f.errors):
                line = self.query_one(f"#error-{f.name}", Static)
                line.update(safe(message))
                line.add_class("shown")
                self.query_one(f"#field-{f.name}").focus()
                return
        line = self.query_one("#form-error", Static)
        line.update(safe(message))
        line.add_class("shown")

    def clear_errors(self) -> None:
        for line in self.query(".field-error").results(Static):
            line.update("")
            line.remove_class("shown")

    def action_save(self) -> None:
        if self.busy:
            return
        self.clear_errors()
        values = self.values()
        self.busy = True
        run_db(self, lambda: self.submit(values), self._done, failed=self._failed)

    def _done(self, message: str) -> None:
        self.busy = False
        if message:
            self.app.notify(message, markup=False)
        self.dismiss(True)

    def _failed(self, error: BaseException) -> None:
        from domain.errors import DomainError

        self.busy = False
        if isinstance(error, DomainError):
            self.show_error(getattr(error, "field", None), str(error))
        else:
            self.app.show_error(error)

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(False)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last one it saves."""
        names = [f"field-{f.name}" for f in self.fields]
        here = event.input.id
        if here in names and names.index(here) < len(names) - 1:
            self.query_one(f"#{names[names.index(here) + 1]}").focus()
        else:
            self.action_save()
