"""The administrator's home: users (add, edit, reset a passphrase, deactivate or reactivate,
a practice lead's supported practitioners) and teams (add, settings), one tab each.

Every change goes through domain/services/admin.py, the same services as ``tandem users`` and
``tandem teams``, and is audited there with who made it and the reason typed in the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from domain.errors import ValidationError
from domain.people import Role
from tui.admin.form import AdminForm, Field
from tui.app import TandemApp
from tui.styles import css
from tui.text import cell, join
from tui.widgets.footer import TandemFooter
from tui.widgets.header import TandemHeader
from tui.workers import run_db

if TYPE_CHECKING:
    from domain.services.context import Context

ROLE_OPTIONS: list[tuple[str | Text, Any]] = [(r.label, r.value) for r in Role]
REASON = Field("reason", "Why (for the audit log)", placeholder="optional, e.g. left the team")

#: Team settings shown and edited, in order: (field, column heading, form label).
TEAM_NUMBERS = (
    ("visiting_standard_working_days", "Visit", "Visiting standard (working days)"),
    ("summary_rhythm_weeks", "Summary", "Summary rhythm (weeks)"),
    ("cp_first_review_months", "CP 1st", "First CP review (months)"),
    ("cp_later_review_months", "CP", "Later CP reviews (months)"),
    ("cin_review_months", "CIN", "CIN plan review (months)"),
    ("early_help_review_months", "EH", "Early Help review (months)"),
    ("cla_review_months", "CLA", "Looked-after review (months)"),
)


def _two_passphrases(values: dict[str, Any]) -> str:
    from domain.passwords import check_passphrase

    check_passphrase(values["passphrase"])
    if values["passphrase"] != values["passphrase2"]:
        raise ValidationError("passphrase2", "The two passphrases are not the same.")
    return str(values["passphrase"])


def _passphrase_fields() -> list[Field]:
    return [
        Field(
            "passphrase",
            "One-time passphrase",
            "password",
            placeholder="at least 10 characters",
        ),
        Field("passphrase2", "The same again", "password"),
    ]


def _sign_in_cell(user: Any) -> Text:
    """The user's sign-in state: locked (u unlocks), failures so far, or nothing to say."""
    if user.sign_in_locked:
        return Text("locked (u)", style="bold")
    if user.failed_sign_ins:
        return Text(f"{user.failed_sign_ins} failed")
    return Text("")


