"""The recording-burden report (SPEC §4), with who may see what (SPEC §2):

- **Project staff**: pseudonymised aggregates only. Practitioners appear as stable pseudonyms;
  no family, member or free text is ever in the report; a group of fewer than
  ``min_group_size`` practitioners is not shown separately (a team that small is refused, small
  weeks are withheld, see domain.reports.suppress_small_groups); no single-practitioner scope.
- **Team managers**: their own team only, with names.
- **Administrators** (and the command line, which runs as the system): any scope;
  pseudonymised like project staff unless ``identify=True`` is asked for explicitly.
- Everyone else: refused (audited).

Every run writes a REPORT audit event. The audit event is committed *before* the sums are added
up, and the sums are read outside the write transaction, so a long report never holds other
people's saves up (on SQLite the write lock is released first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from domain.access import deny, require_user
from domain.audit import AuditAction
from domain.errors import DomainError, NotFound, ValidationError
from domain.people import Role, Team, User
from domain.ports import UnitOfWork
from domain.reports import (
    BaselineAggregates,
    BurdenQuery,
    BurdenReport,
    CalibrationAggregates,
    PractitionerRow,
    TrialAggregates,
    WeekRow,
    baseline_figures,
    compute_change,
    conventions,
    pseudonym,
    suppress_small_groups,
    trial_figures,
)
from domain.services.admin import site_min_group
from domain.services.context import Context, audit

REPORT_ROLES = (Role.PROJECT_STAFF, Role.TEAM_MANAGER, Role.ADMIN)

#: progress(step, of, message) — called as the report moves on (from the worker's thread).
Progress = Callable[[int, int, str], None]


class GroupTooSmall(DomainError):
    """A pseudonymised report was asked for a group too small to be shown separately."""


@dataclass(frozen=True)
class ReportFilters:
    """What the signed-in user may choose on the report screen."""

    teams: list[str]
    #: The team a manager is limited to (None: any team or all).
    fixed_team: str | None
    identified: bool


def report_filters(ctx: Context) -> ReportFilters:
    with ctx.uow() as uow:
        user = _reporter(ctx, uow)
        if user.role is Role.TEAM_MANAGER:
            team = uow.teams.get(user.team_id)  # type: ignore[arg-type]  # a manager has a team
            return ReportFilters([team.name], team.name, True)
        return ReportFilters(sorted(t.name for t in uow.teams.list()), None, False)


def burden_report(
    ctx: Context,
    *,
    start: date | None = None,
    end: date | None = None,
    team: str | None = None,
    practitioner: str | None = None,
    identify: bool | None = None,
    min_group_size: int | None = None,
    progress: Progress | None = None,
    idle_gap_seconds: float = 60,
    long_gap_seconds: float = 300,
) -> BurdenReport:
    """The recording-burden report for ``start``..``end`` (default: from the first trial record
    to today) over all practitioners, one ``team`` (by name) or one ``practitioner`` (user name).

    ``identify``: None — the role's default (managers: names; others: pseudonyms); True — names
    (managers and administrators only); False — pseudonyms. ``min_group_size``: None — the
    site's setting (administrators set it, never below 3); a larger number suppresses more; a
    smaller one only for those who may see names anyway (managers, administrators), never for
    project staff (an audited refusal). ``idle_gap_seconds`` and
    ``long_gap_seconds`` are the recording clock's settings, stated in the report's conventions.
    """
    step = progress or (lambda _i, _n, _m: None)
    if min_group_size is not None and min_group_size < 1:
        raise ValidationError("min_group_size", "The smallest group shown must be at least 1.")
    step(0, 4, "Checking what you may see…")
    with ctx.uow() as uow:
        user = _reporter(ctx, uow)
        end = end or ctx.clock.today()
        if start is not None and start > end:
            raise ValidationError(
                "start",
                f"The start date ({start:%d %b %Y}) is after the end date ({end:%d %b %Y}).",
            )
        chosen_team = _team(uow, team)
        chosen = _practitioner(uow, practitioner)
        if chosen is not None and chosen_team is not None and chosen.team_id != chosen_team.id:
            raise ValidationError(
                "practitioner", f"{chosen.username!r} is not in team {chosen_team.name}."
            )
        if user.role is Role.TEAM_MANAGER:
            chosen_team = _manager_scope(ctx, uow, user, chosen_team, chosen)
        identified = _identified(ctx, uow, user, identify)
        min_group_size = _min_group(ctx, uow, user, min_group_size)
        if not identified and chosen is not None:
            raise deny(
                ctx,
                uow,
                "a single practitioner's figures in a pseudonymised report (it would tie the "
                "pseudonym to the person); report on a team or on everyone",
                entity="burden_report",
            )
        secret = "" if identified else uow.reports.pseudonym_secret()
        users = {u.id: u for u in uow.users.list()}
        query = BurdenQuery(
            end=end,
            start=start,
            team_id=chosen_team.id if chosen_team else None,
            practitioner_id=chosen.id if chosen else None,
        )
        audit(
            ctx,
            uow,
            AuditAction.REPORT,
            "burden_report",
            None,
            detail=(
                f"recording burden {start or 'first record'} to {end}; "
                f"{'team ' + chosen_team.name if chosen_team else 'all teams'}"
                f"{'; practitioner ' + chosen.username if chosen else ''}; "
                f"{'names' if identified else 'pseudonyms'}; "
                f"smallest group shown {min_group_size}"
            ),
        )
        uow.commit()  # the audit event is durable; the sums below are read-only
        step(1, 4, "Adding up time with families and time recording…")
        trial = uow.reports.trial(query)
        step(2, 4, "Adding up the baseline…")
        baseline = uow.reports.baseline(query)
        step(3, 4, "Setting the diary against the app…")
        calibration = uow.reports.calibration(query)
    report = _build(
        trial,
        baseline,
        calibration,
        start=start or trial.first_week or end,
        end=end,
        team=chosen_team.name if chosen_team else None,
        practitioner=chosen.username if chosen else None,
        identified=identified,
        users=users,
        secret=secret,
        now=ctx.clock.now(),
        min_group_size=min_group_size,
        conventions=conventions(idle_gap_seconds, long_gap_seconds)
        | (
            {}
            if identified
            else {
                "suppression": f"groups of fewer than {min_group_size} practitioners (the site's "
                "setting) are withheld or pooled"
            }
        ),
    )
    if not identified:
        if 0 < trial.overall.practitioners < min_group_size:  # none at all reveals nobody
            where = f"team {report.team}" if report.team else "this period"
            raise GroupTooSmall(
                f"Fewer than {min_group_size} practitioners have recorded time in {where}, so "
                "its figures are not shown separately in a pseudonymised report."
            )
        report = suppress_small_groups(report)
    step(4, 4, "Done.")
    return report


def record_export(ctx: Context, report: BurdenReport, what: str) -> None:
    """Audit that ``report`` left Tandem (e.g. "CSV file"); the caller writes the file."""
    with ctx.uow() as uow:
        _reporter(ctx, uow)
        audit(
            ctx,
            uow,
            AuditAction.EXPORT,
            "burden_report",
            None,
            detail=(
                f"recording burden {report.start} to {report.end}, {report.scope_label}, "
                f"{'names' if report.identified else 'pseudonyms'}: {what}"
            ),
        )
        uow.commit()


# --- helpers ----------------------------------------------------------------------------------


def _reporter(ctx: Context, uow: UnitOfWork) -> User:
    user = require_user(ctx, uow)
    if user.role not in REPORT_ROLES:
        raise deny(ctx, uow, "the recording-burden report", entity="burden_report")
    return user


def _team(uow: UnitOfWork, name: str | None) -> Team | None:
    if name is None or not name.strip():
        return None
    team = uow.teams.by_name(name.strip())
    if team is None:
        names = ", ".join(sorted(t.name for t in uow.teams.list())) or "none yet"
        raise NotFound(f"There is no team called {name.strip()!r} (teams: {names}).")
    return team


def _practitioner(uow: UnitOfWork, username: str | None) -> User | None:
    if username is None or not username.strip():
        return None
    user = uow.users.by_username(username.strip().lower())
    if user is None:
        raise NotFound(f"There is no user called {username.strip()!r}.")
    if user.role is not Role.PRACTITIONER:
        raise ValidationError(
            "practitioner",
            f"{user.username!r} is a {user.role.label.lower()}, not a practitioner; the report "
            "covers practitioners.",
        )
    return user


def _manager_scope(
    ctx: Context, uow: UnitOfWork, manager: User, team: Team | None, chosen: User | None
) -> Team:
    own = uow.teams.get(manager.team_id)  # type: ignore[arg-type]  # a manager has a team
    if team is not None and team.id != own.id:
        raise deny(ctx, uow, f"the report of team {team.name}", entity="burden_report")
    if chosen is not None and chosen.team_id != own.id:
        raise deny(
            ctx,
            uow,
            f"the report of a practitioner outside team {own.name}",
            entity="burden_report",
        )
    return own


def _min_group(ctx: Context, uow: UnitOfWork, user: User, asked: int | None) -> int:
    """The threshold this run uses: the site's, or a larger one asked for; a smaller one only
    for someone who may see names anyway. Suppression is the site's, not the viewer's."""
    site = site_min_group(uow)
    if asked is None or asked >= site:
        return asked or site
    if user.role is Role.PROJECT_STAFF:
        raise deny(
            ctx,
            uow,
            f"a smallest group of {asked} (the site's setting is {site}, set by the administrator)",
            entity="burden_report",
        )
    return asked


def _identified(ctx: Context, uow: UnitOfWork, user: User, identify: bool | None) -> bool:
    if identify is None:
        return user.role is Role.TEAM_MANAGER
    if identify and user.role is Role.PROJECT_STAFF:
        raise deny(ctx, uow, "practitioners' names in the report", entity="burden_report")
    return identify


def _build(
    trial: TrialAggregates,
    baseline: BaselineAggregates,
    calibration: CalibrationAggregates,
    *,
    start: date,
    end: date,
    team: str | None,
    practitioner: str | None,
    identified: bool,
    users: dict[int | None, User],
    secret: str,
    now: datetime,
    min_group_size: int,
    conventions: dict[str, str],
) -> BurdenReport:
    def label(user_id: int) -> tuple[str, str | None]:
        if identified:
            u = users.get(user_id)
            return (u.username, u.full_name) if u else (f"user {user_id}", None)
        return pseudonym(secret, user_id), None

    ids = sorted(set(trial.by_practitioner) | set(baseline.by_practitioner))
    rows = []
    pairs = []
    for uid in ids:
        key, name = label(uid)
        t = trial.by_practitioner.get(uid)
        b = baseline.by_practitioner.get(uid)
        row = PractitionerRow(
            practitioner=key,
            name=name,
            trial=trial_figures(t) if t else None,
            baseline=baseline_figures(b) if b else None,
            calibration=calibration.by_practitioner.get(uid),
        )
        rows.append(row)
        pairs.append((row.trial, row.baseline))
    # In user-id order (fixed), so the bootstrap draws the same practitioners every run.
    change = compute_change(pairs)
    # Pseudonyms are listed in pseudonym order: nothing about the order reveals who is who.
    rows.sort(key=lambda r: ((r.name or "").lower(), r.practitioner))
    has_baseline = baseline.overall.practitioners > 0
    return BurdenReport(
        start=start,
        end=end,
        team=team,
        practitioner=practitioner,
        identified=identified,
        trial=trial_figures(trial.overall, trial.spread),
        baseline=baseline_figures(baseline.overall, baseline.spread) if has_baseline else None,
        by_week=[WeekRow(w, trial_figures(s)) for w, s in sorted(trial.by_week.items())],
        by_practitioner=rows,
        generated_at=now,
        min_group_size=min_group_size,
        baseline_first=baseline.overall.first_day if has_baseline else None,
        baseline_last=baseline.overall.last_day if has_baseline else None,
        calibration=calibration.overall if calibration.overall.practitioner_days else None,
        change=change,
        conventions=conventions,
    )


__all__ = [
    "REPORT_ROLES",
    "GroupTooSmall",
    "ReportFilters",
    "burden_report",
    "record_export",
    "report_filters",
]
