from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.demo.data import DEMO_PASSWORD
from apps.demo.services import DemoRefused, demo_load, demo_persons


class Command(BaseCommand):
    help = "Loads the demo hubs (Rivne, Novovolynsk, Truskavets, Vinnytsia) and their users."

    def handle(self, *args, **options):
        try:
            users = demo_load()
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        out = self.stdout
        out.write(self.style.SUCCESS(f"Demo data loaded: {len(users)} users."))
        out.write(demo_persons())
        out.write("")
        out.write("Sign in at http://127.0.0.1:8000/sign-in/")
        out.write(f"Password of every demo user: {DEMO_PASSWORD}")
        out.write("Second factor: add the key below to an authenticator app, or print the current")
        out.write("code with: .venv/bin/python manage.py demo_totp <username>")
        out.write("")
        out.write(f"{'username':<26} {'role':<13} {'authenticator key':<34} where")
        for user in users:
            key = user.totp_secret or "(not needed: aggregates only)"
            out.write(f"{user.username:<26} {user.role:<13} {key:<34} {user.where}")
        if settings.DEBUG:
            out.write(self.style.WARNING("DEBUG is on."))
