"""The registry's field rules, one function per field, shared by registration and editing.

Each ``clean_*`` takes what the caller sent (a form's text or the API's parsed value) and returns
the value to store, or raises ``ValidationError`` whose message names the rule. A value made of
parts raises one keyed by its parts (``{"number": …}``, ``{"[1]": …}``). ``Problems`` gathers
them under the request's own names (``documents[0].number``), so a form or an API call hears of
every problem at once and a service saves nothing while one remains.
"""

import re
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.geo.models import Category as UnitCategory
from apps.geo.models import Unit

from .identifiers import (
    EARLIEST_BIRTH_DATE,
    DocumentType,
    IdentifierError,
    IdentifierWarning,
    Sex,
    validate_document,
    validate_phone,
)
from .models import LATIN_NAME_MAX_LENGTH, NAME_MAX_LENGTH, Category
from .names import person_keys, transliterate

ADDRESS_MAX_LENGTH = 255
ISSUER_MAX_LENGTH = 255
NOTE_MAX_LENGTH = 255
# Languages a person may ask to be spoken to in: ISO 639 codes (``ukl`` = Ukrainian Sign
# Language, ``crh`` = Crimean Tatar).
PERSON_LANGUAGES = ("uk", "en", "crh", "ukl", "ru", "pl", "ro", "hu", "bg", "de")
# Documents whose number names one person (the database holds each number once).
UNIQUE_DOCUMENT_TYPES = (DocumentType.RNOKPP, DocumentType.UNZR)
# Address units: a hromada, a special-status city, a settlement or a city district — never a
# whole oblast or raion.
ADDRESS_UNIT_CATEGORIES = frozenset(UnitCategory) - {UnitCategory.OBLAST, UnitCategory.RAION}

_LATIN_NAME = re.compile(r"[A-Za-z]+(?:[ '\-][A-Za-z]+)*")


class Problems:
    """Field problems of one request, keyed by the request's field names."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def __bool__(self) -> bool:
        return bool(self.errors)

    def add(self, name: str, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for part, errors in error.error_dict.items():
                if not name or part == NON_FIELD_ERRORS:
                    joined = name or part
                else:
                    joined = f"{name}{part}" if part.startswith("[") else f"{name}.{part}"
                for one in errors:
                    self.add(joined, one)
            return
        self.errors.setdefault(name, []).extend(error.error_list)

    def check(
        self, name: str, clean: Callable[..., Any], *args: Any, default: Any = None, **kwargs: Any
    ) -> Any:
        """``clean(*args, **kwargs)``, or ``default`` with its problem noted under ``name``."""
        try:
            return clean(*args, **kwargs)
        except ValidationError as exc:
            self.add(name, exc)
            return default

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _required() -> ValidationError:
    return ValidationError(_("Обов'язкове поле."), code="required")


def _too_long(limit: int) -> ValidationError:
    return ValidationError(
        _("Максимальна довжина: %(max_length)s.") % {"max_length": limit}, code="max_length"
    )


def text(value: Any, *, max_length: int, required: bool = False) -> str:
    """Stripped text; ``""`` for nothing unless ``required``."""
    cleaned = value.strip() if isinstance(value, str) else ""
    if required and not cleaned:
        raise _required()
    if len(cleaned) > max_length:
        raise _too_long(max_length)
    return cleaned


def parse_date(value: Any) -> date | None:
    """A ``date`` or an ISO text; ``None`` for nothing; ``ValidationError`` for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, date):
        raise ValidationError(_("Потрібна дата у форматі РРРР-ММ-ДД."), code="invalid")
    return value


# --- the person ---------------------------------------------------------------------------------


def _spellings_fit(name: str) -> str:
    """``name`` if its Latin spelling and every search key made of it (as any part of a full
    name) fit their columns; else a ``ValidationError`` naming the limit. Some characters
    spell long (щ → shch, a ligature → several letters), so a name within its own limit can
    still be refused here."""
    if _longest_spelling(name) > LATIN_NAME_MAX_LENGTH:
        raise ValidationError(
            _(
                "Задовге ім'я: латиницею або в пошуковому ключі воно перевищує %(max_length)s "
                "символів."
            )
            % {"max_length": LATIN_NAME_MAX_LENGTH},
            code="latin_too_long",
        )
    return name


@lru_cache(maxsize=8192)  # names repeat a lot (an import's many rows)
def _longest_spelling(name: str) -> int:
    """The length of the longest Latin spelling or search key made of ``name``."""
    keys = person_keys(name, name, name)
    return max(len(transliterate(name)), *(len(getattr(keys, part)) for part in _STORED_KEYS))


