"""Every refusal is in the audit log, however it is raised: not only access denials but the
rules' refusals that reach the user as a message next to a field (reallocating to another team's
practitioner, approving one's own summary, changing a submitted summary, re-adding a recording
whose consent was withdrawn, ...). Each writes exactly one DENIED event, by the person refused,
naming the family (so ``tandem audit --family REF`` finds it) and the reason; nothing else is
written, and the message the user sees is unchanged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pytest

from domain.audit import AuditAction
from domain.errors import DomainError, ValidationError
from domain.people import User
from domain.services import admin, contacts, families, observations, summaries
from domain.services.audit_log import list_audit
from tests.unit.conftest import World
from tests.unit.test_access_matrix import _observation


def _summary(world: World, who: User, *, submit: bool) -> int:
    ctx = world.ctx(who)
    s = summaries.start_summary(world.ctx(who), world.family.id)
    s = summaries.save_summary(ctx, s.id, {"analysis": "Safer."}, s.version)
    if submit:
        s = summaries.submit_summary(ctx, s.id, s.version)
    return s.id  # type: ignore[return-value]


def reallocate_to_another_team(w: World) -> tuple[User, Callable[[], Any]]:
    return w.manager, lambda: families.reallocate(w.ctx(w.manager), w.family.id, "cy")


def reallocate_a_closed_family(w: World) -> tuple[User, Callable[[], Any]]:
    families.close_family(w.ctx(w.manager), w.family.id, w.today, "Safe now.")
    return w.manager, lambda: families.reallocate(w.ctx(w.manager), w.family.id, "bea")


def approve_own_summary(w: World) -> tuple[User, Callable[[], Any]]:
    sid = _summary(w, w.manager, submit=True)
    return w.manager, lambda: summaries.approve_summary(w.ctx(w.manager), sid)


def review_a_draft(w: World) -> tuple[User, Callable[[], Any]]:
    sid = _summary(w, w.practitioner, submit=False)
    return w.manager, lambda: summaries.return_summary(w.ctx(w.manager), sid, "More.")


def change_a_submitted_summary(w: World) -> tuple[User, Callable[[], Any]]:
    sid = _summary(w, w.practitioner, submit=True)
    ctx = w.ctx(w.practitioner)
    return w.practitioner, lambda: summaries.save_summary(ctx, sid, {"analysis": "Later."}, 3)


def submit_a_submitted_summary(w: World) -> tuple[User, Callable[[], Any]]:
    sid = _summary(w, w.practitioner, submit=True)
    return w.practitioner, lambda: summaries.submit_summary(w.ctx(w.practitioner), sid)


def start_a_second_summary(w: World) -> tuple[User, Callable[[], Any]]:
    _summary(w, w.practitioner, submit=False)
    return w.practitioner, lambda: summaries.start_summary(w.ctx(w.practitioner), w.family.id)


def discard_a_submitted_summary(w: World) -> tuple[User, Callable[[], Any]]:
    sid = _summary(w, w.practitioner, submit=True)
    return w.practitioner, lambda: summaries.discard_summary(w.ctx(w.practitioner), sid)


def _withdrawn(w: World) -> int:
    oid = _observation(w, w.family)
    consent = w.store.observations[oid].consents[0].id
    observations.withdraw_consent(w.ctx(w.practitioner), oid, consent, w.today)
    return oid


def consent_to_a_withdrawn_recording(w: World) -> tuple[User, Callable[[], Any]]:
    oid = _withdrawn(w)
    given = {"person": "Gran", "given_on": w.today, "method": "verbal", "scope": "All"}
    return w.practitioner, lambda: observations.add_consent(w.ctx(w.practitioner), oid, given)


def re_add_a_withdrawn_address(w: World) -> tuple[User, Callable[[], Any]]:
    _withdrawn(w)
    old = {"person": "Dana", "given_on": date(2025, 3, 1), "method": "written", "scope": "All"}
    return w.practitioner, lambda: observations.add_observation(
        w.ctx(w.practitioner),
        w.family.id,
        date(2025, 3, 3),
        "https://example.invalid/rec.mp3",
        [old],
    )


def edit_yesterdays_contact(w: World) -> tuple[User, Callable[[], Any]]:
    ctx = w.ctx(w.practitioner)
    c = contacts.log_contact(ctx, w.family.id, w.today, time(8, 0), 30, "phone", "Spoke to Dana.")
    w.clock.advance(days=1)
    return w.practitioner, lambda: contacts.edit_contact(ctx, c.id, note="Spoke to Dana twice.")


def deactivate_a_practitioner_holding_families(w: World) -> tuple[User, Callable[[], Any]]:
    return w.admin, lambda: admin.deactivate_user(w.ctx(w.admin), "alex")


def demote_the_last_administrator(w: World) -> tuple[User, Callable[[], Any]]:
    return w.admin, lambda: admin.update_user(w.ctx(w.admin), "ada", role="project_staff")


#: (scenario, "family" if FAM-0001 is concerned (else None), words of the message shown)
REFUSALS = [
    (reallocate_to_another_team, "family", "is not in team North"),
    (reallocate_a_closed_family, "family", "is closed"),
    (approve_own_summary, "family", "You cannot approve a summary you wrote."),
    (review_a_draft, "family", "Only a submitted summary can be reviewed"),
    (change_a_submitted_summary, "family", "can no longer be changed"),
    (submit_a_submitted_summary, "family", "only a draft or a returned summary can be submitted"),
    (start_a_second_summary, "family", "already has a summary in progress"),
    (discard_a_submitted_summary, "family", "ubmitted"),
    (consent_to_a_withdrawn_recording, "family", "Consent for this recording was withdrawn"),
    (re_add_a_withdrawn_address, "family", "the address erased"),
    (edit_yesterdays_contact, "family", "only be changed on the day it was logged"),
    (deactivate_a_practitioner_holding_families, "family", "still holds 1 open family"),
    (demote_the_last_administrator, None, "at least one active administrator"),
]


@pytest.mark.parametrize(
    ("scenario", "family", "words"), [pytest.param(*r, id=r[0].__name__) for r in REFUSALS]
)
def test_a_refusal_raised_as_a_message_is_audited_as_a_denial(
    world: World, scenario: Callable[[World], Any], family: str | None, words: str
) -> None:
    who, attempt = scenario(world)
    before = len(world.store.audit)
    with pytest.raises(DomainError) as err:
        attempt()
    assert words in str(err.value)
    assert not isinstance(err.value, ValidationError) or err.value.field  # shown at its field
    new = world.store.audit[before:]
    assert [(e.action, e.user_id) for e in new] == [(AuditAction.DENIED, who.id)]
    assert str(err.value) in new[0].detail
    found = [e.id for e in list_audit(world.system(), family="FAM-0001")]
    assert (new[0].id in found) is (family is not None)  # tandem audit --family FAM-0001