class AdminHome(Screen[None]):
    """Users and teams, one tab each. Keys act on the chosen row of the tab shown."""

    app = getters.app(TandemApp)

    CSS_PATH = css("admin")
    BINDINGS = [
        Binding("1", "tab('users')", "Users", show=False),
        Binding("2", "tab('teams')", "Teams", show=False),
        Binding("3", "tab('site')", "Site", show=False),
        Binding("a", "add", "Add", tooltip="Add a user (Users tab) or a team (Teams tab)"),
        Binding(
            "e",
            "edit",
            "Edit",
            tooltip="Change the user's name, role and team, or the team's settings",
        ),  # fmt: skip
        Binding("p", "passphrase", "Passphrase", tooltip="Give the user a one-time passphrase"),
        Binding("d", "active", "Active", tooltip="Deactivate a leaver, or reactivate"),
        Binding("s", "supports", "Supports", tooltip="Practitioners a practice lead supports"),
        Binding("u", "unlock", "Unlock", tooltip="Unlock a user locked out by failed sign-ins"),
        # Every change refreshes the lists by itself, so r is on F1 and ctrl+p, not the footer.
        Binding("r", "refresh", "Refresh", show=False),
        Binding("ctrl+o", "app.sign_out", "Sign out"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.users: dict[str, Any] = {}
        self.teams: dict[str, Any] = {}
        self.min_group = 3

    def compose(self) -> ComposeResult:
        yield TandemHeader()
        with TabbedContent(initial="users", id="admin-tabs"):
            with TabPane("1 Users", id="users"):
                yield DataTable(id="users-table", cursor_type="row", zebra_stripes=True)
            with TabPane("2 Teams", id="teams"):
                yield DataTable(id="teams-table", cursor_type="row", zebra_stripes=True)
                yield Static(
                    Text(
                        "Visit: children on a CP plan seen every N working days. Summary: every "
                        "N weeks. Team read: practitioners may read team-mates' families. "
                        "Reviews in months."
                    ),
                    classes="admin-note",
                )
            with TabPane("3 Site", id="site"):
                yield DataTable(id="site-table", cursor_type="row", zebra_stripes=True)
                yield Static(
                    Text(
                        "Settings of the whole trial site. Pseudonymised burden reports withhold "
                        "or pool any group of fewer practitioners than this (never fewer than "
                        "3); project staff cannot lower it, and every report run records it."
                    ),
                    classes="admin-note",
                )
        yield TandemFooter()

    def on_mount(self) -> None:
        self.query_one("#users-table", DataTable).add_columns(
            "User name", "Name", "Role", "Active", "Team", "Supports", "Sign-in"
        )
        self.query_one("#teams-table", DataTable).add_columns(
            "Team", *(h for _f, h, _l in TEAM_NUMBERS), "Team read"
        )
        self.query_one("#site-table", DataTable).add_columns("Setting", "Value")
        self.action_refresh()

    # --- loading ------------------------------------------------------------------------------

    @property
    def ctx(self) -> Context:
        return self.app.ctx

    def action_refresh(self) -> None:
        from domain.services import admin

        ctx = self.ctx
        run_db(
            self,
            lambda: (admin.list_users(ctx), admin.list_teams(ctx), admin.report_min_group(ctx)),
            self._show,
            exclusive=True,
        )

    def _show(self, loaded: tuple[list[Any], list[Any], int]) -> None:
        users, teams, min_group = loaded
        site = self.query_one("#site-table", DataTable)
        site.clear()
        site.add_row(
            Text("Smallest group in pseudonymised reports"),
            Text(f"{min_group} practitioners"),
            key="report_min_group",
        )
        self.min_group = min_group
        self.users = {u.username: u for u in users}
        self.teams = {t.name: t for t in teams}
        table = self.query_one("#users-table", DataTable)
        keep = table.cursor_row
        table.clear()
        for u in users:
            supports = ", ".join(u.supports_usernames) if u.role is Role.PRACTICE_LEAD else ""
            table.add_row(
                cell(u.username),
                cell(u.name),
                Text(u.role_label),
                Text("yes") if u.active else Text("no", style="bold"),
                cell(u.team or "—"),
                cell(supports),
                _sign_in_cell(u),
                key=u.username,
            )
        if users:
            table.move_cursor(row=min(keep, len(users) - 1))
        teams_table = self.query_one("#teams-table", DataTable)
        keep = teams_table.cursor_row
        teams_table.clear()
        for t in teams:
            s = t.settings
            teams_table.add_row(
                cell(t.name),
                *(Text(str(getattr(s, f))) for f, _h, _l in TEAM_NUMBERS),
                Text("yes" if s.practitioners_see_team_families else "no"),
                key=t.name,
            )
        if teams:
            teams_table.move_cursor(row=min(keep, len(teams) - 1))

    # --- which tab, which row -------------------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        self.query_one("#admin-tabs", TabbedContent).active = tab

    @on(TabbedContent.TabActivated, "#admin-tabs")
    def _activated(self) -> None:
        self.query_one(f"#{self._tab()}-table", DataTable).focus()

    def _tab(self) -> str:
        return self.query_one("#admin-tabs", TabbedContent).active or "users"

    def _chosen(self, tab: str) -> Any:
        table = self.query_one(f"#{tab}-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return (self.users if tab == "users" else self.teams).get(key or "")

    def _user(self) -> Any:
        if self._tab() != "users":
            self.action_tab("users")
            self.notify("Choose a user first.", markup=False)
            return None
        return self._chosen("users")

    def _open(self, form: AdminForm) -> None:
        def closed(changed: bool | None) -> None:
            if changed:
                self.action_refresh()

        self.app.push_screen(form, closed)

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_edit()

    # --- actions ----------------------------------------------------------------------------------

    def _team_options(self) -> list[tuple[str | Text, Any]]:
        return [("— no team —", ""), *((cell(name), name) for name in self.teams)]

    def action_add(self) -> None:
        if self._tab() == "site":
            self.notify("Nothing to add here: e changes the chosen setting.", markup=False)
            return
        if self._tab() == "teams":
            self._add_team()
        else:
            self._add_user()

    def _add_user(self) -> None:
        from domain.services import admin

        ctx = self.ctx

        def submit(v: dict[str, Any]) -> str:
            passphrase = _two_passphrases(v)
            user = admin.create_user(
                ctx,
                v["username"],
                v["full_name"],
                v["role"],
                team_name=v["team"] or None,
                passphrase=passphrase,
                one_time=True,
                reason=v["reason"],
            )
            return f"Added {user.username}: they choose their own passphrase at first sign-in."

        fields = [
            Field("username", "User name", placeholder="e.g. sam.jones"),
            Field("full_name", "Full name"),
            Field("role", "Role", "select", Role.PRACTITIONER.value, ROLE_OPTIONS),
            Field("team", "Team", "select", "", self._team_options()),
            *_passphrase_fields(),
            REASON,
        ]
        self._open(AdminForm("Add a user", fields, submit, save_label="Add"))

    def _add_team(self) -> None:
        from domain.services import admin

        ctx = self.ctx

        def submit(v: dict[str, Any]) -> str:
            team = admin.create_team(ctx, v["name"])
            return f"Added team {team.name} with the standard settings (e to change them)."

        self._open(AdminForm("Add a team", [Field("name", "Team name")], submit, save_label="Add"))

    def action_edit(self) -> None:
        if self._tab() == "teams":
            self._edit_team()
            return
        if self._tab() == "site":
            self._edit_site()
            return
        user = self._chosen("users")
        if user is None:
            return
        from domain.services import admin

        ctx = self.ctx

        def submit(v: dict[str, Any]) -> str:
            admin.update_user(
                ctx,
                user.username,
                full_name=v["full_name"],
                role=v["role"],
                team_name=v["team"] or None,
                reason=v["reason"],
            )
            return f"Saved {user.username}."

        fields = [
            Field("full_name", "Full name", value=user.name),
            Field("role", "Role", "select", user.role.value, ROLE_OPTIONS),
            Field(
                "team", "Team", "select", user.team or "", self._team_options(), errors=("team",)
            ),
            REASON,
        ]
        title = join("Edit ", cell(user.username, "bold"))
        self._open(AdminForm(title, fields, submit))

    def _edit_site(self) -> None:
        from domain.services import admin

        ctx = self.ctx

        def submit(v: dict[str, Any]) -> str:
            size = admin.set_report_min_group(ctx, v["min_group_size"], reason=v["reason"])
            return f"Pseudonymised reports now withhold groups of fewer than {size}."

        fields = [
            Field(
                "min_group_size",
                "Smallest group in pseudonymised reports (3 to 50)",
                value=str(self.min_group),
            ),
            REASON,
        ]
        self._open(AdminForm("Site settings", fields, submit))

    def _edit_team(self) -> None:
        team = self._chosen("teams")
        if team is None:
            return
        from domain.services import admin

        ctx = self.ctx
        s = team.settings

        def submit(v: dict[str, Any]) -> str:
            admin.update_team_settings(
                ctx,
                team.name,
                reason=v["reason"],
                practitioners_see_team_families=v["team_read"] == "yes",
                phone=v["phone"],
                **{f: v[f] for f, _h, _l in TEAM_NUMBERS},
            )
            return f"Saved the settings of {team.name}; the dashboard and caseloads use them now."

        fields = [Field(f, label, value=str(getattr(s, f))) for f, _h, label in TEAM_NUMBERS]
        fields.append(
            Field(
                "team_read",
                "Practitioners read team-mates' families",
                "select",
                "yes" if s.practitioners_see_team_families else "no",
                [("no", "no"), ("yes", "yes")],
            )
        )
        fields.append(
            Field(
                "phone",
                "Team phone (on the family copy)",
                value=s.phone,
                placeholder="e.g. 01632 960 123",
            )
        )
        fields.append(REASON)
        title = join("Settings of ", cell(team.name, "bold"))
        self._open(AdminForm(title, fields, submit))

    def action_passphrase(self) -> None:
        user = self._user()
        if user is None:
            return
        from domain.services import admin

        ctx = self.ctx

        def submit(v: dict[str, Any]) -> str:
            admin.reset_passphrase(ctx, user.username, _two_passphrases(v), reason=v["reason"])
            return f"{user.username} signs in once with it, then chooses their own."

        intro = join(
            cell(user.name),
            " signs in once with this passphrase and must then choose a new one.",
        )
        self._open(
            AdminForm(
                join("Reset the passphrase of ", cell(user.username, "bold")),
                [*_passphrase_fields(), REASON],
                submit,
                intro=intro,
                save_label="Set",
            )
        )

    def action_active(self) -> None:
        user = self._user()
        if user is None:
            return
        from domain.services import admin

        ctx = self.ctx
        if user.active:

            def submit(v: dict[str, Any]) -> str:
                admin.deactivate_user(ctx, user.username, reason=v["reason"])
                return f"Deactivated {user.username}."

            intro = join(
                cell(user.name),
                " will no longer be able to sign in. Their records keep their name.",
            )
            title, label = join("Deactivate ", cell(user.username, "bold")), "Deactivate"
        else:

            def submit(v: dict[str, Any]) -> str:
                admin.reactivate_user(ctx, user.username, reason=v["reason"])
                return f"Reactivated {user.username}."

            intro = join(cell(user.name), " will be able to sign in again.")
            title, label = join("Reactivate ", cell(user.username, "bold")), "Reactivate"
        self._open(AdminForm(title, [REASON], submit, intro=intro, save_label=label))

    def action_unlock(self) -> None:
        user = self._user()
        if user is None:
            return
        if not user.sign_in_locked:
            self.notify(
                f"{user.username} is not locked out: there is nothing to unlock.",
                markup=False,
                severity="warning",
            )
            return
        from domain.services.sign_in import unlock_sign_in

        ctx, name = self.ctx, user.username

        def unlocked(_: bool) -> None:
            self.notify(
                f"Unlocked {name}: they can sign in again with their passphrase.", markup=False
            )
            self.action_refresh()

        run_db(self, lambda: unlock_sign_in(ctx, name), unlocked)

    def action_supports(self) -> None:
        user = self._user()
        if user is None:
            return
        if user.role is not Role.PRACTICE_LEAD:
            self.notify(
                f"{user.name} is not a practice lead: only practice leads support practitioners.",
                markup=False,
                severity="warning",
            )
            return
        from domain.services import admin

        ctx = self.ctx
        before = set(user.supports_usernames)
        options: list[tuple[str | Text, Any]] = [
            (join(cell(u.username), "  ", cell(u.name), f"  ({u.team or 'no team'})"), u.username)
            for u in self.users.values()
            if u.role is Role.PRACTITIONER and (u.active or u.username in before)
        ]

        def submit(v: dict[str, Any]) -> str:
            chosen = set(v["supports"])
            admin.change_supports(
                ctx,
                user.username,
                add=sorted(chosen - before),
                remove=sorted(before - chosen),
                reason=v["reason"],
            )
            return f"{user.username} supports {len(chosen)} practitioner(s)."

        fields = [
            Field(
                "supports",
                "Practitioners (space ticks or unticks)",
                "many",
                sorted(before),
                options,
            ),
            REASON,
        ]
        title = join("Practitioners ", cell(user.username, "bold"), " supports")
        self._open(AdminForm(title, fields, submit))
