"""The family plan services (domain.services.plans) with the diff (domain.diff) and the family copy
export (domain.export)."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest

from domain import diff, export
from domain.audit import AuditAction
from domain.errors import AccessDenied, Conflict, NotFound, ValidationError
from domain.mapping import DangerPair, DangerStatement, MappingContent, SafetyGoal
from domain.plans import ActionStatus, PlanAction, PlanContent, PlanGoal, ReviewRules
from domain.services import mappings as mapping_svc
from domain.services import plans as svc


def content(world, **changes) -> PlanContent:
    base = PlanContent(
        start_date=date(2025, 3, 3),
        review_date=date(2025, 6, 10),
        family_words="We want the children home from school on time\nand no more shouting.",
        goals=(
            PlanGoal(
                text="Amy and Ben get to school every day",
                child_ids=(world.amy.id, world.ben.id),
                actions=(
                    PlanAction("Set up a morning routine chart", "Dana", date(2025, 3, 20)),
                    PlanAction(
                        "Ask school about breakfast club",
                        "Alex (social worker)",
                        date(2025, 3, 14),
                        ActionStatus.ON_TRACK,
                    ),
                ),
            ),
            PlanGoal(text="Everyone feels safe at home in the evenings"),
        ),
        contingency="If the children miss school again we will meet with the school and Gran.",
        agreed_on=date(2025, 3, 3),
        agreed_with="Dana, Amy and Gran",
    )
    return dataclasses.replace(base, **changes)


def pair(key="k1") -> DangerPair:
    return DangerPair(
        DangerStatement(
            "Alex and the school",
            "Amy is left to look after Ben in the evenings",
            "Ben could be hurt while nobody is watching",
        ),
        SafetyGoal(
            "Dana will arrange for an adult to be home every evening",
            "Amy will have time to be a child",
            "an adult at home at every unannounced visit",
            "3 months",
        ),
        key=key,
    )


# --- get and save ------------------------------------------------------------------------------


def test_a_family_without_a_plan(world):
    assert svc.get_plan(world.ctx(world.practitioner), world.family.id) is None
    [event] = world.events(AuditAction.VIEW, family_id=world.family.id)
    assert event.entity == "plan" and event.detail == "no plan yet"


def test_saving_creates_revisions_and_is_audited(world):
    ctx = world.ctx(world.practitioner)
    first = svc.save_plan(ctx, world.family.id, content(world), None)
    assert first.revision == 1 and first.updated_by == world.practitioner.id
    world.clock.advance(hours=1)
    second = svc.save_plan(
        ctx, world.family.id, content(world, contingency="Call a family meeting."), 1
    )
    assert second.revision == 2 and second.id == first.id
    current = svc.get_plan(ctx, world.family.id)
    assert current.current.contingency == "Call a family meeting."
    revisions = svc.plan_revisions(ctx, world.family.id)
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].content == content(world)  # history is immutable
    assert revisions[1].saved_at.hour == 10
    actions = [e.action for e in world.events(family_id=world.family.id, entity="plan")]
    assert actions[:2] == [AuditAction.CREATE, AuditAction.UPDATE]


def test_a_stale_save_is_refused_naming_who_saved_and_when(world):
    svc.save_plan(world.ctx(world.practitioner), world.family.id, content(world), None)
    world.clock.advance(minutes=45)
    svc.save_plan(world.ctx(world.manager), world.family.id, content(world, agreed_with="Dana"), 1)
    with pytest.raises(Conflict) as err:
        svc.save_plan(
            world.ctx(world.practitioner),
            world.family.id,
            content(world, contingency="Mine"),
            1,
        )
    assert "Mo Manager saved this plan at 10:15 on 10 March 2025 (revision 2)" in str(err.value)
    assert "nothing was overwritten" in str(err.value)
    assert err.value.current_revision == 2
    assert len(world.store.plan_revisions[world.family.id]) == 2
    assert world.store.plans[world.family.id].current.agreed_with == "Dana"


def test_a_stale_edit_merges_field_by_field_and_goal_by_goal(world):
    from domain.merge import Choice, resolve
    from domain.plans import combine_parts, plan_from_parts

    prac, manager = world.ctx(world.practitioner), world.ctx(world.manager)
    svc.save_plan(prac, world.family.id, content(world), None)
    svc.save_plan(manager, world.family.id, content(world, agreed_with="Dana"), 1)
    mine = content(world, contingency="Mine")
    result = svc.merge_plan(prac, world.family.id, 1, mine)
    assert result.merge.clean and result.current_revision == 2
    assert result.their_names == ("Mo Manager",)
    merged = plan_from_parts(result.merge.merged)
    assert (merged.agreed_with, merged.contingency) == ("Dana", "Mine")
    svc.save_plan(prac, world.family.id, merged, 2, merged_with=2)
    plan = world.store.plans[world.family.id]
    assert (plan.current.agreed_with, plan.current.contingency, plan.revision) == (
        "Dana",
        "Mine",
        3,
    )
    last = world.events(family_id=world.family.id, entity="plan")[-1]
    assert "merged with revision 2 by Mo Manager" in last.detail

    # Both change goal 2: a clash; keeping both keeps both goals; a date clash has no "both".
    goals = plan.current.goals
    theirs = dataclasses.replace(goals[1], text="Evenings are calm")
    svc.save_plan(manager, world.family.id, content(world, goals=(goals[0], theirs), agreed_with="Dana", contingency="Mine", review_date=date(2025, 6, 1)), 3)  # fmt: skip
    mine_goal = dataclasses.replace(goals[1], text="Nobody shouts in the evenings")
    mine = content(world, goals=(goals[0], mine_goal), agreed_with="Dana", contingency="Mine", review_date=date(2025, 6, 2))  # fmt: skip
    result = svc.merge_plan(prac, world.family.id, 3, mine)
    assert {c.key for c in result.merge.clashes} == {"goal 2", "review_date"}
    assert "review_date" in result.merge.single
    parts = resolve(
        result.merge, {"goal 2": Choice.BOTH, "review_date": Choice.THEIRS}, combine_parts
    )
    kept = plan_from_parts(parts)
    assert [g.text for g in kept.goals][1:] == [
        "Evenings are calm",
        "Nobody shouts in the evenings",
    ]
    assert kept.review_date == date(2025, 6, 1)


def test_a_new_plan_conflicts_with_one_saved_meanwhile(world):
    svc.save_plan(world.ctx(world.manager), world.family.id, content(world), None)
    with pytest.raises(Conflict, match="Mo Manager saved this plan"):
        svc.save_plan(world.ctx(world.practitioner), world.family.id, content(world), None)


def test_a_base_revision_without_any_plan_conflicts(world):
    with pytest.raises(Conflict, match="no saved plan"):
        svc.save_plan(world.ctx(world.practitioner), world.family.id, content(world), 3)
    assert world.family.id not in world.store.plans


def test_saving_unchanged_content_adds_no_revision(world):
    ctx = world.ctx(world.practitioner)
    svc.save_plan(ctx, world.family.id, content(world), None)
    again = svc.save_plan(ctx, world.family.id, content(world), 1)
    assert again.revision == 1
    assert len(world.store.plan_revisions[world.family.id]) == 1


def test_goals_may_name_only_the_familys_children(world):
    ctx = world.ctx(world.practitioner)
    for wrong in (world.dana.id, world.other_family.members[1].id):
        bad = content(world, goals=(PlanGoal("Go to school", child_ids=(wrong,)),))
        with pytest.raises(ValidationError) as err:
            svc.save_plan(ctx, world.family.id, bad, None)
        assert err.value.field == "goal.child_ids" and "Goal 1" in str(err.value)
    assert world.family.id not in world.store.plans


def test_a_goal_links_only_a_danger_statement_of_the_family(world):
    ctx = world.ctx(world.practitioner)
    linked = content(world, goals=(PlanGoal("Evenings are safe", danger_key="k1"),))
    with pytest.raises(ValidationError) as err:
        svc.save_plan(ctx, world.family.id, linked, None)
    assert err.value.field == "goal.danger_key"
    # the same key in another family's mapping does not count
    mapping_svc.save_mapping(
        world.ctx(world.other_practitioner),
        world.other_family.id,
        None,
        MappingContent(held_on=date(2025, 3, 1), pairs=(pair("k1"),)),
        None,
    )
    with pytest.raises(ValidationError):
        svc.save_plan(ctx, world.family.id, linked, None)
    mapping_svc.save_mapping(
        ctx,
        world.family.id,
        None,
        MappingContent(held_on=date(2025, 3, 1), pairs=(pair("k1"),)),
        None,
    )
    assert svc.save_plan(ctx, world.family.id, linked, None).revision == 1


# --- access ------------------------------------------------------------------------------------

ACCESS = [
    # role, may read, may change
    ("practitioner", True, True),
    ("teammate", False, False),
    ("other_practitioner", False, False),
    ("manager", True, True),
    ("other_manager", False, False),
    ("lead", False, False),
    ("staff", False, False),
    ("admin", False, False),
]


@pytest.mark.parametrize("role,may_read,may_change", ACCESS)
def test_plan_access_by_role(world, role, may_read, may_change):
    svc.save_plan(world.ctx(world.practitioner), world.family.id, content(world), None)
    user = getattr(world, role)
    ctx = world.ctx(user)
    calls = {
        "read": [
            lambda: svc.get_plan(ctx, world.family.id),
            lambda: svc.plan_revisions(ctx, world.family.id),
            lambda: svc.plan_history(ctx, world.family.id),
            lambda: svc.diff_revisions(ctx, world.family.id, 1, 1),
            lambda: svc.suggest_review_date(ctx, world.family.id, date(2025, 3, 3)),
        ],
        "change": [
            lambda: svc.save_plan(ctx, world.family.id, content(world, contingency="x"), 1),
            lambda: svc.export_family_copy(ctx, world.family.id, "markdown"),
        ],
    }
    for kind, allowed in (("read", may_read), ("change", may_change)):
        for call in calls[kind]:
            if allowed:
                call()
            else:
                with pytest.raises(AccessDenied):
                    call()
    denied = world.events(AuditAction.DENIED, user=user)
    expected = (0 if may_read else 5) + (0 if may_change else 2)
    assert len(denied) == expected
    assert all(e.family_id == world.family.id for e in denied)


def test_a_team_mate_with_team_policy_reads_but_does_not_change(world):
    svc.save_plan(world.ctx(world.practitioner), world.family.id, content(world), None)
    world.let_team_read(True)
    ctx = world.ctx(world.teammate)
    assert svc.get_plan(ctx, world.family.id).revision == 1
    with pytest.raises(AccessDenied, match="change"):
        svc.save_plan(ctx, world.family.id, content(world, contingency="x"), 1)
    with pytest.raises(AccessDenied):
        svc.export_family_copy(ctx, world.family.id, "html")
    assert world.store.plans[world.family.id].revision == 1


# --- history, diff, review date ----------------------------------------------------------------


def test_history_names_who_saved_each_revision(world):
    svc.save_plan(world.ctx(world.practitioner), world.family.id, content(world), None)
    world.clock.advance(days=1)
    svc.save_plan(world.ctx(world.manager), world.family.id, content(world, agreed_with="Dana"), 1)
    history = svc.plan_history(world.ctx(world.practitioner), world.family.id)
    assert [(h.number, h.author_name, h.saved_at.day) for h in history] == [
        (1, "Alex Practitioner", 10),
        (2, "Mo Manager", 11),
    ]


def test_diff_shows_what_changed_in_readable_lines(world):
    ctx = world.ctx(world.practitioner)
    svc.save_plan(ctx, world.family.id, content(world), None)
    changed = content(world)
    goal = changed.goals[0]
    action = dataclasses.replace(goal.actions[0], status=ActionStatus.DONE)
    changed = dataclasses.replace(
        changed,
        goals=(dataclasses.replace(goal, actions=(action, goal.actions[1])), changed.goals[1]),
        contingency="Call a family meeting.",
    )
    svc.save_plan(ctx, world.family.id, changed, 1)
    lines = svc.diff_revisions(ctx, world.family.id, 1, 2)
    assert lines[0].startswith("--- revision 1 (saved 2025-03-10 09:30 by Alex Practitioner)")
    assert lines[1].startswith("+++ revision 2")
    assert "-        Status: Not started" in lines
    assert "+        Status: Done" in lines
    assert "+If the plan isn't working: Call a family meeting." in lines
    assert "     Action 1.1: Set up a morning routine chart" in lines  # context line
    assert svc.diff_revisions(ctx, world.family.id, 2, 2) == []
    assert world.events(AuditAction.VIEW, entity="plan")[-1].detail == "diff 2..2"


def test_diff_of_a_missing_revision(world):
    ctx = world.ctx(world.practitioner)
    with pytest.raises(NotFound, match="no saved plan"):
        svc.diff_revisions(ctx, world.family.id, 1, 2)
    svc.save_plan(ctx, world.family.id, content(world), None)
    with pytest.raises(
        NotFound, match=r"Revision 4 of the plan does not exist \(the latest is 1\)"
    ):
        svc.diff_revisions(ctx, world.family.id, 1, 4)


def test_suggested_review_date_follows_each_childs_clock(world):
    ctx = world.ctx(world.practitioner)
    # Amy: child protection since 15 Jan -> first review 15 Apr; Ben: child in need -> +3 months.
    assert svc.suggest_review_date(ctx, world.family.id, date(2025, 3, 3)) == date(2025, 4, 15)
    rules = ReviewRules(cp_first_review_months=6, cin_review_months=1)
    assert svc.suggest_review_date(ctx, world.family.id, date(2025, 3, 3), rules) == date(
        2025, 4, 3
    )
    assert world.events(AuditAction.VIEW, family_id=world.family.id)


def test_no_review_date_without_a_status(world):
    ctx = world.ctx(world.other_manager)
    assert svc.suggest_review_date(ctx, world.other_family.id, date(2025, 3, 3)) is None


# --- plain text rendering (domain.diff) -----------------------------------------------------------


def test_plan_lines_use_names_and_indent_long_text(world):
    names = {world.amy.id: "Amy Reid", world.ben.id: "Ben Reid"}
    c = content(
        world,
        goals=(
            PlanGoal("Evenings are safe", child_ids=(world.amy.id,), danger_key="k1"),
            PlanGoal("Everyone sleeps well"),
        ),
    )
    lines = diff.plan_lines(c, child_names=names, danger_texts={"k1": "Ben could be hurt"})
    assert lines[:5] == [
        "Plan starts: 2025-03-03",
        "Review date: 2025-06-10",
        "What the family wants:",
        "    We want the children home from school on time",
        "    and no more shouting.",
    ]
    assert "    For: Amy Reid" in lines
    assert "    Linked danger statement: Ben could be hurt" in lines
    assert "    For: all the children" in lines
    assert "Agreed with: Dana, Amy and Gran" in lines


def test_empty_sections_read_as_none():
    c = PlanContent(start_date=date(2025, 1, 1), review_date=date(2025, 4, 1))
    lines = diff.plan_lines(c)
    assert "Goals: (none)" in lines
    assert "What the family wants: (none)" in lines
    assert "Agreed with the family on: (not yet)" in lines


def test_unified_of_identical_renderings_is_empty():
    assert diff.unified(["a", "b"], ["a", "b"], "x", "y") == []
    assert diff.unified(["a"], ["b"], "x", "y") == ["--- x", "+++ y", "@@ -1 +1 @@", "-a", "+b"]


# --- family copy (domain.export and the service) ---------------------------------------------------


def test_family_copy_in_markdown_is_plain_language(world):
    ctx = world.ctx(world.practitioner)
    mapping_svc.save_mapping(
        ctx, world.family.id, None, MappingContent(date(2025, 3, 1), pairs=(pair("k1"),)), None
    )
    goals = content(world).goals + (PlanGoal("Evenings are safe", danger_key="k1"),)
    svc.save_plan(ctx, world.family.id, content(world, goals=goals), None)
    text = svc.export_family_copy(ctx, world.family.id, "markdown")
    assert text.startswith("# Our plan together: Reid family\n")
    for expected in (
        "## What you want for your family",
        "We want the children home from school on time  \nand no more shouting.",
        "### Goal 1: Amy and Ben get to school every day",
        "This goal is for Amy Reid and Ben Reid.",
        "- Set up a morning routine chart\n  - Who: Dana\n  - By when: 20 March 2025\n"
        "  - How it is going: Not started yet",
        "  - How it is going: Going to plan",
        "This goal is for all the children.",
        "What we are worried about: Alex and the school are worried that Amy is left",
        "## If the plan is not working",
        "If the children miss school again",
        "We will look at this plan together again by 10 June 2025.",
        "Agreed on 3 March 2025 with Dana, Amy and Gran.",
        "Amy Reid: Child Protection Plan. Professionals are worried",
        "Ben Reid: Child in Need.",
        "made on 10 March 2025 (our reference: FAM-0001)",
    ):
        assert expected in text, expected
    # no internal codes or categories
    for jargon in ("CIN", "CP ", "CLA", "child_protection", "neglect", "not_started", "k1"):
        assert jargon not in text, jargon
    assert str(world.amy.id) not in re.sub(r"\d{4}|\d{1,2} \w+ \d{4}", "", text)
    [event] = world.events(AuditAction.EXPORT)
    assert event.family_id == world.family.id and "markdown" in event.detail


def test_family_copy_says_how_to_contact_the_worker(world):
    ctx = world.ctx(world.practitioner)
    svc.save_plan(ctx, world.family.id, content(world), None)
    world.store.teams[world.team.id].settings.phone = "01632 960 123"
    text = svc.export_family_copy(ctx, world.family.id, "markdown")
    assert "## How to contact us" in text
    assert "Your worker is Alex Practitioner, North." in text
    assert "Phone: 01632 960 123" in text
    page, worker = svc.family_copy_with_contact(ctx, world.family.id, "html")
    assert worker == export.WorkerContact("Alex Practitioner", "North", "01632 960 123")
    assert "<h2>How to contact us</h2>" in page and "01632 960 123" in page
    # No phone set: the copy says to ask, and the screen is told (worker.phone is "").
    world.store.teams[world.team.id].settings.phone = ""
    text, worker = svc.family_copy_with_contact(ctx, world.family.id, "markdown")
    assert worker.phone == "" and "Ask your worker for the team's phone number" in text


def test_a_family_copy_never_takes_a_name_already_used():
    taken = {"FAM-1-family-plan.md", "FAM-1-family-plan (2).md"}
    assert export.free_name("FAM-1-family-plan.md", taken.__contains__) == (
        "FAM-1-family-plan (3).md"
    )
    assert export.free_name("FAM-1-family-plan.html", taken.__contains__) == (
        "FAM-1-family-plan.html"
    )
    assert export.free_name("notes", {"notes"}.__contains__) == "notes (2)"


def test_family_copy_in_html_escapes_all_user_text(world):
    ctx = world.ctx(world.manager)
    nasty = '<script>alert("x")</script> & <b>bold</b>'
    c = content(
        world,
        family_words=nasty,
        goals=(PlanGoal(f"Goal {nasty}", actions=(PlanAction(nasty, "Dad & <i>Gran</i>"),)),),
        agreed_with="Mum's <friend>",
    )
    svc.save_plan(ctx, world.family.id, c, None)
    page = svc.export_family_copy(ctx, world.family.id, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page and "<b>bold" not in page and "<i>Gran" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "Dad &amp; &lt;i&gt;Gran&lt;/i&gt;" in page
    assert "Mum&#x27;s &lt;friend&gt;" in page
    assert "<title>Our plan together: Reid family</title>" in page
    assert [e.detail for e in world.events(AuditAction.EXPORT)] == ["family copy, html, revision 1"]


def test_markdown_makes_user_text_literal(world):
    ctx = world.ctx(world.practitioner)
    words = "# not a heading\n- not a list\n1. not numbered\n*not bold* [not](a link) &amp;\n---"
    svc.save_plan(ctx, world.family.id, content(world, family_words=words), None)
    text = svc.export_family_copy(ctx, world.family.id, "markdown")
    assert (
        "\\# not a heading  \n\\- not a list  \n1\\. not numbered  \n"
        "\\*not bold\\* \\[not\\](a link) \\&amp;  \n\\---"
    ) in text


def test_export_needs_a_plan_and_a_known_format(world):
    ctx = world.ctx(world.practitioner)
    with pytest.raises(NotFound, match="FAM-0001 has no plan yet"):
        svc.export_family_copy(ctx, world.family.id, "markdown")
    with pytest.raises(ValidationError) as err:
        svc.export_family_copy(ctx, world.family.id, "pdf")
    assert err.value.field == "format"
    assert not world.events(AuditAction.EXPORT)


def test_family_copy_without_status_goals_or_agreement(world):
    family = world.other_family
    c = PlanContent(start_date=date(2025, 3, 1), review_date=date(2025, 6, 1))
    text = export.family_copy(family, c, "markdown", made_on=date(2025, 3, 10))
    assert "We are working together on the goals below." in text
    assert "This plan has not been agreed with the family yet." in text
    assert text.count(export.NOT_WRITTEN) == 3  # family words, goals, contingency


@pytest.mark.parametrize(
    "day,expected", [(date(2025, 1, 1), "1 January 2025"), (date(2024, 12, 31), "31 December 2024")]
)
def test_plain_dates(day, expected):
    assert export.plain_date(day) == expected


def test_join_names():
    assert export.join_names([]) == ""
    assert export.join_names(["Amy"]) == "Amy"
    assert export.join_names(["Amy", "Ben", "Cal"]) == "Amy, Ben and Cal"
