"""Referrals of a person to a service of the hub or of a partner organisation, their visible
history and the overdue notices already sent.

A referral is held on two sides: the sending hub (``sender_organisation`` and its community)
and the organisation giving the service (``receiver_organisation``). The access policy scopes
``Referral`` by either side — the sending hub's community and organisation, or the receiving
organisation alone (a grant on a whole community does not open what other hubs sent to the
organisations working there); the proxies ``OutgoingReferral`` and
``IncomingReferral`` by one side only (the outgoing list, the partner inbox). What the receiver
sees of the person is copied at sending time into ``shared_person`` — only the items named in
``shared`` — so the receiving side never reads the registry.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .rules import Deadline, Outcome, Status

__all__ = [
    "Deadline",
    "IncomingReferral",
    "Outcome",
    "OutgoingReferral",
    "Referral",
    "ReferralEvent",
    "ReferralNotice",
    "ReferralSequence",
    "Shared",
    "Status",
]


class Shared(models.TextChoices):
    """What the receiver sees. Name, need and note always; contact only with consent."""

    NAME = "name", _("Ім'я та прізвище")
    CONTACT = "contact", _("Контакт (телефон, електронна пошта)")
    NEED = "need", _("Потреба")
    NOTE = "note", _("Примітка для отримувача")


MINIMUM_SHARED = (Shared.NAME, Shared.NEED, Shared.NOTE)


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("номер направлення"), max_length=20, unique=True)
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("особа"), on_delete=models.PROTECT, related_name="+"
    )
    request = models.ForeignKey(
        "intake.Request",
        verbose_name=_("звернення"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    service = models.ForeignKey(
        "directory.Service", verbose_name=_("послуга"), on_delete=models.PROTECT, related_name="+"
    )
    need = models.ForeignKey(
        "intake.Need", verbose_name=_("потреба"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("примітка для отримувача"), blank=True)
    shared = models.JSONField(_("що бачить отримувач"), default=list)
    # {"name", "phone", "email"}: the person's data as sent, only what ``shared`` names.
    shared_person = models.JSONField(default=dict, editable=False)
    sender_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("хаб, що направив"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sender_community = models.ForeignKey(
        "geo.Unit", verbose_name=_("громада хабу"), on_delete=models.PROTECT, related_name="+"
    )
    receiver_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("організація, що надає послугу"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    receiver_community = models.ForeignKey(
        "geo.Unit",
        verbose_name=_("громада організації"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("стан"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    reason = models.TextField(_("причина відхилення або скасування"), blank=True)
    outcome = models.CharField(_("результат"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("примітка до результату"), blank=True)
    sent_at = models.DateTimeField(_("надіслано"), null=True, blank=True)
    respond_by = models.DateField(_("відповісти до"), null=True, blank=True)
    complete_by = models.DateField(_("виконати до"), null=True, blank=True)
    answered_at = models.DateTimeField(_("відповідь отримано"), null=True, blank=True)
    closed_at = models.DateTimeField(_("закрито"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("створено"), auto_now_add=True)
    updated_at = models.DateTimeField(_("змінено"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто направив"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The client's ``Idempotency-Key``: the same key from the same user gives the same referral.
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)

    SCOPE_COMMUNITY = "sender_community"
    SCOPE_ORGANISATION = "sender_organisation"
    # The receiving side is its organisation's staff only: a grant on the whole community the
    # receiver works in does not reach what other hubs sent it (need-to-know).
    SCOPE_ALSO = ((None, "receiver_organisation"),)

    class Meta:
        verbose_name = _("направлення")
        verbose_name_plural = _("направлення")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["sender_organisation", "status"], name="referrals_outgoing"),
            models.Index(fields=["receiver_organisation", "status"], name="referrals_incoming"),
            models.Index(fields=["person", "service", "need"], name="referrals_open_same"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="referrals_idempotency_key_once",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.COMPLETED) | Q(outcome=""),
                name="referrals_outcome_only_when_completed",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.COMPLETED) | ~Q(outcome=""),
                name="referrals_completed_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    # The audit trail files a referral under the sending hub.
    @property
    def community(self):
        return self.sender_community

    @property
    def organisation(self):
        return self.sender_organisation

    @property
    def is_open(self) -> bool:
        return self.status in (Status.DRAFT, Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS)

    @property
    def is_external(self) -> bool:
        return self.receiver_organisation_id != self.sender_organisation_id

    @property
    def shared_name(self) -> str:
        return self.shared_person.get("name", "")

    @property
    def shared_contact(self) -> str:
        parts = [self.shared_person.get("phone", ""), self.shared_person.get("email", "")]
        return ", ".join(p for p in parts if p)


class OutgoingReferral(Referral):
    """The same referrals, scoped for the sending hub only."""

    SCOPE_COMMUNITY = "sender_community"
    SCOPE_ORGANISATION = "sender_organisation"
    SCOPE_ALSO = ()

    class Meta:
        proxy = True
        verbose_name = _("вихідне направлення")
        verbose_name_plural = _("вихідні направлення")


class IncomingReferral(Referral):
    """The same referrals, scoped for the receiving organisation only (the partner inbox)."""

    SCOPE_COMMUNITY = None  # the receiving organisation's staff only (see ``Referral``)
    SCOPE_ORGANISATION = "receiver_organisation"
    SCOPE_ALSO = ()

    class Meta:
        proxy = True
        verbose_name = _("вхідне направлення")
        verbose_name_plural = _("вхідні направлення")


class ReferralEvent(models.Model):
    """One line of a referral's visible history: who moved it where, when and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("час"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    from_status = models.CharField(_("зі стану"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("до стану"), max_length=16, choices=Status.choices)
    reason = models.TextField(_("причина"), blank=True)
    outcome = models.CharField(_("результат"), max_length=16, choices=Outcome.choices, blank=True)
    note = models.TextField(_("примітка"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("подія направлення")
        verbose_name_plural = _("історія направлення")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ReferralSequence(models.Model):
    """The last reference number given in a year (``НП-2026-000123``)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("лічильник номерів направлень")
        verbose_name_plural = _("лічильники номерів направлень")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ReferralNotice(models.Model):
    """An overdue notice sent for one deadline of one referral: at most one each."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notices")
    deadline = models.CharField(_("строк"), max_length=16, choices=Deadline.choices)
    due = models.DateField(_("строк минув"))
    sent_at = models.DateTimeField(_("надіслано"), auto_now_add=True)
    # ``None`` while the e-mails are going out: a run that died then is taken up again later.
    recipients = models.PositiveSmallIntegerField(_("скільком надіслано"), null=True, blank=True)

    class Meta:
        verbose_name = _("повідомлення про прострочене направлення")
        verbose_name_plural = _("повідомлення про прострочені направлення")
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "deadline"], name="referrals_one_notice_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.deadline}"
