"""Bilingual error pages, including a 500 page that renders while the database is down."""

from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client, override_settings
from django.urls import include, path

from apps.access.views import errors
from apps.audit.models import Action, AuditEvent


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom), path("", include("prostir.urls"))]
handler500 = "apps.access.views.errors.server_error"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"), [("uk", "Сторінку не знайдено"), ("en", "Page not found")]
)
def test_404_page_in_both_languages(client, language, title, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert f'lang="{language}"' in page and title in page


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_500_page_renders_with_the_database_down():
    client = Client(raise_request_exception=False)
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("database is down"),
    ):
        client.cookies["sessionid"] = "a-session"
        response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Помилка на сервері" in page
    assert response["X-Request-ID"] in page


def test_the_project_uses_these_error_views():
    from prostir import urls

    assert urls.handler500 == handler500
    assert urls.handler404 == f"{errors.__name__}.page_not_found"


@pytest.mark.django_db
def test_csrf_failure_page_is_translated_and_audited(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"username": "registrar.a", "password": "x"})
    assert response.status_code == 403
    assert "Сторінка застаріла" in response.content.decode()
    denial = AuditEvent.objects.get(event="access.csrf.rejected")
    assert denial.action == Action.PERMISSION_DENIED and "CSRF" in denial.reason
