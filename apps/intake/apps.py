from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "apps.intake"
    verbose_name = _("Звернення")

    def ready(self) -> None:
        from apps.directory import vocabularies
        from apps.registry.card import CardSection, register_section
        from apps.registry.signals import person_merged, person_transferred
        from apps.registry.synthetic import register_batch_hook

        from . import selectors, services
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
        vocabularies.register(vocabularies.NEEDS, selectors.need_choices)
        # Requests follow the person to the hub a transfer of access hands them over to.
        person_transferred.connect(
            services.requests_follow_person, dispatch_uid="intake.requests_follow_person"
        )
        # A duplicate's requests and appointments follow it into the record that is kept.
        person_merged.connect(
            services.requests_follow_merge, dispatch_uid="intake.requests_follow_merge"
        )
