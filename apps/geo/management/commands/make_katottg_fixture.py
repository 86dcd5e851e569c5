"""``manage.py make_katottg_fixture SOURCE_FILE OUT_FILE [--edition YYYY-MM-DD]`` — writes the
demo subset of an official КАТОТТГ file as a fixture (see ``apps.geo.demo_fixture``)::

    manage.py make_katottg_fixture ../shared/data/katottg/kodifikator-2025-05-16.csv \\
        apps/geo/fixtures/katottg_demo.json
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from apps.geo.demo_fixture import demo_units, fixture_json
from apps.geo.katottg_files import edition_date, read_katottg
from apps.geo.services import katottg_parse

from ._katottg import add_edition_argument, katottg_errors


class Command(BaseCommand):
    help = _("Записує демонстраційну вибірку КАТОТТГ з офіційного файлу у фікстуру JSON.")

    def add_arguments(self, parser):
        parser.add_argument("source_file", type=Path, help=_("файл КАТОТТГ (CSV або XLSX)"))
        parser.add_argument("out_file", type=Path, help=_("куди записати фікстуру JSON"))
        add_edition_argument(parser)

    def handle(self, *args, source_file: Path, out_file: Path, edition, **options):
        with katottg_errors(source_file):
            when = edition_date(source_file, edition)
            units = katottg_parse(read_katottg(source_file))
            demo = demo_units(units)
            text = fixture_json(
                demo, edition_date=when, source=source_file.name, edition_rows=len(units)
            )
        out_file.write_text(text, encoding="utf-8")
        self.stdout.write(
            _("%(path)s: записано одиниць КАТОТТГ — %(count)s.")
            % {"count": len(demo), "path": out_file}
        )
