"""``manage.py export_hsds DIR [--include-staff]``: the directory as HSDS 3.0 JSON (see
``apps.directory.hsds.exporter``). Exits with 1 and a report when an object does not validate
against the official schemas; DIR is then left as it was."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.directory.hsds import exporter, spec


class Command(BaseCommand):
    help = _(
        "Записує довідник у форматі Open Referral HSDS 3.0: organizations/, services/, "
        "taxonomies/, taxonomy_terms/ — по файлу на об'єкт."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help=_("Тека, куди записати файли."))
        parser.add_argument(
            "--include-staff",
            action="store_true",
            help=_("Також послуги, видимі лише працівникам (типово — лише опубліковані)."),
        )

    def handle(self, *args, directory: Path, include_staff: bool, **options):
        try:
            report = exporter.export(directory, include_staff=include_staff)
        except spec.SpecMissing as exc:
            raise CommandError(str(exc)) from exc
        for folder, count in report.written.items():
            self.stdout.write(f"{folder}: {count}")
        for invalid in report.invalid:
            self.stderr.write(
                _("Не відповідає схемі HSDS 3.0: %(kind)s %(id)s")
                % {
                    "kind": invalid.kind,
                    "id": invalid.id,
                }
            )
            for problem in invalid.problems:
                self.stderr.write(f"  {problem.where} [{problem.schema_path}] {problem.message}")
        if not report.ok:
            raise CommandError(
                _("%(count)s об'єктів не записано: вони не відповідають схемам HSDS 3.0.")
                % {"count": len(report.invalid)},
                returncode=1,
            )
