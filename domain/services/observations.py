"""Audio observations of practice: the recording link, the family's consent, a practice lead's
feedback, the practitioner's replies and their skill trend (SPEC §3 "Audio observation").

Who may do what:

* add a recording, add consent, list a family's recordings: write/read access to the family
  (its allocated practitioner or the team's manager);
* withdraw consent: anyone who may see the recording (the observed practitioner, the family's
  practitioner, the team's manager, a practice lead supporting the practitioner);
* give feedback: a practice lead who supports the observed practitioner;
* read feedback: the observed practitioner, a supporting practice lead, the team's manager;
* reply to feedback: the observed practitioner (and a supporting lead, so it can be a thread);
* skill trend: the practitioner themself, a supporting practice lead, or their team's manager.

Once consent is withdrawn the recording's address is erased at once: overwritten in the database,
never returned by any service again (the Observation carries only that it was withdrawn, when and
by whom), and kept only as a SHA-256 fingerprint so the same address cannot be added again
without the new consent of the person who withdrew. Feedback text stays. A recording is opened only
through :func:`open_recording`, which checks access and consent at that moment and is audited
(VIEW / DENIED on entity ``recording``), so a screen loaded before a withdrawal cannot open it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple
from urllib.parse import unquote, urlparse

from domain.access import (
    Access,
    deny,
    load_family,
    load_observation,
    refuse,
    require_role,
    require_user,
)
from domain.audit import AuditAction, family_list_detail
from domain.errors import AccessDenied, DomainError, ValidationError
from domain.families import Family
from domain.observations import (
    Consent,
    ConsentKind,
    ConsentMethod,
    ErasedRecording,
    Feedback,
    Observation,
    Reply,
    Skill,
    SkillGroup,
    TimedComment,
    address_fingerprint,
    parse_timestamp,
)
from domain.people import Role, User
from domain.ports import UnitOfWork
from domain.ports_audio import AudioProbe
from domain.services.context import Context, audit
from domain.validate import not_future, one_of

ConsentInput = Consent | Mapping[str, object]

RECORDING_GONE_MESSAGE = (
    "Consent for this recording was withdrawn: its link has been erased and it can no longer be "
    "opened."
)


class RecordingWithdrawn(DomainError):
    """The recording cannot be opened: consent was withdrawn and its address erased."""

    def __init__(self) -> None:
        super().__init__(RECORDING_GONE_MESSAGE)


def _same_person(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _check_not_erased(
    ctx: Context, uow: UnitOfWork, family: Family, link: str, given: list[Consent]
) -> None:
    """Refuse an address whose consent was withdrawn, unless the person who withdrew has given
    new consent (on or after the day they withdrew). The refusal is audited."""
    erased = uow.observations.erased(address_fingerprint(link))
    if erased is None:
        return
    if any(
        _same_person(c.person, erased.withdrawn_person) and c.given_on >= erased.withdrawn_on
        for c in given
    ):
        return
    refused = ValidationError(
        "link",
        "Consent for a recording at this address was withdrawn and the address erased. It can "
        "be added again only with new consent from the person who withdrew it, given on or "
        "after the day they withdrew.",
    )
    raise refuse(
        ctx,
        uow,
        refused,
        what="add a recording whose consent was withdrawn",
        entity="observation",
        family_id=family.id,
    )


def local_path(link: str) -> str | None:
    """The file a link points to, if it is a local path (or file:// URL) to an existing file."""
    link = (link or "").strip()
    if link.lower().startswith("file://"):
        path = unquote(urlparse(link).path)
    elif "://" in link:
        return None
    else:
        path = os.path.expanduser(link)
    return path if path and os.path.isfile(path) else None


#: Web addresses Tandem recognises; another scheme (smb://, ftp:// …) is allowed with a warning.
WEB_SCHEMES = ("http", "https")
_HOST = re.compile(
    r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$"
)


@dataclass(frozen=True)
class LinkCheck:
    """A recording link that may be saved: as it will be stored (trimmed), and what the person
    adding it should know (None: it was checked and is fine)."""

    link: str
    warning: str | None = None


def check_recording_link(link: str) -> LinkCheck:
    """Check a recording link before it is saved (and reaches a practice lead's queue).

    * A local path or file:// URL must name an existing file: a missing file or a folder is
      refused (ValidationError on ``link``).
    * A malformed URL is refused: a scheme with nothing after it, no host, a host with spaces or
      other characters no host name has, or a web address missing its "//".
    * A well-formed URL cannot be checked from here (Tandem does not fetch a family's recording
      to look at it, and the laptop may be offline): it is allowed, with a warning saying so.
    """
    text = (link or "").strip()
    if not text:
        raise ValidationError("link", "Recording link is required: a file or a web address.")
    lowered = text.lower()
    if re.match(r"^(https?):/?[^/]", lowered):
        raise ValidationError(
            "link", f"{text!r} is not a valid web address: it should start with https://."
        )
    if "://" in text and not lowered.startswith("file://"):
        parsed = urlparse(text)
        scheme = parsed.scheme.lower()
        host = parsed.hostname or ""
        try:
            parsed.port  # noqa: B018 - a port that is not a number raises here
        except ValueError:
            raise ValidationError(
                "link", f"{text!r} is not a valid web address: its port is not a number."
            ) from None
        if not re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme) or not host or not _HOST.match(host):
            raise ValidationError(
                "link",
                f"{text!r} is not a valid web address: check the part after “://” (the "
                "server's name).",
            )
        if any(ch.isspace() for ch in text):
            raise ValidationError(
                "link", f"{text!r} is not a valid web address: it contains spaces."
            )
        kind = "web address" if scheme in WEB_SCHEMES else f"{scheme}:// address"
        return LinkCheck(
            text,
            f"Tandem cannot check a {kind}: make sure it opens and that the practice lead can "
            "reach it.",
        )
    if lowered.startswith("file://"):
        path = unquote(urlparse(text).path)
    else:
        path = os.path.expanduser(text)
    if os.path.isdir(path):
        raise ValidationError("link", f"{path} is a folder: choose the recording file inside it.")
    if not os.path.isfile(path):
        hint = ""
        if re.match(r"^(https?//|www\.|[a-z0-9-]+\.[a-z]{2,}/)", lowered):
            hint = " If it is a web address, start it with https://."
        raise ValidationError("link", f"There is no file at {path}.{hint}")
    return LinkCheck(text)


