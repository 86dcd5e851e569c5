"""``manage.py load_katottg FILE [--edition YYYY-MM-DD]`` — loads a full edition of КАТОТТГ
(CSV or the ministry's XLSX; see ``apps.geo.katottg_files`` and ``apps.geo.services``)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from apps.geo.katottg_files import edition_date, read_katottg
from apps.geo.services import katottg_load

from ._katottg import add_edition_argument, katottg_errors


class Command(BaseCommand):
    help = _(
        "Завантажує повну редакцію КАТОТТГ з CSV або XLSX: додає нові коди, оновлює назви "
        "й категорії, вилучені коди позначає нечинними. Повторний запуск нічого не змінює."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=_("файл КАТОТТГ (CSV або XLSX)"))
        add_edition_argument(parser)

    def handle(self, *args, file: Path, edition, **options):
        started = time.monotonic()
        with katottg_errors(file):
            when = edition_date(file, edition)
            report = katottg_load(rows=read_katottg(file), edition_date=when, source=file.name)
        self.stdout.write(
            _(
                "КАТОТТГ, редакція %(edition)s: створено %(created)s, оновлено %(updated)s, "
                "позначено нечинними %(retired)s, усього в редакції %(total)s (%(seconds).1f с)."
            )
            % {
                "edition": report.edition.isoformat(),
                "created": report.created,
                "updated": report.updated,
                "retired": report.retired,
                "total": report.total,
                "seconds": time.monotonic() - started,
            }
        )
