"""The one definition of a family's scaling (domain/scaling.py), and the caseload, the family
overview, the team dashboard and the summary's scaling text agreeing on the same records."""

from __future__ import annotations

from datetime import date

from domain.mapping import ScalingRating
from domain.scaling import ScaledScore, family_scaling, summary_text
from domain.services.caseload import caseload, family_overview
from domain.services.dashboard import team_dashboard
from domain.services.mappings import family_scaling_of, scaling_summary_text
from domain.summaries import SummarySection


def s(person: str, day: int, score: int, order: int) -> ScaledScore:
    return ScaledScore(person, date(2025, 3, day), score, order)


def test_nobody_scaled_has_no_figure_and_no_trend():
    scaling = family_scaling([])
    assert (scaling.figure, scaling.trend, scaling.fallen, scaling.latest_on) == (None, 0, (), None)
    assert scaling.figure_text() == "—"


def test_the_figure_is_the_mean_of_each_persons_latest_score():
    scaling = family_scaling([s("Mum", 1, 4, 1), s("Dad", 1, 6, 2), s("Mum", 5, 3, 3)])
    assert [(p.person, p.latest, p.previous) for p in scaling.people] == [
        ("Mum", 3, 4),
        ("Dad", 6, None),
    ]
    assert scaling.figure == 4.5  # (3 + 6) / 2: Dad keeps his score
    assert scaling.figure_text() == "4.5/10"
    assert scaling.latest_on == date(2025, 3, 5)


def test_a_fall_is_someone_below_their_own_previous_score_whoever_rose():
    scaling = family_scaling(
        [s("Mum", 1, 4, 1), s("SW", 1, 7, 2), s("Mum", 5, 6, 3), s("SW", 5, 5, 4)]
    )
    assert scaling.trend == -1
    assert [p.describe() for p in scaling.fallen] == ["SW 7→5"]
    assert scaling.fall == 2
    rose = family_scaling([s("Mum", 1, 4, 1), s("Mum", 2, 6, 2), s("SW", 2, 1, 3)])
    assert (rose.trend, rose.fallen) == (1, ())
    level = family_scaling([s("Mum", 1, 4, 1), s("Mum", 2, 4, 2)])
    assert level.trend == 0


def test_one_person_scaling_low_for_the_first_time_is_not_a_fall():
    scaling = family_scaling([s("SW", 1, 8, 1), s("Mum", 9, 2, 2)])
    assert (scaling.trend, scaling.figure) == (0, 5.0)


def test_names_in_other_case_or_spacing_are_one_person_and_same_day_goes_by_id():
    scaling = family_scaling(
        [s("dana  REID", 1, 5, 1), s("Dana Reid", 1, 3, 2), s("Dana Reid ", 1, 4, 0)]
    )
    (dana,) = scaling.people
    assert (dana.person, dana.previous, dana.latest) == ("Dana Reid", 5, 3)  # as first written


def _rate(world, family, on: date, person: str, score: int, danger_key=None) -> None:
    with world.uow() as uow:
        uow.mappings.add_rating(
            ScalingRating(
                family_id=family.id,
                rated_on=on,
                person=person,
                person_role="",
                score=score,
                reason="Because.",
                danger_key=danger_key,
            )
        )
        uow.commit()


def test_caseload_overview_dashboard_and_mapping_agree(world, ctx_of):
    f = world.family
    _rate(world, f, date(2025, 2, 1), "Dana Reid", 4)
    _rate(world, f, date(2025, 2, 1), "Social worker", 2)
    _rate(world, f, date(2025, 2, 20), "Dana Reid", 3)  # Dana alone rescales, lower
    _rate(world, f, date(2025, 3, 1), "Dana Reid", 0, danger_key="d1")  # another scale
    manager, practitioner = ctx_of("manager"), ctx_of("practitioner")

    row = next(r for r in caseload(practitioner) if r.family_id == f.id)
    _, overview = family_overview(practitioner, f.id)
    team_row = next(r for r in caseload(manager) if r.family_id == f.id)
    (fall,) = team_dashboard(manager).scaling_falls
    scaling = family_scaling_of(practitioner, f.id)

    assert (row.latest_scaling, row.scaling_trend) == (2.5, -1)  # (3 + 2) / 2, Dana fell
    assert (overview.latest_scaling, overview.scaling_trend) == (2.5, -1)
    assert (team_row.latest_scaling, team_row.scaling_trend) == (2.5, -1)
    assert fall.scaling == row.scaling == scaling
    assert [p.describe() for p in fall.scaling.fallen] == ["Dana Reid 4→3"]


def test_the_summary_text_gives_each_persons_score_date_previous_and_reason():
    def rating(person, role, day, score, reason, id_, danger_key=None):  # type: ignore[no-untyped-def]
        return ScalingRating(
            family_id=1,
            rated_on=date(2025, 2, day),
            person=person,
            person_role=role,
            score=score,
            reason=reason,
            id=id_,
            danger_key=danger_key,
        )

    text = summary_text(
        [
            rating("Dana Reid", "Mum", 1, 4, "Rent arrears.", 1),
            rating("Sam Jones", "", 1, 2, "Bruise seen.", 2),
            rating("Dana Reid", "Mum", 20, 3, "Lost her job.", 3),
            rating("Dana Reid", "Mum", 21, 0, "About the dog.", 4, danger_key="d1"),
        ]
    )
    assert text.splitlines() == [
        "Family scaling 2.5/10 on 20 Feb 2025 (the mean of each person's latest score; falling).",
        "- Dana Reid (Mum): 3/10 on 20 Feb 2025, was 4 on 1 Feb 2025. Why: Lost her job.",
        "- Sam Jones: 2/10 on 1 Feb 2025. Why: Bruise seen.",
        "0 = The children cannot safely stay at home; 10 = There is enough safety to close the case.",
    ]
    assert summary_text([]) == ""


def test_a_new_summary_starts_with_the_latest_scaling_filled_in(world, ctx_of):
    from domain.services.summaries import start_summary

    unscaled = start_summary(ctx_of("teammate"), world.teammate_family.id)
    assert unscaled.sections == {}
    ctx = ctx_of("practitioner")
    _rate(world, world.family, date(2025, 2, 1), "Dana Reid", 4)
    summary = start_summary(ctx, world.family.id)
    assert summary.text_of(SummarySection.LATEST_SCALING) == scaling_summary_text(
        ctx, world.family.id
    )
    assert summary.text_of(SummarySection.LATEST_SCALING).startswith("Family scaling 4/10 on 1 Feb")
