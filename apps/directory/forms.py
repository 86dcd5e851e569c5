"""Forms of the directory's pages. They read and label the input; the services check it, and
a service's errors are put back on the fields (``put_errors``), rows of hours and contacts
included."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import schedules, validation
from .models import (
    WEEKDAYS,
    LocationType,
    OrganisationKind,
    Sector,
    ServiceStatus,
    Visibility,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
TEXTAREA = {"rows": 3}
CLOSES_HELP = _(
    "Час, раніший за час відкриття, — наступного дня (наприклад, 20:00–08:00). "
    "00:00–00:00 — цілодобово."
)

WEEKDAY_CHOICES = [
    ("MO", _("Пн")),
    ("TU", _("Вт")),
    ("WE", _("Ср")),
    ("TH", _("Чт")),
    ("FR", _("Пт")),
    ("SA", _("Сб")),
    ("SU", _("Нд")),
]
assert [code for code, _label in WEEKDAY_CHOICES] == list(WEEKDAYS)

_ROW_KEY = re.compile(r"^(?P<group>\w+)\[(?P<index>\d+)\]\.(?P<field>\w+)$")


def put_errors(form: forms.Form, error: ValidationError, formsets: dict | None = None) -> None:
    """A service's errors onto the fields of the same name: ``schedules[1].closes_at`` onto
    the second row ``rows_of`` sent of the ``schedules`` formset; the rest above the form."""
    for key, messages in error.message_dict.items():
        match = _ROW_KEY.match(key)
        if match and formsets and match["group"] in formsets:
            sent = sent_forms(formsets[match["group"]])
            index = int(match["index"])
            if index < len(sent):
                target = sent[index]
                name = match["field"] if match["field"] in target.fields else None
                for message in messages:
                    target.add_error(name, message)
                continue
        for message in messages:
            form.add_error(key if key in form.fields else None, message)


def _deleted(form) -> bool:
    return bool(getattr(form, "cleaned_data", {}).get("DELETE"))


def sent_forms(formset) -> list:
    """The rows a formset sends: the rows that were there (unless marked for removal) and
    the new rows filled in."""
    kept = set(map(id, formset.initial_forms))
    return [f for f in formset.forms if (id(f) in kept or f.has_changed()) and not _deleted(f)]


def rows_of(formset) -> list[dict]:
    return [{k: v for k, v in f.cleaned_data.items() if k != "DELETE"} for f in sent_forms(formset)]


def _errors_onto(form: forms.Form, errors: dict) -> None:
    for name, messages in errors.items():
        if name not in form.errors:  # a field's own error (not a time at all) comes first
            for message in messages:
                form.add_error(name, message)


class HoursReading:
    """How a row's hours read when they are not plain daytime hours: "20:00–08:00 (до ранку
    наступного дня)", "цілодобово". Empty for a row with errors or without both times."""

    def reading(self) -> str:
        if self.is_bound:
            if not self.is_valid() or self.cleaned_data.get("closed"):
                return ""
            data = self.cleaned_data
        else:
            data = self.initial
            if data.get("closed"):
                return ""
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens is None or closes is None or closes > opens:
            return ""  # a day's hours say what they mean already
        return str(schedules.Hours(opens=opens, closes=closes))


