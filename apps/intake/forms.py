"""Forms of intake's pages. They read and label the input; the services check it (and a
service's field errors are put back on these fields, see ``views``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import Channel, CloseReason, Urgency

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RequestForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("Потреби"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Оберіть усе, про що просить особа."),
    )
    channel = forms.ChoiceField(
        label=_("Канал звернення"), choices=[("", "—"), *Channel.choices], initial=""
    )
    urgency = forms.ChoiceField(
        label=_("Терміновість"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
        help_text=_(
            "Строк за замовчуванням: кризова — того ж дня, термінова — наступного робочого дня, "
            "звичайна — за 5 робочих днів."
        ),
    )
    description = forms.CharField(
        label=_("Опис"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Що сталося і чого потребує особа — своїми словами."),
    )
    due_date = forms.DateField(
        label=_("Виконати до"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Порожньо — за терміновістю."),
    )

    def __init__(self, *args, needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = [(n.code, n.display_name) for n in needs]

    def clean_due_date(self):
        """Said here too, so that it comes with the form's other errors at once."""
        due_date = self.cleaned_data["due_date"]
        if due_date and due_date < rules.local_today():
            raise forms.ValidationError(_("Строк не може бути в минулому."), code="past")
        return due_date


class TransitionForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label=_("Причина закриття"),
        required=False,
        choices=[("", "—"), *CloseReason.choices],
    )
    note = forms.CharField(
        label=_("Примітка"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    assigned_to = forms.TypedChoiceField(
        label=_("Відповідальний працівник"),
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].choices = [
            ("", _("— нікого —")),
            *[(w.pk, w.get_full_name() or w.get_username()) for w in workers],
        ]


class SlotSearchForm(forms.Form):
    specialist = forms.TypedChoiceField(label=_("Фахівець"), coerce=int)
    date = forms.DateField(label=_("Дата"), widget=DATE_INPUT)

    def __init__(self, *args, specialists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].choices = [
            (s.pk, s.get_full_name() or s.get_username()) for s in specialists
        ]


class BookForm(forms.Form):
    specialist = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.HiddenInput)
    slot = forms.ChoiceField(
        label=_("Вільний час"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Оберіть час."),
            "invalid_choice": _("Цей час уже зайнятий або минув. Оберіть інший."),
        },
    )
    room = forms.TypedChoiceField(
        label=_("Приміщення"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, slots=(), rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = slots
        self.fields["room"].choices = [("", _("— не обрано —")), *[(r.pk, str(r)) for r in rooms]]
