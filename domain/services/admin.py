"""Administration: teams, users, passphrases, sign-in and the first administrator.

Who may call these:

- A signed-in administrator, for everything here.
- The *system* (:func:`system_context`, acting as :func:`system_user`), for bootstrap work with
  nobody signed in: seeding the demo database and command-line set-up. It is an administrator
  that no one can sign in as; its actions are audited with user id ``SYSTEM_USER_ID`` (0). Only the
  composition root (seed and CLI code) should build it.
- Nobody signed in (``ctx.user is None``) while the database has **no users at all**: the very
  first set-up (first team, first administrator). Once one user exists this stops working.
- :func:`authenticate` needs nobody signed in; :func:`set_passphrase` also lets a user change
  their own passphrase when they give the current one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from domain.access import deny, require_user
from domain.audit import AuditAction
from domain.errors import AccessDenied, NotFound, ValidationError
from domain.passwords import hash_passphrase, verify_passphrase
from domain.people import Role, Team, TeamSettings, User
from domain.ports import Clock, UnitOfWork
from domain.services.context import Context, audit
from domain.services.sign_in import (  # re-exported: sign-in belongs to administration
    SIGN_IN_FAILED_MESSAGE,
    SignInFailed,
    authenticate,
    backoff_seconds,
)
from domain.validate import one_of

__all__ = [
    "SIGN_IN_FAILED_MESSAGE",
    "SYSTEM_USER_ID",
    "SignInFailed",
    "UserRow",
    "authenticate",
    "backoff_seconds",
    "bootstrap_admin",
    "check_practitioner",
    "create_team",
    "create_user",
    "find_user",
    "is_system",
    "list_teams",
    "list_users",
    "needs_first_admin",
    "require_admin",
    "set_passphrase",
    "set_supports",
    "system_context",
    "system_user",
    "update_team_settings",
    "update_user",
]


#: The id audit events carry for actions of the system (never a real user's id).
SYSTEM_USER_ID = 0
_SYSTEM_USER = User(
    username="system", full_name="Tandem (system)", role=Role.ADMIN, id=SYSTEM_USER_ID
)


def system_user() -> User:
    """The bootstrap actor: an administrator no one can sign in as (no passphrase)."""
    return replace(_SYSTEM_USER)


def system_context(uow: Callable[[], UnitOfWork], clock: Clock) -> Context:
    """The context for bootstrap commands (seed, CLI user/team set-up, caseload import)."""
    return Context(uow, clock, system_user())


def is_system(ctx: Context) -> bool:
    return ctx.user is not None and ctx.user.id == SYSTEM_USER_ID


# --- permission helpers -------------------------------------------------------------------


def _no_users(uow: UnitOfWork) -> bool:
    return not uow.users.list()


def require_admin(ctx: Context, uow: UnitOfWork, what: str) -> User | None:
    """The acting administrator (the system user when bootstrapping), or None during first-run
    set-up. Anything else: audited denial."""
    if ctx.user is None:
        if _no_users(uow):
            return None
        audit(ctx, uow, AuditAction.DENIED, "admin", detail=what)
        uow.commit()
        raise AccessDenied("Please sign in as an administrator to manage users and teams.")
    if ctx.user.role is not Role.ADMIN:
        raise deny(ctx, uow, what, entity="admin")
    if not is_system(ctx):
        # The signed-in snapshot may be stale: a removed or demoted administrator is refused.
        stored = uow.users.by_username(ctx.user.username)
        if stored is None or stored.id != ctx.user.id:
            raise deny(ctx, uow, what, entity="admin")
        if stored.role is not Role.ADMIN or not stored.active:
            raise deny(ctx, uow, what, entity="admin")
    return ctx.user


def needs_first_admin(ctx: Context) -> bool:
    """True while the database has no users: the app should offer to create the administrator."""
    with ctx.uow() as uow:
        return _no_users(uow)


def find_user(uow: UnitOfWork, ref: int | str) -> User:
    """A user by id or user name; NotFound with a readable message otherwise."""
    if isinstance(ref, int) and not isinstance(ref, bool):
        return uow.users.get(ref)
    user = uow.users.by_username(str(ref))
    if user is None:
        raise NotFound(f"There is no user called {str(ref).strip()!r}.")
    return user


def _team_by_name(uow: UnitOfWork, name: str) -> Team:
    team = uow.teams.by_name(name)
    if team is None:
        raise ValidationError("team", f"There is no team called {name.strip()!r}.")
    return team


def check_practitioner(uow: UnitOfWork, ref: int | str, team_id: int) -> User:
    """The active practitioner ``ref`` (id or user name) of team ``team_id``, or ValidationError."""
    try:
        found: User | None = find_user(uow, ref)
    except NotFound:
        found = None
    if found is None:
        raise ValidationError("practitioner", f"There is no user called {str(ref).strip()!r}.")
    if found.role is not Role.PRACTITIONER:
        raise ValidationError(
            "practitioner",
            f"{found.full_name} is a {found.role.label.lower()}, not a practitioner.",
        )
    if not found.active:
        raise ValidationError("practitioner", f"{found.full_name}'s account is not active.")
    if found.team_id != team_id:
        team = uow.teams.get(team_id)
        raise ValidationError("practitioner", f"{found.full_name} is not in team {team.name}.")
    return found


# --- teams ---------------------------------------------------------------------------------


def _check_settings(settings: TeamSettings) -> TeamSettings:
    if not 1 <= settings.summary_rhythm_weeks <= 52:
        raise ValidationError(
            "summary_rhythm_weeks", "The summary rhythm must be from 1 to 52 weeks."
        )
    if not 1 <= settings.visiting_standard_working_days <= 60:
        raise ValidationError(
            "visiting_standard_working_days",
            "The visiting standard must be from 1 to 60 working days.",
        )
    return settings


def create_team(ctx: Context, name: str, settings: TeamSettings | None = None) -> Team:
    """Bootstrap: also accepts a system context or, before any user exists, nobody signed in."""
    team = Team(name=name, settings=_check_settings(settings or TeamSettings()))
    with ctx.uow() as uow:
        require_admin(ctx, uow, "manage teams")
        if uow.teams.by_name(team.name) is not None:
            raise ValidationError("name", f"A team called {team.name!r} already exists.")
        team = uow.teams.add(team)
        audit(ctx, uow, AuditAction.CREATE, "team", team.id, detail=team.name)
        uow.commit()
        return team


def list_teams(ctx: Context) -> list[Team]:
    """Teams by name. Any signed-in user (team names are not family records); bootstrap too."""
    with ctx.uow() as uow:
        require_user(ctx, uow)
        return uow.teams.list()


def update_team_settings(
    ctx: Context,
    team_id: int,
    *,
    summary_rhythm_weeks: int | None = None,
    visiting_standard_working_days: int | None = None,
    practitioners_see_team_families: bool | None = None,
) -> Team:
    """Change a team's practice standards; arguments left as None keep their value.

    Bootstrap: also accepts a system context."""
    with ctx.uow() as uow:
        require_admin(ctx, uow, "manage teams")
        team = uow.teams.get(team_id)
        settings = replace(team.settings)
        if summary_rhythm_weeks is not None:
            settings.summary_rhythm_weeks = summary_rhythm_weeks
        if visiting_standard_working_days is not None:
            settings.visiting_standard_working_days = visiting_standard_working_days
        if practitioners_see_team_families is not None:
            settings.practitioners_see_team_families = bool(practitioners_see_team_families)
        team.settings = _check_settings(settings)
        uow.teams.update(team)
        audit(ctx, uow, AuditAction.UPDATE, "team", team.id, detail="settings")
        uow.commit()
        return team


# --- users ---------------------------------------------------------------------------------


def create_user(
    ctx: Context,
    username: str,
    full_name: str,
    role: Role | str,
    team_name: str | None = None,
    passphrase: str | None = None,
) -> User:
    """Add a user. Practitioners and team managers need a team.

    Bootstrap: also accepts a system context or, before any user exists, nobody signed in."""
    role = one_of("role", "Role", role, Role)  # type: ignore[assignment]
    with ctx.uow() as uow:
        require_admin(ctx, uow, "manage users")
        team_id = _team_by_name(uow, team_name).id if team_name else None
        user = User(username=username, full_name=full_name, role=role, team_id=team_id)
        _check_username_free(uow, user)
        if passphrase is not None:
            user.passphrase_hash = _hash_for(user, passphrase)
        user = uow.users.add(user)
        audit(ctx, uow, AuditAction.CREATE, "user", user.id, detail=f"{user.username} ({role})")
        uow.commit()
        return user


RESERVED_USERNAMES = frozenset({"system"})


def _check_username_free(uow: UnitOfWork, user: User) -> None:
    if user.username in RESERVED_USERNAMES:
        raise ValidationError("username", f"The user name {user.username!r} is reserved.")
    if uow.users.by_username(user.username) is not None:
        raise ValidationError("username", f"The user name {user.username!r} is already taken.")


def _hash_for(user: User, passphrase: str) -> str:
    if passphrase and passphrase.strip().lower() == user.username:
        raise ValidationError("passphrase", "The passphrase cannot be the same as the user name.")
    return hash_passphrase(passphrase)


def bootstrap_admin(ctx: Context, username: str, full_name: str, passphrase: str) -> User:
    """Bootstrap: create the first administrator. Works only while the database has no users."""
    with ctx.uow() as uow:
        if not _no_users(uow):
            audit(ctx, uow, AuditAction.DENIED, "admin", detail="create the first administrator")
            uow.commit()
            raise AccessDenied(
                "An administrator already exists. Sign in as an administrator to add users."
            )
        user = User(username=username, full_name=full_name, role=Role.ADMIN)
        _check_username_free(uow, user)
        user.passphrase_hash = _hash_for(user, passphrase)
        user = uow.users.add(user)
        audit(ctx, uow, AuditAction.CREATE, "user", user.id, detail=f"{user.username} (admin)")
        uow.commit()
        return user


@dataclass(frozen=True)
class UserRow:
    """One user as the administrator's list shows them (no passphrase hash)."""

    id: int
    username: str
    name: str
    role: Role
    team: str | None
    team_id: int | None
    active: bool
    has_passphrase: bool
    supports: frozenset[int]

    @property
    def role_label(self) -> str:
        return self.role.label


