from django.urls import path

from .views import audit_log, auth, home, password, staff, tokens

app_name = "access"

urlpatterns = [
    path("", home.home, name="home"),
    path("sign-in/", auth.SignInView.as_view(), name="sign-in"),
    path("sign-out/", auth.SignOutView.as_view(), name="sign-out"),
    path("sign-in/two-factor/", auth.two_factor, name="two-factor"),
    path("account/two-factor/setup/", auth.two_factor_setup, name="two-factor-setup"),
    path("account/password/", password.PasswordChangeView.as_view(), name="password-change"),
    path("language/", auth.set_language, name="set-language"),
    path("account/tokens/", tokens.token_list_view, name="tokens"),
    path("account/tokens/<int:token_id>/revoke/", tokens.token_revoke_view, name="token-revoke"),
    path("audit/", audit_log.audit_log, name="audit-log"),
    path("staff/", staff.staff_list_view, name="staff-list"),
    path("staff/<int:user_id>/", staff.staff_detail_view, name="staff-detail"),
]
