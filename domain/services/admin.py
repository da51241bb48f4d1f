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

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from domain.access import deny, refuse, require_user
from domain.audit import AuditAction, family_list_detail
from domain.errors import AccessDenied, NotFound, ValidationError
from domain.passwords import hash_passphrase, verify_passphrase
from domain.people import Role, Team, TeamSettings, User
from domain.ports import Clock, UnitOfWork
from domain.reports import DEFAULT_MIN_GROUP_SIZE
from domain.services.context import SYSTEM_USER_ID, Context, audit
from domain.services.sign_in import (  # re-exported: sign-in belongs to administration
    SIGN_IN_FAILED_MESSAGE,
    PassphraseChangeRequired,
    SignInFailed,
    authenticate,
    backoff_seconds,
    check_not_held_back,
    fail_sign_in,
)
from domain.validate import one_of

__all__ = [
    "SETTING_RULES",
    "SIGN_IN_FAILED_MESSAGE",
    "SYSTEM_USER_ID",
    "PassphraseChangeRequired",
    "SignInFailed",
    "UserRow",
    "authenticate",
    "backoff_seconds",
    "bootstrap_admin",
    "change_supports",
    "check_practitioner",
    "choose_new_passphrase",
    "deactivate_user",
    "find_team",
    "create_team",
    "create_user",
    "find_user",
    "is_system",
    "list_teams",
    "list_users",
    "needs_first_admin",
    "reactivate_user",
    "require_admin",
    "reset_passphrase",
    "set_passphrase",
    "set_supports",
    "system_context",
    "system_user",
    "update_team_settings",
    "update_user",
    "MIN_GROUP_FLOOR",
    "report_min_group",
    "set_report_min_group",
    "site_min_group",
]


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
    # The administrator as stored now (a deactivated one is signed out, a demoted one refused).
    me = require_user(ctx, uow)
    if me.role is not Role.ADMIN:
        raise deny(ctx, uow, what, entity="admin")
    return me


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


#: Each team setting: (label in messages and the audit log, unit, lowest, highest).
SETTING_RULES: dict[str, tuple[str, str, int, int]] = {
    "visiting_standard_working_days": ("visiting standard", "working days", 1, 60),
    "summary_rhythm_weeks": ("summary rhythm", "weeks", 1, 52),
    "cp_first_review_months": ("first child protection review", "months", 1, 24),
    "cp_later_review_months": ("later child protection reviews", "months", 1, 24),
    "cin_review_months": ("child in need plan review", "months", 1, 24),
    "early_help_review_months": ("early help plan review", "months", 1, 24),
    "cla_review_months": ("looked-after plan review", "months", 1, 24),
}


_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,22}[0-9](\s*(ext\.?|x)\s*[0-9]{1,6})?$")


def team_phone(value: str) -> str:
    """The team's phone number as typed, spaces tidied: digits with spaces, brackets or dashes, an
    optional leading + and extension (``01632 960 123``, ``+44 1632 960123 ext 45``); "" clears."""
    text = " ".join(str(value).split())
    if text and not _PHONE.match(text):
        raise ValidationError(
            "phone",
            "The team phone number must be digits, spaces, brackets or dashes (for example "
            "01632 960 123), with an optional + and extension.",
        )
    return text


def _whole_number(field: str, value: object) -> int:
    label, unit, low, high = SETTING_RULES[field]
    if isinstance(value, bool):
        value = None
    if isinstance(value, str):
        text = value.strip()
        value = int(text) if text.isdigit() else None
    if not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(
            field, f"The {label} must be a whole number from {low} to {high} {unit}."
        )
    return value


def _check_settings(settings: TeamSettings) -> TeamSettings:
    for field in SETTING_RULES:
        _whole_number(field, getattr(settings, field))
    if settings.cp_first_review_months > settings.cp_later_review_months:
        raise ValidationError(
            "cp_first_review_months",
            "The first child protection review cannot come later than the interval between "
            "later reviews.",
        )
    return settings


def _describe_settings(before: TeamSettings, after: TeamSettings) -> list[str]:
    changes = []
    for field, (label, unit, _low, _high) in SETTING_RULES.items():
        old, new = getattr(before, field), getattr(after, field)
        if old != new:
            changes.append(f"{label} {old} -> {new} {unit}")
    if before.phone != after.phone:
        changes.append(f"phone {before.phone or '(none)'} -> {after.phone or '(none)'}")
    if before.practitioners_see_team_families != after.practitioners_see_team_families:
        changes.append(
            "practitioners "
            + ("may" if after.practitioners_see_team_families else "may not")
            + " read team-mates' families"
        )
    return changes


