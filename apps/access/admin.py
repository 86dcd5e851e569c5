from axes import admin as axes_admin  # registers axes' admin first, so it can be replaced
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import router, transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static import admin as otp_static_admin  # likewise
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as otp_totp_admin  # likewise
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit.admin import AuditedModelAdmin
from apps.audit.services import Action
from apps.geo import admin as geo_admin  # likewise
from apps.geo.models import Edition, Unit

from .models import Membership, PersonalAccessToken, User


class MembershipInline(admin.TabularInline):
    """Saved, and audited, by the user's page (``AuditedModelAdmin.save_formset``)."""

    model = Membership
    extra = 0
    raw_id_fields = ["community", "organisation"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Prostir"), {"fields": ("patronymic", "preferred_language")}),
    )
    inlines = [MembershipInline]
    # The add form's password fields are one field of the user.
    audit_field_aliases = {
        "password1": "password",
        "password2": "password",
        "usable_password": "password",
    }

    def user_change_password(self, request, id, form_url=""):
        # Django runs this view in autocommit: the new password and its event commit together.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().user_change_password(request, id, form_url)

    def construct_change_message(self, request, form, formsets, add=False):
        # The password view saves its form itself and asks for the change message only after
        # a successful save: the place to record it. Set or unset, the password changed.
        if isinstance(form, self.change_password_form):
            self.audit(request, form.user, Action.UPDATE, ["password"])
        return super().construct_change_message(request, form, formsets, add)


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(AuditedModelAdmin):
    """Administrators may rename, shorten or revoke a token; only its owner creates one (the
    value is shown once, to them), and a token never changes hands."""

    list_display = ["name", "user", "hint", "created_at", "expires_at", "revoked_at"]
    readonly_fields = ["user", "digest", "hint", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False


# Admin pages registered below this app, replaced here by their audited versions: django-axes'
# (deleting an access attempt unlocks the account), django-otp's (a second factor removed or
# replaced) and geo's (geo sits beside apps.audit in the layering: it cannot import the mixin).
class AccessAttemptAdmin(AuditedModelAdmin, axes_admin.AccessAttemptAdmin):
    pass


class AccessFailureLogAdmin(AuditedModelAdmin, axes_admin.AccessFailureLogAdmin):
    pass


class AccessLogAdmin(AuditedModelAdmin, axes_admin.AccessLogAdmin):
    pass


class TOTPDeviceAdmin(AuditedModelAdmin, otp_totp_admin.TOTPDeviceAdmin):
    pass


class StaticDeviceAdmin(AuditedModelAdmin, otp_static_admin.StaticDeviceAdmin):
    pass


class UnitAdmin(AuditedModelAdmin, geo_admin.UnitAdmin):
    pass


class EditionAdmin(AuditedModelAdmin, geo_admin.EditionAdmin):
    pass


for _model, _model_admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
    (AccessLog, AccessLogAdmin),
    (TOTPDevice, TOTPDeviceAdmin),
    (StaticDevice, StaticDeviceAdmin),
    (Unit, UnitAdmin),
    (Edition, EditionAdmin),
):
    if admin.site.is_registered(_model):  # axes' and otp's only when their settings allow
        admin.site.unregister(_model)
        admin.site.register(_model, _model_admin)
