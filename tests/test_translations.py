"""Both catalogues are complete: every string in the code and templates is in `uk` and `en`,
translated, and compiled. Adding a string without translating it fails here."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
LANGUAGES = ("uk", "en")
SOURCES = ("apps", "prostir", "templates", "manage.py", "locale")


def _po(root: Path, language: str) -> polib.POFile:
    return polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po"))


def _ids(po: polib.POFile) -> set[tuple[str, str, str]]:
    return {(e.msgctxt or "", e.msgid, e.msgid_plural or "") for e in po if not e.obsolete}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """A copy of the sources with catalogues freshly extracted by `makemessages`."""
    if not shutil.which("xgettext"):
        pytest.fail("xgettext is missing: install Debian's gettext (make sysdeps)")
    root = tmp_path_factory.mktemp("extract")
    for name in SOURCES:
        source = BASE / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, root / name)
    env = {**os.environ, "PROSTIR_VAR_DIR": str(root / "var"), "DATABASE_URL": "sqlite://:memory:"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "uk", "-l", "en", "--no-obsolete",
         "--no-location", "--verbosity", "0"],
        cwd=root, env=env, check=True, capture_output=True,
    )  # fmt: skip
    return root


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_every_string_of_the_code(extracted, language):
    in_code = _ids(_po(extracted, language))
    in_catalogue = _ids(_po(BASE, language))
    missing = sorted(in_code - in_catalogue)
    stale = sorted(in_catalogue - in_code)
    assert not missing, (
        f"strings missing from the {language} catalogue (run make messages): {missing}"
    )
    assert not stale, f"strings no longer in the code (run make messages): {stale}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language):
    po = _po(BASE, language)
    untranslated = [
        e.msgid
        for e in po
        if not e.obsolete
        and (e.fuzzy or not (all(e.msgstr_plural.values()) if e.msgid_plural else e.msgstr))
    ]
    assert not untranslated, f"untranslated {language} strings: {untranslated}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_source(language):
    po = _po(BASE, language)
    mo = polib.mofile(str(BASE / "locale" / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt or "", e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    for entry in po:
        if entry.obsolete:
            continue
        key = (entry.msgctxt or "", entry.msgid)
        assert key in compiled, f"{language}: not compiled (run make messages): {entry.msgid!r}"
        assert compiled[key] == (entry.msgstr, entry.msgstr_plural), entry.msgid


def test_english_differs_from_ukrainian_for_ukrainian_words():
    """A guard against an `en` catalogue filled with copies of the Ukrainian source. Cyrillic
    document series in examples (КВ123456, I-БК) are fine; Cyrillic words are not."""
    cyrillic_word = re.compile(r"[а-яіїєґ’ʼ']{3,}", re.IGNORECASE)
    cyrillic = [
        e.msgid for e in _po(BASE, "en") if not e.msgid_plural and cyrillic_word.search(e.msgstr)
    ]
    assert not cyrillic, f"en translations still in Cyrillic: {cyrillic}"
