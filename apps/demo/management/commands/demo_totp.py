from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.access import otp
from apps.demo.services import DEMO_DEVICE_NAME, demo_totp_key


class Command(BaseCommand):
    help = "Prints the current second-factor code of a demo user (demo authenticators only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        device = TOTPDevice.objects.filter(
            user__username=username,
            name=DEMO_DEVICE_NAME,
            key=demo_totp_key(username),
            confirmed=True,
        ).first()
        if device is None:
            raise CommandError(f"{username} has no demo authenticator.")
        self.stdout.write(otp.current_code(device))