def _consent(raw: ConsentInput, ctx: Context, family: Family) -> Consent:
    if isinstance(raw, Consent):
        consent = replace(raw, id=None, observation_id=None, withdrawn_on=None)
    else:
        for key, label in (("person", "Who gave consent"), ("given_on", "Date consent was given")):
            if raw.get(key) in (None, ""):
                raise ValidationError(key, f"{label} is required.")
        consent = Consent(
            person=str(raw["person"]),
            kind=one_of("kind", "Kind of consent", raw.get("kind", "consent"), ConsentKind),
            given_on=raw["given_on"],  # type: ignore[arg-type]  # form input: checked below
            method=one_of("method", "How consent was given", raw.get("method", ""), ConsentMethod),
            scope=str(raw.get("scope", "") or ""),
            obtained_by=int(raw.get("obtained_by") or ctx.user_id),  # type: ignore[call-overload]  # form input
            member_id=raw.get("member_id"),  # type: ignore[arg-type]  # form input: checked by Consent
        )
    if not isinstance(consent.given_on, date):
        raise ValidationError("given_on", "Date consent was given must be a date.")
    not_future("given_on", "Date consent was given", consent.given_on, ctx.clock.today())
    if consent.member_id is not None:
        family.member(consent.member_id)  # ValidationError when not of this family
    return consent


def _load_obs(
    ctx: Context, uow: UnitOfWork, observation_id: int, need: Access
) -> tuple[Observation, Family]:
    """As access.load_observation, and the observed practitioner always reaches their own."""
    user = require_user(ctx, uow)
    observation = uow.observations.get(observation_id)
    if user.role is Role.PRACTITIONER and observation.practitioner_id == user.id:
        return observation, uow.families.get(observation.family_id)
    return load_observation(ctx, uow, observation_id, need)


def _deny_obs(ctx: Context, uow: UnitOfWork, what: str, observation: Observation) -> AccessDenied:
    return deny(
        ctx,
        uow,
        what,
        entity="observation",
        entity_id=observation.id,
        family_id=observation.family_id,
    )


