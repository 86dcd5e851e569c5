"""Requests for help, the needs taxonomy, a request's history and appointments.

A request and an appointment are held by a hub (``organisation``) and its community
(``community``, copied from the hub when created): the access policy scopes by both, like a
person. ``Request.version`` is the optimistic lock of a record people edit together.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .rules import Channel, CloseReason, Status, Urgency

__all__ = [
    "Appointment",
    "AppointmentKind",
    "AppointmentStatus",
    "CancelReason",
    "Channel",
    "CloseReason",
    "EventKind",
    "Need",
    "Request",
    "RequestEvent",
    "Status",
    "Urgency",
]


class Need(models.Model):
    """One need of the taxonomy a request names (housing, employment, …). Configured in admin;
    a retired need is made inactive, never deleted, so old requests keep it."""

    code = models.SlugField(_("код"), max_length=64, unique=True)
    name = models.CharField(_("назва"), max_length=255)
    name_en = models.CharField(_("назва англійською"), max_length=255, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("належить до"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    active = models.BooleanField(_("діє"), default=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("потреба")
        verbose_name_plural = _("потреби")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "uk").startswith("en"):
            return self.name_en
        return self.name


class Request(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("особа"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    community = models.ForeignKey(
        "geo.Unit", verbose_name=_("громада"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("хаб"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("канал звернення"), max_length=16, choices=Channel.choices)
    needs = models.ManyToManyField(Need, verbose_name=_("потреби"), related_name="+")
    urgency = models.CharField(
        _("терміновість"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    description = models.TextField(_("опис"), blank=True)
    status = models.CharField(
        _("стан"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    close_reason = models.CharField(
        _("причина закриття"), max_length=16, choices=CloseReason.choices, blank=True
    )
    close_note = models.TextField(_("примітка до закриття"), blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("відповідальний працівник"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("виконати до"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("отримано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("змінено"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто записав"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    SCOPE_COMMUNITY = "community"
    SCOPE_ORGANISATION = "organisation"

    class Meta:
        verbose_name = _("звернення")
        verbose_name_plural = _("звернення")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "status", "created_at"], name="intake_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=Status.CLOSED) | Q(close_reason=""),
                name="intake_request_reason_only_when_closed",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CLOSED) | ~Q(close_reason=""),
                name="intake_request_closed_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.id)

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class EventKind(models.TextChoices):
    CREATED = "created", _("Звернення записано")
    UPDATED = "updated", _("Звернення змінено")
    STATUS = "status", _("Стан змінено")
    ASSIGNED = "assigned", _("Призначено працівника")
    BOOKED = "booked", _("Записано на консультацію")
    CANCELLED = "cancelled", _("Запис скасовано")
    TRANSFERRED = "transferred", _("Звернення передано до іншого хабу разом з особою")
    MERGED = "merged", _("Записи особи об'єднано: звернення тепер у записі, що залишився")


class RequestEvent(models.Model):
    """One line of a request's visible history (the audit trail keeps who read what)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("час"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("подія"), max_length=16, choices=EventKind.choices)
    from_status = models.CharField(_("зі стану"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("до стану"), max_length=16, choices=Status.choices, blank=True)
    reason = models.CharField(_("причина"), max_length=16, choices=CloseReason.choices, blank=True)
    note = models.TextField(_("примітка"), blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("працівник"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    appointment = models.ForeignKey(
        "Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_fields = models.JSONField(_("змінені поля"), default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("подія звернення")
        verbose_name_plural = _("історія звернення")

    def __str__(self) -> str:
        return self.get_kind_display()


class AppointmentKind(models.TextChoices):
    PRIMARY_CONSULTATION = "primary_consultation", _("Первинна консультація")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Заплановано")
    CANCELLED = "cancelled", _("Скасовано")
    DONE = "done", _("Відбулася")


class CancelReason(models.TextChoices):
    """Why an appointment was cancelled, when nobody cancelled it by hand."""

    PERSON_TRANSFERRED = "person_transferred", _("особу передано до іншого хабу")
    PERSON_MERGED = "person_merged", _("записи особи об'єднано")


class Appointment(models.Model):
    """A specialist's time with a person, in a hub and maybe a room. Overlaps of booked
    appointments are refused by ``services.appointment_book`` (and by PostgreSQL's exclusion
    constraints, see the migration)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    community = models.ForeignKey(
        "geo.Unit", verbose_name=_("громада"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("хаб"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("фахівець"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("особа"), on_delete=models.PROTECT, related_name="+"
    )
    request = models.ForeignKey(
        Request,
        verbose_name=_("звернення"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    kind = models.CharField(
        _("вид"),
        max_length=32,
        choices=AppointmentKind.choices,
        default=AppointmentKind.PRIMARY_CONSULTATION,
    )
    starts_at = models.DateTimeField(_("початок"))
    ends_at = models.DateTimeField(_("кінець"))
    room = models.ForeignKey(
        "directory.Room",
        verbose_name=_("приміщення"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("стан"),
        max_length=16,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто записав"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("скасовано"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто скасував"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.CharField(
        _("причина скасування"), max_length=32, choices=CancelReason.choices, blank=True
    )

    SCOPE_COMMUNITY = "community"
    SCOPE_ORGANISATION = "organisation"

    class Meta:
        verbose_name = _("запис на прийом")
        verbose_name_plural = _("записи на прийом")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["specialist", "starts_at"], name="intake_appt_specialist"),
            models.Index(fields=["person", "starts_at"], name="intake_appt_person"),
            models.Index(fields=["room", "starts_at"], name="intake_appt_room"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="intake_appointment_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"
