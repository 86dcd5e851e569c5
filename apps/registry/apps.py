from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "apps.registry"
    verbose_name = _("Реєстр осіб")

    def ready(self) -> None:
        from apps.directory import vocabularies

        from .models import Category

        vocabularies.register(vocabularies.CATEGORIES, lambda: Category.choices)
