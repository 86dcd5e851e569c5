"""Issues a personal access token from the command line and prints only the token, so that a
script can capture it: ``TOKEN=$(python manage.py issue_token partner.a --name crm)``.
The name and the expiry obey the same rules as in the API (``schemas.TokenIn``)."""

from django.core.management.base import BaseCommand, CommandError
from pydantic import ValidationError

from apps.access import services
from apps.access.actor import actor_for
from apps.access.models import User
from apps.access.schemas import TokenIn


def _as_options(exc: ValidationError) -> str:
    """``expires_in_days: Input should be …`` → ``--expires-in-days: Input should be …``."""
    return "; ".join(
        f"--{str(error['loc'][0]).replace('_', '-')}: {error['msg']}" for error in exc.errors()
    )


class Command(BaseCommand):
    help = (
        "Creates a personal access token for USERNAME and prints it (only it, on stdout). "
        "The token acts with the user's permissions; it is shown this once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="manage.py issue_token", help="what the token is for")
        parser.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            help="1–730; without it the token is valid until revoked",
        )

    def handle(self, *args, username, name, expires_in_days, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; a token would not work.")
        try:
            wanted = TokenIn(name=name, expires_in_days=expires_in_days)
        except ValidationError as exc:
            raise CommandError(_as_options(exc)) from exc
        _token, raw = services.token_create(
            actor=actor_for(user),
            name=wanted.name,
            expires_in_days=wanted.expires_in_days,
            operator="manage.py issue_token",
        )
        self.stdout.write(raw)