def list_users(ctx: Context) -> list[UserRow]:
    """All users by user name, with their team's name (administrators; bootstrap too)."""
    with ctx.uow() as uow:
        require_admin(ctx, uow, "the list of users")
        teams = {t.id: t.name for t in uow.teams.list()}
        return [
            UserRow(
                id=u.id,  # type: ignore[arg-type]
                username=u.username,
                name=u.full_name,
                role=u.role,
                team=teams.get(u.team_id) if u.team_id is not None else None,
                team_id=u.team_id,
                active=u.active,
                has_passphrase=bool(u.passphrase_hash),
                supports=u.supports,
            )
            for u in uow.users.list()
        ]


_KEEP = object()


def _open_caseload(uow: UnitOfWork, user: User) -> int:
    if user.role is not Role.PRACTITIONER or user.id is None:
        return 0
    return len(uow.families.list(practitioner_id=user.id))


def update_user(
    ctx: Context,
    user: int | str,
    *,
    full_name: str | None = None,
    role: Role | str | None = None,
    team_name: object = _KEEP,
    active: bool | None = None,
) -> User:
    """Change a user's name, role, team (``team_name=None`` removes it) or active flag.

    A practitioner with open families keeps their role, team and access until those families are
    reallocated, and there is always at least one active administrator.
    Bootstrap: also accepts a system context."""
    with ctx.uow() as uow:
        require_admin(ctx, uow, "manage users")
        before = find_user(uow, user)
        after = replace(before)
        if full_name is not None:
            after.full_name = full_name
        if role is not None:
            after.role = one_of("role", "Role", role, Role)  # type: ignore[assignment]
        if team_name is not _KEEP:
            after.team_id = _team_by_name(uow, str(team_name)).id if team_name else None
        if active is not None:
            after.active = bool(active)
        after = User(**{f: getattr(after, f) for f in after.__dataclass_fields__})  # re-validate
        if after.role is not Role.PRACTICE_LEAD:
            after.supports = frozenset()

        open_families = _open_caseload(uow, before)
        for changed, field in (
            (after.role is not before.role, "role"),
            (after.team_id != before.team_id, "team"),
            (not after.active and before.active, "active"),
        ):
            if changed and open_families:
                raise ValidationError(
                    field,
                    f"{before.full_name} still has {open_families} open "
                    f"famil{'y' if open_families == 1 else 'ies'} allocated; "
                    "reallocate them first.",
                )
        was_admin = before.role is Role.ADMIN and before.active
        still_admin = after.role is Role.ADMIN and after.active
        if was_admin and not still_admin:
            others = [
                u
                for u in uow.users.list()
                if u.role is Role.ADMIN and u.active and u.id != before.id
            ]
            if not others:
                raise ValidationError(
                    "role" if after.role is not Role.ADMIN else "active",
                    "There must always be at least one active administrator.",
                )
        uow.users.update(after)
        audit(ctx, uow, AuditAction.UPDATE, "user", after.id, detail=after.username)
        uow.commit()
        return after


