from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from apps.referrals.tasks import notify_overdue_referrals


class Command(BaseCommand):
    help = _(
        "Надсилає повідомлення про прострочені направлення (кожне — один раз на строк). "
        "Без --now ставить завдання в чергу для db_worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help=_("Виконати одразу, без черги db_worker.")
        )

    def handle(self, *args, now: bool = False, **options):
        if now:
            counts = notify_overdue_referrals.call()
            self.stdout.write(
                _(
                    "Направлень, строк яких сплив: %(expired)s; "
                    "про прострочені повідомлено: %(noticed)s."
                )
                % counts
            )
            return
        result = notify_overdue_referrals.enqueue()
        self.stdout.write(_("Завдання поставлено в чергу: %(id)s.") % {"id": result.id})
