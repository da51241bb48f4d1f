"""Withdrawal is immediate and final: the address is erased at once (only a fingerprint is kept),
no service returns it, a recording is opened only through ``open_recording`` (checked now and
audited), and the same address cannot come back without new consent from who withdrew."""

from __future__ import annotations

from datetime import date

import pytest

from domain.audit import AuditAction
from domain.errors import AccessDenied, ValidationError
from domain.observations import address_fingerprint
from domain.services.observation_views import (
    family_observation_rows,
    feedback_detail,
    feedback_given,
)
from domain.services.observations import (
    RecordingWithdrawn,
    add_observation,
    feedback_queue,
    get_observation,
    list_observations,
    open_recording,
    save_feedback,
    withdraw_consent,
)
from tests.unit.test_observations import ALL_FOURS, TODAY, mum_consent, observe, w  # noqa: F401

LINK = "https://recordings.example.org/abc"


def test_opening_a_recording_is_a_checked_audited_service_call(w):  # noqa: F811
    o = observe(w)
    assert open_recording(w.ctx(w.lead), o.id) == LINK
    assert open_recording(w.ctx(w.manager), o.id) == LINK
    opened = [e for e in w.events(AuditAction.VIEW) if e.entity == "recording"]
    assert [(e.user_id, e.entity_id, e.family_id) for e in opened] == [
        (w.lead.id, o.id, w.fam.id),
        (w.manager.id, o.id, w.fam.id),
    ]
    with pytest.raises(AccessDenied):
        open_recording(w.ctx(w.south_manager), o.id)
    assert w.events(AuditAction.DENIED)[-1].entity == "observation"


def test_after_withdrawal_no_service_returns_the_address_and_opening_is_refused(w):  # noqa: F811
    o = observe(w)
    save_feedback(w.ctx(w.lead), o.id, ALL_FOURS, [], "Warm", "Pause")
    before_withdrawal = get_observation(w.ctx(w.manager), o.id)  # a screen loaded earlier
    assert before_withdrawal.link == LINK
    w.clock.advance(minutes=2)
    withdraw_consent(w.ctx(w.prac), o.id, o.consents[0].id, TODAY)

    with pytest.raises(RecordingWithdrawn):
        open_recording(w.ctx(w.manager), before_withdrawal.id)
    denied = w.events(AuditAction.DENIED)[-1]
    assert (denied.entity, denied.entity_id, denied.user_id) == ("recording", o.id, w.manager.id)

    returned = [
        get_observation(w.ctx(w.manager), o.id),
        *list_observations(w.ctx(w.prac), w.fam.id),
        *(r.observation for r in family_observation_rows(w.ctx(w.manager), w.fam.id)),
        feedback_detail(w.ctx(w.lead), o.id).observation,
        *(i.observation for i in feedback_given(w.ctx(w.lead))),
    ]
    assert len(returned) == 5
    for observation in returned:
        assert observation.link is None and observation.visible_link is None
        assert observation.withdrawn
        assert observation.withdrawn_by == w.prac.id
        assert observation.marked_for_deletion_at == w.clock.now()
    assert feedback_queue(w.ctx(w.lead)) == []
    # Erased in the store, not only hidden; only the fingerprint is kept.
    assert w.factory.store.observations[o.id].link is None
    assert list(w.factory.store.erased) == [address_fingerprint(LINK)]
    # The audit log keeps the fact, never the address.
    assert all("recordings.example.org" not in e.detail for e in w.factory.store.audit)
    assert any(e.action is AuditAction.WITHDRAW for e in w.factory.store.audit)


def test_an_erased_address_comes_back_only_with_new_consent_from_who_withdrew(w):  # noqa: F811
    o = observe(w)
    withdraw_consent(w.ctx(w.prac), o.id, o.consents[0].id, date(2025, 5, 2))
    for consents in (
        [mum_consent(person="Somebody Else", given_on=TODAY)],  # someone else's consent
        [mum_consent()],  # Jo Smith's old consent, given before she withdrew
    ):
        with pytest.raises(ValidationError) as err:
            observe(w, consents=consents)
        assert err.value.field == "link"
    # The same address typed differently is still recognised.
    with pytest.raises(ValidationError):
        observe(w, link="  HTTPS://recordings.example.org/ABC ")
    again = observe(w, consents=[mum_consent(person="jo smith", given_on=date(2025, 5, 3))])
    assert open_recording(w.ctx(w.prac), again.id) == LINK


def test_a_different_address_is_not_affected(w):  # noqa: F811
    o = observe(w)
    withdraw_consent(w.ctx(w.prac), o.id, o.consents[0].id, TODAY)
    other = add_observation(w.ctx(w.prac), w.fam.id, date(2025, 5, 1), LINK + "-2", [mum_consent()])
    assert other.link == LINK + "-2"
