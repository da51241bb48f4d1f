"""Tandem at 80×24, the smallest terminal it supports (research/reliability.md §5 U): the cases.

The checks run in tests/tui/test_two_sizes.py, which walks every case below, one app per role.

Each role signs in through the demo picker and opens each of its main screens, tabs, editors
and dialogs by keys. On each: nothing crashes and no error is shown; the widgets a person needs
there are on screen (not scrolled away, not squeezed to a sliver: each has a minimum visible
width and height); and the screen's main keys can be read in full in the footer (not hidden
behind its right edge).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.errors import NoWidget
from textual.geometry import Region
from textual.widgets import Footer

from tests.tui.conftest import sign_in
from tests.tui.test_snapshots import (
    ADMIN,
    LEAD,
    MANAGER,
    PRACTITIONER,
    PROJECT,
    Driver,
    family,
    keys,
    screen_is,
    select_row,
    settle,
    wait_for_report,
    wait_until,
)

SIZE = (80, 24)
SCREEN = Region(0, 0, *SIZE)


@dataclass(frozen=True)
class W:
    """A widget that must be visible: at least ``w`` columns and ``h`` rows of it on screen, and
    (for a field) room for ``text`` characters inside its border and padding."""

    selector: str
    w: int = 6
    h: int = 1
    text: int = 0


DATE = 10  # dd/mm/yyyy


@dataclass(frozen=True)
class Case:
    user: str | None  # None: stay on the sign-in screen
    steps: tuple[Driver, ...]
    screen: str  # the class of the screen on top at the end
    widgets: tuple[W, ...]
    footer: tuple[str, ...] = ()  # descriptions of keys that must be readable in the footer
    demo: bool = True


def case(
    user: str | None,
    *steps: Driver,
    screen: str,
    widgets: tuple[W, ...],
    footer: tuple[str, ...] = (),
    demo: bool = True,
) -> Case:
    return Case(user, steps, screen, widgets, footer, demo)


def wait_for(name: str) -> Driver:
    async def step(pilot) -> None:  # type: ignore[no-untyped-def]
        await wait_until(pilot, lambda: screen_is(pilot, name), name)

    return step


EDITOR_KEYS = ("Save", "Pause/resume clock", "Close")

CASES: dict[str, Case] = {
    # --- signing in ---------------------------------------------------------------------------
    "sign_in_picker": case(
        None,
        screen="SignInScreen",
        widgets=(W("#demo-users", 40, 3),),
        footer=("Quit", "Help"),
    ),
    "sign_in_passphrase": case(
        None,
        screen="SignInScreen",
        widgets=(W("#username", 30), W("#passphrase", 30), W("#sign-in", 8)),
        footer=("Quit",),
        demo=False,
    ),
    # --- practitioner ---------------------------------------------------------------------------
    "caseload": case(
        PRACTITIONER,
        screen="CaseloadScreen",
        widgets=(W("#caseload-search", 30), W("#status-filter", 20), W("#caseload-table", 60, 6)),
        footer=("Open family", "Search", "Sort", "Filter status", "Refresh", "Sign out"),
    ),
    "help": case(
        PRACTITIONER,
        keys("f1"),
        screen="HelpScreen",
        widgets=(W("#help-box", 60, 15),),
    ),
    "family_overview": case(
        PRACTITIONER,
        family("FAM-0101"),
        screen="FamilyScreen",
        widgets=(W("#family-title", 60), W("#family-tabs", 70, 15), W("#overview-due", 60, 4)),
        footer=("Back to caseload",),
    ),
    "family_plan": case(
        PRACTITIONER,
        family("FAM-0101", "2"),
        screen="FamilyScreen",
        widgets=(W("#plan-view", 60, 12),),
        footer=("Edit plan", "Plan history", "Family copy", "Back to caseload"),
    ),
    "plan_editor": case(
        PRACTITIONER,
        family("FAM-0101", "2"),
        keys("e"),
        screen="PlanEditor",
        widgets=(
            W("#clock-bar", 20),
            W("#field-start-date", 10, text=DATE),
            W("#field-family-words", 40, 2),
        ),
        footer=EDITOR_KEYS + ("Add action", "Remove goal/action"),
    ),
    "plan_history": case(
        PRACTITIONER,
        family("FAM-0101", "2"),
        keys("h"),
        screen="PlanHistoryScreen",
        widgets=(W("#history-table", 30, 3), W("#history-diff-scroll", 30, 4)),
    ),
    "plan_family_copy": case(
        PRACTITIONER,
        family("FAM-0101", "2"),
        keys("x"),
        screen="ExportDialog",
        widgets=(W("#field-format", 20), W("#field-directory", 30), W("#export-ok", 10)),
    ),
    "family_mapping": case(
        PRACTITIONER,
        family("FAM-0101", "3"),
        screen="FamilyScreen",
        widgets=(W("#mapping-select", 20), W("#mapping-heading", 40), W("#mapping-columns", 60, 8)),
        footer=("New mapping", "Edit mapping", "Add scaling", "Show/hide chart", "Earlier mapping"),
    ),
    "mapping_editor": case(
        PRACTITIONER,
        family("FAM-0101", "3"),
        keys("e"),
        screen="MappingEditor",
        widgets=(
            W("#clock-bar", 20),
            W("#field-held-on", 10, text=DATE),
            W("#field-participants", 40, 3),
        ),
        footer=EDITOR_KEYS + ("Add danger/goal pair",),
    ),
    "scaling_form": case(
        PRACTITIONER,
        family("FAM-0101", "3"),
        keys("s"),
        screen="ScalingForm",
        widgets=(W("#clock-bar", 20), W("#field-person", 20), W("#field-person-role", 20)),
        footer=EDITOR_KEYS,
    ),
    "family_summaries": case(
        PRACTITIONER,
        family("FAM-0101", "4"),
        screen="FamilyScreen",
        widgets=(W("#summaries-table", 60, 3),),
        footer=("Read summary", "New summary", "Write summary", "Submit for review", "Versions"),
    ),
    "summary_view": case(
        PRACTITIONER,
        family("FAM-0101", "4"),
        keys("enter"),
        screen="SummaryView",
        widgets=(W("#view-title", 40), W("#view-sections", 30, 8)),
    ),
    "summary_editor": case(
        PRACTITIONER,
        family("FAM-0105", "4"),
        select_row("summaries-table", "draft"),
        keys("e"),
        screen="SummaryEditor",
        widgets=(
            W("#clock-bar", 20),
            W("#field-period-start", 11, text=DATE),
            W("#field-period-end", 11, text=DATE),
            W("#field-why-involved", 30, 4),
            W("#period-contacts", 15, 4),
            W("#summary-words", 30),
        ),
        footer=("Save and submit",) + EDITOR_KEYS,
    ),
    "family_contacts": case(
        PRACTITIONER,
        family("FAM-0101", "5"),
        screen="FamilyScreen",
        widgets=(W("#contacts-table", 60, 6),),
        footer=("Log contact", "Correct contact", "Back to caseload"),
    ),
    "contact_form": case(
        PRACTITIONER,
        family("FAM-0101", "5"),
        keys("n"),
        screen="ContactForm",
        widgets=(
            W("#clock-bar", 20),
            W("#field-kind", 20, 3),
            W("#field-minutes", 10),
            W("#field-seen", 30, 2),
            W("#field-present", 30),
            W("#field-note", 30),
            W("#field-on", 14, text=DATE),
            W("#field-start", 9),
            W("#field-travel-minutes", 7),
        ),
        footer=EDITOR_KEYS,
    ),
    "family_meetings": case(
        PRACTITIONER,
        family("FAM-0105", "7"),
        screen="FamilyScreen",
        widgets=(W("#meetings-table", 60, 2),),
        footer=("Record meeting", "Correct meeting", "Back to caseload"),
    ),
    "meeting_form": case(
        PRACTITIONER,
        family("FAM-0105", "7"),
        keys("n"),
        screen="MeetingForm",
        widgets=(
            W("#clock-bar", 20),
            W("#field-held-on", 10, text=DATE),
            W("#field-next-meeting-on", 10, text=DATE),
            W("#field-attendees", 40, 4),
            W("#field-decisions", 40, 3),
        ),
        footer=EDITOR_KEYS,
    ),
    "family_observations": case(
        PRACTITIONER,
        family("FAM-0101", "6"),
        screen="FamilyScreen",
        widgets=(W("#observations-table", 60, 2), W("#observation-detail", 60, 4)),
        footer=("Add recording", "Open recording", "Withdraw a consent", "Read feedback"),
    ),
    "observation_editor": case(
        PRACTITIONER,
        family("FAM-0101", "6"),
        keys("n"),
        screen="AddObservation",
        widgets=(
            W("#clock-bar", 20),
            W("#field-link", 30),
            W("#field-session-date", 10, text=DATE),
        ),
        footer=EDITOR_KEYS,
    ),
    "feedback_view": case(
        PRACTITIONER,
        family("FAM-0101", "6"),
        keys("f"),
        screen="FeedbackView",
        widgets=(W("#fbv-context", 40), W("#feedback-view", 60, 10)),
        footer=("Back", "Reply"),
    ),
    # --- team manager ---------------------------------------------------------------------------
    "manager_queue": case(
        MANAGER,
        screen="ManagerHome",
        widgets=(W("#queue-table", 60, 4),),
        footer=("Review summary", "Search", "Reallocate family", "Refresh", "Recording burden"),
    ),
    "manager_dashboard": case(
        MANAGER,
        keys("2"),
        screen="ManagerHome",
        widgets=(W("#dashboard-view", 60, 15), W("#dash-head", 40)),
        footer=("Open family", "Reallocate family", "Refresh", "Recording burden"),
    ),
    "manager_team_caseload": case(
        MANAGER,
        keys("3"),
        screen="ManagerHome",
        widgets=(W("#team-search", 20), W("#team-practitioner", 20), W("#team-table", 60, 8)),
        footer=("Open family", "Reallocate family", "Refresh", "Recording burden"),
    ),
    "manager_reallocate": case(
        MANAGER,
        keys("3"),
        keys("a"),
        screen="ReallocateDialog",
        widgets=(W("#field-practitioner", 30), W("#reallocate-confirm", 10)),
    ),
    "manager_review": case(
        MANAGER,
        keys("enter"),
        wait_for("ReviewScreen"),
        screen="ReviewScreen",
        widgets=(
            W("#clock-bar", 20),
            W("#review-summary", 30, 4),
            W("#review-context", 30, 4),
            W("#field-comment", 40, 3),
            W("#review-approve", 10),
            W("#review-return", 10),
        ),
        footer=("Return with comment", "Pause/resume clock", "Close", "Approve"),
    ),
    "manager_burden_report": case(
        MANAGER,
        keys("b"),
        wait_for("BurdenReportScreen"),
        wait_for_report,
        screen="BurdenReportScreen",
        widgets=(W("#report-summary", 60, 10),),
        footer=("Run report", "Export CSV", "Filters"),
    ),
    # --- practice lead ----------------------------------------------------------------------------
    "lead_home": case(
        LEAD,
        screen="LeadHome",
        widgets=(W("#queue-table", 60, 3), W("#given-table", 60, 4)),
        footer=("Open recording", "Skill trend", "Refresh", "Sign out"),
    ),
    "lead_feedback_editor": case(
        LEAD,
        select_row("queue-table", "FAM-0104"),
        keys("enter"),
        wait_for("FeedbackEditor"),
        screen="FeedbackEditor",
        # (at 80 columns the group means wrap into a narrow column beside the ratings:
        # cramped, but every figure and word of it can be read)
        widgets=(W("#clock-bar", 20), W("#field-empathy", 4), W("#group-means", 15, 4)),
        footer=EDITOR_KEYS + ("Open recording",),
    ),
    "lead_feedback_given": case(
        LEAD,
        keys("tab", "enter"),
        wait_for("FeedbackView"),
        screen="FeedbackView",
        widgets=(W("#fbv-context", 40), W("#feedback-view", 60, 10)),
        footer=("Back",),
    ),
    "lead_skill_trend": case(
        LEAD,
        keys("t", "enter"),
        wait_for("SkillTrendScreen"),
        screen="SkillTrendScreen",
        widgets=(W("#trend-title", 30), W("#trend-plot", 60, 8)),
        footer=("Back",),
    ),
    # --- project staff: the burden report ---------------------------------------------------------
    "report_summary": case(
        PROJECT,
        wait_for_report,
        screen="BurdenReportScreen",
        widgets=(
            W("#field-start", 10),
            W("#field-end", 10),
            W("#report-team", 15),
            W("#report-message", 12),
            W("#report-summary", 60, 10),
        ),
        footer=("Run report", "Export CSV", "Filters", "Sign out"),
    ),
    "report_weekly": case(
        PROJECT,
        wait_for_report,
        keys("2"),
        screen="BurdenReportScreen",
        widgets=(W("#chart-weekly", 60, 10),),
        footer=("Run report", "Export CSV"),
    ),
    "report_per_practitioner": case(
        PROJECT,
        wait_for_report,
        keys("3"),
        screen="BurdenReportScreen",
        widgets=(W("#chart-ratio", 60, 6), W("#report-people", 60, 3)),
        footer=("Run report", "Export CSV"),
    ),
    "report_compare": case(
        PROJECT,
        wait_for_report,
        keys("4"),
        screen="BurdenReportScreen",
        widgets=(W("#chart-compare", 60, 10),),
        footer=("Run report", "Export CSV"),
    ),
    "report_export": case(
        PROJECT,
        wait_for_report,
        keys("ctrl+s"),
        screen="ExportDialog",
        widgets=(W("#field-path", 40),),
    ),
    # --- administrator ----------------------------------------------------------------------------
    "admin_home": case(
        ADMIN,
        screen="AdminHome",
        widgets=(W("#users-table", 60, 10),),
        footer=("Add", "Edit", "Passphrase", "Active", "Supports", "Unlock", "Sign out"),
    ),
    "admin_add_user": case(
        ADMIN,
        keys("a", expect="AdminForm"),
        screen="AdminForm",
        widgets=(W("#field-username", 30, text=20), W("#form-save", 10)),
    ),
    "admin_team_settings": case(
        ADMIN,
        keys("2"),
        keys("e", expect="AdminForm"),
        screen="AdminForm",
        widgets=(W("#field-visiting_standard_working_days", 20, text=3), W("#form-save", 10)),
    ),
}


# --- what is on screen ----------------------------------------------------------------------------


def on_screen(screen, widget) -> Region:  # type: ignore[no-untyped-def]
    """The part of ``widget`` a person can see: inside its containers and inside the terminal."""
    try:
        geometry = screen.find_widget(widget)
    except NoWidget:
        return Region()
    return geometry.region.intersection(geometry.clip).intersection(SCREEN)


def readable_footer_keys(screen) -> list[str]:  # type: ignore[no-untyped-def]
    """The descriptions of the footer's keys that show in full (not cut by the right edge or
    hidden under the command palette key docked there)."""
    footers = list(screen.query(Footer))
    if not footers:
        return []
    keys_ = list(footers[0].query("FooterKey"))  # .description, .action
    palette = [k for k in keys_ if k.has_class("-command-palette")]
    limit = min((on_screen(screen, k).x for k in palette if on_screen(screen, k)), default=SIZE[0])
    readable = []
    for key in keys_:
        seen = on_screen(screen, key)
        # (the last cell of a key is padding: a key cut just there still reads in full)
        if seen.width >= key.region.width - 1 and seen.width > 0 and seen.right <= limit:
            # (a long description may show in shorter words: the binding's own is compared)
            readable.append(getattr(key, "full_description", key.description))
    return readable


async def drive(pilot, spec: Case) -> None:  # type: ignore[no-untyped-def]
    if spec.user is None:
        selector = "#demo-users" if spec.demo else "#username"
        await wait_until(pilot, lambda: bool(pilot.app.screen.query(selector)), "sign-in")
    else:
        await sign_in(pilot, spec.user)
        await settle(pilot)
    for step in spec.steps:
        await step(pilot)
    await wait_until(pilot, lambda: screen_is(pilot, spec.screen), spec.screen)
    # and its lists loaded: no visible "Loading…" line left (a snapshot taken before the review
    # queue had loaded showed its headings only).
    await wait_until(pilot, lambda: not still_loading(pilot.app.screen), f"{spec.screen} loaded")
    await settle(pilot)


def still_loading(screen) -> bool:  # type: ignore[no-untyped-def]
    from textual.widgets import Static

    for widget in screen.query(Static):
        if widget.display and widget.region.area and str(widget.render()).startswith("Loading"):
            return True
    return False


def problems_of(app, spec: Case) -> list[str]:  # type: ignore[no-untyped-def]
    screen = app.screen
    problems = []
    for want in spec.widgets:
        found = list(screen.query(want.selector))
        if not found:
            problems.append(f"{want.selector} is missing")
            continue
        seen = on_screen(screen, found[0])
        if seen.width < want.w or seen.height < want.h:
            problems.append(
                f"{want.selector} shows {seen.width}×{seen.height}, needs {want.w}×{want.h}"
            )
        inside = found[0].content_region.width
        if inside < want.text:
            problems.append(f"{want.selector} has room for {inside} characters, needs {want.text}")
    readable = readable_footer_keys(screen)
    for description in spec.footer:
        if description not in readable:
            problems.append(f"footer: {description!r} is not readable (readable: {readable})")
    return problems
