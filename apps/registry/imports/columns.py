"""The columns of an import file: a stable machine key, a Ukrainian title (the template's
header says both: ``Прізвище [last_name]``), what goes in and which values are allowed.

A header cell is recognised by its key — alone or in square brackets after any title — or by
its title in Ukrainian or English, ignoring case, spaces and apostrophe variants; so the
template's header, a header of bare keys and a hand-written Ukrainian or English header all
work. Columns that are not recognised are ignored (and named on the job's page).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..identifiers import Sex
from ..models import Category, ConsentScope, Relationship

DATE_FORMATS_HELP = _("ДД.ММ.РРРР або РРРР-ММ-ДД, наприклад 14.03.1985.")
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    key: str
    title: Any  # a lazy translation (Ukrainian source)
    help: Any
    required: bool = False
    choices: Callable[[], list[tuple[str, Any]]] | None = None
    example: str = ""
    is_text: bool = field(default=True)  # XLSX template: keep as text (leading zeros)

    @property
    def header(self) -> str:
        """The template's header cell: the Ukrainian title and the key, whatever the reader's
        language (a file is shared between people)."""
        with translation.override("uk"):
            return f"{self.title} [{self.key}]"


def _sex_choices() -> list[tuple[str, Any]]:
    return list(Sex.choices)


def _relationship_choices() -> list[tuple[str, Any]]:
    return list(Relationship.choices)


def _category_choices() -> list[tuple[str, Any]]:
    return list(Category.choices)


def _consent_choices() -> list[tuple[str, Any]]:
    return list(ConsentScope.choices)


COLUMNS: tuple[Column, ...] = (
    Column(
        "household",
        _("Ключ домогосподарства"),
        _(
            "Будь-яка позначка, однакова для всіх членів одного домогосподарства в цьому файлі "
            "(наприклад, Д1). Порожньо — особа без домогосподарства."
        ),
        example="Д1",
    ),
    Column(
        "relationship",
        _("Ким доводиться голові"),
        _("Для членів домогосподарства: рівно один голова (head) на ключ."),
        choices=_relationship_choices,
        example=Relationship.HEAD,
    ),
    Column("last_name", _("Прізвище"), _("Як у документі."), required=True, example="Шевчук"),
    Column("first_name", _("Ім'я"), _("Як у документі."), required=True, example="Марія"),
    Column("patronymic", _("По батькові"), _("Якщо є."), example="Іванівна"),
    Column(
        "birth_date",
        _("Дата народження"),
        DATE_FORMATS_HELP,
        required=True,
        example="14.03.1985",
    ),
    Column(
        "sex",
        _("Стать"),
        _("Код або назва зі списку."),
        required=True,
        choices=_sex_choices,
        example=Sex.FEMALE,
    ),
    Column(
        "phone",
        _("Телефон"),
        _("Український номер: +380671234567 або 067 123 45 67."),
        example="+380671234567",
    ),
    Column("email", _("Електронна пошта"), _("Якщо є."), example="maria@example.org"),
    Column(
        "community",
        _("Громада (код КАТОТТГ)"),
        _("Код громади хабу, куди імпортуєте (UA і 17 цифр). Порожньо — громада хабу."),
    ),
    Column(
        "current_address",
        _("Фактична адреса"),
        _("Вулиця, будинок, квартира; до 255 символів."),
        example="вул. Соборна, 1, кв. 1",
    ),
    Column(
        "rnokpp",
        _("РНОКПП"),
        _("10 цифр; контрольну цифру буде перевірено."),
        example="3111901289",
    ),
    Column(
        "unzr",
        _("УНЗР"),
        _("РРРРММДД-NNNNC, наприклад 19850314-00124."),
        example="19850314-00124",
    ),
    Column(
        "idp_certificate_number",
        _("Номер довідки ВПО"),
        _("До 32 символів."),
        example="0000-1234567890",
    ),
    Column(
        "idp_certificate_date",
        _("Дата видачі довідки ВПО"),
        DATE_FORMATS_HELP,
        example="01.04.2022",
    ),
    Column(
        "idp_certificate_issuer",
        _("Ким видано довідку ВПО"),
        _("Назва органу."),
        example="Управління соціального захисту населення",
    ),
    Column(
        "categories",
        _("Категорії"),
        _("Коди зі списку через крапку з комою, наприклад IDP;LOW_INCOME."),
        choices=_category_choices,
        example="IDP;LOW_INCOME",
    ),
    Column(
        "consent_purpose",
        _("Згода: мета"),
        _("Мета обробки персональних даних, на яку особа дала згоду. Порожньо — без згоди."),
        example="Надання соціальних послуг",
    ),
    Column(
        "consent_scope",
        _("Згода: кому"),
        _("Код зі списку; порожньо — лише цей хаб."),
        choices=_consent_choices,
        example=ConsentScope.HUB,
    ),
)

BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}
REQUIRED_KEYS = tuple(column.key for column in COLUMNS if column.required)

_APOSTROPHES = re.compile("[\u0027\u2019\u02bc\u2018\u0060]")
_BRACKETED_KEY = re.compile(r"\[\s*([a-z_]+)\s*\]\s*$")


def normalise(text: str) -> str:
    """Lower case, apostrophes removed, runs of spaces made one."""
    return " ".join(_APOSTROPHES.sub("", str(text)).lower().split())


def _aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for column in COLUMNS:
        aliases[column.key] = column.key
        for language in ("uk", "en"):
            with translation.override(language):
                aliases[normalise(column.title)] = column.key
    return aliases


def key_of(header_cell: Any) -> str | None:
    """The column key a header cell names, or ``None``."""
    text = "" if header_cell is None else str(header_cell).strip()
    if not text:
        return None
    bracketed = _BRACKETED_KEY.search(text)
    if bracketed and bracketed.group(1) in BY_KEY:
        return bracketed.group(1)
    return _aliases().get(normalise(text))


def choice_map(choices: list[tuple[str, Any]], **more: str) -> dict[str, str]:
    """Normalised code or label (Ukrainian or English) → code; ``more`` adds short forms."""
    mapping: dict[str, str] = {normalise(short): code for short, code in more.items()}
    for code, label in choices:
        mapping[normalise(code)] = code
        for language in ("uk", "en"):
            with translation.override(language):
                mapping[normalise(label)] = code
    return mapping