# The keys ``Person`` stores (``services._key_fields``).
_STORED_KEYS = (
    "last",
    "first",
    "patronymic",
    "last_latin",
    "first_latin",
    "patronymic_latin",
    "surname_sound",
)


def clean_name(value: Any) -> str:
    """A last or first name as typed (any script), required; its Latin spelling and search
    keys must fit their columns."""
    return _spellings_fit(text(value, max_length=NAME_MAX_LENGTH, required=True))


def clean_patronymic(value: Any) -> str:
    return _spellings_fit(text(value, max_length=NAME_MAX_LENGTH))


def clean_latin_name(value: Any) -> str:
    """A name in Latin letters as in a passport (words joined by spaces, hyphens, apostrophes)."""
    cleaned = text(value, max_length=LATIN_NAME_MAX_LENGTH, required=True)
    if not _LATIN_NAME.fullmatch(cleaned):
        raise ValidationError(
            _("Лише латинські літери, пробіл, дефіс або апостроф між ними."), code="latin_only"
        )
    return cleaned


def clean_birth_date(value: Any) -> date:
    birth_date = parse_date(value)
    if birth_date is None:
        raise _required()
    if birth_date > timezone.localdate():
        raise ValidationError(_("Дата народження не може бути в майбутньому."), code="future")
    if birth_date < EARLIEST_BIRTH_DATE:
        raise ValidationError(_("Дата народження не може бути раніше 1900 року."), code="too_early")
    return birth_date


def clean_sex(value: Any) -> str:
    sex = value.strip() if isinstance(value, str) else ""
    if sex not in Sex.values:
        raise ValidationError(_("Стать: оберіть жіночу або чоловічу."), code="invalid_choice")
    return sex


def clean_email(value: Any) -> str:
    email = text(value, max_length=254)
    if email:
        validate_email(email)
    return email


def clean_language(value: Any) -> str:
    language = text(value, max_length=8, required=True).lower()
    if language not in PERSON_LANGUAGES:
        raise ValidationError(
            _("Невідома мова. Можливі: %(codes)s.") % {"codes": ", ".join(PERSON_LANGUAGES)},
            code="invalid_choice",
        )
    return language


def clean_phone(value: Any) -> str:
    """One phone in E.164, ``""`` for none."""
    phone = text(value, max_length=64)
    if not phone:
        return ""
    try:
        return validate_phone(phone)
    except IdentifierError as exc:
        raise ValidationError(exc.message, code=exc.code) from None


def clean_phones(values: Any) -> list[str]:
    """Phones in E.164, the first one the main one; a number typed twice is kept once."""
    problems, phones = Problems(), []
    for i, value in enumerate(_items(values)):
        phone = problems.check(f"[{i}]", _required_phone, value, default="")
        if phone and phone not in phones:
            phones.append(phone)
    problems.raise_any()
    return phones


def _required_phone(value: Any) -> str:
    phone = clean_phone(value)
    if not phone:
        raise _required()
    return phone


# --- places -------------------------------------------------------------------------------------


def clean_community(value: Any) -> Unit:
    """A hromada (or a special-status city) by its КАТОТТГ code (or the ``Unit`` itself, when
    the caller has it at hand: the import's hub's community)."""
    if isinstance(value, Unit):
        community = value
    else:
        code = text(value, max_length=32, required=True).upper()
        community = Unit.objects.filter(pk=code).first()
    if community is None or not community.is_community:
        raise ValidationError(_("Немає громади з таким кодом КАТОТТГ."), code="unknown_community")
    return community


def clean_address_unit(value: Any) -> Unit | None:
    """The КАТОТТГ unit of an address (a settlement, a hromada or a city district); ``None``
    for none."""
    code = text(value, max_length=32).upper()
    if not code:
        return None
    unit = Unit.objects.filter(pk=code).first()
    if unit is None:
        raise ValidationError(_("Немає одиниці з таким кодом КАТОТТГ."), code="unknown_unit")
    if unit.category not in ADDRESS_UNIT_CATEGORIES:
        raise ValidationError(
            _("Вкажіть громаду, населений пункт або район у місті, а не область чи район."),
            code="unit_too_broad",
        )
    return unit


def clean_address(value: Any) -> str:
    """The street, house and flat (the unit is a separate field)."""
    return text(value, max_length=ADDRESS_MAX_LENGTH)


# --- documents ----------------------------------------------------------------------------------


