"""Plain-language changes (domain/diff.py): per field, goal, action and summary section, with the
changed words marked, never a developer's unified diff."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from domain.diff import (
    Change,
    Mark,
    PartChange,
    changes_since_returned,
    plan_changes,
    summary_changes,
    word_diff,
)
from domain.plans import ActionStatus, PlanAction, PlanContent, PlanGoal
from domain.summaries import SummaryEvent, SummarySection, SummaryStatus, SummaryVersion

LONG = (
    "Mum will take Sam to school every day. She will ring the school if he is ill. The family "
    "support worker will visit on Tuesdays and Thursdays to help with the morning routine."
)


def test_one_changed_sentence_in_a_paragraph_shows_only_the_new_words_and_a_little_context():
    after = LONG.replace("ring the school if", "ring the school by 9am if")
    runs = word_diff(LONG, after)
    assert [(r.mark, r.text) for r in runs] == [
        (Mark.SAME, "… day. She will ring the school"),
        (Mark.ADDED, " by 9am"),
        (Mark.SAME, " if he is ill. The family …"),
    ]
    assert [r.text for r in word_diff("on track", "done")] == ["on track", "done"]
    assert [r.mark for r in word_diff("on track", "done")] == [Mark.REMOVED, Mark.ADDED]
    assert "".join(r.text for r in word_diff(LONG, after, shorten=False)) == after
    # A rewrite is shown as one text out and one in, not chopped up at a shared "I".
    rewrite = word_diff("I went to the park with Dad.", "Josh said: I want to be normal.")
    assert [(r.mark, r.text) for r in rewrite] == [
        (Mark.REMOVED, "I went to the park with Dad."),
        (Mark.ADDED, "Josh said: I want to be normal."),
    ]


def plan(**kw) -> PlanContent:  # type: ignore[no-untyped-def]
    base = PlanContent(
        start_date=date(2025, 1, 6),
        review_date=date(2025, 4, 6),
        family_words="We want Sam back at school.",
        goals=(
            PlanGoal(
                "Sam goes to school every day.",
                actions=(
                    PlanAction("Walk Sam to school", "Mum", date(2025, 2, 1)),
                    PlanAction("Check attendance weekly", "School"),
                ),
            ),
            PlanGoal("The house is warm and safe.", child_ids=(7,)),
        ),
    )
    return replace(base, **kw)


def test_plan_changes_name_each_goal_action_and_field():
    before = plan()
    goals = list(before.goals)
    first = goals[0]
    goals[0] = replace(
        first,
        actions=(
            replace(first.actions[0], who="Mum and Dad", status=ActionStatus.DONE),
            first.actions[1],
            PlanAction("Meet the teacher", "Social worker", date(2025, 3, 1)),
        ),
    )
    goals.insert(1, PlanGoal("Mum gets help with her mood."))
    after = replace(before, goals=tuple(goals), review_date=date(2025, 3, 31))
    changes = plan_changes(before, after, child_names={7: "Sam Reid"})
    assert [c.sentence() for c in changes] == [
        'Review date changed from "6 Apr 2025" to "31 Mar 2025"',
        'Goal 1 · action 1 · who changed from "Mum" to "Mum and Dad"',
        'Goal 1 · action 1 · status changed from "Not started" to "Done"',
        'Goal 1 · action 3 added: "Meet the teacher (Social worker, by 1 Mar 2025; not started)"',
        'Goal 2 added: "Mum gets help with her mood. (for all the children)"',
    ]
    assert plan_changes(before, before) == []


def test_a_removed_goal_and_a_reworded_one_are_told_apart():
    before = plan()
    after = replace(before, goals=(replace(before.goals[0], text="Sam goes to school most days."),))
    changes = plan_changes(before, after, child_names={7: "Sam Reid"})
    assert [(c.where, c.change) for c in changes] == [
        ("Goal 1", Change.CHANGED),
        ("Goal 2", Change.REMOVED),
    ]
    assert [(w.mark, w.text) for w in changes[0].words] == [
        (Mark.SAME, "Sam goes to school "),
        (Mark.REMOVED, "every day."),
        (Mark.ADDED, "most days."),
    ]
    assert "for Sam Reid" in changes[1].before


def _version(number: int, event: SummaryEvent, **sections: str) -> SummaryVersion:
    return SummaryVersion(
        number,
        event,
        SummaryStatus.DRAFT,
        {SummarySection(k): v for k, v in sections.items()},
        date(2025, 1, 1),
        date(2025, 1, 31),
        1,
        datetime(2025, 2, number, 9, 0),
    )


def test_summary_changes_per_section_and_since_it_was_returned():
    versions = [
        _version(1, SummaryEvent.SAVED, analysis="Risk is lower."),
        _version(2, SummaryEvent.SUBMITTED, analysis="Risk is lower."),
        _version(3, SummaryEvent.RETURNED, analysis="Risk is lower."),
        _version(4, SummaryEvent.SAVED, analysis="Risk is lower now.", children_voice="Sam: ok."),
        _version(
            5, SummaryEvent.RESUBMITTED, analysis="Risk is lower now.", children_voice="Sam: ok."
        ),
    ]
    found = changes_since_returned(versions)
    assert found is not None
    returned, changes = found
    assert returned.number == 3
    assert [c.sentence() for c in changes] == [
        'Each child\'s voice and lived experience added: "Sam: ok."',
        'Analysis changed from "Risk is lower." to "Risk is lower now."',
    ]
    assert changes_since_returned(versions[:3]) is None  # not written again since
    assert changes_since_returned(versions[:2]) is None  # never returned
    assert summary_changes({}, {}) == []
    assert PartChange("Analysis", Change.REMOVED, "Old.").sentence() == (
        'Analysis removed (was "Old.")'
    )


def test_a_20000_word_text_is_compared_paragraph_by_paragraph_then_word_by_word():
    paragraphs = [f"Paragraph {n} says the visit went well and Sam was seen." for n in range(2000)]
    before = "\n\n".join(paragraphs)
    after = before.replace("Paragraph 1500 says the visit", "Paragraph 1500 says the home visit")
    runs = word_diff(before, after)
    assert [r.mark for r in runs] == [Mark.SAME, Mark.ADDED, Mark.SAME]
    assert runs[1].text == " home"
    assert runs[0].text.endswith("Paragraph 1500 says the") and runs[0].text.startswith("…")
    one_sentence_changed = word_diff(
        " ".join(paragraphs), " ".join(paragraphs).replace("1999", "x")
    )
    assert [(r.mark, r.text) for r in one_sentence_changed][1:3] == [
        (Mark.REMOVED, "1999"),
        (Mark.ADDED, "x"),
    ]
