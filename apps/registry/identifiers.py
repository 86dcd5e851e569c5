"""Rules for the identifiers and document numbers the registry keeps (DOMAIN.md §1).

Every ``validate_*`` function takes what a person typed and either returns the normalised value
to store or raises ``IdentifierError``. Doubts that a person may override (a birth date that
disagrees with the one encoded in a number, an УНЗР check digit we cannot yet vouch for) are
never errors: ``*_conflicts`` functions return them as ``IdentifierWarning``\\s.
``validate_document`` dispatches on ``DocumentType`` and returns both at once.

Errors and warnings carry a stable machine ``code`` (for programs and tests) and a ``message``
for people, rendered in the active language when read (Ukrainian source text).

What is verified and what is assumed (DOMAIN.md marks: ✔ verified, ~ secondary, ? unconfirmed):

* РНОКПП — check digit ✔, date and sex encoding ✔ (python-stdnum ``ua.rntrc`` agrees);
* УНЗР — shape and date ✔, check digit method inferred ? (so a mismatch is only a warning);
* ID card (9 digits), passport booklet (2 Cyrillic + 6 digits) ~; foreign passport ?;
* IDP certificate — no published format ?, so a free string;
* birth certificate — Soviet/Ukrainian shape ``I-БК 123456`` ~, read leniently;
* phone — ``phonenumbers`` metadata ✔.

The patterns that are only ~ or ? are module constants, so they can be changed in one place.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import cycle
from typing import Any, NewType

import phonenumbers
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

Rnokpp = NewType("Rnokpp", str)
Unzr = NewType("Unzr", str)

# РНОКПП (DOMAIN.md §1 ✔): d1–d5 days since RNOKPP_EPOCH, d6–d8 serial, d9 sex, d10 check.
RNOKPP_WEIGHTS = (-1, 5, 7, 9, 4, 6, 10, 5, 7)
RNOKPP_EPOCH = date(1899, 12, 31)  # day 1 = 1900-01-01
# УНЗР (DOMAIN.md §1): ICAO 9303 check digit over the 12 digits before it (inferred ?).
UNZR_WEIGHTS = (7, 3, 1)
# Nobody alive with an УНЗР was born before this; an earlier date is a typo.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

IDP_CERTIFICATE_MAX_LENGTH = 32
OTHER_DOCUMENT_MAX_LENGTH = 64
# Long enough for any normalised number ``validate_document`` returns.
DOCUMENT_NUMBER_MAX_LENGTH = 64

UKRAINIAN_CAPITALS = "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ"
# Soviet-era birth certificates (issued across the USSR) may use Russian letters too.
CYRILLIC_CAPITALS = UKRAINIAN_CAPITALS + "ЁЪЫЭ"
# Latin letters typed for the Cyrillic letters they look like (the keyboard was in Latin).
LATIN_TO_CYRILLIC = str.maketrans("ABCEHIKMOPTX", "АВСЕНІКМОРТХ")
CYRILLIC_TO_LATIN = str.maketrans("АВСЕНІКМОРТХ", "ABCEHIKMOPTX")

PASSPORT_PATTERN = re.compile(rf"([{UKRAINIAN_CAPITALS}]{{2}})([0-9]{{6}})")
ID_CARD_PATTERN = re.compile(r"[0-9]{9}")
FOREIGN_PASSPORT_PATTERN = re.compile(r"[A-Z]{2}[0-9]{6}")
BIRTH_CERTIFICATE_PATTERN = re.compile(
    rf"(?P<series>[IVXLCІХС]{{1,7}}|[0-9]{{1,2}})-?"
    rf"(?P<letters>[{CYRILLIC_CAPITALS}ABCEHIKMOPTX]{{2}})(?P<number>[0-9]{{6}})"
)
ROMAN_NUMERAL = re.compile(r"(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})")

_SPACES = re.compile(r"\s+")
_DASHES = str.maketrans("‐‑‒–—―−", "-------")


class Sex(models.TextChoices):
    FEMALE = "female", _("жіноча")
    MALE = "male", _("чоловіча")


class DocumentType(models.TextChoices):
    RNOKPP = "rnokpp", _("РНОКПП (реєстраційний номер облікової картки платника податків)")
    UNZR = "unzr", _("УНЗР (унікальний номер запису в Єдиному державному демографічному реєстрі)")
    IDP_CERTIFICATE = (
        "idp_certificate",
        _("Довідка про взяття на облік внутрішньо переміщеної особи"),
    )
    ID_CARD = "id_card", _("Паспорт громадянина України (ID-картка)")
    PASSPORT = "passport", _("Паспорт громадянина України (книжечка)")
    FOREIGN_PASSPORT = "foreign_passport", _("Паспорт громадянина України для виїзду за кордон")
    BIRTH_CERTIFICATE = "birth_certificate", _("Свідоцтво про народження")
    OTHER = "other", _("Інший документ")


def _render(template: Any, params: Mapping[str, object]) -> str:
    """The message in the active language; dates in its short date format."""
    text = str(template)
    if not params:
        return text
    return text % {
        key: formats.date_format(value, "SHORT_DATE_FORMAT") if isinstance(value, date) else value
        for key, value in params.items()
    }


@dataclass(frozen=True)
class IdentifierWarning:
    """A doubt about a value that is stored anyway unless the person corrects it."""

    code: str
    template: Any  # a lazy translation
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return _render(self.template, self.params)


class IdentifierError(ValueError):
    """A value that cannot be stored: ``code`` for programs, ``message`` for people."""

    def __init__(self, code: str, template: Any, params: Mapping[str, object] | None = None):
        self.code = code
        self.template = template
        self.params = dict(params or {})
        super().__init__(code)

    @property
    def message(self) -> str:
        return _render(self.template, self.params)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ValidatedDocument:
    """What ``validate_document`` returns: the value to store and the doubts about it."""

    normalised: str
    warnings: tuple[IdentifierWarning, ...] = ()


def _without_spaces(value: str) -> str:
    return _SPACES.sub("", value)


def _today(today: date | None) -> date:
    return today if today is not None else timezone.localdate()


# --- РНОКПП -------------------------------------------------------------------------------


def rnokpp_check_digit(first_nine: str) -> int:
    """d10 = (Σ dᵢ·wᵢ, w = −1,5,7,9,4,6,10,5,7) mod 11 mod 10 (DOMAIN.md §1 ✔)."""
    total = sum(
        weight * int(digit) for weight, digit in zip(RNOKPP_WEIGHTS, first_nine, strict=True)
    )
    return total % 11 % 10


def validate_rnokpp(value: str) -> Rnokpp:
    """A РНОКПП is 10 digits whose last one is the check digit (DOMAIN.md §1 ✔).

    Spaces anywhere are dropped. The encoded birth date and sex are not checked here: a
    disagreement with the person's data is only a warning (``rnokpp_conflicts``). A person may
    have no РНОКПП at all (refused on religious grounds); that is for the caller to record.
    """
    digits = _without_spaces(value)
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise IdentifierError("rnokpp_format", _("РНОКПП: має складатися з 10 цифр."))
    if rnokpp_check_digit(digits[:9]) != int(digits[9]):
        raise IdentifierError(
            "rnokpp_checksum",
            _("РНОКПП: контрольна цифра не збігається. Перевірте, чи правильно введено номер."),
        )
    return Rnokpp(digits)


def rnokpp_birth_date(rnokpp: Rnokpp) -> date:
    """d1–d5 are the days since 1899-12-31: 00001 = 1900-01-01 (DOMAIN.md §1 ✔)."""
    return RNOKPP_EPOCH + timedelta(days=int(rnokpp[:5]))


def rnokpp_sex(rnokpp: Rnokpp) -> Sex:
    """d9 even = female, odd = male (DOMAIN.md §1 ✔)."""
    return Sex.FEMALE if int(rnokpp[8]) % 2 == 0 else Sex.MALE


def rnokpp_conflicts(
    rnokpp: Rnokpp,
    *,
    birth_date: date | None = None,
    sex: Sex | str | None = None,
    today: date | None = None,
) -> list[IdentifierWarning]:
    """Warnings, never errors: the encoded birth date or sex disagrees with the given one, or
    the encoded date is impossible (before 1900 or in the future). The person's own data wins
    and is never overwritten from the number (DOMAIN.md §1)."""
    warnings = []
    encoded_date = rnokpp_birth_date(rnokpp)
    if not EARLIEST_BIRTH_DATE <= encoded_date <= _today(today):
        warnings.append(
            IdentifierWarning(
                "rnokpp_birth_date_impossible",
                _("РНОКПП: закодована в номері дата народження (%(encoded)s) неможлива."),
                {"encoded": encoded_date},
            )
        )
    elif birth_date is not None and birth_date != encoded_date:
        warnings.append(
            IdentifierWarning(
                "rnokpp_birth_date_mismatch",
                _(
                    "РНОКПП: закодована в номері дата народження (%(encoded)s) "
                    "не збігається з указаною (%(given)s)."
                ),
                {"encoded": encoded_date, "given": birth_date},
            )
        )
    encoded_sex = rnokpp_sex(rnokpp)
    if sex and Sex(sex) != encoded_sex:
        warnings.append(
            IdentifierWarning(
                "rnokpp_sex_mismatch",
                _("РНОКПП: за дев’ятою цифрою номера стать %(encoded)s, а вказано іншу."),
                {"encoded": encoded_sex.label},
            )
        )
    return warnings


# --- УНЗР ---------------------------------------------------------------------------------


def unzr_check_digit(first_twelve: str) -> int:
    """ICAO 9303: weights 7, 3, 1 repeating over the 12 digits, sum mod 10 (DOMAIN.md §1 ?)."""
    return sum(w * int(d) for w, d in zip(cycle(UNZR_WEIGHTS), first_twelve)) % 10


def validate_unzr(value: str, *, today: date | None = None) -> Unzr:
    """An УНЗР is ``YYYYMMDD-NNNNC``: birth date, record number 0001–9999, check digit.

    Spaces are dropped and the hyphen may be missing or typed as a dash; the result always has
    it. Errors: not that shape; not a real date, before 1900 or in the future; number 0000.
    The check digit is *not* checked here: the method is inferred, not confirmed on real cards,
    so a mismatch is a warning from ``unzr_conflicts`` (DOMAIN.md §1).
    """
    text = _without_spaces(value).translate(_DASHES)
    match = re.fullmatch(r"([0-9]{8})-?([0-9]{5})", text)
    if not match:
        raise IdentifierError(
            "unzr_format",
            _("УНЗР: має бути у форматі РРРРММДД-ННННК (8 цифр дати, дефіс, 5 цифр)."),
        )
    born, record = match.groups()
    try:
        birth_date = date(int(born[:4]), int(born[4:6]), int(born[6:]))
    except ValueError:
        raise IdentifierError(
            "unzr_date", _("УНЗР: перші 8 цифр мають бути справжньою датою народження.")
        ) from None
    if birth_date < EARLIEST_BIRTH_DATE:
        raise IdentifierError(
            "unzr_date", _("УНЗР: перші 8 цифр мають бути справжньою датою народження.")
        )
    if birth_date > _today(today):
        raise IdentifierError(
            "unzr_date_future", _("УНЗР: дата народження в номері в майбутньому.")
        )
    if record[:4] == "0000":
        raise IdentifierError(
            "unzr_record_number", _("УНЗР: номер запису (цифри 9–12) має бути від 0001 до 9999.")
        )
    return Unzr(f"{born}-{record}")


def unzr_birth_date(unzr: Unzr) -> date:
    """The first 8 digits are the birth date ``YYYYMMDD``."""
    return date(int(unzr[:4]), int(unzr[4:6]), int(unzr[6:8]))


def unzr_conflicts(unzr: Unzr, *, birth_date: date | None = None) -> list[IdentifierWarning]:
    """Warnings: the check digit does not match (method unconfirmed, DOMAIN.md §1 ?); the
    birth date in the number disagrees with the given one."""
    warnings = []
    digits = unzr.replace("-", "")
    if unzr_check_digit(digits[:12]) != int(digits[12]):
        warnings.append(
            IdentifierWarning(
                "unzr_checksum",
                _(
                    "УНЗР: остання (контрольна) цифра не збігається з розрахованою. "
                    "Звірте номер із документом."
                ),
            )
        )
    encoded_date = unzr_birth_date(unzr)
    if birth_date is not None and birth_date != encoded_date:
        warnings.append(
            IdentifierWarning(
                "unzr_birth_date_mismatch",
                _(
                    "УНЗР: дата народження в номері (%(encoded)s) "
                    "не збігається з указаною (%(given)s)."
                ),
                {"encoded": encoded_date, "given": birth_date},
            )
        )
    return warnings


# --- Identity documents -------------------------------------------------------------------


def _compact(value: str) -> str:
    """Upper case, without spaces and the «№» sign people copy from forms."""
    return _without_spaces(value).replace("№", "").upper()


def validate_id_card(value: str) -> str:
    """An ID-card number («Документ №») is 9 digits (DOMAIN.md §1 ~; no known check digit)."""
    number = _compact(value)
    if not ID_CARD_PATTERN.fullmatch(number):
        raise IdentifierError("id_card_format", _("Номер ID-картки: має складатися з 9 цифр."))
    return number


def validate_passport(value: str) -> str:
    """A passport booklet number is 2 Cyrillic capitals + 6 digits, stored as ``КВ123456``.

    Spaces and «№» are dropped, lower case is raised, and Latin letters that look like Cyrillic
    ones (A B C E H I K M O P T X) are read as those (DOMAIN.md §1 ~).
    """
    number = _compact(value).translate(LATIN_TO_CYRILLIC)
    if not PASSPORT_PATTERN.fullmatch(number):
        raise IdentifierError(
            "passport_format",
            _("Номер паспорта-книжечки: дві українські літери серії і 6 цифр, наприклад КВ123456."),
        )
    return number


def validate_foreign_passport(value: str) -> str:
    """A foreign (travel) passport number is 2 Latin capitals + 6 digits (DOMAIN.md §1 ?).

    Spaces and «№» are dropped, lower case is raised, and Cyrillic letters that look like Latin
    ones are read as those (a keyboard left in Cyrillic).
    """
    number = _compact(value).translate(CYRILLIC_TO_LATIN)
    if not FOREIGN_PASSPORT_PATTERN.fullmatch(number):
        raise IdentifierError(
            "foreign_passport_format",
            _("Номер закордонного паспорта: дві латинські літери і 6 цифр, наприклад FA123456."),
        )
    return number


_ROMAN_TENS = ("", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX")
_ROMAN_ONES = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")


def _roman(number: int) -> str:
    """1–89 in Roman numerals."""
    tens, ones = divmod(number, 10)
    return _ROMAN_TENS[tens] + _ROMAN_ONES[ones]


def validate_birth_certificate(value: str) -> str:
    """A birth certificate number: Roman-numeral series, 2 Cyrillic letters, 6 digits, stored
    as ``I-БК 123456`` (DOMAIN.md §1 ~).

    Read leniently: spaces and «№» anywhere; the hyphen may be missing or a dash; the numeral
    may be typed in Cyrillic look-alikes (І, Х, С) or in Arabic digits (``1-БК`` = ``I-БК``,
    1–89); the letters may be Latin look-alikes or lower case, and may be Russian (Soviet-era
    certificates). Without a hyphen the two letters before the digits are the letters.
    """
    text = _compact(value).translate(_DASHES)
    match = BIRTH_CERTIFICATE_PATTERN.fullmatch(text)
    series = ""
    if match:
        series = match["series"]
        if series.isdigit():
            series = _roman(int(series)) if 0 < int(series) < 90 else ""
        else:
            series = series.translate(CYRILLIC_TO_LATIN)
            series = series if ROMAN_NUMERAL.fullmatch(series) else ""
    if not match or not series:
        raise IdentifierError(
            "birth_certificate_format",
            _(
                "Номер свідоцтва про народження: серія (римське число і дві літери) і 6 цифр, "
                "наприклад I-БК 123456."
            ),
        )
    letters = match["letters"].translate(LATIN_TO_CYRILLIC)
    return f"{series}-{letters} {match['number']}"


def _free_text(value: str, *, max_length: int, code: str, label: Any) -> str:
    """Trimmed, runs of spaces inside made one, not empty, at most ``max_length`` characters."""
    text = " ".join(value.split())
    if not text:
        raise IdentifierError(f"{code}_empty", _("%(field)s: номер не вказано."), {"field": label})
    if len(text) > max_length:
        raise IdentifierError(
            f"{code}_too_long",
            _("%(field)s: номер задовгий (не більше %(max)s символів)."),
            {"field": label, "max": max_length},
        )
    return text


def validate_idp_certificate(value: str) -> str:
    """An IDP certificate number has no published format (DOMAIN.md §1 ?): a free string,
    trimmed, inner spaces made single, not empty, at most 32 characters."""
    return _free_text(
        value,
        max_length=IDP_CERTIFICATE_MAX_LENGTH,
        code="idp_certificate",
        label=_("Довідка ВПО"),
    )


def validate_other_document(value: str) -> str:
    """Any other document: a free string, trimmed, not empty, at most 64 characters."""
    return _free_text(
        value, max_length=OTHER_DOCUMENT_MAX_LENGTH, code="other", label=_("Інший документ")
    )


# --- Phone --------------------------------------------------------------------------------


def validate_phone(value: str, *, region: str = "UA") -> str:
    """A phone number in E.164 (``+380671234567``), read by ``phonenumbers`` (DOMAIN.md §1 ✔).

    Without a ``+`` it is read as a number of ``region``: ``067 123 45 67``, ``380671234567``
    and ``(0362) 12-34-56`` all work. It must be a valid number (a real prefix and length), not
    just possible. An extension (``доб. 5``) is refused: E.164 cannot carry it.
    """
    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise IdentifierError(
            "phone_unparseable", _("Телефон: це не схоже на номер телефону.")
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise IdentifierError(
            "phone_invalid",
            _(
                "Телефон: такого номера не існує. Перевірте код оператора чи міста "
                "і кількість цифр."
            ),
        )
    if parsed.extension:
        raise IdentifierError(
            "phone_extension", _("Телефон: додатковий (внутрішній) номер вкажіть окремо.")
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# --- One entry point for documents --------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    birth_date: date | None
    sex: Sex | str | None
    today: date | None


def _plain(validate: Callable[[str], str]) -> Callable[[str, _Context], ValidatedDocument]:
    return lambda number, context: ValidatedDocument(validate(number))


def _rnokpp_document(number: str, context: _Context) -> ValidatedDocument:
    rnokpp = validate_rnokpp(number)
    warnings = rnokpp_conflicts(
        rnokpp, birth_date=context.birth_date, sex=context.sex, today=context.today
    )
    return ValidatedDocument(rnokpp, tuple(warnings))


def _unzr_document(number: str, context: _Context) -> ValidatedDocument:
    unzr = validate_unzr(number, today=context.today)
    return ValidatedDocument(unzr, tuple(unzr_conflicts(unzr, birth_date=context.birth_date)))


DOCUMENT_RULES: Mapping[DocumentType, Callable[[str, _Context], ValidatedDocument]] = {
    DocumentType.RNOKPP: _rnokpp_document,
    DocumentType.UNZR: _unzr_document,
    DocumentType.IDP_CERTIFICATE: _plain(validate_idp_certificate),
    DocumentType.ID_CARD: _plain(validate_id_card),
    DocumentType.PASSPORT: _plain(validate_passport),
    DocumentType.FOREIGN_PASSPORT: _plain(validate_foreign_passport),
    DocumentType.BIRTH_CERTIFICATE: _plain(validate_birth_certificate),
    DocumentType.OTHER: _plain(validate_other_document),
}


def validate_document(
    document_type: DocumentType | str,
    number: str,
    *,
    birth_date: date | None = None,
    sex: Sex | str | None = None,
    today: date | None = None,
) -> ValidatedDocument:
    """Validate ``number`` by the rule of ``document_type`` (see ``DOCUMENT_RULES``).

    The person's ``birth_date`` and ``sex``, when known, are compared with what РНОКПП and УНЗР
    encode; disagreements come back as warnings. ``today`` defaults to the local date.
    Raises ``IdentifierError`` (code ``document_type_unknown`` for a type not in the registry).
    """
    try:
        rule = DOCUMENT_RULES[DocumentType(document_type)]
    except (ValueError, KeyError):
        raise IdentifierError(
            "document_type_unknown", _("Тип документа: невідомий тип документа.")
        ) from None
    return rule(number, _Context(birth_date=birth_date, sex=sex, today=today))
