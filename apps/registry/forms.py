"""Forms of the registry's pages. They give the pages their fields, labels and widgets; the
rules (checksums, dates, КАТОТТГ codes) are the service's, whose errors the views put back on
these fields. The identity step checks what the duplicate search needs before the details."""

import json

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import attachments
from .fields import PERSON_LANGUAGES
from .identifiers import EARLIEST_BIRTH_DATE, DocumentType, IdentifierError, Sex, validate_document
from .identifiers import validate_phone as phone_rule
from .models import LATIN_NAME_MAX_LENGTH, Category, ConsentScope, Relationship
from .services import EDITABLE, editable_value_differs

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Кого шукаєте"),
        help_text=_(
            "Прізвище та ім'я будь-якою абеткою і в будь-якому порядку, телефон або номер "
            "документа."
        ),
        max_length=200,
    )
    birth_date = forms.DateField(label=_("Дата народження"), required=False, widget=DATE_WIDGET)


class IdentityForm(forms.Form):
    """Step 1: who the person is — enough to look for them before registering."""

    last_name = forms.CharField(label=_("Прізвище"), max_length=150)
    first_name = forms.CharField(label=_("Ім'я"), max_length=150)
    patronymic = forms.CharField(label=_("По батькові"), max_length=150, required=False)
    birth_date = forms.DateField(label=_("Дата народження"), widget=DATE_WIDGET)
    sex = forms.ChoiceField(label=_("Стать"), choices=Sex.choices, widget=forms.RadioSelect)
    phone = forms.CharField(
        label=_("Телефон"),
        required=False,
        max_length=32,
        help_text=_("Наприклад, 067 123 45 67 або +380 67 123 45 67."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    rnokpp = forms.CharField(
        label=_("РНОКПП (ідентифікаційний код)"),
        required=False,
        max_length=10,
        help_text=_("10 цифр, якщо є."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                _("Дата народження не може бути в майбутньому."), code="future"
            )
        if value < EARLIEST_BIRTH_DATE:
            raise forms.ValidationError(
                _("Дата народження не може бути раніше 1900 року."), code="too_early"
            )
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        return _by_rule(lambda: phone_rule(value)) if value else ""

    def clean_rnokpp(self):
        value = self.cleaned_data["rnokpp"].strip()
        if not value:
            return ""
        return _by_rule(lambda: validate_document(DocumentType.RNOKPP, value).normalised)


def put_errors(form: forms.Form, error: forms.ValidationError) -> None:
    """A service's errors onto the form's fields of the same name; the rest above the form."""
    for key, messages in error.message_dict.items():
        for message in messages:
            form.add_error(key if key in form.fields else None, message)


def _by_rule(check):
    try:
        return check()
    except IdentifierError as exc:
        raise forms.ValidationError(exc.message, code=exc.code) from exc


LANGUAGE_NAMES = {
    "uk": _("українська"),
    "en": _("англійська"),
    "crh": _("кримськотатарська"),
    "ukl": _("українська жестова"),
    "ru": _("російська"),
    "pl": _("польська"),
    "ro": _("румунська"),
    "hu": _("угорська"),
    "bg": _("болгарська"),
    "de": _("німецька"),
}


class DetailsForm(forms.Form):
    """Step 2: where the person lives, contacts, documents, categories, consent and — for a
    member of a household — the relationship to its head."""

    relationship = forms.ChoiceField(
        label=_("Ким доводиться голові домогосподарства"),
        choices=[(v, label) for v, label in Relationship.choices if v != Relationship.HEAD],
    )
    community = forms.ChoiceField(
        label=_("Громада"),
        help_text=_("Громада, де особа живе зараз і де її реєструє ваш хаб."),
    )
    current_address = forms.CharField(
        label=_("Фактична адреса"),
        help_text=_("Вулиця, будинок, квартира."),
        required=False,
        max_length=255,
    )
    email = forms.EmailField(label=_("Електронна пошта"), required=False)
    preferred_language = forms.ChoiceField(
        label=_("Мова спілкування"),
        choices=[(code, LANGUAGE_NAMES.get(code, code)) for code in PERSON_LANGUAGES],
        initial="uk",
        required=False,
    )
    idp_certificate = forms.CharField(label=_("Номер довідки ВПО"), required=False, max_length=32)
    idp_certificate_issued_on = forms.DateField(
        label=_("Дата видачі довідки ВПО"), required=False, widget=DATE_WIDGET
    )
    idp_certificate_issuer = forms.CharField(
        label=_("Ким видано довідку ВПО"), required=False, max_length=255
    )
    document_type = forms.ChoiceField(
        label=_("Інший документ"),
        required=False,
        choices=[("", _("— немає —"))]
        + [
            (value, label)
            for value, label in DocumentType.choices
            if value not in (DocumentType.RNOKPP, DocumentType.IDP_CERTIFICATE)
        ],
    )
    document_number = forms.CharField(label=_("Номер документа"), required=False, max_length=64)
    categories = forms.MultipleChoiceField(
        label=_("Категорії"),
        required=False,
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_("Особа дала згоду на обробку персональних даних"), required=False
    )
    consent_purpose = forms.CharField(
        label=_("Мета згоди"),
        required=False,
        max_length=255,
        initial=_("Надання соціальних послуг та супровід"),
    )
    consent_scope = forms.ChoiceField(
        label=_("Кому дозволено передавати дані"),
        choices=ConsentScope.choices,
        initial=ConsentScope.HUB,
        required=False,
        widget=forms.RadioSelect,
    )
    confirm_not_duplicate = forms.BooleanField(
        label=_("Я перевірив(-ла) збіги: це інша особа"), required=False
    )

    def __init__(self, *args, communities=(), joins_household=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [(unit.pk, unit.name) for unit in communities]
        if not joins_household:
            del self.fields["relationship"]

    def clean(self):
        data = super().clean()
        if data.get("document_type") and not data.get("document_number"):
            self.add_error("document_number", _("Вкажіть номер документа."))
        if data.get("document_number") and not data.get("document_type"):
            self.add_error("document_type", _("Оберіть тип документа."))
        if data.get("consent") and not data.get("consent_purpose"):
            self.add_error("consent_purpose", _("Вкажіть мету згоди."))
        if data.get("consent") and not data.get("consent_scope"):
            self.add_error("consent_scope", _("Оберіть, кому дозволено передавати дані."))
        return data


# --- editing a person ---------------------------------------------------------------------------

# The languages a person may ask to be spoken to in (the codes are the service's rule).
LANGUAGE_NAMES = {
    "uk": _("українська"),
    "en": _("англійська"),
    "crh": _("кримськотатарська"),
    "ukl": _("українська жестова"),
    "ru": _("російська"),
    "pl": _("польська"),
    "ro": _("румунська"),
    "hu": _("угорська"),
    "bg": _("болгарська"),
    "de": _("німецька"),
}
UNIT_HELP = _(
    "Код КАТОТТГ громади, населеного пункту або району в місті, наприклад UA56060470000086729."
)
# A category row's parts: the service's names and the form's suffixes.
CATEGORY_PARTS = {"code": "", "valid_from": "_from", "valid_to": "_to", "evidence": "_evidence"}
# Empty category rows offered below the person's own, for adding.
SPARE_CATEGORY_ROWS = 2


def _text(label, *, required=False, help_text="", widget=None, max_length=255):
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=widget, max_length=max_length
    )


class PersonEditForm(forms.Form):
    """The person's editable fields, all as text: the rules are the service's. ``original``
    carries the values the form was opened with, so only what the user changed is sent — an
    edit made on an older version then conflicts only where both changed the same field."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    original = forms.CharField(widget=forms.HiddenInput)
    last_name = _text(_("Прізвище"), required=True, max_length=150)
    first_name = _text(_("Ім'я"), required=True, max_length=150)
    patronymic = _text(_("По батькові"), max_length=150)
    last_name_latin = _text(
        _("Прізвище латиницею"),
        max_length=LATIN_NAME_MAX_LENGTH,
        help_text=_(
            "Як у паспорті. Якщо в паспорті написано інакше, ніж за національною "
            "транслітерацією, виправте тут: це написання збережеться."
        ),
    )
    first_name_latin = _text(_("Ім'я латиницею"), max_length=LATIN_NAME_MAX_LENGTH)
    birth_date = _text(
        _("Дата народження"), required=True, widget=forms.DateInput({"type": "date"})
    )
    sex = forms.ChoiceField(label=_("Стать"), choices=Sex.choices, widget=forms.RadioSelect)
    email = _text(_("Електронна пошта"), widget=forms.EmailInput)
    preferred_language = forms.ChoiceField(
        label=_("Мова спілкування"), choices=list(LANGUAGE_NAMES.items())
    )
    phones = _text(
        _("Телефони"),
        max_length=1000,
        help_text=_("Кожен номер з нового рядка; перший — основний."),
        widget=forms.Textarea({"rows": 3}),
    )
    origin_unit = _text(_("Місце реєстрації (до переміщення): код КАТОТТГ"), help_text=UNIT_HELP)
    origin_address = _text(_("Адреса реєстрації: вулиця, будинок, квартира"))
    current_unit = _text(_("Місце фактичного проживання: код КАТОТТГ"), help_text=UNIT_HELP)
    current_address = _text(_("Фактична адреса: вулиця, будинок, квартира"))

    def __init__(self, *args, category_rows: int = SPARE_CATEGORY_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_count = category_rows
        choices = [("", _("— немає —")), *Category.choices]
        for i in range(category_rows):
            number = i + 1
            self.fields[f"category_{i}"] = forms.ChoiceField(
                label=_("Категорія %(n)s") % {"n": number}, choices=choices, required=False
            )
            self.fields[f"category_{i}_from"] = _text(
                _("З (категорія %(n)s)") % {"n": number}, widget=DATE_WIDGET
            )
            self.fields[f"category_{i}_to"] = _text(
                _("По (категорія %(n)s)") % {"n": number}, widget=DATE_WIDGET
            )
            self.fields[f"category_{i}_evidence"] = _text(
                _("Підстава (категорія %(n)s)") % {"n": number}
            )
        self._category_rows_sent: list[int] = []

    @staticmethod
    def initial_from(values: dict, version: int) -> dict:
        """The form's initial data from the service's values of the person."""
        initial = {name: value or "" for name, value in values.items() if name != "categories"}
        initial["phones"] = "\n".join(values["phones"])
        for i, period in enumerate(values["categories"]):
            for part, suffix in CATEGORY_PARTS.items():
                initial[f"category_{i}{suffix}"] = period[part] or ""
        return initial | {"version": version, "original": json.dumps(values, ensure_ascii=False)}

    @property
    def category_rows(self) -> list[list]:
        """Each category row's bound fields, for the template."""
        return [
            [self[f"category_{i}{suffix}"] for suffix in CATEGORY_PARTS.values()]
            for i in range(self.row_count)
        ]

    def _values(self) -> dict:
        data = self.cleaned_data
        values = {name: data[name] for name in self.declared_fields if name in SERVICE_FIELDS}
        values["phones"] = [line.strip() for line in data["phones"].splitlines() if line.strip()]
        values["categories"], self._category_rows_sent = [], []
        for i in range(self.row_count):
            row = {part: data[f"category_{i}{s}"] or None for part, s in CATEGORY_PARTS.items()}
            if row["code"]:  # a row without a category is none (how one is removed)
                values["categories"].append(row | {"evidence": row["evidence"] or ""})
                self._category_rows_sent.append(i)
        return values

    def changes(self) -> dict:
        """What the user changed since the form was opened, in the service's names."""
        try:
            original = json.loads(self.cleaned_data["original"])
        except ValueError:
            original = {}
        return {
            name: value
            for name, value in self._values().items()
            if name not in original or editable_value_differs(name, value, original[name])
        }

    def add_service_errors(self, error: forms.ValidationError) -> None:
        """The service's errors (``phones[1]``, ``categories[0].valid_to``) onto the fields."""
        for key, messages in error.message_dict.items():
            field, messages = self._field_of(key, messages)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    def _field_of(self, key: str, messages: list[str]) -> tuple[str | None, list[str]]:
        name, _bracket, rest = key.partition("[")
        if name == "phones" and rest:
            line = int(rest.split("]")[0]) + 1
            return "phones", [
                _("Рядок %(n)s: %(error)s") % {"n": line, "error": m} for m in messages
            ]
        if name == "categories" and rest:
            index, _end, part = rest.partition("]")
            row = self._category_rows_sent[int(index)]
            return f"category_{row}{CATEGORY_PARTS.get(part.lstrip('.'), '')}", messages
        return name, messages


SERVICE_FIELDS = frozenset(EDITABLE) - {"phones", "categories", "latin_edited"}


# --- documents, consents ------------------------------------------------------------------------


class DocumentForm(forms.Form):
    type = forms.ChoiceField(label=_("Тип документа"), choices=DocumentType.choices)
    number = forms.CharField(label=_("Номер"), max_length=64)
    issued_on = forms.CharField(label=_("Дата видачі"), required=False, widget=DATE_WIDGET)
    issuer = forms.CharField(label=_("Ким видано"), required=False, max_length=255)
    valid_until = forms.CharField(label=_("Дійсний до"), required=False, widget=DATE_WIDGET)
    override_reason = forms.CharField(
        label=_("Чому приймаєте документ попри розбіжність"),
        required=False,
        max_length=255,
        help_text=_("Наприклад: «звірено з оригіналом паспорта»."),
    )
    # Checked by the service (apps.registry.attachments), with the document.
    file = forms.FileField(
        label=_("Скан документа (необов'язково)"),
        required=False,
        allow_empty_file=True,
        help_text=_("PDF, JPEG або PNG, до %(limit)s МБ."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit = f"{attachments.max_bytes() / (1024 * 1024):g}"
        self.fields["file"].help_text = self.fields["file"].help_text % {"limit": limit}


class ConsentForm(forms.Form):
    purpose = forms.CharField(
        label=_("Мета обробки даних"),
        max_length=255,
        help_text=_("Наприклад: «соціальний супровід» або «направлення до центру зайнятості»."),
    )
    scope = forms.ChoiceField(
        label=_("Кому дозволено"), choices=ConsentScope.choices, widget=forms.RadioSelect
    )


# --- households ---------------------------------------------------------------------------------

MEMBER_RELATIONSHIPS = [(v, label) for v, label in Relationship.choices if v != Relationship.HEAD]


class HouseholdChangeForm(forms.Form):
    """Every change of a household names the version it was made on."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class MemberAddForm(HouseholdChangeForm):
    person = forms.UUIDField(
        label=_("Ідентифікатор особи"),
        help_text=_("Його видно в адресі картки особи, наприклад /persons/…/."),
    )
    relationship = forms.ChoiceField(label=_("Ким доводиться голові"), choices=MEMBER_RELATIONSHIPS)


class HeadChangeForm(HouseholdChangeForm):
    member = forms.IntegerField(widget=forms.HiddenInput)
    previous_head_relationship = forms.ChoiceField(
        label=_("Ким колишній голова доводиться новому"), choices=MEMBER_RELATIONSHIPS
    )


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Знайти особу, щоб додати"),
        help_text=_("Прізвище та ім'я, телефон або номер документа."),
        max_length=200,
    )


# --- merging, transfers -------------------------------------------------------------------------


class MergePickForm(forms.Form):
    duplicate = forms.UUIDField(
        label=_("Ідентифікатор дубліката"),
        help_text=_("Або вставте ідентифікатор з адреси картки дубліката."),
    )


class MergeForm(forms.Form):
    duplicate = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Чому це та сама особа"),
        max_length=255,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Наприклад: «той самий паспорт, зареєстровано двічі»."),
    )


class TransferRequestForm(forms.Form):
    transfer_ref = forms.CharField(widget=forms.HiddenInput, max_length=1000)
    reason = forms.CharField(
        label=_("Чому ваш хаб просить передати особу"),
        max_length=500,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Побачить лише координатор хабу, що веде запис."),
    )


class TransferDecisionForm(forms.Form):
    note = forms.CharField(label=_("Примітка до рішення"), required=False, max_length=500)
    decision = forms.ChoiceField(choices=[("grant", "grant"), ("refuse", "refuse")])
