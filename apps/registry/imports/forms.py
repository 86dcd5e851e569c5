"""The upload form of the person import's page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .reading import max_bytes

ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Хаб"), coerce=int, empty_value=None)
    file = forms.FileField(
        label=_("Файл з особами"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        self.hubs = hubs
        field = self.fields["organisation"]
        field.choices = [(hub.pk, hub.name) for hub in hubs]
        field.help_text = _("Осіб буде зареєстровано в цьому хабі та його громаді.")
        if len(hubs) == 1:
            field.initial = hubs[0].pk
            field.required = False
            field.widget = forms.HiddenInput()
        self.fields["file"].help_text = _(
            "CSV (UTF-8 або Windows-1251, роздільник «;» або «,») чи XLSX, до %(mb)s МБ. Перший "
            "рядок — заголовок, як у шаблоні."
        ) % {"mb": max_bytes() // (1024 * 1024)}

    def clean_organisation(self):
        """The only hub when there is one to choose from."""
        chosen = self.cleaned_data.get("organisation")
        if chosen is None and len(self.hubs) == 1:
            return self.hubs[0].pk
        return chosen
