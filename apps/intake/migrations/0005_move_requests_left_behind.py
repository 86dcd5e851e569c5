"""Requests and appointments left behind before they followed their person.

Two kinds, moved as the receivers in ``apps.intake.services`` move them today:

- **Merged persons.** A request or appointment pointing at a record that was merged into
  another (``merged_into``, followed to the end of a chain) now belongs to the record that was
  kept. Held by another hub than the kept person's, it moves there too (as on a transfer).
- **Transfers granted before requests followed them.** When a granted transfer's person now
  sits in another community than the one that handed them over while their requests and
  appointments are still held by that community, those move to the person's hub.

Like the services: each request takes a new version and a line in its history (``merged``,
``transferred``; an open one arrives unassigned, one in work goes back to triaged); a booked
consultation still ahead with the old hub is cancelled, as is a booked one of a merged record
at the same time as one of the kept person (they could not both take place); every change is on
the audit trail — of both hubs for a move — with no acting user (the migration did it).
Plain ORM on the historical models: the same on SQLite and PostgreSQL, and idempotent (a second
run finds nothing left behind).
"""

from django.db import migrations
from django.utils import timezone

BY_MIGRATION = "intake 0005: requests left behind"
BOOKED, CANCELLED = "booked", "cancelled"
CLOSED, IN_WORK, TRIAGED = "closed", "in_work", "triaged"


class _Mover:
    def __init__(self, apps) -> None:
        self.Person = apps.get_model("registry", "Person")
        self.AccessTransfer = apps.get_model("registry", "AccessTransfer")
        self.Request = apps.get_model("intake", "Request")
        self.RequestEvent = apps.get_model("intake", "RequestEvent")
        self.Appointment = apps.get_model("intake", "Appointment")
        self.AuditEvent = apps.get_model("audit", "AuditEvent")
        self.now = timezone.now()
        self.merged = dict(
            self.Person.objects.filter(merged_into__isnull=False).values_list(
                "pk", "merged_into_id"
            )
        )

    def survivor(self, person_id):
        seen = set()
        while person_id in self.merged and person_id not in seen:
            seen.add(person_id)
            person_id = self.merged[person_id]
        return person_id

    def audit(self, row, event, fields, *, community=None, organisation=None, reason=""):
        self.AuditEvent.objects.create(
            actor=None,
            action="update",
            event=event,
            object_type=row._meta.label_lower,
            object_id=str(row.pk),
            community_id=community or row.community_id,
            organisation_id=organisation or row.organisation_id,
            changed_fields=fields,
            reason=(reason or BY_MIGRATION)[:255],
        )

    def history(self, request, kind, **fields):
        self.RequestEvent.objects.create(request=request, actor=None, kind=kind, **fields)

    def overlaps_booked(self, appointment, person_id) -> bool:
        return (
            self.Appointment.objects.filter(
                person_id=person_id,
                status=BOOKED,
                starts_at__lt=appointment.ends_at,
                ends_at__gt=appointment.starts_at,
            )
            .exclude(pk=appointment.pk)
            .exists()
        )

    def cancel(self, appointment, reason) -> None:
        appointment.status, appointment.cancelled_at = CANCELLED, self.now
        appointment.cancelled_by, appointment.cancel_reason = None, reason
        appointment.save()
        if appointment.request_id:
            self.history(appointment.request, "cancelled", appointment=appointment)
        fields = ["status", "cancelled_at", "cancelled_by", "cancel_reason"]
        self.audit(appointment, "intake.appointment.cancelled", fields, reason=reason)

    def move(self, row, event, to) -> None:
        """``row`` to ``to`` (community, hub), saved, on the trails of both hubs."""
        sides = [(row.community_id, row.organisation_id), to]
        row.community_id, row.organisation_id = to
        row.save()
        for community, organisation in sides:
            self.audit(
                row,
                event,
                ["community", "organisation"],
                community=community,
                organisation=organisation,
            )

    def move_request(self, request, to) -> None:
        self.history(request, "transferred", changed_fields=["community", "organisation"])
        if request.status != CLOSED and request.assigned_to_id is not None:
            request.assigned_to_id = None
            self.history(request, "assigned", assigned_to=None)
        if request.status == IN_WORK:
            self.history(request, "status", from_status=IN_WORK, to_status=TRIAGED)
            request.status = TRIAGED
        self.move(request, "intake.request.transferred", to)

    def follow(self, requests, appointments, person, *, merged_from=None, cancel_reason) -> int:
        """The rows given become ``person``'s, and move to ``person``'s hub when held by
        another; the number of rows changed."""
        hub = person.organisation_id
        to = (person.community_id, hub)

        def leaves(row) -> bool:
            return hub is not None and row.organisation_id != hub

        appointments = list(appointments.select_related("request").order_by("starts_at", "pk"))
        requests = list(requests.order_by("pk"))
        for appointment in appointments:
            if appointment.status == BOOKED and (
                (leaves(appointment) and appointment.starts_at > self.now)
                or (merged_from and self.overlaps_booked(appointment, person.pk))
            ):
                self.cancel(appointment, cancel_reason)
        note = f"{merged_from} → {person.pk}" if merged_from else ""
        for request in requests:
            request.version += 1
            if merged_from:
                request.person_id = person.pk
                self.history(request, "merged", changed_fields=["person"])
            if leaves(request):
                self.move_request(request, to)
            else:
                request.save()
            if merged_from:
                self.audit(request, "intake.request.merged", ["person"], reason=note)
        for appointment in appointments:
            if merged_from:
                appointment.person_id = person.pk
            if leaves(appointment):
                self.move(appointment, "intake.appointment.transferred", to)
            else:
                appointment.save()
            if merged_from:
                self.audit(appointment, "intake.appointment.merged", ["person"], reason=note)
        return len(requests) + len(appointments)

    def merged_persons(self) -> int:
        held = set(
            self.Request.objects.filter(person__merged_into__isnull=False).values_list(
                "person_id", flat=True
            )
        )
        held |= set(
            self.Appointment.objects.filter(person__merged_into__isnull=False).values_list(
                "person_id", flat=True
            )
        )
        moved = 0
        for duplicate_id in sorted(held, key=str):
            kept = self.Person.objects.get(pk=self.survivor(duplicate_id))
            moved += self.follow(
                self.Request.objects.filter(person_id=duplicate_id),
                self.Appointment.objects.filter(person_id=duplicate_id),
                kept,
                merged_from=duplicate_id,
                cancel_reason="person_merged",
            )
        return moved

    def transferred_persons(self) -> int:
        moved = 0
        granted = self.AccessTransfer.objects.filter(status="granted").order_by("decided_at", "pk")
        for transfer in granted:
            person = self.Person.objects.get(pk=self.survivor(transfer.person_id))
            if person.community_id == transfer.from_community_id or person.organisation_id is None:
                continue  # back where it was handed over from, or held by no hub
            left = {"person_id": person.pk, "community_id": transfer.from_community_id}
            moved += self.follow(
                self.Request.objects.filter(**left),
                self.Appointment.objects.filter(**left),
                person,
                cancel_reason="person_transferred",
            )
        return moved


def move_requests_left_behind(apps, schema_editor) -> int:
    """Moves what was left behind (see the module); the number of rows changed."""
    mover = _Mover(apps)
    return mover.merged_persons() + mover.transferred_persons()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_subject_user"),
        ("intake", "0004_requests_follow_merges"),
        ("registry", "0006_document_attachments"),
    ]

    operations = [
        migrations.RunPython(move_requests_left_behind, migrations.RunPython.noop),
    ]