def add_observation(
    ctx: Context,
    family_id: int,
    session_date: date,
    link: str,
    consents: Iterable[ConsentInput],
    duration_seconds: int | None = None,
    audio_probe: AudioProbe | None = None,
    practitioner_id: int | None = None,
) -> Observation:
    """Add a recorded session. ``practitioner_id`` is whose practice was recorded (default: the
    signed-in practitioner, or the family's allocated practitioner when a manager adds it)."""
    with ctx.uow() as uow:
        family = load_family(ctx, uow, family_id, Access.WRITE)
        user = require_user(ctx, uow)
        if practitioner_id is None:
            practitioner_id = user.id if user.role is Role.PRACTITIONER else family.practitioner_id
        if practitioner_id is None:
            raise ValidationError("practitioner", "Say whose practice was recorded.")
        observed = uow.users.get(practitioner_id)
        if observed.role is not Role.PRACTITIONER:
            raise ValidationError("practitioner", f"{observed.full_name} is not a practitioner.")
        if not isinstance(session_date, date):
            raise ValidationError("session_date", "Session date must be a date.")
        not_future("session_date", "Session date", session_date, ctx.clock.today())
        link = check_recording_link(link).link
        given = [_consent(c, ctx, family) for c in consents or []]
        if not given:
            raise ValidationError(
                "consents", "Record at least one person's consent before adding a recording."
            )
        if all(c.kind is ConsentKind.ASSENT for c in given):
            raise ValidationError(
                "consents", "A child's assent alone is not enough: add an adult's consent."
            )
        _check_not_erased(ctx, uow, family, link, given)
        if duration_seconds is None and audio_probe is not None:
            path = local_path(link)
            if path is not None:
                try:
                    duration_seconds = audio_probe.duration_seconds(path)
                except Exception:  # a probe must not turn a bad file into a traceback
                    duration_seconds = None
                if duration_seconds is not None and duration_seconds <= 0:
                    duration_seconds = None
        observation = Observation(
            family_id=family.saved_id,
            practitioner_id=practitioner_id,
            session_date=session_date,
            link=link,
            duration_seconds=duration_seconds,
            consents=given,
            created_by=user.id,
            created_at=ctx.clock.now(),
        )
        observation = uow.observations.add(observation)
        audit(ctx, uow, AuditAction.CREATE, "observation", observation.id, family_id=family.id)
        uow.commit()
    return observation


def add_consent(ctx: Context, observation_id: int, consent: ConsentInput) -> Observation:
    with ctx.uow() as uow:
        observation, family = _load_obs(ctx, uow, observation_id, Access.WRITE)
        if require_user(ctx, uow).role is Role.PRACTICE_LEAD:
            raise _deny_obs(ctx, uow, "record consent for this recording", observation)
        if observation.withdrawn:
            refused = ValidationError(
                "consents",
                "Consent for this recording was withdrawn and it is marked for deletion.",
            )
            raise refuse(
                ctx,
                uow,
                refused,
                what="record consent for a withdrawn recording",
                entity="observation",
                entity_id=observation.id,
                family_id=observation.family_id,
            )
        observation.consents.append(_consent(consent, ctx, family))
        uow.observations.update(observation)
        audit(
            ctx,
            uow,
            AuditAction.UPDATE,
            "observation",
            observation.id,
            family_id=family.id,
            detail="consent added",
        )
        uow.commit()
    return observation


def withdraw_consent(ctx: Context, observation_id: int, consent_id: int, on: date) -> Observation:
    """Record that consent was withdrawn on ``on``: the recording's address is erased now (only
    its fingerprint is kept, see :func:`_check_not_erased`); feedback text stays."""
    with ctx.uow() as uow:
        observation, family = _load_obs(ctx, uow, observation_id, Access.WRITE)
        consent = next((c for c in observation.consents if c.id == consent_id), None)
        if consent is None:
            raise ValidationError("consent", f"This recording has no consent with id {consent_id}.")
        if consent.is_withdrawn:
            raise ValidationError("consent", f"{consent.person}'s consent was already withdrawn.")
        if not isinstance(on, date):
            raise ValidationError("withdrawn_on", "Date consent was withdrawn must be a date.")
        not_future("withdrawn_on", "Date consent was withdrawn", on, ctx.clock.today())
        withdrawn = replace(consent, withdrawn_on=on)  # validates: not before it was given
        if observation.link:
            uow.observations.record_erased(
                ErasedRecording(
                    address_fingerprint(observation.link), ctx.clock.now(), consent.person, on
                )
            )
        observation.link = None  # erased: the row's address is overwritten on update
        observation.consents = [
            withdrawn if c.id == consent_id else c for c in observation.consents
        ]
        if observation.marked_for_deletion_at is None:
            observation.marked_for_deletion_at = ctx.clock.now()
            observation.withdrawn_by = ctx.user_id
        uow.observations.update(observation)
        audit(
            ctx,
            uow,
            AuditAction.WITHDRAW,
            "observation",
            observation.id,
            family_id=family.id,
            detail=f"consent {consent_id} withdrawn on {on.isoformat()}; recording address erased",
        )
        uow.commit()
    return observation


