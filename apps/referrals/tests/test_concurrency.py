"""The row locks of referrals under real concurrency: threads with their own PostgreSQL
connections, released together by a barrier. Same referral sent twice at once → one referral;
accepting and declining at once → one move wins, the other is refused; many at once → the
year's reference numbers without a gap or a repeat."""

import threading

import pytest
from django.db import connection, connections

from apps.access.actor import actor_for
from apps.referrals import services
from apps.referrals.models import Referral, ReferralEvent, Status

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent connections"),
]


def together(*calls) -> list:
    """Runs ``calls`` at once, each in its own thread and connection; their results (or the
    exceptions they raised), in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 — the caller asserts on what was raised
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def sending(user, person, service, need="employment"):
    data = {"person": str(person.pk), "service": service.pk, "need": need}
    return lambda: services.referral_send(actor=actor_for(user), data=data)


def test_the_same_referral_sent_twice_at_once_is_one_referral(cast, olena, jobs, consent):
    consent(olena)
    first, second = together(
        sending(cast.specialist_a, olena, jobs), sending(cast.coordinator_a, olena, jobs)
    )
    assert not isinstance(first, Exception) and not isinstance(second, Exception)
    assert first[0].pk == second[0].pk
    assert sorted([first[1], second[1]]) == [False, True]
    assert Referral.objects.count() == 1


def test_accepting_and_declining_at_once_one_move_wins(cast, olena, jobs, consent, send):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    partner = actor_for(cast.partner_staff_a)

    def move(to, **more):
        return lambda: services.referral_transition(
            actor=partner, referral_id=referral.pk, to=to, version=referral.version, **more
        )

    results = together(move(Status.ACCEPTED), move(Status.DECLINED, reason="Немає місць"))
    refused = [r for r in results if isinstance(r, services.EditConflict)]
    moved = [r for r in results if isinstance(r, Referral)]
    assert len(refused) == 1 and len(moved) == 1, results
    referral.refresh_from_db()
    assert referral.status == moved[0].status
    assert ReferralEvent.objects.filter(referral=referral).count() == 2  # sent, and one answer


def test_reference_numbers_stay_unique_and_gapless_when_sent_at_once(
    cast, olena, taras, jobs, counselling, consent
):
    consent(olena)
    consent(taras)
    results = together(
        sending(cast.specialist_a, olena, jobs),
        sending(cast.specialist_a, taras, jobs),
        sending(cast.coordinator_a, olena, counselling, need="psychological_support"),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    numbers = sorted(int(r.reference.rsplit("-", 1)[1]) for r in Referral.objects.all())
    assert numbers == [1, 2, 3]
