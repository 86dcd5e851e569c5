"""Forms of the registry's pages. They give the pages their fields, labels and widgets; the
rules (checksums, dates, КАТОТТГ codes) are the service's, whose errors the views put back on
these fields. The identity step checks what the duplicate search needs before the details."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import PERSON_LANGUAGES
from .identifiers import EARLIEST_BIRTH_DATE, DocumentType, IdentifierError, Sex, validate_document
from .identifiers import validate_phone as phone_rule
from .models import Category, ConsentScope, Relationship

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