class ServiceFilterForm(forms.Form):
    q = forms.CharField(label=_("Пошук за назвою"), required=False, max_length=200)
    need = forms.ChoiceField(label=_("Потреба"), required=False)
    community = forms.ChoiceField(label=_("Громада"), required=False)
    sector = forms.ChoiceField(
        label=_("Сфера"), required=False, choices=[("", _("усі")), *Sector.choices]
    )
    classifier = forms.ChoiceField(label=_("Послуга за класифікатором"), required=False)
    category = forms.ChoiceField(label=_("Для кого"), required=False)
    age = forms.IntegerField(
        label=_("Вік особи"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Покаже послуги, що підходять за віком."),
    )
    basic = forms.BooleanField(label=_("Лише базові соціальні послуги"), required=False)
    open_now = forms.BooleanField(label=_("Відкрито зараз"), required=False)
    accepting = forms.BooleanField(label=_("Приймає направлення"), required=False)

    def __init__(self, *args, needs=(), communities=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", _("усі")), *needs]
        self.fields["category"].choices = [("", _("усі")), *categories]
        self.fields["community"].choices = [("", _("усі")), *communities]
        self.fields["classifier"].choices = [
            ("", _("усі")),
            *((code, f"{code} {label}") for code, label in validation.KNOWN_CLASSIFIER_CODES),
        ]


class OrganisationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    community = forms.ChoiceField(label=_("Громада"))
    name = forms.CharField(label=_("Назва"), max_length=255)
    name_en = forms.CharField(label=_("Назва англійською"), max_length=255, required=False)
    alternate_name = forms.CharField(label=_("Інша назва"), max_length=255, required=False)
    kind = forms.ChoiceField(label=_("Вид"), choices=[("", "—"), *OrganisationKind.choices])
    legal_status = forms.CharField(
        label=_("Організаційно-правова форма"), max_length=255, required=False
    )
    year_incorporated = forms.IntegerField(label=_("Рік заснування"), required=False)
    edrpou = forms.CharField(
        label=_("Код ЄДРПОУ"), max_length=8, required=False, help_text=_("8 цифр.")
    )
    email = forms.EmailField(label=_("Електронна пошта"), required=False)
    phone = forms.CharField(
        label=_("Телефон"), max_length=30, required=False, help_text=_("Наприклад, 0362 12 34 56.")
    )
    website = forms.URLField(label=_("Вебсайт"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Опис"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    is_active = forms.BooleanField(
        label=_("Діє"),
        required=False,
        initial=True,
        help_text=_("Організація, що не діє, зникає з довідника."),
    )

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if communities is None:
            del self.fields["community"]
        else:
            self.fields["community"].choices = [("", "—"), *communities]

    def clean_phone(self):
        return validation.phone(self.cleaned_data["phone"])

    def clean_edrpou(self):
        return validation.edrpou(self.cleaned_data["edrpou"])


class LocationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Назва"), max_length=255)
    name_en = forms.CharField(label=_("Назва англійською"), max_length=255, required=False)
    location_type = forms.ChoiceField(
        label=_("Вид локації"), choices=LocationType.choices, initial=LocationType.PHYSICAL
    )
    settlement = forms.ChoiceField(label=_("Населений пункт"))
    address = forms.CharField(label=_("Адреса"), max_length=255)
    postal_code = forms.CharField(label=_("Поштовий індекс"), max_length=5, required=False)
    latitude = forms.DecimalField(
        label=_("Широта"),
        required=False,
        max_digits=9,
        decimal_places=6,
        help_text=_("Градуси, наприклад 50.619900."),
    )
    longitude = forms.DecimalField(
        label=_("Довгота"),
        required=False,
        max_digits=9,
        decimal_places=6,
        help_text=_("Градуси, наприклад 26.251600."),
    )
    step_free = forms.BooleanField(label=_("Вхід без сходинок"), required=False)
    accessibility = forms.CharField(
        label=_("Доступність приміщення"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Пандус, ліфт, туалет, тактильна навігація, паркування."),
    )
    transportation = forms.CharField(
        label=_("Як дістатися"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    description = forms.CharField(
        label=_("Опис"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    languages = forms.MultipleChoiceField(
        label=_("Мови обслуговування"),
        required=False,
        choices=validation.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, settlements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"].choices = [("", "—"), *settlements]

    def clean(self):
        data = super().clean()
        _errors_onto(
            self, validation.check_coordinates(data.get("latitude"), data.get("longitude"))
        )
        return data


class ServiceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Назва"), max_length=255)
    name_en = forms.CharField(label=_("Назва англійською"), max_length=255, required=False)
    alternate_name = forms.CharField(label=_("Інша назва"), max_length=255, required=False)
    description = forms.CharField(
        label=_("Опис"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    sector = forms.ChoiceField(label=_("Сфера"), choices=Sector.choices, initial=Sector.SOCIAL)
    classifier_code = forms.CharField(
        label=_("Код за класифікатором соціальних послуг"),
        max_length=16,
        required=False,
        widget=forms.TextInput(attrs={"list": "classifier-codes"}),
        help_text=_("Для соціальних послуг, наприклад 002.0 — консультування."),
    )
    is_basic = forms.BooleanField(label=_("Базова соціальна послуга"), required=False)
    status = forms.ChoiceField(
        label=_("Стан"), choices=ServiceStatus.choices, initial=ServiceStatus.ACTIVE
    )
    visibility = forms.ChoiceField(
        label=_("Видимість"),
        choices=Visibility.choices,
        initial=Visibility.STAFF,
        widget=forms.RadioSelect,
        help_text=_("Публічну послугу видно всім, зокрема на порталі для мешканців."),
    )
    needs = forms.MultipleChoiceField(
        label=_("Потреби, які задовольняє"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligibility_description = forms.CharField(
        label=_("Хто може отримати"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    eligible_categories = forms.MultipleChoiceField(
        label=_("Категорії отримувачів"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minimum_age = forms.IntegerField(label=_("Вік від"), required=False, min_value=0)
    maximum_age = forms.IntegerField(label=_("Вік до"), required=False, min_value=0)
    application_process = forms.CharField(
        label=_("Як звернутися"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    is_free = forms.BooleanField(label=_("Безоплатна"), required=False, initial=True)
    fees_description = forms.CharField(
        label=_("Вартість"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    languages = forms.MultipleChoiceField(
        label=_("Мови обслуговування"),
        required=False,
        choices=validation.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    url = forms.URLField(label=_("Сторінка послуги"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("Електронна пошта"), required=False)
    phone = forms.CharField(label=_("Телефон"), max_length=30, required=False)
    locations = forms.MultipleChoiceField(
        label=_("Де надається"), required=False, widget=forms.CheckboxSelectMultiple
    )
    areas = forms.MultipleChoiceField(
        label=_("Територія обслуговування"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Кого обслуговує, крім мешканців громади організації."),
    )
    capacity = forms.IntegerField(
        label=_("Місткість (осіб на місяць)"), required=False, min_value=0
    )
    accepting_referrals = forms.BooleanField(
        label=_("Приймає направлення"), required=False, initial=True
    )
    response_days = forms.IntegerField(
        label=_("Відповісти на направлення за (робочих днів)"), initial=3, min_value=1
    )
    completion_days = forms.IntegerField(
        label=_("Виконати направлення за (робочих днів)"), initial=30, min_value=1
    )

    def __init__(self, *args, needs=(), categories=(), locations=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = list(needs)
        self.fields["eligible_categories"].choices = list(categories)
        self.fields["locations"].choices = list(locations)
        self.fields["areas"].choices = list(areas)

    def clean_phone(self):
        return validation.phone(self.cleaned_data["phone"])

    def clean_classifier_code(self):
        return validation.classifier_code(self.cleaned_data["classifier_code"])

    def clean(self):
        data = super().clean()
        _errors_onto(self, validation.check_ages(data.get("minimum_age"), data.get("maximum_age")))
        return data


class ScheduleRowForm(HoursReading, forms.Form):
    uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)
    byday = forms.MultipleChoiceField(
        label=_("Дні тижня"), choices=WEEKDAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    opens_at = forms.TimeField(label=_("Відкривається о"), widget=TIME_INPUT)
    closes_at = forms.TimeField(label=_("Зачиняється о"), widget=TIME_INPUT, help_text=CLOSES_HELP)
    valid_from = forms.DateField(label=_("Діє з"), required=False, widget=DATE_INPUT)
    valid_to = forms.DateField(label=_("Діє до"), required=False, widget=DATE_INPUT)
    description = forms.CharField(label=_("Примітка"), max_length=255, required=False)

    def clean(self):
        data = super().clean()
        _errors_onto(self, validation.check_hours(data.get("opens_at"), data.get("closes_at")))
        _errors_onto(self, validation.check_period(data.get("valid_from"), data.get("valid_to")))
        return data

    def has_changed(self) -> bool:
        # The hidden id alone does not make a row: a kept row always sends its days.
        return bool({n for n in self.changed_data if n not in {"uuid"}})


class ExceptionRowForm(HoursReading, forms.Form):
    date = forms.DateField(label=_("Дата"), widget=DATE_INPUT)
    closed = forms.BooleanField(
        label=_("Зачинено весь день"),
        required=False,
        help_text=_("Або вкажіть інші години роботи цього дня."),
    )
    opens_at = forms.TimeField(label=_("Відкривається о"), required=False, widget=TIME_INPUT)
    closes_at = forms.TimeField(
        label=_("Зачиняється о"), required=False, widget=TIME_INPUT, help_text=CLOSES_HELP
    )
    reason = forms.CharField(
        label=_("Причина"), max_length=255, required=False, help_text=_("Наприклад, свято.")
    )

    def clean(self):
        data = super().clean()
        if not data.get("closed"):
            _errors_onto(
                self,
                validation.check_hours(data.get("opens_at"), data.get("closes_at"), required=False),
            )
        return data


class ContactRowForm(forms.Form):
    uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Ім'я"), max_length=255)
    title = forms.CharField(label=_("Посада"), max_length=255, required=False)
    email = forms.EmailField(label=_("Електронна пошта"), required=False)
    phone = forms.CharField(label=_("Телефон"), max_length=30, required=False)
    service = forms.ChoiceField(label=_("Послуга"), required=False)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("уся організація")), *services]

    def clean_phone(self):
        return validation.phone(self.cleaned_data["phone"])

    def has_changed(self) -> bool:
        return bool({n for n in self.changed_data if n not in {"uuid"}})


ScheduleFormSet = forms.formset_factory(ScheduleRowForm, extra=2, can_delete=True)
ExceptionFormSet = forms.formset_factory(ExceptionRowForm, extra=1, can_delete=True)
ContactFormSet = forms.formset_factory(ContactRowForm, extra=1, can_delete=True)
