"""Sign-in (password, then the second factor), sign-out, second-factor set-up, language."""

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from .. import otp, selectors, services
from ..forms import OtpTokenForm, SignInForm


class SignInView(auth_views.LoginView):
    template_name = "access/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def two_factor(request):
    """Second step of sign-in: the code from the authenticator app."""
    if request.user.is_verified():
        return redirect(_safe_next(request, reverse("access:home")))
    if not selectors.has_authenticator(user=request.user):
        query = urlencode({"next": _safe_next(request, "")})
        return redirect(f"{reverse('access:two-factor-setup')}?{query}")
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            services.record_second_factor_passed(user=request.user)
            return redirect(_safe_next(request, reverse("access:home")))
        services.record_otp_failure(user=request.user)
        form.add_error(
            "otp_token", _("Код не підійшов. Перевірте час на телефоні й спробуйте ще раз.")
        )
    return render(
        request, "access/two_factor.html", {"form": form, "next": _safe_next(request, "")}
    )


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    return image.to_string(encoding="unicode")


@login_required
def two_factor_setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code."""
    if selectors.has_authenticator(user=request.user):
        return redirect("access:two-factor")
    device = services.totp_device_pending(user=request.user)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            services.totp_device_confirm(user=request.user, device=device)
            otp_login(request, device)
            messages.success(request, _("Двофакторний вхід налаштовано."))
            return redirect(_safe_next(request, reverse("access:home")))
        services.record_otp_failure(user=request.user)
        form.add_error(
            "otp_token", _("Код не підійшов. Перевірте час на телефоні й спробуйте ще раз.")
        )
    secret = otp.secret_base32(device)
    return render(
        request,
        "access/two_factor_setup.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr_svg": _qr_svg(device.config_url),
            "next": _safe_next(request, ""),
        },
    )


@require_POST
def set_language(request):
    """The language switch: a cookie for everyone, and the saved choice for a signed-in user."""
    language = request.POST.get("language", "")
    supported = {code for code, _name in settings.LANGUAGES}
    response = HttpResponseRedirect(_safe_next(request, reverse("access:home")))
    if language not in supported:
        return response
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
