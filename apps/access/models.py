import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Role


class User(AbstractUser):
    """A member of staff or of a partner organisation. Names are kept in Cyrillic."""

    patronymic = models.CharField(_("по батькові"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("мова інтерфейсу"),
        max_length=8,
        choices=[("uk", _("Українська")), ("en", _("English"))],
        default="uk",
    )

    # Paths for the access policy: a user is in the scopes of the memberships they hold.
    SCOPE_COMMUNITY = "memberships__community"
    SCOPE_ORGANISATION = "memberships__organisation"

    class Meta:
        verbose_name = _("користувач")
        verbose_name_plural = _("користувачі")

    def get_full_name(self) -> str:
        return " ".join(p for p in [self.last_name, self.first_name, self.patronymic] if p)


class Membership(models.Model):
    """A role a user holds in a community (a hromada, or for analysts a raion or oblast)
    and/or an organisation. An administrator's membership may name neither: it is global."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("роль"), max_length=32, choices=Role.choices)
    community = models.ForeignKey(
        "geo.Unit",
        verbose_name=_("громада або територія"),
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
        related_name="memberships",
    )
    created_at = models.DateTimeField(_("надано"), auto_now_add=True)

    SCOPE_COMMUNITY = "community"
    SCOPE_ORGANISATION = "organisation"

    class Meta:
        verbose_name = _("членство")
        verbose_name_plural = _("членства")
        constraints = [
            # One row per user × role × scope; NULLs spelt out because SQLite treats
            # them as distinct in a plain unique constraint.
            models.UniqueConstraint(
                fields=["user", "role", "community", "organisation"],
                name="access_membership_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "community"],
                condition=Q(organisation__isnull=True),
                name="access_membership_unique_community",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(community__isnull=True),
                name="access_membership_unique_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(community__isnull=True, organisation__isnull=True),
                name="access_membership_unique_global",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.ADMIN)
                | Q(community__isnull=False)
                | Q(organisation__isnull=False),
                name="access_membership_scoped_unless_admin",
            ),
        ]

    def __str__(self) -> str:
        where = self.organisation or self.community or _("усі громади")
        return f"{self.get_role_display()} — {where}"


TOKEN_PREFIX = "prs_"  # noqa: S105 - a public marker, not a secret


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class PersonalAccessTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class PersonalAccessToken(models.Model):
    """A bearer token for partners and integrations. Only its SHA-256 digest is stored;
    the token itself is shown once, when it is created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(_("назва"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("початок токена"), max_length=12)
    created_at = models.DateTimeField(_("створено"), auto_now_add=True)
    expires_at = models.DateTimeField(_("діє до"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("останнє використання"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("відкликано"), null=True, blank=True)

    objects = PersonalAccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("персональний токен доступу")
        verbose_name_plural = _("персональні токени доступу")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def new_raw_token() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    @property
    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
