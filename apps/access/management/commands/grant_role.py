"""Grants a role to a user from the command line (the first administrator, scripted set-ups)."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.access.models import Membership, User
from apps.access.roles import Role
from apps.audit import services as audit
from apps.geo.models import Unit


class Command(BaseCommand):
    help = (
        "Grants ROLE to USERNAME in a community (КАТОТТГ code) and/or an organisation (slug). "
        "The administrator role without either is global."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=list(Role.values))
        parser.add_argument(
            "--community", default="", help="КАТОТТГ code, e.g. UA56060470000086729"
        )
        parser.add_argument("--organisation", default="", help="organisation slug")

    @transaction.atomic
    def handle(self, *args, username, role, community, organisation, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        scope = self._scope(community, organisation)
        if role != Role.ADMIN and not any(scope.values()):
            raise CommandError("This role needs --community and/or --organisation.")
        membership, created = Membership.objects.get_or_create(user=user, role=role, **scope)
        is_global_admin = role == Role.ADMIN and not any(scope.values())
        if is_global_admin and not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        if created:
            audit.record(
                actor=None,
                actor_label="manage.py",
                action=audit.Action.CREATE,
                event="access.membership.created",
                target=membership,
            )
        self.stdout.write(f"{user.username}: {membership}" + ("" if created else " (already held)"))

    @staticmethod
    def _scope(community: str, organisation: str) -> dict:
        scope = {"community": None, "organisation": None}
        if community:
            scope["community"] = Unit.objects.filter(code=community).first()
            if scope["community"] is None:
                raise CommandError(f"Unknown КАТОТТГ code {community!r}.")
        if organisation:
            # By name, not by import: directory sits above access in the layering.
            organisation_model = apps.get_model("directory", "Organisation")
            scope["organisation"] = organisation_model.objects.filter(slug=organisation).first()
            if scope["organisation"] is None:
                raise CommandError(f"Unknown organisation {organisation!r}.")
        return scope
