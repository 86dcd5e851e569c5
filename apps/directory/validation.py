"""Checks of directory data shared by the forms and the services, each with a message people
understand. A function returns the clean value or raises ``ValidationError``; ``check_*``
functions return ``{field: [messages]}`` for rules that span fields."""

import re
from datetime import date, time
from decimal import Decimal

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import MIDNIGHT, SAME_TIMES_MESSAGE, WEEKDAYS

CLASSIFIER_CODE = re.compile(r"^\d{3}\.\d$")
# Codes of the national classifier of social services known to us (DOMAIN.md §4 ✔).
KNOWN_CLASSIFIER_CODES = (
    ("001.0", _("Інформування")),
    ("002.0", _("Консультування")),
    ("012.0", _("Екстрене (кризове) втручання")),
    ("015.1", _("Догляд вдома")),
)
# Languages of service (ISO 639 codes): Ukrainian, English, Crimean Tatar, Ukrainian Sign
# Language, Polish, German, Russian.
LANGUAGES = (
    ("uk", _("українська")),
    ("en", _("англійська")),
    ("crh", _("кримськотатарська")),
    ("ukl", _("українська жестова")),
    ("pl", _("польська")),
    ("de", _("німецька")),
    ("ru", _("російська")),
)


def phone(value: str) -> str:
    """A phone number in E.164 (``+380671234567``); a number without ``+`` is Ukrainian."""
    if not value:
        return ""
    try:
        parsed = phonenumbers.parse(value, "UA")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("Це не схоже на номер телефону."), code="phone_unparseable"
        ) from None
    if not phonenumbers.is_valid_number(parsed) or parsed.extension:
        raise ValidationError(
            _("Такого номера не існує. Перевірте код оператора чи міста і кількість цифр."),
            code="phone_invalid",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def byday(value: str | list[str]) -> str:
    """iCal weekdays (``MO,TU``) in week order, each once; at least one."""
    days = value.split(",") if isinstance(value, str) else list(value)
    days = [d.strip().upper() for d in days if d.strip()]
    unknown = [d for d in days if d not in WEEKDAYS]
    if unknown:
        raise ValidationError(
            _("Невідомі дні тижня: %(days)s. Дні позначають MO, TU, WE, TH, FR, SA, SU.")
            % {"days": ", ".join(unknown)},
            code="byday_invalid",
        )
    if not days:
        raise ValidationError(_("Оберіть хоча б один день тижня."), code="byday_empty")
    return ",".join(d for d in WEEKDAYS if d in days)


def edrpou(value: str) -> str:
    """The organisation's code in ЄДРПОУ: eight digits."""
    value = (value or "").strip()
    if value and not re.fullmatch(r"\d{8}", value):
        raise ValidationError(_("Код ЄДРПОУ — це 8 цифр."), code="edrpou_invalid")
    return value


def classifier_code(value: str) -> str:
    value = (value or "").strip()
    if value and not CLASSIFIER_CODE.match(value):
        raise ValidationError(
            _("Код класифікатора соціальних послуг має вигляд «001.0»: три цифри, крапка, цифра."),
            code="classifier_invalid",
        )
    return value


def check_hours(opens: time | None, closes: time | None, *, required: bool = True) -> dict:
    """Opening and closing times of one interval. A closing earlier than the opening is on the
    next day (20:00–08:00), 00:00–00:00 is the whole day; other equal times mean nothing."""
    errors: dict[str, list] = {}
    if required and opens is None:
        errors["opens_at"] = [_("Вкажіть, о котрій відкривається.")]
    if required and closes is None:
        errors["closes_at"] = [_("Вкажіть, о котрій зачиняється.")]
    if opens is not None and opens == closes and opens != MIDNIGHT:
        errors["closes_at"] = [SAME_TIMES_MESSAGE]
    return errors


def check_period(valid_from: date | None, valid_to: date | None) -> dict:
    if valid_from and valid_to and valid_to < valid_from:
        return {"valid_to": [_("Дата «діє до» не може бути раніше за дату «діє з».")]}
    return {}


def check_ages(minimum: int | None, maximum: int | None) -> dict:
    if minimum is not None and maximum is not None and minimum > maximum:
        return {"maximum_age": [_("Вік «до» не може бути меншим за вік «від».")]}
    return {}


def check_coordinates(latitude: Decimal | None, longitude: Decimal | None) -> dict:
    errors: dict[str, list] = {}
    if latitude is not None and not Decimal(-90) <= latitude <= Decimal(90):
        errors["latitude"] = [_("Широта має бути від −90 до 90 градусів.")]
    if longitude is not None and not Decimal(-180) <= longitude <= Decimal(180):
        errors["longitude"] = [_("Довгота має бути від −180 до 180 градусів.")]
    if (latitude is None) != (longitude is None) and not errors:
        missing = "longitude" if longitude is None else "latitude"
        errors[missing] = [_("Вкажіть обидві координати: широту й довготу.")]
    return errors
