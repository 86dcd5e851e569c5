"""Forms of referrals' pages. They read and label the input; the services check it (a
service's field errors are put back on these fields, see ``views``)."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Shared
from .rules import Outcome, Status


class NeedForm(forms.Form):
    """The first step: which need the referral answers (the services are filtered by it)."""

    need = forms.ChoiceField(label=_("Потреба"))

    def __init__(self, *args, needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", "—"), *[(n.code, n.display_name) for n in needs]]


class SendForm(forms.Form):
    need = forms.CharField(widget=forms.HiddenInput)
    request = forms.UUIDField(widget=forms.HiddenInput, required=False)
    service = forms.TypedChoiceField(
        label=_("Послуга"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Оберіть послугу.")},
        help_text=_("Спершу — послуги, що приймають направлення."),
    )
    note = forms.CharField(
        label=_("Примітка для отримувача"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Що важливо знати організації. Без зайвих персональних даних."),
    )
    share_contact = forms.BooleanField(
        label=_("Передати контакт особи (телефон, електронну пошту)"), required=False
    )
    confirm_not_accepting = forms.BooleanField(
        label=_("Підтверджую направлення до послуги, яка зараз не приймає направлень"),
        required=False,
    )

    def __init__(
        self, *args, services=(), deadlines=None, unsuited=(), contact_allowed=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        deadlines = deadlines or {}
        self.fields["service"].choices = [
            (s.pk, _service_label(s, deadlines.get(s.pk), suits=s.pk not in unsuited))
            for s in services
        ]
        if not contact_allowed:
            self.fields["share_contact"].disabled = True
            self.fields["share_contact"].help_text = _(
                "Немає згоди особи на передавання контактів."
            )

    def shared(self) -> list[str]:
        chosen = [Shared.NAME, Shared.NEED, Shared.NOTE]
        if self.cleaned_data.get("share_contact"):
            chosen.append(Shared.CONTACT)
        return [s for s in Shared.values if s in chosen]


def _service_label(service, deadlines, *, suits: bool = True) -> str:
    parts = [f"{service.display_name} — {service.organisation.display_name}"]
    if not suits:
        parts.append(str(_("за умовами послуги (категорія, вік) особа може не підходити")))
    if not service.accepting_referrals:
        parts.append(str(_("зараз не приймає направлень")))
    if deadlines:
        respond_by, complete_by = deadlines
        parts.append(
            str(_("відповідь до %(respond)s, виконання до %(complete)s"))
            % {
                "respond": date_format(respond_by, "SHORT_DATE_FORMAT"),
                "complete": date_format(complete_by, "SHORT_DATE_FORMAT"),
            }
        )
    return "; ".join(parts)


class TransitionForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(required=False, max_length=2000)
    outcome = forms.ChoiceField(required=False, choices=[("", "—"), *Outcome.choices])
    note = forms.CharField(required=False, max_length=2000)
    confirm_not_accepting = forms.BooleanField(required=False)
    share_contact = forms.BooleanField(required=False)

    def move(self) -> dict:
        """The move as the service takes it: a checked ``share_contact`` (sending a draft)
        adds the contact to the minimum."""
        data = dict(self.cleaned_data)
        share_contact = data.pop("share_contact")
        if data["to"] == Status.SENT and share_contact:
            data["shared"] = list(Shared.values)  # the minimum and the contact
        return data


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Стан"), required=False)
    overdue = forms.BooleanField(label=_("Лише прострочені"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("усі")), *Status.choices]