def _with_reason(detail: str, reason: str | None) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) > 200:
        raise ValidationError("reason", "Keep the reason to 200 characters or fewer.")
    return f"{detail}; why: {reason}" if reason else detail


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


def find_team(uow: UnitOfWork, ref: int | str) -> Team:
    """A team by id or name; NotFound with a readable message otherwise."""
    if isinstance(ref, int) and not isinstance(ref, bool):
        return uow.teams.get(ref)
    team = uow.teams.by_name(str(ref))
    if team is None:
        raise NotFound(f"There is no team called {str(ref).strip()!r}.")
    return team


def update_team_settings(
    ctx: Context,
    team_id: int | str,
    *,
    reason: str | None = None,
    practitioners_see_team_families: bool | None = None,
    phone: str | None = None,
    **numbers: int | str | None,
) -> Team:
    """Change a team's practice standards (team id or name); arguments left as None keep their
    value. ``numbers`` are the fields of :data:`SETTING_RULES` (visiting standard, summary rhythm,
    plan review rules), whole numbers given as int or typed text. Audited with what changed and
    ``reason``. The dashboard, caseload and plan review dates read the stored settings on every
    call, so a change shows at once.

    Bootstrap: also accepts a system context."""
    unknown = set(numbers) - set(SETTING_RULES)
    if unknown:
        raise ValidationError(sorted(unknown)[0], f"Unknown team setting {sorted(unknown)[0]!r}.")
    with ctx.uow() as uow:
        require_admin(ctx, uow, "manage teams")
        team = find_team(uow, team_id)
        before = replace(team.settings)
        settings = replace(team.settings)
        for field, value in numbers.items():
            if value is not None and not (isinstance(value, str) and not value.strip()):
                setattr(settings, field, _whole_number(field, value))
        if practitioners_see_team_families is not None:
            settings.practitioners_see_team_families = bool(practitioners_see_team_families)
        if phone is not None:
            settings.phone = team_phone(phone)
        team.settings = _check_settings(settings)
        changes = _describe_settings(before, settings)
        detail = _with_reason("settings: " + ("; ".join(changes) or "unchanged"), reason)
        if changes:
            uow.teams.update(team)
            audit(ctx, uow, AuditAction.UPDATE, "team", team.id, detail=detail)
            uow.commit()
        return team


# --- site settings -------------------------------------------------------------------------

#: The report's small-group threshold may be raised but never set below this (issue 17).
MIN_GROUP_FLOOR = 3
MIN_GROUP_CEILING = 50


def report_min_group(ctx: Context) -> int:
    """The site's smallest group of practitioners shown in a pseudonymised burden report."""
    with ctx.uow() as uow:
        require_admin(ctx, uow, "read the site settings")
        return site_min_group(uow)


def site_min_group(uow: UnitOfWork) -> int:
    """The stored threshold, or the default (3) when no administrator has set one."""
    return uow.reports.min_group_size() or DEFAULT_MIN_GROUP_SIZE


def set_report_min_group(ctx: Context, size: int | str, *, reason: str | None = None) -> int:
    """Change the smallest group shown in pseudonymised reports: a whole number from 3 to 50,
    typed text accepted. Administrators only; audited with the old and new value and ``reason``.

    Bootstrap: also accepts a system context."""
    text = size.strip() if isinstance(size, str) else size
    value = int(text) if isinstance(text, str) and text.isdigit() else text
    if isinstance(value, bool) or not isinstance(value, int):
        value = -1
    if not MIN_GROUP_FLOOR <= value <= MIN_GROUP_CEILING:
        raise ValidationError(
            "min_group_size",
            f"The smallest group shown must be a whole number from {MIN_GROUP_FLOOR} to "
            f"{MIN_GROUP_CEILING} practitioners (fewer than {MIN_GROUP_FLOOR} could single "
            "someone out).",
        )
    with ctx.uow() as uow:
        require_admin(ctx, uow, "change the site settings")
        before = site_min_group(uow)
        detail = _with_reason(
            f"smallest group in pseudonymised reports {before} -> {value} practitioners", reason
        )
        if value != before or uow.reports.min_group_size() is None:
            uow.reports.set_min_group_size(value, ctx.user_id or None, ctx.clock.now())
            audit(ctx, uow, AuditAction.UPDATE, "site_settings", 1, detail=detail)
            uow.commit()
        return value


