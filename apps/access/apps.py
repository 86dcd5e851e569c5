from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "apps.access"
    verbose_name = _("Доступ")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (sign-in events go to the audit trail)