def clean_document(
    document: dict, *, birth_date: date | None, sex: str | None
) -> tuple[dict, list[IdentifierWarning]]:
    """One document checked by the identifier rules: the values to store and the warnings
    (a РНОКПП or УНЗР that disagrees with the birth date or the sex)."""
    problems = Problems()
    number = (document.get("number") or "").strip()
    try:
        validated = validate_document(
            document.get("type") or "", number, birth_date=birth_date, sex=sex
        )
    except IdentifierError as exc:
        part = "type" if exc.code == "document_type_unknown" else "number"
        problems.add(part, ValidationError(exc.message, code=exc.code))
        validated = None
    issued_on = problems.check("issued_on", clean_issue_date, document.get("issued_on"))
    valid_until = problems.check("valid_until", parse_date, document.get("valid_until"))
    issuer = problems.check(
        "issuer", text, document.get("issuer"), default="", max_length=ISSUER_MAX_LENGTH
    )
    reason = problems.check(
        "override_reason",
        text,
        document.get("override_reason"),
        default="",
        max_length=NOTE_MAX_LENGTH,
    )
    problems.raise_any()
    clean = {
        "type": DocumentType(document["type"]).value,
        "number": validated.normalised,
        "issued_on": issued_on,
        "valid_until": valid_until,
        "issuer": issuer,
        "override_reason": reason,
    }
    return clean, list(validated.warnings)


def clean_issue_date(value: Any) -> date | None:
    issued_on = parse_date(value)
    if issued_on is not None and issued_on > timezone.localdate():
        raise ValidationError(_("Дата видачі не може бути в майбутньому."), code="future")
    return issued_on


def clean_documents(
    documents: Any, *, birth_date: date | None, sex: str | None
) -> tuple[list[dict], list[IdentifierWarning]]:
    """Several documents (registration); a personal number given twice is refused."""
    problems, clean, warnings, seen = Problems(), [], [], set()
    for i, document in enumerate(_items(documents)):
        checked = problems.check(
            f"[{i}]", clean_document, _mapping(document), birth_date=birth_date, sex=sex
        )
        if checked is None:
            continue
        values, document_warnings = checked
        key = (values["type"], values["number"])
        if key in seen and values["type"] in UNIQUE_DOCUMENT_TYPES:
            problems.add(
                f"[{i}].number", ValidationError(_("Цей документ уже вказано."), code="repeated")
            )
        seen.add(key)
        clean.append(values)
        warnings.extend(document_warnings)
    problems.raise_any()
    return clean, warnings


# --- categories ---------------------------------------------------------------------------------


def clean_category_code(value: Any) -> str:
    if value not in Category.values:
        raise ValidationError(_("Невідома категорія."), code="invalid_choice")
    return value


def clean_category_codes(values: Any) -> list[str]:
    """Category codes (registration), each kept once."""
    problems, codes = Problems(), []
    for i, value in enumerate(_items(values)):
        code = problems.check(f"[{i}]", clean_category_code, value)
        if code and code not in codes:
            codes.append(code)
    problems.raise_any()
    return codes


def clean_category_period(value: Any) -> dict:
    """A category with its period: ``{"code", "valid_from", "valid_to", "evidence"}`` (a bare
    code is a category with no dates)."""
    item = {"code": value} if isinstance(value, str) else _mapping(value)
    problems = Problems()
    code = problems.check("code", clean_category_code, item.get("code"))
    valid_from = problems.check("valid_from", parse_date, item.get("valid_from"))
    valid_to = problems.check("valid_to", parse_date, item.get("valid_to"))
    evidence = problems.check(
        "evidence", text, item.get("evidence"), default="", max_length=NOTE_MAX_LENGTH
    )
    if valid_from and valid_to and valid_to < valid_from:
        problems.add(
            "valid_to",
            ValidationError(_("Кінець періоду не може бути раніше початку."), code="before_start"),
        )
    problems.raise_any()
    return {"code": code, "valid_from": valid_from, "valid_to": valid_to, "evidence": evidence}


def clean_category_periods(values: Any) -> list[dict]:
    """Categories with periods (editing); the same category and period given twice is kept
    once."""
    problems, periods = Problems(), []
    for i, value in enumerate(_items(values)):
        period = problems.check(f"[{i}]", clean_category_period, value)
        if period and period not in periods:
            periods.append(period)
    problems.raise_any()
    return periods


def _items(values: Any) -> Iterable:
    if values is None:
        return ()
    if isinstance(values, list | tuple):
        return values
    raise ValidationError(_("Потрібен список."), code="list_type")


def _mapping(value: Any) -> dict:
    if isinstance(value, dict):
        return value
    raise ValidationError(_("Потрібен об'єкт із полями."), code="object_type")
