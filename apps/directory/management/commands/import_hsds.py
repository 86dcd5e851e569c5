"""``manage.py import_hsds PATH [--community CODE]``: another publisher's HSDS 3.0 JSON into
the directory (see ``apps.directory.hsds.importer``). Prints a report per object; exits with 1
when anything was invalid (the valid objects are imported all the same)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.directory.hsds import importer, spec
from apps.geo.models import Unit

MARKS = {"imported": "+", "updated": "~", "skipped": "·", "invalid": "✗"}


class Command(BaseCommand):
    help = _(
        "Імпортує дані Open Referral HSDS 3.0 (файл або тека JSON: об'єкти, списки або сторінки "
        "API) і звітує про кожен об'єкт."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=_("Файл або тека з JSON."))
        parser.add_argument(
            "--community",
            help=_(
                "Код КАТОТТГ громади для організацій, чию громаду не визначити з даних "
                "(без ознаки КАТОТТГ і з адресою, якої немає в КАТОТТГ)."
            ),
        )
        parser.add_argument(
            "--json", action="store_true", help=_("Звіт у форматі JSON (для скриптів).")
        )

    def handle(self, *args, path: Path, community: str | None, **options):
        unit = None
        if community:
            unit = Unit.objects.filter(pk=community.strip().upper()).first()
            if unit is None or not unit.is_community:
                raise CommandError(
                    _("%(code)s — не код громади КАТОТТГ.") % {"code": community}, returncode=2
                )
        try:
            report = importer.import_path(path, community=unit)
        except spec.SpecMissing as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(as_json(report), ensure_ascii=False, indent=2))
        else:
            self._print(report)
        if not report.ok:
            raise CommandError(
                _(
                    "Є помилки: %(files)s файлів не прочитано, %(invalid)s об'єктів не "
                    "імпортовано. Коректні об'єкти імпортовано."
                )
                % {"files": len(report.unreadable), "invalid": report.count("invalid")},
                returncode=1,
            )

    def _print(self, report: importer.ImportReport) -> None:
        for name, message in report.unreadable:
            self.stderr.write(f"✗ {name}: {message}")
        for obj in report.objects:
            line = f"{MARKS[obj.status]} {obj.kind} {obj.id} ({obj.source}): {obj.status}"
            (self.stderr if obj.status == "invalid" else self.stdout).write(line)
            for problem in obj.problems:
                self.stderr.write(f"    {problem.where} [{problem.schema_path}] {problem.message}")
            if obj.notes:
                self.stdout.write("    " + _("не перенесено або змінено: ") + "; ".join(obj.notes))
        self.stdout.write(
            _(
                "Імпортовано: %(new)s, оновлено: %(updated)s, пропущено: %(skipped)s, "
                "з помилками: %(invalid)s"
            )
            % {
                "new": report.count("imported"),
                "updated": report.count("updated"),
                "skipped": report.count("skipped"),
                "invalid": report.count("invalid"),
            }
        )


def as_json(report: importer.ImportReport) -> dict:
    return {
        "ok": report.ok,
        "unreadable": [{"file": name, "message": message} for name, message in report.unreadable],
        "objects": [
            {
                "kind": obj.kind,
                "id": obj.id,
                "source": obj.source,
                "status": obj.status,
                "problems": [p.as_dict() for p in obj.problems],
                "not_mapped": obj.notes,
            }
            for obj in report.objects
        ],
    }