def list_observations(ctx: Context, family_id: int) -> list[Observation]:
    """The family's recordings, oldest session first. Screens show ``visible_link`` only."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        observations = uow.observations.list(family_id=family.id)
        audit(ctx, uow, AuditAction.VIEW, "observation", None, family_id=family.id, detail="list")
        uow.commit()
    return observations


def get_observation(ctx: Context, observation_id: int) -> Observation:
    with ctx.read() as uow:
        observation, family = _load_obs(ctx, uow, observation_id, Access.READ)
        audit(ctx, uow, AuditAction.VIEW, "observation", observation.id, family_id=family.id)
        uow.commit()
    return observation


def open_recording(ctx: Context, observation_id: int) -> str:
    """The recording's address, to open it now: access and consent are checked at this moment
    (not when the screen was loaded) and the opening is audited (VIEW ``recording``). A withdrawn
    recording raises :class:`RecordingWithdrawn` after an audited DENIED."""
    with ctx.read() as uow:
        observation, family = _load_obs(ctx, uow, observation_id, Access.READ)
        if observation.withdrawn or not observation.link:
            audit(
                ctx,
                uow,
                AuditAction.DENIED,
                "recording",
                observation.id,
                family_id=family.id,
                detail="open a recording whose consent was withdrawn",
            )
            uow.commit()
            raise RecordingWithdrawn()
        audit(
            ctx,
            uow,
            AuditAction.VIEW,
            "recording",
            observation.id,
            family_id=family.id,
            detail="opened",
        )
        uow.commit()
        return observation.link


@dataclass(frozen=True)
class FeedbackQueueItem:
    observation: Observation
    practitioner_name: str
    family_reference: str
    family_name: str


def feedback_queue(ctx: Context) -> list[FeedbackQueueItem]:
    """For a practice lead: recordings of the practitioners they support that have no feedback
    yet and whose consent stands, oldest session first."""
    with ctx.read() as uow:
        lead = require_role(ctx, uow, Role.PRACTICE_LEAD, what="the feedback queue")
        if not lead.supports:
            observations = []
        else:
            observations = uow.observations.list(practitioner_ids=sorted(lead.supports))
        items = []
        for o in sorted(observations, key=lambda o: (o.session_date, o.id)):
            if o.withdrawn or uow.observations.feedback(o.saved_id) is not None:
                continue
            family = uow.families.get(o.family_id)
            name = uow.users.get(o.practitioner_id).full_name
            items.append(FeedbackQueueItem(o, name, family.reference, family.name))
        audit(
            ctx,
            uow,
            AuditAction.VIEW,
            "feedback_queue",
            None,
            detail=family_list_detail(
                f"{len(items)} recordings: {', '.join(str(i.observation.id) for i in items)}",
                (i.observation.family_id for i in items),
            ),
        )
        uow.commit()
    return items


def _comments(raw: Iterable[object]) -> list[TimedComment]:
    out = []
    for item in raw or []:
        if isinstance(item, TimedComment):
            out.append(item)
            continue
        if isinstance(item, Mapping):
            at, text = item.get("at", item.get("at_seconds")), item.get("text", "")
        else:
            at, text = item  # type: ignore[misc]  # caller input, a pair: checked below
        seconds = parse_timestamp(at) if isinstance(at, str) else at
        if not isinstance(seconds, int):
            raise ValidationError("at", "Each comment needs a time written mm:ss.")
        out.append(TimedComment(seconds, str(text or "")))
    return out


def save_feedback(
    ctx: Context,
    observation_id: int,
    ratings: Mapping[Skill, float | None] | Mapping[str, float | None],
    comments: Iterable[object] = (),
    strengths: str = "",
    one_thing_to_try: str = "",
) -> Feedback:
    """Create or replace the feedback on a recording (replies already given are kept)."""
    with ctx.uow() as uow:
        user = require_user(ctx, uow)
        observation = uow.observations.get(observation_id)
        if user.role is not Role.PRACTICE_LEAD:
            raise _deny_obs(ctx, uow, "give feedback on recordings", observation)
        observation, family = load_observation(ctx, uow, observation_id, Access.WRITE)
        if observation.withdrawn:
            raise ValidationError(
                "observation",
                "Consent for this recording was withdrawn, so feedback can no longer be given.",
            )
        cleaned = {
            one_of("ratings", "Skill", k, Skill): v for k, v in ratings.items() if v is not None
        }
        existing = uow.observations.feedback(observation.saved_id)
        now = ctx.clock.now()
        feedback = Feedback(
            observation_id=observation.saved_id,
            lead_id=user.saved_id,
            ratings=cleaned,
            comments=_comments(comments),
            strengths=strengths,
            one_thing_to_try=one_thing_to_try,
            replies=list(existing.replies) if existing else [],
            id=existing.id if existing else None,
            created_at=existing.created_at if existing else now,
            updated_at=now,
        )
        feedback.check_given()
        feedback.check_against(observation.duration_seconds)
        feedback = uow.observations.save_feedback(feedback)
        action = AuditAction.UPDATE if existing else AuditAction.CREATE
        audit(ctx, uow, action, "feedback", feedback.id, family_id=family.id)
        uow.commit()
    return feedback


def _load_feedback_party(
    ctx: Context, uow: UnitOfWork, observation_id: int, *, managers: bool
) -> tuple[Observation, User]:
    """The observed practitioner and supporting leads (and, if ``managers``, the team manager)."""
    user = require_user(ctx, uow)
    observation = uow.observations.get(observation_id)
    if user.role is Role.PRACTITIONER and user.id == observation.practitioner_id:
        return observation, user  # the observed practitioner, while they are one
    if user.role is Role.PRACTICE_LEAD or (managers and user.role is Role.TEAM_MANAGER):
        observation, _ = load_observation(ctx, uow, observation_id, Access.READ)
        return observation, user
    raise _deny_obs(ctx, uow, "the feedback on this recording", observation)


def get_feedback(ctx: Context, observation_id: int) -> Feedback | None:
    with ctx.read() as uow:
        observation, _ = _load_feedback_party(ctx, uow, observation_id, managers=True)
        feedback = uow.observations.feedback(observation.saved_id)
        audit(
            ctx,
            uow,
            AuditAction.VIEW,
            "feedback",
            feedback.id if feedback else None,
            family_id=observation.family_id,
        )
        uow.commit()
    return feedback


def reply_to_feedback(ctx: Context, observation_id: int, text: str) -> Feedback:
    """Add the practitioner's reflection (or a lead's answer) to the feedback's thread."""
    with ctx.uow() as uow:
        observation, user = _load_feedback_party(ctx, uow, observation_id, managers=False)
        feedback = uow.observations.feedback(observation.saved_id)
        if feedback is None:
            raise ValidationError(
                "reply", "There is no feedback on this recording to reply to yet."
            )
        feedback.replies.append(Reply(user.saved_id, text, ctx.clock.now()))
        feedback = uow.observations.save_feedback(feedback)
        audit(
            ctx,
            uow,
            AuditAction.UPDATE,
            "feedback",
            feedback.id,
            family_id=observation.family_id,
            detail="reply",
        )
        uow.commit()
    return feedback


