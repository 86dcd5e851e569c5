"""One service delivered to one person, with where it came from (``source_kind`` and
``source_id``: a referral's id, say). Held by the organisation that delivered it and, when it
came from a referral, seen by the hub that sent the referral too (``requested_by_*``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    REFERRAL = "referral", _("Направлення")


class ServiceDelivery(models.Model):
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("особа"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "directory.Service", verbose_name=_("послуга"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("організація, що надала"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    community = models.ForeignKey(
        "geo.Unit", verbose_name=_("громада"), on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("працівник"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_by_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("організація, що направила"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_by_community = models.ForeignKey(
        "geo.Unit",
        verbose_name=_("громада організації, що направила"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delivered_on = models.DateField(_("дата надання"))
    # How it ended, as the source says it (a referral's outcome: met, partly_met, not_met);
    # a service counts as delivered whatever the outcome, dashboards split by it.
    outcome = models.CharField(_("результат"), max_length=16, blank=True)
    source_kind = models.CharField(_("джерело"), max_length=16, choices=SourceKind.choices)
    source_id = models.CharField(_("ідентифікатор джерела"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_COMMUNITY = "community"
    SCOPE_ORGANISATION = "organisation"
    # The hub that referred the person sees the delivery too.
    SCOPE_ALSO = (("requested_by_community", "requested_by_organisation"),)

    class Meta:
        verbose_name = _("надана послуга")
        verbose_name_plural = _("надані послуги")
        ordering = ["-delivered_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_id"], name="delivery_once_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id} · {self.delivered_on:%Y-%m-%d}"
