"""Synthetic requests come with the registry's synthetic persons (``generate_synthetic``)."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from apps.audit.models import AuditEvent
from apps.intake.models import Request
from apps.intake.rules import Status
from apps.registry import synthetic
from apps.registry.models import Person

pytestmark = pytest.mark.django_db


def _snapshot():
    return sorted(
        (
            str(r.person_id),
            r.channel,
            r.urgency,
            r.status,
            tuple(sorted(n.code for n in r.needs.all())),
        )
        for r in Request.objects.prefetch_related("needs")
    )


def test_about_a_third_of_adults_ask_with_real_needs_in_their_hub(cast, needs):
    synthetic.generate(persons=600, seed=5)
    requests = list(Request.objects.select_related("person").prefetch_related("needs"))
    adults = Person.objects.filter(birth_year__lte=2007).count()
    assert 0.2 * adults < len(requests) < 0.5 * adults
    for request in requests:
        assert request.organisation_id == request.person.organisation_id
        assert request.community_id == request.person.community_id
        assert 1 <= len(request.needs.all()) <= 3
        assert (request.status == Status.CLOSED) == bool(request.close_reason)
        assert request.due_date >= request.created_at.date() - timedelta(days=1)
    assert len({r.status for r in requests}) == 4
    assert len({r.created_at.date() for r in requests}) > 30  # received over months, not now
    assert AuditEvent.objects.filter(event="intake.synthetic.created").exists()


def test_the_same_seed_gives_the_same_requests_and_a_rerun_adds_none(cast, needs):
    synthetic.generate(persons=300, seed=5)
    first = _snapshot()
    synthetic.generate(persons=300, seed=5)
    assert _snapshot() == first
    Request.objects.all().delete()
    Person.objects.all().delete()
    synthetic.generate(persons=300, seed=5)
    assert _snapshot() == first


def test_the_command_makes_requests_too(cast, needs, capsys):
    call_command("generate_synthetic", "--persons", "120", "--seed", "7")
    assert Request.objects.exists()
