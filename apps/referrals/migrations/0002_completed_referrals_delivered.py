"""Every completed referral counts as a service delivered, with its outcome: referrals
completed with the need not met before this rule get their delivery now, and deliveries made
from referrals get the referral's outcome. Idempotent (one delivery per source). The rows are
derived facts of completions already on the audit trail, so no audit events are written here."""

from zoneinfo import ZoneInfo

from django.db import migrations

KYIV = ZoneInfo("Europe/Kyiv")


def deliver_completed(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    ServiceDelivery = apps.get_model("delivery", "ServiceDelivery")
    completed = Referral.objects.filter(status="completed").select_related(
        "receiver_organisation", "sender_organisation"
    )
    for referral in completed.iterator():
        delivery, created = ServiceDelivery.objects.get_or_create(
            source_kind="referral",
            source_id=str(referral.pk),
            defaults={
                "person_id": referral.person_id,
                "service_id": referral.service_id,
                "organisation_id": referral.receiver_organisation_id,
                "community_id": referral.receiver_organisation.community_id,
                "requested_by_organisation_id": referral.sender_organisation_id,
                "requested_by_community_id": referral.sender_organisation.community_id,
                "delivered_on": (referral.closed_at or referral.updated_at).astimezone(KYIV).date(),
                "outcome": referral.outcome,
            },
        )
        if not created and delivery.outcome != referral.outcome:
            delivery.outcome = referral.outcome
            delivery.save(update_fields=["outcome"])


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_initial"),
        ("delivery", "0003_outcome"),
    ]

    operations = [migrations.RunPython(deliver_completed, migrations.RunPython.noop)]
