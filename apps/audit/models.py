from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditImmutableError(Exception):
    """Raised on any attempt to change or remove an audit event."""


class Action(models.TextChoices):
    READ = "read", _("Перегляд")
    CREATE = "create", _("Створення")
    UPDATE = "update", _("Зміна")
    DELETE = "delete", _("Видалення")
    EXPORT = "export", _("Експорт")
    SIGN_IN = "sign_in", _("Вхід")
    SIGN_IN_FAILURE = "sign_in_failure", _("Невдалий вхід")
    SIGN_OUT = "sign_out", _("Вихід")
    PERMISSION_DENIED = "permission_denied", _("Відмовлено в доступі")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError("audit events cannot be changed")

    def delete(self):
        raise AuditImmutableError("audit events cannot be deleted")

    # bulk_update goes through update(); bulk_create stays allowed (it only appends).


class AuditEvent(models.Model):
    """One append-only line of the audit trail. Sensitive values are never stored here:
    ``changed_fields`` holds field names only."""

    at = models.DateTimeField(_("час"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("ім'я входу"), max_length=150, blank=True)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("про кого"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Користувач, якого стосується подія: власник облікового запису."),
    )
    action = models.CharField(_("дія"), max_length=32, choices=Action.choices, db_index=True)
    event = models.CharField(_("подія"), max_length=100)
    object_type = models.CharField(_("тип об'єкта"), max_length=64, blank=True)
    object_id = models.CharField(_("ідентифікатор об'єкта"), max_length=64, blank=True)
    community = models.ForeignKey(
        "geo.Unit",
        verbose_name=_("громада"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("організація"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ip = models.GenericIPAddressField(_("IP-адреса"), null=True, blank=True)
    request_id = models.CharField(_("ідентифікатор запиту"), max_length=64, blank=True)
    changed_fields = models.JSONField(_("змінені поля"), default=list, blank=True)
    reason = models.CharField(_("причина"), max_length=255, blank=True)

    objects = AuditEventQuerySet.as_manager()

    # Paths the access policy scopes events by (apps.access.policies): the event's own place,
    # and also every membership of the user it concerns — a sign-in of a member of two hubs
    # is seen by both hubs' coordinators.
    SCOPE_COMMUNITY = "community"
    SCOPE_ORGANISATION = "organisation"
    SCOPE_ALSO = (
        ("subject_user__memberships__community", "subject_user__memberships__organisation"),
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("подія аудиту")
        verbose_name_plural = _("події аудиту")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["community", "at"]),
            models.Index(fields=["organisation", "at"]),
        ]

    def __str__(self) -> str:
        at = f"{self.at:%Y-%m-%d %H:%M}" if self.at else "—"  # not yet written
        return f"{at} {self.actor_label} {self.event}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutableError("audit events cannot be changed")
        # Always an INSERT: a new instance given an existing pk would otherwise be saved as
        # an UPDATE of that row, through the base manager that bypasses ``update()`` above.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("audit events cannot be deleted")