class TrendPoint(NamedTuple):
    session_date: date
    ratings: dict[Skill, float]
    group_means: dict[SkillGroup, float | None]
    observation_id: int


def skill_trend(ctx: Context, practitioner_id: int) -> list[TrendPoint]:
    """The practitioner's ratings over time, one point per recording with rated feedback."""
    with ctx.read() as uow:
        user = require_user(ctx, uow)
        practitioner = uow.users.get(practitioner_id)
        allowed = (
            user.id == practitioner.id
            or (user.role is Role.PRACTICE_LEAD and practitioner.id in user.supports)
            or (
                user.role is Role.TEAM_MANAGER
                and practitioner.team_id is not None
                and practitioner.team_id == user.team_id
            )
        )
        if not allowed:
            raise deny(
                ctx,
                uow,
                f"the skill trend of {practitioner.full_name}",
                entity="skill_trend",
                entity_id=practitioner.id,
            )
        points = []
        for o in uow.observations.list(practitioner_ids=[practitioner.saved_id]):
            fb = uow.observations.feedback(o.saved_id)
            if fb is None or not fb.ratings:
                continue
            means = {g: fb.group_mean(g) for g in SkillGroup}
            points.append(TrendPoint(o.session_date, dict(fb.ratings), means, o.saved_id))
        audit(ctx, uow, AuditAction.VIEW, "skill_trend", practitioner.id)
        uow.commit()
    return sorted(points, key=lambda p: (p.session_date, p.observation_id))
