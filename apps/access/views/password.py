"""Changing one's own password (Django's view, our rules and the audit trail)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from .. import services
from ..forms import PasswordChangeForm


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "access/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("access:home")

    def form_valid(self, form):
        services.user_change_password(
            user=form.user, new_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(self.request, form.user)  # stay signed in on this device
        messages.success(self.request, _("Пароль змінено."))
        return HttpResponseRedirect(self.get_success_url())
