from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from apps.audit.models import Action


class SignInForm(AuthenticationForm):
    error_messages = {
        # One message for an unknown user, a wrong password and an inactive account alike.
        "invalid_login": _("Неправильне ім'я користувача або пароль."),
        "inactive": _("Неправильне ім'я користувача або пароль."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Ім'я користувача")
        # No autofocus: the page opens at the top (skip link, heading, any error summary),
        # as every other page does.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["password"].label = _("Пароль")


class OtpTokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Код з застосунку автентифікації"),
        help_text=_(
            "Шість цифр, які зараз показує ваш застосунок (наприклад, Google Authenticator)."
        ),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("Код складається лише з цифр."), code="digits")
        return token


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Назва токена"),
        help_text=_("Для чого цей токен, наприклад «Інтеграція з центром зайнятості»."),
        max_length=100,
    )
    expires_in_days = forms.IntegerField(
        label=_("Строк дії, днів"),
        help_text=_("Порожньо — безстроково (доки ви його не відкличете)."),
        required=False,
        min_value=1,
        max_value=730,
    )


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Хто (ім'я входу)"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Дія"), required=False, choices=[("", _("Усі дії")), *Action.choices]
    )
    object_type = forms.CharField(
        label=_("Тип об'єкта"),
        required=False,
        max_length=64,
        help_text=_("Наприклад: access.user"),
    )
    object_id = forms.CharField(label=_("Ідентифікатор об'єкта"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("З дати"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("По дату"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Кінець періоду раніше за його початок."))
        return cleaned


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form (old password, the new one twice, checked by AUTH_PASSWORD_VALIDATORS)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs.pop("autofocus", None)  # see SignInForm
        self.fields["old_password"].label = _("Поточний пароль")
        self.fields["new_password1"].label = _("Новий пароль")
        self.fields["new_password2"].label = _("Новий пароль ще раз")
        self.fields["new_password1"].help_text = _(
            "Щонайменше 12 символів; не лише цифри; не схожий на ваше ім'я чи поширений пароль."
        )
