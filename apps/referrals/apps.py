from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "apps.referrals"
    verbose_name = _("Направлення")

    def ready(self) -> None:
        from apps.registry.card import CardSection, register_section
        from apps.registry.signals import consent_withdrawn

        from . import services
        from .card import person_referrals_section

        register_section(
            CardSection(
                key="referrals.person",
                template="referrals/includes/person_referrals.html",
                context=person_referrals_section,
                order=20,
            )
        )
        # A withdrawn consent stops the contact going to partners on open referrals.
        consent_withdrawn.connect(
            services.stop_sharing_withdrawn_contact,
            dispatch_uid="referrals.stop_sharing_withdrawn_contact",
        )
