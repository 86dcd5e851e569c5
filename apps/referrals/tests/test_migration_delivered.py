"""The data migration ``0002_completed_referrals_delivered``: referrals completed with the
need not met before every completed referral counted get their delivery, with the outcome."""

import importlib

import pytest
from django.apps import apps as django_apps

from apps.access.actor import actor_for
from apps.delivery.models import ServiceDelivery
from apps.referrals import services

MIGRATION = importlib.import_module("apps.referrals.migrations.0002_completed_referrals_delivered")

pytestmark = pytest.mark.django_db


def test_completed_referrals_without_a_delivery_get_one_once(cast, olena, jobs, send, consent):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    partner = actor_for(cast.partner_staff_a)
    services.referral_transition(actor=partner, referral_id=referral.pk, to="accepted")
    services.referral_transition(
        actor=partner, referral_id=referral.pk, to="completed", outcome="not_met"
    )
    ServiceDelivery.objects.all().delete()  # as the earlier rule left it

    MIGRATION.deliver_completed(django_apps, None)
    MIGRATION.deliver_completed(django_apps, None)

    delivery = ServiceDelivery.objects.get()
    assert (delivery.source_id, delivery.outcome) == (str(referral.pk), "not_met")
    assert delivery.organisation == cast.partner_a
    assert delivery.requested_by_organisation == cast.hub_a
