"""Keeps the two catalogues whole. Source strings are Ukrainian, so the `uk` catalogue is the
source itself (identity) for every singular entry; plural entries and the whole `en` catalogue
are translated by people. Then both are compiled to .mo (polib: no msgfmt needed).

    python scripts/catalogues.py          # fill uk, compile, list what still needs a translator
    python scripts/catalogues.py --check  # exit 1 if anything is untranslated or not compiled
"""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("uk", "en")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"), wrapwidth=100)


def untranslated(po: polib.POFile) -> list[polib.POEntry]:
    """Entries with no translation, a fuzzy flag, or an empty plural form."""
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.fuzzy or (
            not entry.msgstr if not entry.msgid_plural else not all(entry.msgstr_plural.values())
        ):
            missing.append(entry)
    return missing


def fill_ukrainian(po: polib.POFile) -> int:
    """Singular entries are their own Ukrainian translation; msgmerge's fuzzy guesses for them
    (taken from a similar string) are replaced by the source."""
    filled = 0
    for entry in po:
        if entry.msgid_plural or entry.obsolete:
            continue
        if entry.fuzzy or entry.msgstr != entry.msgid:
            entry.msgstr = entry.msgid
            if entry.fuzzy:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            filled += 1
    return filled


def main(check: bool) -> int:
    problems = 0
    for language in LANGUAGES:
        po = catalogue(language)
        if language == "uk" and not check:
            fill_ukrainian(po)
        missing = untranslated(po)
        for entry in missing:
            print(f"{language}: untranslated: {entry.msgid!r} ({entry.occurrences[:1]})")
        problems += len(missing)
        if not check:
            po.save()
            po.save_as_mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    return 1 if problems and check else 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv))
