"""Changing one's own password (Django's view, our rules and the audit trail)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from .. import services
from ..forms import PasswordChangeForm


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "access/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("access:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        messages.success(self.request, _("Пароль змінено."))
        return response