def set_passphrase(
    ctx: Context, user: int | str, passphrase: str, *, current: str | None = None
) -> None:
    """Set a user's passphrase. Administrators may reset anyone's; a user may change their own by
    giving the current one. Bootstrap: also accepts a system context."""
    me = ctx.user
    own = (
        me is not None
        and me.role is not Role.ADMIN
        and (user == me.id if isinstance(user, int) else str(user).strip().lower() == me.username)
    )
    with ctx.uow() as uow:
        if not own:
            require_admin(ctx, uow, "reset passphrases")
        target = find_user(uow, user)
        if own and not verify_passphrase(current or "", target.passphrase_hash):
            raise ValidationError("current", "The current passphrase is not right.")
        target.passphrase_hash = _hash_for(target, passphrase)
        uow.users.update(target)
        audit(ctx, uow, AuditAction.UPDATE, "user", target.id, detail="passphrase set")
        uow.commit()


def set_supports(ctx: Context, lead: int | str, practitioners: Iterable[int | str]) -> User:
    """Set which practitioners a practice lead supports (replaces the previous set).

    Bootstrap: also accepts a system context."""
    with ctx.uow() as uow:
        require_admin(ctx, uow, "manage users")
        lead_user = find_user(uow, lead)
        if lead_user.role is not Role.PRACTICE_LEAD:
            raise ValidationError(
                "lead", f"{lead_user.full_name} is not a practice lead, so supports no one."
            )
        ids: set[int] = set()
        for ref in practitioners:
            p = find_user(uow, ref)
            if p.role is not Role.PRACTITIONER:
                raise ValidationError(
                    "supports", f"{p.full_name} is not a practitioner, so cannot be supported."
                )
            assert p.id is not None
            ids.add(p.id)
        lead_user.supports = frozenset(ids)
        uow.users.update(lead_user)
        audit(
            ctx,
            uow,
            AuditAction.UPDATE,
            "user",
            lead_user.id,
            detail=f"supports {len(ids)} practitioner(s)",
        )
        uow.commit()
        return lead_user
