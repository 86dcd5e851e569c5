"""Name rules of the registry: the national transliteration and the search keys that let duplicate
persons meet. Pure functions, no models.

``transliterate(text)``
    Cyrillic → Latin by the national table (CMU Resolution 55 of 27.01.2010), letter by letter,
    case kept. Letters outside the Ukrainian alphabet (Latin, digits, Russian ё ы э ъ…) pass
    through unchanged; apostrophes (' ’ ʼ ‘ `) are dropped everywhere.

``name_key(text, part)``
    The Cyrillic search key: NFC → apostrophes and combining marks (stress) dropped → Russian
    letters folded (ё→е, ы→и, э→е, ъ dropped) → accents of letters outside the Ukrainian
    alphabet dropped (é → e, Ќ → К) → look-alike letters of the other script folded inside a
    word ("Марiя" typed with a Latin i) → lower case → dashes unified, other punctuation to
    spaces → Russian and diminutive given names and patronymics mapped to the Ukrainian form
    (``GIVEN_NAMES``, ``PATRONYMICS``), and Russian patronymic endings to Ukrainian ones
    (``PATRONYMIC_ENDINGS``).

``latin_key(text, part)``
    The key that lets a Latin-typed name (a foreign passport, an old Soviet-era spelling) meet the
    Cyrillic one: ``transliterate(name_key(text, part))`` then, per word, the Latin folds of
    ``_latin_fold`` (documented there) and the same name tables seen through those folds.

``person_keys(last_name, first_name, patronymic)``
    Both keys per part and for the full name, and ``surname_sound``, a coarse key of the surname
    for blocking (see ``surname_sound``).

``latin_readings(text, part)``
    Other Latin keys a Latin-typed name may stand for: a lone "h" read as Х (Czech and German
    habit: "Vahko" for Вахко, which the national table reads as Вагко) and a lone "c" as Ц
    (Soviet-era spellings: "Casishina" for Цасишина). For the search, not stored.

``typing_key(key)``
    A Latin key with each group the table writes for one Cyrillic letter (shch, zh, kh, ts, ch,
    sh) as one symbol, so that one letter mistyped in Cyrillic is one edit here too (Сащук typed
    Саук: "sashchuk" against "sauk" is four edits, "saщuk" against "sauk" one). For comparing
    keys, not stored.

What the keys do not do (on purpose): swapped parts ("Олена Шевчук" typed as the surname
"Олена") are the caller's business — it compares the parts it has; typos, dropped letters and
names not in the tables are for similarity ranking later (rapidfuzz / pg_trgm), not for the keys.
A Latin input has no Cyrillic key: its ``name_key`` is just the cleaned Latin text, so Cyrillic and
Latin names meet on ``latin_key`` only.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "APOSTROPHES",
    "GIVEN_NAMES",
    "PATRONYMICS",
    "PATRONYMIC_ENDINGS",
    "NamePart",
    "PersonKeys",
    "latin_key",
    "latin_readings",
    "name_key",
    "person_keys",
    "surname_sound",
    "transliterate",
    "typing_key",
]

#: ' U+0027, ’ U+2019, ʼ U+02BC (the Unicode-preferred one), ‘ U+2018, ` U+0060.
APOSTROPHES = "'\u2019\u02bc\u2018`"

NamePart = Literal["any", "surname", "given", "patronymic"]
"""Which part of a name a text is: only given names go through ``GIVEN_NAMES``, only
patronymics through ``PATRONYMICS`` and ``PATRONYMIC_ENDINGS``, surnames through neither (a
surname may be spelled like a diminutive: Юрко, Сашко). ``"any"`` (free text, part unknown) uses
both tables on whole words but not the endings rules."""

# ---------------------------------------------------------------------------------------------
# Transliteration: the national table

_TABLE = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia",
}  # fmt: skip
#: At the start of a word.
_WORD_START = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def _in_word(char: str) -> bool:
    """Letters, apostrophes and combining marks make a word; anything else ends one."""
    return char.isalpha() or char in APOSTROPHES or _is_mark(char)


def _words(text: str):
    """Split ``text`` into runs: ``(is_word, run)``."""
    for is_word, run in itertools.groupby(text, key=_in_word):
        yield is_word, "".join(run)


def _transliterate_word(word: str) -> str:
    cased = [char for char in word if char.isupper() or char.islower()]
    all_caps = len(cased) >= 2 and all(char.isupper() for char in cased)
    out: list[str] = []
    previous = ""  # the previous letter of the word; apostrophes and marks do not count
    for char in word:
        if char in APOSTROPHES:
            continue
        if _is_mark(char):
            out.append(char)
            continue
        lower = char.lower()
        latin = _TABLE.get(lower)
        if latin is None:
            out.append(char)
        else:
            if not previous and lower in _WORD_START:
                latin = _WORD_START[lower]
            elif lower == "г" and previous.lower() == "з":
                latin = "gh"
            if char.isupper():
                latin = latin.upper() if all_caps else latin.capitalize()
            out.append(latin)
        previous = char
    return "".join(out)


def transliterate(text: str) -> str:
    """Ukrainian Cyrillic → Latin by the national table (CMU Resolution 55 of 27.01.2010).

    Є Ї Й Ю Я are ye yi y yu ya at the start of a word and ie i i iu ia elsewhere; «зг» is zgh;
    Ь and apostrophes are dropped. A word starts after a space, a hyphen or any other non-letter
    (a digit too), never after an apostrophe. A capital becomes a capitalised Latin group (Щ → Shch)
    unless its whole word is in capitals (two letters or more): ШЕВЧУК → SHEVCHUK, Ю. → Yu.
    """
    text = unicodedata.normalize("NFC", text)
    return "".join(_transliterate_word(run) if is_word else run for is_word, run in _words(text))


# ---------------------------------------------------------------------------------------------
# The name tables (data: extend freely; every spelling is normalised on import)

#: Ukrainian given name → Russian spellings and diminutives (Ukrainian and Russian). Анна/Ганна:
#: the canonical form is Ганна (the Ukrainian church/passport form, as ARCHITECTURE.md says), so
#: Анна, Аня, Ганя and Anna, Hanna, Ganna all meet it; only the key changes, never the name shown.
GIVEN_NAMES: dict[str, tuple[str, ...]] = {
    "Олександр": ("Александр", "Саша", "Сашко", "Сашка"),
    "Олексій": ("Алексей", "Льоша", "Лёша", "Альоша", "Алёша"),
    "Сергій": ("Сергей", "Сєрьожа", "Серёжа", "Сергійко"),
    "Андрій": ("Андрей", "Андрійко", "Андрюша"),
    "Володимир": ("Владимир", "Вова", "Володя"),
    "Дмитро": ("Дмитрий", "Діма", "Дима", "Дмитрик"),
    "Микола": ("Николай", "Коля", "Миколка"),
    "Іван": ("Иван", "Ваня", "Іванко"),
    "Юрій": ("Юрий", "Юра", "Юрко"),
    "Михайло": ("Михаил", "Миша", "Михась"),
    "Олена": ("Елена", "Алёна", "Альона", "Лена", "Оленка"),
    "Наталія": ("Наталя", "Наталья", "Наталия", "Наташа"),
    "Тетяна": ("Татьяна", "Таня"),
    "Ірина": ("Ирина", "Іра", "Ира"),
    "Світлана": ("Светлана", "Світла", "Света"),
    "Юлія": ("Юлия", "Юля"),
    "Ольга": ("Оля",),
    "Марія": ("Мария", "Маруся", "Маша"),
    "Ганна": ("Анна", "Аня", "Ганя"),
    "Катерина": ("Екатерина", "Катя"),
    # beyond DOMAIN.md: names whose patronymics the endings rules get wrong
    "Василь": ("Василий", "Вася"),
    "Євген": ("Евгений",),
    "Григорій": ("Григорий", "Гриша"),
}

#: Ukrainian patronymic → Russian spellings, for the names of ``GIVEN_NAMES`` whose patronymic
#: the endings rules alone would get wrong: a different stem (Александр/Олександр, Николай/
#: Микола, Иван/Іван) or a different ending (Дмитриевич/Дмитрович, Васильевич/Васильович,
#: Евгеньевич/Євгенович).
PATRONYMICS: dict[str, tuple[str, ...]] = {
    "Олександрович": ("Александрович",),
    "Олександрівна": ("Александровна",),
    "Олексійович": ("Алексеевич",),
    "Олексіївна": ("Алексеевна",),
    "Сергійович": ("Сергеевич",),
    "Сергіївна": ("Сергеевна",),
    "Андрійович": ("Андреевич",),
    "Андріївна": ("Андреевна",),
    "Володимирович": ("Владимирович",),
    "Володимирівна": ("Владимировна",),
    "Дмитрович": ("Дмитриевич",),
    "Дмитрівна": ("Дмитриевна",),
    "Миколайович": ("Николаевич",),
    "Миколаївна": ("Николаевна",),
    "Іванович": ("Иванович",),
    "Іванівна": ("Ивановна",),
    "Юрійович": ("Юрьевич", "Юриевич"),
    "Юріївна": ("Юрьевна", "Юриевна"),
    "Михайлович": (),
    "Михайлівна": ("Михайловна",),
    "Васильович": ("Васильевич",),
    "Василівна": ("Васильевна",),
    "Євгенович": ("Евгеньевич", "Евгениевич"),
    "Євгенівна": ("Евгеньевна", "Евгениевна"),
    "Григорович": ("Григорьевич", "Григориевич"),
    "Григорівна": ("Григорьевна", "Григориевна"),
}

#: Russian patronymic endings → Ukrainian ones, first match wins (applied to a patronymic that is
#: not in ``PATRONYMICS``; the result is looked up there again): Матвеевна → Матвіївна,
#: Николаевна → Николаївна, Анатольевна → Анатоліївна, Петровна → Петрівна, Игоревна →
#: Игорівна; Матвеевич → Матвійович, Анатольевич → Анатолійович, Игоревич → Игорович; -ович
#: stays. The stem itself changes only through ``PATRONYMICS`` (Игорович keeps its и).
PATRONYMIC_ENDINGS: tuple[tuple[str, str], ...] = (
    ("еевна", "іївна"),
    ("аевна", "аївна"),
    ("ьевна", "іївна"),
    ("овна", "івна"),
    ("евна", "івна"),
    ("еевич", "ійович"),
    ("аевич", "айович"),
    ("ьевич", "ійович"),
    ("евич", "ович"),
)
#: The same rules as they look in Latin after ``_latin_spelling``, for Latin-typed patronymics.
#: The table drops ь, so Latin cannot tell Анатольевич from Игоревич: ``_latin_fold`` therefore
#: also drops the i (й) before a final "ovich" (Анатолійович and Анатольевич → anatolovich).
_LATIN_PATRONYMIC_ENDINGS: tuple[tuple[str, str], ...] = (
    ("aevna", "aivna"),  # Николаевна: the Latin of Николаївна
    ("ovna", "ivna"),
    ("evna", "ivna"),  # after the squeeze, eevna is evna too
    ("evich", "ovich"),  # and eevich, aevich are evich (then the i before ovich goes)
)

# ---------------------------------------------------------------------------------------------
# The Cyrillic key

_RUSSIAN_FOLD = str.maketrans(
    {"ё": "е", "ы": "и", "э": "е", "ъ": None, "Ё": "Е", "Ы": "И", "Э": "Е", "Ъ": None}
)
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_NOT_NAME = re.compile(r"[^\w\-]|[\d_]")
_SPACES_AROUND_DASHES = re.compile(r"\s*-[\s-]*")
_SEPARATORS = re.compile(r"([\s-]+)")

#: Letters that look alike in both scripts: in a word written mostly in one script, a look-alike of
#: the other one is taken for a slip of the keyboard layout ("Марiя" with a Latin i).
_LATIN_TO_CYRILLIC = dict(zip("ACEIOPXYÏBHKMTaceiopxyï", "АСЕІОРХУЇВНКМТасеіорхуї", strict=True))
_CYRILLIC_TO_LATIN = {cyrillic: latin for latin, cyrillic in _LATIN_TO_CYRILLIC.items()}


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def _fold_look_alikes(word: str) -> str:
    cyrillic = sum(1 for char in word if _is_cyrillic(char))
    latin = sum(1 for char in word if char.isascii() or "\u00c0" <= char <= "\u024f")
    if not cyrillic or not latin:
        return word
    table = _LATIN_TO_CYRILLIC if cyrillic >= latin else _CYRILLIC_TO_LATIN
    return "".join(table.get(char, char) for char in word)


_UKRAINIAN = frozenset(_TABLE) | {letter.upper() for letter in _TABLE}


def _unaccented(char: str) -> str:
    """A letter outside the Ukrainian alphabet without its accents; Ï/ï are kept for the
    look-alikes (a Latin ï typed for ї)."""
    if char in _UKRAINIAN or char in "Ïï":
        return char
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) == 1:
        return char
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not _is_mark(c)))


def _clean(text: str) -> str:
    """Steps of ``name_key`` before the name tables."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(char for char in text if char not in APOSTROPHES and not _is_mark(char))
    text = text.translate(_RUSSIAN_FOLD)  # before the look-alikes: Ё becomes Е, a look-alike
    text = "".join(map(_unaccented, text))
    text = "".join(_fold_look_alikes(run) if is_word else run for is_word, run in _words(text))
    text = text.lower()
    text = "".join("-" if char in _DASHES else char for char in text)
    return _tidy(_NOT_NAME.sub(" ", text))