# --- users ---------------------------------------------------------------------------------


def create_user(
    ctx: Context,
    username: str,
    full_name: str,
    role: Role | str,
    team_name: str | None = None,
    passphrase: str | None = None,
    *,
    one_time: bool = False,
    reason: str | None = None,
) -> User:
    """Add a user. Practitioners and team managers need a team. With ``one_time`` the passphrase
    is one the administrator knows: the user must choose a new one at their first sign-in.

    Bootstrap: also accepts a system context or, before any user exists, nobody signed in."""
    role = one_of("role", "Role", role, Role)
    with ctx.uow() as uow:
        require_admin(ctx, uow, "manage users")
        team_id = _team_by_name(uow, team_name).id if team_name else None
        user = User(username=username, full_name=full_name, role=role, team_id=team_id)
        _check_username_free(uow, user)
        if passphrase is not None:
            user.passphrase_hash = _hash_for(user, passphrase)
            user.must_change_passphrase = one_time
        detail = _with_reason(f"{user.username} ({role})", reason)
        user = uow.users.add(user)
        audit(ctx, uow, AuditAction.CREATE, "user", user.id, detail=detail)
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
    #: User names of the practitioners a practice lead supports, sorted.
    supports_usernames: tuple[str, ...] = ()
    must_change_passphrase: bool = False
    #: Failed sign-ins in a row, and whether that locked the account (an administrator unlocks).
    failed_sign_ins: int = 0
    sign_in_locked: bool = False

    @property
    def role_label(self) -> str:
        return self.role.label


def list_users(ctx: Context) -> list[UserRow]:
    """All users by user name, with their team's name (administrators; bootstrap too)."""
    with ctx.uow() as uow:
        require_admin(ctx, uow, "the list of users")
        teams = {t.id: t.name for t in uow.teams.list()}
        users = uow.users.list()
        names = {u.id: u.username for u in users}
        return [
            UserRow(
                id=u.saved_id,
                username=u.username,
                name=u.full_name,
                role=u.role,
                team=teams.get(u.team_id) if u.team_id is not None else None,
                team_id=u.team_id,
                active=u.active,
                has_passphrase=bool(u.passphrase_hash),
                supports=u.supports,
                supports_usernames=tuple(sorted(names.get(i, str(i)) for i in u.supports)),
                must_change_passphrase=u.must_change_passphrase,
                failed_sign_ins=record.failures if record else 0,
                sign_in_locked=bool(record and record.locked),
            )
            for u in users
            for record in [uow.users.sign_in_record(u.username)]
        ]


_KEEP = object()


def _open_families(uow: UnitOfWork, user: User) -> list[tuple[int | None, str]]:
    """Id, and reference and name, of each open family allocated to a practitioner."""
    if user.role is not Role.PRACTITIONER or user.id is None:
        return []
    return [(f.id, f"{f.reference} {f.name}") for f in uow.families.list(practitioner_id=user.id)]


def _describe_user(uow: UnitOfWork, before: User, after: User) -> list[str]:
    def team(team_id: int | None) -> str:
        return uow.teams.get(team_id).name if team_id is not None else "no team"

    changes = []
    if before.full_name != after.full_name:
        changes.append(f"name {before.full_name!r} -> {after.full_name!r}")
    if before.role is not after.role:
        changes.append(f"role {before.role.value} -> {after.role.value}")
    if before.team_id != after.team_id:
        changes.append(f"team {team(before.team_id)} -> {team(after.team_id)}")
    if before.active != after.active:
        changes.append("reactivated" if after.active else "deactivated")
    if before.supports and not after.supports:
        changes.append("no longer supports anyone")
    return changes


