"""What the КАТОТТГ commands share: the FILE and --edition arguments and turning format errors
into ``CommandError`` (exit status 1, the message names the file and the line)."""

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from apps.geo.katottg_files import KatottgFormatError


def add_edition_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--edition",
        type=_iso_date,
        default=None,
        help=_("дата редакції РРРР-ММ-ДД (типово — з назви файлу)"),
    )


@contextmanager
def katottg_errors(path: Path) -> Iterator[None]:
    """Reports a bad or unreadable file as a command error that names it."""
    try:
        yield
    except KatottgFormatError as error:
        raise CommandError(f"{path}: {error}") from error
    except OSError as error:
        raise CommandError(
            _("%(path)s: не вдається прочитати файл (%(error)s)")
            % {"path": path, "error": error.strerror or error}
        ) from error


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            _("«%(value)s» — не дата РРРР-ММ-ДД") % {"value": value}
        ) from error