def _tidy(text: str) -> str:
    """One space between words, no space around a hyphen, none at either end."""
    return _SPACES_AROUND_DASHES.sub("-", " ".join(text.split())).strip("- ")


def _build(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Spelling (as ``_clean`` leaves it) → canonical form, the canonical forms included."""
    built: dict[str, str] = {}
    for canonical, spellings in table.items():
        target = _clean(canonical)
        for spelling in (canonical, *spellings):
            source = _clean(spelling)
            if built.setdefault(source, target) != target:
                raise ValueError(f"{spelling!r} is listed under {built[source]!r} and {target!r}")
    return built


_GIVEN = _build(GIVEN_NAMES)
_PATRONYMIC = _build(PATRONYMICS)
_ANY = {**_GIVEN, **_PATRONYMIC}


def _patronymic_word(word: str) -> str:
    if word in _PATRONYMIC:
        return _PATRONYMIC[word]
    for russian, ukrainian in PATRONYMIC_ENDINGS:
        if word.endswith(russian):
            word = word[: -len(russian)] + ukrainian
            return _PATRONYMIC.get(word, word)
    return word


def _map_words(text: str, function) -> str:
    return "".join(
        piece if index % 2 else function(piece)
        for index, piece in enumerate(_SEPARATORS.split(text))
    )


def name_key(text: str, part: NamePart = "any") -> str:
    """The Cyrillic search key of a name or a name part (see the module docstring).

    >>> name_key("Мар’яна  Шевчук")
    'маряна шевчук'
    >>> name_key("Александровна", "patronymic"), name_key("Аня-Марiя", "given")
    ('олександрівна', 'ганна-марія')
    """
    text = _clean(text)
    if part == "given":
        return _map_words(text, lambda word: _GIVEN.get(word, word))
    if part == "patronymic":
        return _map_words(text, _patronymic_word)
    if part == "any":
        return _map_words(text, lambda word: _ANY.get(word, word))
    return text


# ---------------------------------------------------------------------------------------------
# The Latin key


def _latin_spelling(word: str) -> str:
    """The spelling folds: accents dropped, x → ks, w → v, j and y → i, and h → g unless it
    closes zh kh ch sh (so Ukrainian Г "h", Ґ "g" and the Russian-style "g" meet, and the "gh" of
    «зг» becomes "gg" → "g", not "zh")."""
    word = unicodedata.normalize("NFKD", word)
    word = "".join(char for char in word if not _is_mark(char)).lower()
    word = word.replace("x", "ks").replace("w", "v").replace("j", "i").replace("y", "i")
    return re.sub(r"(?<![zkcs])h", "g", word)


_REPEATS = re.compile(r"(.)\1+")
_I_BEFORE_OVICH = re.compile(r"i+ovich$")


def _squeeze(word: str) -> str:
    return _REPEATS.sub(r"\1", word)


def _latin_endings(word: str) -> str:
    for russian, ukrainian in _LATIN_PATRONYMIC_ENDINGS:
        if word.endswith(russian):
            return word[: -len(russian)] + ukrainian
    return word


def _latin_fold(word: str, part: NamePart) -> str:
    """One Latin word → its key, without the name tables.

    ``_latin_spelling``, then every run of one letter squeezed to one letter. The squeeze is the
    main fold: after j/y → i it makes ii, iy, yi, ij one i, so Yurii, Yuriy, Yurij, Iurii → iuri;
    Serhii/Serhiy → sergi; Mariia/Mariya/Maria → maria; Nataliia/Natalya → natalia; Mariiana/
    Maryana/Mariana → mariana; Olexandr → oleksandr; and doubled consonants (Hanna/Hana, Illia/
    Ilia) meet. «ia» is not folded to «a» (Тетяна/Tetiana keeps its i: Tetyana → tetiana).
    A patronymic also gets the Russian endings rules (``_LATIN_PATRONYMIC_ENDINGS``) and loses
    the i before a final "ovich", repeated until nothing changes.
    """
    word = _squeeze(_latin_spelling(word))
    if part == "patronymic":
        for _ in range(5):  # until nothing changes (twice at most for a real patronymic)
            folded = _squeeze(_I_BEFORE_OVICH.sub("ovich", _squeeze(_latin_endings(word))))
            if folded == word:
                break
            word = folded
    return word


#: Russian-style romanisation of the table's spellings (old Soviet-era and Russian documents):
#: one or more choices per letter; ё, е and ь are handled in ``_romanisations``.
_RUSSIAN_STYLE = {
    "а": ("a",), "б": ("b",), "в": ("v",), "г": ("g",), "ґ": ("g",), "д": ("d",), "ж": ("zh",),
    "з": ("z",), "и": ("i",), "і": ("i",), "ї": ("yi", "i"), "є": ("ye", "ie"), "й": ("y",),
    "к": ("k",), "л": ("l",), "м": ("m",), "н": ("n",), "о": ("o",), "п": ("p",), "р": ("r",),
    "с": ("s",), "т": ("t",), "у": ("u",), "ф": ("f",), "х": ("kh", "h"), "ц": ("ts",),
    "ч": ("ch",), "ш": ("sh",), "щ": ("shch", "sch"), "ъ": ("",), "ы": ("y",), "э": ("e",),
    "ю": ("yu",), "я": ("ya",),
}  # fmt: skip
_VOWELS_CYRILLIC = "аеёиіїєоуыэюяьъ"


def _romanisations(spelling: str) -> set[str]:
    """Latin spellings a person with this Cyrillic name may carry: the national table of the
    (Russian-folded) spelling and Russian-style romanisations (Alyona, Yelena, Natalya…)."""
    spelling = unicodedata.normalize("NFC", spelling).lower()
    choices: list[tuple[str, ...]] = []
    for index, char in enumerate(spelling):
        previous = spelling[index - 1] if index else ""
        if char == "е":
            choices.append(("e", "ye") if not previous or previous in _VOWELS_CYRILLIC else ("e",))
        elif char == "ё":
            choices.append(("e", "yo"))
        elif char == "ь":
            choices.append(("",))
        else:
            choices.append(_RUSSIAN_STYLE.get(char, (char,)))
    russian_style = {"".join(letters) for letters in itertools.product(*choices)}
    return {transliterate(_clean(spelling)), *russian_style}


def _build_latin(table: dict[str, tuple[str, ...]], part: NamePart) -> dict[str, str]:
    """Latin key of every spelling → Latin key of its canonical form."""
    built: dict[str, str] = {}
    for canonical, spellings in table.items():
        target = _latin_fold(transliterate(_clean(canonical)), part)
        for spelling in (canonical, *spellings):
            for latin in _romanisations(spelling):
                source = _latin_fold(latin, part)
                if built.setdefault(source, target) != target:
                    listed = built[source]
                    raise ValueError(
                        f"{spelling!r} ({source!r}) is under {listed!r} and {target!r}"
                    )
    return built


_LATIN_GIVEN = _build_latin(GIVEN_NAMES, "given")
_LATIN_PATRONYMIC = _build_latin(PATRONYMICS, "patronymic")
_LATIN_TABLES: dict[NamePart, dict[str, str]] = {
    "given": _LATIN_GIVEN,
    "patronymic": _LATIN_PATRONYMIC,
    "any": {**_LATIN_GIVEN, **_build_latin(PATRONYMICS, "any")},  # no endings rules there
    "surname": {},
}


def latin_key(text: str, part: NamePart = "any") -> str:
    """The Latin search key: a Cyrillic name and its Latin spellings (national table, old
    passports, Russian style) give the same key (see ``_latin_fold``).

    >>> latin_key("Юрій", "given") == latin_key("Yuriy", "given") == latin_key("Iurii", "given")
    True
    """
    table = _LATIN_TABLES[part]
    latin = transliterate(name_key(text, part))

    def word_key(word: str) -> str:
        folded = _latin_fold(word, part)
        return table.get(folded, folded)

    return _tidy(_map_words(latin, word_key))  # a lone Ь leaves an empty word


# ---------------------------------------------------------------------------------------------
# Other readings of a Latin name, and the key for counting typos

#: A Latin "h" that is not the second letter of zh, kh, ch, sh or gh (which ``_latin_spelling``
#: keeps or folds itself), and a "c" that does not start ch: read as Х and Ц.
_LONE_H = re.compile(r"(?<![zkcsgZKCSG])([hH])")
_LONE_C = re.compile(r"([cC])(?![hH])")
_OTHER_READINGS = (
    (_LONE_H, {"h": "kh", "H": "Kh"}),
    (_LONE_C, {"c": "ts", "C": "Ts"}),
)
#: At most this many letters of a word are read both ways (2 ** n readings).
_MAX_AMBIGUOUS = 3


def latin_readings(text: str, part: NamePart = "any") -> tuple[str, ...]:
    """The Latin keys of the other readings of a Latin-typed ``text``: each lone "h" also read
    as Х (kh) and each lone "c" as Ц (ts), in every combination (of at most three such letters,
    the first ones), without ``latin_key(text, part)`` itself. A text with Cyrillic letters has
    no other reading: ().

    >>> latin_readings("Vahko", "surname"), latin_key("Вахко", "surname")
    (('vakhko',), 'vakhko')
    >>> latin_readings("Casishina", "surname"), latin_readings("Шевчук", "surname")
    (('tsasishina',), ())
    """
    if any(_is_cyrillic(char) for char in text):
        return ()
    spots = sorted(
        (match.start(), table[match.group()])
        for pattern, table in _OTHER_READINGS
        for match in pattern.finditer(text)
    )[:_MAX_AMBIGUOUS]
    if not spots:
        return ()
    own = latin_key(text, part)
    found: list[str] = []
    for chosen in itertools.product((False, True), repeat=len(spots)):
        if not any(chosen):
            continue
        letters = list(text)
        for (index, other), read in zip(spots, chosen, strict=True):
            if read:
                letters[index] = other
        key = latin_key("".join(letters), part)
        if key != own and key not in found:
            found.append(key)
    return tuple(found)


_TYPING = (("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"))
_TYPING_GROUP = re.compile("|".join([*(group for group, _ in _TYPING), "sh"]))
_TYPING_OF = {**dict(_TYPING), "sh": "ш"}


def typing_key(key: str) -> str:
    """A Latin key (``latin_key``) with each Latin group of one Cyrillic letter as one symbol:
    shch and sch → щ, zh → ж, kh → х, ts → ц, ch → ч, sh → ш.

    >>> typing_key("sashchuk"), typing_key("khotsich"), typing_key("zhezhuk")
    ('saщuk', 'хoцiч', 'жeжuk')
    """
    return _TYPING_GROUP.sub(lambda match: _TYPING_OF[match.group()], key)


# ---------------------------------------------------------------------------------------------
# The blocking key of a surname and the keys of a person

_SOUNDS = (
    ("shch", "w"),  # Щ and Ш meet: Щ is often typed or heard as Ш
    ("sch", "w"),
    ("sh", "w"),
    ("zh", "j"),
    ("ch", "q"),
    ("kh", "g"),  # Х, Г and Ґ meet (after _latin_spelling a lone h is already g)
    ("ts", "c"),
    ("tz", "c"),
)
_SOUND = re.compile("|".join(pattern for pattern, _ in _SOUNDS))
_SOUND_OF = dict(_SOUNDS)
_VOWELS = re.compile(r"[aeiou]")


def surname_sound(last_name: str) -> str:
    """A coarse key of a surname, for blocking (birth year + this key), not for matching.

    From the Latin key: shch/sch/sh → w, zh → j, ch → q, kh (and g, h) → g, ts/tz → c; then a
    leading vowel becomes "a" and all other vowels go; repeats are squeezed. So Ковальов,
    Ковалёв, Ковалев, Kovalov, Kovalev → "kvlv"; Гончаренко/Goncharenko/Honcharenko → "gnqrnk";
    Євтушенко/Евтушенко/Yevtushenko → "avtwnk"; Шевчук/Shevchuk/Щевчук → "wvqk".
    """
    words = []
    for word in re.split(r"[\s-]+", latin_key(last_name, "surname")):
        word = _SOUND.sub(lambda match: _SOUND_OF[match.group()], word)
        if not word:
            continue
        head = "a" if _VOWELS.match(word) else word[0]
        words.append(_squeeze(head + _VOWELS.sub("", word[1:])))
    return "-".join(words)


@dataclass(frozen=True, slots=True)
class PersonKeys:
    """The search keys of one person. ``full``/``full_latin`` are "last first patronymic" with
    empty parts left out; a foreign passport has no patronymic, so to compare with one the caller
    uses ``last``+``first`` (or the Latin pair). The Cyrillic keys of a Latin-typed name are its
    cleaned Latin text: Cyrillic and Latin names meet on the Latin keys only."""

    last: str
    first: str
    patronymic: str
    full: str
    last_latin: str
    first_latin: str
    patronymic_latin: str
    full_latin: str
    surname_sound: str


def person_keys(last_name: str, first_name: str, patronymic: str = "") -> PersonKeys:
    """Keys of a person from the three parts as typed (the order of the parts is the caller's)."""
    last = name_key(last_name, "surname")
    first = name_key(first_name, "given")
    middle = name_key(patronymic, "patronymic")
    last_latin = latin_key(last_name, "surname")
    first_latin = latin_key(first_name, "given")
    middle_latin = latin_key(patronymic, "patronymic")
    return PersonKeys(
        last=last,
        first=first,
        patronymic=middle,
        full=" ".join(part for part in (last, first, middle) if part),
        last_latin=last_latin,
        first_latin=first_latin,
        patronymic_latin=middle_latin,
        full_latin=" ".join(part for part in (last_latin, first_latin, middle_latin) if part),
        surname_sound=surname_sound(last_name),
    )