def update_user(
    ctx: Context,
    user: int | str,
    *,
    full_name: str | None = None,
    role: Role | str | None = None,
    team_name: object = _KEEP,
    active: bool | None = None,
    reason: str | None = None,
) -> User:
    """Change a user's name, role, team (``team_name=None`` removes it) or active flag.

    A practitioner with open families keeps their role, team and access until those families are
    reallocated (the refusal lists them), and there is always at least one active administrator.
    Records keep the user's name: nothing is deleted. Audited with what changed and ``reason``.
    Bootstrap: also accepts a system context."""
    with ctx.uow() as uow:
        require_admin(ctx, uow, "manage users")
        before = find_user(uow, user)
        after = replace(before)
        if full_name is not None:
            after.full_name = full_name
        if role is not None:
            after.role = one_of("role", "Role", role, Role)
        if team_name is not _KEEP:
            after.team_id = _team_by_name(uow, str(team_name)).id if team_name else None
        if active is not None:
            after.active = bool(active)
        after = User(**{f: getattr(after, f) for f in after.__dataclass_fields__})  # re-validate
        if after.role is not Role.PRACTICE_LEAD:
            after.supports = frozenset()

        open_families = _open_families(uow, before)
        for changed, field, what in (
            (not after.active and before.active, "active", "can be deactivated"),
            (after.role is not before.role, "role", "can change role"),
            (after.team_id != before.team_id, "team", "can move team"),
        ):
            if changed and open_families:
                count = len(open_families)
                shown = ", ".join(n for _, n in open_families[:6]) + (" …" if count > 6 else "")
                held = ValidationError(
                    field,
                    f"{before.full_name} still holds {count} open "
                    f"famil{'y' if count == 1 else 'ies'} ({shown}); ask their team manager "
                    f"to reallocate {'it' if count == 1 else 'them'} before {before.full_name} "
                    f"{what}.",
                )
                raise refuse(
                    ctx,
                    uow,
                    held,
                    # the message names families: the event says which (tandem audit --family)
                    what=family_list_detail(
                        f"change user {before.username}", (i for i, _ in open_families[:6])
                    ),
                    entity="user",
                    entity_id=before.id,
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
                last = ValidationError(
                    "role" if after.role is not Role.ADMIN else "active",
                    "There must always be at least one active administrator.",
                )
                raise refuse(
                    ctx,
                    uow,
                    last,
                    what=f"change user {before.username}",
                    entity="user",
                    entity_id=before.id,
                )
        changes = _describe_user(uow, before, after)
        if changes:
            uow.users.update(after)
            detail = _with_reason(f"{after.username}: " + "; ".join(changes), reason)
            audit(ctx, uow, AuditAction.UPDATE, "user", after.id, detail=detail)
            uow.commit()
        return after


def deactivate_user(ctx: Context, user: int | str, *, reason: str | None = None) -> User:
    """A leaver: they can no longer sign in; their records keep their name. A practitioner must
    have their open families reallocated first (the refusal lists them)."""
    return update_user(ctx, user, active=False, reason=reason)


def reactivate_user(ctx: Context, user: int | str, *, reason: str | None = None) -> User:
    """Let a deactivated user sign in again."""
    return update_user(ctx, user, active=True, reason=reason)


def set_passphrase(
    ctx: Context, user: int | str, passphrase: str, *, current: str | None = None
) -> None:
    """Set a user's passphrase. Administrators may reset anyone's; a user may change their own by
    giving the current one. Bootstrap: also accepts a system context."""
    with ctx.uow() as uow:
        me = None if ctx.user is None else require_user(ctx, uow)  # as stored now
        own = (
            me is not None
            and me.role is not Role.ADMIN
            and (
                user == me.id if isinstance(user, int) else str(user).strip().lower() == me.username
            )
        )
        if not own:
            require_admin(ctx, uow, "reset passphrases")
        target = find_user(uow, user)
        if own and not verify_passphrase(current or "", target.passphrase_hash):
            raise ValidationError("current", "The current passphrase is not right.")
        target.passphrase_hash = _hash_for(target, passphrase)
        target.must_change_passphrase = False
        uow.users.update(target)
        audit(ctx, uow, AuditAction.UPDATE, "user", target.id, detail="passphrase set")
        uow.commit()


def reset_passphrase(
    ctx: Context, user: int | str, one_time_passphrase: str, *, reason: str | None = None
) -> User:
    """An administrator gives a user a one-time passphrase (a forgotten one, say). The user signs
    in with it once and must then choose a new one (:func:`choose_new_passphrase`) before doing
    anything else. Audited, with ``reason``. Bootstrap: also accepts a system context."""
    with ctx.uow() as uow:
        require_admin(ctx, uow, "reset passphrases")
        target = find_user(uow, user)
        target.passphrase_hash = _hash_for(target, one_time_passphrase)
        target.must_change_passphrase = True
        uow.users.update(target)
        detail = _with_reason(f"{target.username}: one-time passphrase set", reason)
        audit(ctx, uow, AuditAction.UPDATE, "user", target.id, detail=detail)
        uow.commit()
        return replace(target, passphrase_hash=None)


def choose_new_passphrase(ctx: Context, username: str, current: str, new: str) -> User:
    """At sign-in, a user holding a one-time passphrase (``current``) chooses their own (``new``).
    Nobody needs to be signed in. Returns the user, signed in (audited). A wrong current
    passphrase fails exactly as a failed sign-in does."""
    if (new or "") == (current or ""):
        raise ValidationError("new", "Choose a passphrase different from the one-time one.")
    with ctx.uow() as uow:
        typed = (username or "").strip().lower()
        user = uow.users.by_username(typed) if typed else None
        record = check_not_held_back(ctx, uow, typed, user)  # locked or too soon: refused
        ok = (
            user is not None
            and user.active
            and user.must_change_passphrase
            and verify_passphrase(current or "", user.passphrase_hash)
        )
        if not ok or user is None:
            fail_sign_in(ctx, uow, typed, user, record)  # as a failed sign-in: counted, audited
        stored = user
        stored.passphrase_hash = _hash_for(stored, new)
        stored.must_change_passphrase = False
        uow.users.update(stored)
        audit(
            ctx.as_user(stored),
            uow,
            AuditAction.UPDATE,
            "user",
            stored.id,
            detail=f"{stored.username}: chose a new passphrase after a one-time one",
        )
        uow.commit()
    return authenticate(ctx, username, new)


def _practitioner_ids(uow: UnitOfWork, refs: Iterable[int | str]) -> dict[int, User]:
    found: dict[int, User] = {}
    for ref in refs:
        p = find_user(uow, ref)
        if p.role is not Role.PRACTITIONER:
            raise ValidationError(
                "supports", f"{p.full_name} is not a practitioner, so cannot be supported."
            )
        assert p.id is not None
        found[p.id] = p
    return found


def _save_supports(
    ctx: Context, uow: UnitOfWork, lead_user: User, ids: set[int], reason: str | None
) -> User:
    names = {u.id: u.username for u in uow.users.list()}
    added = sorted(names.get(i, str(i)) for i in ids - lead_user.supports)
    removed = sorted(names.get(i, str(i)) for i in lead_user.supports - ids)
    lead_user.supports = frozenset(ids)
    if added or removed:
        uow.users.update(lead_user)
        parts = [f"{lead_user.username} supports {len(ids)} practitioner(s)"]
        if added:
            parts.append("added " + ", ".join(added))
        if removed:
            parts.append("removed " + ", ".join(removed))
        audit(
            ctx,
            uow,
            AuditAction.UPDATE,
            "user",
            lead_user.id,
            detail=_with_reason("; ".join(parts), reason),
        )
        uow.commit()
    return lead_user


def _lead(uow: UnitOfWork, lead: int | str) -> User:
    lead_user = find_user(uow, lead)
    if lead_user.role is not Role.PRACTICE_LEAD:
        raise ValidationError(
            "lead", f"{lead_user.full_name} is not a practice lead, so supports no one."
        )
    return lead_user


def set_supports(
    ctx: Context,
    lead: int | str,
    practitioners: Iterable[int | str],
    *,
    reason: str | None = None,
) -> User:
    """Set which practitioners a practice lead supports (replaces the previous set).

    Bootstrap: also accepts a system context."""
    with ctx.uow() as uow:
        require_admin(ctx, uow, "manage users")
        lead_user = _lead(uow, lead)
        ids = set(_practitioner_ids(uow, practitioners))
        return _save_supports(ctx, uow, lead_user, ids, reason)


def change_supports(
    ctx: Context,
    lead: int | str,
    *,
    add: Iterable[int | str] = (),
    remove: Iterable[int | str] = (),
    reason: str | None = None,
) -> User:
    """Add practitioners to, or remove them from, those a practice lead supports. Removing one
    the lead does not support is refused (a typo should not pass silently)."""
    with ctx.uow() as uow:
        require_admin(ctx, uow, "manage users")
        lead_user = _lead(uow, lead)
        ids = set(lead_user.supports)
        ids |= set(_practitioner_ids(uow, add))
        for ref in remove:
            p = find_user(uow, ref)
            if p.id not in ids:
                raise ValidationError(
                    "supports", f"{lead_user.full_name} does not support {p.full_name}."
                )
            ids.discard(p.id)
        return _save_supports(ctx, uow, lead_user, ids, reason)
