from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "apps.intake"
    verbose_name = _("Звернення")

    def ready(self) -> None:
        from apps.registry.card import CardSection, register_section
        from apps.registry.synthetic import register_batch_hook

        from .card import person_requests_section
        from .synthetic import add_requests

        register_section(
            CardSection(
                key="intake.requests",
                template="intake/includes/person_requests.html",
                context=person_requests_section,
                order=10,
            )
        )
        register_batch_hook(add_requests)
