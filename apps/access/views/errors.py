"""Bilingual error pages (the language middleware has already chosen the language)."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template

from .. import services


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """The full page when it can be drawn; when not (the database is down, so the session and
    messages cannot be read), the same page without anything that needs a request."""
    try:
        return render(request, "errors/500.html", status=500)
    except Exception:  # noqa: BLE001 - an error page must not fail
        page = get_template("errors/500.html").render(
            {"request": {"request_id": getattr(request, "request_id", "")}}
        )
        return HttpResponseServerError(page)


def csrf_failure(request, reason=""):
    services.record_denial(user=request.user, event="access.csrf.rejected", reason=reason)
    return render(request, "errors/403_csrf.html", status=403)
